#!/usr/bin/env bash
# Reads, for `make bench` (contract at the top of bench/run): what a district
# pulls — each summary form, completeness, quotas, the year-end report, the
# DHIS2 export — from a real huizongd (Release, embedded PostgreSQL 15) over
# real mTLS, each as the time of the whole `huizong` process (start-up, TLS,
# Hello, the request, rendering), beside the raw PostgreSQL query a person
# would write for the same figures, as the time of a whole `psql -c` process
# against the same cluster. The two are run alternately, run after run, so a
# load that comes and goes on the machine falls on both; each figure is the
# median.
#
# The data: one district, 5 streets, 100 communities, BENCH_READ_ROWS
# activities (1,000,000) of one year, filed through the real write path
# (bench/loadgen: 100 community clients, batches of up to 5000) with the
# counts offices give (some unknown, some lower bounds such as 45+), and
# each community's monthly and quarterly indicator values (some periods not
# reported), quotas on the district and a deadline, so completeness and
# quotas have something to count. The rollups are filled as production
# fills them: by the writers' own transactions.
#
# Knobs: BENCH_READ_ROWS (1000000), BENCH_READ_RUNS (5 timed runs of each
# summary row, after one untimed), BENCH_READ_REPORT_RUNS (3, the reports).
set -euo pipefail
: "${HZ_BUILD:?run through bench/run (make bench)}"
: "${HZ_ROOT:?run through bench/run (make bench)}"
ROWS_WANT=${BENCH_READ_ROWS:-1000000}
RUNS=${BENCH_READ_RUNS:-5}
REPORT_RUNS=${BENCH_READ_REPORT_RUNS:-3}
YEAR=2025
Y="--year $YEAR"
export HZ_SERVER=$HZ_BUILD/huizongd HZ_CLIENT=$HZ_BUILD/huizong
LOADGEN=$HZ_BUILD/loadgen
for b in "$HZ_SERVER" "$HZ_CLIENT" "$LOADGEN"; do
    [ -x "$b" ] || { echo "bench_read: no $b (build the Release type first)" >&2; exit 1; }
done
command -v psql >/dev/null || { echo "bench_read: psql not found" >&2; exit 1; }

# it_lib.sh: temp dir, certificates, the server on a free port, stopped by
# PID on every way out. Its progress lines go to stderr; the section to fd 3.
exec 3>&1 1>&2
IT_NAME=bench-read
. "$HZ_ROOT/tests/integration/it_lib.sh"
say() { echo "bench_read: $*" >&2; }

UNITS=()
for i in $(seq 0 99); do UNITS+=("$(printf 'c%03d' "$i")"); done
ids=(admin:d1:admin district:d1:district)
for u in "${UNITS[@]}"; do ids+=("$u:$u:community"); done
say "certificates for ${#UNITS[@]} communities"
make_certs "${ids[@]}"
# Batches of 5000 records are about 1.3 MB a frame; every client comes from
# 127.0.0.1, which the per-address handshake limit would hold to 20.
start_server --max_frame_bytes=8388608 --max_handshakes_per_address=1000 --max_handshakes=1000
say "org tree: 1 district, 5 streets, ${#UNITS[@]} communities"
{
    echo "d1:示范区:district:"
    for s in 1 2 3 4 5; do echo "s$s:第${s}街道:street:d1"; done
    for i in "${!UNITS[@]}"; do echo "${UNITS[$i]}:${UNITS[$i]}社区:community:s$((i / 20 + 1))"; done
} | add_units >/dev/null
[ "$fails" -eq 0 ] || { say "the org tree could not be added"; exit 1; }

# The district's rules: quotas on its whole subtree, the 5th as deadline.
for q in "briefs month 2" "opinion_reports month 1" "research_reports quarter 1"; do
    set -- $q
    hz $(as admin) admin quota set --unit d1 --indicator "$1" --period-type "$2" --min "$3" \
        --from "$YEAR-$([ "$2" = month ] && echo 01 || echo Q1)" >/dev/null ||
        { say "quota $1 could not be set"; exit 1; }
done
hz $(as admin) admin deadline set --indicators briefs,opinion_reports,research_reports --day 5 \
    --unit d1 >/dev/null || { say "the deadline could not be set"; exit 1; }

DSN="host=$T/data/run user=huizong dbname=huizong"
# The client as a district office runs it: its own HOME (so its default
# spool folder, where it keeps its TLS session), the district's certificate;
# a read timeout of 10 minutes instead of 10 s, so that a slow read is
# measured rather than given up.
mkdir -p "$T/home"
unset XDG_CONFIG_HOME XDG_DATA_HOME HUIZONG_CONFIG
district() {
    HOME="$T/home" "$HZ_CLIENT" --server "127.0.0.1:$PORT" --creds "$T/creds/district" --timeout 600 "$@" </dev/null
}
raw() { psql -XAtq -v ON_ERROR_STOP=1 "$DSN" -c "$1"; }

