#!/usr/bin/env bash
# The office's round trip against a real huizongd: a 500-row GB18030 sheet
# imported, exported with its ids (huizong list --format csv), one row
# edited in "Excel" and imported again: that row is an amend (one version
# more), the others unchanged, the totals change by that row only. The
# original sheet (no ids) with one row edited: a probable edit, named with
# both rows, nothing added; the row it amended earlier is superseded.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/office_amend_test.sh
. "$(dirname "$0")/spool_lib.sh"

make_creds
start_server
add_tree

acts() { pg "select count(*) from activity a join org_unit u on u.id = a.unit_id where u.code = 'c1' and a.is_current"; }
total() { hz $(as c1) summary --year 2020 --format json | jq -r "$1"; }

# ------------------------------------------------ 500 rows, as Excel saves them ----
{
    printf '日期,类别,标题,地点,参与人数,共建单位,组织者,简介\r\n'
    for i in $(seq 1 500); do
        m=$(( (i % 12) + 1 )); d=$(( (i % 28) + 1 ))
        case $((i % 3)) in 0) cat=消防宣传 ;; 1) cat=culture ;; *) cat=理论学习 ;; esac
        n=$(( (i % 50) + 10 ))
        [ "$i" -eq 7 ] && n=45余人
        printf '2020-%02d-%02d,%s,活动%d,社区活动室,%s,物业公司,张三,第%d场\r\n' "$m" "$d" "$cat" "$i" "$n" "$i"
    done
} | iconv -f UTF-8 -t GB18030 >"$T/sheet.csv"
if check "a 500-row GB18030 sheet imports" 0 hz $(as c1) import "$T/sheet.csv" --type activity; then
    expect "500 accepted" "$T/out" "500 accepted, 0 duplicates"
    expect "500 new" "$T/out" "$T/sheet.csv: 0 unchanged, 0 amended, 500 new"
fi
same "500 activities" "$(acts)" 500
before=$(total .total_participants)
rid7=$(pg "select record_id from activity where title = '活动7'")

# ------------------------------------------------ export with ids ----
if check "list --format csv writes the sheet with ids" 0 \
    hz $(as c1) list --year 2020 --format csv --type activity --bom; then
    cp "$T/out" "$T/export.csv"
fi
same "export starts with a BOM" "$(head -c 3 "$T/export.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
same "export header: the importer's columns, 记录编号 last" \
    "$(head -n1 "$T/export.csv" | tail -c +4 | tr -d '\r')" \
    "日期,类别,标题,地点,参与人数,共建单位,组织者,简介,标签,受益人,记录编号"
same "export: 500 rows" "$(($(wc -l <"$T/export.csv") - 1))" 500
expect "export: the lower bound as 45+ with its id" "$T/export.csv" ",活动7,社区活动室,45+,物业公司,张三,第7场,,,$rid7"

# Edit 45余人 -> 48 in one row, add one row without id, save as GB18030.
tail -c +4 "$T/export.csv" | sed "s/,活动7,社区活动室,45+,/,活动7,社区活动室,48,/" >"$T/edited-utf8.csv"
printf '2020-12-30,culture,新年联欢会,广场,30,,,\r\n' >>"$T/edited-utf8.csv"
iconv -f UTF-8 -t GB18030 "$T/edited-utf8.csv" >"$T/edited.csv"
if check "the edited sheet imports" 0 hz $(as c1) import "$T/edited.csv" --type activity; then
    expect "499 unchanged, 1 amended, 1 new" "$T/out" "$T/edited.csv: 499 unchanged, 1 amended, 1 new"
    expect "the spool sends the new row and the unchanged ones" "$T/out" "1 accepted, 499 duplicates"
fi
same "the edited row has one version more" "$(pg "select count(*) from activity where record_id = '$rid7'")" 2
same "its current version is 48, exact" \
    "$(pg "select version || ' ' || participants || ' ' || participants_at_least from activity where record_id = '$rid7' and is_current")" "2 48 false"
same "501 activities (one new, none twice)" "$(acts)" 501
same "totals change by that row only: +3 and +30" "$(total .total_participants)" "$((before + 3 + 30))"
same "no other record got a version" "$(pg "select count(*) from activity where version > 1")" 1

if check "the same edited sheet again" 0 hz $(as c1) import "$T/edited.csv" --type activity; then
    expect "all unchanged now" "$T/out" "$T/edited.csv: 501 unchanged, 0 amended, 0 new"
fi
same "still 2 versions" "$(pg "select count(*) from activity where record_id = '$rid7'")" 2

# ---------------------------------------- no ids: a probable edit ----
iconv -f GB18030 -t UTF-8 "$T/sheet.csv" | sed "s/,活动9,社区活动室,19,/,活动9,社区活动室,25,/" |
    iconv -f UTF-8 -t GB18030 >"$T/noids.csv"
rid9=$(pg "select record_id from activity where title = '活动9'")
if check "the original sheet with one row edited, no ids: exit 2" 2 \
    hz $(as c1) import "$T/noids.csv" --type activity; then
    expect "names the sheet's row and the held record" "$T/err" \
        "$T/noids.csv: line 10: probable edit of held record $rid9"
    expect "says what differs" "$T/err" "participants 19 → 25"
    expect "says it was not added and how to amend" "$T/err" "not added: put its id in the 记录编号 column"
    expect "the summary line" "$T/out" \
        "$T/noids.csv: 498 unchanged, 0 amended, 0 new, 1 superseded"
    expect "counts the probable edit" "$T/out" "1 probable edits not added"
fi
same "nothing added" "$(acts)" 501
same "活动9 untouched" "$(pg "select count(*) || ' ' || max(participants) from activity where title = '活动9'")" "1 19"
same "the amended row was not sent back (superseded, still 48)" \
    "$(pg "select participants from activity where record_id = '$rid7' and is_current")" 48
same "nothing left queued" "$(queued_files)" 0

if check "--as-new adds it as another record" 0 hz $(as c1) import "$T/noids.csv" --type activity --as-new; then
    expect "added as new" "$T/err" "added as a new record (--as-new)"
    expect "1 new" "$T/out" "0 amended, 1 new"
fi
same "now 502" "$(acts)" 502

finish
