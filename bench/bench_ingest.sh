#!/usr/bin/env bash
# Ingest, for `make bench` (contract at the top of bench/run): the real
# huizongd (Release, embedded PostgreSQL 15, fsync on) over real mTLS, fed by
# bench/loadgen (N community clients, one thread and one connection each,
# each batch timed until its acknowledgement) and by the real `huizong
# submit`; in the same run, against the same PostgreSQL cluster, the same rows
# by text COPY and by one INSERT per transaction (psql). Prints one Markdown
# section. Sizes (records per run) can be lowered for a quick look:
#   HZ_BENCH_RECORDS (50000, the 1/10/100-client rows), HZ_BENCH_BIG_RECORDS
#   (5000, the records per batch of the 100-client large-batch row),
#   HZ_BENCH_INSERTS (5000, the one-INSERT-per-transaction rows).
set -euo pipefail
: "${HZ_BUILD:?run through bench/run (make bench)}"
: "${HZ_ROOT:?run through bench/run (make bench)}"
RECORDS=${HZ_BENCH_RECORDS:-50000}
BIG=${HZ_BENCH_BIG_RECORDS:-5000}
INSERTS=${HZ_BENCH_INSERTS:-5000}
export HZ_SERVER=$HZ_BUILD/huizongd HZ_CLIENT=$HZ_BUILD/huizong
LOADGEN=$HZ_BUILD/loadgen
for b in "$HZ_SERVER" "$HZ_CLIENT" "$LOADGEN"; do
    [ -x "$b" ] || { echo "bench_ingest: no $b (build the Release type first)" >&2; exit 1; }
done

# it_lib.sh: temp dir, certificates, the server on a free port, stopped by
# PID on every way out. Its progress lines go to stderr; the section to fd 3.
exec 3>&1 1>&2
IT_NAME=bench-ingest
. "$HZ_ROOT/tests/integration/it_lib.sh"

UNITS=()
for i in $(seq 0 99); do UNITS+=("$(printf 'b%03d' "$i")"); done
ids=(admin:district:admin)
for u in "${UNITS[@]}"; do ids+=("$u:$u:community"); done
echo "bench_ingest: certificates for ${#UNITS[@]} communities" >&2
make_certs "${ids[@]}"
# 5000 records with 40-character titles are about 1.3 MB as one frame; every
# client comes from 127.0.0.1, which the per-address handshake limit (meant
# for a flood from one address) would otherwise hold to 20 at a time.
start_server --max_frame_bytes=8388608 --max_handshakes_per_address=1000 --max_handshakes=1000
{
    echo "d1:示范区:district:"
    echo "s1:第一街道:street:d1"
    for u in "${UNITS[@]}"; do echo "$u:${u}社区:community:s1"; done
} | add_units >/dev/null
POSTMASTER=$(head -n1 "$T/data/pg/postmaster.pid")
TCK=$(getconf CLK_TCK)

# CPU ticks of a process (user + system).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Of the whole cluster: the postmaster with its exited children, and the
# children still running.
pg_ticks() {
    local t c
    t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$POSTMASTER/stat")
    # Fields after the command name (which may hold spaces): state, ppid, ...
    c=$(cat /proc/[0-9]*/stat 2>/dev/null |
        awk -v pp="$POSTMASTER" '{ sub(/^.*\) /, "") } $2 == pp { t += $12 + $13 } END { print t + 0 }')
    echo $((t + c))
}
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
units_of() { local IFS=,; echo "${UNITS[*]:0:$1}"; }

# µs of CPU per record from a tick difference.
per_record() { awk -v t="$1" -v n="$2" -v hz="$TCK" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }'; }

ROWS=()
SEED=100

