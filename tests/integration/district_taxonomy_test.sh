#!/usr/bin/env bash
# Categories and indicators from the server, and reports that cover every
# community: a category the administrator adds is importable by its Chinese
# name at once (no cache), after `taxonomy refresh`, and when the cache does
# not know it yet; offline, the cache serves and without one the built-in
# names; a sub-category reports in its parent's section; a community with no
# records is listed with 0 and 未报 in md, json and html.
set -euo pipefail
. "$(dirname "$0")/district_lib.sh"
district_setup
SPOOL="$T/home/.local/share/huizong/spool"
offline() { printf '%s\n' --server 127.0.0.1:1 --creds "$T/creds/$1"; }
queued() { find "$SPOOL" -maxdepth 1 -name '*.hzb' | wc -l; }
cat_of() { pg "select category_code from activity where title = '$1'"; }
sheet() { printf '日期,类别,标题,参与人数\n%s,%s,%s,%s\n' "$1" "$2" "$3" "$4" >"$T/s.csv"; }

# --------------------------------------- a new name, importable at once ----
check "admin adds 敬老助老" 0 hz $(as admin) admin category add --code elder_care --name 敬老助老
check "admin category list shows it" 0 hz $(as admin) admin category list
expect "listed" "$T/out" "敬老助老"
[ ! -e "$SPOOL/taxonomy.json" ] && ok "no taxonomy cached yet" || bad "a cache before any import"
sheet 2020-10-09 敬老助老 重阳节敬老活动 25
if check "import by the new Chinese name (no cache: fetched)" 0 hz $(as xinguang) import "$T/s.csv" --type activity; then
    expect "accepted" "$T/out" "1 accepted, 0 duplicates"
fi
same "stored under its code" "$(cat_of 重阳节敬老活动)" "elder_care"
[ -s "$SPOOL/taxonomy.json" ] && ok "taxonomy cached beside the spool" || bad "no taxonomy.json in $SPOOL"
same "the cache is not a batch: nothing queued" "$(queued)" 0
same "cache holds the new category" "$(jq -r '.categories[] | select(.code=="elder_care") | .name' "$SPOOL/taxonomy.json")" "敬老助老"
same "cache holds the indicators" "$(jq -r '.indicators[] | select(.code=="briefs") | .name' "$SPOOL/taxonomy.json")" "简讯"
same "cache file mode 0600" "$(stat -c %a "$SPOOL/taxonomy.json")" "600"
[ -z "$(find "$SPOOL" -maxdepth 1 -name '.tmp-*')" ] && ok "no temporary file left" || bad "a .tmp- file left"

# ------------------------------- cached: a name it does not know yet ----
check "admin adds 助残服务" 0 hz $(as admin) admin category add --code disability --name 助残服务
sheet 2020-10-10 助残服务 助残日志愿服务 12
if check "import a name the (fresh) cache lacks: fetched again" 0 hz $(as xinguang) import "$T/s.csv" --type activity; then
    expect "accepted" "$T/out" "1 accepted"
fi
same "stored as disability" "$(cat_of 助残日志愿服务)" "disability"

# ------------------------------------------ on demand: taxonomy refresh ----
check "admin adds 关爱儿童" 0 hz $(as admin) admin category add --code child_care --name 关爱儿童
if check "taxonomy refresh" 0 hz $(as xinguang) taxonomy refresh; then
    expect "refresh says what it cached" "$T/out" "categories,"
    expect "refresh names the file" "$T/out" "cached in $SPOOL/taxonomy.json"
fi
if check "taxonomy show (no network needed)" 0 hz $(offline xinguang) taxonomy show; then
    expect "show lists the new category" "$T/out" "  child_care  关爱儿童"
    expect "show lists an indicator" "$T/out" "  briefs  简讯"
fi
sheet 2020-06-01 关爱儿童 六一关爱儿童活动 30
check "offline --check with the cache: the new name is known" 0 hz $(offline xinguang) import "$T/s.csv" --type activity --check || true
check "import after the refresh" 0 hz $(as xinguang) import "$T/s.csv" --type activity --refresh-taxonomy || true
same "stored as child_care" "$(cat_of 六一关爱儿童活动)" "child_care"
check "taxonomy with a bad verb: usage" 1 hz $(as xinguang) taxonomy frob || true
expect "usage names the verbs" "$T/err" "want \`huizong taxonomy refresh\` or \`huizong taxonomy show\`"

