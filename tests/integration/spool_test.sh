#!/usr/bin/env bash
# The spool against a real huizongd and PostgreSQL: records queued offline
# and sent by sync or by the next command; status; batches the server
# refuses set aside while the rest go; a spool file cut short; a full disk
# while queueing; server fail-over; config show. One line per check.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/spool_test.sh
. "$(dirname "$0")/spool_lib.sh"

make_creds
start_server
add_tree

acts() { pg "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = '$1'"; }

cat >"$T/a.json" <<'EOT'
{"activities": [
  {"date": "2020-04-12", "category": "fire", "title": "消防安全知识讲座", "participants": 40,
   "participants_at_least": true},
  {"date": "2020-09-01", "category": "visit", "title": "走访困难老人", "participants": 6}
],
 "indicator_values": [{"indicator": "briefs", "period": "2020-03", "value": 3}],
 "honors": [{"date": "2020-06-11", "title": "太极拳比赛一等奖", "level": "district"}]}
EOT

# ------------------------------------------------------------ offline ----
if check "offline submit queues and exits 3" 3 hz $(offline c1) submit "$T/a.json"; then
    expect "offline submit says how many are queued and what to do" "$T/err" \
        "4 records queued in $SPOOL; run \`huizong sync\` when the server is reachable"
    expect "offline submit names the network error" "$T/err" "127.0.0.1:1"
fi
same "one batch file in the spool" "$(queued_files)" 1
same "nothing reached the server" "$(acts c1)" 0
if check "status lists the queue" 0 hz $(offline c1) status; then
    expect "status counts records" "$T/out" "4 records in 1 batches, waiting since"
    expect "status names the source" "$T/out" "from $T/a.json"
    expect "status shows the last error" "$T/out" "last error:"
fi
if check "sync sends the queue" 0 hz $(as c1) sync; then
    expect "sync reports what was accepted" "$T/out" "sent 4 records: 4 accepted, 0 duplicates"
fi
same "spool empty after sync" "$(queued_files)" 0
same "server holds the 2 activities" "$(acts c1)" 2
check "status after sync" 0 hz $(as c1) status || true
expect "status: nothing queued" "$T/out" "  nothing"
reject "status: last error cleared" "$T/out" "last error:"
if check "sync with nothing queued" 0 hz $(as c1) sync; then
    expect "sync says there was nothing" "$T/out" "nothing to send in $SPOOL"
fi

# ------------------------------------------------ next command flushes ----
cat >"$T/b.json" <<'EOT'
{"activities": [{"date": "2020-05-04", "category": "youth", "title": "青年节座谈", "participants": 12}]}
EOT
check "offline submit of another file" 3 hz $(offline c1) submit "$T/b.json" || true
if check "the next command (summary) sends the queue first" 0 hz $(as c1) summary --year 2020; then
    expect "summary says it sent the queue" "$T/err" "first sent 1 records queued in $SPOOL"
fi
same "queued activity arrived" "$(acts c1)" 3
same "spool empty after summary" "$(queued_files)" 0

# --------------------------------------------- records of another unit ----
cat >"$T/c2.json" <<'EOT'
{"activities": [{"date": "2020-05-05", "category": "culture", "title": "广场舞", "participants": 30}]}
EOT
check "c2 queues offline" 3 hz $(offline c2) submit "$T/c2.json" || true
if check "c1's sync leaves c2's records alone and says so (exit 4)" 4 hz $(as c1) sync; then
    expect "sync notes the other unit's records" "$T/err" "1 records of other units wait"
    expect "sync says what resolves them" "$T/err" \
        "unit c2: 1 records in 1 batches, not this certificate's unit (c1)"
fi
same "c2's batch still queued" "$(queued_files)" 1
check "c2 syncs its own" 0 hz $(as c2) sync || true
same "c2's activity arrived" "$(acts c2)" 1

# ------------------------------------------------ resent after success ----
if check "submitting a sent file again counts duplicates" 0 hz $(as c1) submit "$T/a.json"; then
    expect "duplicates, not new records" "$T/out" "0 accepted, 4 duplicates"
fi
same "still 3 activities for c1" "$(acts c1)" 3

