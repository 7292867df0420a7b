# Debug-probe paths (issue 7): `flash` through a probe and `hil --link rtt`, behind the host's
# cargo feature `probe` (the probe-rs library; pure Rust, needs no Debian package). Sourced by
# scripts/test after 50-firmware.sh (which built the STM32F405 firmware). Builds the feature and
# runs what can run without hardware: chip lookup and close names, the image-in-flash check,
# programming + read-back over an in-memory flash (the same bytes as --dry-run), the RTT link
# over an in-memory RTT port, and the CLI's errors (no probe: the list probe-rs sees; unknown
# chip; firmware without the link) with the real STM32 firmware. Tests that would reach a probe
# skip themselves when probe-rs sees one: they never flash real hardware.
echo "== probe: host with --features probe (probe-rs), tests without hardware"
probe_fw=firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-stm32f4
[ -e "$probe_fw" ] || { echo "error: $probe_fw is missing (scripts/test.d/50-firmware.sh builds it)" >&2; exit 1; }
# --profile dev: the host crate unoptimised (a feature rebuilds all of it; at the test profile's
# opt-level 2 that took twice as long), dependencies shared with the other builds. The unit
# tests of the RTT link and of flashing (hil::rtt, hil::flash) need no feature and run in the
# workspace tests.
MYOREFLEX_FW_STM32=$PWD/$probe_fw cargo test --profile dev -p myoreflex --features probe --locked --test flash_cli
