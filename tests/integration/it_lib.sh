# Shared by the shell integration tests (sourced, not run: its name does not
# end in _test.sh, so CMakeLists.txt does not make a test of it): a temp dir,
# certificates made with `huizong admin`, a real huizongd (embedded
# PostgreSQL) on a free port, stopped by its PID on every way out (with a
# postmaster it left behind), psql on its database, and the one-line check
# helpers.
#
# Usage: IT_NAME=cli; . "$(dirname "$0")/it_lib.sh"   (temp dir /tmp/hz-cli.*)
# IT_DUMP_MAX=N shows at most N lines of a failed check's output (all if unset).
# HZ_KEEP_TMP=1 keeps the temp dir (logs, certificates, data) for inspection.
: "${HZ_SERVER:?set HZ_SERVER to the huizongd binary}"
: "${HZ_CLIENT:?set HZ_CLIENT to the huizong binary}"
# The checks read the English messages whatever the caller's locale: C, with
# UTF-8 for the Chinese data (i18n_test.sh sets zh_CN per command).
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset LANGUAGE

T=$(mktemp -d "/tmp/hz-${IT_NAME:-it}.XXXXXX")
# As root the embedded cluster runs as postgres, which must traverse this dir.
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

# A postmaster that outlived a SIGKILLed huizongd (and was reused by the
# next one, which then does not stop it) is stopped by the pid in its file.
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

