#!/usr/bin/env bash
# huizong import against a real huizongd and PostgreSQL: sheets as Excel
# saves them (UTF-8, UTF-8 with BOM, GB18030; Chinese or English headers;
# quoted fields with commas and line breaks; CRLF), every malformed cell
# reported with file, line, column and value and nothing queued, the
# progress bar on a terminal only, and a 10,000-row GB18030 sheet arriving
# exactly once.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/spool_import_test.sh
. "$(dirname "$0")/spool_lib.sh"

make_creds
start_server
add_tree

acts() { pg "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = '$1'"; }
act() { pg "select $2 from activity a join org_unit u on u.id = a.unit_id where u.code = 'c1' and a.title = '$1'"; }
nothing_queued() {
    same "$1: nothing queued" "$(queued_files)" 0
    same "$1: nothing written" "$(acts c1)" "$2"
}

# ------------------------------------------------ a sheet with everything ----
printf '\xEF\xBB\xBF日期,类别,标题,地点,参与人数,共建单位,组织者,简介\r\n' >"$T/acts.csv"
printf '2020/4/14,消防宣传,消防安全讲座,社区活动室,40余人,"消防中队、物业公司",张三,"用火安全,\r\n用电安全"\r\n' >>"$T/acts.csv"
printf '2020年6月11日,culture,"太极拳比赛 ""一等奖""",广场,40+,,,\r\n' >>"$T/acts.csv"
printf '2020.4.15,理论学习,学习会,,12人,"党校,街道",,\r\n' >>"$T/acts.csv"
printf '2020-05-04,youth,青年节,,7,,,\r\n\r\n' >>"$T/acts.csv"
if check "import a UTF-8 sheet with BOM, Chinese headers, CRLF, quotes" 0 \
    hz $(as c1) import "$T/acts.csv" --type activity; then
    expect "import reports 4 accepted" "$T/out" "submitted $T/acts.csv: 4 accepted, 0 duplicates"
fi
same "2020/4/14 is 2020-04-14" "$(act 消防安全讲座 date)" "2020-04-14"
same "40余人 is 40, at least" "$(act 消防安全讲座 "participants || ' ' || participants_at_least")" "40 true"
same "partners split on 、" "$(act 消防安全讲座 "array_to_string(partners, '|')")" "消防中队|物业公司"
same "a line break inside quotes is kept" "$(act 消防安全讲座 "summary = E'用火安全,\n用电安全'")" "t"
same "Chinese category name to code" "$(act 消防安全讲座 category_code)" "fire"
same "2020年6月11日" "$(act '太极拳比赛 "一等奖"' date)" "2020-06-11"
same "40+ is 40, at least" "$(act '太极拳比赛 "一等奖"' "participants || ' ' || participants_at_least")" "40 true"
same "2020.4.15 and 12人" "$(act 学习会 "date || ' ' || participants || ' ' || participants_at_least")" "2020-04-15 12 false"
same "partners split on a comma inside quotes" "$(act 学习会 "array_to_string(partners, '|')")" "党校|街道"
same "plain ISO date and number" "$(act 青年节 "date || ' ' || participants")" "2020-05-04 7"

# The same rows as GB18030, as Excel on Chinese Windows saves "CSV".
tail -c +4 "$T/acts.csv" | iconv -f UTF-8 -t GB18030 >"$T/acts-gb.csv"
if check "the same sheet in GB18030 is the same records" 0 hz $(as c1) import "$T/acts-gb.csv" --type activity; then
    expect "GB18030: all duplicates, none new" "$T/out" "0 accepted, 4 duplicates"
fi
same "still 4 activities" "$(acts c1)" 4

printf 'indicator,period,value,note\n简讯,2020年3月,3,\nopinion_reports,2020/4,"1,2",\nresearch_reports,2020年第二季度,1篇,调研\nvolunteers,2020-06,200人,\n' >"$T/ind.csv"
check "indicator sheet with English headers, names and Chinese periods" 0 \
    hz $(as c1) import "$T/ind.csv" --type indicator || true
same "2020年3月 is 2020-03, 简讯 is briefs" \
    "$(pg "select period || ' ' || value from indicator_value where indicator_code = 'briefs'")" "2020-03 3"
same "1,2 with a thousands separator is 12" \
    "$(pg "select value from indicator_value where indicator_code = 'opinion_reports'")" "12"
same "2020年第二季度 is 2020-Q2" \
    "$(pg "select period from indicator_value where indicator_code = 'research_reports'")" "2020-Q2"

printf '日期,荣誉,级别,颁发单位,获奖者\n2020年6月,太极拳比赛一等奖,区级,区文体局,太极拳、剑队\n2020,文明社区,市,市文明办,\n' >"$T/hon.csv"
check "honour sheet with partial dates and Chinese levels" 0 hz $(as c1) import "$T/hon.csv" --type honor || true
same "honours: 2020年6月 and 区级" "$(pg "select date_precision || ' ' || level from honor where title = '太极拳比赛一等奖'")" "month district"
same "honours: 2020 and 市" "$(pg "select date_precision || ' ' || level from honor where title = '文明社区'")" "year city"

