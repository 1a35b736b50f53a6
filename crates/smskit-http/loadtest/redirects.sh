#!/usr/bin/env bash
# Load test of short-link redirects with click recording on SQLite (issue 13's figure): a
# release `smskit serve` on a SQLite file holding one mailing of 10,000 recipients with a
# tracked link, their personal links tapped at random over loopback, in two phases:
#
# 1. every click recorded, and latency at a set rate: `oha` sends RATE requests per second (an open loop, its latency
#    corrected for coordinated omission) until it has sent RATE x SECONDS; every one must be
#    a 302 and the store must then hold exactly that many clicks;
# 2. throughput and latency with `wrk` (a closed loop: each connection sends its next request
#    when answered) for SECONDS, with 16, 32 and 64 connections; the store must
#    hold at least the clicks the server answered (requests wrk cuts off at its end may be
#    recorded without an answer; an answered redirect is always a recorded click).
#
# oha's own pauses (a worker of it running 18 ms straight was seen with `perf sched`) land in
# its corrected latencies; wrk's figures are the server's.
#
#   bash crates/smskit-http/loadtest/redirects.sh [RATE=10000] [SECONDS=30] [CONNECTIONS=64]
#
# Needs `oha` (cargo install oha --locked), Debian's `wrk` and python3 (its sqlite3 module).
# Run it on a quiet machine: the server and the load generator share the cores.
set -euo pipefail

rate=${1:-10000}
seconds=${2:-30}
connections=${3:-64}
recipients=${RECIPIENTS:-10000}
port=${PORT:-18080}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --locked -p smskit-cli --manifest-path "$root/Cargo.toml" >&2
smskit=${CARGO_TARGET_DIR:-$root/target}/release/smskit
base="http://127.0.0.1:$port"
export SMSKIT_DB="$work/load.db"

python3 - "$work/contacts.csv" "$recipients" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    out.write("name,phone,country\n")
    for i in range(int(sys.argv[2])):
        out.write(f"Contact {i},+3247{i:07d},BE\n")
PY
"$smskit" contacts import "$work/contacts.csv" --country BE --list Load > /dev/null
"$smskit" mailing create --name load --list Load --link-base "$base" \
  --body "Spring sale: https://shop.example/spring?ref=sms" > /dev/null
"$smskit" mailing send 1 --provider file --outbox "$work/outbox" > /dev/null
grep -rhoE "$base/r/[A-Za-z0-9]+/s/[A-Za-z0-9]+" "$work/outbox" | sort -u > "$work/urls"
sed "s|^$base||" "$work/urls" > "$work/paths"
echo "personal links: $(wc -l < "$work/urls")" >&2

clicks() {
  python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM clicks").fetchone()[0])' "$SMSKIT_DB"
}
answered() {
  curl -fs "$base/metrics" | awk '/^smskit_redirects_total/ { sum += $2 } END { print sum + 0 }'
}

SMSKIT_ADMIN_TOKEN=load "$smskit" serve --listen "127.0.0.1:$port" --public-url "$base" 2> /dev/null &
server=$!
for _ in $(seq 100); do
  curl -fs "$base/healthz" > /dev/null 2>&1 && break
  sleep 0.1
done

requests=$((rate * seconds))
echo "== phase 1: $requests requests at $rate/s, $connections connections (oha)" >&2
oha -n "$requests" -q "$rate" -c "$connections" --latency-correction --no-tui --redirect 0 \
  --urls-from-file "$work/urls" > "$work/oha.txt"
grep -E "Success rate|Requests/sec|Slowest|Average|(50|90|99|99\.90|99\.99)\.?[0-9]*% in|\[[0-9]+\]" "$work/oha.txt"
redirected=$(awk '/\[302\]/ { print $2 }' "$work/oha.txt")
recorded=$(clicks)
echo "302 answers: ${redirected:-0} of $requests; clicks in the store: $recorded" >&2
if [ "${redirected:-0}" != "$requests" ] || [ "$recorded" != "$requests" ]; then
  echo "phase 1: not every request was redirected and recorded" >&2
  exit 1
fi

for closed in 16 32 64; do
  echo "== phase 2: as fast as answered for ${seconds}s, $closed connections (wrk)" >&2
  PATHS="$work/paths" wrk -t2 -c"$closed" -d"${seconds}s" --latency \
    -s "$here/redirects.lua" "$base"
done
sleep 1 # the requests wrk cut off at its end are still answered (and counted) by the server
total=$(answered)
kill -TERM "$server"
wait "$server"
server=
recorded=$(clicks)
echo "redirects answered: $total; clicks in the store: $recorded" >&2
if [ "$recorded" -lt "$total" ]; then
  echo "clicks lost: $((total - recorded))" >&2
  exit 1
fi
