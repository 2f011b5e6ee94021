-- 063: hz_record_list can be asked for the records a sheet names.
--
-- `huizong import` compares each row with what the server holds. Asking for
-- a community's whole year costs the whole year; with `only_matching` the
-- list holds only the records whose record_id is in `record_ids` (every
-- version, with `versions`), the activities and honours whose title is in
-- `titles` (a probable edit keeps its title), and the indicator values of a
-- period in `periods` - what the sheet's rows can match, nothing more.
-- Without `only_matching` the list is as before.

SET LOCAL search_path = public, hz_private, pg_temp;

CREATE OR REPLACE FUNCTION public.hz_record_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_unit org_unit;
    v_year int := hz_json_bigint(p->'year');
    v_cat text := nullif(p->>'category', '');
    v_all boolean := coalesce((p->>'versions')::boolean, false);
    v_match boolean := coalesce((p->>'only_matching')::boolean, false);
    v_ids uuid[] := ARRAY(SELECT x::uuid FROM unnest(hz_json_texts(p->'record_ids')) x
                           WHERE x ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
    v_titles text[] := hz_json_texts(p->'titles');
    v_periods text[] := hz_json_texts(p->'periods');
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('list shows a community''s own records; this principal is %s (use summary)',
                              hz_principal_label(p)));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = p #>> '{principal,unit}';
    IF NOT FOUND THEN
        RETURN hz_fail('PERMISSION_DENIED', 'the principal''s unit is not in the org tree');
    END IF;
    IF hz_year_error(p->'year') IS NOT NULL THEN
        RETURN hz_fail('INVALID_ARGUMENT', format('year: want a year like 2020, got %s', coalesce(p->>'year', 'nothing')));
    END IF;
    IF v_cat IS NOT NULL AND NOT EXISTS (SELECT 1 FROM category WHERE code = v_cat) THEN
        RETURN hz_fail('INVALID_ARGUMENT', format('category: unknown category %s', hz_quote(v_cat)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'records', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'record_id', x.record_id::text, 'kind', x.kind, 'version', x.version,
                   'current', x.is_current,
                   'retracted_at', coalesce(hz_ts_text(x.retracted_at), ''),
                   'created_at', hz_ts_text(x.created_at), 'content', x.content::text)
               ORDER BY x.day, x.record_id, x.version)
        FROM (
            SELECT 'activity' AS kind, a.record_id, a.version, a.is_current, a.retracted_at,
                   a.created_at, a.content, a.date AS day
              FROM activity a
             WHERE a.unit_id = v_unit.id AND extract(year FROM a.date) = v_year
               AND (v_cat IS NULL OR a.category_code = v_cat)
               AND (NOT v_match OR a.record_id = ANY (v_ids) OR a.title = ANY (v_titles))
            UNION ALL
            SELECT 'indicator_value', v.record_id, v.version, v.is_current, v.retracted_at,
                   v.created_at, v.content, v.period_start
              FROM indicator_value v
             WHERE v.unit_id = v_unit.id AND extract(year FROM v.period_start) = v_year
               AND v_cat IS NULL
               AND (NOT v_match OR v.record_id = ANY (v_ids) OR v.period = ANY (v_periods))
            UNION ALL
            SELECT 'honor', h.record_id, h.version, h.is_current, h.retracted_at,
                   h.created_at, h.content, h.date_start
              FROM honor h
             WHERE h.unit_id = v_unit.id AND extract(year FROM h.date_start) = v_year
               AND (v_cat IS NULL OR h.category_code = v_cat)
               AND (NOT v_match OR h.record_id = ANY (v_ids) OR h.title = ANY (v_titles))
        ) x
        WHERE v_all OR x.is_current), '[]'::jsonb));
END
$$;
