#!/usr/bin/env bash
# huizongd backup and restore against a real server: a backup taken while
# three communities submit, restored into a new data_dir, then served by a
# new huizongd: the same 2020 summary, the same record versions, the same
# audit rows, and every batch of the submissions in flight there whole or
# not at all. Also the refusals: restore into a non-empty data_dir, a backup
# with no server running, and missing arguments.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/backup_test.sh
set -euo pipefail

IT_NAME=backup
IT_DUMP_MAX=30
. "$(dirname "$0")/it_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COMMUNITIES="xinguang yingbinlu guanlan"
BATCHES=12
PER_BATCH=10

# sq_in DIR ARG...: psql on the database of the data_dir DIR.
sq_in() { local d=$1; shift; psql -XAtq -v ON_ERROR_STOP=1 "host=$d/run user=huizong dbname=huizong" "$@"; }
# What must survive a restore, one line per row.
versions() {
    sq_in "$1" -c "select kind, record_id, version, is_current, retracted_at is not null, md5(content::text)
      from (select 'activity' kind, record_id, version, is_current, retracted_at, content from activity
            union all select 'indicator_value', record_id, version, is_current, retracted_at, content from indicator_value
            union all select 'honor', record_id, version, is_current, retracted_at, content from honor) r
      order by 1, 2, 3"
}
audit_rows() { sq_in "$1" -c "select id, at, role, unit_code, fingerprint, action, target, detail from audit order by id"; }

# batch FILE COMMUNITY N: a submit file of PER_BATCH activities dated 2021.
batch() {
    local i sep=
    {
        echo '{"activities": ['
        for i in $(seq "$PER_BATCH"); do
            printf '%s{"record_id": "%s", "unit_code": "%s", "date": "2021-%02d-%02d", "category": "theory", "title": "学习 %s-%s", "participants": %d}\n' \
                "$sep" "$(cat /proc/sys/kernel/random/uuid)" "$2" "$(( $3 % 12 + 1 ))" "$i" "$3" "$i" "$i"
            sep=,
        done
        echo ']}'
    } >"$1"
}

make_certs admin:district:admin district:district:district xinguang:xinguang:community \
    yingbinlu:yingbinlu:community guanlan:guanlan:community

# ---------------------------------------------------------- refusals ----
check "backup without --out" 2 "$HZ_SERVER" backup --data_dir="$T/data" || true
expect "backup: usage" "$T/err" "backup needs --out FILE"
check "restore without a file" 2 "$HZ_SERVER" restore --data_dir="$T/new" || true
expect "restore: usage" "$T/err" "restore needs the FILE to restore"
mkdir -p "$T/data"
check "backup with no server running" 1 "$HZ_SERVER" backup --data_dir="$T/data" --out "$T/none.dump" || true
expect "backup: no server" "$T/err" "a backup is taken from the running server, start huizongd first"
[ ! -e "$T/none.dump" ] && ok "no file written" || bad "a file was written"
rmdir "$T/data"

# ----------------------------------------------- records before ----
start_server
grep -v '^#' "$ROOT/demo/data/units.tsv" | while IFS=$'\t' read -r code name level parent; do
    [ -n "$code" ] || continue
    hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
        ${parent:+--parent "$parent"} >/dev/null
done
for c in $COMMUNITIES; do
    check "$c submits its 2020 records" 0 hz $(as "$c") submit "$ROOT/demo/data/$c.json" || true
done
rid=$(jq -r '.activities[0].record_id' "$ROOT/demo/data/xinguang.json")
jq '.activities[0] | .participants = 99 | del(.participants_unknown)' "$ROOT/demo/data/xinguang.json" >"$T/amend.json"
check "xinguang amends one (version 2)" 0 hz $(as xinguang) amend "$rid" --file "$T/amend.json" || true
check "2020 summary before" 0 hz $(as district) summary --year 2020 --by community,category --format json || true
cp "$T/out" "$T/summary-before.json"
audit_rows "$T/data" >"$T/audit-setup"

# --------------------------------------- backup while they submit ----
for c in $COMMUNITIES; do
    for n in $(seq "$BATCHES"); do batch "$T/$c-$n.json" "$c" "$n"; done
done
pids=()
for c in $COMMUNITIES; do
    # Each community has its own machine, so its own spool (HOME).
    ( for n in $(seq "$BATCHES"); do
          HOME="$T/home-$c" "$HZ_CLIENT" $(as "$c") submit "$T/$c-$n.json" >/dev/null </dev/null || exit 1
      done ) &
    pids+=($!)
done
for _ in $(seq 100); do
    [ "$(pg "select count(*) from submission where record_count = $PER_BATCH")" -ge 3 ] && break
    sleep 0.1
