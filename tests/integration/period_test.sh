#!/usr/bin/env bash
# Quotas, deadlines, period states, locks, amends, retractions, nil reports
# and correction requests through the huizong command line, against a real
# huizongd (embedded PostgreSQL) on a free port. Every refusal is checked for
# its exit code, its status and message, and that nothing was written (the
# row counts of every table involved, the audit trail included).
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/period_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

IT_NAME=period
. "$(dirname "$0")/it_lib.sh"

# Row counts of everything a refused call might have written.
snap() {
    pg "select concat_ws('/', (select count(*) from activity), (select count(*) from indicator_value),
        (select count(*) from honor), (select count(*) from submission), (select count(*) from quota),
        (select count(*) from deadline_rule), (select count(*) from period_lock),
        (select count(*) from period_lock where unlocked_at is not null),
        (select count(*) from nil_report), (select count(*) from correction_request),
        (select count(*) from correction_request where status <> 'pending'),
        (select count(*) from audit))"
}

# refused NAME EXIT STATUS MESSAGE_PART CMD...: the command fails with EXIT,
# stderr names STATUS and MESSAGE_PART, and no table changed.
refused() {
    local name=$1 want=$2 status=$3 part=$4 before after
    shift 4
    before=$(snap)
    if check "$name" "$want" "$@"; then
        [ -z "$status" ] || expect "$name: status $status" "$T/err" "$status: "
        expect "$name: message" "$T/err" "$part"
    fi
    after=$(snap)
    is "$name: nothing written" "$before" "$after"
}

# unchanged NAME CMD...: succeeds and writes nothing (not even an audit row).
unchanged() {
    local name=$1 before after
    shift
    before=$(snap)
    check "$name" 0 "$@" || true
    after=$(snap)
    is "$name: nothing written" "$before" "$after"
}

# ---------------------------------------------------------------- setup ----
make_certs admin:d1:admin district:d1:district s1:s1:district s2:s2:district \
           c1:c1:community c2:c2:community c3:c3:community

start_server
ok "huizongd ready on port $PORT"

while IFS=: read -r code name level parent; do
    hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
        ${parent:+--parent "$parent"} >/dev/null
done <<'EOF2'
d1:测试区:district:
s1:第一街道:street:d1
s2:第二街道:street:d1
c1:一社区:community:s1
c2:二社区:community:s1
c3:三社区:community:s2
EOF2
uid() { pg "select id from org_unit where code = '$1'"; }
C1=$(uid c1)
C2=$(uid c2)

# --------------------------------------------------------------- help ----
check "admin quota --help" 0 hz admin quota --help || true
for verb in "quota set" "quota list" "deadline set" "deadline list" "period lock" "period unlock" "period list" \
            "correction list" "correction approve" "correction reject"; do
    expect "admin help documents $verb" "$T/out" "$verb"
done
check "admin correction --help" 0 hz admin correction approve --help || true
expect "correction help is the period help" "$T/out" "correction reject"
for cmd in list amend retract nil correct; do
    check "$cmd --help" 0 hz "$cmd" --help || true
    for verb in list amend retract nil correct; do
        expect "$cmd --help documents $verb" "$T/out" "$verb "
    done
done
check "overall help lists the period commands" 0 hz --help || true
expect "overall help: amend" "$T/out" "amend RECORD_ID --file"
expect "overall help: quota" "$T/out" "admin quota set"

# ------------------------------------------------------------- quotas ----
if check "admin sets briefs quota for s1" 0 hz $(as admin) admin quota set --unit s1 \
        --indicator briefs --period-type month --min 2 --from 2020-01; then
    expect "quota set says set" "$T/out" "at least 2 (set)"
fi
check "admin sets opinion quota for s1" 0 hz $(as admin) admin quota set --unit s1 \
    --indicator opinion_reports --period-type month --min 1 --from 2020-01 || true
unchanged "the same quota again" hz $(as admin) admin quota set --unit s1 --indicator briefs \
    --period-type month --min 2 --from 2020-01
expect "the same quota again says so" "$T/out" "already set"

