-- The rollups (sql/092_rollups.sql) against a recomputation from the raw
-- rows: one line per rollup row that is missing, extra or different, none
-- when they are exact. The same query as docs/database.md "Rollups" gives
-- operators; integration.rollup, integration.backup and integration.upgrade
-- run it.
WITH raw_a AS (
    SELECT unit_id, date_trunc('month', date)::date AS month, category_code,
           count(*) AS activities, coalesce(sum(participants), 0) AS participants,
           count(*) FILTER (WHERE participants IS NULL) AS unknown,
           count(*) FILTER (WHERE participants_at_least) AS at_least
    FROM activity WHERE is_current AND retracted_at IS NULL
    GROUP BY 1, 2, 3
), raw_i AS (
    SELECT unit_id, indicator_code, period_start, min(period_type) AS period_type,
           count(*) AS slots, sum(value) AS value
    FROM indicator_value WHERE is_current AND retracted_at IS NULL
    GROUP BY 1, 2, 3
)
SELECT format('activity_rollup %s/%s/%s: raw %s, rollup %s', unit_id, month, category_code,
              coalesce(format('%s,%s,%s,%s', w.activities, w.participants, w.unknown, w.at_least), 'none'),
              coalesce(format('%s,%s,%s,%s', r.activities, r.participants, r.unknown, r.at_least), 'none'))
FROM raw_a w FULL JOIN activity_rollup r USING (unit_id, month, category_code)
WHERE (w.activities, w.participants, w.unknown, w.at_least)
      IS DISTINCT FROM (r.activities, r.participants, r.unknown, r.at_least)
UNION ALL
SELECT format('indicator_rollup %s/%s/%s: raw %s, rollup %s', unit_id, indicator_code, period_start,
              coalesce(format('%s,%s,%s', w.period_type, w.slots, w.value), 'none'),
              coalesce(format('%s,%s,%s', r.period_type, r.slots, r.value), 'none'))
FROM raw_i w FULL JOIN indicator_rollup r USING (unit_id, indicator_code, period_start)
WHERE (w.period_type, w.slots, w.value) IS DISTINCT FROM (r.period_type, r.slots, r.value)
ORDER BY 1;
