#!/usr/bin/env bash
# Exactly once through crashes, against a real huizongd and PostgreSQL:
# 20,000 records queued as four batches of 5,000; huizongd is killed with
# SIGKILL while sync is sending them, restarted on the same data_dir (its
# PostgreSQL survives the kill and is reused), and sync then brings every
# record exactly once. Also: a lost acknowledgement (the batch committed but
# still in the spool) and a client killed mid-sync.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/spool_kill_test.sh
. "$(dirname "$0")/spool_lib.sh"

make_creds
start_server
add_tree

counts() {
    pg "select count(*) || ' ' || count(distinct record_id) from activity a
         join org_unit u on u.id = a.unit_id where u.code = '$1'"
}
n_of() { pg "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = '$1'"; }

sheet() { # sheet FILE ROWS TAG
    awk -v n="$2" -v tag="$3" 'BEGIN { print "日期,类别,标题,参与人数";
        for (i = 1; i <= n; i++) printf "2020-%02d-%02d,volunteer,%s %d,%d\n", (i % 12) + 1, (i % 28) + 1, tag, i, i % 50 }' >"$1"
}

# ------------------------------------------- huizongd killed mid-sync ----
sheet "$T/big.csv" 20000 kill
if check "20,000 rows queue offline" 3 hz $(offline c1) import "$T/big.csv" --type activity; then
    expect "all queued" "$T/err" "20000 records queued in $SPOOL"
fi
same "queued as four batches of 5,000" "$(queued_files)" 4

hz $(as c1) sync >"$T/sync1.out" 2>"$T/sync1.err" &
SYNC=$!
at_kill=0
for _ in $(seq 3000); do
    at_kill=$(n_of c1)
    [ "$at_kill" -gt 0 ] && break
    sleep 0.02
done
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
rc=0
wait "$SYNC" || rc=$?
same "sync reports the server gone (exit 3)" "$rc" 3
if [ "$at_kill" -gt 0 ] && [ "$at_kill" -lt 20000 ]; then
    ok "huizongd was killed mid-sync ($at_kill of 20000 committed)"
else
    bad "huizongd was not killed mid-sync ($at_kill of 20000 committed)"
fi
expect "sync says what stays queued" "$T/sync1.err" "records queued in $SPOOL; run \`huizong sync\`"
left=$(queued_files)
if [ "$left" -ge 1 ]; then ok "$left batches still queued"; else bad "no batch left queued"; fi
if check "status shows the last error" 0 hz $(as c1) status; then
    expect "last error recorded" "$T/out" "last error:"
fi

RESTARTS=1
PORT=
start_server
if check "sync after the restart" 0 hz $(as c1) sync; then
    expect "sync reports the rest" "$T/out" "sent "
fi
same "every record exactly once after SIGKILL" "$(counts c1)" "20000 20000"
same "no record id twice" "$(pg "select count(*) from (select record_id from activity group by record_id having count(*) > 1) d")" 0
same "spool empty" "$(queued_files)" 0

# ---------------------------------------------- a lost acknowledgement ----
sheet "$T/lost.csv" 3000 lost
check "queue 3,000 offline" 3 hz $(offline c2) import "$T/lost.csv" --type activity || true
mkdir -p "$T/copy"
cp "$SPOOL"/*.hzb "$T/copy/"
check "sync them" 0 hz $(as c2) sync || true
same "3,000 arrived" "$(counts c2)" "3000 3000"
# As if the client died after the commit, before it could remove the file.
cp "$T/copy/"*.hzb "$SPOOL/"
if check "the batch is sent again" 0 hz $(as c2) sync; then
    expect "the resent batch is all duplicates" "$T/out" "0 accepted, 3000 duplicates"
fi
same "still 3,000, none twice" "$(counts c2)" "3000 3000"

# ---------------------------------------------- the client killed mid-sync ----
sheet "$T/cl.csv" 15000 client
check "queue 15,000 offline" 3 hz $(offline c3) import "$T/cl.csv" --type activity || true
hz $(as c3) sync >/dev/null 2>&1 &
SYNC=$!
for _ in $(seq 3000); do
    [ "$(n_of c3)" -gt 0 ] && break
    sleep 0.02
done
kill -KILL "$SYNC" 2>/dev/null || true
wait "$SYNC" 2>/dev/null || true
if check "sync after the client was killed" 0 hz $(as c3) sync; then ok "resumed"; fi
same "every record exactly once after the client died" "$(counts c3)" "15000 15000"
same "no temporary files left" "$(tmp_files)" 0

finish
