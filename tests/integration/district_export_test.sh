#!/usr/bin/env bash
# huizong export: CSV, JSON, DHIS2 and ADX of the seed records, streamed in
# small pages; ADX validated against tests/standards/adx.xsd with xmllint;
# never a beneficiary; a street sees its own communities only.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

E="hz $(as district) export --year 2020"
check "export csv in pages of 3" 0 $E --format csv --headers en --no-bom --page-size 3 --out "$T/all.csv"
# 24 activities + 12+5+4+2+2+1+1 (迎宾路) + 24 (观澜) + 2 (other) values + 5 honours
same "csv: one row per record" "$(($(wc -l <"$T/all.csv") - 1))" \
    "$(($(jq '[.activities, .indicator_values, .honors] | map(length) | add' "$ROOT"/demo/data/*.json | awk '{s+=$1} END {print s}') + 4))"
expect "csv header" "$T/all.csv" "kind,record_id,version,community,community_name,date"
for f in "$ROOT"/demo/data/*.json; do
    for name in $(jq -r '.activities[].beneficiaries[]?' "$f"); do
        if grep -qF "$name" "$T/all.csv"; then bad "csv leaks $name"; fi
    done
done
if grep -qF 受助人 "$T/all.csv"; then bad "csv leaks a beneficiary"; else ok "no beneficiary in csv"; fi

check "export json" 0 $E --format json --page-size 7 --out "$T/all.json"
same "json parses, same count" "$(jq '.records | length' "$T/all.json")" "$(($(wc -l <"$T/all.csv") - 1))"
same "json: 迎宾路 briefs add to 82" "$(jq '[.records[] | select(.community=="yingbinlu" and .indicator=="briefs") | .value] | add' "$T/all.json")" "82"

check "export dhis2" 0 $E --format dhis2 --page-size 5 --out "$T/dhis2.json"
same "dhis2: only dataValues" "$(jq -r 'keys | join(",")' "$T/dhis2.json")" "dataValues"
same "dhis2: each value has exactly dataElement, period, orgUnit, value (strings)" \
    "$(jq -r '[.dataValues[] | (keys | join(",")) + ":" + ([.[] | type] | unique | join(","))] | unique | join(";")' "$T/dhis2.json")" \
    "dataElement,orgUnit,period,value:string"
same "dhis2: monthly period" "$(jq -r '.dataValues[] | select(.orgUnit=="yingbinlu" and .dataElement=="briefs" and .period=="202006") | .value' "$T/dhis2.json")" "7"
same "dhis2: quarterly period" "$(jq -r '[.dataValues[] | select(.dataElement=="research_reports") | .period] | unique | join(",")' "$T/dhis2.json")" "2020Q1,2020Q2,2020Q3,2020Q4"
same "dhis2: value count" "$(jq '.dataValues | length' "$T/dhis2.json")" "$(jq '[.records[] | select(.kind=="indicator_value")] | length' "$T/all.json")"

check "export adx" 0 $E --format adx --page-size 4 --out "$T/adx.xml"
if xmllint --noout --schema "$ROOT/tests/standards/adx.xsd" "$T/adx.xml" 2>"$T/xmllint.err"; then
    ok "adx validates against adx.xsd"
else
    bad "adx does not validate"; head "$T/xmllint.err"
fi
expect "adx quarterly period" "$T/adx.xml" 'period="2020-04-01/P3M"'
expect "adx monthly group" "$T/adx.xml" '<group orgUnit="yingbinlu" period="2020-06-01/P1M">'
same "adx: one group per orgUnit and period" \
    "$(grep -o '<group [^>]*>' "$T/adx.xml" | sort | uniq -d | wc -l)" "0"

check "street-2 exports its own only" 0 hz $(as street2) export --year 2020 --format json
same "street-2: its 4 records" "$(jq -r '[.records[].community] | unique | join(",")' "$T/out") $(jq '.records | length' "$T/out")" "other 4"
check "street-1 cannot export street-2" 4 hz $(as street1) export --year 2020 --unit street-2 --format csv
expect "refusal names the unit" "$T/err" "street-2"
check "bad month refused" 4 hz $(as district) export --format csv --from 2020-13 --to 2020-12 && expect "names the month" "$T/err" "2020-13"
check "unknown format: usage" 1 $E --format ods
check "page size over 5000 refused" 4 $E --format csv --page-size 6000
expect "names page_size" "$T/err" "page_size: at most 5000 records a page"
check "span export: Q2 only" 0 hz $(as street2) export --from 2020-04 --to 2020-06 --format csv
same "Q2: 04-01 activity, briefs 2020-06, research 2020-Q2" "$(($(wc -l <"$T/out") - 1))" "3"
finish