is "effective quota of c1 in 2020-06" "2|s1" \
    "$(pg_private "select minimum || '|' || defined_on from hz_quota_effective($C1, 'briefs', '2020-06-01')")"
is "no quota before it applies" "0" \
    "$(pg_private "select count(*) from hz_quota_effective($C1, 'briefs', '2019-12-01')")"

check "s1 sets a lower quota for c1 from 2020-07" 0 hz $(as s1) admin quota set --unit c1 \
    --indicator briefs --period-type month --min 1 --from 2020-07 || true
is "nearest unit wins once in force" "1|c1" \
    "$(pg_private "select minimum || '|' || defined_on from hz_quota_effective($C1, 'briefs', '2020-08-01')")"
is "before that the street's quota holds" "2|s1" \
    "$(pg_private "select minimum || '|' || defined_on from hz_quota_effective($C1, 'briefs', '2020-06-01')")"
is "c2 keeps the street's quota" "2|s1" \
    "$(pg_private "select minimum || '|' || defined_on from hz_quota_effective($C2, 'briefs', '2020-08-01')")"

check "admin changes the street quota from 2020-01" 0 hz $(as admin) admin quota set --unit s1 \
    --indicator briefs --period-type month --min 3 --from 2020-01 || true
is "the change is in force" "3" \
    "$(pg_private "select minimum from hz_quota_effective($C2, 'briefs', '2020-03-01')")"
is "the old row is kept" "2" "$(pg "select count(*) from quota q join org_unit o on o.id = q.unit_id
    where o.code = 's1' and indicator_code = 'briefs'")"
if check "quota list for c1" 0 hz $(as c1) admin quota list --unit c1 --format json; then
    is "list shows what applies to c1" "c1:briefs:1 s1:briefs:3 s1:opinion_reports:1" \
        "$(jq -r '[.quotas[] | "\(.unit_code):\(.indicator):\(.minimum)"] | join(" ")' "$T/out")"
fi
if check "quota list --history" 0 hz $(as district) admin quota list --indicator briefs --history; then
    expect "history shows the replaced row" "$T/out" "replaced"
    is "history has three briefs rows" "3" "$(grep -c ' briefs ' "$T/out")"
fi
check "admin sets it back to 2" 0 hz $(as admin) admin quota set --unit s1 \
    --indicator briefs --period-type month --min 2 --from 2020-01 || true

refused "quota below zero" 4 INVALID_ARGUMENT "minimum: must be a number >= 0, got -1" \
    hz $(as admin) admin quota set --unit s1 --indicator briefs --period-type month --min -1 --from 2020-01
refused "quota for an unknown unit" 4 NOT_FOUND 'unit "nosuch" is not in the org tree' \
    hz $(as admin) admin quota set --unit nosuch --indicator briefs --period-type month --min 1 --from 2020-01
refused "quota for an unknown indicator" 4 INVALID_ARGUMENT 'indicator: unknown indicator "nosuch"' \
    hz $(as admin) admin quota set --unit s1 --indicator nosuch --period-type month --min 1 --from 2020-01
refused "quota from a quarter for a monthly quota" 4 INVALID_ARGUMENT \
    'effective_from: "2020-Q1" is not a month (want e.g. "2020-01")' \
    hz $(as admin) admin quota set --unit s1 --indicator briefs --period-type month --min 1 --from 2020-Q1
refused "monthly quota on a quarterly indicator" 4 INVALID_ARGUMENT \
    'indicator research_reports is recorded per quarter; a quota on it cannot be per month' \
    hz $(as admin) admin quota set --unit s1 --indicator research_reports --period-type month --min 1 --from 2020-01
refused "a community cannot set quotas" 4 PERMISSION_DENIED "only an admin or a district principal" \
    hz $(as c1) admin quota set --unit c1 --indicator briefs --period-type month --min 0 --from 2020-01
refused "a street cannot set quotas outside its subtree" 4 PERMISSION_DENIED \
    'unit "c1" is outside the subtree of s2' \
    hz $(as s2) admin quota set --unit c1 --indicator briefs --period-type month --min 5 --from 2020-01
