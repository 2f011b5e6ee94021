#!/usr/bin/env bash
# The cluster of docs/DEPLOY.md on 127.0.0.1 (deploy/cluster.sh): one etcd,
# two PostgreSQL nodes under Patroni in synchronous mode, HAProxy, two
# huizongd (one reaching the primary by libpq's multi-host dsn, one through
# HAProxy's write port; both reading summaries through the read port).
# (c) HAProxy passes the client certificate through: a community's identity
# is the same through the proxy as directly, and it still cannot write for
# another. (b) A summary read on the replica (remote_apply) sees every write
# acknowledged before it. (a) Four communities submit continuously (a bounded
# count) through the proxy with the client's offline queue; the Patroni
# leader and its postgres are SIGKILLed, then one huizongd; after recovery
# and `huizong sync`, every acknowledged record exists exactly once, every
# queued record arrives, nothing was set aside, the rollups equal a
# recomputation from the raw rows, and the killed node rejoins as the
# synchronous standby holding every record. Prints the failover gap (seconds
# without an acknowledged write), the records lost and the in-doubt writes
# settled.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/cluster_test.sh
set -euo pipefail

IT_NAME=cluster
IT_DUMP_MAX=30
. "$(dirname "$0")/it_lib.sh"
CLUSTER_PDEATHSIG=TERM
. "$(dirname "$0")/../../deploy/cluster.sh"

C="$T/c"
WRITERS=()
cluster_test_cleanup() {
    local p
    for p in "${WRITERS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    cluster_down "$C" 2>/dev/null || true
    cleanup
}
trap cluster_test_cleanup EXIT

for cmd in etcd etcdctl patroni haproxy; do
    command -v "$cmd" >/dev/null || { echo "FAIL setup: $cmd is not installed (make deps-test)"; exit 1; }
done

make_certs admin:d1:admin d1:d1:district c1:c1:community c2:c2:community c3:c3:community \
    c4:c4:community
t_up0=$(date +%s.%3N)
if ! HUIZONGD="$HZ_SERVER" HZ_TLS_DIR="$T/server" cluster_up "$C"; then
    echo "FAIL setup: the cluster did not come up"
    for f in "$C"/node*/patroni.out "$C"/node*/log/patroni.log "$C"/hz*/huizongd.log; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }
    done
    exit 1
fi
since() { awk -v a="$1" -v b="$(date +%s.%3N)" 'BEGIN { printf "%.1f", b - a }'; }
ok "cluster up in $(since "$t_up0") s (etcd, 2 Patroni nodes, HAProxy, 2 huizongd)"
PORT=$HA_HZ_PORT

# psql as the superuser on a node's port (PG*_PORT, or HAProxy's write port).
psql_on() {
    PGPASSWORD=$(cat "$C/secrets/superuser.pw") psql -XAtq -v ON_ERROR_STOP=1 -h 127.0.0.1 \
        -p "$1" -U postgres -d huizong -c "$2"
}
pgw() { psql_on "$HA_WRITE_PORT" "$1"; }

# The client of one identity with its own HOME (its own spool).
hzc() {
    local who=$1
    shift
    mkdir -p "$T/home-$who"
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$T/home-$who" \
        "$HZ_CLIENT" --server "127.0.0.1:$HA_HZ_PORT" --creds "$T/creds/$who" "$@" </dev/null
}
direct() { # direct WHO PORT ARG...: the client straight to one huizongd
    local who=$1 port=$2
    shift 2
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$T/home-$who" \
        "$HZ_CLIENT" --server "127.0.0.1:$port" --creds "$T/creds/$who" "$@" </dev/null
}

add_units <<'EOF'
d1:测试区:district:
s1:第一街道:street:d1
c1:一社区:community:s1
c2:二社区:community:s1
c3:三社区:community:s1
c4:四社区:community:s1
EOF
if [ "$fails" -gt 0 ]; then
    echo "FAIL setup: the org tree could not be added through HAProxy"
    tail -n 20 "$C"/hz*/huizongd.log
    exit 1
fi

