#!/usr/bin/env bash
# Starts an Acorn cluster on 127.0.0.1 with one command: PostgreSQL (a throwaway instance: temp data directory, free
# port), 3 silos (src/Acorn.Orleans.Silo) with PostgreSQL clustering and grain storage, and Acorn.Server --store orleans.
# Ctrl-C (or SIGTERM) stops all of them by PID and deletes the temp directory (KEEP=1 keeps it).
# Needs: the .NET 10 SDK, PostgreSQL's server and client (Debian: apt-get install postgresql postgresql-client).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
silos=${SILOS:-3}

fail() { echo "run.sh: $*" >&2; exit 1; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[[ -x "$pg_bin/initdb" ]] || fail "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb): apt-get install postgresql"
command -v psql >/dev/null || fail "psql is not installed: apt-get install postgresql-client"
command -v dotnet >/dev/null || fail "the .NET SDK is not on PATH"

# A port nothing listens on now (bash's /dev/tcp: a refused connection means free).
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
}

# initdb and postgres refuse to run as root: as root, PostgreSQL runs as the postgres system user.
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Waits until process $4's log $1 contains $2; fails, showing the log's end, after $3 seconds or when the process exits.
wait_for_line() {
    for ((i = 0; i < $3 * 2; i++)); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$4" 2>/dev/null || { tail -20 "$1" >&2; fail "process $4 exited (log $1)"; }
        sleep 0.5
    done
    tail -20 "$1" >&2
    fail "timed out waiting for '$2' in $1"
}

work=$(mktemp -d /tmp/acorn-cluster.XXXXXX)
pids=()
stop_all() {
    trap - INT TERM EXIT
    echo "Stopping: server and silos (PIDs ${pids[*]:-none}), then PostgreSQL"
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ -f "$work/pg/postmaster.pid" ]]; then kill -INT "$(head -1 "$work/pg/postmaster.pid")" 2>/dev/null || true; fi
    sleep 1
    if [[ "${KEEP:-0}" == 1 ]]; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap stop_all INT TERM EXIT

echo "Building the silo host and the server (Release)..."
dotnet build "$repo/src/Acorn.Orleans.Silo/Acorn.Orleans.Silo.csproj" -c Release -v quiet -nologo >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; fail "build failed (log above)"; }
dotnet build "$repo/src/Acorn.Server/Acorn.Server.csproj" -c Release -v quiet -nologo >>"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; fail "build failed (log above)"; }
silo_dll="$repo/src/Acorn.Orleans.Silo/bin/Release/net10.0/Acorn.Orleans.Silo.dll"
server_dll="$repo/src/Acorn.Server/bin/Release/net10.0/Acorn.Server.dll"

echo "Starting PostgreSQL in $work/pg..."
chmod 755 "$work"
mkdir -p "$work/pg" "$work/pg-socket"
[[ $(id -u) == 0 ]] && chown postgres:postgres "$work/pg" "$work/pg-socket"
as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C --no-instructions >"$work/initdb.log"
pg_port=$(free_port)
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg-socket/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work/pg-socket" start >/dev/null
psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE acorn" >/dev/null
# Membership tables (ours) and grain storage (the schema Acorn's tests install).
export PGOPTIONS='-c client_min_messages=warning'
for sql in "$repo/src/Acorn.Orleans.Clustering/OrleansPostgresClustering.sql" "$repo/src/Acorn.Orleans/Sql/OrleansPostgresPersistence.sql"; do
    psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d acorn -v ON_ERROR_STOP=1 -f "$sql" >/dev/null
done
postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=acorn"
cluster=(--clustering Postgres --postgres "$postgres")

for ((n = 1; n <= silos; n++)); do
    silo_port=$(free_port); gateway_port=$(free_port)
    dotnet "$silo_dll" "${cluster[@]}" --storage Postgres --silo-port "$silo_port" --gateway-port "$gateway_port" \
        >"$work/silo-$n.log" 2>&1 &
    pids+=($!)
    echo "silo $n: PID $!, silo port $silo_port, gateway port $gateway_port, log $work/silo-$n.log"
    wait_for_line "$work/silo-$n.log" "Application started" 90 "$!"
done

http_port=$(free_port)
url="http://127.0.0.1:$http_port"
dotnet "$server_dll" --store orleans --Acorn:Orleans:Clustering=Postgres "--Acorn:Orleans:Postgres=$postgres" \
    --urls "$url" --data "$work/server/data" --plugins "$work/server/plugins" >"$work/server.log" 2>&1 &
pids+=($!)
wait_for_line "$work/server.log" "Acorn is listening" 90 "${pids[-1]}"

# For scripts that drive the cluster (the README's failover check): where everything is.
cat >"$work/cluster.env" <<ENV
ACORN_URL=$url
ACORN_KEY_FILE=$work/server/data/api-key.txt
ACORN_SERVER_PID=${pids[-1]}
ACORN_SILO_PIDS="${pids[*]:0:$silos}"
ACORN_POSTGRES="$postgres"
ENV

cat <<MSG

Acorn cluster is up: $silos silos, PostgreSQL on 127.0.0.1:$pg_port (database acorn).
  Server:   $url   (server PID ${pids[-1]}, log $work/server.log)
  API key:  $work/server/data/api-key.txt
  Try:      curl -H "Authorization: Bearer \$(cat $work/server/data/api-key.txt)" $url/contexts
  Settings: $work/cluster.env
Ctrl-C stops everything.
MSG
wait
