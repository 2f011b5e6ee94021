-- 060: a participant count that was not reported is NULL, not 0.
--
-- An activity says so with `participants_unknown: true` (Activity field
-- participants_unknown; older senders never set it, so their 0 stays 0).
-- The one rule that turns the record into the column is the trigger
-- below: every path that writes an activity row (hz_submit's insert, an
-- amend, an approved correction, a bulk load) passes through it, so no
-- writer needs to know. Readers: a group counts its unknown counts apart
-- (`participants_unknown`), sums the known ones, and marks the sum a lower
-- bound (`participants_at_least`) when any count was unknown; a listed
-- activity or exported record carries `participants_unknown` and no
-- participants.

-- Helper bodies are checked at creation against this path, as 050.
SET LOCAL search_path = public, hz_private, pg_temp;

ALTER TABLE activity ALTER COLUMN participants DROP NOT NULL;

CREATE OR REPLACE FUNCTION hz_private.hz_activity_count_known()
RETURNS trigger LANGUAGE plpgsql SET search_path = public, hz_private, pg_temp AS $$
BEGIN
    -- Only a JSON true counts; anything else is a reported count.
    IF NEW.content->'participants_unknown' = 'true'::jsonb THEN
        NEW.participants := NULL;
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION hz_private.hz_activity_count_known() FROM PUBLIC;

-- The WHEN test runs without calling the function, so the bulk inserts of
-- records that give their count pay nothing for it.
CREATE TRIGGER activity_count_known BEFORE INSERT OR UPDATE OF content, participants ON activity
    FOR EACH ROW WHEN (NEW.content ? 'participants_unknown')
    EXECUTE FUNCTION hz_private.hz_activity_count_known();

-- Rows held before: unknown only where the record itself said the report
-- gave no number (the demo's convention, demo/data/README.md: a count of 0,
-- not a lower bound, and a summary saying 报告未给出…人数). Every other 0
-- was reported as 0 and stays. Every version is converted, so the record's
-- history and its current content agree; the content then compares equal
-- to the sheet re-sent with the count left blank.
UPDATE activity
   SET content = (content - 'participants') || '{"participants_unknown": true}'::jsonb
 WHERE participants = 0 AND NOT participants_at_least
   AND summary ~ '未给出[^。；，,]{0,6}人数';

-- Groups per unit first, as 040, with the unknown counts apart.
CREATE OR REPLACE FUNCTION hz_private.hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH a AS (
        SELECT a.unit_id, a.category_code,
               CASE WHEN dims ? 'month' THEN to_char(a.date, 'YYYY-MM') END AS month,
               CASE WHEN dims ? 'quarter' THEN hz_quarter_text(a.date) END AS quarter,
               count(*) AS activities, coalesce(sum(a.participants), 0) AS participants,
               count(*) FILTER (WHERE a.participants IS NULL) AS unknown,
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
               sum(a.unknown) AS unknown, bool_or(a.at_least) AS at_least
        FROM a LEFT JOIN s ON s.unit_id = a.unit_id
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        -- With no dimension there is always one row of totals.
        SELECT NULL, NULL, NULL, NULL, NULL, 0, 0, 0, false
        WHERE jsonb_array_length(dims) = 0 AND NOT EXISTS (SELECT 1 FROM a)
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('activities', g.activities, 'participants', g.participants,
                                  'participants_unknown', g.unknown,
                                  'participants_at_least', g.at_least OR g.unknown > 0)
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

-- The count of one activity as the wire has it: participants, or
-- participants_unknown and no participants.
CREATE OR REPLACE FUNCTION hz_private.hz_activity_count_json(participants bigint, at_least boolean)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN participants IS NULL
                THEN jsonb_build_object('participants_unknown', true,
                                        'participants_at_least', at_least)
                ELSE jsonb_build_object('participants', participants,
                                        'participants_at_least', at_least) END
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_summary_activity_list_span(units bigint[], d0 date, d1 date,
                                                                    top int DEFAULT 0)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', to_char(a.date, 'YYYY-MM-DD'),
                                  'category', c.code, 'category_name', c.name,
                                  'title', a.title, 'location', a.location,
                                  'partners', to_jsonb(a.partners))
               || hz_activity_count_json(a.participants, a.participants_at_least)
               ORDER BY a.date, u.code, a.title), '[]'::jsonb)
    FROM (SELECT a.*, row_number() OVER (PARTITION BY a.category_code
                                         ORDER BY a.participants DESC NULLS LAST, a.date,
                                                  a.record_id) AS rank
          FROM activity a
          WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
            AND a.date >= d0 AND a.date < d1) a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN category c ON c.code = a.category_code
    WHERE top <= 0 OR a.rank <= top
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_export_activity(a activity, u org_unit, c category)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('kind', 'activity', 'record_id', a.record_id, 'version', a.version,
                              'community', u.code, 'community_name', u.name,
                              'date', to_char(a.date, 'YYYY-MM-DD'), 'category', c.code,
                              'category_name', c.name, 'title', a.title, 'location', a.location,
                              'partners', to_jsonb(a.partners), 'change_seq', a.change_seq,
                              'retracted', a.retracted_at IS NOT NULL)
           || hz_activity_count_json(a.participants, a.participants_at_least)
$$;

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
    v_count bigint;
    v_unknown bigint;
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
    SELECT count(*), coalesce(sum(a.participants), 0),
           count(*) FILTER (WHERE a.participants IS NULL),
           coalesce(bool_or(a.participants_at_least OR a.participants IS NULL), false)
      INTO v_count, v_participants, v_unknown, v_at_least
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
        'total_participants_unknown', v_unknown,
        'total_participants_at_least', v_at_least)
        || CASE WHEN (p->>'list_activities')::boolean
                THEN jsonb_build_object('activities',
                                        hz_summary_activity_list_span(v_units, v_d0, v_d1,
                                            coalesce(hz_json_bigint(p->'top_activities'), 0)::int))
                ELSE '{}'::jsonb END;
END
$$;