refused "quota --min not a number" 1 "" "--min abc: want a number" \
    hz $(as admin) admin quota set --unit s1 --indicator briefs --period-type month --min abc --from 2020-01
refused "quota list of an unknown indicator" 4 INVALID_ARGUMENT 'unknown indicator "nosuch"' \
    hz $(as admin) admin quota list --indicator nosuch

# ----------------------------------------------------------- deadlines ----
is "default deadline is the 5th of the next month (CST)" "2020-07-05 16:00:00+00" \
    "$(pg_private "set timezone = 'UTC'; select hz_deadline($C1, 'briefs', '2020-06')")"
if check "admin sets a deadline" 0 hz $(as admin) admin deadline set \
        --indicators briefs,opinion_reports --day 10; then
    expect "two rules changed" "$T/out" "(2 changed)"
fi
unchanged "the same deadline again" hz $(as admin) admin deadline set \
    --indicators briefs,opinion_reports --day 10
is "deadline follows the rule" "2020-07-10 16:00:00+00" \
    "$(pg_private "set timezone = 'UTC'; select hz_deadline($C1, 'briefs', '2020-06')")"
check "s1 sets its own deadline" 0 hz $(as s1) admin deadline set --indicators briefs --day 3 || true
is "the nearest unit's deadline wins" "2020-07-03 16:00:00+00" \
    "$(pg_private "set timezone = 'UTC'; select hz_deadline($C1, 'briefs', '2020-06')")"
is "quarterly deadline" "2020-07-05 16:00:00+00" \
    "$(pg_private "set timezone = 'UTC'; select hz_deadline($C1, 'research_reports', '2020-Q2')")"
if check "deadline list for c1" 0 hz $(as c1) admin deadline list; then
    expect "c1 sees the rule of everywhere" "$T/out" "(everywhere)  opinion_reports   10"
    expect "c1 sees its street's rule" "$T/out" "s1            briefs             3"
fi
refused "deadline list outside the subtree" 4 PERMISSION_DENIED 'unit "s1" is outside the subtree of s2' \
    hz $(as s2) admin deadline list --unit s1
refused "deadline for an unknown indicator" 4 INVALID_ARGUMENT 'unknown indicator "nosuch"' \
    hz $(as admin) admin deadline set --indicators briefs,nosuch --day 5
refused "deadline day 31" 4 INVALID_ARGUMENT "day: want a day of the month from 1 to 28, got 31" \
    hz $(as admin) admin deadline set --indicators briefs --day 31
refused "deadline for an unknown unit" 4 NOT_FOUND 'unit "nosuch" is not in the org tree' \
    hz $(as admin) admin deadline set --indicators briefs --day 5 --unit nosuch
refused "a community cannot set deadlines" 4 PERMISSION_DENIED "only an admin or a district principal" \
    hz $(as c1) admin deadline set --indicators briefs --day 5 --unit c1

# ------------------------------------------------- records and versions ----
A=11111111-1111-4111-8111-000000000001
B=11111111-1111-4111-8111-000000000002
H=11111111-1111-4111-8111-000000000003
L=11111111-1111-4111-8111-000000000004
NOW_MONTH=$(date -u +%Y-%m)
cat >"$T/c1.json" <<EOF2
{
  "activities": [
    {"record_id": "$A", "date": "2020-04-12", "category": "fire", "title": "消防安全知识讲座",
     "participants": 40},
    {"record_id": "$L", "date": "2020-06-10", "category": "visit", "title": "走访困难老人",
     "participants": 6, "beneficiaries": ["受助人王秀英"]}
  ],
  "indicator_values": [
    {"record_id": "$B", "indicator": "briefs", "period": "2020-03", "value": 3},
    {"indicator": "briefs", "period": "$NOW_MONTH", "value": 2}
  ],
  "honors": [
    {"record_id": "$H", "date": "2020-06-11", "title": "太极拳比赛一等奖", "level": "district"}
  ]
}
EOF2
check "c1 submits its records" 0 hz $(as c1) submit "$T/c1.json" || true
is "submit is audited" "1" "$(pg "select count(*) from audit where action = 'submit'")"

