#!/usr/bin/env bash
# Messages in the user's language: under LANG=zh_CN.UTF-8 every command's
# --help (each row of client/cmd/cmd_table.c) and each class of error (usage,
# input file, network, refusals by the server with each reason code, a
# refusal whose reason the client does not render) are in Chinese, with units
# named by their names; under LANG=C the same commands print the English
# text the other tests assert. Whether every string has a translation at all
# is i18n.catalog (po/check_catalog.sh).
set -euo pipefail

IT_NAME=i18n
. "$(dirname "$0")/it_lib.sh"
. "$(dirname "$0")/i18n_lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

# ------------------------------------------------------------- --help ----
# Every row of the command table, as the words that name it.
mapfile -t rows < <(grep -oP '^\s*\{\{"[^}]*\}' "$SRC/client/cmd/cmd_table.c" | sed 's/[{}" ]//g; s/,/ /g')
[ "${#rows[@]}" -gt 40 ] || bad "read the command table (${#rows[@]} rows)"
rows+=("")   # huizong --help itself
for words in "${rows[@]}"; do
    name="huizong${words:+ $words} --help"
    # shellcheck disable=SC2086  # the words are separate arguments
    if check "$name (zh) exits 0" 0 zh hz $words --help; then
        if has_cjk "$T/out" && grep -q '用法' "$T/out"; then ok "$name (zh) is Chinese"; else
            bad "$name (zh) is not Chinese"
            dump "$T/out"
        fi
        prose=$(english_prose "$T/out")
        if [ -z "$prose" ]; then ok "$name (zh) has no English sentence"; else
            bad "$name (zh) still has English:"
            printf '%s\n' "$prose" | sed 's/^/     | /'
        fi
    fi
    # shellcheck disable=SC2086
    if check "$name (C) exits 0" 0 en hz $words --help; then
        expect "$name (C) is English" "$T/out" "usage:"
        [ -n "$(english_prose "$T/out")" ] || bad "$name (C) has no English sentence"
    fi
done

# ------------------------------------------- errors without a server ----
both() {   # both NAME EXIT ZH_TEXT EN_TEXT CMD...: the error under zh_CN and under C
    local name=$1 want=$2 zh_text=$3 en_text=$4
    shift 4
    if check "$name (zh) exit $want" "$want" zh "$@"; then expect "$name (zh)" "$T/err" "$zh_text"; fi
    if check "$name (C) exit $want" "$want" en "$@"; then expect "$name (C)" "$T/err" "$en_text"; fi
}
both "unknown command" 1 "未知命令“frob”" 'unknown command "frob"' hz frob
both "missing option" 1 "summary：缺少 --year" "summary: missing --year" hz summary
both "bad option value" 1 "--year 20x：应为年份" "--year 20x: want a year like 2020" hz summary --year 20x

printf '日期,类别,标题,参与人数\n2020-04-13,fire,讲座,10\n2020-02-30,fire,没有这一天,5\n' >"$T/bad.csv"
both "bad cell in a sheet" 2 "bad.csv：第 3 行，第 1 列（日期）：日期 \"2020-02-30\" 无效（应为真实存在的日期" \
    'bad.csv: line 3, column 1 (日期): invalid date "2020-02-30" (want a real day' \
    hz import "$T/bad.csv" --type activity --check
both "import summary" 2 "1 处错误，涉及 1 行；未加入待发送队列" "1 error in 1 row; nothing queued" \
    hz import "$T/bad.csv" --type activity --check

# --------------------------------------------------------- the server ----
make_certs admin:d1:admin district:d1:district street:s1:district c1:c1:community
both "server unreachable" 3 "无法连接 127.0.0.1:1" "cannot connect to 127.0.0.1:1" \
    hz --server 127.0.0.1:1 --creds "$T/creds/district" summary --year 2020
start_server
add_units <<'EOF'
d1:示范区委宣传部:district:
s1:示范街道办事处:street:d1
s2:东风街道办事处:street:d1
c1:新光社区:community:s1
c3:东风社区:community:s2
EOF

# UNIT_NOT_FOUND
both "unknown unit" 4 "服务器拒绝（未找到）：单位“nosuch”不在组织架构中" \
    'server refused: NOT_FOUND: unit "nosuch" is not in the org tree' \
    hz $(as admin) admin period lock --unit nosuch --period 2020-06
