#!/usr/bin/env bash
# The whole huizong cluster on one machine, on loopback ports: one etcd, two
# PostgreSQL 15 nodes managed by Patroni (synchronous mode), HAProxy (write
# port, read port, huizongd port) and two huizongd. What docs/DEPLOY.md
# describes, small enough for a laptop and for the tests.
#
#   deploy/cluster.sh up DIR           start everything under DIR (free ports)
#   deploy/cluster.sh down DIR         stop everything started under DIR, by PID
#   deploy/cluster.sh kill-leader DIR  SIGKILL the Patroni leader and its postgres
#   deploy/cluster.sh status DIR       the ports and the Patroni members
#
# Environment: HUIZONGD (the huizongd binary; default: huizongd in PATH),
# HZ_TLS_DIR (server.crt, server.key, ca.crt for huizongd; default DIR/tls),
# PG_BINDIR (default /usr/lib/postgresql/15/bin), HZ_CLUSTER_USER (the user
# PostgreSQL, Patroni and etcd run as when this runs as root; default
# postgres: PostgreSQL never runs as root). Tests source this file and call
# cluster_up/cluster_down; with CLUSTER_PDEATHSIG=TERM every process gets
# SIGTERM when the calling shell dies.
set -euo pipefail

CLUSTER_DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER_WAIT_S=${CLUSTER_WAIT_S:-90}

cluster_log() { echo "cluster: $*" >&2; }

# The user the database side runs as, and the setpriv prefix for it.
cluster_user() {
    if [ "$(id -u)" -eq 0 ]; then echo "${HZ_CLUSTER_USER:-postgres}"; else id -un; fi
}

# The prefixes that run a command as the database user (CLUSTER_DB) and as
# the caller (CLUSTER_SELF): external commands that exec the next, so a
# command started with them in the background has $! as its own PID.
cluster_prefixes() {
    local sig=() u
    [ -n "${CLUSTER_PDEATHSIG:-}" ] && sig=(--pdeathsig "$CLUSTER_PDEATHSIG")
    CLUSTER_SELF=(setpriv "${sig[@]}" --)
    if [ "$(id -u)" -eq 0 ]; then
        u=$(cluster_user)
        # A change of user clears the parent-death signal: set it afterwards.
        CLUSTER_DB=(setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "${CLUSTER_SELF[@]}")
    else
        CLUSTER_DB=("${CLUSTER_SELF[@]}")
    fi
}

# N free TCP ports of 127.0.0.1, all distinct (held open together while chosen).
cluster_free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# cluster_http_status PORT PATH: the HTTP status of GET PATH on 127.0.0.1:PORT, or 000.
cluster_http_status() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3
        r=$(cat <&3); r=${r%%$'"'"'\r'"'"'*}; echo "${r#* }" | cut -d" " -f1' "$1" "$2" 2>/dev/null || echo 000
}