# ------------------------------------------------------- fail-over ----
if check "the second server of a list is used when the first fails" 0 \
    hz --server "127.0.0.1:1,127.0.0.1:$PORT" --creds "$T/creds/c1" summary --year 2020; then
    ok "fail-over reached the live server"
fi
check "all servers down" 3 hz --server "127.0.0.1:1,127.0.0.1:2" --creds "$T/creds/c1" \
    summary --year 2020 || true
expect "all servers down: says how many were tried" "$T/err" "none of 2 servers reachable"

# -------------------------------------------------------- config show ----
if check "config show with flags" 0 hz --server "127.0.0.1:$PORT" --creds "$T/creds/c1" config show; then
    expect "server from the flag" "$T/out" "server   127.0.0.1:$PORT  (flag --server)"
    expect "cert from --creds" "$T/out" "cert     $T/creds/c1/client.crt  (flag --creds)"
    expect "spool by default" "$T/out" "spool    $SPOOL  (default)"
    expect "timeout by default" "$T/out" "timeout  10 s  (default)"
    expect "no config file" "$T/out" "config file: none"
fi
printf 'server = 127.0.0.1:%s\n# comment\nspool = myspool\ntimeout = 5\n' "$PORT" >"$T/client.conf"
if check "config show with a file" 0 hz --config "$T/client.conf" --timeout 7 config show; then
    expect "server from the file" "$T/out" "server   127.0.0.1:$PORT  (file, line 1)"
    expect "spool from the file, relative to it" "$T/out" "spool    $T/myspool  (file, line 3)"
    expect "the flag beats the file" "$T/out" "timeout  7 s  (flag --timeout)"
    expect "names the file" "$T/out" "config file: $T/client.conf"
fi
check "--spool flag" 0 hz --spool "$T/sp2" config show || true
expect "spool from the flag" "$T/out" "spool    $T/sp2  (flag --spool)"
printf 'spoool = x\n' >"$T/bad.conf"
check "unknown config key" 1 hz --config "$T/bad.conf" config show || true
expect "unknown key names file and line" "$T/err" "bad.conf: line 1: unknown key \"spoool\""

# ----------------------------------------- server refuses some batches ----
cat >"$T/good1.json" <<'EOT'
{"activities": [{"date": "2020-07-01", "category": "party", "title": "建党节", "participants": 20}]}
EOT
cat >"$T/refused.json" <<'EOT'
{"activities": [
  {"date": "2020-07-02", "category": "fire", "title": "fine one", "participants": 1},
  {"date": "2020-07-03", "category": "nosuch", "title": "unknown category", "participants": 1},
  {"date": "2020-07-04", "category": "alsonot", "title": "another", "participants": 1}
]}
EOT
cat >"$T/good2.json" <<'EOT'
{"activities": [{"date": "2020-07-05", "category": "science", "title": "科普讲座", "participants": 25}]}
EOT
for f in good1 refused good2; do hz $(offline c1) submit "$T/$f.json" >/dev/null 2>&1 || true; done
same "three batches queued" "$(queued_files)" 3
before=$(acts c1)
if check "sync with one refused batch exits 4" 4 hz $(as c1) sync; then
    expect "sync reports the good batches" "$T/out" "sent 2 records: 2 accepted"
    expect "refusal names the batch's source" "$T/err" "refused.json: batch of 3 records refused by the server"
    expect "per-record error 1" "$T/err" "activities[1].category: unknown category \"nosuch\""
    expect "per-record error 2" "$T/err" "activities[2].category: unknown category \"alsonot\""
fi
same "the two good batches arrived, nothing of the refused one" "$(acts c1)" "$((before + 2))"
same "queue empty" "$(queued_files)" 0
same "refused batch set aside" "$(find "$SPOOL/rejected" -name '*.hzb' | wc -l)" 1
if check "status shows the rejected batch" 0 hz $(as c1) status; then
    expect "status: the status and message" "$T/out" "INVALID_ARGUMENT"
    expect "status: per-record errors" "$T/out" "activities[2].category: unknown category \"alsonot\""
fi
check "rejected batches are never resent" 0 hz $(as c1) sync || true
expect "nothing to send" "$T/out" "nothing to send"

