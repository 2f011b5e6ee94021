#!/usr/bin/env bash
# A write whose COMMIT outcome huizongd cannot know is never acknowledged:
# the PostgreSQL of a running huizongd is made to wait for a synchronous
# standby that does not exist, so a batch's COMMIT is flushed locally and
# then waits; its backend is terminated there (as a primary's are when it
# dies waiting for its standby). The transaction has committed, but the
# connection broke before the answer: the client gets UNAVAILABLE saying the
# outcome is unknown, keeps the batch queued, and its resend by record id
# settles it as duplicates, each record written exactly once.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/in_doubt_test.sh
set -euo pipefail

IT_NAME=in_doubt
. "$(dirname "$0")/it_lib.sh"

make_certs admin:d1:admin c1:c1:community
start_server
add_base_tree

cat >"$T/batch.json" <<'EOF'
{"activities": [
  {"record_id": "d0000000-0000-4000-8000-000000000001", "unit_code": "c1", "date": "2020-05-01",
   "category": "fire", "title": "演练一", "participants": 3},
  {"record_id": "d0000000-0000-4000-8000-000000000002", "unit_code": "c1", "date": "2020-05-02",
   "category": "fire", "title": "演练二", "participants": 4}
]}
EOF

set_standby() { pg "alter system set synchronous_standby_names = '$1'" && pg "select pg_reload_conf()" >/dev/null; }
set_standby nosuchstandby
hz $(as c1) submit "$T/batch.json" >"$T/submit.out" 2>"$T/submit.err" &
SUBMIT=$!
waiting=0
for _ in $(seq 150); do
    waiting=$(pg "select count(*) from pg_stat_activity where wait_event = 'SyncRep'")
    [ "$waiting" -gt 0 ] && break
    sleep 0.1
done
same "the batch's COMMIT waits for the standby" "$waiting" 1
same "the terminated backend had committed locally" \
    "$(pg "select pg_terminate_backend(pid) from pg_stat_activity where wait_event = 'SyncRep'")" t
rc=0
wait "$SUBMIT" || rc=$?
same "the submit is not acknowledged: the server is unavailable (exit 3)" "$rc" 3
expect "the client hears the outcome is unknown" "$T/submit.err" \
    "UNAVAILABLE: database connection lost before the outcome was known; it may or may not have been written: resend it (records are matched by id)"
expect "and keeps the batch queued" "$T/submit.err" "2 records queued in"
expect "the server logs the write in doubt" "$T/server.log" \
    "hz_submit: outcome unknown: database connection lost after the statement was sent; answered UNAVAILABLE for a resend"
same "it had been written" "$(pg "select count(*) from activity")" 2

set_standby ''
check "the resend is acknowledged" 0 hz $(as c1) sync || true
expect "as duplicates: the retry settles it" "$T/out" "0 accepted, 2 duplicates"
same "each record exactly once" "$(pg "select count(*) || ' ' || count(distinct record_id) from activity")" "2 2"
same "one submission" "$(pg "select count(*) from submission")" 1

finish