# A table shaped like activity (its indexes, defaults, checks; no foreign
# keys), for the baselines.
baseline_table() {
    pg "DROP TABLE IF EXISTS $1;
        CREATE TABLE $1 (LIKE activity INCLUDING ALL);
        ALTER TABLE $1 ADD COLUMN unit_code text, ALTER unit_id DROP NOT NULL,
            ALTER submission_id DROP NOT NULL;" >/dev/null
}
COLS="record_id, unit_code, date, category_code, title, location, participants, content"

# The baselines: the rows of the 10-client run (same seed), by COPY and by
# INSERT, each transaction committed on its own.
baselines() {
    local seed=$1 s0 s p0 secs n
    "$LOADGEN" --units "$(units_of 10)" --clients 10 --batches $((RECORDS / 10000 > 0 ? RECORDS / 10000 : 1)) \
        --records $((RECORDS / 10 / (RECORDS / 10000 > 0 ? RECORDS / 10000 : 1))) --seed "$seed" \
        --copy-out "$T/rows.copy"
    "$LOADGEN" --units "$(units_of 1)" --clients 1 --batches 1 --records "$INSERTS" --seed "$seed" \
        --insert-out "$T/rows.sql"
    n=$(wc -l <"$T/rows.copy")
    baseline_table bench_copy
    p0=$(pg_ticks)
    s0=$(date +%s.%N)
    sq -c "\\copy bench_copy ($COLS) FROM '$T/rows.copy'"
    secs=$(seconds_since "$s0")
    sleep 1 # the backend's CPU counts once the postmaster has reaped it
    COPY_RATE=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    ROWS+=("| text COPY, 1 transaction (psql) | $n rows | $COPY_RATE | – | – | $(per_record $(($(pg_ticks) - p0)) "$n") | – | 1.00 | – | – |")
    baseline_table bench_insert
    p0=$(pg_ticks)
    s0=$(date +%s.%N)
    sq -f "$T/rows.sql" >/dev/null
    secs=$(seconds_since "$s0")
    sleep 1
    INSERT_RATE=$(awk -v n="$INSERTS" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    ROWS+=("| one INSERT per transaction (psql) | $INSERTS rows | $INSERT_RATE | – | – | $(per_record $(($(pg_ticks) - p0)) "$INSERTS") | – | $(ratio "$INSERT_RATE" "$COPY_RATE") | 1.00 | – |")
}

# load LABEL CLIENTS BATCHES RECORDS [RATE]: one loadgen run, one row.
load() {
    local label=$1 n=$2 k=$3 r=$4 rate=${5:-0} out s0 p0 rc=0
    SEED=$((SEED + 1))
    echo "bench_ingest: $label: $n clients x $k batches x $r records" >&2
    echo 5 >"/proc/$SERVER_PID/clear_refs"
    s0=$(ticks "$SERVER_PID")
    p0=$(pg_ticks)
    out=$("$LOADGEN" --server "127.0.0.1:$PORT" --creds "$T/creds" --units "$(units_of "$n")" \
        --clients "$n" --batches "$k" --records "$r" --seed "$SEED" --rate "$rate") || rc=$?
    echo "bench_ingest:   $out" >&2
    local records rate_got p50 p99 max failed
    records=$(sed -n 's/.*records=\([0-9]*\).*/\1/p' <<<"$out")
    rate_got=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' <<<"$out")
    p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    max=$(sed -n 's/.*max_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$out")
    [ -n "$records" ] || { echo "bench_ingest: $label: loadgen said nothing (exit $rc)" >&2; return 1; }
    LAST_RATE=$rate_got
    ROWS+=("| $label | $n × $k × $r | $rate_got | $p50 / $p99 / $max | $(per_record $(($(ticks "$SERVER_PID") - s0)) "$records") | $(per_record $(($(pg_ticks) - p0)) "$records") | $(($(hwm_kb) / 1024)) MiB | $(ratio "$rate_got" "$COPY_RATE") | $(ratio "$rate_got" "$INSERT_RATE") | $failed of $((n * k)) |")
}

# The real client: 10 communities run `huizong submit FILE` at once, each with
# its own spool (its own HOME), RECORDS/10 records each.
cli_submit() {
    local n=10 per=$((RECORDS / 10)) s0 c0 p0 secs u i fails=0
    SEED=$((SEED + 1))
    mkdir -p "$T/json"
    "$LOADGEN" --units "$(units_of "$n")" --clients "$n" --batches 1 --records "$per" --seed "$SEED" \
        --json-out "$T/json"
    echo 5 >"/proc/$SERVER_PID/clear_refs"
    c0=$(ticks "$SERVER_PID")
    p0=$(pg_ticks)
    s0=$(date +%s.%N)
    local pids=()
    for i in $(seq 0 $((n - 1))); do
        u=${UNITS[$i]}
        mkdir -p "$T/home-$u"
        env HOME="$T/home-$u" "$HZ_CLIENT" --server "127.0.0.1:$PORT" --creds "$T/creds/$u" \
            submit "$T/json/$u-$i.json" >"$T/submit-$u.out" 2>&1 </dev/null &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do wait "${pids[$i]}" || fails=$((fails + 1)); done
    secs=$(seconds_since "$s0")
    local rate
    rate=$(awk -v n=$((n * per)) -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
    ROWS+=("| \`huizong submit\`, 10 at once (wall time, client start-up included) | $n × 1 file × $per | $rate | – | $(per_record $(($(ticks "$SERVER_PID") - c0)) $((n * per))) | $(per_record $(($(pg_ticks) - p0)) $((n * per))) | $(($(hwm_kb) / 1024)) MiB | $(ratio "$rate" "$COPY_RATE") | $(ratio "$rate" "$INSERT_RATE") | $fails of $n |")
}

status=0
baselines $((SEED + 50))
load "loadgen, 1 client" 1 $((RECORDS / 1000)) 1000 || status=1
load "loadgen, 10 clients" 10 $((RECORDS / 10000 > 0 ? RECORDS / 10000 : 1)) \
    $((RECORDS / 10 / (RECORDS / 10000 > 0 ? RECORDS / 10000 : 1))) || status=1
FULL10=$LAST_RATE
load "loadgen, 100 clients" 100 1 $((RECORDS / 100)) || status=1
# Half load, for the ack latency: the same records per second as half the
# 10-client run, in batches of 100 (an ack cannot come sooner than its batch
# is written, so the latency target is about small batches).
load "loadgen, 10 clients at half the 10-client rate, 100-record batches" 10 \
    $((RECORDS / 1000 > 0 ? RECORDS / 1000 : 1)) 100 $((FULL10 / 2)) || status=1
load "loadgen, 100 clients, large batches" 100 1 "$BIG" || status=1
cli_submit || status=1
stop_server || true
GROUPS_LINE=$(grep -c 'submitted:' "$T/server.log" || true)

{
    echo "## Ingest (bench/bench_ingest.sh)"
    echo
    echo "Acknowledged records per second over real mTLS against the embedded PostgreSQL 15"
    echo "(fsync on), beside text COPY and one INSERT per transaction of the same rows into a"
    echo "table shaped like \`activity\` (its indexes, no foreign keys), on the same cluster in"
    echo "the same run. Latency: each batch from being sent to its acknowledgement (after COMMIT)."
    echo "CPU: per record, of huizongd and of the whole PostgreSQL cluster."
    echo
    echo "| run | clients × batches × records | records/s | ack ms p50 / p99 / max | huizongd µs CPU/record | PostgreSQL µs CPU/record | huizongd peak RSS | × COPY | × INSERT/tx | failed batches |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "$GROUPS_LINE batches acknowledged in all. Targets (DESIGN.md): ≥ 0.5 × COPY, ≥ 6 × INSERT"
    echo "per transaction, no failed batch with 100 clients of 5000-record batches, p99 < 20 ms at half load."
} >&3
exit $status