# Medians; wall times are read from $EPOCHREALTIME (bash 5), no process of their own.
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1e6 }'; }

# The fixed cost of one command, while the database holds no record: each
# step is one more part of what a `huizong` process does around its request.
FIXED_RUNS=${BENCH_READ_FIXED_RUNS:-21}
FIXED=() FIXED_L=()
# fixed LABEL CMD...: the median wall time of CMD (after one untimed run), ms
# with one decimal.
fixed() {
    local label=$1 t0 t1 ns=() i
    shift
    "$@" >/dev/null 2>&1 || say "$label: exit $? (timed as it is)"
    for i in $(seq "$FIXED_RUNS"); do
        t0=${EPOCHREALTIME/[.,]/}; "$@" >/dev/null 2>&1 || true; t1=${EPOCHREALTIME/[.,]/}; ns+=($(((t1 - t0) * 1000)))
    done
    FIXED_L+=("$label")
    FIXED+=("$(printf '%s\n' "${ns[@]}" | median)")
}
# A spool folder of its own for each run: no kept session, a full handshake.
FRESH=0
fresh_spool() { FRESH=$((FRESH + 1)); district --spool "$T/fresh-$FRESH" "$@"; }
say "fixed cost of one command ($FIXED_RUNS runs of each)"
fixed "\`/bin/true\` (a process: the floor)" /bin/true
fixed "\`huizong --help\` (exec, $(ldd "$HZ_CLIENT" | grep -c '=>') shared libraries linked, locale)" "$HZ_CLIENT" --help
fixed "\`huizong config show\` (client.conf and the certificate's paths; no connection)" district config show
# Port 1 of the loopback: nothing listens there, the connection is refused.
closed_port() { HOME="$T/home" "$HZ_CLIENT" --server 127.0.0.1:1 --creds "$T/creds/district" "$@" </dev/null; }
fixed "\`summary $Y\` to a closed port (OpenSSL set up, certificate, key and CA loaded; refused at TCP)" \
    closed_port summary $Y
fixed "\`summary $Y\`, resumed TLS session (the kept one): TLS, Hello, the request, rendering" \
    district summary $Y
fixed "\`summary $Y\`, full TLS handshake (no kept session)" fresh_spool summary $Y
fixed "\`psql -c 'SELECT 1'\` (the raw baseline's own process and connection)" raw "SELECT 1"
# The server's own share of those runs: Hello and the summary, p50.
hz $(as admin) admin stats >"$T/stats" 2>&1 || true
SRV_HELLO=$(awk '$1 == "hello" { print $6 }' "$T/stats")
SRV_SUMMARY=$(awk '$1 == "summary" { print $6 }' "$T/stats")

# Seeding through the write path: 100 clients, each its community's share of
# the rows in batches of at most 5000, then its indicator values.
PER=$((ROWS_WANT / 100 > 0 ? ROWS_WANT / 100 : 1))
BATCHES=$(((PER + 4999) / 5000))
RECS=$((PER / BATCHES))
say "seeding $((100 * BATCHES * RECS)) activities of $YEAR: 100 clients x $BATCHES x $RECS, with indicator values"
s0=$(date +%s%N)
units_csv=$(IFS=,; echo "${UNITS[*]}")
"$LOADGEN" --server "127.0.0.1:$PORT" --creds "$T/creds" --units "$units_csv" --clients 100 \
    --batches "$BATCHES" --records "$RECS" --seed 7 --year "$YEAR" --mix --indicators >&2 ||
    { say "seeding failed"; exit 1; }
