#!/usr/bin/env bash
# bench/run.sh: build the release switchboard and the bench programs, then run scenario S1 (fan-out) against
# switchboard and against the blaster (loadgen's own ceiling: 64 KiB per send(), and one frame per send() as an
# unbatched server writes), and print a table. Usage:
#
#   bench/run.sh [loadgen options]         e.g. bench/run.sh --subscribers 1000 --duration 5
#
# Environment: BUILD_DIR (default build/bench), SERVER_CORE (0) and LOADGEN_CORE (1): the cores each side is
# pinned to with taskset, PIN=0 pins nothing (the unpinned run); RUNS (1): runs per target, the table shows each
# and the median. Every loadgen JSON line is appended to $BUILD_DIR/bench-results.jsonl.
# Nothing here touches docs/benchmarks.md.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build/bench}
SERVER_CORE=${SERVER_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
RUNS=${RUNS:-1}
PIN=${PIN:-1}

generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$BUILD_DIR" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DSWITCHBOARD_BENCH=ON -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target switchboard loadgen blaster >/dev/null

# 1,000 subscribers and their server ends need more descriptors than the common default of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
pin_server=(); pin_loadgen=()
if [ "$PIN" = 0 ]; then
  :
elif [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  pin_server=(taskset -c "$SERVER_CORE"); pin_loadgen=(taskset -c "$LOADGEN_CORE")
else
  echo "run.sh: fewer than 2 cores or no taskset: nothing is pinned" >&2
fi

logs="$BUILD_DIR/bench-logs"; mkdir -p "$logs"
results="$BUILD_DIR/bench-results.jsonl"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; true' EXIT

# start NAME PATTERN COMMAND...: starts a server in the background, waits for the line of its stdout that
# PATTERN (a sed expression printing the port) matches, and sets server_pid and port.
start() {
  local name=$1 pattern=$2; shift 2
  "${pin_server[@]}" "$@" >"$logs/$name.out" 2>"$logs/$name.err" &
  server_pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n "$pattern" "$logs/$name.out" | head -1)
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: $name did not print its port; its stderr:" >&2; cat "$logs/$name.err" >&2; exit 1
}
stop() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# loadgen LABEL [options]: one S1 run against the server started last; its JSON line goes to $results and to
# the variable `line`. A run with loss or closes exits non-zero; the table shows it, so it does not stop here.
loadgen() {
  local label=$1; shift
  line=$("${pin_loadgen[@]}" "$BUILD_DIR/bench/loadgen" --port "$port" --server-pid "$server_pid" --label "$label" "$@" \
           2>>"$logs/loadgen.err") || true
  [ -n "$line" ] || { echo "run.sh: loadgen produced no result; see $logs/loadgen.err" >&2; tail -3 "$logs/loadgen.err" >&2; exit 1; }
  echo "$line" >>"$results"
}
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<<"$2"; }
close_codes() { sed -n 's/.*"close_codes":\({[^}]*}\).*/\1/p' <<<"$1"; }

run_switchboard() {
  start switchboard 's|.*listening on http://[^:]*:\([0-9]*\).*|\1|p' \
    "$BUILD_DIR/switchboard" --host 127.0.0.1 --port 0 --threads 1 --log-level warn
  loadgen switchboard "$@"
  stop
  server_warnings=$((server_warnings + $(grep -c . "$logs/switchboard.err" || true)))
  cat "$logs/switchboard.err" >>"$logs/switchboard-warnings.log"
}
# run_blaster BATCH [loadgen options]
run_blaster() {
  local batch=$1 label=blaster; shift
  [ "$batch" = 65536 ] || label=blaster-$batch
  start "$label" 's|^blaster listening on [^:]*:\([0-9]*\)$|\1|p' \
    "$BUILD_DIR/bench/blaster" --host 127.0.0.1 --port 0 --batch "$batch"
  loadgen "$label" --no-publisher "$@"
  stop
}

# Each run starts its server afresh; RUNS=3 gives the median of three per target.
rows=()
server_warnings=0
: >"$logs/switchboard-warnings.log"
for target in switchboard blaster blaster-1; do
  for _ in $(seq "$RUNS"); do
    case $target in
      switchboard) run_switchboard "$@" ;;
      blaster) run_blaster 65536 "$@" ;;
      blaster-1) run_blaster 1 "$@" ;;
    esac
    rows+=("$line")
  done
done
# median TARGET: deliveries/s of the median run of TARGET (the lower middle one for an even RUNS).
median() {
  local l
  for l in "${rows[@]}"; do
    if [ "$(field target "$l")" = "\"$1\"" ]; then field deliveries_per_s "$l"; fi
  done |
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

sb=${rows[0]}
printf '\nS1 fan-out, %s subscribers, window %s, %s-byte payloads, %s s measured per run (server core %s, loadgen core %s)\n' \
  "$(field subscribers "$sb")" "$(field window "$sb")" "$(field payload_bytes "$sb")" "$(field measured_s "$sb")" \
  "${pin_server[2]:-any}" "${pin_loadgen[2]:-any}"
printf '%-12s %14s %8s %10s %7s %12s %11s %18s\n' target deliveries/s lost reordered closed "loadgen CPU" "server CPU" "latency p50/p99 us"
for l in "${rows[@]}"; do
  # Without a publisher (the blasters) the send time is when a batch was built, so "latency" is only how long
  # frames sat in socket buffers: not shown.
  latency="$(field p50 "$l")/$(field p99 "$l")"; [ "$(field publisher "$l")" = true ] || latency=-
  printf '%-12s %14s %8s %10s %7s %11s%% %10s%% %18s\n' "$(field target "$l" | tr -d '"')" "$(field deliveries_per_s "$l")" \
    "$(field lost "$l")" "$(field reordered "$l")" "$(field closed "$l")" "$(field loadgen_cpu_pct "$l")" \
    "$(field server_cpu_pct "$l")" "$latency"
  [ "$(close_codes "$l")" = "{}" ] || echo "  closed by the server, by code: $(close_codes "$l")"
done
echo "blaster-1: the blaster writing one frame per send(), as switchboard does today"
sb_median=$(median switchboard)
echo "median of $RUNS: switchboard $sb_median, blaster $(median blaster), blaster-1 $(median blaster-1) deliveries/s;" \
  "ceiling / switchboard: $(awk -v a="$(median blaster)" -v b="$sb_median" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }')"
echo "switchboard log lines at warn or above: $server_warnings ($logs/switchboard-warnings.log)"
echo "results: $results"
