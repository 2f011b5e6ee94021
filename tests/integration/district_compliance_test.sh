#!/usr/bin/env bash
# huizong completeness and quotas. The quota and reporting-period functions
# belong to another module; without them the commands are refused with
# FAILED_PRECONDITION naming them. Then stand-ins with the agreed signatures
# are created (quota: 2 briefs and 1 opinion report a month; state: on_time
# when a value is held, else missing) and the seed's numbers checked:
# 迎宾路 filed opinion reports in 5 months of 12 (the report's own quota of one
# a month is missed in 7), briefs in all 12.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup
sq() { psql -qtA -v ON_ERROR_STOP=1 "host=$T/data/run user=huizong dbname=huizong" "$@"; }

check "completeness without the period module is refused" 4 hz $(as district) completeness --year 2020
expect "names the missing functions" "$T/err" "hz_quota_effective and hz_period_state"
expect "status FAILED_PRECONDITION" "$T/err" "FAILED_PRECONDITION"

sq <<'SQL'
CREATE FUNCTION hz_quota_effective(bigint, text, date) RETURNS numeric LANGUAGE sql STABLE AS $$
    SELECT CASE $2 WHEN 'opinion_reports' THEN 1 WHEN 'briefs' THEN 2 END::numeric $$;
CREATE FUNCTION hz_period_state(bigint, text, text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM indicator_value v WHERE v.unit_id = $1
                             AND v.indicator_code = $2 AND v.period = $3 AND v.is_current
                             AND v.retracted_at IS NULL) THEN 'on_time' ELSE 'missing' END $$;
SQL

check "quotas for 迎宾路" 0 hz $(as district) quotas --year 2020 --unit yingbinlu --format csv
expect "briefs met every month" "$T/out" "yingbinlu,briefs,12,12,0,"
expect "opinion reports missed in 7 months" "$T/out" "yingbinlu,opinion_reports,12,5,7,2020-01 2020-03 2020-05 2020-07 2020-08 2020-10 2020-12"
check "completeness of street-1" 0 hz $(as district) completeness --year 2020 --unit street-1 --format csv
expect "迎宾路: 24 expected, 17 on time, 7 missing" "$T/out" "yingbinlu,24,17,0,0,7,71%"
expect "新光 filed no values" "$T/out" "xinguang,24,0,0,0,24,0%"
check "completeness as a table" 0 hz $(as district) completeness --year 2020
expect "table names the community" "$T/out" "迎宾路社区"
check "quarter span" 0 hz $(as district) quotas --from 2020-04 --to 2020-06 --unit yingbinlu --format json
same "Q2: 3 months x 2 indicators" "$(jq '.rows | length' "$T/out")" "6"
check "report with quota data" 0 hz $(as district) report --year 2020 --unit street-1 --format html --out "$T/r.html"
same "html gains the quota chart" "$(grep -c 'id="chart-quotas"' "$T/r.html")" "1"
expect "迎宾路 17 of 24 periods" "$T/r.html" "71%（17/24）"
check "markdown report with quota data" 0 hz $(as district) report --year 2020 --unit street-1
expect "md quota table" "$T/out" "| 迎宾路社区 | 24 | 17 |"
check "street-1 cannot read street-2" 4 hz $(as street1) quotas --year 2020 --unit street-2
check "missing year: usage" 1 hz $(as district) completeness
finish
