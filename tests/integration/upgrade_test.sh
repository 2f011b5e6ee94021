#!/usr/bin/env bash
# An upgrade from the first release: the database a v0.1.0 server made
# (tests/upgrade/v0.1.0/dump.sql, regenerated from the tag by
# tests/upgrade/make_fixture.sh) is restored with `huizongd restore`, this
# huizongd starts on it and applies every migration newer than the release,
# and each read of tests/upgrade/commands.tsv prints what v0.1.0 printed:
# JSON holds every value the release printed, unchanged (a key added since
# may appear); anything else is the same text.
#
# Usage: HZ_SERVER=path/huizongd HZ_CLIENT=path/huizong tests/integration/upgrade_test.sh [TAG]
set -euo pipefail

IT_NAME=upgrade
IT_DUMP_MAX=30
. "$(dirname "$0")/it_lib.sh"
UP=$(cd "$(dirname "$0")/../upgrade" && pwd)
TAG=${1:-v0.1.0}
FIX=$UP/$TAG
SQL=$(cd "$UP/../../sql" && pwd)

# old_in_new OLD NEW: every value of OLD is in NEW at the same place; arrays
# keep their length and order. One change is the upgrade's purpose (sql/060):
# an activity whose record said its count was not given held 0 and is now
# unknown. Where NEW says so (participants_unknown a count > 0 or true), its
# participants is null or absent (nothing known; a record's content has no
# count then) or the old sum (the unknown 0s added nothing), and
# participants_at_least may have become true; every other value of that
# object is still compared.
old_in_new() {
    jq -n --slurpfile a "$1" --slurpfile b "$2" '
      def unknown($y): ($y.participants_unknown // 0) as $u | $u == true or (($u | type) == "number" and $u > 0);
      def count_ok($x; $y; $k): $k == "participants" and ($y[$k] == null or $y[$k] == $x[$k])
                             or $k == "participants_at_least" and ($y[$k] == true or $y[$k] == $x[$k])
                             or $k == "total_participants" and ($y[$k] == null or $y[$k] == $x[$k])
                             or $k == "total_participants_at_least" and ($y[$k] == true or $y[$k] == $x[$k]);
      def sub($x; $y): if ($x | type) == "object" then ($y | type) == "object" and
                           all($x | keys[]; . as $k | (($y | has($k)) and
                               (sub($x[$k]; $y[$k]) or
                                ((unknown($y) or ($y.total_participants_unknown // 0) > 0) and count_ok($x; $y; $k))))
                               or ($k == "participants" and $x[$k] == 0 and $y.participants_unknown == true
                                   and ($y | has($k) | not)))
                       elif ($x | type) == "array" then ($y | type) == "array" and
                           ($x | length) == ($y | length) and all(range($x | length); sub($x[.]; $y[.]))
                       else $x == $y end;
      ($a | length) == ($b | length) and all(range($a | length); sub($a[.]; $b[.]))' 2>&1
}

make_certs admin:district:admin district:district:district street1:street-1:district \
    xinguang:xinguang:community

check "restore the $TAG database" 0 "$HZ_SERVER" restore --data_dir="$T/data" "$FIX/dump.sql" || true
released=$(grep -c "^[0-9]*	" <(sed -n '/^COPY public.schema_version/,/^\\\./p' "$FIX/dump.sql") || true)
start_server
ok "huizongd $(grep -o 'huizongd [0-9.]* ready' "$T/server.log" | cut -d' ' -f2) started on the $TAG database"
newest=$(basename "$(ls "$SQL"/[0-9][0-9][0-9]_*.sql | tail -n1)" | cut -c1-3)
is "migrations up to the newest applied" "$((10#$newest))" "$(pg "select max(version) from schema_version")"
echo "     (the $TAG database held $released migrations)"
# 092 built the rollups from what the release held.
rollup_exact "the rollups made by the migrations equal the raw rows"

while IFS=$'\t' read -r name who cmd; do
    case $name in '#'* | '') continue ;; esac
    # shellcheck disable=SC2086 # the command's words
    if ! check "$name" 0 hz $(as "$who") $cmd; then continue; fi
    if jq -e . "$FIX/$name.out" >/dev/null 2>&1; then
        got=$(old_in_new "$FIX/$name.out" "$T/out" || true)
        if [ "$got" = true ]; then ok "$name: unchanged since $TAG"; else
            bad "$name: differs from $TAG ($got)"
            diff <(jq -S . "$FIX/$name.out") <(jq -S . "$T/out") | head -20 | sed 's/^/     | /'
        fi
    elif cmp -s "$FIX/$name.out" "$T/out"; then ok "$name: unchanged since $TAG"; else
        bad "$name: differs from $TAG"
        diff "$FIX/$name.out" "$T/out" | head -20 | sed 's/^/     | /'
    fi
done <"$UP/commands.tsv"
rollup_exact "the rollups still equal the raw rows after the reads"
finish
