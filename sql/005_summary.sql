-- 005: hz_summary(p jsonb): consolidated figures of a unit's subtree for one
-- year (contract: sql/README.md).
--
-- Read-only, so it can run on a streaming replica (read_dsn). Reads only the
-- current, non-retracted version of each record. No statement here selects
-- activity.beneficiaries or any `content` column: personal names never reach
-- a summary.
--
-- Indicator values count in the month and the year their period starts in (a
-- quarterly value in its quarter's first month, a yearly one in January).

CREATE OR REPLACE FUNCTION hz_summary_activities(units bigint[], y int,
                                                 g_comm boolean, g_cat boolean, g_month boolean)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH a AS (
        SELECT a.unit_id, a.category_code, a.date, a.participants, a.participants_at_least
        FROM activity a
        WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
          AND a.date >= make_date(y, 1, 1) AND a.date < make_date(y + 1, 1, 1)
    ), g AS (
        SELECT CASE WHEN g_comm THEN a.unit_id END AS unit_id,
               CASE WHEN g_cat THEN a.category_code END AS category_code,
               CASE WHEN g_month THEN to_char(a.date, 'YYYY-MM') END AS month,
               count(*) AS activities,
               coalesce(sum(a.participants), 0) AS participants,
               bool_or(a.participants_at_least) AS at_least
        FROM a
        GROUP BY 1, 2, 3
        UNION ALL
        -- With no dimension there is always one row of totals, even for a
        -- year without data.
        SELECT NULL, NULL, NULL, 0, 0, false
        WHERE NOT (g_comm OR g_cat OR g_month) AND NOT EXISTS (SELECT 1 FROM a)
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('activities', g.activities, 'participants', g.participants,
                                  'participants_at_least', g.at_least)
               || CASE WHEN g_comm THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN g_cat THEN jsonb_build_object('category', c.code,
                                                          'category_name', c.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN g_month THEN jsonb_build_object('month', g.month)
                       ELSE '{}'::jsonb END
               ORDER BY u.code, c.sort_order, c.code, g.month), '[]'::jsonb)
    FROM g
    LEFT JOIN org_unit u ON u.id = g.unit_id
    LEFT JOIN category c ON c.code = g.category_code
$$;

-- Each community's values combine over the periods by the indicator's own
-- aggregation; then communities combine: counts and stocks (sum, last) add
-- up, max takes the largest, avg the mean of the communities' means.
CREATE OR REPLACE FUNCTION hz_summary_indicators(units bigint[], y int,
                                                 g_comm boolean, g_month boolean)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH v AS (
        SELECT v.unit_id, v.indicator_code, v.period_start, v.value, v.created_at
        FROM indicator_value v
        WHERE v.unit_id = ANY (units) AND v.is_current AND v.retracted_at IS NULL
          AND v.period_start >= make_date(y, 1, 1) AND v.period_start < make_date(y + 1, 1, 1)
    ), per_unit AS (
        SELECT v.unit_id, v.indicator_code,
               CASE WHEN g_month THEN to_char(v.period_start, 'YYYY-MM') END AS month,
               i.aggregation,
               CASE i.aggregation
                   WHEN 'sum' THEN sum(v.value)
                   WHEN 'max' THEN max(v.value)
                   WHEN 'avg' THEN avg(v.value)
                   ELSE (array_agg(v.value ORDER BY v.period_start DESC, v.created_at DESC))[1]
               END AS value
        FROM v JOIN indicator i ON i.code = v.indicator_code
        GROUP BY 1, 2, 3, 4
    ), total AS (
        SELECT CASE WHEN g_comm THEN p.unit_id END AS unit_id, p.indicator_code, p.month,
               p.aggregation,
               CASE p.aggregation WHEN 'max' THEN max(p.value)
                                  WHEN 'avg' THEN avg(p.value)
                                  ELSE sum(p.value) END AS value
        FROM per_unit p
        GROUP BY 1, 2, 3, 4
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('indicator', i.code, 'indicator_name', i.name,
                                  'unit', i.unit, 'aggregation', t.aggregation,
                                  'value', t.value)
               || CASE WHEN g_comm THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN g_month THEN jsonb_build_object('month', t.month)
                       ELSE '{}'::jsonb END
               ORDER BY u.code, i.sort_order, i.code, t.month), '[]'::jsonb)
    FROM total t
    JOIN indicator i ON i.code = t.indicator_code
    LEFT JOIN org_unit u ON u.id = t.unit_id
$$;

CREATE OR REPLACE FUNCTION hz_summary_honors(units bigint[], y int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', hz_partial_date_text(h.date_start, h.date_precision),
                                  'title', h.title, 'level', h.level, 'issuer', h.issuer,
                                  'recipient', h.recipient)
               ORDER BY h.date_start, u.code, h.title), '[]'::jsonb)
    FROM honor h
    JOIN org_unit u ON u.id = h.unit_id
    WHERE h.unit_id = ANY (units) AND h.is_current AND h.retracted_at IS NULL
      AND h.date_start >= make_date(y, 1, 1) AND h.date_start < make_date(y + 1, 1, 1)
