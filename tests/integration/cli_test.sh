#!/usr/bin/env bash
# The huizong command line end to end: certificates made with `huizong admin`,
# a real huizongd (embedded PostgreSQL) on a free port, the org tree added by
# an administrator, a community submitting, the district summarising, and the
# refusals each with its documented exit code. One line per check.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/cli_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

IT_NAME=cli
. "$(dirname "$0")/it_lib.sh"

# ---------------------------------------------------------------- setup ----
make_certs admin:d1:admin district:d1:district c1:c1:community c2:c2:community
hz admin ca init --dir "$T/ca2" --name other >/dev/null
hz admin cert issue --ca "$T/ca2" --unit c1 --role community --out "$T/creds/foreign" >/dev/null
start_server
ok "huizongd ready on port $PORT"

# ------------------------------------------------------------ org tree ----
add_base_tree
check "community cannot add units" 4 hz $(as c1) admin unit add --code x9 --name X \
    --level community --parent s1 || true

# --------------------------------------------------------------- submit ----
cat >"$T/c1.json" <<'EOF'
{
  "activities": [
    {"date": "2020-04-12", "category": "fire", "title": "消防安全知识讲座",
     "participants": 40, "participants_at_least": true, "partners": ["消防中队"]},
    {"date": "2020-09-01", "category": "visit", "title": "走访困难老人",
     "participants": 6, "beneficiaries": ["受助人王秀英"]}
  ],
  "indicator_values": [
    {"indicator": "briefs", "period": "2020-03", "value": 3}
  ],
  "honors": [
    {"date": "2020-06-11", "title": "太极拳比赛一等奖", "level": "district",
     "recipient": "太极拳、剑队"}
  ]
}
EOF
if check "c1 submits a file" 0 hz $(as c1) submit "$T/c1.json"; then
    expect "submit reports 4 accepted" "$T/out" "4 accepted, 0 duplicates"
fi
if check "c1 submits the same file again" 0 hz $(as c1) submit "$T/c1.json"; then
    expect "resubmission counts duplicates" "$T/out" "0 accepted, 4 duplicates"
fi

cat >"$T/bad-date.json" <<'EOF'
{"activities": [
  {"date": "2020-04-13", "category": "fire", "title": "fine", "participants": 1},
  {"date": "2020-02-30", "category": "fire", "title": "no such day", "participants": 1}
]}
EOF
if check "invalid date is an input error" 2 hz $(as c1) submit "$T/bad-date.json"; then
    expect "input error names the file" "$T/err" "bad-date.json"
    expect "input error names the value" "$T/err" "2020-02-30"
fi

cat >"$T/other-unit.json" <<'EOF'
{"activities": [
  {"unit_code": "c2", "date": "2020-05-01", "category": "fire", "title": "not ours",
   "participants": 3}
]}
EOF
if check "record of another unit is refused" 4 hz $(as c1) submit "$T/other-unit.json"; then
    expect "refusal names the unit" "$T/err" "c2"
fi

cat >"$T/bad-category.json" <<'EOF'
{"activities": [
  {"date": "2020-05-02", "category": "nosuch", "title": "unknown", "participants": 3}
]}
EOF
if check "unknown category is refused by the server" 4 hz $(as c1) submit "$T/bad-category.json"; then
    expect "refusal names the category" "$T/err" "nosuch"
fi

# -------------------------------------------------------------- summary ----
if check "district summary as json" 0 hz $(as district) summary --year 2020 --unit d1 \
    --by community --format json; then
    cp "$T/out" "$T/summary.json"
    got=$(jq -r '[.total_activities, .total_participants] | map(tonumber) | join(" ")' "$T/summary.json")
    if [ "$got" = "2 46" ]; then ok "district totals 2 activities, 46 participants"; else
        bad "district totals: got \"$got\", want \"2 46\""
    fi
    got=$(jq -r '[.indicator_totals[] | select(.indicator == "briefs") | .value] | add' "$T/summary.json")
    if [ "$got" = "3" ]; then ok "briefs total 3"; else bad "briefs total: got \"$got\", want 3"; fi
    got=$(jq -r '[.activity_groups[].community] | sort | join(",")' "$T/summary.json")
    if [ "$got" = "c1" ]; then ok "groups by community"; else bad "groups: got \"$got\", want c1"; fi
fi
for fmt in table csv json; do
    # CSV for people is one table per file; the machine CSV holds every section.
    machine=()
    [ "$fmt" = csv ] && machine=(--headers en --no-bom)
    check "district summary as $fmt" 0 hz $(as district) summary --year 2020 \
        --by community,category,month --format "$fmt" "${machine[@]}" || continue
    cp "$T/out" "$T/summary.$fmt"
    if grep -qF "受助人王秀英" "$T/out"; then bad "$fmt summary leaks a beneficiary's name"; else
        ok "$fmt summary holds no beneficiary's name"
    fi
done
[ -f "$T/summary.table" ] && expect "table summary shows the honour" "$T/summary.table" "太极拳比赛一等奖"
check "community reads its own unit" 0 hz $(as c1) summary --year 2020 --format json || true
check "community cannot read another unit" 4 hz $(as c1) summary --year 2020 --unit c2 || true
check "summary needs --year" 1 hz $(as c1) summary || true

# ------------------------------------------------------------ refusals ----
check "certificate of another CA cannot connect" 3 hz --server "127.0.0.1:$PORT" \
    --creds "$T/creds/foreign" --ca "$T/ca/ca.crt" summary --year 2020 || true
check "no server is a network error" 3 hz --server 127.0.0.1:1 --creds "$T/creds/c1" \
    summary --year 2020 || true
check "unknown command is a usage error" 1 hz frobnicate || true

# ---------------------------------------------------------------- stop -----
finish
