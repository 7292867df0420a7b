# MuJoCo engine parity tests (cargo feature `mujoco`): fetches MuJoCo 3.3.3 from the PyPI wheel
# if missing (scripts/get-mujoco), then runs the feature's tests (only the MuJoCo test targets,
# so the feature build compiles no other test binary). Sourced by scripts/test.
scripts/get-mujoco
cargo test -p myoreflex --features mujoco --locked --lib --test 'mujoco_*' --test eval_mujoco mujoco
