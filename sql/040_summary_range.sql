-- 040: hz_summary over any span of months and by more dimensions.
--
-- The request gains `from` and `to` ("YYYY-MM", both months included) as
-- an alternative to `year` (which stays: year Y is from Y-01 to Y-12), and
-- `group_by` gains "street" (the community's street office: the nearest
-- ancestor-or-self of level street) and "quarter" ("2020-Q2"). Honours
-- gain their category. `top_activities` N (with list_activities) lists only
-- the N largest activities of each category. Everything else is as 005 (sql/README.md): current,
-- non-retracted rows only; no beneficiaries, no `content`.
--
-- Aggregation first groups rows per unit (cheap, indexed), then maps units to
-- their street, so a street grouping costs one lookup per unit, not per row.

-- The street office a unit belongs to: itself when it is a street, else its
-- nearest street ancestor; NULL when none.
CREATE OR REPLACE FUNCTION hz_unit_street(unit bigint)
RETURNS bigint LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(id, parent_id, level, depth) AS (
        SELECT u.id, u.parent_id, u.level, 0 FROM org_unit u WHERE u.id = unit
        UNION ALL
        SELECT u.id, u.parent_id, u.level, up.depth + 1
        FROM org_unit u JOIN up ON u.id = up.parent_id
    )
    SELECT id FROM up WHERE level = 'street' ORDER BY depth LIMIT 1
$$;

-- "2020-06" -> 2020-06-01; NULL when not a month.
CREATE OR REPLACE FUNCTION hz_month_start(s text)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
                THEN make_date(left(s, 4)::int, right(s, 2)::int, 1) END
$$;

CREATE OR REPLACE FUNCTION hz_quarter_text(d date)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(d, 'YYYY') || '-Q' || to_char(d, 'Q')
$$;

-- Each unit of `units` with its street (NULL when it has none).
CREATE OR REPLACE FUNCTION hz_units_streets(units bigint[])
RETURNS TABLE (unit_id bigint, street_id bigint) LANGUAGE sql STABLE AS $$
    SELECT u, hz_unit_street(u) FROM unnest(units) u
$$;

-- dims: jsonb array of dimension names.
CREATE OR REPLACE FUNCTION hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH a AS (
        SELECT a.unit_id, a.category_code,
               CASE WHEN dims ? 'month' THEN to_char(a.date, 'YYYY-MM') END AS month,
               CASE WHEN dims ? 'quarter' THEN hz_quarter_text(a.date) END AS quarter,
               count(*) AS activities, coalesce(sum(a.participants), 0) AS participants,
               bool_or(a.participants_at_least) AS at_least
        FROM activity a
        WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
          AND a.date >= d0 AND a.date < d1
        GROUP BY 1, 2, 3, 4
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE dims ? 'street'
    ), g AS (
        SELECT CASE WHEN dims ? 'community' THEN a.unit_id END AS unit_id,
               CASE WHEN dims ? 'street' THEN s.street_id END AS street_id,
               CASE WHEN dims ? 'category' THEN a.category_code END AS category_code,
               a.month, a.quarter,
               sum(a.activities) AS activities, sum(a.participants) AS participants,
               bool_or(a.at_least) AS at_least
        FROM a LEFT JOIN s ON s.unit_id = a.unit_id
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        -- With no dimension there is always one row of totals.
        SELECT NULL, NULL, NULL, NULL, NULL, 0, 0, false
        WHERE jsonb_array_length(dims) = 0 AND NOT EXISTS (SELECT 1 FROM a)
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('activities', g.activities, 'participants', g.participants,
                                  'participants_at_least', g.at_least)
               || CASE WHEN dims ? 'community' THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'street' THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                           'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'category' THEN jsonb_build_object('category', c.code,
                                                          'category_name', c.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'month' THEN jsonb_build_object('month', g.month)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'quarter' THEN jsonb_build_object('quarter', g.quarter)
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, c.sort_order, c.code, g.month, g.quarter), '[]'::jsonb)
    FROM g
    LEFT JOIN org_unit u ON u.id = g.unit_id
    LEFT JOIN org_unit st ON st.id = g.street_id
    LEFT JOIN category c ON c.code = g.category_code