# -------------------------------- a day old: fetched again by import ----
jq '.fetched = 0' "$SPOOL/taxonomy.json" >"$T/old.json" && cp "$T/old.json" "$SPOOL/taxonomy.json"
sheet 2020-06-02 消防宣传 消防宣传进楼栋 8
check "import with a stale cache" 0 hz $(as xinguang) import "$T/s.csv" --type activity || true
[ "$(jq -r '.fetched' "$SPOOL/taxonomy.json")" -gt 0 ] && ok "stale cache refreshed" || bad "cache still stale"

# ------------------------------------------ offline without a cache ----
rm -f "$SPOOL/taxonomy.json"
sheet 2020-06-03 敬老助老 敬老探访 5
if check "offline, no cache: the new name is unknown" 2 hz $(offline xinguang) import "$T/s.csv" --type activity; then
    expect "the message" "$T/err" "unknown category \"敬老助老\""
fi
same "nothing queued" "$(queued)" 0
sheet 2020-06-03 消防宣传 消防宣传进楼栋二 5
check "offline, no cache: the built-in names still work" 0 hz $(offline xinguang) import "$T/s.csv" --type activity --check || true

# ---------------------------------- a sub-category in its parent's section ----
edu() { hz $(as district) report --year 2020 --unit street-1 --format json | jq -r '.sections[] | select(.key=="education") | .activities'; }
edu_before=$(edu)
check "admin adds 消防演练 under fire" 0 hz $(as admin) admin category add --code fire_drill --name 消防演练 --parent fire
sheet 2020-11-09 消防演练 消防日疏散演练 77
check "import into the sub-category" 0 hz $(as xinguang) import "$T/s.csv" --type activity || true
same "stored as fire_drill" "$(cat_of 消防日疏散演练)" "fire_drill"

# ------------------------------------ a community with no records ----
check "admin adds a community with no records" 0 hz $(as admin) admin unit add --code kongbai \
    --name 空白社区 --level community --parent street-1

R="hz $(as district) report --year 2020 --unit street-1"
check "report as json" 0 $R --format json --out "$T/r.json"
same "json: the sub-category's event in 法制、消防与禁毒宣传" \
    "$(jq -r '.sections[] | select(.key=="education") | .highlights[] | select(.title=="消防日疏散演练") | .participants' "$T/r.json")" "77"
same "json: 其他工作 holds the 3 new top-level categories' activities, not the drill" \
    "$(jq -r '.sections[] | select(.key=="other") | .activities' "$T/r.json")" "3"
same "json: the drill is not among 其他工作's highlights" \
    "$(jq -r '[.sections[] | select(.key=="other") | .highlights[] | select(.title=="消防日疏散演练")] | length' "$T/r.json")" "0"
same "json: the fire section counts the drill: one activity more than before" \
    "$(jq -r '.sections[] | select(.key=="education") | .activities' "$T/r.json")" "$((edu_before + 1))"
same "json: kongbai listed" "$(jq -r '.communities[] | select(.community=="kongbai") | "\(.community_name) \(.activities) \(.participants) \(.honors) \(.reported)"' "$T/r.json")" "空白社区 0 0 0 false"
same "json: the others reported" "$(jq -r '[.communities[] | select(.reported == true)] | length' "$T/r.json")" "3"
same "json: kongbai in the publicity section's table" \
    "$(jq -r '.sections[] | select(.key=="publicity") | .by_community[] | select(.community=="kongbai") | "\(.activities) \(.indicators | length)"' "$T/r.json")" "0 0"
check "report as markdown" 0 $R
cp "$T/out" "$T/r.md"
expect "md: kongbai with zeros and 未报" "$T/r.md" "| 空白社区（未报） | 0 | 0 | 0 |"
expect "md: how many sent nothing" "$T/r.md" "其中 1 个社区本期未报任何记录（表中记为“未报”）。"
expect "md: 4 communities counted" "$T/r.md" "辖内 4 个社区"
expect "md: kongbai's briefs not reported, never 0" "$T/r.md" "| 空白社区 | 0 | 0 | 未报 |"
expect "md: the drill in the fire section's highlights" "$T/r.md" "2020-11-09，新光社区：消防日疏散演练（77 人）"
check "report as html" 0 $R --format html --out "$T/r.html"
expect "html: kongbai with 未报" "$T/r.html" "空白社区（未报）"
expect "html: how many sent nothing" "$T/r.html" "其中 1 个社区本期未报任何记录"
finish