done
check "backup while communities submit" 0 "$HZ_SERVER" backup --data_dir="$T/data" --out "$T/backup.dump" || true
expect "backup: logged" "$T/err" "backup written to $T/backup.dump"
submit_rc=0
for p in "${pids[@]}"; do wait "$p" || submit_rc=1; done
is "every submission succeeded" 0 "$submit_rc"
is "the dump is pg_dump's custom format" PGDMP "$(head -c5 "$T/backup.dump")"
versions "$T/data" >"$T/versions-orig"
audit_rows "$T/data" >"$T/audit-orig"
rollup_exact "the original's rollups equal the raw rows"
check "2020 summary after" 0 hz $(as district) summary --year 2020 --by community,category --format json || true
cp "$T/out" "$T/summary-orig.json"
stop_server || bad "huizongd stopped cleanly"

# ------------------------------------------------------ restore ----
mkdir -p "$T/busy" && touch "$T/busy/something"
check "restore refuses a non-empty data_dir" 1 "$HZ_SERVER" restore --data_dir="$T/busy" "$T/backup.dump" || true
expect "restore: not empty" "$T/err" "is not empty: restore makes a new cluster there"
[ ! -e "$T/busy/pg" ] && ok "nothing made in it" || bad "a cluster was made in the busy dir"
check "restore into a new data_dir" 0 "$HZ_SERVER" restore --data_dir="$T/data2" "$T/backup.dump" || true
expect "restore: logged" "$T/err" "restored $T/backup.dump into $T/data2"
check "restore into it again is refused" 1 "$HZ_SERVER" restore --data_dir="$T/data2" "$T/backup.dump" || true

PORT=
cp "$T/server.log" "$T/server-orig.log"
start_server --data_dir="$T/data2"
ok "a new huizongd serves the restored data_dir"
# pg_dump restores the rollups' rows before it creates the triggers: nothing
# was counted twice (the backup is of the newest schema: no migration ran).
rollup_exact "the restored rollups equal the raw rows" "$T/data2"
check "2020 summary restored" 0 hz $(as district) summary --year 2020 --by community,category --format json || true
is "the same 2020 summary" "$(jq -S . "$T/summary-before.json")" "$(jq -S . "$T/out")"
is "the 2020 summary as the original's" "$(jq -S . "$T/summary-orig.json")" "$(jq -S . "$T/out")"
versions "$T/data2" >"$T/versions-new"
is "the amended record's version 2 is current" "2|t" "$(sq_in "$T/data2" -c "select version, is_current from activity where record_id = '$rid' and is_current")"
n_missing=$(comm -13 "$T/versions-orig" "$T/versions-new" | wc -l)
is "every restored record version is the original's" 0 "$n_missing"
sq_in "$T/data2" -c "select record_id from activity where date < '2021-01-01' union all select record_id from indicator_value union all select record_id from honor" | sort >"$T/ids-2020"
is "every 2020 record version restored" \
    "$(grep -F -f "$T/ids-2020" "$T/versions-orig" | wc -l)" "$(grep -F -f "$T/ids-2020" "$T/versions-new" | wc -l)"
audit_rows "$T/data2" >"$T/audit-new"
is "every restored audit row is the original's" 0 "$(comm -13 "$T/audit-orig" "$T/audit-new" | wc -l)"
is "every audit row from before the backup restored" 0 "$(comm -23 "$T/audit-setup" "$T/audit-new" | wc -l)"
inflight=$(sq_in "$T/data2" -c "select count(*) from submission where record_count = $PER_BATCH")
rows2021=$(sq_in "$T/data2" -c "select count(*) from activity where date >= '2021-01-01'")
is "batches in flight are whole" "$((inflight * PER_BATCH))" "$rows2021"
is "each whole batch has its audit row" "$inflight" \
    "$(sq_in "$T/data2" -c "select count(*) from audit a join submission s on a.target = s.id::text where s.record_count = $PER_BATCH")"
[ "$inflight" -ge 3 ] && ok "the backup holds batches submitted during it ($inflight of $((BATCHES * 3)))" \
    || bad "the backup holds $inflight batches of those in flight, want at least 3"
check "2021 summary restored" 0 hz $(as district) summary --year 2021 --format json || true
is "2021 totals match the batches" "$rows2021" "$(jq -r .total_activities "$T/out")"
jq '.activities[1] | .participants_unknown = true | .participants_at_least = false | del(.participants)' "$ROOT/demo/data/xinguang.json" >"$T/amend2.json"
check "xinguang amends another on the restored server" 0 hz $(as xinguang) amend \
    "$(jq -r '.activities[1].record_id' "$ROOT/demo/data/xinguang.json")" --file "$T/amend2.json" || true
rollup_exact "the restored server keeps its rollups exact" "$T/data2"
finish