$$;

-- Per community over the periods of a bucket by the indicator's own
-- aggregation, then across communities (sum and last add up, max the
-- largest, avg the mean), as in 005.
CREATE OR REPLACE FUNCTION hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH per_unit AS (
        SELECT v.unit_id, v.indicator_code,
               CASE WHEN dims ? 'month' THEN to_char(v.period_start, 'YYYY-MM') END AS month,
               CASE WHEN dims ? 'quarter' THEN hz_quarter_text(v.period_start) END AS quarter,
               i.aggregation,
               CASE i.aggregation
                   WHEN 'sum' THEN sum(v.value)
                   WHEN 'max' THEN max(v.value)
                   WHEN 'avg' THEN avg(v.value)
                   ELSE (array_agg(v.value ORDER BY v.period_start DESC, v.created_at DESC))[1]
               END AS value
        FROM indicator_value v JOIN indicator i ON i.code = v.indicator_code
        WHERE v.unit_id = ANY (units) AND v.is_current AND v.retracted_at IS NULL
          AND v.period_start >= d0 AND v.period_start < d1
        GROUP BY 1, 2, 3, 4, 5
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE dims ? 'street'
    ), total AS (
        SELECT CASE WHEN dims ? 'community' THEN p.unit_id END AS unit_id,
               CASE WHEN dims ? 'street' THEN s.street_id END AS street_id,
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
               || CASE WHEN dims ? 'community' THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'street' THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                           'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'month' THEN jsonb_build_object('month', t.month)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'quarter' THEN jsonb_build_object('quarter', t.quarter)
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, i.sort_order, i.code, t.month, t.quarter), '[]'::jsonb)
    FROM total t
    JOIN indicator i ON i.code = t.indicator_code
    LEFT JOIN org_unit u ON u.id = t.unit_id
    LEFT JOIN org_unit st ON st.id = t.street_id
$$;

CREATE OR REPLACE FUNCTION hz_summary_honors_span(units bigint[], d0 date, d1 date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
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
      AND h.date_start >= d0 AND h.date_start < d1
$$;

-- top > 0: only the `top` largest activities (by participants, then the
-- earlier) of each category, so a year-end report's highlights do not need
-- every activity of a district in one response.
CREATE OR REPLACE FUNCTION hz_summary_activity_list_span(units bigint[], d0 date, d1 date,
                                                         top int DEFAULT 0)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', to_char(a.date, 'YYYY-MM-DD'),
                                  'category', c.code, 'category_name', c.name,
                                  'title', a.title, 'location', a.location,
                                  'participants', a.participants,
                                  'participants_at_least', a.participants_at_least,
                                  'partners', to_jsonb(a.partners))
               ORDER BY a.date, u.code, a.title), '[]'::jsonb)
    FROM (SELECT a.*, row_number() OVER (PARTITION BY a.category_code
                                         ORDER BY a.participants DESC, a.date, a.record_id) AS rank
          FROM activity a
          WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
            AND a.date >= d0 AND a.date < d1) a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN category c ON c.code = a.category_code
    WHERE top <= 0 OR a.rank <= top
$$;

