#!/usr/bin/env bash
# huizong admin stats through the command line, against a real huizongd
# (embedded PostgreSQL) on a free port: the table and the JSON, the help,
# and the refusals (a district certificate, a bad --format), each with its
# exit code and message; asking writes nothing (not even an audit row).
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/ops_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

IT_NAME=ops
. "$(dirname "$0")/it_lib.sh"

audit_rows() { pg "select count(*) from audit"; }

# ---------------------------------------------------------------- setup ----
make_certs admin:d1:admin district:d1:district
start_server
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

finish
