#!/usr/bin/env bash
# The SQL contract (sql/README.md) against a throwaway PostgreSQL 15 cluster:
# applies sql/*.sql to a new database in order and to a second one in the
# order an existing database meets them (the released files, then the newer
# ones), checks that both have the same schema and that public holds exactly
# the entry points (SECURITY DEFINER, executable by no PUBLIC), builds a
# small org tree, checks hz_submit, hz_summary and hz_unit_add in depth,
# then calls every entry point with a valid and an invalid argument. One line per check; exits non-zero if any fails.
#
# Usage: tests/integration/sql_contract_test.sh [sql_dir]
# PG_BINDIR overrides where initdb/pg_ctl are found.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sql_dir=${1:-$here/../../sql}
bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    bindir=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin
fi
[ -x "$bindir/initdb" ] || { echo "FAIL setup: no initdb in $bindir (set PG_BINDIR)"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hz-sqltest.XXXXXX")
as_pg=()
# PostgreSQL refuses to run as root: the cluster belongs to `postgres` then.
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$tmp"
    as_pg=(runuser -u postgres --)
fi
cleanup() {
    "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

if ! "${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 --locale=C \
        --no-sync >"$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log"; echo "FAIL setup: initdb"; exit 1
fi
if ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w -t 30 \
        -o "-c listen_addresses='' -k $tmp -p 5432 -c fsync=off" start >/dev/null; then
    cat "$tmp/postgres.log"; echo "FAIL setup: pg_ctl start"; exit 1
fi

export PGHOST=$tmp PGPORT=5432 PGUSER=postgres PGCLIENTENCODING=UTF8
psql_base=(psql -X -q -v ON_ERROR_STOP=1 -At)
# Each file in one transaction, as server/db_migrate.c applies it.
apply() { # DATABASE FILE
    if ! "${psql_base[@]}" -1 -d "$1" -f "$2" >"$tmp/migrate.log" 2>&1; then
        cat "$tmp/migrate.log"; echo "FAIL setup: $1: $(basename "$2")"; exit 1
    fi
}
# Migrations numbered up to 049 were released before 005 and 006 were
# written; a database made then gets the new files after 049.
released() { # FILE
    local v; v=$(basename "$1"); v=${v%%_*}
    [ $((10#$v)) -le 49 ] && [ "$v" != 005 ] && [ "$v" != 006 ]
}
"${psql_base[@]}" -d postgres -c 'CREATE DATABASE hz' -c 'CREATE DATABASE hz_existing' >/dev/null
psql_hz=("${psql_base[@]}" -d hz)
for f in "$sql_dir"/[0-9]*.sql; do
    apply hz "$f"
done
echo "ok   applied $(ls "$sql_dir"/[0-9]*.sql | wc -l) migrations to a new database"
for f in "$sql_dir"/[0-9]*.sql; do
    if released "$f"; then apply hz_existing "$f"; fi
done
for f in "$sql_dir"/[0-9]*.sql; do
    if ! released "$f"; then apply hz_existing "$f"; fi
done
echo "ok   applied the released migrations, then the newer ones, to a second database"

# A database holding counts stored as 0 before 060: only a 0 that the record
# itself calls unreported (报告未给出…人数, not a lower bound) becomes NULL.
"${psql_base[@]}" -d postgres -c 'CREATE DATABASE hz_upgrade' >/dev/null
for f in "$sql_dir"/[0-9]*.sql; do
    v=$(basename "$f"); v=${v%%_*}
    if [ $((10#$v)) -lt 60 ]; then apply hz_upgrade "$f"; fi
done
up() { "${psql_base[@]}" -d hz_upgrade -c "$1"; }
up "SELECT hz_unit_add('{\"principal\":{\"role\":\"admin\",\"unit\":\"\"},\"code\":\"u1\",\"name\":\"区\",\"level\":\"district\",\"parent_code\":\"\"}'),
           hz_unit_add('{\"principal\":{\"role\":\"admin\",\"unit\":\"\"},\"code\":\"u2\",\"name\":\"社区\",\"level\":\"community\",\"parent_code\":\"u1\"}')" >/dev/null
up "SELECT hz_submit('{\"principal\":{\"role\":\"community\",\"unit\":\"u2\"},\"activities\":[
    {\"record_id\":\"00000000-0000-4000-8000-000000000601\",\"unit_code\":\"u2\",\"date\":\"2020-07-01\",\"category\":\"party\",\"title\":\"退休党员座谈会\",\"participants\":0,\"summary\":\"座谈。报告未给出参加人数。\"},
    {\"record_id\":\"00000000-0000-4000-8000-000000000602\",\"unit_code\":\"u2\",\"date\":\"2020-07-02\",\"category\":\"party\",\"title\":\"无人到场\",\"participants\":0,\"summary\":\"当天无人参加。\"},
    {\"record_id\":\"00000000-0000-4000-8000-000000000603\",\"unit_code\":\"u2\",\"date\":\"2020-07-03\",\"category\":\"party\",\"title\":\"讲座\",\"participants\":30,\"summary\":\"报告未给出人数以外的细节。\"}]}')" >/dev/null
for f in "$sql_dir"/[0-9]*.sql; do
    v=$(basename "$f"); v=${v%%_*}
    if [ $((10#$v)) -ge 60 ]; then apply hz_upgrade "$f"; fi
done
got=$(up "SELECT string_agg(title || '=' || coalesce(participants::text, 'NULL') || '/'
                            || coalesce(content->>'participants_unknown', '-'), ' ' ORDER BY record_id)
            FROM activity")
if [ "$got" = "退休党员座谈会=NULL/true 无人到场=0/- 讲座=30/-" ]; then
    echo "ok   060 on a database with data: only the count the record calls unreported is NULL"
else
    echo "FAIL 060 on a database with data: got '$got'"; exit 1
fi
got=$(up "SELECT hz_summary('{\"principal\":{\"role\":\"community\",\"unit\":\"u2\"},\"year\":2020}')
              #>> '{total_participants_unknown}'")
[ "$got" = 1 ] && echo "ok   060: hz_summary counts the unknown count apart" ||
    { echo "FAIL 060: total_participants_unknown '$got', want 1"; exit 1; }

# ---- helpers ----------------------------------------------------------------
failures=0
R=''
sq() { "${psql_hz[@]}" -c "$1"; }
# call FUNCTION JSON: R = the function's result
call() { R=$(sq "SELECT $1(\$j\$$2\$j\$::jsonb)") || R="{\"status\":\"SQL_ERROR\"}"; }
# get PATH: a field of R, e.g. get errors,0,field
get() { sq "SELECT \$j\$$R\$j\$::jsonb #>> '{$1}'"; }
check() { # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected '$2', got '$3'"
        echo "     result: $R"
        failures=$((failures + 1))
    fi
}
counts() {
    sq "SELECT (SELECT count(*) FROM activity) || '/' || (SELECT count(*) FROM indicator_value)
            || '/' || (SELECT count(*) FROM honor) || '/' || (SELECT count(*) FROM submission)"
}
principal() { # ROLE UNIT
    echo "{\"role\":\"$1\",\"unit\":\"$2\",\"fingerprint\":\"ab12cd\",\"peer\":\"127.0.0.1:50412\"}"
}
admin=$(principal admin '')
uid() { printf '00000000-0000-4000-8000-%012d' "$1"; }

# ---- the contract is public, the rest is hz_private ----------------------------
# The entry points: the functions server/*.c calls, and nothing else.
entry_points='hz_amend hz_audit_list hz_category_add hz_category_list hz_category_move
hz_category_rename hz_category_retire hz_category_section hz_cert_list hz_cert_revoke hz_compliance
hz_correction_approve hz_correction_file hz_correction_list hz_correction_reject
hz_deadline_list hz_deadline_set hz_enroll hz_enroll_create hz_export_page hz_hello
hz_indicator_add hz_indicator_list hz_indicator_retire hz_indicator_update hz_nil_report
hz_period_lock hz_period_lock_list hz_period_unlock hz_pull hz_quota_list hz_quota_set
hz_record_list hz_retract hz_submit hz_summary hz_unit_add hz_unit_list hz_unit_move
hz_unit_rename hz_unit_retire'
want_public=$(printf '%s\n' $entry_points | sort | sed 's/$/(p jsonb) jsonb/')
check "41 entry points in the list" 41 "$(printf '%s\n' $entry_points | sort -u | wc -l)"
for db in hz hz_existing; do
    check "$db: public holds exactly the entry points, hz_<op>(p jsonb) -> jsonb" "$want_public" \
        "$("${psql_base[@]}" -d "$db" -c "SELECT p.proname || '(' || pg_get_function_arguments(p.oid)
            || ') ' || format_type(p.prorettype, NULL) FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1")"
    check "$db: every entry point has the fixed search_path" 41 \
        "$("${psql_base[@]}" -d "$db" -c "SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace
              AND p.proconfig = '{\"search_path=public, hz_private, pg_temp\"}'")"
    check "$db: every entry point is SECURITY DEFINER, owned by the schema's owner" 41 \
        "$("${psql_base[@]}" -d "$db" -c "SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
              AND p.proowner = (SELECT nspowner FROM pg_namespace WHERE nspname = 'hz_private')")"
    check "$db: no function of public or hz_private is executable by PUBLIC" 0 \
        "$("${psql_base[@]}" -d "$db" -c "SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace IN ('public'::regnamespace, 'hz_private'::regnamespace)
              AND (p.proacl IS NULL OR EXISTS (SELECT FROM aclexplode(p.proacl) a WHERE a.grantee = 0))")"
    check "$db: no helper is SECURITY DEFINER" 0 \
        "$("${psql_base[@]}" -d "$db" -c "SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace = 'hz_private'::regnamespace AND p.prosecdef")"
    check "$db: every other function is in hz_private" 0 \
        "$("${psql_base[@]}" -d "$db" -c "SELECT count(*) FROM pg_proc p
            WHERE p.pronamespace NOT IN ('public'::regnamespace, 'hz_private'::regnamespace,
                                         'pg_catalog'::regnamespace, 'information_schema'::regnamespace)")"
    check "$db: hz_private holds the helpers, the trigger function among them" 'true true' \
        "$("${psql_base[@]}" -d "$db" -c "SELECT (SELECT count(*) > 50 FROM pg_proc
            WHERE pronamespace = 'hz_private'::regnamespace)
            || ' ' || (SELECT tgfoid = 'hz_private.hz_bump_change_seq()'::regprocedure
                       FROM pg_trigger WHERE tgname = 'activity_retract_seq')")"
done
dump() { pg_dump -s -d "$1" | grep -v '^\\\(un\)\?restrict '; }
if diff <(dump hz) <(dump hz_existing) >"$tmp/schema.diff"; then r=same; else r="differs: $(head -c 600 "$tmp/schema.diff")"; fi
check "both orders of migration give the same schema" same "$r"

# ---- org tree: d1 -> s1 -> c1, c2; d1 -> s2 -> c3 ---------------------------
for u in 'd1 区 district ""' 's1 街道一 street d1' 's2 街道二 street d1' \
         'c1 新光社区 community s1' 'c2 果园社区 community s1' 'c3 西园社区 community s2'; do
    read -r code name level parent <<<"$u"
    [ "$parent" = '""' ] && parent=''
    call hz_unit_add "{\"principal\":$admin,\"code\":\"$code\",\"name\":\"$name\",
                       \"level\":\"$level\",\"parent_code\":\"$parent\"}"
    check "unit_add $code created" 'OK true' "$(get status) $(get created)"
done
call hz_unit_add "{\"principal\":$admin,\"code\":\"c1\",\"name\":\"新光社区\",\"level\":\"community\",\"parent_code\":\"s1\"}"
check "unit_add again is OK, not created" 'OK false' "$(get status) $(get created)"
call hz_unit_add "{\"principal\":$admin,\"code\":\"c1\",\"name\":\"别的\",\"level\":\"community\",\"parent_code\":\"s1\"}"
check "unit_add same code, other name" ALREADY_EXISTS "$(get status)"
call hz_unit_add "{\"principal\":$admin,\"code\":\"c9\",\"name\":\"x\",\"level\":\"community\",\"parent_code\":\"nope\"}"
check "unit_add unknown parent" NOT_FOUND "$(get status)"
call hz_unit_add "{\"principal\":$(principal district d1),\"code\":\"c9\",\"name\":\"x\",\"level\":\"community\",\"parent_code\":\"s1\"}"
check "unit_add by a district" PERMISSION_DENIED "$(get status)"
call hz_unit_add "{\"principal\":$admin,\"code\":\"c9\",\"name\":\"x\",\"level\":\"community\",\"parent_code\":\"c1\"}"
check "unit_add below a community" INVALID_ARGUMENT "$(get status)"

# ---- hz_submit ---------------------------------------------------------------
pc1=$(principal community c1)
pc2=$(principal community c2)
pc3=$(principal community c3)
act1="{\"record_id\":\"$(uid 1)\",\"unit_code\":\"c1\",\"date\":\"2020-04-12\",\"category\":\"fire\",
       \"title\":\"消防安全知识讲座\",\"location\":\"社区活动室\",\"participants\":40,
       \"participants_at_least\":true,\"partners\":[\"消防中队\"],\"tags\":[\"安全\"],
       \"beneficiaries\":[\"杜玉霞\",\"胡永松\"]}"
iv1="{\"record_id\":\"$(uid 2)\",\"unit_code\":\"c1\",\"indicator\":\"briefs\",\"period\":\"2020-06\",\"value\":5}"
hon1="{\"record_id\":\"$(uid 3)\",\"unit_code\":\"c1\",\"date\":\"2020-06\",\"title\":\"太极拳比赛一等奖\",
       \"level\":\"district\",\"issuer\":\"区文体局\",\"recipient\":\"太极拳、剑队\"}"
batch1="{\"principal\":$pc1,\"activities\":[$act1],\"indicator_values\":[$iv1],\"honors\":[$hon1]}"

call hz_submit "$batch1"
check "submit valid batch" 'OK 3 0' "$(get status) $(get accepted) $(get duplicates)"
sub1=$(get submission_id)
check "submission row written" '1 3 1' "$(sq "SELECT count(*) || ' ' || max(record_count) || ' ' ||
    count(*) FILTER (WHERE fingerprint = 'ab12cd') FROM submission WHERE id = '$sub1'")"
before=$(counts)
check "row counts after first batch" '1/1/1/1' "$before"

call hz_submit "$batch1"
check "same batch again: all duplicates" 'OK 0 3' "$(get status) $(get accepted) $(get duplicates)"
check "all duplicates: no submission id" '' "$(get submission_id)"
check "all duplicates: nothing written" "$before" "$(counts)"

# The same record with its defaults spelled out and keys in another order.
act1b="{\"tags\":[\"安全\"],\"organiser\":\"\",\"summary\":\"\",\"record_id\":\"$(uid 1)\",\"unit_code\":\"c1\",
        \"date\":\"2020-04-12\",\"category\":\"fire\",\"title\":\"消防安全知识讲座\",\"location\":\"社区活动室\",
        \"participants\":40,\"participants_at_least\":true,\"partners\":[\"消防中队\"],
        \"beneficiaries\":[\"杜玉霞\",\"胡永松\"]}"
call hz_submit "{\"principal\":$pc1,\"activities\":[$act1b]}"
check "same record, defaults explicit: duplicate" 'OK 0 1' "$(get status) $(get accepted) $(get duplicates)"

act1c=${act1/\"participants\":40/\"participants\":41}
call hz_submit "{\"principal\":$pc1,\"activities\":[$act1c]}"
check "same record_id, other content" ALREADY_EXISTS "$(get status)"
check "already exists names the record" 'activity 0 record_id' "$(get errors,0,kind) $(get errors,0,index) $(get errors,0,field)"
check "already exists: nothing written" "$before" "$(counts)"

new_a() { # N CATEGORY -> an activity of c1 in June 2020
    echo "{\"record_id\":\"$(uid "$1")\",\"unit_code\":\"c1\",\"date\":\"2020-06-0$(( $1 % 9 + 1 ))\",
           \"category\":\"$2\",\"title\":\"活动$1\",\"participants\":10}"
}
call hz_submit "{\"principal\":$pc1,\"activities\":[$(new_a 11 culture),$(new_a 12 theory),$(new_a 13 xyz)]}"
check "unknown category" INVALID_ARGUMENT "$(get status)"
check "unknown category: index and field" '2 category' "$(get errors,0,index) $(get errors,0,field)"
check "unknown category: only one error" '' "$(get errors,1,field)"
check "bad third record: nothing written" "$before" "$(counts)"

call hz_submit "{\"principal\":$pc1,\"activities\":[$(new_a 14 culture),${act1/\"c1\"/\"c2\"}]}"
check "c1 submits for c2" PERMISSION_DENIED "$(get status)"
msg=$(get message)
case $msg in *"activity 1"*'"c2"'*) r=yes ;; *) r="no: $msg" ;; esac
check "permission message names record and unit" yes "$r"
check "permission denied: nothing written" "$before" "$(counts)"

call hz_submit "{\"principal\":$(principal district s1),\"activities\":[$(new_a 15 culture)]}"
check "district submits" PERMISSION_DENIED "$(get status)"

call hz_submit "{\"principal\":$pc1,\"indicator_values\":[{\"record_id\":\"$(uid 16)\",\"unit_code\":\"c1\",
    \"indicator\":\"research_reports\",\"period\":\"2020-06\",\"value\":1}]}"
check "quarterly indicator given a month" 'INVALID_ARGUMENT 0 period' "$(get status) $(get errors,0,index) $(get errors,0,field)"
case $(get errors,0,reason) in *2020-Q2*) r=yes ;; *) r=no ;; esac
check "period message shows the expected form" yes "$r"
call hz_submit "{\"principal\":$pc1,\"indicator_values\":[{\"record_id\":\"$(uid 17)\",\"unit_code\":\"c1\",
    \"indicator\":\"briefs\",\"period\":\"2020-Q2\",\"value\":1}]}"
check "monthly indicator given a quarter" 'INVALID_ARGUMENT period' "$(get status) $(get errors,0,field)"
call hz_submit "{\"principal\":$pc1,\"indicator_values\":[{\"record_id\":\"$(uid 18)\",\"unit_code\":\"c1\",
    \"indicator\":\"nosuch\",\"period\":\"2020-06\",\"value\":1}]}"
check "unknown indicator" 'INVALID_ARGUMENT indicator' "$(get status) $(get errors,0,field)"
call hz_submit "{\"principal\":$pc1,\"indicator_values\":[{\"record_id\":\"$(uid 19)\",\"unit_code\":\"c1\",
    \"indicator\":\"briefs\",\"period\":\"2020-06\",\"value\":7}]}"
check "second value for a taken indicator period" 'ALREADY_EXISTS period' "$(get status) $(get errors,0,field)"
check "rejected batches wrote nothing" "$before" "$(counts)"

# ---- more data for the summaries ---------------------------------------------
iv() { # N UNIT INDICATOR PERIOD VALUE
    echo "{\"record_id\":\"$(uid "$1")\",\"unit_code\":\"$2\",\"indicator\":\"$3\",\"period\":\"$4\",\"value\":$5}"
}
call hz_submit "{\"principal\":$pc1,\"indicator_values\":[$(iv 20 c1 briefs 2020-07 3),
    $(iv 21 c1 volunteers 2020-01 40),$(iv 22 c1 volunteers 2020-12 200),$(iv 23 c1 volunteers 2020-06 120),
    $(iv 24 c1 briefs 2019-12 50)]}"
check "c1 indicator values" 'OK 5' "$(get status) $(get accepted)"
call hz_submit "{\"principal\":$pc2,\"activities\":[{\"record_id\":\"$(uid 30)\",\"unit_code\":\"c2\",
    \"date\":\"2020-08-01\",\"category\":\"environment\",\"title\":\"啄木鸟在行动\",\"participants\":25}],
    \"indicator_values\":[$(iv 31 c2 briefs 2020-06 4),$(iv 32 c2 volunteers 2020-11 30)],
    \"honors\":[{\"record_id\":\"$(uid 33)\",\"unit_code\":\"c2\",\"date\":\"2020-03-08\",\"title\":\"文明社区\",\"level\":\"street\"}]}"
check "c2 batch" 'OK 4' "$(get status) $(get accepted)"
call hz_submit "{\"principal\":$pc3,\"activities\":[{\"record_id\":\"$(uid 40)\",\"unit_code\":\"c3\",
    \"date\":\"2020-05-04\",\"category\":\"youth\",\"title\":\"青少年禁毒教育\",\"participants\":60}],
    \"indicator_values\":[$(iv 41 c3 briefs 2020-06 10)]}"
check "c3 batch" 'OK 2' "$(get status) $(get accepted)"

# ---- concurrent identical submissions: one writes, the other sees duplicates --
conc="{\"principal\":$pc3,\"activities\":[{\"record_id\":\"$(uid 42)\",\"unit_code\":\"c3\",
    \"date\":\"2020-09-09\",\"category\":\"culture\",\"title\":\"中秋晚会\",\"participants\":80}]}"
before=$(counts)
"${psql_hz[@]}" -c "BEGIN" -c "SELECT hz_submit(\$j\$$conc\$j\$::jsonb)" -c "SELECT pg_sleep(1.5)" \
    -c "COMMIT" >"$tmp/conc_a.out" &
pid_a=$!
sleep 0.5
call hz_submit "$conc"
wait "$pid_a"
check "concurrent twin waits, then counts a duplicate" 'OK 0 1' "$(get status) $(get accepted) $(get duplicates)"
R=$(grep status "$tmp/conc_a.out")
check "concurrent first writer accepted" 'OK 1' "$(get status) $(get accepted)"
check "concurrent: written once" "$(sq "SELECT (SELECT count(*) FROM activity) || '/' ||
    (SELECT count(*) FROM indicator_value) || '/' || (SELECT count(*) FROM honor) || '/' ||
    (SELECT count(*) FROM submission)")" "$(echo "$before" | awk -F/ '{print $1+1"/"$2"/"$3"/"$4+1}')"

# ---- hz_summary ----------------------------------------------------------------
summary() { # ROLE UNIT TARGET GROUP_BY_JSON
    call hz_summary "{\"principal\":$(principal "$1" "$2"),\"year\":2020,\"unit_code\":\"$3\",\"group_by\":$4}"
}
# field of the activity group / indicator total matching a condition
group() { sq "SELECT g->>'$2' FROM jsonb_array_elements(\$j\$$R\$j\$::jsonb->'activity_groups') g WHERE $1"; }
total() { sq "SELECT t->>'value' FROM jsonb_array_elements(\$j\$$R\$j\$::jsonb->'indicator_totals') t WHERE $1"; }

summary district d1 d1 '["community"]'
check "district summary by community" OK "$(get status)"
check "c1 group" '1 40' "$(group "g->>'community' = 'c1'" activities) $(group "g->>'community' = 'c1'" participants)"
check "c2 group" '1 25 果园社区' "$(group "g->>'community' = 'c2'" activities) $(group "g->>'community' = 'c2'" participants) $(group "g->>'community' = 'c2'" community_name)"
check "c3 group (other street, same district)" '2' "$(group "g->>'community' = 'c3'" activities)"
check "no category key when not grouped by it" '' "$(group "g->>'community' = 'c1'" category)"
check "c1 briefs: sum of 2020 months" 8 "$(total "t->>'community' = 'c1' AND t->>'indicator' = 'briefs'")"
check "c1 volunteers: last of the year" 200 "$(total "t->>'community' = 'c1' AND t->>'indicator' = 'volunteers'")"
check "totals" '4 205' "$(get total_activities) $(get total_participants)"
check "lower-bound counts are flagged" 'true false true' "$(group "g->>'community' = 'c1'" participants_at_least) $(group "g->>'community' = 'c2'" participants_at_least) $(get total_participants_at_least)"
check "no activity list unless asked" '' "$(get activities)"
all_out=$R

call hz_summary "{\"principal\":$(principal district d1),\"year\":2020,\"unit_code\":\"s1\",\"list_activities\":true}"
check "activity list, by date" '2 2020-04-12 消防安全知识讲座 c2' "$(sq "SELECT jsonb_array_length(\$j\$$R\$j\$::jsonb->'activities')") $(get activities,0,date) $(get activities,0,title) $(get activities,1,community)"
all_out+=$R

summary district d1 '' '[]'
check "district summary, no grouping: one row" '1 4 205' "$(sq "SELECT jsonb_array_length(\$j\$$R\$j\$::jsonb->'activity_groups')") $(get activity_groups,0,activities) $(get activity_groups,0,participants)"
check "briefs across communities: sum" 22 "$(total "t->>'indicator' = 'briefs'")"
check "volunteers across communities: sum of each one's last" 230 "$(total "t->>'indicator' = 'volunteers'")"
check "indicator total carries unit and aggregation" '篇 sum' "$(sq "SELECT t->>'unit' || ' ' || (t->>'aggregation') FROM jsonb_array_elements(\$j\$$R\$j\$::jsonb->'indicator_totals') t WHERE t->>'indicator' = 'briefs'")"
check "honors sorted by date, partial dates kept" '2020-03-08 2020-06' "$(get honors,0,date) $(get honors,1,date)"
all_out+=$R

summary district s1 s1 '["category","month"]'
check "street summary stays in its subtree" '2 65' "$(get total_activities) $(get total_participants)"
check "grouped by category and month" '1 fire 消防宣传' "$(group "g->>'month' = '2020-04'" activities) $(group "g->>'month' = '2020-04'" category) $(group "g->>'month' = '2020-04'" category_name)"
all_out+=$R

summary district s1 s1 '[]'
check "street briefs exclude the other street" 12 "$(total "t->>'indicator' = 'briefs'")"
summary district s1 s1 '["month"]'
check "briefs by month" '9 3' "$(total "t->>'indicator' = 'briefs' AND t->>'month' = '2020-06'") $(total "t->>'indicator' = 'briefs' AND t->>'month' = '2020-07'")"
all_out+=$R

summary community c1 '' '["community","category","month"]'
check "community reads its own unit" 'OK c1' "$(get status) $(get unit_code)"
all_out+=$R

summary community c1 c2 '[]'
check "c1 reads c2" PERMISSION_DENIED "$(get status)"
summary district s1 s2 '[]'
check "s1 reads s2" PERMISSION_DENIED "$(get status)"
summary district s1 c1 '[]'
check "s1 reads c1 below it" OK "$(get status)"
summary district d1 nosuch '[]'
check "unknown unit" NOT_FOUND "$(get status)"
summary admin '' c3 '[]'
check "admin reads anything" 'OK 2' "$(get status) $(get total_activities)"
summary district d1 d1 '["week"]'
check "unknown group_by" 'INVALID_ARGUMENT group_by' "$(get status) $(get errors,0,field)"

# Only the live version counts: amend c3's youth activity (60 -> 70 people)
# and retract its evening party, as the amend and retract operations will.
sq "BEGIN;
    UPDATE activity SET is_current = false WHERE record_id = '$(uid 40)';
    INSERT INTO activity (record_id, version, unit_id, submission_id, date, category_code, title,
                          participants, content)
    SELECT record_id, 2, unit_id, submission_id, date, category_code, title, 70,
           content || '{\"participants\":70}'
    FROM activity WHERE record_id = '$(uid 40)' AND version = 1;
    UPDATE activity SET retracted_at = now() WHERE record_id = '$(uid 42)';
    COMMIT;" >/dev/null
summary admin '' c3 '[]'
check "amended and retracted records" '1 70' "$(get total_activities) $(get total_participants)"

case $all_out in *杜玉霞*|*胡永松*|*beneficiar*) r=leaked ;; *) r=absent ;; esac
check "beneficiaries never in summaries" absent "$r"

# ---- every entry point: one valid and one invalid call --------------------------
# expect NAME FUNCTION JSON STATUS MESSAGE: the call's exact status and message
# (OK results have none), a time in the message written as <time>.
expect() {
    call "$2" "$3"
    check "$1" "$4|$5" "$(get status)|$(get message | sed -E \
        's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(Z| UTC)/<time>/g')"
}
pd1=$(principal district d1)
ps1=$(principal district s1)
ps2=$(principal district s2)
hex() { printf '%064d' "$1"; }
called=''
e() { called+=" $2"; expect "$@"; } # as expect, and counts FUNCTION as called

e "hello" hz_hello "{\"principal\":$pc1}" OK ''
check "hello names the unit" 新光社区 "$(get unit_name)"
call hz_hello "{\"principal\":$admin}"
check "hello of an admin of no unit" 'OK|' "$(get status)|$(get unit_name)"
e "hello: unit not in the tree" hz_hello "{\"principal\":$(principal community nosuch)}" \
    UNAUTHENTICATED 'certificate names unit "nosuch", which is not in the org tree'

e "submit: nothing new" hz_submit "$batch1" OK ''
e "submit by a district" hz_submit "{\"principal\":$ps1,\"activities\":[$(new_a 15 culture)]}" \
    PERMISSION_DENIED 'only a community can submit records; this principal is district'
e "summary" hz_summary "{\"principal\":$pd1,\"year\":2020,\"unit_code\":\"s2\"}" OK ''
e "summary: year out of range" hz_summary "{\"principal\":$pd1,\"year\":1500}" INVALID_ARGUMENT \
    'request 0: year: must be a year between 1900 and 2999, got 1500'

# -- org tree
e "unit_add" hz_unit_add "{\"principal\":$admin,\"code\":\"g1\",\"name\":\"一网格\",\"level\":\"grid\",\"parent_code\":\"c3\"}" OK ''
e "unit_add by a district" hz_unit_add "{\"principal\":$pd1,\"code\":\"g2\",\"name\":\"x\",\"level\":\"grid\",\"parent_code\":\"c3\"}" \
    PERMISSION_DENIED 'only an administrator can add org units; this certificate is district for "d1"'
e "unit_rename" hz_unit_rename "{\"principal\":$admin,\"code\":\"g1\",\"name\":\"第一网格\"}" OK ''
e "unit_rename unknown unit" hz_unit_rename "{\"principal\":$admin,\"code\":\"nosuch\",\"name\":\"x\"}" \
    NOT_FOUND 'unit "nosuch" is not in the org tree'
e "unit_move" hz_unit_move "{\"principal\":$admin,\"code\":\"g1\",\"parent_code\":\"c2\"}" OK ''
e "unit_move under its own descendant" hz_unit_move "{\"principal\":$admin,\"code\":\"s1\",\"parent_code\":\"c1\"}" \
    INVALID_ARGUMENT 'cannot move s1 under its own descendant c1'
e "unit_retire" hz_unit_retire "{\"principal\":$admin,\"code\":\"g1\"}" OK ''
e "unit_retire with units below" hz_unit_retire "{\"principal\":$admin,\"code\":\"s1\"}" FAILED_PRECONDITION \
    'unit s1 still has 2 active unit(s) below it: c1, c2; retire or move them first'
e "unit_list" hz_unit_list "{\"principal\":$ps1}" OK ''
check "unit_list: the subtree, retired units included" 's1 c1 c2 g1' "$(sq "SELECT string_agg(u->>'code', ' ') FROM jsonb_array_elements(\$j\$$R\$j\$::jsonb->'units') u")"
e "unit_list outside the subtree" hz_unit_list "{\"principal\":$ps1,\"under\":\"s2\"}" PERMISSION_DENIED \
    'unit "s2" is outside what "s1" may read (its own subtree)'

# -- categories and indicators
e "category_add" hz_category_add "{\"principal\":$admin,\"code\":\"garden\",\"name\":\"园艺\",\"parent_code\":\"\"}" OK ''
e "category_add by a community" hz_category_add "{\"principal\":$pc1,\"code\":\"garden2\",\"name\":\"x\"}" \
    PERMISSION_DENIED 'only an administrator can add categories; this certificate is community for "c1"'
e "category_rename" hz_category_rename "{\"principal\":$admin,\"code\":\"garden\",\"name\":\"园艺活动\"}" OK ''
e "category_rename unknown" hz_category_rename "{\"principal\":$admin,\"code\":\"nosuch\",\"name\":\"x\"}" \
    NOT_FOUND 'category "nosuch" is not in the taxonomy'
e "category_move" hz_category_move "{\"principal\":$admin,\"code\":\"garden\",\"parent_code\":\"culture\"}" OK ''
e "category_move under itself" hz_category_move "{\"principal\":$admin,\"code\":\"garden\",\"parent_code\":\"garden\"}" \
    INVALID_ARGUMENT 'cannot move garden under itself'
e "category_retire" hz_category_retire "{\"principal\":$admin,\"code\":\"garden\"}" OK ''
e "category_section by the district" hz_category_section "{\"principal\":$pd1,\"code\":\"fire\",\"section\":\"culture\"}" OK ''
check "category_section: changed, listed" 'true culture' \
    "$(get changed) $(sq "SELECT c->>'report_section' FROM jsonb_array_elements(hz_category_list('{\"principal\":$pd1}')->'categories') c WHERE c->>'code' = 'fire'")"
e "category_section by a street office" hz_category_section "{\"principal\":$ps1,\"code\":\"fire\",\"section\":\"\"}" \
    PERMISSION_DENIED 'only an admin or a district office assigns categories to report sections; this principal is district s1'
e "category_section: a bad key" hz_category_section "{\"principal\":$admin,\"code\":\"fire\",\"section\":\"Bad Key\"}" \
    INVALID_ARGUMENT 'section: invalid code "Bad Key" (want a-z, 0-9, _ or -, at most 63 characters)'
e "category_section cleared" hz_category_section "{\"principal\":$admin,\"code\":\"fire\",\"section\":\"\"}" OK ''
e "category_retire: bad code" hz_category_retire "{\"principal\":$admin,\"code\":\"Bad Code\"}" \
    INVALID_ARGUMENT 'code: invalid code "Bad Code" (want a-z, 0-9, _ or -, at most 63 characters)'
e "category_list" hz_category_list "{\"principal\":$pc1}" OK ''
e "category_list without a role" hz_category_list "{\"principal\":$(principal '' c1)}" \
    PERMISSION_DENIED 'principal role "" may not list categories'
e "indicator_add" hz_indicator_add "{\"principal\":$admin,\"code\":\"boards\",\"name\":\"宣传栏\",\"unit\":\"块\",
    \"period_type\":\"month\",\"aggregation\":\"sum\"}" OK ''
e "indicator_add: unknown aggregation" hz_indicator_add "{\"principal\":$admin,\"code\":\"boards2\",\"name\":\"x\",
    \"unit\":\"块\",\"period_type\":\"month\",\"aggregation\":\"median\"}" INVALID_ARGUMENT \
    'aggregation: unknown aggregation "median" (want sum, last, max or avg)'
e "indicator_update" hz_indicator_update "{\"principal\":$admin,\"code\":\"boards\",\"name\":\"宣传栏数\"}" OK ''
e "indicator_update: held values keep their period type" hz_indicator_update \
    "{\"principal\":$admin,\"code\":\"briefs\",\"period_type\":\"quarter\"}" FAILED_PRECONDITION \
    'indicator briefs has 5 value(s); its period type (month) and aggregation (sum) cannot change without rewriting their history; add a new indicator instead'
e "indicator_retire" hz_indicator_retire "{\"principal\":$admin,\"code\":\"boards\"}" OK ''
e "indicator_retire unknown" hz_indicator_retire "{\"principal\":$admin,\"code\":\"nosuch\"}" \
    NOT_FOUND 'indicator "nosuch" is not defined'
e "indicator_list" hz_indicator_list "{\"principal\":$pc2}" OK ''
e "indicator_list without a role" hz_indicator_list "{\"principal\":$(principal '' c1)}" \
    PERMISSION_DENIED 'principal role "" may not list indicators'

# -- enrollment, certificates, audit
e "enroll_create" hz_enroll_create "{\"principal\":$admin,\"code_hash\":\"$(hex 1)\",\"unit_code\":\"c3\",
    \"role\":\"community\",\"expires_seconds\":3600}" OK ''
e "enroll_create by a district" hz_enroll_create "{\"principal\":$pd1,\"code_hash\":\"$(hex 2)\",\"unit_code\":\"c3\",
    \"role\":\"community\",\"expires_seconds\":3600}" \
    PERMISSION_DENIED 'only an administrator can create enrollment codes; this certificate is district for "d1"'
e "enroll" hz_enroll "{\"principal\":{\"role\":\"\",\"unit\":\"\",\"peer\":\"127.0.0.1:1\"},\"code_hash\":\"$(hex 1)\",
    \"unit_code\":\"c3\",\"role\":\"community\",\"fingerprint\":\"$(hex 7)\",\"serial\":\"0a\",
    \"not_after\":\"2030-01-01T00:00:00Z\"}" OK ''
e "enroll with a used code" hz_enroll "{\"principal\":{\"role\":\"\",\"unit\":\"\"},\"code_hash\":\"$(hex 1)\",
    \"unit_code\":\"c3\",\"role\":\"community\",\"fingerprint\":\"$(hex 8)\",\"serial\":\"0b\",
    \"not_after\":\"2030-01-01T00:00:00Z\"}" FAILED_PRECONDITION \
    'enrollment code was already used on <time>; ask for a new one'
e "cert_list" hz_cert_list "{\"principal\":$admin,\"unit_code\":\"c3\"}" OK ''
check "cert_list: the enrolled certificate" "$(hex 7)" "$(get certs,0,fingerprint)"
e "cert_list by a community" hz_cert_list "{\"principal\":$pc1}" \
    PERMISSION_DENIED 'only an administrator can list certificates; this certificate is community for "c1"'
e "cert_revoke" hz_cert_revoke "{\"principal\":$admin,\"fingerprint\":\"$(hex 7)\",\"reason\":\"lost\"}" OK ''
e "cert_revoke unknown" hz_cert_revoke "{\"principal\":$admin,\"fingerprint\":\"$(hex 9)\"}" \
    NOT_FOUND "no certificate with fingerprint $(hex 9) was issued or seen"
e "cert_revoke by a district" hz_cert_revoke "{\"principal\":$pd1,\"fingerprint\":\"$(hex 7)\"}" \
    PERMISSION_DENIED 'only an administrator can revoke certificates; this certificate is district for "d1"'
e "audit_list" hz_audit_list "{\"principal\":$ps1,\"unit_code\":\"c1\"}" OK ''
e "audit_list outside the subtree" hz_audit_list "{\"principal\":$ps1,\"unit_code\":\"s2\"}" \
    PERMISSION_DENIED 'unit "s2" is not within "s1"'

# -- quotas, deadlines, locks
e "quota_set" hz_quota_set "{\"principal\":$ps1,\"unit_code\":\"c1\",\"indicator\":\"briefs\",\"period_type\":\"month\",
    \"minimum\":2,\"effective_from\":\"2020-01\"}" OK ''
e "quota_set outside the subtree" hz_quota_set "{\"principal\":$ps2,\"unit_code\":\"c1\",\"indicator\":\"briefs\",
    \"period_type\":\"month\",\"minimum\":2,\"effective_from\":\"2020-01\"}" \
    PERMISSION_DENIED 'unit "c1" is outside the subtree of s2'
e "quota_set by a community" hz_quota_set "{\"principal\":$pc1,\"unit_code\":\"c1\"}" PERMISSION_DENIED \
    'only an admin or a district principal can set quotas; this principal is community c1'
e "quota_list" hz_quota_list "{\"principal\":$pc1}" OK ''
check "quota_list: the quota above the community" 'c1 2' "$(get quotas,0,unit_code) $(get quotas,0,minimum)"
e "quota_list unknown unit" hz_quota_list "{\"principal\":$ps1,\"unit_code\":\"nosuch\"}" \
    NOT_FOUND 'unit "nosuch" is not in the org tree'
e "quota_list outside the subtree" hz_quota_list "{\"principal\":$ps1,\"unit_code\":\"c3\"}" \
    PERMISSION_DENIED 'unit "c3" is outside the subtree of s1'
e "deadline_set" hz_deadline_set "{\"principal\":$ps1,\"indicators\":[\"briefs\"],\"day\":10}" OK ''
e "deadline_set: day out of range" hz_deadline_set "{\"principal\":$ps1,\"indicators\":[\"briefs\"],\"day\":40}" \
    INVALID_ARGUMENT 'day: want a day of the month from 1 to 28, got 40'
e "deadline_list" hz_deadline_list "{\"principal\":$pc1}" OK ''
check "deadline_list: the street's rule" 's1 10' "$(get deadlines,0,unit_code) $(get deadlines,0,day)"
e "deadline_list outside the subtree" hz_deadline_list "{\"principal\":$ps2,\"unit_code\":\"s1\"}" \
    PERMISSION_DENIED 'unit "s1" is outside the subtree of s2'
e "period_lock" hz_period_lock "{\"principal\":$ps1,\"unit_code\":\"c1\",\"period\":\"2020-04\"}" OK ''
e "period_lock: bad period" hz_period_lock "{\"principal\":$ps1,\"unit_code\":\"c1\",\"period\":\"April\"}" \
    INVALID_ARGUMENT 'period: invalid period "April" (want YYYY, YYYY-Qn or YYYY-MM)'
e "period_lock_list" hz_period_lock_list "{\"principal\":$pc1}" OK ''
check "period_lock_list: the lock" 'c1 2020-04' "$(get locks,0,unit_code) $(get locks,0,period)"
e "period_lock_list unknown unit" hz_period_lock_list "{\"principal\":$admin,\"unit_code\":\"nosuch\"}" \
    NOT_FOUND 'unit "nosuch" is not in the org tree'
e "period_lock_list outside the subtree" hz_period_lock_list "{\"principal\":$pc1,\"unit_code\":\"s1\"}" \
    PERMISSION_DENIED 'unit "s1" is outside the subtree of c1'

# -- record versions and corrections (c1's fire lecture of 2020-04-12 is now locked)
e "amend" hz_amend "{\"principal\":$pc2,\"record_id\":\"$(uid 30)\",\"activity\":{\"date\":\"2020-08-01\",
    \"category\":\"environment\",\"title\":\"啄木鸟在行动\",\"participants\":26}}" OK ''
e "amend in a locked period" hz_amend "{\"principal\":$pc1,\"record_id\":\"$(uid 1)\",\"activity\":${act1c}}" \
    FAILED_PRECONDITION "period 2020-04 is locked for c1 since <time> by district s1; nothing was written (file a correction: huizong correct $(uid 1))"
e "retract" hz_retract "{\"principal\":$pc2,\"record_id\":\"$(uid 30)\",\"reason\":\"重复\"}" OK ''
e "retract someone else's record" hz_retract "{\"principal\":$pc2,\"record_id\":\"$(uid 2)\",\"reason\":\"x\"}" \
    PERMISSION_DENIED "record $(uid 2) belongs to c1, not to c2; only its own community can retract it"
e "record_list" hz_record_list "{\"principal\":$pc2,\"year\":2020,\"versions\":true}" OK ''
e "record_list: year out of range" hz_record_list "{\"principal\":$pc2,\"year\":1500}" \
    INVALID_ARGUMENT 'year: want a year like 2020, got 1500'
e "nil_report" hz_nil_report "{\"principal\":$pc2,\"period\":\"2020-09\",\"indicators\":[\"briefs\"]}" OK ''
e "nil_report by a district" hz_nil_report "{\"principal\":$ps1,\"period\":\"2020-09\"}" PERMISSION_DENIED \
    'only a community can declare nothing to report; this principal is district s1'
e "correction_file" hz_correction_file "{\"principal\":$pc1,\"record_id\":\"$(uid 1)\",\"reason\":\"人数有误\",
    \"activity\":${act1c}}" OK ''
corr=$(get correction_id)
e "correction_file without a reason" hz_correction_file "{\"principal\":$pc1,\"record_id\":\"$(uid 1)\",
    \"activity\":${act1c}}" INVALID_ARGUMENT 'reason: required (why the record must change)'
e "correction_list" hz_correction_list "{\"principal\":$ps1}" OK ''
check "correction_list: the request" "$corr pending" "$(get corrections,0,correction_id) $(get corrections,0,status)"
e "correction_list outside the subtree" hz_correction_list "{\"principal\":$ps2,\"unit_code\":\"c1\"}" \
    PERMISSION_DENIED 'unit "c1" is outside the subtree of s2'
e "correction_reject from outside the subtree" hz_correction_reject "{\"principal\":$ps2,\"correction_id\":$corr,\"reason\":\"x\"}" \
    PERMISSION_DENIED "correction $corr is for c1, which is outside the subtree of s2"
e "correction_approve" hz_correction_approve "{\"principal\":$ps1,\"correction_id\":$corr}" OK ''
e "correction_approve again" hz_correction_approve "{\"principal\":$ps1,\"correction_id\":$corr}" \
    FAILED_PRECONDITION "correction $corr was already approved on <time> by district s1"
e "correction_file to retract" hz_correction_file "{\"principal\":$pc1,\"record_id\":\"$(uid 1)\",\"reason\":\"取消\",
    \"retract\":true}" OK ''
corr=$(get correction_id)
e "correction_reject" hz_correction_reject "{\"principal\":$ps1,\"correction_id\":$corr,\"reason\":\"照旧\"}" OK ''
e "correction_approve by a community" hz_correction_approve "{\"principal\":$pc1,\"correction_id\":$corr}" \
    PERMISSION_DENIED 'only a district principal above the community (or an admin) can approve a correction; this principal is community c1'
e "period_unlock" hz_period_unlock "{\"principal\":$ps1,\"unit_code\":\"c1\",\"period\":\"2020-04\"}" OK ''
e "period_unlock: not locked" hz_period_unlock "{\"principal\":$ps1,\"unit_code\":\"c1\",\"period\":\"2020-04\"}" \
    NOT_FOUND 'period 2020-04 is not locked for c1'

# -- reading a subtree: export, pull, compliance
e "export_page" hz_export_page "{\"principal\":$ps1,\"year\":2020,\"page_size\":2}" OK ''
check "export_page: a full page and a next key" '2 t' "$(sq "SELECT jsonb_array_length(\$j\$$R\$j\$::jsonb->'records')") $(sq "SELECT \$j\$$R\$j\$::jsonb ? 'next'")"
e "export_page outside the subtree" hz_export_page "{\"principal\":$ps1,\"year\":2020,\"unit_code\":\"c3\"}" \
    PERMISSION_DENIED 'unit "c3" is outside what "s1" may read (its own subtree)'
e "export_page: year out of range" hz_export_page "{\"principal\":$ps1,\"year\":1500}" \
    INVALID_ARGUMENT 'request 0: year: must be a year between 1900 and 2999, got 1500'
e "pull" hz_pull "{\"principal\":$pc3,\"since\":0}" OK ''
check "pull: every version of c3's records, no span needed" '4 false' "$(sq "SELECT jsonb_array_length(\$j\$$R\$j\$::jsonb->'records')") $(get more)"
e "pull: negative cursor" hz_pull "{\"principal\":$pc3,\"since\":-1}" \
    INVALID_ARGUMENT 'since: must be a cursor (a whole number >= 0)'
e "pull outside the unit" hz_pull "{\"principal\":$pc3,\"unit_code\":\"c1\"}" \
    PERMISSION_DENIED 'unit "c1" is outside what "c3" may read (its own records)'
e "compliance" hz_compliance "{\"principal\":$ps1,\"year\":2020,\"unit_code\":\"c1\"}" OK ''
check "compliance: twelve months of briefs against the quota" 12 "$(sq "SELECT jsonb_array_length(\$j\$$R\$j\$::jsonb->'rows')")"
e "compliance: from without to" hz_compliance "{\"principal\":$ps1,\"from\":\"2020-01\"}" \
    INVALID_ARGUMENT 'request 0: from: from and to go together: give both months, or a year'

missing=$(for f in $entry_points; do case " $called " in *" $f "*) ;; *) echo "$f" ;; esac; done)
check "every entry point called" '' "$missing"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
