# Shared by the spool tests (sourced, not run): a temp dir, certificates, a
# real huizongd with its embedded PostgreSQL, helpers for checks, psql on the
# server's database, and a restart on the same data_dir.
set -euo pipefail

: "${HZ_SERVER:?set HZ_SERVER to the huizongd binary}"
: "${HZ_CLIENT:?set HZ_CLIENT to the huizong binary}"

T=$(mktemp -d /tmp/hz-spool.XXXXXX)
chmod 755 "$T" # as root the embedded cluster runs as postgres, which must traverse it
SERVER_PID=
PORT=
fails=0
SPOOL="$T/home/.local/share/huizong/spool"

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

# A postmaster that outlived a SIGKILLed huizongd (and was reused by the
# next one, which then does not stop it) is stopped here.
stop_postmaster() {
    local f="$T/data/pg/postmaster.pid" pid
    [ -f "$f" ] || return 0
    pid=$(head -n1 "$f")
    if [ -n "$pid" ] && grep -q '^postgres' "/proc/$pid/comm" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cleanup() {
    stop_server || true
    stop_postmaster
    if [ -n "${HZ_KEEP_TMP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

ok() { echo "ok   $1"; }
bad() {
    echo "FAIL $1"
    fails=$((fails + 1))
}

# The client with a private HOME (so its spool is $SPOOL) and no user config.
hz() {
    mkdir -p "$T/home"
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" "$@" </dev/null
}
as() { printf '%s\n' --server "127.0.0.1:$PORT" --creds "$T/creds/$1"; }
offline() { printf '%s\n' --server 127.0.0.1:1 --creds "$T/creds/$1"; }

check() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$name"
        return 0
    fi
    bad "$name (exit $rc, want $want)"
    sed 's/^/     | /' "$T/out" "$T/err" | head -n 40
    return 1
}

expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: no \"$3\" in"
        sed 's/^/     | /' "$2" | head -n 40
    fi
}

reject() {
    if grep -qF -- "$3" "$2"; then
        bad "$1: \"$3\" found in"
        sed 's/^/     | /' "$2" | head -n 20
    else ok "$1"; fi
}

same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got \"$2\", want \"$3\""; fi; }

sql() { psql -h "$T/data/run" -U huizong -d huizong -XAtqc "$1"; }

queued_files() { find "$SPOOL" -maxdepth 1 -name '*.hzb' 2>/dev/null | wc -l; }
tmp_files() { find "$SPOOL" -maxdepth 1 -name '.tmp-*' 2>/dev/null | wc -l; }

make_creds() {
    mkdir -p "$T/creds"
    hz admin ca init --dir "$T/ca" --name test >/dev/null
    hz admin cert issue --ca "$T/ca" --server --hosts localhost,127.0.0.1 --out "$T/server" >/dev/null
    for id in admin:d1:admin c1:c1:community c2:c2:community c3:c3:community; do
        IFS=: read -r name unit role <<<"$id"
        hz admin cert issue --ca "$T/ca" --unit "$unit" --role "$role" --out "$T/creds/$name" >/dev/null
    done
}

# Starts huizongd on $T/data (new or existing); port 0 first, then the same port.
start_server() {
    local listen="127.0.0.1:${PORT:-0}" log="$T/server.log.$((${RESTARTS:-0}))"
    setpriv --pdeathsig TERM -- "$HZ_SERVER" --listen="$listen" --data_dir="$T/data" \
        --tls_cert="$T/server/server.crt" --tls_key="$T/server/server.key" \
        --tls_ca="$T/server/ca.crt" >"$log" 2>&1 &
    SERVER_PID=$!
    local got=
    for _ in $(seq 900); do
        got=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$log" | head -n1 | sed 's/.*://' || true)
        [ -n "$got" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$got" ]; then
        echo "FAIL setup: huizongd did not get ready"
        cat "$log"
        exit 1
    fi
    PORT=$got
    ok "huizongd ready on port $PORT"
}

add_tree() {
    while IFS=: read -r code name level parent; do
        hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
            ${parent:+--parent "$parent"} >/dev/null
    done <<'EOT'
d1:测试区:district:
s1:第一街道:street:d1
c1:一社区:community:s1
c2:二社区:community:s1
c3:三社区:community:s1
EOT
}

finish() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then ok "huizongd survived"; else bad "huizongd died"; fi
    local rc=0
    stop_server || rc=$?
    if [ "$rc" -eq 0 ]; then ok "huizongd stopped cleanly"; else bad "huizongd exit status $rc"; fi
    if [ "$fails" -gt 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
