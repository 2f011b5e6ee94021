#!/usr/bin/env bash
# The district assigns a category to a report section, against a real
# huizongd: stored on the server (category list shows it), used by the next
# report at once; a street office and an unknown section are refused; an
# empty section puts the category back where the built-in table has it.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

sec() { jq -r ".sections[] | select(.key==\"$1\") | .activities" "$T/r.json"; }
report() { hz $(as district) report --year 2020 --unit street-1 --format json --out "$T/r.json"; }

check "admin adds 敬老助老" 0 hz $(as admin) admin category add --code elder_care --name 敬老助老 || true
cat >"$T/e.json" <<'JSON'
{"activities": [{"record_id": "0b3c1f1e-0000-4000-8000-00000000e1d1", "date": "2020-10-25",
  "category": "elder_care", "title": "重阳节敬老活动", "participants": 30}]}
JSON
check "guanlan files an elder-care activity" 0 hz $(as guanlan) submit "$T/e.json" || true
check "report before" 0 report || true
other=$(sec other)
volunteer=$(sec volunteer)
same "a category of its own lands in 其他工作" "$other" 1

check "a street office may not assign sections" 4 \
    hz $(as street1) admin category section --code elder_care --section volunteer || true
expect "says who may" "$T/err" "only an admin or a district office assigns categories to report sections"
check "an unknown section is refused before sending" 1 \
    hz $(as district) admin category section --code elder_care --section elders || true
expect "names the sections" "$T/err" "--section elders: not a section of the report"
if check "the district assigns 敬老助老 to 志愿服务与走访慰问" 0 \
    hz $(as district) admin category section --code elder_care --section volunteer; then
    expect "says so" "$T/out" "category elder_care now reports in that section"
fi
check "again: already so" 0 hz $(as district) admin category section --code elder_care --section volunteer || true
expect "unchanged" "$T/out" "already reports in that section"
same "stored on the server" "$(pg "select report_section from category where code = 'elder_care'")" volunteer
check "category list carries it" 0 hz $(as guanlan) admin category list --format json || true
same "listed with its section" \
    "$(jq -r '.categories[] | select(.code=="elder_care") | .report_section' "$T/out")" volunteer

check "report after" 0 report || true
same "the activity reports in 志愿服务与走访慰问" "$(sec volunteer)" "$((volunteer + 1))"
same "and no longer in 其他工作" "$(sec other)" "$((other - 1))"
check "a sub-category follows its parent's assigned section" 0 \
    hz $(as admin) admin category add --code elder_visit --name 敬老探访 --parent elder_care || true
cat >"$T/v.json" <<'JSON'
{"activities": [{"record_id": "0b3c1f1e-0000-4000-8000-00000000e1d2", "date": "2020-11-02",
  "category": "elder_visit", "title": "敬老探访", "participants": 5}]}
JSON
check "guanlan files a sub-category activity" 0 hz $(as guanlan) submit "$T/v.json" || true
check "report with the sub-category" 0 report || true
same "the sub-category reports in its parent's section" "$(sec volunteer)" "$((volunteer + 2))"
check "markdown report" 0 hz $(as district) report --year 2020 --unit street-1 || true
awk '/^## .*志愿服务与走访慰问/{on=1; next} /^## /{on=0} on' "$T/out" >"$T/vol.md"
expect "md: 志愿服务 section counts both" "$T/vol.md" "开展活动 $((volunteer + 2)) 次"

if check "cleared: back to the built-in place" 0 \
    hz $(as admin) admin category section --code elder_care --section ""; then
    check "report after clearing" 0 report || true
    same "both back in 其他工作" "$(sec other)" "$((other + 1))"
fi
same "audit rows for the changes" "$(pg "select count(*) from audit where action = 'category_section'")" 2

finish
