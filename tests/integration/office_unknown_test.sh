#!/usr/bin/env bash
# Unknown is not zero, against a real huizongd: the demo's activities whose
# report gave no count (participants_unknown) are NULL in the database, and
# no output prints 0 for them: summary table, csv and json, export csv and
# json, the report in Markdown and HTML, the community's own sheet. A blank
# 参与人数 cell (or 未报) imports as unknown, a 0 as 0.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

same "the demo's 7 unknown counts are NULL" "$(pg "select count(*) from activity where participants is null")" 7
same "迎宾路's three are all unknown" \
    "$(pg "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = 'yingbinlu' and a.participants is null")" 3

S="hz $(as district) summary --year 2020 --unit street-1"
# ---------------------------------------------------------------- table ----
check "summary table by community" 0 $S --by community
row=$(grep '迎宾路社区' "$T/out" || true)
case "$row" in *"not reported"*) ok "table: 迎宾路 participants not reported" ;;
    *) bad "table: 迎宾路 row '$row'" ;; esac
if printf '%s\n' "$row" | grep -qE '(^|[[:space:]])0([[:space:]]|$)'; then bad "table: a 0 in '$row'"; else ok "table: no 0 for 迎宾路"; fi
expect "table: the unknown counts apart" "$T/out" "no count"
same "table: 新光 6 activities, 60+, 4 without a count" \
    "$(grep -m1 '新光社区' "$T/out" | awk '{print $2, $3, $4}')" "6 60+ 4"
check "summary table with events" 0 $S --events
row=$(grep '退休党员座谈会' "$T/out" || true)
case "$row" in *"not reported"*) ok "table: the event without a count" ;; *) bad "table event: '$row'" ;; esac
# ------------------------------------------------------------------ csv ----
check "summary csv" 0 $S --by community --events --format csv --headers en --no-bom
tr -d '\r' <"$T/out" >"$T/s.csv"
expect "csv: header gains participants_unknown" "$T/s.csv" \
    "section,community,community_name,category,category_name,month,activities,participants,participants_at_least,participants_unknown"
expect "csv: 迎宾路 participants empty, 3 unknown" "$T/s.csv" "activity,yingbinlu,迎宾路社区,,,,3,,true,3"
expect "csv: 新光 60 known, 4 unknown" "$T/s.csv" "activity,xinguang,新光社区,,,,6,60,true,4"
expect "csv: the event's cell is empty" "$T/s.csv" ",退休党员座谈会,,,false,,true"
# People's CSV (Chinese headers, one table per file) and the workbook's
# table say the same: an empty cell, and the unknown counted apart.
check "summary csv for people" 0 $S --by community --format csv --section activity --encoding utf-8 --no-bom
tr -d '\r' <"$T/out" >"$T/p.csv"
expect "people's csv: 迎宾路 participants empty, 3 unknown" "$T/p.csv" "yingbinlu,迎宾路社区,,,,3,,是,3"
# ----------------------------------------------------------------- json ----
check "summary json" 0 $S --by community --events --format json
cp "$T/out" "$T/s.json"
same "json: 迎宾路 participants null, 3 unknown" \
    "$(jq -c '.activity_groups[] | select(.community=="yingbinlu") | [.participants, .participants_unknown]' "$T/s.json")" "[null,3]"
same "json: the event's participants null" \
    "$(jq -c '.activities[] | select(.title=="退休党员座谈会") | [.participants, .participants_unknown]' "$T/s.json")" "[null,true]"
same "json: totals 7 unknown, at least" \
    "$(jq -c '[.total_participants_unknown, .total_participants_at_least]' "$T/s.json")" "[7,true]"
# --------------------------------------------------------------- export ----
check "export csv" 0 hz $(as district) export --year 2020 --unit street-1 --format csv --headers en --no-bom --out "$T/e.csv"
expect "export csv: participants_unknown last" "$T/e.csv" "change_seq,participants_unknown"
line=$(grep '退休党员座谈会' "$T/e.csv" | tr -d '\r')
same "export csv: no count, flagged" "$(printf '%s' "$line" | awk -F, '{print "[" $11 "]", $NF}')" "[] true"
check "export csv for people" 0 hz $(as district) export --year 2020 --unit street-1 --format csv --section activity --no-bom --out "$T/pe.csv"
expect "people's export: the column 人数未报 last" "$T/pe.csv" "变更序号,人数未报"
line=$(grep '退休党员座谈会' "$T/pe.csv" | tr -d '\r')
same "people's export: no count, flagged" "$(printf '%s' "$line" | awk -F, '{print "[" $10 "]", $NF}')" "[] 是"
check "export json" 0 hz $(as district) export --year 2020 --unit street-1 --format json --out "$T/e.json"
same "export json: participants null" \
    "$(jq -c '.records[] | select(.title=="退休党员座谈会") | [.participants, .participants_unknown]' "$T/e.json")" "[null,true]"
# --------------------------------------------------------------- report ----
R="hz $(as district) report --year 2020 --unit street-1"
check "report md" 0 $R
cp "$T/out" "$T/r.md"
expect "md: 迎宾路 未报, not 0" "$T/r.md" "| 迎宾路社区 | 3 | 未报 | 3 |"
expect "md: the known sum as a lower bound, the unknown apart" "$T/r.md" "参与 849+（7 次未报） 人次"
if grep -qE '\| 迎宾路社区 \| 3 \| 0 ' "$T/r.md"; then bad "md: 0 for 迎宾路"; else ok "md: no 0 for 迎宾路"; fi
check "report html" 0 $R --format html --out "$T/r.html"
expect "html: 未报" "$T/r.html" "<td class=\"n\">3</td><td class=\"n\">未报</td>"
if grep -qF '<td class="n">3</td><td class="n">0</td>' "$T/r.html"; then bad "html: 0 participants for 3 activities"; else ok "html: no 0 for 迎宾路"; fi
# ------------------------------------------------- the community's sheet ----
check "the community's own sheet" 0 hz $(as yingbinlu) list --year 2020 --format csv
same "sheet: the unknown counts are blank cells" \
    "$(tr -d '\r' <"$T/out" | awk -F, 'NR > 1 {print "[" $5 "]"}' | sort -u | tr -d '\n')" "[]"
# --------------------------------------------------------------- import ----
printf '日期,类别,标题,参与人数\n2020-09-01,culture,空白人数,\n2020-09-02,culture,未报人数,未报\n2020-09-03,culture,零人,0\n' >"$T/u.csv"
check "import blank, 未报 and 0" 0 hz $(as guanlan) import "$T/u.csv" --type activity
same "blank and 未报 are NULL, 0 is 0" \
    "$(pg "select string_agg(title || '=' || coalesce(participants::text, 'NULL'), ' ' order by date) from activity where title in ('空白人数', '未报人数', '零人')")" \
    "空白人数=NULL 未报人数=NULL 零人=0"

finish
