#!/usr/bin/env bash
# The admin unit/category/indicator verbs of the huizong command line end to
# end against a real huizongd (embedded PostgreSQL): each verb's happy path
# with its output, a refusal's exit code, and `--help` of each sub-command
# naming every verb. One line per check.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/org_test.sh
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
set -euo pipefail

IT_NAME=org
. "$(dirname "$0")/it_lib.sh"

# ---------------------------------------------------------------- setup ----
make_certs admin:d1:admin district:d1:district
start_server
ok "huizongd ready on port $PORT"

# not NAME FILE PATTERN: FILE does not contain the fixed string PATTERN.
not() {
    if grep -qF -- "$3" "$2"; then
        bad "$1: \"$3\" in"
        sed 's/^/     | /' "$2"
    else ok "$1"; fi
}

# ---------------------------------------------------------------- help -----
for noun in unit category indicator; do
    check "admin $noun --help" 0 hz admin "$noun" --help || true
    cp "$T/out" "$T/help-$noun"
done
for verb in add rename move retire list; do
    expect "unit help documents $verb" "$T/help-unit" "  $verb "
    expect "category help documents $verb" "$T/help-category" "  $verb "
done
for verb in add update retire list; do
    expect "indicator help documents $verb" "$T/help-indicator" "  $verb "
done
expect "unit help names the levels" "$T/help-unit" "city, district, street, community, grid"
expect "indicator help names --period-type" "$T/help-indicator" "--period-type month|quarter|year"
expect "indicator help names --aggregation" "$T/help-indicator" "--aggregation sum|last|max|avg"
check "admin unit rename --help" 0 hz admin unit rename --help || true
expect "a verb's --help is its noun's help" "$T/out" "rename  --code CODE --name NAME"
check "admin --help lists the org verbs" 0 hz admin --help || true
expect "admin --help names category" "$T/out" "  admin category add|rename|move|retire|list"
check "unknown verb is a usage error" 1 hz admin unit frob || true
expect "unknown verb names it" "$T/err" 'admin unit: unknown verb "frob"'
check "missing --code is a usage error" 1 hz admin unit rename --name X || true
expect "missing --code names it" "$T/err" "admin unit rename: missing --code"
check "move needs --parent or --root" 1 hz admin unit move --code c1 || true
check "bad --format is a usage error" 1 hz admin unit list --format csv || true

# ------------------------------------------------------------ org tree ----
add_units <<'UNITS'
d1:测试区:district:
s1:第一街道:street:d1
s1a:第一街道东片:street:s1
s2:第二街道:street:d1
c1:一社区:community:s1a
c2:二社区:community:s1
UNITS

check "unit rename" 0 hz $(as admin) admin unit rename --code c2 --name 二社区新 || true
expect "unit rename says so" "$T/out" "unit c2 renamed"
check "unit rename again" 0 hz $(as admin) admin unit rename --code c2 --name 二社区新 || true
expect "unit rename again changes nothing" "$T/out" "unit c2 already has that name"
check "unit move" 0 hz $(as admin) admin unit move --code c2 --parent s2 || true
expect "unit move says so" "$T/out" "unit c2 moved"
check "unit retire" 0 hz $(as admin) admin unit retire --code c2 || true
expect "unit retire says so" "$T/out" "unit c2 retired"
check "unit list" 0 hz $(as admin) admin unit list || true
cp "$T/out" "$T/tree"
expect "unit list has a header" "$T/tree" "code"
expect "unit list indents a street" "$T/tree" "  s1 "
expect "unit list indents four levels" "$T/tree" "      c1 "
expect "unit list marks the retired unit" "$T/tree" "retired $(date -u +%Y-%m-%d)"
check "unit list --under s1 --format json" 0 hz $(as admin) admin unit list --under s1a --format json || true
expect "json has the unit" "$T/out" '"code": "c1"'
not "json has only the subtree" "$T/out" '"code": "s2"'
check "unit move to root" 0 hz $(as admin) admin unit move --code s2 --root || true
check "unit move under own descendant refused" 4 hz $(as admin) admin unit move --code s1 --parent c1 || true
expect "the refusal names both" "$T/err" "cannot move s1 under its own descendant c1"
check "unit rename by a district refused" 4 hz $(as district) admin unit rename --code c1 --name X || true
expect "the refusal names the role" "$T/err" "this certificate is district"
# Lists are reads: an office lists its own subtree (s2 is a root by now).
check "unit list by a district" 0 hz $(as district) admin unit list --format json || true
expect "the district's list starts at its unit" "$T/out" '"code": "d1"'
expect "the district's list has its subtree" "$T/out" '"code": "c1"'
not "the district's list has nothing beside it" "$T/out" '"code": "s2"'
check "unit list by a district outside its subtree" 4 hz $(as district) admin unit list --under s2 || true
expect "the refusal names both units" "$T/err" 'unit "s2" is outside what "d1" may read (its own subtree)'

