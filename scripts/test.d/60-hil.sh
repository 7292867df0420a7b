# Hardware in the loop (issue 7). Sourced by scripts/test after 50-firmware.sh (which built the
# QEMU firmware and tests/firmware-qemu, whose myoreflex-fw-check also decodes defmt).
# Closed loop under QEMU with a shipped exo parameter file, fault injection, flash --dry-run.
echo "== hil: build myoreflex"
cargo build --locked -p myoreflex --bin myoreflex
hil_bin=target/debug/myoreflex
hil_fw=firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-qemu
export MYOREFLEX_DEFMT_DECODER=tests/firmware-qemu/target/debug/myoreflex-fw-check
# every shipped exo gait (results/preoptimized/exo_*, globbed, never a fixed list), each with the
# saved config it was optimized with (which sets exo_device qemu: trained through this board's
# device layer, so the closed loop must reproduce `eval` exactly)
hil_dirs=$(ls -d results/preoptimized/exo_*/ 2>/dev/null)
[ -n "$hil_dirs" ] || { echo "error: no shipped exo gait under results/preoptimized/exo_*" >&2; exit 1; }
hil_tmp=$(mktemp -d)
hil_status=0
hil_check() { # hil_check NAME PYTHON-CONDITION -- hil args...
  local name=$1 cond=$2; shift 3
  local out
  if ! out=$("$hil_bin" hil --firmware "$hil_fw" --json "$@" 2>"$hil_tmp/err"); then
    echo "FAIL hil/$name: $(cat "$hil_tmp/err")"; hil_status=1; return
  fi
  if python3 -c "import json,sys; r=json.loads(sys.argv[1]); sys.exit(0 if ($cond) else 1)" "$out"; then
    echo "ok   hil/$name: $(python3 -c "import json,sys; r=json.loads(sys.argv[1]); print('frames', r['frames'], 'sim_s %.2f' % r['sim_s'], 'walked_s %.2f' % r['walked_s'], 'max_diff', r['max_torque_diff_nm'], 'errors', r['frame_errors'], 'final', r['final_state'], hex(r['final_reason']), 'sim_s/wall_s %.2f' % r['sim_s_per_wall_s'], 'link_ms/step %.2f' % r['link_ms_per_step'], 'frames', r['sensor_frame_bytes'], '/', r['command_frame_bytes'], 'B')" "$out")"
  else
    echo "FAIL hil/$name: $out"; hil_status=1
  fi
}
same='r["mismatched_steps"] == 0 and r["max_torque_diff_nm"] == 0 and r["firmware_exit"] == 0 and r["frames"] > 20'
for d in $hil_dirs; do
  f=$(ls "$d"*_Best.txt | head -1)
  c=$(ls "$d"*.json | grep -v '/bands.json$' | head -1)
  n=$(basename "$d")
  # 6 s closed loop: walks the whole time, the device assists after 3 stances, every command
  # bit-exact with the host's f32 device, and the episode is eval's own (same cost)
  want=$("$hil_bin" eval --config "$c" --params "$f" --sim_time 6 --json --out "$hil_tmp/eval" 2>/dev/null \
    | python3 -c "import json,sys; print(repr(json.load(sys.stdin)['cost']))")
  hil_check "closed_loop/$n" "$same and r['frame_errors'] == 0 and r['final_state'] == 'Assist' and r['walked_s'] >= 5.99 and repr(r['cost']) == '$want'" -- --params "$f" --config "$c" --sim_time 6
  # dt = 10 ms: one lost frame is tolerated (comms timeout 20 ms), 5 late ones latch 0x80
  hil_check "drop_one/$n" "$same and r['final_reason'] == 0" -- --params "$f" --config "$c" --sim_time 6 --inject drop:300:1
  hil_check "corrupt/$n" "$same and r['frame_errors'] == 2 and r['final_reason'] == 0" -- --params "$f" --config "$c" --sim_time 6 --inject corrupt:300:2
  hil_check "delayed/$n" "$same and r['final_state'] == 'Fault' and r['final_reason'] == 0x80 and any('comms timeout' in e for e in r['events'])" -- --params "$f" --config "$c" --sim_time 6 --inject delay:300:5
  hil_check "dropped_burst/$n" "$same and r['final_state'] == 'Fault' and r['final_reason'] == 0x80" -- --params "$f" --config "$c" --sim_time 6 --inject drop:302:3
  # flash --dry-run: the blob sits at the PARAMS region (0xE0000) of the image, as export writes it
  "$hil_bin" flash --chip mps2-an386 --firmware "$hil_fw" --params "$f" --config "$c" --dry-run --out "$hil_tmp/image.bin" >/dev/null
  "$hil_bin" export --params "$f" --config "$c" --device tutorial --out "$hil_tmp/x.blob" >/dev/null
  if tail -c +$((0xE0000 + 1)) "$hil_tmp/image.bin" | cmp -s - "$hil_tmp/x.blob" \
     && [ "$(head -c 4 "$hil_tmp/image.bin" | od -An -tx1 | tr -d ' ')" != "ffffffff" ]; then
    echo "ok   flash_dry_run/$n: $(stat -c %s "$hil_tmp/image.bin") B image, blob at 0xE0000"
  else
    echo "FAIL flash_dry_run/$n: the image does not hold the exported blob at 0xE0000"; hil_status=1
  fi
done
rm -rf "$hil_tmp"
[ "$hil_status" = 0 ] || exit "$hil_status"