cat >"$T/a2.json" <<EOF2
{"date": "2020-04-12", "category": "fire", "title": "消防安全知识讲座（更正）", "participants": 45}
EOF2
if check "c1 amends an activity" 0 hz $(as c1) amend "$A" --file "$T/a2.json"; then
    expect "amend reports version 2" "$T/out" "amended (version 2)"
fi
is "both versions are held, one current" "1:false 2:true" \
    "$(pg "select string_agg(version || ':' || is_current, ' ' order by version) from activity where record_id = '$A'")"
is "amend is audited" "1" "$(pg "select count(*) from audit where action = 'amend' and target = '$A'")"
unchanged "amending with the same content" hz $(as c1) amend "$A" --file "$T/a2.json"
expect "same content says unchanged" "$T/out" "unchanged (version 2)"
# The original sheet again, after the amend: the amended record is superseded,
# not a conflict, and nothing is refused or written.
if check "the original file again after the amend" 0 hz $(as c1) submit "$T/c1.json"; then
    expect "the amended record counts as superseded" "$T/out" "0 accepted, 4 duplicates, 1 superseded"
fi
is "the amended version stays current" "2" \
    "$(pg "select version from activity where record_id = '$A' and is_current")"
if check "list --versions" 0 hz $(as c1) list --year 2020 --versions; then
    expect "list shows the old version" "$T/out" "old"
    expect "list shows the new title" "$T/out" "消防安全知识讲座（更正）"
    is "list shows two versions of A" "2" "$(grep -c "$A" "$T/out")"
