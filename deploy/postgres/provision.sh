#!/usr/bin/env bash
# provision.sh (installed as /usr/share/federation/provision.sh): the
# PostgreSQL side of an installation, run once by an administrator and again
# after an upgrade that adds a service. Idempotent.
#
# For each gRPC service of topology.txt it makes two login roles,
# <name>_owner (owns the schema <name>, applies the migrations the service
# carries) and <name>_app (the DML the migrations grant, nothing else), with
# random passwords kept in pgpass files of $FED_SECRETS_DIR (0600, owned by
# the federation user, the directory 0700): the URLs of /etc/federation/*.env
# name these files, so no password is in a unit, an env file or a command
# line. It creates the database if missing and each service's schema in it
# (provision.sql beside this script).
#
# Usage, as root on a server that has the pgpass files (or should get them):
#   /usr/share/federation/provision.sh
#       PostgreSQL on this machine: psql as the postgres user over the socket.
#   FED_PG_ADMIN='host=db1,db2,db3 port=5432 user=postgres target_session_attrs=read-write sslmode=verify-full' \
#     /usr/share/federation/provision.sh
#       A Patroni cluster or a managed server: an administrator's libpq
#       connection string (keyword=value form; its password from ~/.pgpass
#       or PGPASSWORD), written to the primary whichever member it is.
# Then copy $FED_SECRETS_DIR to the other servers as it is (same owner and
# modes): every server's services log in with the same passwords.
#
# Environment: FED_PG_ADMIN (above), FED_DB_NAME (default federation),
# FED_SECRETS_DIR (default /etc/federation/secrets), FED_SERVICE_USER
# (default federation: owns the pgpass files).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly HERE
readonly DB_NAME="${FED_DB_NAME:-federation}"
readonly SECRETS_DIR="${FED_SECRETS_DIR:-/etc/federation/secrets}"
readonly SERVICE_USER="${FED_SERVICE_USER:-federation}"
readonly PG_ADMIN="${FED_PG_ADMIN:-}"

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# The installed layout keeps topology.txt and provision.sql beside this
# script; the source tree keeps them in deploy/ and deploy/postgres/.
find_beside() {
  local file
  for file in "$HERE/$1" "$HERE/../$1"; do
    [[ -r $file ]] && {
      printf '%s' "$file"
      return 0
    }
  done
  die "cannot find $1 beside $HERE"
}

# The gRPC services of topology.txt (the dashboard keeps no data).
grpc_services() {
  local line name port kind
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%%#*}
    read -r name port kind _ <<<"$line" || true
    [[ -n $name && $kind == grpc ]] && printf '%s\n' "$name"
  done <"$(find_beside topology.txt)"
}

# The administrator's psql on database $1, further arguments after it.
# Without FED_PG_ADMIN: the postgres user over the local socket (peer
# authentication), from / so that it does not warn about our cwd.
admin_psql() {
  local db=$1
  shift
  if [[ -n $PG_ADMIN ]]; then
    # In a connection string the last dbname given wins.
    psql -X -q -v ON_ERROR_STOP=1 -d "$PG_ADMIN dbname=$db" "$@"
  else
    [[ $EUID -eq 0 ]] || die "run as root, or give FED_PG_ADMIN an administrator's connection string"
    (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@")
  fi
}

passfile() { printf '%s/%s.pgpass' "$SECRETS_DIR" "$1"; }

# A random password for role $1 in its pgpass file, unless it has one
# already (a second run, or files copied from the first server).
ensure_passfile() {
  local file tmp
  file=$(passfile "$1")
  [[ -s $file ]] && return 0
  tmp="$file.tmp.$$"
  (
    umask 077
    printf '*:*:*:%s:%s\n' "$1" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" >"$tmp"
  )
  mv -f "$tmp" "$file"
}

# libpq ignores a pgpass file that others may read, and the services run as
# $SERVICE_USER: the directory and files are theirs alone.
secure_secrets() {
  chmod 700 "$SECRETS_DIR"
  chmod 600 "$SECRETS_DIR"/*.pgpass
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    chown -R "$SERVICE_USER:$SERVICE_USER" "$SECRETS_DIR"
  else
    log "no user $SERVICE_USER here: $SECRETS_DIR stays $(id -un)'s (install the package first)"
  fi
}

# Every role exists with its file's password. The passwords reach psql on
# its standard input and the session logs no statement (when the
# administrator may say so), so none lands in the server's log.
ensure_roles() {
  local role password
  {
    echo "SELECT rolsuper AS is_super FROM pg_roles WHERE rolname = current_user \\gset"
    echo "\\if :is_super"
    echo "SET log_statement = 'none';"
    echo "SET log_min_error_statement = 'panic';"
    echo "\\endif"
    for role in "$@"; do
      password=$(cut -d: -f5- "$(passfile "$role")")
      echo "\\set role $role"
      echo "\\set password $password"
      echo "SELECT format('CREATE ROLE %I LOGIN', :'role')"
      echo "  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec"
      echo "ALTER ROLE :\"role\" PASSWORD :'password';"
      # A managed server's administrator is no superuser: handing a schema
      # to a role (provision.sql) needs membership in it.
      echo "\\if :is_super"
      echo "\\else"
      echo "GRANT :\"role\" TO CURRENT_USER;"
      echo "\\endif"
    done
  } | admin_psql postgres >/dev/null
}

ensure_database() {
  local exists
  exists=$(admin_psql postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
  if [[ $exists != 1 ]]; then
    log "creating database $DB_NAME"
    admin_psql postgres -c "CREATE DATABASE \"$DB_NAME\""
  fi
}

provision_schemas() {
  local name sql
  sql=$(find_beside provision.sql)
  for name in "$@"; do
    admin_psql "$DB_NAME" -v schema="$name" -v owner="${name}_owner" -f "$sql" >/dev/null
  done
}

main() {
  [[ $DB_NAME =~ ^[a-z_][a-z0-9_]*$ ]] || die "FED_DB_NAME must be a plain identifier, got '$DB_NAME'"
  command -v psql >/dev/null || die "psql is missing (apt-get install postgresql-client)"
  local -a services roles
  mapfile -t services < <(grpc_services)
  ((${#services[@]} > 0)) || die "topology.txt lists no gRPC service"
  local name
  for name in "${services[@]}"; do roles+=("${name}_owner" "${name}_app"); done

  mkdir -p "$SECRETS_DIR"
  local role
  for role in "${roles[@]}"; do ensure_passfile "$role"; done
  secure_secrets
  log "roles ${roles[*]}"
  ensure_roles "${roles[@]}"
  ensure_database
  log "schemas ${services[*]} in database $DB_NAME"
  provision_schemas "${services[@]}"
  log "done: the services migrate their schemas when they start (systemctl start federation.target)"
}

main "$@"
