#!/usr/bin/env bash
# huizong report: the seed reports' numbers in the Markdown and JSON report,
# and the HTML report opened in headless Chromium with its SVG charts in the
# DOM (skipped, and said so, when chromium is not installed).
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

R="hz $(as district) report --year 2020"
check "report as markdown" 0 $R --unit street-1
cp "$T/out" "$T/report.md"
expect "title" "$T/report.md" "# 示范街道办事处2020年工作总结（汇总）"
expect "sections of the seed reports" "$T/report.md" "## 一、理论武装"
expect "publicity section" "$T/report.md" "宣传阵地与信息报送"
expect "briefs 82 for 迎宾路 in the per-community table" "$T/report.md" "| 迎宾路社区 | 0 | 0 | 82 |"
expect "largest fire-safety event in highlights" "$T/report.md" "2020-05-12，观澜社区：防灾减灾日消防疏散演练（120 人）"
expect "新光: 6 activities, 60+ (40余人 kept as a lower bound; 4 without a count), 1 honour" "$T/report.md" "| 新光社区 | 6 | 60+（4 次未报） | 1 |"
expect "the tai-chi honour" "$T/report.md" "老年人太极拳、剑比赛集体一等奖（太极拳、剑队），区级，水磨沟区"
expect "volunteers 200 + 96 (last of each)" "$T/report.md" "志愿者人数：296 人"
if grep -qF "受助人" "$T/report.md" || grep -qF "杜玉霞" "$T/report.md"; then
    bad "report leaks a beneficiary"; else ok "no beneficiary in the report"; fi

check "report as json" 0 $R --unit street-1 --format json --out "$T/report.json"
same "json totals" "$(jq -r '"\(.totals.activities) \(.totals.participants)"' "$T/report.json")" "22 849"
same "json: 12 months" "$(jq -r '.months | length' "$T/report.json")" "12"
same "json: April has 3 activities (04-12, 04-14, 04-15)" "$(jq -r '.months[] | select(.month=="2020-04") | .activities' "$T/report.json")" "3"
same "json: publicity briefs 118" "$(jq -r '.sections[] | select(.key=="publicity") | .indicators[] | select(.indicator=="briefs") | .value' "$T/report.json")" "118"
same "json: 5 honours" "$(jq -r '.honors | length' "$T/report.json")" "5"
if grep -qF "杜玉霞" "$T/report.json"; then bad "json leaks a beneficiary"; else ok "no beneficiary in json"; fi

check "district report counts street-2 too" 0 $R --format json
same "district total 24" "$(jq -r '.totals.activities' "$T/out")" "24"
check "street-1 cannot report on street-2" 4 hz $(as street1) report --year 2020 --unit street-2
check "unknown format: usage" 1 $R --format pdf
check "missing year: usage" 1 hz $(as district) report

check "report as html" 0 $R --unit street-1 --format html --out "$T/report.html"
same "html: two inline svg charts" "$(grep -c '<svg class="chart"' "$T/report.html")" "2"
if grep -qiE '<script|src="http|href="http|@import' "$T/report.html"; then
    bad "html needs no script and no network"; else ok "html self-contained, no script"; fi

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "skip chromium checks: chromium is not installed (apt-get install chromium)"
else
    chrome() {
        timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" 2>>"$T/chrome.log"
    }
    chrome --dump-dom "file://$T/report.html" >"$T/dom.html" || true
    same "chromium DOM has the month chart" "$(grep -c 'id="chart-months"' "$T/dom.html")" "1"
    same "chromium DOM has the category chart" "$(grep -c 'id="chart-categories"' "$T/dom.html")" "1"
    same "chromium DOM has 12 month bars" "$(grep -o '<rect[^>]*fill="#c0392b"' "$T/dom.html" | wc -l)" "12"
    (cd "$T" && chrome --screenshot="$T/report.png" --window-size=1200,2000 "file://$T/report.html") || true
    if [ -s "$T/report.png" ]; then ok "chromium screenshot taken"; else bad "chromium screenshot"; fi
    [ -n "${HZ_REPORT_PNG:-}" ] && cp "$T/report.png" "$HZ_REPORT_PNG"
fi
finish