fi
if check "list as json" 0 hz $(as c1) list --year 2020 --format json; then
    is "json list: current versions only" "1" "$(jq -r "[.records[] | select(.record_id == \"$A\")] | length" "$T/out")"
    is "json list: content is the record" "45" \
        "$(jq -r ".records[] | select(.record_id == \"$A\") | .content.participants" "$T/out")"
fi
if check "list --category fire" 0 hz $(as c1) list --year 2020 --category fire --format json; then
    is "category keeps the fire activity only" "$A" "$(jq -r '[.records[].record_id] | join(",")' "$T/out")"
fi
refused "list of an unknown category" 4 INVALID_ARGUMENT 'unknown category "nosuch"' \
    hz $(as c1) list --year 2020 --category nosuch

echo '{"indicator": "briefs", "period": "2020-03", "value": "abc"}' >"$T/nan.json"
refused "a value that is not a number" 2 "" "value" hz $(as c1) amend "$B" --file "$T/nan.json"
echo '{"indicator": "briefs", "period": "2020-Q1", "value": 4}' >"$T/q1.json"
refused "amend to a quarter for a monthly indicator" 4 INVALID_ARGUMENT \
    'period "2020-Q1" is a quarter, but indicator briefs is recorded per month' \
    hz $(as c1) amend "$B" --file "$T/q1.json"
echo '{"indicator": "nosuch", "period": "2020-03", "value": 4}' >"$T/unk.json"
refused "amend to an unknown indicator" 4 INVALID_ARGUMENT 'unknown indicator "nosuch"' \
    hz $(as c1) amend "$B" --file "$T/unk.json"
echo '{"kind": "activity", "date": "2020-03-01", "category": "fire", "title": "x"}' >"$T/kind.json"
refused "amend changing the kind" 4 INVALID_ARGUMENT "is of kind indicator_value; the new content is of kind activity" \
    hz $(as c1) amend "$B" --file "$T/kind.json"
refused "amend of another community's record" 4 PERMISSION_DENIED \
    "record $A belongs to c1, not to c2" hz $(as c2) amend "$A" --file "$T/a2.json"
refused "amend of an unknown record" 4 NOT_FOUND \
    "record 22222222-2222-4222-8222-222222222222 not found" \
    hz $(as c1) amend 22222222-2222-4222-8222-222222222222 --file "$T/a2.json"
refused "retract of an unknown record" 4 NOT_FOUND \
    "record 22222222-2222-4222-8222-222222222222 not found" \
    hz $(as c1) retract 22222222-2222-4222-8222-222222222222 --reason dup
refused "retract of another community's record" 4 PERMISSION_DENIED "belongs to c1" \
    hz $(as c2) retract "$A" --reason dup
refused "a district cannot amend" 4 PERMISSION_DENIED "only the community that filed a record" \
    hz $(as s1) amend "$A" --file "$T/a2.json"
refused "amend needs a record id" 1 "" "is not a record id" hz $(as c1) amend 42 --file "$T/a2.json"
refused "retract needs a reason" 1 "" "missing --reason" hz $(as c1) retract "$H"

if check "c1 retracts an honour" 0 hz $(as c1) retract "$H" --reason "重复填报"; then
    expect "retract says so" "$T/out" "retracted"
fi
is "the retracted row is kept with its reason" "重复填报" \
    "$(pg "select retract_reason from honor where record_id = '$H' and retracted_at is not null")"
unchanged "retracting again" hz $(as c1) retract "$H" --reason again
expect "retracting again says so" "$T/out" "already retracted"
if check "list shows the retracted honour" 0 hz $(as c1) list --year 2020; then
    expect "state retracted" "$T/out" "retracted"
fi

# -------------------------------------------------------- period states ----
state() { pg_private "select hz_period_state(id, '$2', '$3') from org_unit where code = '$1'"; }
is "a value filed after the deadline is late" "late" "$(state c1 briefs 2020-03)"
is "a value filed this month is on time" "on_time" "$(state c1 briefs "$NOW_MONTH")"
is "nothing filed is missing" "missing" "$(state c2 briefs 2020-07)"
if check "c1 declares nothing to report" 0 hz $(as c1) nil --period 2020-07 --indicator briefs; then
    expect "nil reports one declared" "$T/out" "1 declared"
fi
is "a nil report is nil, not missing" "nil" "$(state c1 briefs 2020-07)"
is "nil is per indicator" "missing" "$(state c1 opinion_reports 2020-07)"
is "no state for a period of the wrong type" "" "$(state c1 briefs 2020-Q3)"
unchanged "declaring nil again" hz $(as c1) nil --period 2020-07 --indicator briefs
check "nil for every monthly indicator" 0 hz $(as c1) nil --period 2020-08 || true
is "nil covers every monthly indicator" "6" \
    "$(pg "select count(*) from nil_report where period = '2020-08'")"
refused "nil for a period with a value" 4 FAILED_PRECONDITION \
    "indicator briefs for 2020-03 already has a value (record $B)" \
    hz $(as c1) nil --period 2020-03 --indicator briefs
refused "nil with a quarter for a monthly indicator" 4 INVALID_ARGUMENT \
    'period "2020-Q1" is a quarter, but indicator briefs is recorded per month' \
    hz $(as c1) nil --period 2020-Q1 --indicator briefs
refused "nil for an unknown indicator" 4 INVALID_ARGUMENT 'unknown indicator "nosuch"' \
    hz $(as c1) nil --period 2020-07 --indicator nosuch
refused "a district cannot declare nil" 4 PERMISSION_DENIED "only a community" \
    hz $(as s1) nil --period 2020-07 --indicator briefs

# --------------------------------------------------------------- locks ----
refused "a community cannot lock" 4 PERMISSION_DENIED "only an admin or a district principal" \
    hz $(as c1) admin period lock --unit c1 --period 2020-06
refused "a street cannot lock another street" 4 PERMISSION_DENIED 'unit "s1" is outside the subtree of s2' \
    hz $(as s2) admin period lock --unit s1 --period 2020-06
refused "lock of an unknown unit" 4 NOT_FOUND 'unit "nosuch" is not in the org tree' \
    hz $(as admin) admin period lock --unit nosuch --period 2020-06
refused "lock of a bad period" 4 INVALID_ARGUMENT 'period: invalid period "2020-13"' \
    hz $(as admin) admin period lock --unit s1 --period 2020-13
if check "s1 locks June" 0 hz $(as s1) admin period lock --unit s1 --period 2020-06; then
    expect "lock says locked" "$T/out" "period 2020-06 locked for s1"
fi
unchanged "locking again" hz $(as s1) admin period lock --unit s1 --period 2020-06
expect "locking again says so" "$T/out" "(it already was)"
if check "period list" 0 hz $(as c1) admin period list; then
    expect "c1 sees the lock above it" "$T/out" "district s1"
fi
LOCKMSG="period 2020-06 is locked for s1 since"

cat >"$T/june.json" <<'EOF2'
{"activities": [{"date": "2020-06-15", "category": "culture", "title": "广场舞", "participants": 20}]}
EOF2
refused "submit into a locked period" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) submit "$T/june.json"
expect "the lock message names who locked" "$T/err" "by district s1"
cat >"$T/held.json" <<EOF2
{"activities": [{"record_id": "$L", "date": "2020-06-10", "category": "visit", "title": "走访困难老人",
  "participants": 6, "beneficiaries": ["受助人王秀英"]}]}