# UNIT_OUT_OF_REACH: the street office asks about the other street's community.
both "unit out of reach" 4 "服务器拒绝（无权操作）：东风社区不在示范街道办事处的管辖范围内" \
    'server refused: PERMISSION_DENIED: unit "c3" is outside the subtree of s1' \
    hz $(as street) admin period lock --unit c3 --period 2020-06
# ADMIN_REQUIRED (the route's check, before the database: the unit named by
# the name the server learned at Hello).
both "admin only" 4 "服务器拒绝（无权操作）：只有管理员可以执行此操作；当前证书是示范区委宣传部的区或街道证书" \
    "only an administrator can add org units; this certificate is district for \"d1\"" \
    hz $(as district) admin unit add --code x9 --name X --level community --parent s1
# A reason the client has no words for: the English text under a Chinese lead.
both "refusal without a known reason" 4 "服务器拒绝（未找到）：correction 999 not found" \
    "server refused: NOT_FOUND: correction 999 not found" \
    hz $(as district) admin correction approve 999

# PERIOD_LOCKED: the district locks June 2020; a record of c1 in it is
# refused, the locker shown by name (the English says "by district d1").
check "district locks 2020-06" 0 hz $(as district) admin period lock --unit d1 --period 2020-06 || true
cat >"$T/june.json" <<'EOF'
{"activities": [{"date": "2020-06-10", "category": "fire", "title": "消防演练", "participants": 12}]}
EOF
if check "locked period (zh) exit 4" 4 zh hz $(as c1) submit "$T/june.json"; then
    expect "locked period (zh): the batch" "$T/err" "服务器拒收了这批 1 条记录"
    expect "locked period (zh): the record" "$T/err" \
        "activities[0].date: 示范区委宣传部 2020-06 期间已于"
    expect "locked period (zh): by whom" "$T/err" "由示范区委宣传部锁定"
    if grep -q 'by district d1' "$T/err"; then bad "locked period (zh) shows the principal code"; else
        ok "locked period (zh) names no code for the locker"; fi
fi
if check "locked period (C) exit 4" 4 en hz $(as c1) submit "$T/june.json"; then
    expect "locked period (C)" "$T/err" "activities[0].date: period 2020-06 is locked for d1 since"
    expect "locked period (C): by whom" "$T/err" "by district d1"
fi
same "nothing written in the locked period" "$(pg "select count(*) from activity")" "0"

# A held record in a period locked later: the refusal says which correction
# to file instead.
RID=5d1c2e7a-3b4f-4a6e-9c1d-0000000000aa
printf '{"activities": [{"record_id": "%s", "date": "2020-05-10", "category": "fire", "title": "讲座", "participants": 8}]}\n' \
    "$RID" >"$T/may.json"
check "c1 files a May record" 0 hz $(as c1) submit "$T/may.json" || true
check "district locks 2020-05" 0 hz $(as district) admin period lock --unit d1 --period 2020-05 || true
both "retract in a locked period" 4 "服务器拒绝（当前无法执行）：示范区委宣传部 2020-05 期间已于" \
    "server refused: FAILED_PRECONDITION: period 2020-05 is locked for d1 since" hz $(as c1) retract "$RID" --reason 重复
both "retract in a locked period: the way out" 4 \
    "由示范区委宣传部锁定；未写入任何内容（请提交更正申请：huizong correct $RID --retract）" \
    "nothing was written (file a correction: huizong correct $RID --retract)" \
    hz $(as c1) retract "$RID" --reason 重复

# The status lines and the table headers of a list follow the locale too.
if check "status (zh)" 0 zh hz $(as c1) status; then
    expect "status (zh) heading" "$T/out" "待发送目录："
    expect "status (zh) rejected" "$T/out" "被拒收"
fi
if check "unit list (zh)" 0 zh hz $(as admin) admin unit list; then
    expect "unit list (zh) header" "$T/out" "代码"
    expect "unit list (zh) status" "$T/out" "在用"
fi
if check "unit list (C)" 0 en hz $(as admin) admin unit list; then
    expect "unit list (C) header" "$T/out" "code"
fi

finish
