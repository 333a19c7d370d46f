#!/usr/bin/env bash
# Peer "nats": nats-server (Debian's, 2.9) with a WebSocket listener on 127.0.0.1:PORT, for the same S1 job in
# NATS's own terms (subjects, no server seq, PUB + PING/PONG as the ack: bench/peers/README.md).
#
#   bench/peers/nats.sh [--port P] [--host H]     (P 0, the default: any free port)
#
# Prints `nats listening on HOST:PORT` once the WebSocket listener is up, then serves until SIGTERM/SIGINT,
# which it passes on to nats-server. The configuration is generated into a temporary directory, removed on
# exit; nats-server's log goes to stderr.
set -euo pipefail

host=127.0.0.1
port=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --host) host="$2"; shift 2 ;;
    *) echo "usage: $0 [--port P] [--host H]" >&2; exit 2 ;;
  esac
done
command -v nats-server >/dev/null || { echo "nats.sh: nats-server not found (apt-get install nats-server)" >&2; exit 1; }
# NATS takes -1 for "any free port" (its 0 means "the default port").
[[ "$port" == 0 ]] && port=-1

dir=$(mktemp -d)
server_pid=
cleanup() {
  set +e  # nats-server may be gone already (a signal to the whole process group), and its status is not ours.
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 0' TERM INT

# The plain NATS client port is required by nats-server; it is put on a free loopback port and not used.
# ping_interval: server PINGs stay out of the measured seconds (as the socket.io peer's pingInterval).
# max_pending: the per-client outbound cap (64 MiB is the default, stated here because it is what keeps S1
# from closing a subscriber as a slow consumer).
cat > "$dir/nats.conf" <<CONF
listen: "127.0.0.1:-1"
max_payload: 1MB
max_pending: 64MB
ping_interval: "10m"
websocket {
  listen: "$host:$port"
  no_tls: true
  compression: false
}
CONF

mkfifo "$dir/log"
nats-server -c "$dir/nats.conf" 2>"$dir/log" &
server_pid=$!
# nats-server logs "Listening for websocket clients on ws://HOST:PORT" (the port is read there), then "Server is
# ready" once every listener accepts: the ready line goes out then, and its log keeps going to stderr.
# (The reader is a subshell: it leaves a file behind to say it announced.)
while IFS= read -r line; do
  printf '%s\n' "$line" >&2
  if [[ "$line" =~ Listening\ for\ websocket\ clients\ on\ ws://(.*):([0-9]+) ]]; then
    address="${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
  elif [[ ! -e "$dir/announced" && -n "${address:-}" && "$line" == *"Server is ready"* ]]; then
    echo "nats listening on $address"
    touch "$dir/announced"
  fi
done < "$dir/log" &
reader_pid=$!
wait "$server_pid" || true
server_pid=
wait "$reader_pid" || true
[[ -e "$dir/announced" ]] || { echo "nats.sh: nats-server exited before its WebSocket listener was up" >&2; exit 1; }