if check "--check needs no credentials and queues nothing" 0 hz import "$T/acts.csv" --type activity --check; then
    expect "--check says so" "$T/out" "4 records, all valid; nothing queued (--check)"
fi
if check "import without a certificate exits 3" 3 hz --creds "$T/none" import "$T/acts.csv" --type activity; then
    expect "names the certificate" "$T/err" "cannot read the unit from the client certificate $T/none/client.crt"
fi
same "--check and a missing certificate queue nothing" "$(queued_files)" 0

# ---------------------------------------------------------- templates ----
check "template for activities" 0 hz import --template --type activity || true
same "activity template header" "$(tr -d '\r' <"$T/out")" "日期,类别,标题,地点,参与人数,共建单位,组织者,简介,记录编号"
check "template for indicators in English" 0 hz import --template --type indicator --english || true
same "indicator template header" "$(tr -d '\r' <"$T/out")" "indicator,period,value,note,record_id"
hz import --template --type honor --bom >"$T/tpl.csv"
same "template with BOM starts with EF BB BF" "$(head -c 3 "$T/tpl.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
printf '2020-12-01,2020年度文明单位,区,区委,\r\n' >>"$T/tpl.csv"
check "a filled-in template imports" 0 hz $(as c1) import "$T/tpl.csv" --type honor || true

# ------------------------------------------------------------ bad input ----
n=$(acts c1)
cat >"$T/bad.csv" <<'EOT'
日期,类别,标题,参与人数,共建单位
2020-13-01,消防,标题一,四十,
2020/2/30,fire,,40,
昨天,fire,标题三,-5,
2020-01-01,fire,标题四,5,,多余
2020-01-02,nosuchcat!,标题五,40余,
2020-01-03,fire,相同,1,
2020-01-03,fire,相同,1,
2020-01-04,fire,好的,1,
EOT
if check "a sheet with errors exits 2" 2 hz $(as c1) import "$T/bad.csv" --type activity; then
    expect "month 13" "$T/err" "bad.csv: line 2, column 1 (日期): invalid date \"2020-13-01\""
    expect "unknown category name" "$T/err" "bad.csv: line 2, column 2 (类别): unknown category \"消防\""
    expect "participants in Chinese numerals" "$T/err" "bad.csv: line 2, column 4 (参与人数): invalid number of participants \"四十\""
    expect "no such day" "$T/err" "bad.csv: line 3, column 1 (日期): invalid date \"2020/2/30\""
    expect "required title empty" "$T/err" "bad.csv: line 3, column 3 (标题): empty; title is required"
    expect "a word for a date" "$T/err" "bad.csv: line 4, column 1 (日期): invalid date \"昨天\""
    expect "negative participants" "$T/err" "bad.csv: line 4, column 4 (参与人数): invalid number of participants \"-5\""
    expect "a value beyond the header" "$T/err" "bad.csv: line 5, column 6: value \"多余\" in a column without a header"
    expect "a malformed category code" "$T/err" "bad.csv: line 6, column 2 (类别): unknown category \"nosuchcat!\""
    expect "identical rows" "$T/err" "bad.csv: line 8: same record as line 7"
    expect "the total" "$T/err" "bad.csv: 10 errors in 6 rows; nothing queued"
fi
nothing_queued "sheet with errors" "$n"

printf '日期,类别,标题,备注\n2020-01-01,fire,x,y\n' >"$T/hdr.csv"
if check "an unknown header exits 2" 2 hz $(as c1) import "$T/hdr.csv" --type activity; then
    expect "unknown header named with line and column" "$T/err" "hdr.csv: line 1, column 4 (备注): unknown column \"备注\""
fi
printf '日期,标题\n2020-01-01,x\n' >"$T/hdr2.csv"
if check "a missing required column exits 2" 2 hz $(as c1) import "$T/hdr2.csv" --type activity; then
    expect "missing column named" "$T/err" "hdr2.csv: line 1: no 类别 (category) column"
fi
printf '日期,类别,标题\n2020-01-01,fire,"x\n2020-01-02,fire,y\n' >"$T/quote.csv"
if check "an unterminated quote exits 2" 2 hz $(as c1) import "$T/quote.csv" --type activity; then
    expect "unterminated quote named" "$T/err" "quote.csv: line 2, column 3: quoted field never closed"
fi
printf '日期,类别,标题\n2020-01-01,fire,"x"y\n' >"$T/quote2.csv"
if check "text after a closing quote exits 2" 2 hz $(as c1) import "$T/quote2.csv" --type activity; then
    expect "stray quote named" "$T/err" "quote2.csv: line 2, column 3: text after the closing quote"
fi
printf '日期,类别,标题\n2020-01-01,fire,ok\n2020-01-02,fire,\xff\xfe\xff\n' >"$T/enc.csv"
if check "bytes neither UTF-8 nor GB18030 exit 2" 2 hz $(as c1) import "$T/enc.csv" --type activity; then
    expect "bad bytes named with line" "$T/err" "enc.csv: line 3: bytes FF FE FF are neither UTF-8 nor GB18030"
