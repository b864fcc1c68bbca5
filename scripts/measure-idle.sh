#!/usr/bin/env bash
# Measures what a running but untouched console costs: the release binary runs in a
# detached tmux pane at 100x30 with a throw-away home and data dir, the clock is started
# (Space), and then nobody types for DURATION seconds while /proc is sampled.
#
# Prints the CPU time used as a percentage of one core and the peak resident memory, and
# exits non-zero if CPU >= 0.5 % or peak RSS >= 20 MB.
#
# Usage: scripts/measure-idle.sh [--duration SECONDS] [--interval SECONDS] [--bin PATH]
#   --duration  how long to sample (default 60, or $IDLE_SECONDS)
#   --interval  seconds between RSS samples (default 1)
#   --bin       the holdspace binary (default target/release/holdspace, built if missing)
# Needs tmux and Linux /proc.

set -euo pipefail

CPU_LIMIT_PERCENT=0.5
RSS_LIMIT_MB=20

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${IDLE_SECONDS:-60}"
interval=1
bin="${HOLDSPACE_BIN:-$root/target/release/holdspace}"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --interval) interval="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "measure-idle: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
done

command -v tmux >/dev/null || { echo "measure-idle: tmux is not installed" >&2; exit 2; }
[[ -r /proc/self/stat ]] || { echo "measure-idle: needs Linux /proc" >&2; exit 2; }
if [[ ! -x "$bin" ]]; then
    echo "measure-idle: $bin is missing; building it (cargo build --release)..." >&2
    (cd "$root" && cargo build --release --quiet)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/holdspace-idle.XXXXXX")"
socket="holdspace-idle-$$"
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

printf 'set -g status off\nset -g remain-on-exit on\nset -g default-shell /bin/sh\n' >"$work/tmux.conf"
mkdir -p "$work/home"
quote() { printf '%q' "$1"; }
command_line="exec env -u TMUX HOME=$(quote "$work/home") XDG_CONFIG_HOME=$(quote "$work/home/.config") \
XDG_DATA_HOME=$(quote "$work/home/.local/share") $(quote "$bin") run --data-dir $(quote "$work/data")"
tmux -L "$socket" -f "$work/tmux.conf" new-session -d -s idle -x 100 -y 30 "$command_line"

# Poll the screen (never a fixed sleep) for up to 10 s.
wait_for() {
    local text="$1" screen=""
    for _ in $(seq 200); do
        screen="$(tmux -L "$socket" capture-pane -p -t idle 2>/dev/null || true)"
        if [[ "$screen" == *"$text"* ]]; then return 0; fi
        sleep 0.05
    done
    echo "measure-idle: timed out waiting for \"$text\"; the screen:" >&2
    echo "$screen" >&2
    exit 1
}

wait_for "not started"
pid="$(tmux -L "$socket" display-message -p -t idle '#{pane_pid}')"
[[ "$(cat "/proc/$pid/comm")" == holdspace ]] || { echo "measure-idle: pane pid $pid is not holdspace" >&2; exit 1; }
tmux -L "$socket" send-keys -t idle Space
wait_for "running"
wait_for "saved"

ticks_per_sec="$(getconf CLK_TCK)"
cpu_ticks() {
    # Fields after the command name: state is 3rd, utime 14th and stime 15th overall.
    local stat
    stat="$(cat "/proc/$pid/stat")"
    stat="${stat##*) }"
    # shellcheck disable=SC2086
    set -- $stat
    echo $(( ${12} + ${13} ))
}
status_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status"; }
now() { date +%s.%N; }

echo "measure-idle: $bin (pid $pid), clock running, sampling for ${duration}s, nobody typing..."
start_ticks="$(cpu_ticks)"
start_time="$(now)"
peak_rss_kb="$(status_kb VmRSS)"
end_at="$(awk -v s="$start_time" -v d="$duration" 'BEGIN { printf "%.3f", s + d }')"
while awk -v n="$(now)" -v e="$end_at" 'BEGIN { exit !(n < e) }'; do
    sleep "$interval"
    [[ -d "/proc/$pid" ]] || { echo "measure-idle: holdspace exited during the measurement" >&2; exit 1; }
    rss="$(status_kb VmRSS)"
    (( rss > peak_rss_kb )) && peak_rss_kb="$rss"
done
end_ticks="$(cpu_ticks)"
end_time="$(now)"
hwm_kb="$(status_kb VmHWM)"

screen="$(tmux -L "$socket" capture-pane -p -t idle)"
[[ "$screen" == *"running"* ]] || { echo "measure-idle: the console no longer shows the clock running:" >&2; echo "$screen" >&2; exit 1; }

report="$(awk -v t0="$start_ticks" -v t1="$end_ticks" -v hz="$ticks_per_sec" \
    -v w0="$start_time" -v w1="$end_time" -v rss="$peak_rss_kb" -v hwm="$hwm_kb" \
    -v cpu_limit="$CPU_LIMIT_PERCENT" -v rss_limit="$RSS_LIMIT_MB" 'BEGIN {
    wall = w1 - w0
    cpu_s = (t1 - t0) / hz
    cpu = 100 * cpu_s / wall
    peak = (hwm > rss ? hwm : rss) / 1024
    printf "wall      %.1f s\n", wall
    printf "cpu time  %.2f s (%d ticks at %d Hz)\n", cpu_s, t1 - t0, hz
    printf "CPU       %.3f %% of one core (limit < %s %%)\n", cpu, cpu_limit
    printf "RSS       peak %.1f MB while idle, %.1f MB high-water mark since start (limit < %s MB)\n", rss / 1024, hwm / 1024, rss_limit
    ok = (cpu < cpu_limit) && (peak < rss_limit)
    printf "RESULT    %s\n", ok ? "ok" : "FAIL"
}')"
echo "$report"
[[ "$report" == *"RESULT    ok"* ]]
