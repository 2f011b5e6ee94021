#!/usr/bin/env bash
# The largest events of each category (summary --top, the report's 重点活动),
# read through the index of each community and category: ties on the count
# go to the earlier date, then the smaller record id; an unknown count ranks
# last; amended and retracted versions never count. Checked against the
# ranking of every current activity of the span computed from raw rows.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

id() { printf '7e3a0000-0000-4000-8000-%012d' "$1"; }
act() { # N DATE CATEGORY TITLE PARTICIPANTS|unknown
    local count="\"participants\": $5"
    [ "$5" = unknown ] && count='"participants_unknown": true'
    printf '{"record_id": "%s", "date": "%s", "category": "%s", "title": "%s", %s}' \
        "$(id "$1")" "$2" "$3" "$4" "$count"
}
# Two communities of two streets, year 2021 alone: nothing of the seed.
cat >"$T/other21.json" <<JSON
{"activities": [
  $(act 1 2021-05-01 culture 甲 80), $(act 3 2021-04-01 culture 丙 80),
  $(act 5 2021-07-01 culture 戊 unknown), $(act 7 2021-02-01 fire 庚 unknown),
  $(act 9 2021-08-01 fire 壬 5), $(act 10 2021-09-01 culture 癸 500)
]}
JSON
cat >"$T/guanlan21.json" <<JSON
{"activities": [
  $(act 2 2021-05-01 culture 乙 80), $(act 4 2021-06-01 culture 丁 90),
  $(act 6 2021-03-01 culture 己 10), $(act 8 2021-02-01 fire 辛 unknown),
  $(act 11 2021-09-02 culture 子 1000)
]}
JSON
check "other submits 2021" 0 hz $(as other) submit "$T/other21.json"
check "guanlan submits 2021" 0 hz $(as guanlan) submit "$T/guanlan21.json"
check "the 500-person event is retracted" 0 hz $(as other) retract "$(id 10)" --reason 重复
printf '{"date": "2021-09-02", "category": "culture", "title": "子", "participants": 1}' >"$T/k.json"
check "the 1000-person event is amended to 1" 0 hz $(as guanlan) amend "$(id 11)" --file "$T/k.json"

titles() { jq -r '[.activities[] | "\(.category):\(.title)"] | join(" ")' "$T/out"; }
S="hz $(as district) summary --year 2021 --format json"
check "top 3" 0 $S --top 3
same "top 3: 丁 (90), 丙 (80, earlier), 甲 (80, smaller id); 壬 (5), the unknowns 庚 辛" \
    "$(titles)" "fire:辛 fire:庚 culture:丙 culture:甲 culture:丁 fire:壬"
check "top 2" 0 $S --top 2
same "top 2: 丁 丙; 壬 then the unknown of the smaller id" "$(titles)" \
    "fire:庚 culture:丙 culture:丁 fire:壬"
check "top 4" 0 $S --top 4
same "top 4 adds 乙 (80, same date as 甲, larger id)" "$(titles)" \
    "fire:辛 fire:庚 culture:丙 culture:乙 culture:甲 culture:丁 fire:壬"
check "one street" 0 $S --top 1 --unit street-2
same "street-2 alone: its own largest" "$(titles)" "culture:丙 fire:壬"
check "list" 0 hz $(as district) summary --year 2021 --events --format json
same "--events: every current event by date, no old version" \
    "$(jq -r '[.activities[].title] | join("")' "$T/out")" "辛庚己丙乙甲丁戊壬子"

# The same ranking from raw rows (040's window over every activity of the
# span) for each --top, compared row for row.
for n in 1 2 3 5; do
    want=$(pg "SELECT string_agg(c.code || ':' || a.title, ' ' ORDER BY a.date, u.code, a.title)
                 FROM (SELECT a.*, row_number() OVER (PARTITION BY a.category_code
                              ORDER BY a.participants DESC NULLS LAST, a.date, a.record_id) AS rank
                         FROM activity a
                        WHERE a.is_current AND a.retracted_at IS NULL
                          AND a.date >= '2021-01-01' AND a.date < '2022-01-01') a
                 JOIN org_unit u ON u.id = a.unit_id JOIN category c ON c.code = a.category_code
                WHERE a.rank <= $n")
    check "top $n" 0 $S --top "$n"
    same "top $n equals the ranking of raw rows" "$(titles)" "$want"
done
finish
