# MuJoCo engine parity tests (cargo feature `mujoco`): fetches MuJoCo 3.3.3 from the PyPI wheel
# if missing (scripts/get-mujoco), then runs the feature's tests. Sourced by scripts/test.
scripts/get-mujoco
cargo test -p myoreflex --features mujoco --locked mujoco
