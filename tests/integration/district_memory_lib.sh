# Export memory: N generated activities inserted straight into PostgreSQL,
# exported as CSV; the peak resident memory (VmHWM) of the client, and the
# server's growth in it, measured from /proc. Sourced by
# district_export_memory_test.sh (100,000 records, asserted) and
# bench/export_memory.sh (1,000,000, reported).

# insert_activities N: N activities of guanlan in 2020, one statement.
insert_activities() {
    psql -q -v ON_ERROR_STOP=1 "host=$T/data/run user=huizong dbname=huizong" <<SQL
WITH s AS (
    INSERT INTO submission (unit_id, role) SELECT id, 'community' FROM org_unit WHERE code = 'guanlan'
    RETURNING id, unit_id)
INSERT INTO activity (record_id, unit_id, submission_id, date, category_code, title, location,
                      participants, partners, content)
SELECT gen_random_uuid(), s.unit_id, s.id, date '2020-01-01' + (g % 366), 'culture',
       '生成的活动 ' || g, '社区活动室', g % 100, ARRAY['共建单位'], '{}'::jsonb
FROM s, generate_series(1, $1) g;
ANALYZE activity;
SQL
}

hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# measure_export OUT: runs the export, sets CLIENT_HWM_KB, SERVER_HWM_KB
# (after), SERVER_BEFORE_KB, EXPORT_SECONDS, EXPORT_ROWS.
measure_export() {
    local out=$1 pid peak=0 now start
    SERVER_BEFORE_KB=$(hwm_kb "$SERVER_PID")
    start=$(date +%s.%N)
    # env execs the client, so $! is the client itself.
    env -u XDG_CONFIG_HOME -u HUIZONG_CONFIG HOME="$T/home" "$HZ_CLIENT" $(as district) \
        export --year 2020 --format csv --out "$out" </dev/null &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        now=$(hwm_kb "$pid")
        [ -n "$now" ] && [ "$now" -gt "$peak" ] && peak=$now
        sleep 0.05
    done
    wait "$pid"
    EXPORT_SECONDS=$(echo "$(date +%s.%N) - $start" | awk '{print $1 - $3}')
    CLIENT_HWM_KB=$peak
    SERVER_HWM_KB=$(hwm_kb "$SERVER_PID")
    EXPORT_ROWS=$(($(wc -l <"$out") - 1))
}
