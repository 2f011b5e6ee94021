#!/usr/bin/env bash
# The office's files, opened by the programs an office has: a sheet that
# LibreOffice saved as .xlsx imports as the same records as its CSV, and a
# bad cell is named by sheet, row, column and header; export and summary
# as .xlsx and as people's CSV read back by LibreOffice hold the records;
# the year-end report as .docx converts to PDF with the title, every
# section heading and the seed's numbers, an A4 page with GB/T 9704
# margins and CJK fonts; the HTML report's Chinese is drawn by headless
# Chromium with glyphs, not boxes. Each LibreOffice run is one soffice
# process with a private profile.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup

for tool in soffice pdftotext pdffonts pdfinfo unzip; do
    command -v "$tool" >/dev/null || { bad "$tool is not installed (make deps installs it)"; finish; }
done
# One LibreOffice conversion: FORMAT OUTDIR [--infilter=...] FILE...
office() {
    local to=$1 dir=$2
    shift 2
    timeout 180 soffice -env:UserInstallation="file://$T/lo-profile" --headless --norestore \
        --convert-to "$to" --outdir "$dir" "$@" >>"$T/soffice.log" 2>&1
}
CSV_OUT='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
nobom() { sed '1s/^\xEF\xBB\xBF//' "$1" | tr -d '\r'; }

# --- xlsx in: a sheet LibreOffice saved, the same records as its CSV ------
mkdir -p "$T/in"
printf '%s\r\n' "日期,类别,标题,地点,参与人数,共建单位" \
    "2021-04-12,消防宣传,消防安全知识讲座,社区活动室,40余人,消防站、派出所" \
    "2021/6/11,文体活动,太极拳比赛,广场,25," \
    "2021年7月2日,文体活动,广场舞展演,广场,60," \
    "2021-12-31,志愿服务,清洁家园,小区,12,物业" >"$T/in/sheet.csv"
printf '%s\r\n' "日期,类别,标题,参与人数" "2021-02-30,消防宣传,讲座,40" "2021-03-01,消防宣传,演练,很多" \
    >"$T/in/bad.csv"
if office xlsx "$T/in" --infilter="CSV:44,34,76,1" "$T/in/sheet.csv" "$T/in/bad.csv" &&
    [ -s "$T/in/sheet.xlsx" ] && [ -s "$T/in/bad.xlsx" ]; then
    ok "LibreOffice saved both sheets as .xlsx"
else
    bad "soffice --convert-to xlsx"; tail -5 "$T/soffice.log"
fi
unzip -p "$T/in/sheet.xlsx" xl/worksheets/sheet1.xml >"$T/in/sheet1.xml" || true
expect "LibreOffice stored the dates as numbers (serial days)" "$T/in/sheet1.xml" "<v>44298</v>"

before=$(pg "select count(*) from activity")
check "import the CSV" 0 hz $(as other) import "$T/in/sheet.csv" --type activity
same "4 records written" "$(pg "select count(*) from activity")" "$((before + 4))"
check "import the .xlsx of the same sheet" 0 hz $(as other) import "$T/in/sheet.xlsx" --type activity
same "the same records: nothing new" "$(pg "select count(*) from activity")" "$((before + 4))"
expect "each one a duplicate of the CSV's" "$T/out" "4 duplicate"
same "the lower bound kept (40余人)" \
    "$(pg "select participants || ' ' || participants_at_least from activity where title = '消防安全知识讲座' and date = '2021-04-12'")" \
    "40 true"
check "import names the missing sheet" 2 hz $(as other) import "$T/in/sheet.xlsx" --type activity --sheet 汇总
expect "and the sheets there are" "$T/err" 'no sheet named "汇总" (the workbook has: sheet)'

printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old workbook' >"$T/in/old.xls"
check "an Excel 97-2003 file is refused" 2 hz $(as other) import "$T/in/old.xls" --type activity --check
expect "says to save it as .xlsx" "$T/err" "an Excel 97-2003 workbook (.xls) or one protected by a password"
cp "$T/in/sheet.csv" "$T/in/renamed.xlsx"
check "a CSV named .xlsx is refused" 2 hz $(as other) import "$T/in/renamed.xlsx" --type activity --check
expect "says it is no workbook" "$T/err" "not an Excel workbook (.xlsx): it is not a zip archive"
check "bad cells are refused" 2 hz $(as other) import "$T/in/bad.xlsx" --type activity
expect "the bad date: sheet, row, column, header" "$T/err" \
    "bad.xlsx: sheet bad, row 2, column A (日期): invalid date \"2021-02-30\""
expect "the bad count: sheet, row, column, header" "$T/err" \
    "bad.xlsx: sheet bad, row 3, column D (参与人数): invalid number of participants \"很多\""
same "nothing written" "$(pg "select count(*) from activity")" "$((before + 4))"

# --- export and summary as xlsx and CSV, read back by LibreOffice ---------
E="hz $(as district) export --year 2020"
mkdir -p "$T/x" "$T/x/lo"
check "export xlsx" 0 $E --format xlsx --out "$T/x/export.xlsx"
check "export csv: every record in one table" 0 $E --format csv --out "$T/x/export.csv"
expect "names the file it wrote" "$T/err" "wrote $T/x/export.csv"
same "Chinese headers, kinds in Chinese" "$(nobom "$T/x/export.csv" | sed -n '1p;2p' | cut -d, -f1-3)" \
    "$(printf '类型,记录编号,版本\n活动,%s,1' "$(nobom "$T/x/export.csv" | sed -n 2p | cut -d, -f2)")"
for k in activity indicator honor; do
    check "export csv --section $k" 0 $E --format csv --section $k --out "$T/x/export-$k.csv"
done
same "the kinds' tables hold every record" \
    "$(cat "$T/x/export-"{activity,indicator,honor}.csv | grep -vc '^.\?.\?.\?记录编号')" \
    "$(($(wc -l <"$T/x/export.csv") - 1))"
check "summary xlsx" 0 hz $(as district) summary --year 2020 --by community,category --format xlsx --out "$T/x/summary.xlsx"
check "summary csv, one file per section" 0 hz $(as district) summary --year 2020 --by community,category --format csv --out "$T/x/summary.csv"
same "csv starts with a UTF-8 byte-order mark" "$(head -c 3 "$T/x/export-activity.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
same "csv has Chinese headers" "$(nobom "$T/x/export-activity.csv" | head -1 | cut -d, -f1-5)" "记录编号,版本,社区代码,社区,日期"
check "summary csv to the terminal without --section: usage" 1 hz $(as district) summary --year 2020 --format csv
expect "says why" "$T/err" "one table per file"
check "export csv --section honor in GB18030" 0 $E --format csv --section honor --encoding gb18030 --out "$T/x/honor-gb.csv"
same "GB18030 reads back as the UTF-8 table" "$(iconv -f GB18030 -t UTF-8 "$T/x/honor-gb.csv" | tr -d '\r')" "$(nobom "$T/x/export-honor.csv")"
check "--headers en" 0 $E --format csv --section indicator --headers en --no-bom
same "field names as headers" "$(head -1 "$T/out" | tr -d '\r')" "record_id,version,community,community_name,indicator,indicator_name,period,period_type,value,unit,change_seq"
same "rows: one per indicator value" "$(($(wc -l <"$T/out") - 1))" \
    "$(nobom "$T/x/export-indicator.csv" | tail -n +2 | wc -l)"

if office "$CSV_OUT" "$T/x/lo" "$T/x/export.xlsx" "$T/x/summary.xlsx"; then
    ok "LibreOffice read both workbooks"
else
    bad "soffice --convert-to csv"; tail -5 "$T/soffice.log"
