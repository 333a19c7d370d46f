#!/usr/bin/env bash
# bench/run.sh: issue 6's one command. Builds the release switchboard and the bench programs, installs the
# peers, runs scenarios S1 to S4 against Switchboard and the peers back to back (each run on a fresh server
# process), runs the microbenchmarks, and writes docs/benchmarks.md with bench/report.mjs. bench/README.md says
# what runs, for how long, and how to read the output. Usage:
#
#   bench/run.sh                                   everything: RUNS=3, 1 s warm-up + 5 s measured per run
#   RUNS=1 DURATION=1 WARMUP=0.5 bench/run.sh      a short trial (the report says it is one)
#   SCENARIOS="s1 s3" TARGETS="switchboard uws" bench/run.sh
#
# Environment (defaults in brackets): BUILD_DIR [build/bench]; RUNS [3] runs per target in S1, S2 and S4
# (S4_RUNS overrides it for S4), interleaved by round; DURATION [5] and WARMUP [1] seconds of S1, S2 and S4;
# IDLE [2] seconds of S3; S3_CONNECTIONS [19900]; SCENARIOS [s1 s2 s3 s4 micro]; TARGETS [switchboard uws nats
# ws socketio blaster blaster-1] (the blasters run in S1 only); UNPINNED_TARGETS [switchboard uws]: S1 again
# with nothing pinned; PIN [1] (0: nothing pinned anywhere); SERVER_CORE [0], LOADGEN_CORE [1];
# S1_ARGS ... S4_ARGS: extra loadgen options for that scenario; MICRO_MIN_TIME [0.2]; REPORT [docs/benchmarks.md]
# (REPORT= writes no report).
#
# Every loadgen JSON line, prefixed with a "run" object (round, pinning, exit status, exact commands), goes to
# $BUILD_DIR/bench-results-<timestamp>.jsonl (bench-results.jsonl links to the latest), with "meta" lines for the
# machine, the settings, notes and failures, and the microbenchmarks' output; server and loadgen logs go to
# $BUILD_DIR/bench-logs/<timestamp>/ (bench-logs/latest links to it).
#
# Exit status: 0 when every step ran, whatever the results (read the tables: loss, unclean runs); 1 when a server
# did not start, died during a run, or loadgen gave no result (the other runs still happen); the build or the
# peers' installation failing stops everything with a non-zero status.
set -Eeuo pipefail
trap 'echo "run.sh: stopped by a failing command at line $LINENO (status $?)" >&2' ERR

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
BUILD_DIR=${BUILD_DIR:-build/bench}
RUNS=${RUNS:-3}
S4_RUNS=${S4_RUNS:-$RUNS}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
IDLE=${IDLE:-2}
S3_CONNECTIONS=${S3_CONNECTIONS:-19900}
SCENARIOS=${SCENARIOS:-s1 s2 s3 s4 micro}
TARGETS=${TARGETS:-switchboard uws nats ws socketio blaster blaster-1}
UNPINNED_TARGETS=${UNPINNED_TARGETS:-switchboard uws}
PIN=${PIN:-1}
SERVER_CORE=${SERVER_CORE:-0}
LOADGEN_CORE=${LOADGEN_CORE:-1}
MICRO_MIN_TIME=${MICRO_MIN_TIME:-0.2}
REPORT=${REPORT-docs/benchmarks.md}
read -r -a s1_args <<<"${S1_ARGS:-}"
read -r -a s2_args <<<"${S2_ARGS:-}"
read -r -a s3_args <<<"${S3_ARGS:-}"
read -r -a s4_args <<<"${S4_ARGS:-}"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
has() { [[ " $1 " == *" $2 "* ]]; }  # has LIST WORD

# --- Build -------------------------------------------------------------------------------------------------
generator=(); command -v ninja >/dev/null && generator=(-G Ninja)
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
configure=(cmake -S . -B "$BUILD_DIR" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release
           -DSWITCHBOARD_BENCH=ON -DSWITCHBOARD_BUILD_TESTS=OFF)
build=(cmake --build "$BUILD_DIR" -j "$(nproc)" --target switchboard loadgen blaster micro)
echo "run.sh: building in $BUILD_DIR"
"${configure[@]}" >/dev/null
"${build[@]}" >/dev/null

