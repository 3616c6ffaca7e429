#!/usr/bin/env bash
# tools/ha's test helpers, as the C++ failover test calls them: a private
# three-member Patroni cluster in a temporary directory comes up with the
# suite's roles and schemas; rows written before the primary is SIGKILLed
# are all on the new primary, writes go on through the multi-host URL, the
# killed member rejoins, a switchover moves the primary to the synchronous
# standby, and cluster-down leaves no process behind. About a minute.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
ha="$root/tools/ha"
work=$(mktemp -d)
cleanup() {
  "$ha" cluster-down "$work" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for log in "$work"/logs/pg?.log; do
    [[ -r $log ]] || continue
    echo "--- last lines of $log ---"
    tail -n 15 "$log"
  done
  exit 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Eight free ports in a row, away from tools/dev's and tools/ha's defaults.
base=""
for candidate in $(seq 54100 10 54600); do
  ok=1
  for offset in 0 1 2 3 4 5 6 7; do
    port_free $((candidate + offset)) || ok=0
  done
  ((ok)) && base=$candidate && break
done
[[ -n $base ]] || fail "no eight free ports between 54100 and 54607"

start=$SECONDS
read -r primary primary_port < <("$ha" cluster-up "$work" "$base" 2>"$work/up.err") ||
  { cat "$work/up.err"; fail "cluster-up failed"; }
[[ $primary =~ ^pg[123]$ && $primary_port =~ ^[0-9]+$ ]] || fail "cluster-up printed '$primary $primary_port'"
echo "cluster up in $((SECONDS - start)) s, primary $primary on $primary_port"

admin=$("$ha" url "$work" federation postgres)
[[ $admin == postgresql://federation@127.0.0.1:$((base + 2)),127.0.0.1:$((base + 3)),127.0.0.1:$((base + 4))/postgres\?target_session_attrs=read-write* ]] ||
  fail "unexpected URL $admin"
sql() { psql -X -q -v ON_ERROR_STOP=1 -tA -d "$admin" -c "$1"; }

# The roles and schemas of tools/dev: each service's owner owns its schema,
# and its runtime role logs in with the password of its passfile.
federation=$("$ha" url "$work" federation federation)
for service in registry aggregator reporting competition ranking emulation; do
  owner=$(psql -X -tA -d "$federation" -c "select nspowner::regrole from pg_namespace where nspname = '$service'")
  [[ $owner == "${service}_owner" ]] || fail "schema $service is owned by '$owner'"
  who=$(psql -X -tA -d "$("$ha" url "$work" "${service}_app" federation)" -c "select current_user") ||
    fail "${service}_app cannot log in"
  [[ $who == "${service}_app" ]] || fail "logged in as '$who'"
done
[[ $(stat -c %a "$work/secrets/replicator.pgpass") == 600 ]] || fail "replicator.pgpass is not 0600"

sql "create table acked (id int primary key)"
for i in $(seq 1 50); do sql "insert into acked values ($i)"; done

killed=$("$ha" kill-primary "$work")
[[ $killed == "$primary $primary_port" ]] || fail "kill-primary said '$killed', the primary was '$primary $primary_port'"
start=$SECONDS
read -r new new_port < <("$ha" wait-primary "$work" 90) || fail "no new primary"
[[ $new != "$primary" ]] || fail "the killed member $primary is the primary again"
until sql "insert into acked values (51)" 2>/dev/null; do
  ((SECONDS - start < 90)) || fail "no write within 90 s of the kill"
  sleep 0.2
done
echo "new primary $new after the kill; first write $((SECONDS - start)) s after it"
[[ $(sql "select count(*) from acked") == 51 ]] || fail "rows lost: $(sql "select count(*) from acked") of 51"

"$ha" restart-member "$work" "$primary" 2>/dev/null || fail "$primary did not rejoin"
[[ $("$ha" primary "$work") == "$new $new_port" ]] || fail "the primary changed when $primary rejoined"

read -r switched _ < <("$ha" switchover "$work" 2>"$work/switchover.err") ||
  { cat "$work/switchover.err"; fail "switchover failed"; }
[[ $switched != "$new" ]] || fail "switchover left $new the primary"
[[ $("$ha" primary "$work") == "$switched "* ]] || fail "primary is not $switched after the switchover"
sql "insert into acked values (52)" || fail "no write after the switchover"
[[ $(sql "select count(*) from acked") == 52 ]] || fail "rows lost in the switchover"
echo "switched over to $switched"

"$ha" cluster-down "$work" 2>/dev/null
for pidfile in "$work"/pids/*.pid; do
  [[ -r $pidfile ]] || continue
  ! kill -0 "$(<"$pidfile")" 2>/dev/null || fail "$(basename "$pidfile" .pid) still runs after cluster-down"
done
for offset in 0 2 3 4 5 6 7; do
  port_free $((base + offset)) || fail "port $((base + offset)) still taken after cluster-down"
done
echo "ok"