# gen COMMUNITY N FILE K: K activities with ids unique to (community, file,
# record), spread over months and categories, with unknown and "at least"
# counts for the rollups; the ids are appended to $T/ids-COMMUNITY.
gen() {
    local c=$1 n=$2 f=$3 k=$4 cn=${1#c}
    awk -v c="$c" -v cn="$cn" -v n="$n" -v k="$k" 'BEGIN {
        split("fire volunteer culture", cat, " "); printf "{\"activities\": [\n";
        for (i = 1; i <= k; i++) {
            id = sprintf("%08d-0000-4000-8000-%06d%06d", cn, n, i);
            p = (i % 4 == 0) ? "\"participants_unknown\": true" : \
                sprintf("\"participants\": %d, \"participants_at_least\": %s", (n * 7 + i) % 60, (i % 5 == 0) ? "true" : "false");
            printf "  {\"record_id\": \"%s\", \"unit_code\": \"%s\", \"date\": \"2020-%02d-%02d\", \"category\": \"%s\", \"title\": \"活动 %d-%d\", %s}%s\n",
                id, c, (n + i) % 12 + 1, i % 28 + 1, cat[(n + i) % 3 + 1], n, i, p, (i < k) ? "," : "";
            print id >> ENVIRON["IDS"];
        }
        print "]}" }' >"$f"
}
gen_for() { IDS="$T/ids-$1" gen "$@"; }

# ------------------------------------------- (c) the certificate through HAProxy ----
cat >"$T/other-unit.json" <<'EOF'
{"activities": [
  {"unit_code": "c2", "date": "2020-05-01", "category": "fire", "title": "not ours", "participants": 3}
]}
EOF
refusal='activity 0 is for unit "c2", but this certificate is for "c1"; nothing was written'
check "c1 through HAProxy cannot write for c2 (exit 4)" 4 hzc c1 submit "$T/other-unit.json" || true
expect "the refusal names c1 as the certificate's unit" "$T/err" "$refusal"
check "c1 straight to huizongd 1 cannot either (exit 4)" 4 direct c1 "$HZ1_PORT" submit "$T/other-unit.json" || true
expect "the same refusal" "$T/err" "$refusal"
same "nothing written for c2" "$(pgw "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c2'")" 0
if grep -qF 'principal=community/c1 submit refused' "$C"/hz*/huizongd.log; then
    ok "huizongd saw principal community/c1 behind HAProxy"
else bad "no huizongd log line with principal=community/c1"; fi
check "c1's summary of c2 through HAProxy is refused (exit 4)" 4 hzc c1 summary --year 2020 --unit c2 || true
cp "$T/err" "$T/refused-proxy"
for n in 1 2; do
    port_var="HZ${n}_PORT"
    check "the same straight to huizongd $n (exit 4)" 4 direct c1 "${!port_var}" summary --year 2020 --unit c2 || true
    same "same identity through HAProxy and straight to huizongd $n" "$(cat "$T/err")" "$(cat "$T/refused-proxy")"
done
expect "the refusal is about c1's scope" "$T/refused-proxy" 'unit "c2" is outside what "c1" may read'

# ------------------------------------------- (b) reads on the replica see every ack ----
replica=$(cluster_leader)
replica=$((3 - replica))
replica_port="PG${replica}_PORT"
same "node$replica is a replica" "$(psql_on "${!replica_port}" "select pg_is_in_recovery()")" t
same "synchronous_commit is remote_apply" "$(pgw "show synchronous_commit")" remote_apply
for n in 1 2; do expect "huizongd $n reads through read_dsn" "$C/hz$n/huizongd.log" "read through read_dsn"; done
want=0
for round in 1 2 3 4 5; do
    gen_for c1 "$round" "$T/b$round.json" 4
    want=$((want + 4))
    check "c1 submits 4 records (round $round), acknowledged" 0 hzc c1 submit "$T/b$round.json" || true
    check "the district's summary right after (round $round)" 0 hzc d1 summary --year 2020 --unit c1 --format json || true
    same "the summary counts every acknowledged record (round $round)" "$(jq -r .total_activities "$T/out")" "$want"
done
reads=$(psql_on "${!replica_port}" "select count(*) from pg_stat_activity where application_name = 'huizongd' and usename = 'huizong_app'")
if [ "$reads" -ge 1 ]; then ok "huizongd's read pool is on the replica ($reads connections)"; else
    bad "no huizongd connection on the replica"; fi

# ------------------------------------------- (a) failover under continuous writes ----
set_aside() { find "$T/home-$1" -path '*/rejected/*' -type f | wc -l; }
set_aside_before=$(set_aside c1) # (c)'s refused batches
MAXF=${CLUSTER_TEST_FILES:-120}
K=10
mkdir -p "$T/w"
writer() { # writer COMMUNITY: submits files until $T/stop or MAXF
    local c=$1 i=0 rc t
    while [ "$i" -lt "$MAXF" ] && [ ! -e "$T/stop" ]; do
        i=$((i + 1))
        gen_for "$c" $((100 + i)) "$T/w/$c-$i.json" "$K"
        rc=0
        hzc "$c" submit "$T/w/$c-$i.json" >"$T/w/$c-$i.out" 2>&1 || rc=$?
        t=$(date +%s.%3N)
        echo "$t $rc $c $i" >>"$T/w/log"
        [ "$rc" -eq 0 ] || sleep 0.2
    done
}
for c in c1 c2 c3 c4; do
    writer "$c" &
    WRITERS+=($!)
