# Shared by the district shell tests: a temp dir, certificates, a real
# huizongd on a free port, the demo org tree plus a second street, and the
# demo's three communities' records submitted through the client.
# Sourced, not run (its name does not end in _test.sh).
: "${HZ_SERVER:?set HZ_SERVER to the huizongd binary}"
: "${HZ_CLIENT:?set HZ_CLIENT to the huizong binary}"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d /tmp/hz-district.XXXXXX)
chmod 755 "$T"
SERVER_PID=
PORT=
fails=0
passes=0

# Stops the server with SIGTERM; returns its exit status (non-zero when it
# was killed, or when the sanitizers found a leak or an error on the way out).
stop_server() {
    local pid=$SERVER_PID rc=0
    SERVER_PID=
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "huizongd ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}
cleanup() {
    stop_server || true
    if [ -n "${HZ_KEEP_TMP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
hz() {
    mkdir -p "$T/home"
    env -u XDG_CONFIG_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" "$@" </dev/null
}
as() { printf '%s\n' --server "127.0.0.1:$PORT" --creds "$T/creds/$1"; }
check() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$name"; return 0; fi
    bad "$name (exit $rc, want $want)"
    sed 's/^/     | /' "$T/out" "$T/err" | head -20
    return 1
}
expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: no \"$3\" in $2"
        head -30 "$2" | sed 's/^/     | /'
    fi
}
# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got \"$2\", want \"$3\""; fi; }
finish() {
    if stop_server; then ok "huizongd stopped cleanly"; else
        bad "huizongd exit status non-zero (sanitizer report?)"
        grep -A20 -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/server.log" | head -40 || true
    fi
    echo "$passes passed, $fails failed"
    [ "$fails" -eq 0 ]
}

district_setup() {
    mkdir -p "$T/creds"
    hz admin ca init --dir "$T/ca" --name test >/dev/null
    hz admin cert issue --ca "$T/ca" --server --hosts localhost,127.0.0.1 --out "$T/server" >/dev/null
    for id in admin:district:admin district:district:district street1:street-1:district \
        street2:street-2:district xinguang:xinguang:community yingbinlu:yingbinlu:community \
        guanlan:guanlan:community; do
        IFS=: read -r name unit role <<<"$id"
        hz admin cert issue --ca "$T/ca" --unit "$unit" --role "$role" --out "$T/creds/$name" >/dev/null
    done
    setpriv --pdeathsig TERM -- "$HZ_SERVER" --listen=127.0.0.1:0 --data_dir="$T/data" \
        --tls_cert="$T/server/server.crt" --tls_key="$T/server/server.key" \
        --tls_ca="$T/server/ca.crt" "$@" >"$T/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 900); do
        PORT=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$T/server.log" | head -n1 | sed 's/.*://' || true)
        [ -n "$PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$PORT" ]; then
        echo "FAIL setup: huizongd did not get ready"
        cat "$T/server.log"
        exit 1
    fi
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