-- Checks the request fields; NULL when they are fine.
CREATE OR REPLACE FUNCTION hz_summary_request_errors(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', e.idx, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n, e.idx)
    FROM (
        SELECT 1 AS n, 0 AS idx, 'year' AS field,
               format('must be a year between 1000 and 9999, got %s',
                      coalesce(left((p->'year')::text, 30), 'nothing')) AS reason
        WHERE coalesce(p->>'from', '') = '' AND coalesce(p->>'to', '') = ''
          AND coalesce(hz_json_bigint(p->'year') NOT BETWEEN 1000 AND 9999, true)
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
    ) e
$$;

-- Who may read what, and the span asked (summaries, exports, pull, compliance): {"status":"OK","units":[ids],
-- "d0","d1","unit_code"} or a failure result as hz_summary gives it.
CREATE OR REPLACE FUNCTION hz_read_scope(p jsonb, what text DEFAULT 'records')
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_pcode text := p #>> '{principal,unit}';
    v_principal org_unit;
    v_target org_unit;
    v_code text;
    v_errors jsonb;
    v_d0 date;
    v_d1 date;
BEGIN
    IF v_role IS NULL OR v_role NOT IN ('community', 'district', 'admin') THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('principal role %s may not read %s', hz_quote(v_role), what));
    END IF;
    SELECT * INTO v_principal FROM org_unit WHERE code = v_pcode;
    IF NOT FOUND AND v_role <> 'admin' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
    END IF;
    IF NOT coalesce((p->>'no_span')::boolean, false) THEN
        v_errors := hz_summary_request_errors(p - 'group_by' - 'list_activities');
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
        END IF;
        IF coalesce(p->>'from', '') <> '' THEN
            v_d0 := hz_month_start(p->>'from');
            v_d1 := (hz_month_start(p->>'to') + interval '1 month')::date;
        ELSE
            v_d0 := make_date(hz_json_bigint(p->'year')::int, 1, 1);
            v_d1 := (v_d0 + interval '1 year')::date;
        END IF;
    END IF;
    v_code := coalesce(nullif(p->>'unit_code', ''), v_pcode);
    SELECT * INTO v_target FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF (v_role = 'community' AND v_target.id <> v_principal.id)
       OR (v_role = 'district' AND NOT hz_unit_within(v_target.id, v_principal.id)) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is outside what %s may read (%s)', hz_quote(v_code),
                              hz_quote(v_pcode),
                              CASE v_role WHEN 'community' THEN 'its own records'
                                          ELSE 'its own subtree' END));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_target.code,
                              'units', to_jsonb(ARRAY(SELECT hz_subtree_ids(v_target.id))),
                              'd0', v_d0, 'd1', v_d1);
END
$$;

CREATE OR REPLACE FUNCTION hz_summary(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_pcode text := p #>> '{principal,unit}';
    v_scope jsonb;
    v_target org_unit;
    v_d0 date;
    v_d1 date;
    v_group jsonb := coalesce(nullif(p->'group_by', 'null'::jsonb), '[]'::jsonb);
    v_errors jsonb;
    v_units bigint[];
    v_count bigint;
    v_participants numeric;
    v_at_least boolean;
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
    SELECT count(*), coalesce(sum(a.participants), 0), coalesce(bool_or(a.participants_at_least), false)
      INTO v_count, v_participants, v_at_least
      FROM activity a
     WHERE a.unit_id = ANY (v_units) AND a.is_current AND a.retracted_at IS NULL
       AND a.date >= v_d0 AND a.date < v_d1;

    RETURN jsonb_build_object(
        'status', 'OK',
        'year', extract(year FROM v_d0)::int,
        'from', to_char(v_d0, 'YYYY-MM'),
        'to', to_char(v_d1 - 1, 'YYYY-MM'),
        'unit_code', v_target.code,
        'unit_name', v_target.name,
        'unit_level', v_target.level,
        'activity_groups', hz_summary_activities_span(v_units, v_d0, v_d1, v_group),
        'indicator_totals', hz_summary_indicators_span(v_units, v_d0, v_d1, v_group),
        'honors', hz_summary_honors_span(v_units, v_d0, v_d1),
        'total_activities', v_count,
        'total_participants', v_participants,
        'total_participants_at_least', v_at_least)
        || CASE WHEN (p->>'list_activities')::boolean
                THEN jsonb_build_object('activities',
                                        hz_summary_activity_list_span(v_units, v_d0, v_d1,
                                            coalesce(hz_json_bigint(p->'top_activities'), 0)::int))
                ELSE '{}'::jsonb END;
END
$$;