# ------------------------------------------------ a truncated spool file ----
cat >"$T/t1.json" <<'EOT'
{"activities": [{"date": "2020-08-01", "category": "visit", "title": "中秋走访", "participants": 8}]}
EOT
cat >"$T/t2.json" <<'EOT'
{"activities": [{"date": "2020-08-02", "category": "culture", "title": "文艺汇演", "participants": 80}]}
EOT
hz $(offline c1) submit "$T/t1.json" >/dev/null 2>&1 || true
hz $(offline c1) submit "$T/t2.json" >/dev/null 2>&1 || true
victim=$(find "$SPOOL" -maxdepth 1 -name '*.hzb' | sort | head -n1)
truncate -s -20 "$victim"
if check "status with a truncated file" 0 hz $(offline c1) status; then
    expect "status reports it damaged" "$T/out" "$(basename "$victim")  DAMAGED: truncated"
fi
before=$(acts c1)
if check "sync with a truncated file exits 5" 5 hz $(as c1) sync; then
    expect "sync names the damaged file" "$T/err" "$(basename "$victim"): damaged spool file: truncated"
    expect "the good one still went" "$T/out" "sent 1 records: 1 accepted"
fi
same "only the good batch arrived" "$(acts c1)" "$((before + 1))"
same "the damaged file moved aside" "$(find "$SPOOL/damaged" -name '*.hzb' | wc -l)" 1
check "status lists the damaged file" 0 hz $(as c1) status || true
expect "status: damaged section" "$T/out" "damaged/$(basename "$victim")  DAMAGED: truncated"

# ------------------------------------------------- full disk while queueing ----
{
    printf '{"activities": ['
    for i in $(seq 300); do
        [ "$i" -gt 1 ] && printf ','
        printf '{"date": "2020-10-01", "category": "volunteer", "title": "志愿服务 %d", "participants": %d}' "$i" "$i"
    done
    printf ']}\n'
} >"$T/big.json"
before=$(acts c1)
rc=0
(trap '' XFSZ; ulimit -f 8; hz $(as c1) submit "$T/big.json") >"$T/out" 2>"$T/err" || rc=$?
same "a full disk while queueing exits 5" "$rc" 5
expect "full disk: clear error" "$T/err" "cannot queue records in $SPOOL"
expect "full disk: the reason" "$T/err" "File too large"
expect "full disk: nothing queued" "$T/err" "nothing was queued"
same "full disk: no batch file" "$(queued_files)" 0
same "full disk: no temporary file left" "$(tmp_files)" 0
same "full disk: nothing sent" "$(acts c1)" "$before"
if check "the same file queues once there is room" 0 hz $(as c1) submit "$T/big.json"; then
    expect "all 300 accepted" "$T/out" "300 accepted"
fi

# ---------------------------------------- submits at the same time ----
before=$(acts c1)
pids=()
for i in 1 2 3 4; do
    printf '{"activities": [{"date": "2020-11-0%d", "category": "news", "title": "并发 %d", "participants": %d}]}\n' \
        "$i" "$i" "$i" >"$T/par$i.json"
    hz $(as c1) submit "$T/par$i.json" >"$T/par$i.out" 2>&1 &
    pids+=($!)
done
prc=0
for p in "${pids[@]}"; do wait "$p" || prc=$?; done
same "four submits at once all succeed" "$prc" 0
same "four submits at once: each record once" "$(acts c1)" "$((before + 4))"
same "four submits at once: spool empty" "$(queued_files)" 0

# ------------------------------------------- a batch larger than a frame ----
# 600 records of 3,000-byte summaries: one spool file, but more than the
# server's 1 MiB frame; sent as several requests, all acknowledged.
awk 'BEGIN { long = ""; for (i = 0; i < 1000; i++) long = long "长";
             printf "{\"activities\": [";
             for (i = 1; i <= 600; i++)
                 printf "%s{\"date\": \"2020-11-01\", \"category\": \"news\", \"title\": \"简讯 %d\", \"summary\": \"%s\"}",
                        (i > 1 ? "," : ""), i, long;
             print "]}" }' >"$T/long.json"
before=$(acts c1)
if check "a batch larger than one frame is sent in pieces" 0 hz $(as c1) submit "$T/long.json"; then
    expect "all 600 accepted" "$T/out" "600 accepted, 0 duplicates"
fi
same "600 long records arrived" "$(acts c1)" "$((before + 600))"
same "spool empty after the long batch" "$(queued_files)" 0

finish
