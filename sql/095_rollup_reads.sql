-- 095: summaries, the report's calls and compliance read the rollups (092).
--
-- A district-wide summary reads the rollup rows of its span (units x
-- months x categories; units x indicators x periods), never the year's
-- activities: spans are whole months, so a month's rollup row is wholly in
-- or out of a span, and a quarter is derived from its first month. What a
-- result says is unchanged (040, 060): only the place it is read from.
--
-- The one read of activity rows left is the listing of events. With
-- `top_activities` N it takes each category's N largest through
-- activity_top_idx: per community and category of the span (the rollup
-- says which pairs have any), the first N rows of that pair in the order
-- of the listing's rank, then the N first of each category among those.
-- The rank's order is total (participants, date, record_id), so the N
-- first of a category are among the N first of its pairs.
--
-- Helpers are plpgsql so that their plans are kept for the session: a
-- LANGUAGE sql function that cannot be inlined is planned at every call.
--
-- Compliance reads the value of each slot from indicator_rollup; whether
-- it was on time needs when its record was first filed, which the rollup
-- does not hold: that is read, for the slots that have a quota only, by one
-- probe of indicator_value's slot index (and its primary key where a value
-- is held).

SET LOCAL search_path = public, hz_private, pg_temp;

-- The listing's rank, per community and category: see above.
CREATE INDEX activity_top_idx ON activity
    (unit_id, category_code, participants DESC NULLS LAST, date, record_id)
    WHERE is_current AND retracted_at IS NULL;

-- dims: jsonb array of dimension names. The groups of a span and its
-- totals in one pass over its rollup rows: grouped to the dimensions asked
-- for (by unit too when a street is asked for, then each unit to its street
-- through hz_units_streets, as 040 did), and the empty grouping set is the
-- totals.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_activities(units bigint[], d0 date, d1 date,
    dims jsonb, OUT groups jsonb, OUT activities numeric, OUT participants numeric,
    OUT unknown numeric, OUT at_least boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_comm boolean := dims ? 'community';
    v_street boolean := dims ? 'street';
    v_cat boolean := dims ? 'category';
    v_month boolean := dims ? 'month';
    v_quarter boolean := dims ? 'quarter';
BEGIN
    WITH a AS MATERIALIZED (
        -- Per unit only when a street is asked for; the empty grouping set
        -- is the totals.
        SELECT r.unit_id, r.category_code, r.month, r.quarter,
               grouping(r.unit_id) = 1 AS total,
               sum(r.activities) AS activities, sum(r.participants) AS participants,
               sum(r.unknown) AS unknown, bool_or(r.at_least > 0) AS at_least
        FROM (SELECT CASE WHEN v_comm OR v_street THEN r.unit_id END AS unit_id,
                     CASE WHEN v_cat THEN r.category_code END AS category_code,
                     CASE WHEN v_month THEN r.month END AS month,
                     CASE WHEN v_quarter THEN date_trunc('quarter', r.month)::date END AS quarter,
                     r.activities, r.participants, r.unknown, r.at_least
              FROM activity_rollup r
              WHERE r.unit_id = ANY (units) AND r.month >= d0 AND r.month < d1) r
        GROUP BY GROUPING SETS ((r.unit_id, r.category_code, r.month, r.quarter), ())
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE v_street
    ), g AS (
        SELECT CASE WHEN v_comm THEN a.unit_id END AS unit_id, s.street_id,
               a.category_code, a.month, a.quarter,
               sum(a.activities) AS activities, sum(a.participants) AS participants,
               sum(a.unknown) AS unknown, bool_or(a.at_least) AS at_least
        FROM a LEFT JOIN s ON s.unit_id = a.unit_id
        WHERE NOT a.total
        GROUP BY 1, 2, 3, 4, 5
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('activities', g.activities, 'participants', g.participants,
                                  'participants_unknown', g.unknown,
                                  'participants_at_least', g.at_least OR g.unknown > 0)
               || CASE WHEN v_comm THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN v_street THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                             'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN v_cat THEN jsonb_build_object('category', c.code,
                                                          'category_name', c.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN v_month THEN jsonb_build_object('month', to_char(g.month, 'YYYY-MM'))
                       ELSE '{}'::jsonb END
               || CASE WHEN v_quarter THEN jsonb_build_object('quarter', hz_quarter_text(g.quarter))
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, c.sort_order, c.code, g.month, g.quarter), '[]'::jsonb),
           (SELECT coalesce(sum(t.activities), 0) FROM a t WHERE t.total),
           (SELECT coalesce(sum(t.participants), 0) FROM a t WHERE t.total),
           (SELECT coalesce(sum(t.unknown), 0) FROM a t WHERE t.total),
           (SELECT coalesce(bool_or(t.at_least OR t.unknown > 0), false) FROM a t WHERE t.total)
      INTO groups, activities, participants, unknown, at_least
      FROM g
      LEFT JOIN org_unit u ON u.id = g.unit_id
      LEFT JOIN org_unit st ON st.id = g.street_id
      LEFT JOIN category c ON c.code = g.category_code;
    -- With no dimension there is always one row of totals.
    IF jsonb_array_length(dims) = 0 AND groups = '[]'::jsonb THEN
        groups := jsonb_build_array(jsonb_build_object('activities', 0, 'participants', 0,
                                                       'participants_unknown', 0,
                                                       'participants_at_least', false));
    END IF;
