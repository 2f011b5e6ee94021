#!/usr/bin/env bash
# The huizong demo, end to end on one machine:
#   a CA and certificates, huizongd on a free port with its embedded PostgreSQL,
#   the org tree added by the administrator, three communities submitting their
#   2020 records at the same time over mutual TLS, and the district pulling the
#   2020 summary of its whole subtree.
#
# Usage: demo/run-demo.sh          (binaries from $HZ_BUILD, default build/)
# Everything it makes stays in demo/run/<timestamp>.XXXX/ (logs, certificates,
# the server's data directory) for inspection; `make clean` removes demo/run/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${HZ_BUILD:-build}
[[ $BUILD == /* ]] || BUILD=$ROOT/$BUILD
HZD=$BUILD/huizongd
HZ=$BUILD/huizong
# The client speaks the caller's language (LANG=zh_CN.UTF-8 make demo shows
# the Chinese messages) with the catalogs of this build.
export HZ_LOCALEDIR=${HZ_LOCALEDIR:-$BUILD/locale}
DATA=$ROOT/demo/data
YEAR=2020
READY_TIMEOUT=60
STOP_TIMEOUT=30
# The binaries of `make build` carry AddressSanitizer; a leak fails the run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

SERVER_PID=
CLIENT_PIDS=()
TMP_DATA_PARENT=
SRVDATA=

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }
indent() { sed 's/^/      /' "$@"; }

# Runs the client as one identity. Each identity gets its own empty HOME so
# that the user's own client configuration (~/.config/huizong, HUIZONG_CONFIG)
# cannot leak into the demo and concurrent clients share no local state.
hz_as() {
    local who=$1
    shift
    mkdir -p "$WORK/home/$who"
    env -u HUIZONG_CONFIG -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u XDG_STATE_HOME \
        -u XDG_CACHE_HOME HOME="$WORK/home/$who" "$HZ" "$@" </dev/null
}

# The identity's connection options: server address and credentials directory.
conn() { printf '%s\n' --server "$ADDR" --creds "$CERTS/$1"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A free TCP port on 127.0.0.1, probed with bash's /dev/tcp so that neither
# python nor ss is needed. Starts at a random offset so that two demos on one
# machine rarely race for the same port.
pick_port() {
    local base=$((20000 + RANDOM % 20000)) p i
    for ((i = 0; i < 200; i++)); do
        p=$((base + i))
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# Sets SRVDATA. As root the embedded cluster runs as user postgres, which must
# be able to reach the data directory; a Unix socket path must also stay under
# 108 bytes. When either fails under the repository, the data directory goes
# to /tmp (removed again on exit).
choose_data_dir() {
    local reachable=1
    SRVDATA=$WORK/data
    if [[ $(id -u) -eq 0 ]] && getent passwd postgres >/dev/null &&
        ! runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
        reachable=0
    fi
    if ((reachable == 0 || ${#SRVDATA} > 80)); then
        TMP_DATA_PARENT=$(mktemp -d /tmp/huizong-demo.XXXXXX)
        chmod 755 "$TMP_DATA_PARENT"
        SRVDATA=$TMP_DATA_PARENT/data
    fi
}

# Stops huizongd with SIGTERM (it stops its PostgreSQL cluster on the way out);
# SIGKILL only after STOP_TIMEOUT seconds. Returns the server's exit status.
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    local pid=$SERVER_PID rc=0 deadline=$((SECONDS + STOP_TIMEOUT))
    SERVER_PID=
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            printf 'demo: huizongd (pid %s) still running after %ss; sending SIGKILL\n' \
                "$pid" "$STOP_TIMEOUT" >&2
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

# A cluster left behind by a server that died without stopping it.
stop_stray_cluster() {
    local pgdata=${SRVDATA:-}/pg bindir owner
    [[ -n ${SRVDATA:-} && -f $pgdata/postmaster.pid ]] || return 0
    bindir=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
    [[ -x $bindir/pg_ctl ]] || bindir=/usr/lib/postgresql/15/bin
    owner=$(stat -c %U "$pgdata")
    printf 'demo: stopping the PostgreSQL cluster left in %s\n' "$pgdata" >&2
    if [[ $(id -u) -eq 0 && $owner != root ]]; then
        runuser -u "$owner" -- "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
    else
        "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

cleanup() {
    local rc=$? pid
    trap - EXIT
    for pid in "${CLIENT_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    if [[ -n $SERVER_PID ]]; then
        stop_server || true
    fi
    stop_stray_cluster
    if [[ -n $TMP_DATA_PARENT && ! -f $SRVDATA/pg/postmaster.pid ]]; then
        rm -rf "$TMP_DATA_PARENT"
    fi
    if ((rc != 0)); then
        printf '\ndemo: FAILED (exit %s). Logs and certificates: %s\n' "$rc" "${WORK:-?}" >&2
        if [[ -n ${LOG:-} && -s $LOG ]]; then
            printf 'demo: last lines of %s:\n' "$LOG" >&2
            tail -n 20 "$LOG" | indent >&2
        fi
    fi
    exit "$rc"
}

wait_ready() {
    local deadline=$((SECONDS + READY_TIMEOUT)) rc=0
    while ! grep -q ' ready on ' "$LOG"; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID" || rc=$?
            SERVER_PID=
            die "huizongd exited (status $rc) before it was ready"
        fi
        ((SECONDS < deadline)) || die "huizongd not ready after ${READY_TIMEOUT}s"
        sleep 0.2
    done
}

# --- preconditions ----------------------------------------------------------
[[ -x $HZD && -x $HZ ]] || die "no binaries in $BUILD (run: make build)"
[[ -r $DATA/units.tsv ]] || die "missing $DATA/units.tsv"

COMMUNITIES=()
while IFS=$'\t' read -r code _ level _; do
    [[ -z $code || $code == \#* ]] && continue
    [[ $level == community ]] && COMMUNITIES+=("$code")
done <"$DATA/units.tsv"
for c in "${COMMUNITIES[@]}"; do
    [[ -r $DATA/$c.json ]] || die "missing $DATA/$c.json"
done

mkdir -p "$ROOT/demo/run"
WORK=$(mktemp -d "$ROOT/demo/run/$(date +%Y%m%d-%H%M%S).XXXX")
chmod 755 "$WORK"
CERTS=$WORK/certs
LOG=
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Work directory $WORK"
info "binaries: $BUILD"

# --- certificates -----------------------------------------------------------
step "Creating the demo CA and certificates"
hz_as admin admin ca init --dir "$CERTS/ca" --name "huizong demo" >/dev/null
info "CA: $CERTS/ca"
hz_as admin admin cert issue --ca "$CERTS/ca" --server --hosts localhost,127.0.0.1 \
    --out "$CERTS/server" >/dev/null
info "server certificate for localhost, 127.0.0.1: $CERTS/server"
hz_as admin admin cert issue --ca "$CERTS/ca" --unit district --role admin \
    --out "$CERTS/admin" >/dev/null
info "admin: $CERTS/admin"
hz_as admin admin cert issue --ca "$CERTS/ca" --unit district --role district \
    --out "$CERTS/district" >/dev/null
info "district (unit district): $CERTS/district"
for c in "${COMMUNITIES[@]}"; do
    hz_as admin admin cert issue --ca "$CERTS/ca" --unit "$c" --role community \
        --out "$CERTS/$c" >/dev/null
    info "community $c: $CERTS/$c"
done

# --- server -----------------------------------------------------------------
step "Starting huizongd"
PORT=$(pick_port) || die "no free TCP port found on 127.0.0.1"
ADDR=127.0.0.1:$PORT
choose_data_dir
CONF=$WORK/huizongd.conf
LOG=$WORK/huizongd.log
cat >"$CONF" <<EOF
# Written by demo/run-demo.sh. No dsn: huizongd runs its own PostgreSQL
# cluster under data_dir, created on first start, stopped on exit.
listen = "$ADDR"
data_dir = "$SRVDATA"
sql_dir = "$ROOT/sql"
tls_cert = "$CERTS/server/server.crt"
tls_key = "$CERTS/server/server.key"
tls_ca = "$CERTS/server/ca.crt"
EOF
if ! "$HZD" --config "$CONF" --check-config >"$WORK/check-config.log" 2>&1; then
    indent "$WORK/check-config.log" >&2
    die "huizongd --check-config refused $CONF"
fi
info "config: $CONF (checked)"
info "data directory (embedded PostgreSQL): $SRVDATA"
"$HZD" --config "$CONF" >"$LOG" 2>&1 &
SERVER_PID=$!
info "pid $SERVER_PID, listening on $ADDR, log: $LOG"
info "waiting for 'ready' (first start runs initdb; up to ${READY_TIMEOUT}s)"
wait_ready
info "ready"

# --- org tree ---------------------------------------------------------------
step "Adding the org tree as admin (demo/data/units.tsv)"
mapfile -t ADMIN_CONN < <(conn admin)
while IFS=$'\t' read -r code name level parent; do
    [[ -z $code || $code == \#* ]] && continue
    args=(admin unit add --code "$code" --name "$name" --level "$level")
    [[ -n $parent ]] && args+=(--parent "$parent")
    hz_as admin "${ADMIN_CONN[@]}" "${args[@]}" >"$WORK/unit-$code.log" 2>&1 ||
        { indent "$WORK/unit-$code.log" >&2; die "admin unit add $code failed"; }
    info "$level $code $name${parent:+ (under $parent)}"
done <"$DATA/units.tsv"

# --- concurrent submissions -------------------------------------------------
step "Submitting ${#COMMUNITIES[@]} communities at the same time: ${COMMUNITIES[*]}"
for c in "${COMMUNITIES[@]}"; do
    mapfile -t CONN < <(conn "$c")
    hz_as "$c" "${CONN[@]}" submit "$DATA/$c.json" >"$WORK/submit-$c.log" 2>&1 &
    CLIENT_PIDS+=($!)
done
failed=0
for i in "${!COMMUNITIES[@]}"; do
    c=${COMMUNITIES[$i]}
    rc=0
    wait "${CLIENT_PIDS[$i]}" || rc=$?
    info "$c: huizong submit $c.json -> exit $rc"
    indent "$WORK/submit-$c.log"
    ((rc == 0)) || failed=1
done
CLIENT_PIDS=()
((failed == 0)) || die "a submission failed (exit codes above)"

c=${COMMUNITIES[0]}
step "Submitting $c.json again: same record_ids, so nothing new is written"
mapfile -t CONN < <(conn "$c")
hz_as "$c" "${CONN[@]}" submit "$DATA/$c.json" >"$WORK/resubmit-$c.log" 2>&1 ||
    { indent "$WORK/resubmit-$c.log" >&2; die "resubmission of $c.json failed"; }
indent "$WORK/resubmit-$c.log"

# --- the district's rules --------------------------------------------------
# The seed's own rule: at least two briefs and one public-opinion report a
# month, for every community of the street; values are due by the 5th.
step "Setting the seed's quotas and deadline for street-1 (admin)"
for q in "briefs 2" "opinion_reports 1"; do
    set -- $q
    hz_as admin "${ADMIN_CONN[@]}" admin quota set --unit street-1 --indicator "$1" \
        --period-type month --min "$2" --from "$YEAR-01" >"$WORK/quota-$1.log" 2>&1 ||
        { indent "$WORK/quota-$1.log" >&2; die "admin quota set $1 failed"; }
    info "at least $2 $1 a month from $YEAR-01"
done
hz_as admin "${ADMIN_CONN[@]}" admin deadline set --indicators briefs,opinion_reports \
    --day 5 --unit street-1 >"$WORK/deadline.log" 2>&1 ||
    { indent "$WORK/deadline.log" >&2; die "admin deadline set failed"; }
info "due by the 5th of the following month"

# --- the district's view ----------------------------------------------------
mapfile -t DISTRICT_CONN < <(conn district)
step "District: $YEAR summary by community, with every dated activity"
hz_as district "${DISTRICT_CONN[@]}" summary --year "$YEAR" --by community --events \
    | tee "$WORK/summary-community.txt"

step "District: $YEAR summary by community and category"
hz_as district "${DISTRICT_CONN[@]}" summary --year "$YEAR" --by community,category \
    | tee "$WORK/summary-community-category.txt"

hz_as district "${DISTRICT_CONN[@]}" summary --year "$YEAR" --by community,category,month \
    --format json >"$WORK/summary.json"

# The year is over: the district locks its months; later changes go through
# correction requests.
step "District: locking $YEAR for street-1"
hz_as district "${DISTRICT_CONN[@]}" admin period lock --unit street-1 --period "$YEAR" \
    >"$WORK/lock.log" 2>&1 || { indent "$WORK/lock.log" >&2; die "admin period lock $YEAR failed"; }
info "$YEAR locked"
mapfile -t CONN < <(conn xinguang)
if hz_as xinguang "${CONN[@]}" nil --period "$YEAR-09" >"$WORK/nil-locked.log" 2>&1; then
    die "a write into a locked period was accepted"
fi
info "a community writing into $YEAR-09 now gets: $(head -1 "$WORK/nil-locked.log")"

step "District: $YEAR quotas per community and month"
hz_as district "${DISTRICT_CONN[@]}" quotas --year "$YEAR" | tee "$WORK/quotas.txt"

step "District: completeness of $YEAR-06"
hz_as district "${DISTRICT_CONN[@]}" completeness --period "$YEAR-06" | tee "$WORK/completeness.txt"

hz_as district "${DISTRICT_CONN[@]}" report --year "$YEAR" --unit district --format html \
    --out "$WORK/report-$YEAR.html" >/dev/null
hz_as district "${DISTRICT_CONN[@]}" report --year "$YEAR" --unit district --format md \
    >"$WORK/report-$YEAR.md"
# What the office hands upward and keeps editing: the report as a Word
# document in the official-document layout, the summary as a workbook.
hz_as district "${DISTRICT_CONN[@]}" report --year "$YEAR" --unit district --format docx \
    --out "$WORK/report-$YEAR.docx" >/dev/null
hz_as district "${DISTRICT_CONN[@]}" summary --year "$YEAR" --by community,category \
    --format xlsx --out "$WORK/summary-$YEAR.xlsx" >/dev/null

# Beneficiaries' names are in the communities' records, never in district
# output or the server's log.
step "Checking that no beneficiary name left the communities' records"
mapfile -t NAMES < <(sed -n 's/.*"beneficiaries": *\[\(.*\)\].*/\1/p' "$DATA"/*.json |
    tr ',' '\n' | sed -n 's/^ *"\(.*\)" *$/\1/p' | sort -u)
for name in "${NAMES[@]}"; do
    if grep -lF -- "$name" "$WORK"/summary* "$WORK"/report-* "$LOG" >&2; then
        die "beneficiary name $name appears in the files listed above"
    fi
done
info "${#NAMES[@]} names checked against the summaries, reports and $LOG: none found"

step "District: the $YEAR year-end report (also $WORK/report-$YEAR.html and .docx, $WORK/summary-$YEAR.xlsx)"
cat "$WORK/report-$YEAR.md"

# --- stop -------------------------------------------------------------------
step "Stopping huizongd (SIGTERM)"
rc=0
stop_server || rc=$?
((rc == 0)) || die "huizongd exited with status $rc"
info "stopped cleanly"

if [[ -n $TMP_DATA_PARENT ]]; then
    step "Demo finished. Logs and certificates: $WORK (the data directory in /tmp is removed)"
else
    step "Demo finished. Logs, certificates and data: $WORK"
fi
