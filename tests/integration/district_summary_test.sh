#!/usr/bin/env bash
# Summaries over a subtree, spans of months, streets and quarters, checked
# against the numbers of the seed reports (demo/data) and a second street.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

S="hz $(as district) summary"
check "district year summary by street" 0 $S --year 2020 --by street --format json
cp "$T/out" "$T/street.json"
same "two streets" "$(jq -r '[.activity_groups[].street] | join(",")' "$T/street.json")" "street-1,street-2"
same "street-1 activities" "$(jq -r '.activity_groups[] | select(.street=="street-1") | .activities' "$T/street.json")" "22"
same "district total 24 activities" "$(jq -r '.total_activities' "$T/street.json")" "24"
same "briefs: 82 (迎宾路) + 36 (观澜) + 2" \
    "$(jq -r '.indicator_totals[] | select(.indicator=="briefs") | .value' "$T/street.json" | awk '{s+=$1} END {print s}')" "120"

check "street sees its own communities only" 0 hz $(as street1) summary --year 2020 --by community --format json
same "street-1 communities" "$(jq -r '[.activity_groups[].community] | join(",")' "$T/out")" "guanlan,xinguang,yingbinlu"
check "street-1 cannot read street-2" 4 hz $(as street1) summary --year 2020 --unit street-2
expect "refusal names the unit" "$T/err" "street-2"
check "street-2 cannot read a street-1 community" 4 hz $(as street2) summary --year 2020 --unit xinguang

check "drill down: one community" 0 $S --year 2020 --unit yingbinlu --format json
same "迎宾路 briefs 82" "$(jq -r '.indicator_totals[] | select(.indicator=="briefs") | .value' "$T/out")" "82"
same "迎宾路 volunteers 200 (last)" "$(jq -r '.indicator_totals[] | select(.indicator=="volunteers") | .value' "$T/out")" "200"
same "迎宾路 opinion reports 5" "$(jq -r '.indicator_totals[] | select(.indicator=="opinion_reports") | .value' "$T/out")" "5"
same "迎宾路 research reports 4" "$(jq -r '.indicator_totals[] | select(.indicator=="research_reports") | .value' "$T/out")" "4"
same "迎宾路 boards 18" "$(jq -r '.indicator_totals[] | select(.indicator=="publicity_boards") | .value' "$T/out")" "18"

check "quarter edges" 0 hz $(as street2) summary --year 2020 --by quarter --format json
same "03-31 in Q1, 04-01 in Q2" "$(jq -r '[.activity_groups[] | "\(.quarter)=\(.activities)"] | join(",")' "$T/out")" "2020-Q1=1,2020-Q2=1"
same "quarterly value in its quarter" "$(jq -r '.indicator_totals[] | select(.indicator=="research_reports") | .quarter' "$T/out")" "2020-Q2"

check "month span edges" 0 hz $(as street2) summary --from 2020-04 --to 2020-06 --format json
same "span 04..06: one activity" "$(jq -r '.total_activities' "$T/out")" "1"
same "span keeps from/to" "$(jq -r '"\(.from) \(.to)"' "$T/out")" "2020-04 2020-06"
check "span 2020-01..2020-03" 0 hz $(as street2) summary --from 2020-01 --to 2020-03 --format json
same "span 01..03: 03-31 included" "$(jq -r '.total_activities' "$T/out")" "1"
check "span over two years" 0 $S --from 2019-12 --to 2021-01 --format json
same "span over years: 24" "$(jq -r '.total_activities' "$T/out")" "24"

check "by street,community,category,month,quarter table" 0 $S --year 2020 --by street,community,category,month,quarter
expect "table has the quarter column" "$T/out" "季度"
check "csv by quarter" 0 $S --year 2020 --by quarter --format csv --headers en --no-bom
expect "csv has the quarter column" "$T/out" "street,street_name,quarter"
if grep -qF 受助人 "$T/out"; then bad "csv leaks a beneficiary"; else ok "no beneficiary in csv"; fi

check "the largest activity of each category" 0 $S --year 2020 --unit street-1 --top 1 --format json
same "one per category" "$(jq '[.activities[].category] | (length == (unique | length))' "$T/out")" "true"
same "as many as categories with activities" "$(jq '.activities | length' "$T/out")" \
    "$(hz $(as district) summary --year 2020 --unit street-1 --by category --format json | jq '.activity_groups | length')"
same "fire: the 120-person drill" "$(jq -r '.activities[] | select(.category=="fire") | .participants' "$T/out")" "120"
check "--top 0: usage" 1 $S --year 2020 --top 0

check "to before from is refused" 4 $S --from 2020-06 --to 2020-01
expect "names to" "$T/err" "to"
check "bad month is refused" 4 $S --from 2020-13 --to 2020-12
expect "names the month" "$T/err" "2020-13"
check "year and span together: usage" 1 $S --year 2020 --from 2020-01 --to 2020-02
check "from without to: usage" 1 $S --from 2020-01
check "unknown --by: usage" 1 $S --year 2020 --by week

finish