logs="$BUILD_DIR/bench-logs/$stamp"
mkdir -p "$logs"
ln -sfn "$stamp" "$BUILD_DIR/bench-logs/latest"
results="$BUILD_DIR/bench-results-$stamp.jsonl"
: >"$results"
ln -sfn "$(basename "$results")" "$BUILD_DIR/bench-results.jsonl"

# json STRING: STRING as a JSON string (commands and notes hold no control characters).
json() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
note() { echo "run.sh: $1" >&2; echo "{\"meta\":\"note\",\"text\":$(json "$1")}" >>"$results"; }
failures=0
failure() { failures=$((failures + 1)); echo "run.sh: FAILED: $1" >&2; echo "{\"meta\":\"failure\",\"text\":$(json "$1")}" >>"$results"; }

# --- Peers -------------------------------------------------------------------------------------------------
peers=bench/peers
node_targets=""
for t in uws ws socketio; do has "$TARGETS" "$t" && node_targets+=" $t"; done
if [ -n "$node_targets" ]; then
  stamp_file=$peers/node_modules/.package-lock.json
  if [ ! -e "$stamp_file" ] || [ "$peers/package-lock.json" -nt "$stamp_file" ]; then
    echo "run.sh: npm ci in $peers"
    (cd "$peers" && npm ci --no-audit --no-fund) >"$logs/npm-ci.log" 2>&1 ||
      { echo "run.sh: npm ci failed; see $logs/npm-ci.log" >&2; tail -5 "$logs/npm-ci.log" >&2; exit 1; }
  fi
fi
if has "$TARGETS" nats && ! command -v nats-server >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "run.sh: apt-get install -y nats-server"
    { apt-get install -y nats-server || { apt-get update && apt-get install -y nats-server; }; } >"$logs/apt.log" 2>&1 || true
  fi
  command -v nats-server >/dev/null || { TARGETS=$(sed 's/\bnats\b//' <<<"$TARGETS")
    note "nats-server is not installed (and could not be: run as root, or apt-get install nats-server): nats skipped"; }
fi

# --- Descriptors and cores ---------------------------------------------------------------------------------
# S3 needs ~19,900 descriptors in the server and in loadgen; both inherit this shell's limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
if [ "$fd_limit" != unlimited ] && [ "$S3_CONNECTIONS" -gt $((fd_limit - 100)) ]; then
  has "$SCENARIOS" s3 && note "S3: the descriptor limit is $fd_limit: $((fd_limit - 100)) connections instead of $S3_CONNECTIONS"
  S3_CONNECTIONS=$((fd_limit - 100))
fi
if [ "$PIN" != 0 ] && { [ "$(nproc)" -lt 2 ] || ! command -v taskset >/dev/null; }; then
  note "fewer than 2 cores or no taskset: nothing is pinned"; PIN=0
fi
[ "$PIN" = 0 ] && UNPINNED_TARGETS=""  # every run is unpinned already

# --- The settings and the machine, for the report -----------------------------------------------------------
{
  printf '{"meta":"settings","stamp":"%s","runs":%s,"s4_runs":%s,"duration_s":%s,"warmup_s":%s,"idle_s":%s,' \
    "$stamp" "$RUNS" "$S4_RUNS" "$DURATION" "$WARMUP" "$IDLE"
  printf '"s3_connections":%s,"scenarios":%s,"targets":%s,"unpinned_targets":%s,"pin":%s,' \
    "$S3_CONNECTIONS" "$(json "$SCENARIOS")" "$(json "$TARGETS")" "$(json "$UNPINNED_TARGETS")" \
    "$([ "$PIN" = 0 ] && echo false || echo true)"
  printf '"server_core":%s,"loadgen_core":%s,"fd_limit":%s,"extra_args":{"s1":%s,"s2":%s,"s3":%s,"s4":%s},' \
    "$SERVER_CORE" "$LOADGEN_CORE" "$(json "$fd_limit")" "$(json "${S1_ARGS:-}")" "$(json "${S2_ARGS:-}")" \
    "$(json "${S3_ARGS:-}")" "$(json "${S4_ARGS:-}")"
  printf '"build":[%s,%s]}\n' "$(json "${configure[*]}")" "$(json "${build[*]}")"
} >>"$results"
node bench/report.mjs --describe-machine --build-dir "$BUILD_DIR" >>"$results"