END
$$;

-- 060's function of the same name: the groups of the above.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT groups FROM hz_summary_activities(units, d0, d1, dims)
$$;

-- Per community over the periods of a bucket by the indicator's own
-- aggregation, then across communities, as 040; one rollup row is one
-- community's live value of one period.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_comm boolean := dims ? 'community';
    v_street boolean := dims ? 'street';
    v_month boolean := dims ? 'month';
    v_quarter boolean := dims ? 'quarter';
BEGIN
    RETURN (
    WITH per_unit AS (
        SELECT r.unit_id, r.indicator_code,
               CASE WHEN v_month THEN r.period_start END AS month,
               CASE WHEN v_quarter THEN date_trunc('quarter', r.period_start)::date END AS quarter,
               i.aggregation,
               -- Each aggregate over the rows of its own indicators only.
               -- `last`: the value of the latest period, which is one row
               -- of the group (one rollup row per period); the largest
               -- [days from d0, value] is that row, with no sort per group.
               CASE i.aggregation
                   WHEN 'sum' THEN sum(r.value) FILTER (WHERE i.aggregation = 'sum')
                   WHEN 'max' THEN max(r.value) FILTER (WHERE i.aggregation = 'max')
                   WHEN 'avg' THEN avg(r.value) FILTER (WHERE i.aggregation = 'avg')
                   ELSE (max(ARRAY[(r.period_start - d0)::double precision, r.value])
                         FILTER (WHERE i.aggregation NOT IN ('sum', 'max', 'avg')))[2]
               END AS value
        FROM indicator_rollup r JOIN indicator i ON i.code = r.indicator_code
        WHERE r.unit_id = ANY (units) AND r.slots > 0
          AND r.period_start >= d0 AND r.period_start < d1
        GROUP BY 1, 2, 3, 4, 5
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE v_street
    ), total AS (
        SELECT CASE WHEN v_comm THEN p.unit_id END AS unit_id,
               CASE WHEN v_street THEN s.street_id END AS street_id,
               p.indicator_code, p.month, p.quarter, p.aggregation,
               CASE p.aggregation WHEN 'max' THEN max(p.value)
                                  WHEN 'avg' THEN avg(p.value)
                                  ELSE sum(p.value) END AS value
        FROM per_unit p LEFT JOIN s ON s.unit_id = p.unit_id
        GROUP BY 1, 2, 3, 4, 5, 6
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('indicator', i.code, 'indicator_name', i.name,
                                  'unit', i.unit, 'aggregation', t.aggregation,
                                  'value', t.value)
               || CASE WHEN v_comm THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN v_street THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                             'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN v_month THEN jsonb_build_object('month', to_char(t.month, 'YYYY-MM'))
                       ELSE '{}'::jsonb END
               || CASE WHEN v_quarter THEN jsonb_build_object('quarter', hz_quarter_text(t.quarter))
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, i.sort_order, i.code, t.month, t.quarter), '[]'::jsonb)
    FROM total t
    JOIN indicator i ON i.code = t.indicator_code
    LEFT JOIN org_unit u ON u.id = t.unit_id
    LEFT JOIN org_unit st ON st.id = t.street_id);