$$;

-- Each activity as a district sees it (ActivityItem): no beneficiaries, no
-- organiser, summary or tags.
CREATE OR REPLACE FUNCTION hz_summary_activity_list(units bigint[], y int)
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
    FROM activity a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN category c ON c.code = a.category_code
    WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
      AND a.date >= make_date(y, 1, 1) AND a.date < make_date(y + 1, 1, 1)
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
        WHERE coalesce(hz_json_bigint(p->'year') NOT BETWEEN 1000 AND 9999, true)
        UNION ALL
        SELECT 2, 0, 'group_by', 'must be a list of "community", "category" or "month"'
        WHERE coalesce(jsonb_typeof(p->'group_by'), 'null') NOT IN ('array', 'null')
        UNION ALL
        SELECT 3, (g.o - 1)::int, 'group_by',
               format('unknown dimension %s (want community, category or month)',
                      left(g.v::text, 60))
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p->'group_by') = 'array'
                                       THEN p->'group_by' ELSE '[]'::jsonb END)
             WITH ORDINALITY g(v, o)
        WHERE g.v NOT IN ('"community"'::jsonb, '"category"'::jsonb, '"month"'::jsonb)
        UNION ALL
        SELECT 4, 0, 'unit_code', 'must be a string'
        WHERE NOT hz_json_is_text(p->'unit_code')
        UNION ALL
        SELECT 5, 0, 'list_activities', 'must be true or false'
        WHERE coalesce(jsonb_typeof(p->'list_activities'), 'null') NOT IN ('boolean', 'null')
    ) e
$$;

CREATE OR REPLACE FUNCTION hz_summary(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_pcode text := p #>> '{principal,unit}';
    v_principal org_unit;
    v_target org_unit;
    v_code text;
    v_year int;
    v_group jsonb := coalesce(nullif(p->'group_by', 'null'::jsonb), '[]'::jsonb);
    v_errors jsonb;
    v_units bigint[];
    v_count bigint;
    v_participants numeric;
    v_at_least boolean;
BEGIN
    IF v_role IS NULL OR v_role NOT IN ('community', 'district', 'admin') THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('principal role %s may not read summaries', hz_quote(v_role)));
    END IF;
    SELECT * INTO v_principal FROM org_unit WHERE code = v_pcode;
    IF NOT FOUND AND v_role <> 'admin' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
    END IF;

    v_errors := hz_summary_request_errors(p);
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
    v_year := hz_json_bigint(p->'year');

    v_code := coalesce(nullif(p->>'unit_code', ''), v_pcode);
    IF coalesce(v_code, '') = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'unit_code is required: this principal has no unit',
                       jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                         'field', 'unit_code', 'reason', 'required')));
    END IF;
    SELECT * INTO v_target FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    -- A community reads only its own unit; a district or street office its
    -- subtree; an administrator anything.
    IF (v_role = 'community' AND v_target.id <> v_principal.id)
       OR (v_role = 'district' AND NOT hz_unit_within(v_target.id, v_principal.id)) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is outside what %s may read (%s)', hz_quote(v_code),
                              hz_quote(v_pcode),
                              CASE v_role WHEN 'community' THEN 'its own records'
                                          ELSE 'its own subtree' END));
    END IF;

    v_units := ARRAY(SELECT hz_subtree_ids(v_target.id));
    SELECT count(*), coalesce(sum(a.participants), 0), coalesce(bool_or(a.participants_at_least), false)
      INTO v_count, v_participants, v_at_least
      FROM activity a
     WHERE a.unit_id = ANY (v_units) AND a.is_current AND a.retracted_at IS NULL
       AND a.date >= make_date(v_year, 1, 1) AND a.date < make_date(v_year + 1, 1, 1);

    RETURN jsonb_build_object(
        'status', 'OK',
        'year', v_year,
        'unit_code', v_target.code,
        'unit_name', v_target.name,
        'activity_groups', hz_summary_activities(v_units, v_year,
                                                 v_group ? 'community', v_group ? 'category',
                                                 v_group ? 'month'),
        'indicator_totals', hz_summary_indicators(v_units, v_year,
                                                  v_group ? 'community', v_group ? 'month'),
        'honors', hz_summary_honors(v_units, v_year),
        'total_activities', v_count,
        'total_participants', v_participants,
        'total_participants_at_least', v_at_least)
        || CASE WHEN (p->>'list_activities')::boolean
                THEN jsonb_build_object('activities', hz_summary_activity_list(v_units, v_year))
                ELSE '{}'::jsonb END;
END
$$;
