#!/usr/bin/env bash
# tools/dev with a port taken: it names the port, the service and the
# variable that moves it, and starts nothing. Runs only `tools/dev ports`
# (the check `up` makes first), so nothing is installed, built or started.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
work=$(mktemp -d)
listener=""
cleanup() {
  [[ -z $listener ]] || kill "$listener" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Something else listening on a spare loopback port.
node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port));" \
  >"$work/port" &
listener=$!
for _ in $(seq 100); do
  [[ -s $work/port ]] && break
  sleep 0.1
done
busy=$(<"$work/port")
[[ $busy =~ ^[0-9]+$ ]] || { echo "FAIL: the listener did not start"; exit 1; }

fail() {
  echo "FAIL: $*"
  echo "--- output ---"
  cat "$work/out"
  exit 1
}

# The registry's port taken.
if FED_REGISTRY_PORT=$busy "$root/tools/dev" ports >"$work/out" 2>&1; then
  fail "tools/dev ports succeeded with port $busy taken"
fi
grep -qF "port $busy (registry) is busy" "$work/out" || fail "the busy port and its service are not named"
grep -qF "FED_REGISTRY_PORT=" "$work/out" || fail "FED_REGISTRY_PORT is not suggested"
grep -qF "nothing was started" "$work/out" || fail "it does not say that nothing was started"

# The dashboard's HTTP port taken.
if FED_DASHBOARD_PORT=$busy "$root/tools/dev" ports >"$work/out" 2>&1; then
  fail "tools/dev ports succeeded with the dashboard's port $busy taken"
fi
grep -qF "port $busy (dashboard) is busy" "$work/out" || fail "the dashboard's busy port is not named"
grep -qF "FED_DASHBOARD_PORT=" "$work/out" || fail "FED_DASHBOARD_PORT is not suggested"

# Two services given the same port.
if FED_REGISTRY_PORT=$busy FED_DASHBOARD_PORT=$busy "$root/tools/dev" ports >"$work/out" 2>&1; then
  fail "tools/dev ports accepted one port for two services"
fi
grep -qF "FED_DASHBOARD_PORT and FED_REGISTRY_PORT both name port $busy" "$work/out" ||
  fail "the clash of two variables is not named"

echo "ok"
