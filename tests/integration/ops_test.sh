#!/usr/bin/env bash
# huizong admin stats through the command line, against a real huizongd
# (embedded PostgreSQL) on a free port: the table and the JSON, the help,
# and the refusals (a district certificate, a bad --format), each with its
# exit code and message; asking writes nothing (not even an audit row).
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/ops_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

: "${HZ_SERVER:?set HZ_SERVER to the huizongd binary}"
: "${HZ_CLIENT:?set HZ_CLIENT to the huizong binary}"

T=$(mktemp -d /tmp/hz-ops.XXXXXX)
# As root the embedded cluster runs as postgres, which must traverse this dir.
chmod 755 "$T"
SERVER_PID=
PORT=
fails=0

stop_server() {
    local pid=$SERVER_PID rc=0
    SERVER_PID=
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "huizongd ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

cleanup() {
    stop_server || true
    if [ -n "${HZ_KEEP_TMP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fails=$((fails + 1))
}

hz() {
    mkdir -p "$T/home"
    env -u XDG_CONFIG_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" "$@" </dev/null
}
as() { printf '%s\n' --server "127.0.0.1:$PORT" --creds "$T/creds/$1"; }

# check NAME WANT_EXIT CMD...: runs CMD with output in $T/out and $T/err.
check() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$name"
        return 0
    fi
    bad "$name (exit $rc, want $want)"
    sed 's/^/     | /' "$T/out" "$T/err"
    return 1
}

# expect NAME FILE PATTERN: FILE contains the fixed string PATTERN.
expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: no \"$3\" in"
        sed 's/^/     | /' "$2"
    fi
}

is() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got \"$3\", want \"$2\""; fi
}

pg() { psql "host=$T/data/run user=huizong dbname=huizong" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
audit_rows() { pg "select count(*) from audit"; }

# ---------------------------------------------------------------- setup ----
mkdir -p "$T/creds"
hz admin ca init --dir "$T/ca" --name test >/dev/null
hz admin cert issue --ca "$T/ca" --server --hosts localhost,127.0.0.1 --out "$T/server" >/dev/null
for id in admin:d1:admin district:d1:district; do
    IFS=: read -r name unit role <<<"$id"
    hz admin cert issue --ca "$T/ca" --unit "$unit" --role "$role" --out "$T/creds/$name" >/dev/null
done

setpriv --pdeathsig TERM -- "$HZ_SERVER" --listen=127.0.0.1:0 --data_dir="$T/data" \
    --tls_cert="$T/server/server.crt" --tls_key="$T/server/server.key" \
    --tls_ca="$T/server/ca.crt" >"$T/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 900); do
    PORT=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$T/server.log" | head -n1 | sed 's/.*://' || true)
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$PORT" ]; then
    echo "FAIL setup: huizongd did not get ready"
    cat "$T/server.log"
    exit 1
fi
ok "huizongd ready on port $PORT"
hz $(as admin) admin unit add --code d1 --name 测试区 --level district >/dev/null

# --------------------------------------------------------------- help ----
check "admin stats --help" 0 hz admin stats --help || true
expect "stats help: usage" "$T/out" "admin stats [--format table|json]"
expect "stats help: latency" "$T/out" "p50, p99, max"
check "admin --help lists stats" 0 hz admin --help || true
expect "admin help: stats" "$T/out" "admin stats [--format table|json]"

# -------------------------------------------------------------- table ----
before=$(audit_rows)
if check "admin stats (table)" 0 hz $(as admin) admin stats; then
    expect "table: version" "$T/out" "huizongd/"
    expect "table: connections" "$T/out" "open, "
    expect "table: records" "$T/out" "records      0 committed"
    expect "table: database" "$T/out" "of 4 connections up, 0 calls waiting"
    expect "table: header" "$T/out" "COUNT  OK  REFUSED  FAILED"
    expect "table: unit_add row" "$T/out" "unit_add"
    expect "table: hello row" "$T/out" "hello"
fi

# --------------------------------------------------------------- json ----
if check "admin stats --format json" 0 hz $(as admin) admin stats --format json; then
    is "json: records_committed" "0" "$(jq -r .records_committed "$T/out")"
    is "json: db_pool_size" "4" "$(jq -r .db_pool_size "$T/out")"
    is "json: unit_add ok" "1" "$(jq -r '.request_types[] | select(.type == "unit_add") | .ok' "$T/out")"
    is "json: stats counted" "true" \
        "$(jq -r '[.request_types[] | select(.type == "stats")][0].count >= 2' "$T/out")"
    is "json: latencies ordered" "true" \
        "$(jq -r '[.request_types[].latency | .p50_us <= .p99_us and .p99_us <= .max_us] | all' "$T/out")"
fi
is "asking writes nothing" "$before" "$(audit_rows)"

# ----------------------------------------------------------- refusals ----
if check "district may not see stats" 4 hz $(as district) admin stats; then
    expect "district: status" "$T/err" "PERMISSION_DENIED: "
    expect "district: message" "$T/err" \
        "only an administrator can see the server's counters; this certificate is district for \"d1\""
fi
if check "bad --format" 1 hz $(as admin) admin stats --format csv; then
    expect "bad --format: message" "$T/err" "--format"
fi
check "stray argument" 1 hz $(as admin) admin stats now || true

if stop_server; then ok "huizongd exited cleanly"; else bad "huizongd exit status"; fi
if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
