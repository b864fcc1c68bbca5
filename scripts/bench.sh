#!/usr/bin/env bash
# Prints every speed and memory figure the issues ask for, with the command behind each:
#   scripts/bench.sh            all of them (several minutes: release build, 60 s idle run)
#   scripts/bench.sh frame      just one: frame | journal | share | review | notes | idle | peers
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
run() { [ "$what" = all ] || [ "$what" = "$1" ]; }

if run frame; then
  echo "== one full frame, 15 members, 12 segments, 300 notes (target < 1 ms): cargo bench --bench frame"
  cargo bench --quiet --bench frame 2>/dev/null | grep -E "^frame|time:"
fi
if run journal; then
  echo "== journal append + fsync: cargo bench --bench journal"
  cargo bench --quiet --bench journal 2>/dev/null | grep -E "^journal|time:"
  echo "== its median and p99 over 2000 appends, plain and sealed (encrypted; target p99 within 1.2x)"
  cargo test --quiet --release --lib journal::tests::append_latency -- --ignored --nocapture 2>/dev/null |
    grep -E "p50|p99|median|plain" || true
fi
if run share; then
  echo "== facilitator action -> trainee, loopback: cargo bench --bench share"
  cargo bench --quiet --bench share 2>/dev/null | grep -E "median|publish"
fi
if run review; then
  n=${REVIEW_SUMMARIES:-100000}
  echo "== the review over $n summaries, in-process (scan, and every browser key, median and p99):"
  echo "   REVIEW_SUMMARIES=$n cargo bench --bench review"
  REVIEW_SUMMARIES=$n cargo bench --quiet --bench review 2>/dev/null | grep -E "^review"
  archive=target/tmp/review-archive-$n-v2
  bin=target/release/holdspace
  cargo build --quiet --release
  cache=$(mktemp -d)
  list() { XDG_CACHE_HOME=$cache /usr/bin/time -f "%e s, peak RSS %M KB" "$bin" review --list "$@" "$archive" 2>&1 >/dev/null | tail -1; }
  drop() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(cannot drop the page cache here: run as root)"; }
  echo "== whole process: $bin review --list [--no-cache] $archive > /dev/null"
  list --no-cache >/dev/null
  echo "no index, warm page cache:      $(list --no-cache)"
  list >/dev/null; sleep 3; list >/dev/null
  echo "with the index, warm:           $(list)"
  drop; echo "with the index, cache dropped:  $(list)"
  drop; echo "no index, page cache dropped:   $(list --no-cache)"
  echo "for scale: stat of every file, page cache dropped: $(drop; /usr/bin/time -f '%e s' find "$archive" -type f -printf '%s\n' 2>&1 >/dev/null | tail -1)"
  rm -rf "$cache"
fi
if run notes; then
  echo "== every note of a 15-member session, and what carries forward in 10,000 summaries: cargo bench --bench notes"
  cargo bench --quiet --bench notes 2>/dev/null | grep -E "^notes|time:"
fi
if run idle; then
  echo "== idle CPU and memory of a running countdown over 60 s: scripts/measure-idle.sh"
  bash scripts/measure-idle.sh --duration 60
fi
if run peers; then
  # Issue 14's goals, side by side with terminal timers in one pass (../shared/peers):
  # idle CPU <= 0.1 %, RSS <= 10 MB, first frame within 1.2x of tclock's.
  peers=../shared/peers/harness.py
  if [ -f "$peers" ]; then
    cargo build --quiet --release
    export PROJECT_DIR=$PWD PEERS_DIR=${PEERS_DIR:-${TMPDIR:-/tmp}/peers}
    echo "== first frame (median of 5) and idle over ${WINDOW:-60} s: python3 $peers startup|steady NAME"
    hs=$(python3 "$peers" startup holdspace | sed -n 's/^MEDIAN holdspace \([0-9.]*\) ms/\1/p')
    tc=$(python3 "$peers" startup tclock | sed -n 's/^MEDIAN tclock \([0-9.]*\) ms/\1/p')
    echo "first frame: holdspace ${hs} ms, tclock ${tc} ms, ratio $(python3 -c "print(round($hs/$tc, 2))") (goal <= 1.2)"
    WINDOW=${WINDOW:-60} python3 "$peers" steady holdspace | grep MEDIAN
  else
    echo "== peers: $peers is not here (it comes with the shared folder); skipped"
  fi
fi
