#!/usr/bin/env bash
# huizong completeness and quotas against the real quota and reporting-period
# rules. The seed's own rule is set as quotas for street-1 (at least 2 briefs
# and 1 public-opinion report a month); the seed's numbers then give: 迎宾路
# filed opinion reports in 5 months of 12 (the quota of one a month is missed
# in 7) and briefs in all 12. Every value was filed long after its deadline
# (the 5th of the following month), so "received" counts late reports; a nil
# report ("nothing to report") is counted apart from missing.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

check "no quota yet: nothing expected" 0 hz $(as district) completeness --year 2020 --unit street-1 --format csv
same "no rows without quotas" "$(grep -c '^yingbinlu,' "$T/out" || true)" "0"

for q in "briefs 2" "opinion_reports 1"; do
    set -- $q
    check "quota $1 >= $2 a month" 0 hz $(as admin) admin quota set --unit street-1 \
        --indicator "$1" --period-type month --min "$2" --from 2020-01
done
check "xinguang: nothing to report in 2020-06" 0 hz $(as xinguang) nil --period 2020-06

check "quotas for 迎宾路" 0 hz $(as district) quotas --year 2020 --unit yingbinlu --format csv
expect "briefs met every month" "$T/out" "yingbinlu,briefs,12,12,0,"
expect "opinion reports missed in 7 months" "$T/out" "yingbinlu,opinion_reports,12,5,7,2020-01 2020-03 2020-05 2020-07 2020-08 2020-10 2020-12"

check "completeness of street-1" 0 hz $(as district) completeness --year 2020 --unit street-1 --format csv
expect "迎宾路: 24 expected, 0 on time, 17 late, 0 nil, 7 missing" "$T/out" "yingbinlu,24,0,17,0,7,71%"
expect "新光: 2 nil reports in June, 22 missing" "$T/out" "xinguang,24,0,0,2,22,"
check "completeness of one month" 0 hz $(as district) completeness --period 2020-06 --unit street-1 --format csv
expect "June: 新光 declared nothing to report" "$T/out" "xinguang,2,0,0,2,0,"
expect "June: 迎宾路 both late" "$T/out" "yingbinlu,2,0,2,0,0,100%"
check "completeness as a table" 0 hz $(as district) completeness --year 2020
expect "table names the community" "$T/out" "迎宾路社区"
check "quarter span" 0 hz $(as district) quotas --from 2020-04 --to 2020-06 --unit yingbinlu --format json
same "Q2: 3 months x 2 indicators" "$(jq '.rows | length' "$T/out")" "6"
check "report with quota data" 0 hz $(as district) report --year 2020 --unit street-1 --format html --out "$T/r.html"
same "html gains the quota chart" "$(grep -c 'id="chart-quotas"' "$T/r.html")" "1"
expect "迎宾路 17 of 24 periods" "$T/r.html" "71%（17/24）"
check "markdown report with quota data" 0 hz $(as district) report --year 2020 --unit street-1
expect "md quota table" "$T/out" "| 迎宾路社区 | 24 | 17 |"
expect "md: briefs per indicator, with the minimum" "$T/out" "简讯 ≥2/月：12/12 达标"
expect "md: opinion reports apart, with theirs" "$T/out" "| 迎宾路社区 | 24 | 17 | 简讯 ≥2/月：12/12 达标；舆情报道 ≥1/月：5/12 达标 |"
expect "html: the per-indicator lines" "$T/r.html" "简讯 ≥2/月：12/12 达标；舆情报道 ≥1/月：5/12 达标"
check "json report with quota data" 0 hz $(as district) report --year 2020 --unit street-1 --format json
same "json: per indicator, minimum and periods" "$(jq -r '.quotas[] | select(.community=="yingbinlu") | .indicators[] | "\(.indicator) \(.minimum) \(.per) \(.met)/\(.periods)"' "$T/out" | tr '\n' ';')" "briefs 2 月 12/12;opinion_reports 1 月 5/12;"
check "street-1 cannot read street-2" 4 hz $(as street1) quotas --year 2020 --unit street-2
check "a community cannot read completeness of its street" 4 hz $(as xinguang) completeness --year 2020 --unit street-1
check "missing year: usage" 1 hz $(as district) completeness
finish