# --- Servers -----------------------------------------------------------------------------------------------
server_pid=""   # the process started (taskset execs, so it is the server itself, or nats.sh)
measured_pid="" # the process whose CPU and RSS loadgen reads (nats-server under nats.sh)
stop() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$server_pid" || break; sleep 0.1; done
  if alive "$server_pid"; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  wait "$server_pid" 2>/dev/null || true
  if [ "$measured_pid" != "$server_pid" ] && alive "$measured_pid"; then kill -KILL "$measured_pid" 2>/dev/null || true; fi
  server_pid=""; measured_pid=""
}
trap stop EXIT
# alive PID: the process exists and has not exited (an exited child stays a zombie until waited for).
alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# start TARGET PINNED NAME: starts TARGET's server (pinned to SERVER_CORE when PINNED is true), output to
# $logs/NAME.{out,err}; waits for its ready line and sets port, server_pid, measured_pid, server_command.
# Returns 1 if it did not come up within 15 s.
start() {
  local target=$1 pinned=$2 name=$3 pattern cmd
  case $target in
    switchboard) cmd=("$BUILD_DIR/switchboard" --host 127.0.0.1 --port 0 --threads 1 --log-level warn)
                 pattern='s|.*listening on http://[^:]*:\([0-9]*\).*|\1|p' ;;
    uws|ws|socketio) cmd=(node "$peers/$target.mjs" --port 0) ;;
    nats) cmd=("$peers/nats.sh" --port 0) ;;
    blaster) cmd=("$BUILD_DIR/bench/blaster" --host 127.0.0.1 --port 0) ;;
    blaster-1) cmd=("$BUILD_DIR/bench/blaster" --host 127.0.0.1 --port 0 --batch 1) ;;
  esac
  [ -n "${pattern:-}" ] || pattern="s|^${target%-1} listening on [^:]*:\([0-9]*\)\$|\1|p"
  [ "$pinned" = true ] && cmd=(taskset -c "$SERVER_CORE" "${cmd[@]}")
  server_command="${cmd[*]}"
  : >"$logs/$name.out"
  "${cmd[@]}" >>"$logs/$name.out" 2>"$logs/$name.err" &
  server_pid=$!; measured_pid=$server_pid; port=""
  for _ in $(seq 150); do
    port=$(sed -n "$pattern" "$logs/$name.out"); port=${port%%$'\n'*}
    [ -n "$port" ] && break
    alive "$server_pid" || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "run.sh: $target did not print its port; the end of its stderr:" >&2; tail -5 "$logs/$name.err" >&2
    stop; return 1
  fi
  if [ "$target" = nats ]; then
    measured_pid=$(pgrep -P "$server_pid" -x nats-server | head -1)
    [ -n "$measured_pid" ] || { echo "run.sh: no nats-server under nats.sh" >&2; stop; return 1; }
  fi
}

protocol_of() { case $1 in socketio) echo socketio ;; nats) echo nats ;; *) echo switchboard ;; esac; }

