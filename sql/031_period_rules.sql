-- 031: the rules others build on: effective quota, deadline, period state,
-- and the lock that covers a record (docs/period.md).

-- The day after the last day of a period ("2020-06" -> 2020-07-01).
CREATE OR REPLACE FUNCTION hz_period_end(s text)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT (hz_period_start(s) + CASE hz_period_type(s) WHEN 'month' THEN interval '1 month'
                                                        WHEN 'quarter' THEN interval '3 months'
                                                        ELSE interval '1 year' END)::date
$$;

-- "district d1": who did something, as messages and listings show it.
CREATE OR REPLACE FUNCTION hz_principal_label(p jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p #>> '{principal,role}', '?') || ' ' || coalesce(p #>> '{principal,unit}', '?')
$$;

CREATE OR REPLACE FUNCTION hz_ts_text(t timestamptz)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
$$;

-- The unit and every unit above it, with the distance (0: the unit itself).
CREATE OR REPLACE FUNCTION hz_unit_ancestors(unit bigint)
RETURNS TABLE (id bigint, depth int) LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(id, depth) AS (
        SELECT unit, 0
        UNION
        SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id
        WHERE u.parent_id IS NOT NULL AND up.depth < 64
    )
    SELECT id, depth FROM up
$$;

-- Whether the principal may manage rules (quotas, deadlines, locks) of a
-- unit: an admin anywhere, a district principal in its own subtree.
CREATE OR REPLACE FUNCTION hz_may_manage(p jsonb, unit bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT CASE p #>> '{principal,role}'
        WHEN 'admin' THEN true
        WHEN 'district' THEN coalesce(hz_unit_within(unit,
                 (SELECT o.id FROM org_unit o WHERE o.code = p #>> '{principal,unit}')), false)
        ELSE false END
$$;

-- ------------------------------------------------------------------ quota --
-- The quota in force for a unit, an indicator and the period starting on
-- period_start: of the unit and its ancestors that define a quota for the
-- indicator and period type with effective_from <= period_start, the nearest
-- one; of its rows, the latest effective_from, then the latest set. One row
-- per period type (or only `want_type`); none when no quota applies.
CREATE OR REPLACE FUNCTION hz_quota_effective(unit_id bigint, indicator_code text,
                                              period_start date, want_type text DEFAULT NULL)
RETURNS TABLE (quota_id bigint, minimum double precision, period_type text,
               effective_from date, defined_on text)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (q.period_type) q.id, q.minimum, q.period_type, q.effective_from, o.code
    FROM hz_unit_ancestors(hz_quota_effective.unit_id) a
    JOIN quota q ON q.unit_id = a.id
    JOIN org_unit o ON o.id = q.unit_id
    WHERE q.indicator_code = hz_quota_effective.indicator_code
      AND q.effective_from <= hz_quota_effective.period_start
      AND (want_type IS NULL OR q.period_type = want_type)
    ORDER BY q.period_type, a.depth, q.effective_from DESC, q.id DESC
$$;

-- --------------------------------------------------------------- deadline --
-- The day of the following period by which values are due: the newest rule
-- of the nearest unit that has one, else a rule for everywhere, else 5.
CREATE OR REPLACE FUNCTION hz_deadline_day(unit_id bigint, indicator_code text)
RETURNS int LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT r.day FROM deadline_rule r
        LEFT JOIN hz_unit_ancestors(hz_deadline_day.unit_id) a ON a.id = r.unit_id
        WHERE r.indicator_code = hz_deadline_day.indicator_code
          AND (r.unit_id IS NULL OR a.id IS NOT NULL)
        ORDER BY coalesce(a.depth, 1000000), r.id DESC
        LIMIT 1), 5)
$$;

-- The moment a period's values are late from: the end of day `day` of the
-- following period, in China Standard Time (where the offices are).
CREATE OR REPLACE FUNCTION hz_deadline(unit_id bigint, indicator_code text, period text)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT ((hz_period_end(period) + hz_deadline_day(unit_id, indicator_code))::timestamp
            AT TIME ZONE 'Asia/Shanghai')
$$;

-- ----------------------------------------------------------- period state --
-- on_time / late: a live value is held, and its record was first filed
-- (version 1, so later amends do not make it late) before / after the
-- deadline; nil: no value, but the community declared nothing to report;
-- missing: neither. NULL for an unknown indicator or a period string that
-- is not a period of the indicator's type.
CREATE OR REPLACE FUNCTION hz_period_state(unit_id bigint, indicator_code text, period text)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN hz_period_type(period) IS DISTINCT FROM
             (SELECT i.period_type FROM indicator i WHERE i.code = hz_period_state.indicator_code)
            THEN NULL
        WHEN f.first_at IS NOT NULL THEN
            CASE WHEN f.first_at < hz_deadline(unit_id, indicator_code, period)
                 THEN 'on_time' ELSE 'late' END
        WHEN EXISTS (SELECT 1 FROM nil_report n
                     WHERE n.unit_id = hz_period_state.unit_id
                       AND n.indicator_code = hz_period_state.indicator_code
                       AND n.period = hz_period_state.period) THEN 'nil'
        ELSE 'missing' END
    FROM (SELECT (SELECT min(v1.created_at) FROM indicator_value v1
                  WHERE v1.record_id = v.record_id) AS first_at
          FROM (SELECT 1) one
          LEFT JOIN indicator_value v
                 ON v.unit_id = hz_period_state.unit_id
                AND v.indicator_code = hz_period_state.indicator_code
                AND v.period = hz_period_state.period
                AND v.is_current AND v.retracted_at IS NULL) f
$$;

-- ------------------------------------------------------------------ locks --
-- The live lock of the unit or an ancestor that overlaps [start, finish);
-- the earliest locked when several do. No row: not locked.
CREATE OR REPLACE FUNCTION hz_lock_covering(unit bigint, start date, finish date)
RETURNS SETOF period_lock LANGUAGE sql STABLE AS $$
    SELECT l.* FROM hz_unit_ancestors(unit) a
    JOIN period_lock l ON l.unit_id = a.id AND l.unlocked_at IS NULL
    WHERE l.period_start < finish AND l.period_end > start
    ORDER BY l.locked_at, l.id
    LIMIT 1
$$;

CREATE OR REPLACE FUNCTION hz_lock_message(l period_lock)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('period %s is locked for %s since %s by %s', l.period,
                  (SELECT code FROM org_unit WHERE id = l.unit_id), hz_ts_text(l.locked_at),
                  l.locked_by)
$$;

-- The days a record falls on, for the lock check: an activity or honour the
-- first day of its date (an honour known only to the month or year falls on
-- its first day), an indicator value its whole period. NULLs when the
-- content cannot be read (the field checks report that).
CREATE OR REPLACE FUNCTION hz_record_span(kind text, r jsonb, OUT start date, OUT finish date)
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF kind = 'activity' THEN
        start := hz_parse_date(r->>'date');
        finish := start + 1;
    ELSIF kind = 'honor' THEN
        start := (hz_parse_partial_date(r->>'date')).start;
        finish := start + 1;
    ELSIF kind = 'indicator_value' AND hz_period_type(r->>'period') IS NOT NULL THEN
        start := hz_period_start(r->>'period');
        finish := hz_period_end(r->>'period');
    END IF;
END
$$;

-- The lock message when a record of this kind and content may not be
-- written for the unit now; NULL when it may.
CREATE OR REPLACE FUNCTION hz_record_lock(unit bigint, kind text, r jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT hz_lock_message(l)
    FROM hz_record_span(kind, r) s
    CROSS JOIN LATERAL hz_lock_covering(unit, s.start, s.finish) l
    WHERE s.start IS NOT NULL
$$;
