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
: "${HZ_BUILD:?}" "${HZ_ROOT:?}"
SECS=${HZ_BENCH_CONN_SECONDS:-10}
WORKERS=${HZ_BENCH_CONN_WORKERS:-2}
IDLE=${HZ_BENCH_CONN_IDLE:-10000}
LOAD=$HZ_BUILD/bench/conn/hz_bench_conn
export HZ_SERVER=$HZ_BUILD/huizongd HZ_CLIENT=$HZ_BUILD/huizong
say() { echo "bench_conn: $*" >&2; }
for f in "$HZ_SERVER" "$HZ_CLIENT" "$LOAD"; do
    [ -x "$f" ] || { say "missing $f (build the Release type with bench/conn)"; exit 1; }
done
command -v openssl >/dev/null || { say "openssl not found"; exit 1; }

# One descriptor per connection on each side, and some to spare.
want=$((IDLE + 512))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
    ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
    say "RLIMIT_NOFILE is $(ulimit -n), want $want for $IDLE connections"
    IDLE=$(( $(ulimit -n) - 512 ))
    say "measuring $IDLE idle connections instead"
fi

# The integration tests' server life: certificates, huizongd on a free port
# with its embedded PostgreSQL, stopped by PID on every way out.
IT_NAME=bench-conn
. "$HZ_ROOT/tests/integration/it_lib.sh" >&2
PIDS=()
bench_stop() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap 'bench_stop; cleanup >&2' EXIT

make_certs admin:d1:admin c1:c1:community
CA=$T/server/ca.crt CRT=$T/creds/c1/client.crt KEY=$T/creds/c1/client.key
limit=$((IDLE + 256))
server_start "$T/huizongd.log" --log_level=info --max_connections="$limit" \
    --max_authenticated="$limit" --max_handshakes="$limit" --max_handshakes_per_address="$limit" \
    --idle_timeout=1h || { say "huizongd did not start:"; tail -n 20 "$T/huizongd.log" >&2; exit 1; }
HZPID=$SERVER_PID
for u in d1:区:district: s1:街道:street:d1 c1:社区:community:s1; do
    IFS=: read -r code name level parent <<<"$u"
    hz $(as admin) admin unit add --code "$code" --name "$name" --level "$level" \
        ${parent:+--parent "$parent"} >/dev/null
done

# s_server on a free port: the same server certificate and key, the same CA.
SPORT=
for p in $(shuf -i 20000-60000 -n 20); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    openssl s_server -quiet -accept "127.0.0.1:$p" -cert "$T/server/server.crt" \
        -key "$T/server/server.key" -CAfile "$CA" -Verify 2 -verify_return_error \
        </dev/null >"$T/s_server.log" 2>&1 &
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
mkfifo "$T/hold"
"$LOAD" idle 127.0.0.1 "$PORT" "$CA" "$CRT" "$KEY" "$IDLE" <"$T/hold" >"$T/idle.out" 2>"$T/idle.err" &
IPID=$!
PIDS+=("$IPID")
exec 4>"$T/hold"
# As long as it takes (each connection has its own 5 s timeouts).
while kill -0 "$IPID" 2>/dev/null && ! grep -q '^idle ' "$T/idle.out" 2>/dev/null; do
    sleep 0.5
done
held=$(sed -n 's/^idle //p' "$T/idle.out")
[ -n "$held" ] && [ "$held" -gt 0 ] || { say "idle connections failed: $(cat "$T/idle.err")"; exit 1; }
[ "$held" -eq "$IDLE" ] || say "only $held of $IDLE idle connections: $(cat "$T/idle.err")"
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