fi
for k in activity:活动 indicator:指标 honor:荣誉; do
    same "export.xlsx sheet ${k#*:} = the CSV of the ${k%:*} records" \
        "$(tr -d '\r' <"$T/x/lo/export-${k#*:}.csv")" "$(nobom "$T/x/export-${k%:*}.csv")"
    same "summary.xlsx sheet ${k#*:} = the CSV's ${k%:*} section" \
        "$(tr -d '\r' <"$T/x/lo/summary-${k#*:}.csv")" "$(nobom "$T/x/summary-${k%:*}.csv")"
done
same "briefs of 迎宾路 add to 82 in the workbook" \
    "$(awk -F, '$3=="yingbinlu" && $5=="briefs" {s+=$9} END {print s}' "$T/x/lo/export-指标.csv")" "82"
unzip -p "$T/x/export.xlsx" xl/worksheets/sheet1.xml >"$T/x/sheet1.xml"
expect "the header row is frozen" "$T/x/sheet1.xml" 'state="frozen"'
expect "numbers are number cells" "$T/x/sheet1.xml" '<c r="J2"><v>25</v></c>'
mkdir -p "$T/x/back"
if office "$CSV_OUT" "$T/x/back" --infilter="CSV:44,34,76,1" "$T/x/export-activity.csv"; then
    same "the CSV opened by LibreOffice holds the same table" \
        "$(tr -d '\r' <"$T/x/back/export-activity-export-activity.csv")" "$(nobom "$T/x/export-activity.csv")"
else
    bad "soffice read the CSV"; tail -5 "$T/soffice.log"
fi

# --- the report as a Word document -----------------------------------------
R="hz $(as district) report --year 2020 --unit street-1"
check "report docx" 0 $R --format docx --out "$T/report.docx"
mkdir -p "$T/docx"
(cd "$T/docx" && unzip -q "$T/report.docx")
for part in "[Content_Types].xml" word/document.xml word/styles.xml word/footer1.xml word/charts/chart1.xml; do
    if xmllint --noout "$T/docx/$part" 2>>"$T/xmllint.err"; then ok "well-formed $part"; else bad "$part"; fi
done
D="$T/docx/word/document.xml"
expect "A4 page" "$D" '<w:pgSz w:w="11906" w:h="16838"/>'
expect "margins 37/26/35/28 mm" "$D" 'w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"'
expect "title in 小标宋, 二号" "$T/docx/word/styles.xml" 'w:eastAsia="方正小标宋简体" w:cs="Times New Roman" w:hint="eastAsia"/><w:sz w:val="44"/>'
expect "body in 仿宋, 三号" "$T/docx/word/styles.xml" 'w:eastAsia="仿宋_GB2312" w:cs="Times New Roman" w:hint="eastAsia"/><w:kern w:val="2"/><w:sz w:val="32"/>'
expect "page number — N —" "$T/docx/word/footer1.xml" '— </w:t>'
if office pdf "$T/docx" "$T/report.docx" && [ -s "$T/docx/report.pdf" ]; then
    ok "LibreOffice converts the docx to PDF"
else
    bad "soffice --convert-to pdf"; tail -5 "$T/soffice.log"
fi
pdftotext -layout "$T/docx/report.pdf" "$T/report.txt"
expect "the title" "$T/report.txt" "示范街道办事处 2020 年工作总结（汇总）"
for h in 一、总体情况 二、理论武装 三、精神文明创建 四、未成年人思想道德建设 五、法制、消防与禁毒宣传 \
    六、文体活动 七、志愿服务与走访慰问 八、宣传阵地与信息报送 九、荣誉汇总 十、存在问题 十一、下一步打算; do
    expect "heading $h" "$T/report.txt" "$h"
done
expect "存在问题 left to write, marked" "$T/report.txt" "【待填写】"
expect "合计 rows" "$T/report.txt" "合计"
row=$(grep -E '^ *迎宾路社区 +0 +0 +82 ' "$T/report.txt" || true)
same "迎宾路: 82 简讯 and 18 块宣传栏 in the publicity table" "$(echo "$row" | awk '{print $4, $7}')" "82 18"
if grep -qE '^ *迎宾路社区 +0 +0 +200 *$' "$T/report.txt"; then ok "迎宾路: 200 志愿者"; else
    bad "no 迎宾路 row with 200 volunteers"; fi
if grep -qE '^ *— ?1 ?— *$' "$T/report.txt" && grep -qE '^ *— ?2 ?— *$' "$T/report.txt"; then
    ok "page numbers — 1 —, — 2 —"; else bad "no page numbers"; fi
pdfinfo "$T/docx/report.pdf" >"$T/pdfinfo.txt"
expect "PDF pages are A4" "$T/pdfinfo.txt" "(A4)"
pdffonts "$T/docx/report.pdf" >"$T/pdffonts.txt"
if grep -qE 'CJK|Hei|Song|Kai|Fang' "$T/pdffonts.txt"; then ok "pdffonts lists CJK fonts"; else
    bad "no CJK font in the PDF"; cat "$T/pdffonts.txt"; fi
if grep -qF "杜玉霞" "$T/report.txt"; then bad "docx leaks a beneficiary"; else ok "no beneficiary in the docx"; fi
[ -n "${HZ_REPORT_PDF:-}" ] && cp "$T/docx/report.pdf" "$HZ_REPORT_PDF"

# --- the HTML report's Chinese drawn with glyphs ----------------------------
check "report html" 0 $R --format html --out "$T/report.html"
expect "CJK font stack" "$T/report.html" '"Microsoft YaHei","微软雅黑","PingFang SC"'
expect "合计 row in each section table" "$T/report.html" '<tr class="total"><td>合计</td><td class="n">4</td>'
check "report html of street-2 (culture and two indicators only)" 0 hz $(as district) report --year 2020 --unit street-2 --format html --out "$T/street2.html"
tr -d '\n' <"$T/street2.html" >"$T/street2.line"
expect "an empty section says 本期无" "$T/street2.line" '<h2>一、理论武装</h2><p class="none">本期无。</p>'
expect "no honours: 本期无" "$T/street2.line" '荣誉汇总</h2><ul></ul><p class="none">本期无。</p>'
same "five empty sections and the honours" "$(grep -o '本期无' "$T/street2.html" | wc -l)" "6"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    bad "chromium is not installed (make deps installs it)"
else
    # Two different Chinese strings in the report's own CSS: drawn with
    # glyphs they differ; drawn as boxes (no CJK font) they are the same
    # picture. The same pair without any CJK font shows the test can tell.
    style=$(sed -n 's/.*<style>\(.*\)<\/style>.*/\1/p' "$T/report.html")
    mkdir -p "$T/glyphs"
    for n in 1 2; do
        text=$([ $n = 1 ] && echo 汇总工作报告 || echo 社区志愿服务)
        printf '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>%s body{margin:8px;font-size:40px}</style></head><body>%s</body></html>' \
            "$style" "$text" >"$T/glyphs/$n.html"
    done
    printf '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>%s</cachedir></fontconfig>\n' \
        "$T/glyphs/fc-cache" >"$T/glyphs/no-cjk.conf"
    shot() { # PNG HTML [FONTCONFIG_FILE]
        env ${3:+FONTCONFIG_FILE=$3} timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu \
            --no-first-run --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" --window-size=400,80 \
            --screenshot="$1" "file://$2" 2>>"$T/chrome.log" >/dev/null || true
    }
    shot "$T/glyphs/1.png" "$T/glyphs/1.html"
    shot "$T/glyphs/2.png" "$T/glyphs/2.html"
    shot "$T/glyphs/1-box.png" "$T/glyphs/1.html" "$T/glyphs/no-cjk.conf"
    shot "$T/glyphs/2-box.png" "$T/glyphs/2.html" "$T/glyphs/no-cjk.conf"
    if [ -s "$T/glyphs/1-box.png" ] && cmp -s "$T/glyphs/1-box.png" "$T/glyphs/2-box.png"; then
        ok "without a CJK font both strings are the same boxes (the check can tell)"
    else
        bad "the no-CJK control did not draw boxes"
    fi
    if [ -s "$T/glyphs/1.png" ] && ! cmp -s "$T/glyphs/1.png" "$T/glyphs/2.png" &&
        ! cmp -s "$T/glyphs/1.png" "$T/glyphs/1-box.png"; then
        ok "the report's fonts draw Chinese glyphs, not boxes"
    else
        bad "Chinese renders as boxes: install fonts-noto-cjk"
    fi
    shot "$T/report.png" "$T/report.html"
    [ -n "${HZ_REPORT_PNG:-}" ] && cp "$T/report.png" "$HZ_REPORT_PNG"
fi
finish