EOF2
unchanged "resending a held record into a locked period is fine" hz $(as c1) submit "$T/held.json"
expect "resending counts a duplicate" "$T/out" "0 accepted, 1 duplicates"
cat >"$T/l2.json" <<'EOF2'
{"date": "2020-06-10", "category": "visit", "title": "走访困难老人", "participants": 8,
 "beneficiaries": ["受助人王秀英"]}
EOF2
refused "amend in a locked period" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) amend "$L" --file "$T/l2.json"
refused "retract in a locked period" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) retract "$L" --reason wrong
echo '{"date": "2020-06-01", "category": "fire", "title": "消防安全知识讲座", "participants": 40}' >"$T/a3.json"
refused "amend moving a record into a locked period" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) amend "$A" --file "$T/a3.json"
refused "nil in a locked period" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) nil --period 2020-06 --indicator briefs
echo '{"indicator_values": [{"indicator": "research_reports", "period": "2020-Q2", "value": 1}]}' >"$T/q2.json"
refused "a quarter overlapping a locked month" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) submit "$T/q2.json"
echo '{"honors": [{"date": "2020-06", "title": "六月表彰"}]}' >"$T/honor-june.json"
refused "an honour dated by month falls in that month" 4 FAILED_PRECONDITION "$LOCKMSG" \
    hz $(as c1) submit "$T/honor-june.json"
echo '{"honors": [{"date": "2020", "title": "年度表彰"}]}' >"$T/honor-year.json"
check "an honour dated by year falls in January, not in the locked June" 0 \
    hz $(as c1) submit "$T/honor-year.json" || true
check "another street's community is not locked" 0 hz $(as c3) submit "$T/june.json" || true

# ---------------------------------------------------------- corrections ----
echo '{"date": "2020-04-12", "category": "fire", "title": "讲座", "participants": 45}' >"$T/a4.json"
refused "correction outside a locked period" 4 FAILED_PRECONDITION \
    "record $A is not in a locked period; amend it directly" \
    hz $(as c1) correct "$A" --file "$T/a4.json" --reason typo
refused "correction without a reason" 1 "" "missing --reason" \
    hz $(as c1) correct "$L" --file "$T/l2.json"
refused "correction of another community's record" 4 PERMISSION_DENIED "belongs to c1" \
    hz $(as c2) correct "$L" --file "$T/l2.json" --reason typo
if check "c1 files a correction" 0 hz $(as c1) correct "$L" --file "$T/l2.json" --reason "人数填错"; then
    expect "correction filed" "$T/out" "correction 1 filed"
fi
unchanged "filing the same correction again" hz $(as c1) correct "$L" --file "$T/l2.json" --reason "人数填错"
refused "a second, different correction while one is pending" 4 ALREADY_EXISTS \
    "correction 1 for record $L is already pending" \
    hz $(as c1) correct "$L" --retract --reason other
