#!/usr/bin/env bash
# The certificate decides whose records the spool holds: a district or admin
# certificate is refused by submit and import at once (exit 4, the unit's name
# from the server, its code offline) and nothing is queued; records queued
# under a unit the certificate does not send are shown by status with what
# to do, and sync says what it skipped (exit 4), never a silent success.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/spool_cert_test.sh
. "$(dirname "$0")/spool_lib.sh"

make_certs admin:d1:admin district:d1:district c1:c1:community c2:c2:community \
    oldd1:d1:community
start_server
add_tree

acts() { pg "select count(*) from activity"; }
spool_empty() { same "$1: nothing queued" "$(queued_files)" 0; same "$1: no temporary file" "$(tmp_files)" 0; }

cat >"$T/a.json" <<'EOT'
{"activities": [{"date": "2020-04-12", "category": "fire", "title": "消防安全知识讲座", "participants": 40}]}
EOT
printf '日期,类别,标题,参与人数\n2020-04-12,消防宣传,消防安全知识讲座,40\n' >"$T/a.csv"
msg_district="huizong: this certificate is for 测试区 (district); submitting records needs a community certificate"

# ------------------------------------------- the wrong certificate ----
if check "district submit refused" 4 hz $(as district) submit "$T/a.json"; then
    expect "district submit: the unit's name and role" "$T/err" "$msg_district"
    reject "district submit: no false success" "$T/out" "sent by another huizong"
fi
spool_empty "district submit"
if check "district import refused" 4 hz $(as district) import "$T/a.csv" --type activity; then
    expect "district import: the message" "$T/err" "$msg_district"
fi
spool_empty "district import"
if check "admin submit refused" 4 hz $(as admin) submit "$T/a.json"; then
    expect "admin submit: the message" "$T/err" \
        "huizong: this certificate is for 测试区 (admin); submitting records needs a community certificate"
fi
if check "admin import refused" 4 hz $(as admin) import "$T/a.csv" --type activity; then
    expect "admin import: the message" "$T/err" "this certificate is for 测试区 (admin)"
fi
spool_empty "admin"
if check "offline district submit refused" 4 hz $(offline district) submit "$T/a.json"; then
    expect "offline: the unit's code for its name" "$T/err" \
        "huizong: this certificate is for d1 (district); submitting records needs a community certificate"
fi
if check "offline district import refused" 4 hz $(offline district) import "$T/a.csv" --type activity; then
    expect "offline import: the code" "$T/err" "this certificate is for d1 (district)"
fi
spool_empty "offline district"
check "district import --check still checks the sheet" 0 hz $(as district) import "$T/a.csv" \
    --type activity --check || true
spool_empty "district --check"
same "nothing reached the server" "$(acts)" 0

# ------------------------------------ records of another unit waiting ----
check "c2 queues offline" 3 hz $(offline c2) submit "$T/a.json" || true
if check "status as c1" 0 hz $(offline c1) status; then
    expect "status: the heading" "$T/out" "not sent by this certificate (what to do):"
    expect "status: one line for c2 with its count and the commands" "$T/out" \
        "  unit c2: 1 records in 1 batches, not this certificate's unit (c1): \`huizong --creds DIR sync\` with a certificate of c2 sends them, or if they were queued by mistake, \`huizong sync --set-aside c2\` sets them aside"
fi
if check "c1's sync skips c2's records, exit 4" 4 hz $(as c1) sync; then
    expect "sync: what it skipped and why" "$T/err" \
        "huizong: sync: not sent: 1 records of other units wait in $SPOOL; this certificate sends only its own unit's (c1):"
    expect "sync: the unit's line" "$T/err" "  unit c2: 1 records in 1 batches"
    reject "sync: not 'nothing to send'" "$T/out" "nothing to send"
fi
same "c2's batch still queued" "$(queued_files)" 1
check "c2 sends its own" 0 hz $(as c2) sync || true
same "c2's activity arrived" "$(acts)" 1
check "status as c1 once c2's are gone" 0 hz $(offline c1) status || true
reject "status: no advice left" "$T/out" "not sent by this certificate"

# -------------------- queued under the district's unit (an older client) ----
check "records queued under d1 (as an older client did)" 3 hz $(offline oldd1) submit "$T/a.json" || true
same "one batch under d1" "$(queued_files)" 1
if check "status as the district" 0 hz $(offline district) status; then
    expect "status: the d1 line says what to do" "$T/out" \
        "  unit d1: 1 records in 1 batches, queued with this district certificate, which sends no records: import the source again with the community's certificate (--creds), then \`huizong sync --set-aside d1\` sets them aside"
fi
if check "sync as the district: skipped, exit 4" 4 hz $(as district) sync; then
    expect "sync: why" "$T/err" \
        "huizong: sync: not sent: 1 records wait in $SPOOL; this certificate is for 测试区 (district), and only a community certificate sends records:"
    expect "sync: the unit's line" "$T/err" "  unit d1: 1 records in 1 batches"
    reject "sync: no false success" "$T/out" "sent by another huizong"
fi
if check "offline sync as the district names the code" 4 hz $(offline district) sync; then
    expect "offline sync: the code" "$T/err" "this certificate is for d1 (district)"
fi
same "the d1 batch is still queued" "$(queued_files)" 1
if check "sync --set-aside d1" 0 hz $(offline district) sync --set-aside d1; then
    expect "set-aside says how many" "$T/out" "set aside 1 records of unit d1 in $SPOOL/rejected (not sent)"
fi
same "queue empty" "$(queued_files)" 0
same "the batch is in rejected/" "$(find "$SPOOL/rejected" -name '*.hzb' | wc -l)" 1
if check "status shows it rejected with the reason" 0 hz $(offline district) status; then
    expect "status: the note" "$T/out" "by \`huizong sync --set-aside d1\`: queued under unit d1, never sent"
fi
if check "sync as the district with nothing queued" 0 hz $(as district) sync; then
    expect "nothing to send" "$T/out" "nothing to send in $SPOOL"
fi
if check "set-aside of a unit with nothing queued" 0 hz $(offline c1) sync --set-aside zz; then
    expect "says nothing was queued" "$T/out" "nothing queued under unit zz in $SPOOL"
fi
same "only c2's activity on the server" "$(acts)" 1

finish