# ---------------------------------------------------------- categories ----
check "category add" 0 hz $(as admin) admin category add --code first_aid --name 急救培训 --parent education || true
expect "category add says so" "$T/out" "category first_aid added"
check "category add again" 0 hz $(as admin) admin category add --code first_aid --name 急救培训 --parent education || true
expect "category add again changes nothing" "$T/out" "category first_aid already present"
check "category rename" 0 hz $(as admin) admin category rename --code first_aid --name 急救 || true
expect "category rename says so" "$T/out" "category first_aid renamed"
check "category move" 0 hz $(as admin) admin category move --code first_aid --root || true
expect "category move says so" "$T/out" "category first_aid moved"
check "category retire" 0 hz $(as admin) admin category retire --code first_aid || true
expect "category retire says so" "$T/out" "category first_aid retired"
check "category list" 0 hz $(as admin) admin category list || true
expect "category list indents sub-categories" "$T/out" "  fire"
expect "category list shows names" "$T/out" "法制/消防/禁毒宣传"
check "category list --format json" 0 hz $(as admin) admin category list --format json || true
expect "category json" "$T/out" '"parent_code": "education"'
check "category list by a district" 0 hz $(as district) admin category list || true
expect "the district sees the categories" "$T/out" "  fire"
check "category cycle refused" 4 hz $(as admin) admin category move --code education --parent fire || true
expect "category cycle names both" "$T/err" "cannot move education under its own descendant fire"

# ---------------------------------------------------------- indicators ----
check "indicator add" 0 hz $(as admin) admin indicator add --code lectures --name 讲座 --unit 场 \
    --period-type quarter --aggregation sum || true
expect "indicator add says so" "$T/out" "indicator lectures added"
check "indicator update" 0 hz $(as admin) admin indicator update --code lectures --name 专题讲座 || true
expect "indicator update says so" "$T/out" "indicator lectures updated"
check "indicator update again" 0 hz $(as admin) admin indicator update --code lectures --name 专题讲座 || true
expect "indicator update again changes nothing" "$T/out" "indicator lectures unchanged"
check "indicator retire" 0 hz $(as admin) admin indicator retire --code lectures || true
expect "indicator retire says so" "$T/out" "indicator lectures retired"
check "indicator list" 0 hz $(as admin) admin indicator list || true
expect "indicator list shows the new one" "$T/out" "专题讲座"
expect "indicator list has the values column" "$T/out" "values"
check "indicator list --format json" 0 hz $(as admin) admin indicator list --format json || true
expect "indicator json" "$T/out" '"period_type": "quarter"'
check "indicator list by a district" 0 hz $(as district) admin indicator list || true
expect "the district sees the indicators" "$T/out" "专题讲座"
check "unknown aggregation refused" 4 hz $(as admin) admin indicator add --code x --name X --unit 篇 \
    --period-type month --aggregation median || true
expect "the refusal names it" "$T/err" 'unknown aggregation "median"'

# ---------------------------------------------------------------- stop -----
finish