if check "s1 lists pending corrections" 0 hz $(as s1) admin correction list --format json; then
    is "one pending correction" "1:$L:8" \
        "$(jq -r '.corrections[] | "\(.correction_id):\(.record_id):\(.content.participants)"' "$T/out")"
    if grep -qF "受助人王秀英" "$T/out"; then bad "correction list leaks a beneficiary's name"; else
        ok "correction list holds no beneficiary's name"
    fi
fi
check "s2 lists none of s1's corrections" 0 hz $(as s2) admin correction list --format json || true
is "s2 sees no corrections" "0" "$(jq '.corrections | length' "$T/out")"
refused "approval from outside the subtree" 4 PERMISSION_DENIED \
    "correction 1 is for c1, which is outside the subtree of s2" \
    hz $(as s2) admin correction approve 1
refused "rejection from outside the subtree" 4 PERMISSION_DENIED \
    "correction 1 is for c1, which is outside the subtree of s2" \
    hz $(as s2) admin correction reject 1 --reason no
refused "correction of an unknown record" 4 NOT_FOUND \
    "record 22222222-2222-4222-8222-222222222222 not found" \
    hz $(as c1) correct 22222222-2222-4222-8222-222222222222 --retract --reason x
refused "correction list of an unknown status" 4 INVALID_ARGUMENT 'status: unknown status "open"' \
    hz $(as s1) admin correction list --status open
refused "a community cannot approve" 4 PERMISSION_DENIED "only a district principal above the community" \
    hz $(as c1) admin correction approve 1
refused "approval of an unknown correction" 4 NOT_FOUND "correction 99 not found" \
    hz $(as s1) admin correction approve 99
if check "s1 approves" 0 hz $(as s1) admin correction approve 1; then
    expect "approval applied as version 2" "$T/out" "applied (record version 2)"
fi
is "the correction is applied as a new version" "1:false:6 2:true:8" \
    "$(pg "select string_agg(version || ':' || is_current || ':' || participants, ' ' order by version) from activity where record_id = '$L'")"
is "who approved is recorded" "approved|district s1|2" \
    "$(pg "select status || '|' || decided_by || '|' || applied_version from correction_request where id = 1")"
refused "approving twice" 4 FAILED_PRECONDITION "correction 1 was already approved on" \
    hz $(as s1) admin correction approve 1
if check "c1 asks to retract" 0 hz $(as c1) correct "$L" --retract --reason "重复"; then
    expect "second correction filed" "$T/out" "correction 2 filed"
fi
refused "rejecting needs a reason" 1 "" "missing --reason" hz $(as district) admin correction reject 2
check "the district above rejects" 0 hz $(as district) admin correction reject 2 --reason "保留记录" || true
is "rejection leaves the record live" "" \
    "$(pg "select retracted_at from activity where record_id = '$L' and is_current")"
refused "approving a rejected correction" 4 FAILED_PRECONDITION "correction 2 was already rejected on" \
    hz $(as admin) admin correction approve 2
check "correction list --status all" 0 hz $(as admin) admin correction list --status all || true
expect "list shows the decision" "$T/out" "district d1: 保留记录"

# ------------------------------------------------------------- unlock ----
check "s1 unlocks June" 0 hz $(as s1) admin period unlock --unit s1 --period 2020-06 || true
refused "unlocking what is not locked" 4 NOT_FOUND "period 2020-06 is not locked for s1" \
    hz $(as s1) admin period unlock --unit s1 --period 2020-06
check "after the unlock June takes records again" 0 hz $(as c1) submit "$T/june.json" || true
check "admin locks the year for the whole district" 0 hz $(as admin) admin period lock --unit d1 --period 2020 || true
refused "the year lock covers every month" 4 FAILED_PRECONDITION "period 2020 is locked for d1" \
    hz $(as c2) submit "$T/june.json"

# ---------------------------------------------------------------- audit ----
for action in submit amend retract nil quota_set deadline_set period_lock period_unlock \
              correction_file correction_approve correction_reject; do
    n=$(pg "select count(*) from audit where action = '$action'")
    if [ "$n" -gt 0 ]; then ok "audited: $action"; else bad "no audit row for $action"; fi
done

# ---------------------------------------------------------------- stop -----
finish