SEED_S=$(awk -v a="$s0" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')
pg "VACUUM ANALYZE" >/dev/null

CUR="is_current AND retracted_at IS NULL"
SPAN="date >= '$YEAR-01-01' AND date < '$((YEAR + 1))-01-01'"
N_ACT=$(pg "SELECT count(*) FROM activity WHERE $CUR AND $SPAN")
N_IND=$(pg "SELECT count(*) FROM indicator_value WHERE $CUR")
N_UNKNOWN=$(pg "SELECT count(*) FROM activity WHERE $CUR AND participants IS NULL")
N_ATLEAST=$(pg "SELECT count(*) FROM activity WHERE $CUR AND participants_at_least")
# The rollups hold what the rows hold, as the writers left them.
ROLLUP=$(pg "SELECT (SELECT count(*) FROM activity_rollup) || ' rows, '
              || CASE WHEN (SELECT sum(activities) FROM activity_rollup) = $N_ACT
                      THEN 'totals equal to the rows' ELSE 'totals NOT equal to the rows' END" 2>/dev/null ||
         echo "no rollup table")
say "$N_ACT activities ($N_UNKNOWN without a count, $N_ATLEAST lower bounds), $N_IND indicator values; rollup: $ROLLUP"

# The raw queries: the same figures straight from the rows (the district's
# subtree is every unit, so no join to the org tree: a baseline that cannot
# be slower than the real question).
RAW_TOTAL="SELECT count(*), sum(participants) FROM activity WHERE $CUR AND $SPAN"
RAW_GROUP="SELECT unit_id, category_code, date_trunc('month', date) AS month, count(*),
    sum(participants), count(*) FILTER (WHERE participants IS NULL), bool_or(participants_at_least)
    FROM activity WHERE $CUR AND $SPAN GROUP BY 1, 2, 3"
RAW_UNIT="SELECT unit_id, count(*), sum(participants) FROM activity WHERE $CUR AND $SPAN GROUP BY 1"
RAW_IND="SELECT unit_id, indicator_code, period_start, count(*), sum(value) FROM indicator_value
    WHERE $CUR AND period_start >= '$YEAR-01-01' AND period_start < '$((YEAR + 1))-01-01' GROUP BY 1, 2, 3"
DSN="host=$T/data/run user=huizong dbname=huizong"

ROWS=()
status=0
# row LABEL RUNS BASELINE_LABEL SQL TARGET CMD...: CMD and the raw SQL, once
# untimed and then RUNS times each, alternately; one table row of medians.
# TARGET: "faster N" (the raw query must take >= N x huizong's time), "within
# N" (huizong must take <= N x the raw query's), or "-".
row() {
    local label=$1 runs=$2 blabel=$3 sql=$4 target=$5 t0 t1 i hz_ns=() raw_ns=() h r x verdict
    shift 5
    say "$label"
    if ! "$@" >/dev/null 2>"$T/read.err"; then
        say "$label failed: $(head -c 400 "$T/read.err")"
        ROWS+=("| $label | failed | $blabel | – | – | – |")
        status=1
        return 0
    fi
    raw "$sql" >/dev/null
    for i in $(seq "$runs"); do
        t0=${EPOCHREALTIME/[.,]/}; "$@" >/dev/null 2>&1 || true; t1=${EPOCHREALTIME/[.,]/}; hz_ns+=($(((t1 - t0) * 1000)))
        t0=${EPOCHREALTIME/[.,]/}; raw "$sql" >/dev/null || true; t1=${EPOCHREALTIME/[.,]/}; raw_ns+=($(((t1 - t0) * 1000)))
    done
    h=$(printf '%s\n' "${hz_ns[@]}" | median)
    r=$(printf '%s\n' "${raw_ns[@]}" | median)
    x=$(awk -v r="$r" -v h="$h" 'BEGIN { printf "%.2f", (h > 0) ? r / h : 0 }')
    case $target in
    faster*) verdict=$(awk -v x="$x" -v n="${target#faster }" \
        'BEGIN { printf "≥ %s× faster: %s", n, (x >= n) ? "met" : "not met" }') ;;
    within*) verdict=$(awk -v x="$x" -v n="${target#within }" \
        'BEGIN { printf "≤ %s× the raw query: %s", n, (x >= 1 / n) ? "met" : "not met" }') ;;
    *) verdict="reported" ;;
    esac
    ROWS+=("| $label | $(ms "$h") | $blabel | $(ms "$r") | $x× | $verdict |")
    LAST_RAW_NS=$r
}

TOTAL_L="\`count(*), sum(participants)\` of the year"
GROUP_L="\`GROUP BY unit, category, month\`"
UNIT_L="\`GROUP BY unit\`: count, sum"
IND_L="\`GROUP BY unit, indicator, period\` of indicator values"
LAST_RAW_NS=0
# The issue's target is against "the raw GROUP BY" (GROUP BY unit,
# category, month: what a district would otherwise run); the same summaries
# beside the smallest raw query of their own figures follow, reported.
row "\`summary $Y\` (district-wide, no grouping)" "$RUNS" "$GROUP_L" "$RAW_GROUP" "faster 20" \
    district summary $Y
row "\`summary $Y --by community\`" "$RUNS" "$GROUP_L" "$RAW_GROUP" "faster 20" \
    district summary $Y --by community
row "\`summary $Y\` (district-wide, no grouping)" "$RUNS" "$TOTAL_L" "$RAW_TOTAL" "-" \
    district summary $Y
RAW_TOTAL_NS=$LAST_RAW_NS
row "\`summary $Y --by community\`" "$RUNS" "$UNIT_L" "$RAW_UNIT" "-" \
    district summary $Y --by community
