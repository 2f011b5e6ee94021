#!/usr/bin/env bash
# Connection rows of make bench (bench/run says the contract): full mutual
# TLS handshakes per second against huizongd and against `openssl s_server
# -Verify` with the same server certificate, client certificate and load
# generator in the same run, as a ratio; resumed handshakes (session
# tickets) apart; huizongd's RSS with N idle authenticated connections
# (TLS done and Hello answered OK).
#
# Load: bench/conn/hz_bench_conn (built with the Release type). A handshake
# counts once the server's session ticket has come (its part is done: the
# client's certificate and Finished checked).
#
# Knobs (environment): HZ_BENCH_CONN_SECONDS (10, per measurement),
# HZ_BENCH_CONN_WORKERS (2 client processes), HZ_BENCH_CONN_IDLE (10000).
set -euo pipefail
: "${HZ_BUILD:?}" "${HZ_BENCH_TMP:?}"
SECS=${HZ_BENCH_CONN_SECONDS:-10}
WORKERS=${HZ_BENCH_CONN_WORKERS:-2}
IDLE=${HZ_BENCH_CONN_IDLE:-10000}
SERVER=$HZ_BUILD/huizongd
CLIENT=$HZ_BUILD/huizong
LOAD=$HZ_BUILD/bench/conn/hz_bench_conn
W=$HZ_BENCH_TMP/conn
mkdir -p "$W/home"
# The embedded PostgreSQL runs as another user when we are root.
chmod 755 "$HZ_BENCH_TMP" "$W"
say() { echo "bench_conn: $*" >&2; }
for f in "$SERVER" "$CLIENT" "$LOAD"; do
    [ -x "$f" ] || { say "missing $f (build the Release type with bench/conn)"; exit 1; }
done
command -v openssl >/dev/null || { say "openssl not found"; exit 1; }

# One descriptor per connection on each side, and some to spare.
want=$((IDLE + 512))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
    ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge "$want" ] || {
    say "RLIMIT_NOFILE is $(ulimit -n), want $want for $IDLE connections"
    IDLE=$(( $(ulimit -n) - 512 ))
    say "measuring $IDLE idle connections instead"
}

PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

hz() { env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u HUIZONG_CONFIG HOME="$W/home" "$CLIENT" "$@" </dev/null; }
hz admin ca init --dir "$W/ca" --name bench >/dev/null
hz admin cert issue --ca "$W/ca" --server --hosts localhost,127.0.0.1 --out "$W/server" >/dev/null
hz admin cert issue --ca "$W/ca" --unit d1 --role admin --out "$W/admin" >/dev/null
hz admin cert issue --ca "$W/ca" --unit c1 --role community --out "$W/c1" >/dev/null
CA=$W/server/ca.crt CRT=$W/c1/client.crt KEY=$W/c1/client.key

limit=$((IDLE + 256))
setpriv --pdeathsig TERM -- "$SERVER" --listen=127.0.0.1:0 --data_dir="$W/data" \
    --tls_cert="$W/server/server.crt" --tls_key="$W/server/server.key" --tls_ca="$CA" \
    --log_level=info --max_connections="$limit" --max_authenticated="$limit" \
    --max_handshakes="$limit" --max_handshakes_per_address="$limit" --idle_timeout=1h \
    >"$W/huizongd.log" 2>&1 &
HZPID=$!
PIDS+=("$HZPID")
PORT=
for _ in $(seq 900); do
    PORT=$(grep -o 'ready on 127\.0\.0\.1:[0-9]*' "$W/huizongd.log" | head -n1 | sed 's/.*://' || true)
    [ -n "$PORT" ] && break
    kill -0 "$HZPID" 2>/dev/null || break
    sleep 0.1
done
[ -n "$PORT" ] || { say "huizongd did not start:"; tail -n 20 "$W/huizongd.log" >&2; exit 1; }
as_admin() { hz --server "127.0.0.1:$PORT" --creds "$W/admin" --spool "$W/admin-spool" "$@"; }
as_admin admin unit add --code d1 --name 区 --level district >/dev/null
as_admin admin unit add --code s1 --name 街道 --level street --parent d1 >/dev/null
as_admin admin unit add --code c1 --name 社区 --level community --parent s1 >/dev/null