fi
if check "--encoding utf-8 on a GB18030 sheet exits 2" 2 \
    hz $(as c1) import "$T/acts-gb.csv" --type activity --encoding utf-8; then
    expect "not UTF-8, with a hint" "$T/err" "acts-gb.csv: line 1: bytes"
    expect "hint names gb18030" "$T/err" "try --encoding gb18030"
fi
printf '\xff\xfe\x31\x00' >"$T/utf16.csv"
if check "UTF-16 exits 2" 2 hz $(as c1) import "$T/utf16.csv" --type activity; then
    expect "UTF-16 explained" "$T/err" "UTF-16 text"
fi
printf '日期,类别,标题\n' >"$T/empty.csv"
check "a header without rows exits 2" 2 hz $(as c1) import "$T/empty.csv" --type activity || true
printf '指标,期间,数值\n简讯,2020-13,3\n简讯,2020-05,abc\n不存在,2020-05,1\n' >"$T/badind.csv"
if check "bad periods and values exit 2" 2 hz $(as c1) import "$T/badind.csv" --type indicator; then
    expect "bad period" "$T/err" "badind.csv: line 2, column 2 (期间): invalid period \"2020-13\""
    expect "bad value" "$T/err" "badind.csv: line 3, column 3 (数值): invalid number \"abc\""
    expect "unknown indicator name" "$T/err" "badind.csv: line 4, column 1 (指标): unknown indicator \"不存在\""
fi
printf '日期,荣誉,级别\n2020-01-01,x,乡级\n' >"$T/badhon.csv"
if check "an unknown level exits 2" 2 hz $(as c1) import "$T/badhon.csv" --type honor; then
    expect "bad level" "$T/err" "badhon.csv: line 2, column 3 (级别): unknown level \"乡级\""
fi
check "--type is required" 1 hz import "$T/acts.csv" || true
check "unknown --encoding" 1 hz import "$T/acts.csv" --type activity --encoding latin1 || true
nothing_queued "after all bad input" "$n"

if check "--skip-invalid queues the valid rows" 0 hz $(as c1) import "$T/bad.csv" --type activity --skip-invalid; then
    expect "skipped rows counted" "$T/err" "skipping 6 invalid rows"
    expect "valid rows accepted" "$T/out" "2 accepted"
fi
same "two more activities" "$(acts c1)" "$((n + 2))"

# The server refuses an unknown (well-formed) category code: its error
# points back at the sheet's line.
printf '日期,类别,标题\n2020-02-01,fire,ok\n2020-02-02,unknowncode,refused\n' >"$T/srv.csv"
if check "a sheet the server refuses exits 4" 4 hz $(as c1) import "$T/srv.csv" --type activity; then
    expect "server error points at the line" "$T/err" "activities[1].category: unknown category \"unknowncode\" ($T/srv.csv line 3)"
fi

# ------------------------------- 10,000 rows of GB18030, with a progress bar ----
awk 'BEGIN { printf "日期,类别,标题,地点,参与人数,共建单位\r\n";
             for (i = 1; i <= 10000; i++)
                 printf "2020年%d月%d日,志愿服务,志愿服务第%d次,社区,%d余人,\"物业、学校\"\r\n",
                        (i % 12) + 1, (i % 28) + 1, i, i % 90 }' | iconv -f UTF-8 -t GB18030 >"$T/big.csv"
cat >"$T/run-big.sh" <<EOT
#!/bin/sh
exec env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$T/home" TERM=xterm \
    "$HZ_CLIENT" --server 127.0.0.1:$PORT --creds "$T/creds/c2" import "$T/big.csv" --type activity
EOT
chmod +x "$T/run-big.sh"
rc=0
t0=$(date +%s%N)
script -qec "$T/run-big.sh" /dev/null >"$T/tty.out" 2>&1 </dev/null || rc=$?
echo "info 10,000 rows took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
head -c 2000 "$T/tty.out" | tr '\r' '\n' | head -n 5 | sed 's/^/     | /'
same "10,000 GB18030 rows import under a terminal" "$rc" 0
expect "the terminal shows a progress bar" "$T/tty.out" "import $T/big.csv ["
expect "the bar counts acknowledged records" "$T/tty.out" "10000/10000 acknowledged"
expect "the bar shows the rate" "$T/tty.out" "records/s"
expect "all 10,000 accepted" "$T/tty.out" "10000 accepted, 0 duplicates in 2 batches"
same "every row arrived once" "$(pg "select count(*) || ' ' || count(distinct record_id) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c2'")" "10000 10000"
same "every row once by title" "$(pg "select count(distinct title) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c2' and title like '志愿服务第%'")" "10000"
if check "importing it again without a terminal" 0 hz $(as c2) import "$T/big.csv" --type activity; then
    expect "again: all duplicates" "$T/out" "0 accepted, 10000 duplicates"
    reject "no progress bar without a terminal" "$T/err" "acknowledged"
fi
same "still 10,000" "$(acts c2)" 10000

finish