END
$$;

-- As 040; plpgsql for its kept plan.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_honors_span(units bigint[], d0 date, d1 date)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', hz_partial_date_text(h.date_start, h.date_precision),
                                  'title', h.title, 'level', h.level, 'issuer', h.issuer,
                                  'recipient', h.recipient,
                                  'category', coalesce(h.category_code, ''),
                                  'category_name', coalesce(c.name, ''))
               ORDER BY h.date_start, u.code, h.title), '[]'::jsonb)
    FROM honor h
    JOIN org_unit u ON u.id = h.unit_id
    LEFT JOIN category c ON c.code = h.category_code
    WHERE h.unit_id = ANY (units) AND h.is_current AND h.retracted_at IS NULL
      AND h.date_start >= d0 AND h.date_start < d1);
END
$$;

-- The events of a span, by date. top > 0: each category's `top` largest
-- (most participants, an unknown count last, then the earlier, then the
-- record id), read through activity_top_idx as the head of this file says;
-- else every event of the span.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_activity_list_span(units bigint[], d0 date, d1 date,
                                                                    top int DEFAULT 0)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (
    WITH pairs AS (
        SELECT DISTINCT r.unit_id, r.category_code FROM activity_rollup r
        WHERE top > 0 AND r.unit_id = ANY (units) AND r.month >= d0 AND r.month < d1
    ), heads AS (
        -- The rank's columns are the index's own: an index-only scan per
        -- pair; the rows kept are read once they are chosen.
        SELECT t.record_id, row_number() OVER (PARTITION BY p.category_code
                                               ORDER BY t.participants DESC NULLS LAST, t.date,
                                                        t.record_id) AS rank
        FROM pairs p
        CROSS JOIN LATERAL (
            SELECT a.participants, a.date, a.record_id
            FROM activity a
            WHERE a.unit_id = p.unit_id AND a.category_code = p.category_code
              AND a.is_current AND a.retracted_at IS NULL AND a.date >= d0 AND a.date < d1
            ORDER BY a.participants DESC NULLS LAST, a.date, a.record_id
            LIMIT top) t
    ), listed AS (
        SELECT a.unit_id, a.category_code, a.date, a.title, a.location, a.participants,
               a.participants_at_least, a.partners, a.record_id
        FROM heads h JOIN activity a ON a.record_id = h.record_id AND a.is_current
        WHERE h.rank <= top
        UNION ALL
        SELECT a.unit_id, a.category_code, a.date, a.title, a.location, a.participants,
               a.participants_at_least, a.partners, a.record_id
        FROM activity a
        WHERE top <= 0 AND a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
          AND a.date >= d0 AND a.date < d1
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', to_char(a.date, 'YYYY-MM-DD'),
                                  'category', c.code, 'category_name', c.name,
                                  'title', a.title, 'location', a.location,
                                  'partners', to_jsonb(a.partners))
               || hz_activity_count_json(a.participants, a.participants_at_least)
               ORDER BY a.date, u.code, a.title, a.record_id), '[]'::jsonb)
    FROM listed a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN category c ON c.code = a.category_code);
END
$$;