# s_server on a free port: the same server certificate and key, the same CA.
SPORT=
for p in $(shuf -i 20000-60000 -n 20); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    openssl s_server -quiet -accept "127.0.0.1:$p" -cert "$W/server/server.crt" \
        -key "$W/server/server.key" -CAfile "$CA" -Verify 2 -verify_return_error \
        </dev/null >"$W/s_server.log" 2>&1 &
    SPID=$!
    for _ in $(seq 20); do
        sleep 0.1
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then SPORT=$p; break; fi
        kill -0 "$SPID" 2>/dev/null || break
    done
    if [ -n "$SPORT" ]; then PIDS+=("$SPID"); break; fi
    kill "$SPID" 2>/dev/null || true
done
[ -n "$SPORT" ] || { say "openssl s_server did not start"; exit 1; }

# rate PORT [resume]: handshakes per second (rounded), and the raw line to stderr.
rate() {
    local out
    out=$("$LOAD" handshakes 127.0.0.1 "$1" "$CA" "$CRT" "$KEY" "$SECS" "$WORKERS" ${2:-}) || return 1
    say "port $1 ${2:-full}: $out"
    set -- $out
    # handshakes N seconds S per_s R resumed M failed F
    echo "$6 $8 ${10}"
}
say "full handshakes, huizongd"; read -r hz_full hz_full_res hz_full_fail < <(rate "$PORT")
say "full handshakes, s_server"; read -r ss_full ss_full_res ss_full_fail < <(rate "$SPORT")
say "resumed, huizongd"; read -r hz_res hz_res_n hz_res_fail < <(rate "$PORT" resume)
say "resumed, s_server"; read -r ss_res ss_res_n ss_res_fail < <(rate "$SPORT" resume)
kill "$SPID" 2>/dev/null || true

# Idle: N connections with Hello done, the server's RSS before and with them.
rss() { awk '/^VmRSS/ {print $2}' "/proc/$HZPID/status"; }
base_kb=$(rss)
mkfifo "$W/hold"
"$LOAD" idle 127.0.0.1 "$PORT" "$CA" "$CRT" "$KEY" "$IDLE" <"$W/hold" >"$W/idle.out" 2>"$W/idle.err" &
IPID=$!
PIDS+=("$IPID")
exec 4>"$W/hold"
for _ in $(seq 3000); do
    grep -q '^idle ' "$W/idle.out" 2>/dev/null && break
    kill -0 "$IPID" 2>/dev/null || break
    sleep 0.1
done
held=$(sed -n 's/^idle //p' "$W/idle.out")
[ -n "$held" ] && [ "$held" -gt 0 ] || { say "idle connections failed: $(cat "$W/idle.err")"; exit 1; }
[ "$held" -eq "$IDLE" ] || say "only $held of $IDLE idle connections: $(cat "$W/idle.err")"
sleep 2 # let the last replies go out and the buffers be released
idle_kb=$(rss)
exec 4>&-
wait "$IPID" 2>/dev/null || true

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio=$(awk -v a="$hz_full" -v b="$ss_full" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
per_kb=$(awk -v a="$idle_kb" -v b="$base_kb" -v n="$held" 'BEGIN { if (n > 0) printf "%.1f", (a - b) / n; else print "-" }')
ok_ratio=$(awk -v r="$ratio" 'BEGIN { print (r >= 2) ? "met" : "not met" }')
ok_rss=$(awk -v k="$idle_kb" -v n="$held" -v want="$IDLE" 'BEGIN { print (n == want && k < 160 * 1024) ? "met" : "not met" }')

echo "## Connections"
echo
echo "| measured | huizongd | openssl s_server, same run | target |"
echo "|---|---|---|---|"
echo "| full mTLS handshakes/s ($WORKERS clients) | $hz_full | $ss_full | ≥ 2 × s_server: $ratio × ($ok_ratio) |"
echo "| resumed handshakes/s (session ticket) | $hz_res ($hz_res_n resumed) | $ss_res ($ss_res_n resumed) | reported |"
echo "| server RSS, $held idle authenticated connections | $(mib "$idle_kb") MiB ($per_kb kB each; $(mib "$base_kb") MiB before) | — | < 160 MiB ($ok_rss) |"
echo
echo "Measured by bench/bench_conn.sh: bench/conn/hz_bench_conn, $WORKERS processes for ${SECS} s per row, P-256"
echo "certificates from \`huizong admin cert issue\`, TLS 1.3; a handshake counts once the server's session ticket has come."
echo "Failed handshakes: huizongd $hz_full_fail full, $hz_res_fail resumed; s_server $ss_full_fail full, $ss_res_fail resumed."
echo "Idle: TLS and Hello (answered OK) on each connection, then VmRSS of huizongd from /proc after 2 s."
