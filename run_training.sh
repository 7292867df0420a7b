#!/usr/bin/env bash
# MyoAssist-style launcher: ./run_training.sh NAME [more train flags]
# runs `myoreflex train --config NAME`; without NAME it lists the configs in training_configs/.
set -euo pipefail
cd "$(dirname "$0")"
if [ $# -eq 0 ]; then
  echo "usage: ./run_training.sh NAME [flags]; available configs:"
  for f in training_configs/*.json training_configs/*.sh training_configs/*.bat; do
    [ -e "$f" ] && basename "${f%.*}"
  done | sort -u
  exit 1
fi
name="$1"; shift
if command -v myoreflex >/dev/null 2>&1; then
  exec myoreflex train --config "$name" "$@"
fi
exec cargo run --release --quiet -p myoreflex -- train --config "$name" "$@"
