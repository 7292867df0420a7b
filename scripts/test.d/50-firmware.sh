# Firmware under QEMU (issue 6). Sourced by scripts/test after the host tests.
# Installs qemu-system-arm (Debian) and the thumbv7em-none-eabihf target (rustup) if missing,
# builds the firmware for both boards, then runs the QEMU tests (tests/firmware-qemu), which
# print one line per test and close with "firmware: N passed, M failed".
fw_target=thumbv7em-none-eabihf
need_apt qemu-system-arm qemu-system-arm
if ! rustup target list --installed 2>/dev/null | grep -qx "$fw_target"; then
  rustup target add "$fw_target" \
    || { echo "error: the Rust target $fw_target is missing and 'rustup target add $fw_target' failed" >&2; exit 1; }
fi

echo "== firmware: build (QEMU mps2-an386 and STM32F405 boards)"
# explicit --target-dir: the ELF paths below must not move with CARGO_TARGET_DIR
(cd firmware \
  && DEFMT_LOG=info cargo build --release --locked --target-dir target \
  && DEFMT_LOG=info cargo build --release --locked --target-dir target --no-default-features --features board-stm32f4)
fw_dir=firmware/target/$fw_target/release
if command -v size >/dev/null 2>&1; then
  echo "== firmware: flash/RAM (text = flash code+rodata, data = flash+RAM, bss = RAM)"
  size "$fw_dir/myoreflex-fw-stm32f4" "$fw_dir/myoreflex-fw-qemu"
fi

echo "== firmware: host side of the QEMU tests"
cargo build --locked --manifest-path tests/firmware-qemu/Cargo.toml --target-dir tests/firmware-qemu/target
# the recorded reflex cases -> firmware input files + the host's f32 outputs (needs the host
# library, so it is a workspace test; already built by the host tests above)
fw_reflex_dir=$(mktemp -d)
MYOREFLEX_FW_REFLEX_DIR="$fw_reflex_dir" cargo test -p myoreflex-e2e --locked --test firmware_reflex_inputs -q
echo "== firmware: tests under qemu-system-arm -M mps2-an386"
fw_status=0
tests/firmware-qemu/target/debug/myoreflex-fw-check --elf "$fw_dir/myoreflex-fw-qemu" --bench \
  --reflex-dir "$fw_reflex_dir" || fw_status=$?
rm -rf "$fw_reflex_dir"
[ "$fw_status" = 0 ] || exit "$fw_status"