done
acks_after() { awk -v t="$1" '$2 == 0 && $1 > t' "$T/w/log" 2>/dev/null | wc -l; }
# wait_acks N AFTER SECONDS WHAT: N acknowledged files after time AFTER.
wait_acks() {
    local i
    for ((i = 0; i < $3 * 5; i++)); do
        [ "$(acks_after "$2")" -ge "$1" ] && return 0
        sleep 0.2
    done
    bad "no $1 acknowledged writes within $3 s $4"
    return 1
}
wait_acks 8 0 60 "before the failover" || true
for s in hz1 hz2; do
    n=$(cluster_haproxy_csv | awk -F, -v s="$s" '$1 == "huizong" && $2 == s { print $8 }')
    if [ "${n:-0}" -gt 0 ]; then ok "HAProxy gave huizongd ${s#hz} $n sessions: both write at once"; else
        bad "HAProxy gave huizongd ${s#hz} no session"; fi
done

t_kill=$(date +%s.%3N)
killed=$(cluster_kill_leader "$C")
other=$((3 - killed))
ok "SIGKILLed Patroni and postgres of the leader, node$killed"
other_rest="REST${other}_PORT"
if cluster_wait "node$other to be promoted" 60 cluster_rest_is "${!other_rest}" /primary; then
    ok "node$other promoted after $(since "$t_kill") s"
else bad "node$other was not promoted within 60 s"; fi
# Acknowledgements of submits in flight at the kill can arrive just after it:
# the writes are back once acknowledgements follow the promotion.
t_promoted=$(date +%s.%3N)
wait_acks 4 "$t_promoted" 60 "after node$other was promoted" || true
# Both ways to the primary followed it: libpq's multi-host dsn (huizongd 1)
# and HAProxy's write port (huizongd 2).
since_iso=$(date -u -d "@$t_promoted" +%Y-%m-%dT%H:%M:%S.%3NZ)
wrote_since() { awk -v t="$since_iso" '$1 > t && / submitted: /' "$C/hz$1/huizongd.log" | wc -l; }
for _ in $(seq 300); do
    [ "$(wrote_since 1)" -gt 0 ] && [ "$(wrote_since 2)" -gt 0 ] && break
    sleep 0.2
done
for n in 1 2; do
    if [ "$(wrote_since "$n")" -gt 0 ]; then ok "huizongd $n commits on the new primary"; else
        bad "huizongd $n committed nothing within 60 s of the promotion"; fi
done

t_hz=$(date +%s.%3N)
hz_pid=$(cluster_pid_of "$C" hz1)
kill -KILL "$hz_pid"
wait "$hz_pid" 2>/dev/null || true
ok "SIGKILLed huizongd 1"
wait_acks 8 "$t_hz" 60 "after huizongd 1 was killed" || true
touch "$T/stop"
for p in "${WRITERS[@]}"; do wait "$p" || true; done
WRITERS=()

# Every community's queue, sent again until empty (bounded).
for c in c1 c2 c3 c4; do
    rc=1
    for ((i = 0; i < 60; i++)); do
        rc=0
        hzc "$c" sync >>"$T/w/sync-$c.out" 2>&1 || rc=$?
        [ "$rc" -eq 0 ] && break
        sleep 0.5
    done
    same "$c: huizong sync sent everything queued (exit 0)" "$rc" 0
    same "$c: nothing set aside" "$(set_aside "$c")" "$([ "$c" = c1 ] && echo "$set_aside_before" || echo 0)"
done
# The killed node comes back and rejoins as the synchronous standby (pg_rewind).
t_rejoin=$(date +%s.%3N)
cluster_start_node "$C" "$killed"
killed_rest="REST${killed}_PORT"
if cluster_wait "node$killed to rejoin as the synchronous standby" 90 cluster_rest_is "${!killed_rest}" /sync; then
    ok "node$killed rejoined as the synchronous standby after $(since "$t_rejoin") s"
    killed_pg="PG${killed}_PORT"
    same "the rejoined node$killed holds every record" \
        "$(psql_on "${!killed_pg}" "select count(*) || ' ' || sum(hashtext(record_id::text)) from activity")" \
        "$(pgw "select count(*) || ' ' || sum(hashtext(record_id::text)) from activity")"