# cluster_wait WHAT SECONDS CMD...: runs CMD every 0.2 s until it succeeds;
# says what it waited for and returns 1 after SECONDS.
cluster_wait() {
    local what=$1 secs=$2 i
    shift 2
    for ((i = 0; i < secs * 5; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    cluster_log "gave up after ${secs}s waiting for $what"
    return 1
}

cluster_pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# cluster_stop_pid PID SIGNAL SECONDS: signal, wait, then SIGKILL.
cluster_stop_pid() {
    local pid=$1 i
    cluster_pid_alive "$pid" || return 0
    kill "-$2" "$pid" 2>/dev/null || true
    for ((i = 0; i < $3 * 10; i++)); do
        cluster_pid_alive "$pid" || break
        sleep 0.1
    done
    if cluster_pid_alive "$pid"; then
        cluster_log "pid $pid ignored SIG$2; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cluster_fill() { # cluster_fill TEMPLATE OUT VAR=VALUE...: each @VAR@ replaced
    local in=$1 out=$2 kv text
    text=$(cat "$in")
    shift 2
    for kv in "$@"; do text=${text//@${kv%%=*}@/${kv#*=}}; done
    printf '%s\n' "$text" >"$out"
}

cluster_ports_load() { # sets the port variables of DIR/ports.env
    # shellcheck disable=SC1091
    . "$1/ports.env"
}

cluster_write_configs() {
    local dir=$1 n
    local secrets="$dir/secrets"
    local su_pw repl_pw
    su_pw=$(cat "$secrets/superuser.pw")
    repl_pw=$(cat "$secrets/replication.pw")
    for n in 1 2; do
        local pg_var="PG${n}_PORT" rest_var="REST${n}_PORT"
        mkdir -p "$dir/node$n/log" "$dir/node$n/run"
        cluster_fill "$CLUSTER_DEPLOY_DIR/patroni.yml.in" "$dir/node$n/patroni.yml" \
            NODE="node$n" NODE_DIR="$dir/node$n" REST_PORT="${!rest_var}" PG_PORT="${!pg_var}" \
            ETCD_PORT="$ETCD_PORT" BIN_DIR="$dir/bin" SECRETS="$secrets" \
            PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}" \
            SUPERUSER_PASSWORD="$su_pw" REPLICATION_PASSWORD="$repl_pw"
        chmod 600 "$dir/node$n/patroni.yml"
    done
    mkdir -p "$dir/haproxy"
    cluster_fill "$CLUSTER_DEPLOY_DIR/haproxy.cfg.in" "$dir/haproxy/haproxy.cfg" DIR="$dir" \
        HA_WRITE_PORT="$HA_WRITE_PORT" HA_READ_PORT="$HA_READ_PORT" HA_HZ_PORT="$HA_HZ_PORT" \
        HA_STATS_PORT="$HA_STATS_PORT" NODE1=node1 NODE2=node2 PG1_PORT="$PG1_PORT" \
        PG2_PORT="$PG2_PORT" REST1_PORT="$REST1_PORT" REST2_PORT="$REST2_PORT" \
        HZ1_PORT="$HZ1_PORT" HZ2_PORT="$HZ2_PORT"
}

# The two huizongd: hz1 reaches the primary by libpq's multi-host dsn
# (target_session_attrs=read-write), hz2 through HAProxy's write port; both
# read summaries through HAProxy's read port (the primary when no replica runs).
cluster_write_huizongd() {
    local dir=$1 n tls=${HZ_TLS_DIR:-$1/tls}
    local pgpass="$dir/secrets/huizongd.pgpass"
    local multi="host=127.0.0.1,127.0.0.1 port=$PG1_PORT,$PG2_PORT target_session_attrs=read-write"
    local proxy="host=127.0.0.1 port=$HA_WRITE_PORT"
    local read="host=127.0.0.1 port=$HA_READ_PORT"
    printf '127.0.0.1:*:huizong:huizong_app:%s\n127.0.0.1:*:huizong:huizong_owner:%s\n' \
        "$(cat "$dir/secrets/app.pw")" "$(cat "$dir/secrets/owner.pw")" >"$pgpass"
    chmod 600 "$pgpass"
    for n in 1 2; do
        local port_var="HZ${n}_PORT" db
        [ "$n" = 1 ] && db=$multi || db=$proxy
        mkdir -p "$dir/hz$n"
        cat >"$dir/hz$n/huizongd.conf" <<EOF
# huizongd $n of the cluster under $dir (deploy/cluster.sh)
listen = "127.0.0.1:${!port_var}"
data_dir = "$dir/hz$n"
dsn = "$db dbname=huizong user=huizong_app connect_timeout=3"
owner_dsn = "$db dbname=huizong user=huizong_owner connect_timeout=3"
read_dsn = "$read dbname=huizong user=huizong_app connect_timeout=3"
tls_cert = "$tls/server.crt"
tls_key = "$tls/server.key"
tls_ca = "$tls/ca.crt"
pid_file = "$dir/hz$n/huizongd.pid"
# Behind HAProxy every client comes from the proxy's address (and so do its
# health checks): the per-address handshake limit would throttle everyone.
max_handshakes_per_address = 200
EOF
    done
}

cluster_init() { # the layout, ports and secrets of DIR
    local dir=$1 u p
    u=$(cluster_user)
    mkdir -p "$dir/secrets" "$dir/etcd" "$dir/pids"
    chmod 755 "$dir"
    read -r -a p <<<"$(cluster_free_ports 12)"
    cat >"$dir/ports.env" <<EOF
ETCD_PORT=${p[0]}
ETCD_PEER_PORT=${p[1]}
PG1_PORT=${p[2]}
PG2_PORT=${p[3]}
REST1_PORT=${p[4]}
REST2_PORT=${p[5]}
HA_WRITE_PORT=${p[6]}
HA_READ_PORT=${p[7]}
HA_HZ_PORT=${p[8]}
HA_STATS_PORT=${p[9]}
HZ1_PORT=${p[10]}
HZ2_PORT=${p[11]}
EOF
    cluster_ports_load "$dir"
    for f in superuser replication owner app; do
        [ -s "$dir/secrets/$f.pw" ] || openssl rand -hex 16 >"$dir/secrets/$f.pw"
    done
    chmod 700 "$dir/secrets"
    chmod 600 "$dir/secrets"/*.pw
    # Patroni runs it as the database user, who may not reach this tree.
    mkdir -p "$dir/bin"
    install -m 755 "$CLUSTER_DEPLOY_DIR/db-init.sh" "$dir/bin/db-init.sh"
    cluster_write_configs "$dir"
    cluster_write_huizongd "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$u:" "$dir/etcd" "$dir/node1" "$dir/node2"
        # Patroni's post_bootstrap reads the roles' passwords as that user.
        chown "$u:" "$dir/secrets" "$dir/secrets/owner.pw" "$dir/secrets/app.pw"
    fi
}

cluster_start_etcd() {
    local dir=$1
    (cd "$dir/etcd" && exec "${CLUSTER_DB[@]}" etcd --name hz-etcd --data-dir "$dir/etcd/data" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster "hz-etcd=http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster-state new --heartbeat-interval 100 --election-timeout 1000) \
        >"$dir/etcd/etcd.log" 2>&1 &
    echo $! >"$dir/pids/etcd"
    cluster_wait "etcd on port $ETCD_PORT" "$CLUSTER_WAIT_S" \
        etcdctl --endpoints "http://127.0.0.1:$ETCD_PORT" endpoint health
}

cluster_start_node() { # cluster_start_node DIR N
    local dir=$1 n=$2
    # In its own directory: the caller's may be closed to the database user.
    (cd "$dir/node$n" && exec "${CLUSTER_DB[@]}" patroni "$dir/node$n/patroni.yml") \
        >"$dir/node$n/patroni.out" 2>&1 &
    echo $! >"$dir/pids/node$n"
}

cluster_start_haproxy() {
    local dir=$1
    "${CLUSTER_SELF[@]}" haproxy -db -f "$dir/haproxy/haproxy.cfg" >"$dir/haproxy/haproxy.log" 2>&1 &
    echo $! >"$dir/pids/haproxy"
    cluster_wait "HAProxy on port $HA_STATS_PORT" 10 cluster_rest_is "$HA_STATS_PORT" /
}

# cluster_start_huizongd DIR N: starts huizongd N and waits until it is ready.
cluster_start_huizongd() {
    local dir=$1 n=$2 log="$1/hz$2/huizongd.log"
    : >"$log"
    "${CLUSTER_SELF[@]}" env PGPASSFILE="$dir/secrets/huizongd.pgpass" "${HUIZONGD:-huizongd}" \
        --config="$dir/hz$n/huizongd.conf" >>"$log" 2>&1 &
    echo $! >"$dir/pids/hz$n"
    cluster_wait "huizongd $n ready (log $log)" "$CLUSTER_WAIT_S" grep -q ' ready on ' "$log"
}

# HAProxy's statistics as CSV (proxy, server, ..., field 8 sessions in all,
# field 18 the state), headers included.
cluster_haproxy_csv() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
        printf "GET /;csv HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" >&3; cat <&3' "$HA_STATS_PORT" 2>/dev/null
}

# cluster_haproxy_up PROXY SERVER: HAProxy's stats call that server UP.
cluster_haproxy_up() {
    cluster_haproxy_csv | awk -F, -v p="$1" -v s="$2" '$1 == p && $2 == s && $18 ~ /^UP/ { up = 1 } END { exit !up }'
}

cluster_rest() { cluster_http_status "$1" "$2"; }
# cluster_rest_is PORT PATH: GET PATH answers 200 (for cluster_wait).
cluster_rest_is() { [ "$(cluster_http_status "$1" "$2")" = 200 ]; }

# The node number whose Patroni says it is the primary; empty when none.
cluster_leader() {
    local n port
    for n in 1 2; do
        port="REST${n}_PORT"
        [ "$(cluster_rest "${!port}" /primary)" = 200 ] && { echo "$n"; return 0; }
    done
    return 1
}

cluster_sync_standby_ok() { # a node other than the leader is the synchronous standby
    local n port
    for n in 1 2; do
        port="REST${n}_PORT"
        [ "$(cluster_rest "${!port}" /sync)" = 200 ] && return 0
    done
    return 1
}

cluster_up() {
    local dir=$1
    command -v etcd >/dev/null && command -v patroni >/dev/null && command -v haproxy >/dev/null || {
        cluster_log "needs etcd, patroni and haproxy (apt-get install etcd-server etcd-client patroni haproxy)"
        return 1
    }
    cluster_prefixes
    cluster_init "$dir"
    cluster_start_etcd "$dir" || return 1
    cluster_start_node "$dir" 1
    cluster_wait "node1 to become the primary (log $dir/node1/patroni.out)" "$CLUSTER_WAIT_S" \
        cluster_rest_is "$REST1_PORT" /primary || return 1
    cluster_start_node "$dir" 2
    cluster_start_haproxy "$dir" || return 1
    cluster_wait "node2 to stream as the synchronous standby (log $dir/node2/patroni.out)" \
        "$CLUSTER_WAIT_S" cluster_sync_standby_ok || return 1
    cluster_start_huizongd "$dir" 1 || return 1
    cluster_start_huizongd "$dir" 2 || return 1
    # Until its checks pass HAProxy closes a client's connection at once.
    local p
    for p in pg_primary/node1 pg_replicas/node2 huizong/hz1 huizong/hz2; do
        cluster_wait "HAProxy to see $p up" 20 cluster_haproxy_up "${p%/*}" "${p#*/}" || return 1
    done
    cluster_log "up: huizong on 127.0.0.1:$HA_HZ_PORT (HAProxy), PostgreSQL write $HA_WRITE_PORT, read $HA_READ_PORT"
}

# The postmaster of node N by its postmaster.pid, if it runs.
cluster_postmaster_pid() {
    local f="$1/node$2/data/postmaster.pid" pid
    [ -f "$f" ] || return 1
    pid=$(head -n1 "$f")
    [ -n "$pid" ] && grep -q '^postgres' "/proc/$pid/comm" 2>/dev/null && echo "$pid"
}

cluster_pid_of() { cat "$1/pids/$2" 2>/dev/null || true; }

cluster_down() {
    local dir=$1 n pid
    [ -d "$dir/pids" ] || return 0
    for n in hz1 hz2 haproxy; do cluster_stop_pid "$(cluster_pid_of "$dir" "$n")" TERM 20; done
    for n in 1 2; do cluster_stop_pid "$(cluster_pid_of "$dir" "node$n")" TERM 30; done
    for n in 1 2; do
        if pid=$(cluster_postmaster_pid "$dir" "$n"); then cluster_stop_pid "$pid" QUIT 10; fi
    done
    cluster_stop_pid "$(cluster_pid_of "$dir" etcd)" TERM 10
}

# SIGKILLs the leader's Patroni and then its postmaster; prints the node number.
cluster_kill_leader() {
    local dir=$1 n pm
    n=$(cluster_leader) || { cluster_log "no leader to kill"; return 1; }
    pm=$(cluster_postmaster_pid "$dir" "$n") || pm=
    kill -KILL "$(cluster_pid_of "$dir" "node$n")" 2>/dev/null || true
    [ -n "$pm" ] && kill -KILL "$pm" 2>/dev/null || true
    echo "$n"
}

cluster_main() {
    local cmd=${1:-} dir=${2:-}
    [ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 2; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    case $cmd in
    up) cluster_up "$dir" ;;
    down) cluster_ports_load "$dir" && cluster_down "$dir" ;;
    kill-leader) cluster_ports_load "$dir" && cluster_kill_leader "$dir" ;;
    status)
        cluster_ports_load "$dir" && cat "$dir/ports.env"
        echo "leader: node$(cluster_leader || echo ' none')"
        ;;
    *) cluster_log "unknown command $cmd (up, down, kill-leader, status)"; return 2 ;;
    esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then cluster_main "$@"; fi