# run SCENARIO TARGET ROUND PINNED [loadgen options]: one run on a fresh server; its JSON line, prefixed with a
# "run" object, goes to $results.
run() {
  local scenario=$1 target=$2 round=$3 pinned=$4; shift 4
  local name="$scenario-$target-r$round"; [ "$pinned" = true ] || name+=-unpinned
  local t0=$SECONDS
  if ! start "$target" "$pinned" "$name"; then failure "$name: the server did not start"; return 0; fi
  local lg=("$BUILD_DIR/bench/loadgen" --port "$port" --server-pid "$measured_pid" --scenario "$scenario"
            --protocol "$(protocol_of "$target")" --label "$target" "$@")
  [ "$pinned" = true ] && lg=(taskset -c "$LOADGEN_CORE" "${lg[@]}")
  local line rc=0
  line=$("${lg[@]}" 2>"$logs/$name.loadgen.err") || rc=$?
  local exited_early=false; alive "$server_pid" || exited_early=true
  stop
  local warnings=0
  [ "$target" = switchboard ] && warnings=$(grep -cE 'level=(warn|error)' "$logs/$name.err" || true)
  local summary; summary=$(tail -1 "$logs/$name.loadgen.err")
  printf 'run.sh: %-26s %3ss  %s\n' "$name" $((SECONDS - t0)) "$summary" >&2
  local prefix
  prefix=$(printf '{"run":{"name":"%s","round":%s,"pinned":%s,"loadgen_exit":%s,"server_exited_early":%s,"server_warnings":%s,"server_command":%s,"loadgen_command":%s}' \
    "$name" "$round" "$pinned" "$rc" "$exited_early" "$warnings" "$(json "$server_command")" "$(json "${lg[*]}")")
  if [[ "$line" == "{"*"}" ]]; then
    echo "$prefix,${line#\{}" >>"$results"
  else
    echo "$prefix,\"scenario\":\"$scenario\",\"target\":\"$target\",\"error\":\"loadgen gave no result (exit $rc)\"}" >>"$results"
    failure "$name: loadgen gave no result (exit $rc): $summary"
  fi
  [ "$exited_early" = false ] || failure "$name: the server exited during the run (see $logs/$name.err)"
}

pinned=true; [ "$PIN" = 0 ] && pinned=false
timing=(--warmup "$WARMUP" --duration "$DURATION")
peers_only() { local t out=""; for t in $TARGETS; do [[ $t == blaster* ]] || out+=" $t"; done; echo "$out"; }

# S1: every target RUNS times, interleaved by round (a slow drift of the machine hits every target alike),
# the blasters with --no-publisher (loadgen's ceiling), and the unpinned runs in the same rounds.
if has "$SCENARIOS" s1; then
  for round in $(seq "$RUNS"); do
    for t in $TARGETS; do
      if [[ $t == blaster* ]]; then run s1 "$t" "$round" "$pinned" "${timing[@]}" --no-publisher "${s1_args[@]}"
      else run s1 "$t" "$round" "$pinned" "${timing[@]}" "${s1_args[@]}"; fi
    done
    for t in $UNPINNED_TARGETS; do
      has "$TARGETS" "$t" && run s1 "$t" "$round" false "${timing[@]}" "${s1_args[@]}"
    done
  done
fi
if has "$SCENARIOS" s2; then
  for round in $(seq "$RUNS"); do
    for t in $(peers_only); do run s2 "$t" "$round" "$pinned" "${timing[@]}" "${s2_args[@]}"; done
  done
fi
if has "$SCENARIOS" s3; then
  for t in $(peers_only); do
    run s3 "$t" 1 "$pinned" --connections "$S3_CONNECTIONS" --idle "$IDLE" "${s3_args[@]}"
  done
fi
if has "$SCENARIOS" s4; then
  for round in $(seq "$S4_RUNS"); do
    for t in $(peers_only); do run s4 "$t" "$round" "$pinned" "${timing[@]}" "${s4_args[@]}"; done
  done
fi
if has "$SCENARIOS" micro; then
  micro=("$BUILD_DIR/bench/micro" "--benchmark_min_time=$MICRO_MIN_TIME")
  [ "$pinned" = true ] && micro=(taskset -c "$SERVER_CORE" "${micro[@]}")
  echo "run.sh: ${micro[*]}" >&2
  if "${micro[@]}" >"$logs/micro.txt" 2>"$logs/micro.err"; then
    node -e 'const fs = require("fs");
      console.log(JSON.stringify({meta: "micro", command: process.argv[1], output: fs.readFileSync(process.argv[2], "utf8"),
                                  stderr: fs.readFileSync(process.argv[3], "utf8")}));' \
      "${micro[*]}" "$logs/micro.txt" "$logs/micro.err" >>"$results"
  else
    failure "micro exited with $? (see $logs/micro.err)"
  fi
fi

elapsed=$((SECONDS))
echo "{\"meta\":\"end\",\"elapsed_s\":$elapsed,\"failures\":$failures}" >>"$results"
echo "run.sh: done in $((elapsed / 60)) min $((elapsed % 60)) s; results: $results; logs: $logs" >&2
if [ -n "$REPORT" ]; then
  node bench/report.mjs "$results" --out "$REPORT"
fi
exit $((failures > 0))
