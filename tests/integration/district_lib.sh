# Shared by the district shell tests: a temp dir, certificates, a real
# huizongd on a free port, the demo org tree plus a second street, and the
# demo's three communities' records submitted through the client.
# Sourced, not run (its name does not end in _test.sh).
IT_NAME=district
IT_DUMP_MAX=20
. "$(dirname "${BASH_SOURCE[0]}")/it_lib.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

# expect as in it_lib.sh, but naming the file and showing at most 30 lines.
expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: no \"$3\" in $2"
        head -30 "$2" | sed 's/^/     | /'
    fi
}
# Not it_lib.sh's finish: the district tests report their count of passes.
finish() {
    if stop_server; then ok "huizongd stopped cleanly"; else
        bad "huizongd exit status non-zero (sanitizer report?)"
        grep -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/server.log" | head -40 || true
    fi
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}

district_setup() {
    make_certs admin:district:admin district:district:district street1:street-1:district \
        street2:street-2:district xinguang:xinguang:community yingbinlu:yingbinlu:community \
        guanlan:guanlan:community
    start_server "$@"
    grep -v '^#' "$ROOT/demo/data/units.tsv" | while IFS=$'\t' read -r code name level parent; do
        [ -n "$code" ] || continue
        hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
            ${parent:+--parent "$parent"} >/dev/null
    done
    # A second street with one community and one record of its own: a street
    # must see its communities only.
    hz $(as admin) admin unit add --code street-2 --name 第二街道 --level street --parent district >/dev/null
    hz $(as admin) admin unit add --code other --name 他社区 --level community --parent street-2 >/dev/null
    for c in xinguang yingbinlu guanlan; do
        hz $(as "$c") submit "$ROOT/demo/data/$c.json" >/dev/null
    done
    hz admin cert issue --ca "$T/ca" --unit other --role community --out "$T/creds/other" >/dev/null
    cat >"$T/other.json" <<'JSON'
{"activities": [
  {"record_id": "0b3c1f1e-0000-4000-8000-000000000001", "date": "2020-03-31", "category": "culture",
   "title": "季末文艺汇演", "participants": 100},
  {"record_id": "0b3c1f1e-0000-4000-8000-000000000002", "date": "2020-04-01", "category": "culture",
   "title": "季初文艺汇演", "participants": 50, "beneficiaries": ["受助人张三"]}
],
 "indicator_values": [
  {"record_id": "0b3c1f1e-0000-4000-8000-000000000003", "indicator": "briefs", "period": "2020-06", "value": 2},
  {"record_id": "0b3c1f1e-0000-4000-8000-000000000004", "indicator": "research_reports", "period": "2020-Q2", "value": 1}
 ]}
JSON
    hz $(as other) submit "$T/other.json" >/dev/null
}