-- 050's checks of a span read's fields, unchanged, as PL/pgSQL: every
-- summary, export page and compliance call runs them (hz_summary and
-- hz_read_scope each once), and as a LANGUAGE sql function their ten-part
-- query was planned at each call.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_request_errors(p jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', e.idx, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n, e.idx)
    FROM (
        SELECT 1 AS n, 0 AS idx, 'year' AS field, hz_year_error(p->'year') AS reason
        WHERE coalesce(p->>'from', '') = '' AND coalesce(p->>'to', '') = ''
          AND hz_year_error(p->'year') IS NOT NULL
        UNION ALL
        SELECT 2, 0, 'group_by',
               'must be a list of "community", "street", "category", "month" or "quarter"'
        WHERE coalesce(jsonb_typeof(p->'group_by'), 'null') NOT IN ('array', 'null')
        UNION ALL
        SELECT 3, (g.o - 1)::int, 'group_by',
               format('unknown dimension %s (want community, street, category, month or quarter)',
                      left(g.v::text, 60))
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p->'group_by') = 'array'
                                       THEN p->'group_by' ELSE '[]'::jsonb END)
             WITH ORDINALITY g(v, o)
        WHERE g.v NOT IN ('"community"'::jsonb, '"category"'::jsonb, '"month"'::jsonb,
                          '"street"'::jsonb, '"quarter"'::jsonb)
        UNION ALL
        SELECT 4, 0, 'unit_code', 'must be a string'
        WHERE NOT hz_json_is_text(p->'unit_code')
        UNION ALL
        SELECT 5, 0, 'list_activities', 'must be true or false'
        WHERE coalesce(jsonb_typeof(p->'list_activities'), 'null') NOT IN ('boolean', 'null')
        UNION ALL
        SELECT 6, 0, f.k, format('must be a month YYYY-MM, got %s', left(p->>f.k, 30))
        FROM (VALUES ('from'), ('to')) f(k)
        WHERE coalesce(p->>f.k, '') <> '' AND hz_month_start(p->>f.k) IS NULL
        UNION ALL
        SELECT 7, 0, 'from', 'from and to go together: give both months, or a year'
        WHERE (coalesce(p->>'from', '') = '') <> (coalesce(p->>'to', '') = '')
        UNION ALL
        SELECT 8, 0, 'to', format('must not be before from (%s)', p->>'from')
        WHERE hz_month_start(p->>'to') < hz_month_start(p->>'from')
        UNION ALL
        SELECT 10, 0, 'top_activities', 'must be a whole number from 0 to 1000'
        WHERE p->'top_activities' IS NOT NULL
          AND coalesce(hz_json_bigint(p->'top_activities') NOT BETWEEN 0 AND 1000, true)
        UNION ALL
        SELECT 9, 0, 'year', 'give either a year or from and to, not both'
        WHERE coalesce(p->>'from', '') <> '' AND coalesce(hz_json_bigint(p->'year'), 0) <> 0
    ) e);
END
$$;