else
    bad "node$killed did not rejoin within 90 s"
    tail -n 20 "$C/node$killed/log/patroni.log" | sed 's/^/     | /'
fi
same "no submit ended but acknowledged (0) or queued (3)" \
    "$(awk '$2 != 0 && $2 != 3' "$T/w/log" | wc -l)" 0

files=$(wc -l <"$T/w/log")
acked=$(awk '$2 == 0' "$T/w/log" | wc -l)
for c in c1 c2 c3 c4; do
    awk -v c="$c" '$2 == 0 && $3 == c { print $4 }' "$T/w/log" | while read -r i; do
        grep -o '"record_id": "[^"]*"' "$T/w/$c-$i.json" | cut -d'"' -f4
    done >>"$T/acked-ids"
    cat "$T/ids-$c" >>"$T/all-ids"
done
sort -o "$T/acked-ids" "$T/acked-ids"
sort -o "$T/all-ids" "$T/all-ids"
pgw "select record_id from activity where is_current order by 1" >"$T/db-ids"
LC_ALL=C sort -o "$T/db-ids" "$T/db-ids"
LC_ALL=C sort -o "$T/all-ids" "$T/all-ids"
LC_ALL=C sort -o "$T/acked-ids" "$T/acked-ids"
lost=$(LC_ALL=C comm -23 "$T/acked-ids" "$T/db-ids" | wc -l)
same "records lost: no acknowledged record is missing" "$lost" 0
same "every queued record arrived" "$(LC_ALL=C comm -23 "$T/all-ids" "$T/db-ids" | wc -l)" 0
same "nothing else was written" "$(LC_ALL=C comm -13 "$T/all-ids" "$T/db-ids" | wc -l)" 0
same "every record exactly once" "$(pgw "select count(*) - count(distinct record_id) from activity")" 0
same "one version of each" "$(pgw "select count(*) from activity where not is_current")" 0

rollup_diff() {
    local raw="select unit_id, date_trunc('month', date)::date as month, category_code,
                      count(*) as activities, coalesce(sum(participants), 0) as participants,
                      count(*) filter (where participants is null) as unknown,
                      count(*) filter (where participants_at_least) as at_least
               from activity where is_current and retracted_at is null group by 1, 2, 3"
    local held="select unit_id, month, category_code, activities, participants, unknown, at_least
                from activity_rollup where activities <> 0"
    pgw "select (select count(*) from ($raw except $held) a) || ' ' || (select count(*) from ($held except $raw) b)"
}
same "activity_rollup equals the recomputation from raw rows, both ways" "$(rollup_diff)" "0 0"
same "the district's summary after the failover counts every record" \
    "$(hzc d1 summary --year 2020 --unit d1 --format json | jq -r .total_activities)" \
    "$(pgw "select count(*) from activity")"

in_doubt=$(cat "$C"/hz*/huizongd.log | grep -c 'outcome unknown' || true)
dups=$(cat "$T"/w/*.out | grep -o '[0-9]* duplicates' | awk '{ s += $1 } END { print s + 0 }')
unacked=$(awk '$2 != 0' "$T/w/log" | wc -l)
gap() { # gap FROM TO: the longest time without an acknowledged write between
        # the last one before FROM and the first one after TO
    sort -n "$T/w/log" | awk -v a="$1" -v b="$2" '$2 != 0 { next }
        $1 <= a { prev = $1; next }
        prev && (!done) { if ($1 - prev > max) max = $1 - prev; prev = $1; if ($1 > b) done = 1 }
        END { if (max) printf "%.1f", max; else print "unknown" }'
}
echo "measured: failover gap $(gap "$t_kill" "$t_hz") s without an acknowledged write (leader SIGKILLed);" \
    "$(gap "$t_hz" "$t_hz") s when huizongd 1 was SIGKILLed"
echo "measured: $files files of $K records, $acked acknowledged at once, $unacked queued and resent;" \
    "records lost $lost; in-doubt writes (COMMIT outcome unknown) answered UNAVAILABLE: $in_doubt;" \
    "records found already written on resend (duplicates): $dups"

# The surviving huizongd stops cleanly (under ASan: no leak, no report).
hz2_pid=$(cluster_pid_of "$C" hz2)
kill -TERM "$hz2_pid"
rc=0
wait "$hz2_pid" || rc=$?
same "huizongd 2 survived and stops cleanly on SIGTERM" "$rc" 0
[ "$rc" -eq 0 ] || tail -n 30 "$C/hz2/huizongd.log" | sed 's/^/     | /'

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