# Runs on every exit.
cleanup() {
    stop_server || true
    stop_postmaster
    if [ -n "${HZ_KEEP_TMP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

ok() {
    echo "ok   $1"
    passes=$((passes + 1))
}
bad() {
    echo "FAIL $1"
    fails=$((fails + 1))
}

# dump FILE...: the files' lines, indented under a failed check.
dump() {
    if [ -n "${IT_DUMP_MAX:-}" ]; then
        sed 's/^/     | /' "$@" | head -n "$IT_DUMP_MAX"
    else
        sed 's/^/     | /' "$@"
    fi
}

# Runs the client with a private HOME (so its config and spool are under $T)
# and the variables of HZ_ENV_EXTRA (an array; i18n_lib.sh sets the locale)
# and no user config or data dir leaking in.
hz() {
    mkdir -p "$T/home"
    env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$T/home" \
        ${HZ_ENV_EXTRA[@]+"${HZ_ENV_EXTRA[@]}"} "$HZ_CLIENT" "$@" </dev/null
}
# Connection options of an identity (a credentials dir under $T).
as() { printf '%s\n' --server "127.0.0.1:$PORT" --creds "$T/creds/$1"; }

# check NAME WANT_EXIT CMD...: runs CMD with output in $T/out and $T/err.
check() {
    local name=$1 want=$2 rc=0
    shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$name"
        return 0
    fi
    bad "$name (exit $rc, want $want)"
    dump "$T/out" "$T/err"
    return 1
}

# expect NAME FILE PATTERN: FILE contains the fixed string PATTERN.
expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        bad "$1: no \"$3\" in"
        dump "$2"
    fi
}

# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got \"$2\", want \"$3\""; fi; }
# is NAME WANT GOT: the same check, the wanted value first.
is() { same "$1" "$3" "$2"; }

# sq PSQL_ARG...: psql on the server's database, tuples only, unaligned,
# stopping at the first error. pg SQL: the result of one statement.
sq() { psql -XAtq -v ON_ERROR_STOP=1 "host=$T/data/run user=huizong dbname=huizong" "$@"; }
pg() { sq -c "$1"; }
# A query of helpers (sql/README.md: hz_private), run with the search_path the
# entry points carry, since helpers name each other without a schema.
pg_private() { PGOPTIONS="-c search_path=public,hz_private,pg_temp" sq -c "$1"; }
IT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# rollup_exact NAME [DATA_DIR]: one check that the rollups (sql/092) of the
# database in DATA_DIR ($T/data) equal their recomputation from the raw rows
# (rollup_check.sql prints a line per row that differs, is missing or is
# extra) and that they hold something.
rollup_exact() {
    local d=${2:-$T/data} diff rows
    diff=$(psql -XAtq -v ON_ERROR_STOP=1 "host=$d/run user=huizong dbname=huizong" \
        -f "$IT_LIB_DIR/rollup_check.sql" 2>&1) || diff="rollup_check.sql failed: $diff"
    rows=$(psql -XAtq "host=$d/run user=huizong dbname=huizong" \
        -c "select (select count(*) from activity_rollup) + (select count(*) from indicator_rollup)" 2>&1) || true
    if [ -z "$diff" ] && [ "$rows" -gt 0 ] 2>/dev/null; then ok "$1 ($rows rollup rows)"; else
        bad "$1: ${rows} rollup rows; differences from the raw rows:"
        printf '%s\n' "$diff" | head -20 | sed 's/^/     | /'
    fi
}

# make_certs NAME:UNIT:ROLE...: a CA in $T/ca, the server's certificate in
# $T/server, and each identity's credentials in $T/creds/NAME.
make_certs() {
    local id name unit role
    mkdir -p "$T/creds"
    hz admin ca init --dir "$T/ca" --name test >/dev/null
    hz admin cert issue --ca "$T/ca" --server --hosts localhost,127.0.0.1 --out "$T/server" >/dev/null
    for id in "$@"; do
        IFS=: read -r name unit role <<<"$id"
        hz admin cert issue --ca "$T/ca" --unit "$unit" --role "$role" --out "$T/creds/$name" >/dev/null
    done
}

# add_units <<EOF: adds each CODE:NAME:LEVEL:PARENT line as the admin (PARENT
# empty for a root), one check per unit.
add_units() {
    local code name level parent
    while IFS=: read -r code name level parent; do
        check "admin unit add $code" 0 hz $(as admin) admin unit add --code "$code" --name "$name" \
            --level "$level" ${parent:+--parent "$parent"} || true
    done
}

# add_base_tree: the tree most tests start from, added by the admin with
# add_units: district d1 测试区 > street s1 第一街道 > communities c1 一社区
# and c2 二社区.
add_base_tree() {
    add_units <<'EOF'
d1:测试区:district:
s1:第一街道:street:d1
c1:一社区:community:s1
c2:二社区:community:s1
EOF
}

# server_start LOG [HUIZONGD_OPTION...]: starts huizongd on $T/data (new or
# existing) on $PORT (a free port while PORT is empty), its output in LOG,
# and waits until it is ready; sets PORT. Returns 1 if it never got ready.
server_start() {
    local log=$1 got=
    shift
    # Emptied here, not by the redirection below (which runs in the child,
    # maybe after the first grep), so a restart's wait never reads the
    # "ready on" line of the server before it.
    : >"$log"
    # The server must not outlive this script, even when ctest kills it.
    setpriv --pdeathsig TERM -- "$HZ_SERVER" --listen="127.0.0.1:${PORT:-0}" --data_dir="$T/data" \
        --tls_cert="$T/server/server.crt" --tls_key="$T/server/server.key" \
        --tls_ca="$T/server/ca.crt" "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 900); do
        got=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$log" | head -n1 | sed 's/.*://' || true)
        [ -n "$got" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$got" ] || return 1
    PORT=$got
}

# start_server [HUIZONGD_OPTION...]: server_start with the log in
# $T/server.log; a server that does not get ready ends the script.
start_server() {
    server_start "$T/server.log" "$@" && return 0
    echo "FAIL setup: huizongd did not get ready"
    cat "$T/server.log"
    exit 1
}

# finish: the server survived the checks and stops cleanly on SIGTERM (the
# sanitizers found nothing on the way out); exits 1 if any check failed.
finish() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then ok "huizongd survived"; else bad "huizongd died"; fi
    local rc=0
    stop_server || rc=$?
    if [ "$rc" -eq 0 ]; then ok "huizongd stopped cleanly on SIGTERM"; else
        bad "huizongd exit status $rc on SIGTERM"
        tail -n 40 "$T/server.log" | sed 's/^/     | /'
    fi
    if [ "$fails" -gt 0 ]; then
        echo "$fails check(s) failed"
        exit 1
    fi
    echo "all checks passed"
}