-- 060's hz_summary, its totals from the rollup.
CREATE OR REPLACE FUNCTION public.hz_summary(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_pcode text := p #>> '{principal,unit}';
    v_scope jsonb;
    v_target org_unit;
    v_d0 date;
    v_d1 date;
    v_group jsonb := coalesce(nullif(p->'group_by', 'null'::jsonb), '[]'::jsonb);
    v_errors jsonb;
    v_units bigint[];
    v_tot record;
BEGIN
    -- The order of refusals stays: who is asking (hz_read_scope), then the
    -- request's fields, then the unit asked for.
    IF coalesce(p #>> '{principal,role}', '') IN ('community', 'district', 'admin')
       AND ((p #>> '{principal,role}') = 'admin' OR EXISTS (SELECT 1 FROM org_unit WHERE code = v_pcode)) THEN
        v_errors := hz_summary_request_errors(p);
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
        END IF;
        IF coalesce(nullif(p->>'unit_code', ''), v_pcode, '') = '' THEN
            RETURN hz_fail('INVALID_ARGUMENT', 'unit_code is required: this principal has no unit',
                           jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                             'field', 'unit_code', 'reason', 'required')));
        END IF;
    END IF;
    v_scope := hz_read_scope(p, 'summaries');
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    SELECT * INTO v_target FROM org_unit WHERE code = v_scope->>'unit_code';
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_d0 := (v_scope->>'d0')::date;
    v_d1 := (v_scope->>'d1')::date;
    v_tot := hz_summary_activities(v_units, v_d0, v_d1, v_group);

    RETURN jsonb_build_object(
        'status', 'OK',
        'year', extract(year FROM v_d0)::int,
        'from', to_char(v_d0, 'YYYY-MM'),
        'to', to_char(v_d1 - 1, 'YYYY-MM'),
        'unit_code', v_target.code,
        'unit_name', v_target.name,
        'unit_level', v_target.level,
        'activity_groups', v_tot.groups,
        'indicator_totals', hz_summary_indicators_span(v_units, v_d0, v_d1, v_group),
        'honors', hz_summary_honors_span(v_units, v_d0, v_d1),
        'total_activities', v_tot.activities,
        'total_participants', v_tot.participants,
        'total_participants_unknown', v_tot.unknown,
        'total_participants_at_least', v_tot.at_least)
        || CASE WHEN (p->>'list_activities')::boolean
                THEN jsonb_build_object('activities',
                                        hz_summary_activity_list_span(v_units, v_d0, v_d1,
                                            coalesce(hz_json_bigint(p->'top_activities'), 0)::int))
                ELSE '{}'::jsonb END;
END
$$;

-- ------------------------------------------------------------ compliance --
-- 031's rules for many slots at once, so that compliance asks once for a
-- subtree instead of once per community, indicator and period; the
-- one-slot functions of 031 become their single case.

-- Each unit's ancestors-or-self with their depth.
CREATE OR REPLACE FUNCTION hz_private.hz_units_ancestors(units bigint[])
RETURNS TABLE (unit_id bigint, id bigint, depth int) LANGUAGE sql STABLE AS $$
    SELECT u, a.id, a.depth FROM unnest(units) u CROSS JOIN LATERAL hz_unit_ancestors(u) a
$$;

-- The quota in force for each unit of `units` and each (indicator, period
-- start, period type wanted or NULL) of the parallel arrays: of the unit
-- and its ancestors that define a quota for the indicator and period type
-- with effective_from <= period_start, the nearest one; of its rows, the
-- latest effective_from, then the latest set. One row per period type.
CREATE OR REPLACE FUNCTION hz_private.hz_quotas_effective(units bigint[], codes text[],
                                                          starts date[], want_types text[])
RETURNS TABLE (unit_id bigint, indicator_code text, period_start date, quota_id bigint,
               minimum double precision, period_type text, effective_from date,
               defined_on text)
LANGUAGE sql STABLE AS $$
    WITH a AS MATERIALIZED (
        SELECT * FROM hz_units_ancestors(units)
    )
    SELECT DISTINCT ON (a.unit_id, k.code, k.start, q.period_type)
           a.unit_id, k.code, k.start, q.id, q.minimum, q.period_type, q.effective_from, o.code
    FROM a
    JOIN quota q ON q.unit_id = a.id
    JOIN unnest(codes, starts, want_types) k(code, start, want)
      ON q.indicator_code = k.code AND q.effective_from <= k.start
     AND (k.want IS NULL OR q.period_type = k.want)
    JOIN org_unit o ON o.id = q.unit_id
    ORDER BY a.unit_id, k.code, k.start, q.period_type, a.depth, q.effective_from DESC, q.id DESC
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_quota_effective(unit_id bigint, indicator_code text,
                                                         period_start date, want_type text DEFAULT NULL)
RETURNS TABLE (quota_id bigint, minimum double precision, period_type text,
               effective_from date, defined_on text)
LANGUAGE sql STABLE AS $$
    SELECT e.quota_id, e.minimum, e.period_type, e.effective_from, e.defined_on
    FROM hz_quotas_effective(ARRAY[hz_quota_effective.unit_id],
                             ARRAY[hz_quota_effective.indicator_code],
                             ARRAY[hz_quota_effective.period_start], ARRAY[want_type]) e
    ORDER BY e.period_type
$$;

-- The deadline day of each unit and indicator: the newest rule of the
-- nearest unit that has one, else a rule for everywhere, else 5.
CREATE OR REPLACE FUNCTION hz_private.hz_deadline_days(units bigint[], codes text[])
RETURNS TABLE (unit_id bigint, indicator_code text, day int) LANGUAGE sql STABLE AS $$
    WITH a AS MATERIALIZED (
        SELECT * FROM hz_units_ancestors(units)
    )
    SELECT u, c, coalesce((
        SELECT r.day FROM deadline_rule r
        LEFT JOIN a ON a.unit_id = u AND a.id = r.unit_id
        WHERE r.indicator_code = c AND (r.unit_id IS NULL OR a.id IS NOT NULL)
        ORDER BY coalesce(a.depth, 1000000), r.id DESC
        LIMIT 1), 5)
    FROM unnest(units) u CROSS JOIN unnest(codes) c
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_deadline_day(unit_id bigint, indicator_code text)
RETURNS int LANGUAGE sql STABLE AS $$
    SELECT d.day FROM hz_deadline_days(ARRAY[unit_id], ARRAY[indicator_code]) d
$$;

-- The state of one slot (031's rule): on_time / late when a value is held,
-- by when its record was first filed; nil when none is but the community
-- declared nothing to report; else missing.
CREATE OR REPLACE FUNCTION hz_private.hz_slot_state(first_at timestamptz, deadline timestamptz,
                                                    nil boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN first_at IS NOT NULL THEN
                    CASE WHEN first_at < deadline THEN 'on_time' ELSE 'late' END
                WHEN nil THEN 'nil'
                ELSE 'missing' END
$$;

-- The moment a period's values are late from, given the deadline day
-- (031's rule): the end of day `day` of the following period, China
-- Standard Time.
CREATE OR REPLACE FUNCTION hz_private.hz_deadline_at(period text, day int)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT ((hz_period_end(period) + day)::timestamp AT TIME ZONE 'Asia/Shanghai')
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_deadline(unit_id bigint, indicator_code text, period text)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT hz_deadline_at(period, hz_deadline_day(unit_id, indicator_code))
$$;

-- When the live value of a slot was first filed (version 1's time, so that
-- later amends do not make it late); NULL when none is held. Through the
-- slot index and the primary key; a table function, so that a query
-- joining it per slot has it inlined.
CREATE OR REPLACE FUNCTION hz_private.hz_slot_first_at(unit_id bigint, indicator_code text,
                                                       period text)
RETURNS TABLE (first_at timestamptz) LANGUAGE sql STABLE AS $$
    SELECT min(v1.created_at)
    FROM indicator_value v
    JOIN indicator_value v1 ON v1.record_id = v.record_id
    WHERE v.unit_id = hz_slot_first_at.unit_id
      AND v.indicator_code = hz_slot_first_at.indicator_code
      AND v.period = hz_slot_first_at.period AND v.is_current AND v.retracted_at IS NULL
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_period_state(unit_id bigint, indicator_code text, period text)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN hz_period_type(period) IS DISTINCT FROM
             (SELECT i.period_type FROM indicator i WHERE i.code = hz_period_state.indicator_code)
            THEN NULL
        ELSE hz_slot_state((SELECT f.first_at FROM hz_slot_first_at(unit_id, indicator_code, period) f),
                           hz_deadline(unit_id, indicator_code, period),
                           EXISTS (SELECT 1 FROM nil_report n
                                   WHERE n.unit_id = hz_period_state.unit_id
                                     AND n.indicator_code = hz_period_state.indicator_code
                                     AND n.period = hz_period_state.period)) END
$$;

-- 049's hz_compliance, set-based: one row per community of the subtree,
-- indicator and period of the span (the indicator's own period type) for
-- which a quota is in effect. The quotas and deadline days of the whole
-- subtree in one query each; values from indicator_rollup; when a value
-- was first filed only for the slots that have a quota.
CREATE OR REPLACE FUNCTION public.hz_compliance(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_scope jsonb;
    v_units bigint[];
    v_d0 date;
    v_d1 date;
    v_rows jsonb;
BEGIN
    v_scope := hz_read_scope(p);
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    v_d0 := (v_scope->>'d0')::date;
    v_d1 := (v_scope->>'d1')::date;
    v_units := ARRAY(SELECT u.id FROM org_unit u
                      WHERE u.id IN (SELECT jsonb_array_elements_text(v_scope->'units')::bigint)
                        AND u.level = 'community');
    -- Planned at every call: after five calls PL/pgSQL would keep a generic
    -- plan of this query, which knows neither the subtree nor the span and
    -- took 0.8-1 s where the planned one takes 0.1 s.
    EXECUTE $q$
    WITH periods AS MATERIALIZED (
        SELECT i.code, i.name, i.unit, i.sort_order, i.period_type, m::date AS start,
               CASE i.period_type WHEN 'month' THEN to_char(m, 'YYYY-MM')
                                  WHEN 'quarter' THEN hz_quarter_text(m::date)
                                  ELSE to_char(m, 'YYYY') END AS period
        FROM indicator i,
             generate_series($2, $3 - 1, interval '1 month') m
        WHERE i.retired_at IS NULL AND date_trunc(i.period_type, m) = m
          -- An indicator nobody set a quota for has no row.
          AND EXISTS (SELECT 1 FROM quota q WHERE q.indicator_code = i.code)
    ), quotas AS (
        -- A quota counts in the indicator's own period type here.
        SELECT * FROM hz_quotas_effective($1, ARRAY(SELECT code FROM periods),
                                          ARRAY(SELECT start FROM periods),
                                          ARRAY(SELECT period_type FROM periods))
    ), days AS (
        SELECT * FROM hz_deadline_days($1, ARRAY(SELECT DISTINCT code FROM periods))
    ), vals AS MATERIALIZED (
        SELECT r.unit_id, r.indicator_code, r.period_start, r.value FROM indicator_rollup r
        WHERE r.unit_id = ANY ($1) AND r.slots > 0
          AND r.period_start >= $2 AND r.period_start < $3
    ), slots AS (
        SELECT q.unit_id, u.code AS community, u.name AS community_name, pe.*, q.minimum,
               d.day, r.value, f.first_at,
               EXISTS (SELECT 1 FROM nil_report n
                       WHERE n.unit_id = q.unit_id AND n.indicator_code = pe.code
                         AND n.period = pe.period) AS nil
        FROM quotas q
        JOIN periods pe ON pe.code = q.indicator_code AND pe.start = q.period_start
        JOIN org_unit u ON u.id = q.unit_id
        JOIN days d ON d.unit_id = q.unit_id AND d.indicator_code = pe.code
        LEFT JOIN vals r
          ON r.unit_id = q.unit_id AND r.indicator_code = pe.code AND r.period_start = pe.start
        CROSS JOIN LATERAL hz_slot_first_at(q.unit_id, pe.code, pe.period) f
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'community', s.community, 'community_name', s.community_name,
               'indicator', s.code, 'indicator_name', s.name, 'unit', s.unit,
               'period', s.period,
               'state', hz_slot_state(s.first_at, hz_deadline_at(s.period, s.day), s.nil),
               'value', coalesce(s.value, 0), 'reported', s.value IS NOT NULL,
               'minimum', s.minimum, 'met', coalesce(s.value, 0) >= s.minimum)
               ORDER BY s.community, s.sort_order, s.code, s.start), '[]'::jsonb)
      FROM slots s$q$
      INTO v_rows USING v_units, v_d0, v_d1;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_scope->>'unit_code',
                              'unit_name', (SELECT name FROM org_unit
                                            WHERE code = v_scope->>'unit_code'),
                              'from', to_char(v_d0, 'YYYY-MM'),
                              'to', to_char(v_d1 - 1, 'YYYY-MM'), 'rows', v_rows);
END
$$;

REVOKE EXECUTE ON FUNCTION hz_private.hz_summary_activities(bigint[], date, date, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_units_ancestors(bigint[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_quotas_effective(bigint[], text[], date[], text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_deadline_days(bigint[], text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_slot_state(timestamptz, timestamptz, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_deadline_at(text, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_slot_first_at(bigint, text, text) FROM PUBLIC;
