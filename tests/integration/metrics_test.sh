#!/usr/bin/env bash
# The Prometheus endpoint (metrics_listen) of a real huizongd: off unless set,
# only GET /metrics served, the scrape passes `promtool check metrics`, and
# after a known sequence of requests every counter it names has the exact
# value that sequence gives.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/metrics_test.sh
set -euo pipefail

IT_NAME=metrics
IT_DUMP_MAX=40
. "$(dirname "$0")/it_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# http_get PORT PATH: the response of one HTTP/1.0 GET on 127.0.0.1 (bash's
# /dev/tcp: no HTTP client needed), headers included.
http_get() {
    local fd
    exec {fd}<>"/dev/tcp/127.0.0.1/$1"
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&"$fd"
    cat <&"$fd"
    exec {fd}>&-
}
# scrape: the body of GET /metrics into $T/metrics.
scrape() { http_get "$MPORT" /metrics | tr -d '\r' | sed '1,/^$/d' >"$T/metrics"; }
# metric 'NAME{LABELS}': its value in $T/metrics (empty when absent).
metric() { awk -v k="$1" '$1 == k { print $2 }' "$T/metrics"; }

make_certs admin:district:admin district:district:district xinguang:xinguang:community

# ------------------------------------------------------------ off ----
start_server
if grep -q "metrics on" "$T/server.log"; then bad "no metrics without metrics_listen"; else
    ok "no metrics without metrics_listen"; fi
stop_server || true

# ------------------------------------------------------ a sequence ----
start_server --metrics_listen=127.0.0.1:0
MPORT=$(grep -o 'metrics on http://127\.0\.0\.1:[0-9]*' "$T/server.log" | sed 's/.*://')
[ -n "$MPORT" ] && ok "metrics on port $MPORT" || { bad "no metrics port in the log"; finish; }

units=0
while IFS=$'\t' read -r code name level parent; do
    [ -n "$code" ] && [ "${code#\#}" = "$code" ] || continue
    hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
        ${parent:+--parent "$parent"} >/dev/null
    units=$((units + 1))
done <"$ROOT/demo/data/units.tsv"
records=$(jq '[.activities, .indicator_values, .honors | length] | add' "$ROOT/demo/data/xinguang.json")
check "xinguang submits" 0 hz $(as xinguang) submit "$ROOT/demo/data/xinguang.json" || true
check "xinguang submits again (all duplicates)" 0 hz $(as xinguang) submit "$ROOT/demo/data/xinguang.json" || true
check "district summary" 0 hz $(as district) summary --year 2020 --by community || true
check "district may not see stats" 4 hz $(as district) admin stats || true
check "a community may not read another" 4 hz $(as xinguang) summary --year 2020 --unit guanlan || true
scrape

if command -v promtool >/dev/null; then
    if promtool check metrics <"$T/metrics" >"$T/promtool" 2>&1; then ok "promtool check metrics"; else
        bad "promtool check metrics"; dump "$T/promtool"; fi
else
    bad "promtool not installed (Debian package prometheus; make check installs it)"
fi
is "records committed" "$records" "$(metric huizong_records_committed_total)"
is "unit_add ok" "$units" "$(metric 'huizong_replies_total{type="unit_add",status="ok"}')"
is "unit_add refused" 0 "$(metric 'huizong_replies_total{type="unit_add",status="refused"}')"
is "submit ok" 2 "$(metric 'huizong_replies_total{type="submit",status="ok"}')"
is "summary ok" 1 "$(metric 'huizong_replies_total{type="summary",status="ok"}')"
is "summary refused" 1 "$(metric 'huizong_replies_total{type="summary",status="refused"}')"
is "summary failed" 0 "$(metric 'huizong_replies_total{type="summary",status="failed"}')"
is "stats refused" 1 "$(metric 'huizong_replies_total{type="stats",status="refused"}')"
is "submit timed twice" 2 "$(metric 'huizong_request_duration_seconds_count{type="submit"}')"
is "submit +Inf bucket" 2 "$(metric 'huizong_request_duration_seconds_bucket{type="submit",le="+Inf"}')"
is "submit 0 s bucket" 0 "$(metric 'huizong_request_duration_seconds_bucket{type="submit",le="0.000000"}')"
# Every command above is one connection and one Hello.
conns=$((units + 5))
is "connections accepted" "$conns" "$(metric huizong_connections_accepted_total)"
is "hello ok" "$conns" "$(metric 'huizong_replies_total{type="hello",status="ok"}')"
is "requests" "$((conns * 2))" "$(metric huizong_requests_total)"
is "malformed" 0 "$(metric huizong_requests_malformed_total)"
is "handshakes failed" 0 "$(metric huizong_handshakes_failed_total)"
is "admission: dropped" 0 "$(metric 'huizong_admission_total{reason="dropped"}')"
is "no connection open" 0 "$(metric huizong_connections_open)"
is "pool size" 4 "$(metric huizong_db_pool_size)"
is "pool connected" 4 "$(metric huizong_db_pool_connected)"
is "embedded PostgreSQL up" 1 "$(metric huizong_embedded_postgresql_up)"
expect "counter type" "$T/metrics" "# TYPE huizong_records_committed_total counter"
expect "histogram type" "$T/metrics" "# TYPE huizong_request_duration_seconds histogram"

# A scrape is not a request: the counters stay.
scrape
is "a second scrape counts nothing" "$records" "$(metric huizong_records_committed_total)"
is "connections unchanged" "$conns" "$(metric huizong_connections_accepted_total)"

# ------------------------------------------------------- refusals ----
http_get "$MPORT" /other | tr -d '\r' >"$T/other"
expect "another path is 404" "$T/other" "HTTP/1.1 404"
exec {fd}<>"/dev/tcp/127.0.0.1/$MPORT"
printf 'POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n' >&"$fd"
cat <&"$fd" | tr -d '\r' >"$T/post"
exec {fd}>&-
expect "POST is refused" "$T/post" "HTTP/1.1 501"
finish