for by in street category month quarter community,category,month; do
    row "\`summary $Y --by $by\`" "$RUNS" "$GROUP_L" "$RAW_GROUP" "faster 20" \
        district summary $Y --by "$by"
done
row "\`summary $Y --by community --format xlsx\`" "$RUNS" "$GROUP_L" "$RAW_GROUP" "-" \
    district summary $Y --by community --format xlsx --out "$T/summary.xlsx"
row "\`completeness $Y\`" "$RUNS" "$IND_L" "$RAW_IND" "-" district completeness $Y
row "\`quotas $Y\`" "$RUNS" "$IND_L" "$RAW_IND" "-" district quotas $Y
row "\`export $Y --format dhis2\` (indicator values, aggregate)" "$RUNS" "$IND_L" "$RAW_IND" "-" \
    district export $Y --format dhis2 --out "$T/export.json"
for f in md html docx; do
    row "\`report $Y --format $f\`" "$REPORT_RUNS" "$GROUP_L" "$RAW_GROUP" "within 1" \
        district report $Y --format "$f" --out "$T/report.$f"
done
stop_server || true

{
    echo "## Reads (bench/bench_read.sh)"
    echo
    echo "What a district pulls, over real mTLS from huizongd (Release, embedded PostgreSQL 15), as the"
    echo "wall time of the whole \`huizong\` process (start-up, certificates, TLS, Hello, the request,"
    echo "rendering; output to a file or /dev/null), beside a raw query of the same figures as the wall"
    echo "time of a whole \`psql -c\` process on the same cluster (Unix socket), run alternately in the"
    echo "same run; medians of $RUNS runs ($REPORT_RUNS for the reports) after one untimed run; the"
    echo "client's read timeout raised from 10 s to 600 s, so that a slow read is measured, not given up."
    echo "× faster: raw time / huizong time."
    echo
    echo "| read | huizong ms | raw baseline | raw ms | × faster | target |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Data: $N_ACT activities of $YEAR ($N_UNKNOWN without a count, $N_ATLEAST lower bounds such as 45+;"
    echo "10 categories, every month) of 100 communities under 5 streets of one district, $N_IND indicator"
    echo "values (monthly and quarterly, about one period in eight not reported), quotas and a deadline"
    echo "on the district; filed through the write path by bench/loadgen (100 clients, batches of up to"
    echo "5000) in $SEED_S s; activity rollup: $ROLLUP. BENCH_READ_ROWS=$ROWS_WANT."
    echo "Raw baselines read only the rows of the year that are current and not retracted, without the"
    echo "org tree. Targets (issue 13): a district-wide summary ≥ 20× faster than the raw \`GROUP BY\`"
    echo "(whole processes, the client's own included), the report no slower than one raw \`GROUP BY\`."
    echo "The same summaries beside the smallest raw query of their own figures (count and sum, over"
    echo "the year or per unit) are reported too: that query needs no grouping by category and month,"
    echo "and its whole process is within a few times the fixed cost of a \`huizong\` one (below)."
    echo
    echo "### The fixed cost of one \`huizong\` command"
    echo
    echo "Before the records were filed (the org tree only), each step one more part of what a"
    echo "process does around its request; medians of $FIXED_RUNS runs, wall time:"
    echo
    echo "| process | ms | adds |"
    echo "|---|---|---|"
    # What each step adds to the one above it; the full handshake to the
    # resumed one; psql stands apart.
    for i in "${!FIXED[@]}"; do
        prev=$((i == 5 ? 4 : i - 1))
        add=$(awk -v a="${FIXED[$i]}" -v b="${FIXED[$prev]:-0}" -v i="$i" \
            'BEGIN { if (i == 0 || i == 6) print "–"; else printf "%+.1f", (a - b) / 1e6 }')
        echo "| ${FIXED_L[$i]} | $(awk -v a="${FIXED[$i]}" 'BEGIN { printf "%.1f", a / 1e6 }') | $add |"
    done
    echo
    echo "Inside huizongd over those runs (\`admin stats\`, p50): Hello (the certificate's checks and its"
    echo "\`cert_seen\` row, one database call) ${SRV_HELLO:-?}, the summary ${SRV_SUMMARY:-?} (the upper bounds"
    echo "of their latency buckets). The Hello and the summary go out together (one round trip)."
    awk -v raw="$RAW_TOTAL_NS" -v pre="${FIXED[3]}" -v res="${FIXED[4]}" 'BEGIN {
        if (raw <= 0) exit
        printf "For 20× beside `count(*), sum()` the whole summary process would have to take %.1f ms (that row / 20);\n", raw / 20e6
        printf "the client alone takes %.1f ms before it connects, and %.1f ms for a summary of nothing.\n", pre / 1e6, res / 1e6 }'

} >&3
exit $status
