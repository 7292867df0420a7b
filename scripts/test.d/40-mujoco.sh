# MuJoCo engine parity tests (cargo feature `mujoco`): fetches MuJoCo 3.3.3 from the PyPI wheel
# if missing (scripts/get-mujoco), then runs the feature's tests (only the MuJoCo test targets,
# so the feature build compiles no other test binary). Sourced by scripts/test.
scripts/get-mujoco
cargo test -p myoreflex --features mujoco --locked --lib --test 'mujoco_*' --test eval_mujoco mujoco
# the shipped gaits on both engines (the e2e test crate links MuJoCo without the host's rpath)
mj_lib="${MUJOCO_DIR:-$PWD/.mujoco/mujoco-3.3.3}/lib"
LD_LIBRARY_PATH="$mj_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  cargo test -p myoreflex-e2e --features mujoco --locked --test preoptimized_gaits mujoco
