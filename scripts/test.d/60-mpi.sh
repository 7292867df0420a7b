# `train --cluster` over MPI (cargo feature `mpi`): installs OpenMPI and libclang (bindgen of
# mpi-sys) if missing, then runs mpirun -n 3 --oversubscribe against a local run (bit-identical
# results, a killed worker rank resumed from its checkpoint). Only that test target is built.
# Sourced by scripts/test (uses its need_apt).
need_apt mpirun openmpi-bin
[ -e /usr/include/x86_64-linux-gnu/openmpi/mpi.h ] || [ -n "$(find /usr/include /usr/lib -name mpi.h -print -quit 2>/dev/null)" ] \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 libopenmpi-dev >/dev/null; }
# bindgen loads libclang.so / libclang-N.so (libclang-cpp, which clang pulls in, is not it)
[ -n "$(find /usr/lib /usr/local/lib \( -name 'libclang.so*' -o -name 'libclang-[0-9]*.so*' \) -print -quit 2>/dev/null)" ] \
  || need_apt no-such-command-libclang libclang-dev
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
cargo test -p myoreflex --features mpi --locked --test train_cluster
