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
  # Issue 16's goals over 100,000 summaries: with the index <= 1.0 s after the page cache is
  # dropped and <= 0.3 s warm; without an index (first run, warm page cache) <= 1.5 s; peak
  # RSS <= 100 MB; every browser key <= 50 ms at p99. Each figure is the median of
  # REVIEW_RUNS runs (5) of the release binary, with the largest peak RSS of those runs.
  n=${REVIEW_SUMMARIES:-100000}
  runs=${REVIEW_RUNS:-5}
  echo "== the review over $n summaries, in-process (scan, and every browser key, median and p99):"
  echo "   REVIEW_SUMMARIES=$n cargo bench --bench review"
  REVIEW_SUMMARIES=$n cargo bench --quiet --bench review 2>/dev/null | grep -E "^review"
  archive=target/tmp/review-archive-$n-v2
  bin=target/release/holdspace
  cargo build --quiet --release
  cache=$(mktemp -d)
  dropped=yes
  drop() { sync; echo 3 2>/dev/null > /proc/sys/vm/drop_caches || dropped=no; }
  # figure LABEL BEFORE ARGS...: runs `review --list ARGS` $runs times, BEFORE each run.
  figure() {
    local label=$1 before=$2 times="" peak=0 line
    shift 2
    for _ in $(seq "$runs"); do
      $before
      line=$(XDG_CACHE_HOME=$cache /usr/bin/time -f "%e %M" "$bin" review --list "$@" "$archive" 2>&1 >/dev/null | tail -1)
      times="$times ${line% *}"
      peak=$(( ${line#* } > peak ? ${line#* } : peak ))
    done
    echo "$label median $(echo $times | tr ' ' '\n' | sort -n | sed -n "$(( (runs + 1) / 2 ))p") s (runs:$times), peak RSS $(( peak / 1024 )) MiB ($peak KiB)"
  }
  warm() { :; }
  echo "== whole process: XDG_CACHE_HOME=<empty dir> $bin review --list [--no-cache] $archive > /dev/null"
  "$bin" review --list --no-cache "$archive" >/dev/null
  figure "no index, warm page cache (goal <= 1.5 s):     " warm --no-cache
  XDG_CACHE_HOME=$cache "$bin" review --list "$archive" >/dev/null; sleep 3
  figure "with the index, warm (goal <= 0.3 s):          " warm
  figure "with the index, cache dropped (goal <= 1.0 s): " drop
  figure "no index, page cache dropped:                  " drop --no-cache
  [ "$dropped" = yes ] || echo "(the page cache could not be dropped here, run as root: the \"dropped\" figures are warm)"
  drop
  echo "for scale: stat of every file, page cache dropped: $(/usr/bin/time -f '%e s' find "$archive/" -type f -printf '%s\n' 2>&1 >/dev/null | tail -1)"
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
