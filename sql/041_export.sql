-- 041: hz_export_page(p): one page of a subtree's records for export
-- (ExportRequest, streamed by the server one page per call).
--
-- Keyset pagination, so each page costs the same however deep the export
-- is: activities by (date, record_id), indicator values by (period_start,
-- unit_id, period, record_id) - which keeps each community's values of one
-- period together, as ADX groups them (a month and a quarter may start on
-- the same day) - and honours by (date_start, record_id).
-- `after` is the key of the last record sent ({"kind", "d", "u", "r"}); the
-- result's `next` is the key to ask for next, absent on the last page.
-- Each page is its own transaction: a record amended while an export runs
-- may appear in its old or its new version; `huizong pull` is the exact feed.
--
-- Never beneficiaries, organiser, summary, tags or `content`.

CREATE INDEX activity_export_idx ON activity (date, record_id)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX indicator_value_export_idx ON indicator_value (period_start, unit_id, period, record_id)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX honor_export_idx ON honor (date_start, record_id)
    WHERE is_current AND retracted_at IS NULL;

-- The ExportRecord of one activity, indicator value or honour row.
CREATE OR REPLACE FUNCTION hz_export_activity(a activity, u org_unit, c category)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('kind', 'activity', 'record_id', a.record_id, 'version', a.version,
                              'community', u.code, 'community_name', u.name,
                              'date', to_char(a.date, 'YYYY-MM-DD'), 'category', c.code,
                              'category_name', c.name, 'title', a.title, 'location', a.location,
                              'participants', a.participants,
                              'participants_at_least', a.participants_at_least,
                              'partners', to_jsonb(a.partners), 'change_seq', a.change_seq,
                              'retracted', a.retracted_at IS NOT NULL)
$$;

CREATE OR REPLACE FUNCTION hz_export_value(v indicator_value, u org_unit, i indicator)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('kind', 'indicator_value', 'record_id', v.record_id,
                              'version', v.version, 'community', u.code, 'community_name', u.name,
                              'indicator', i.code, 'indicator_name', i.name, 'period', v.period,
                              'period_type', v.period_type, 'value', v.value, 'unit', i.unit,
                              'change_seq', v.change_seq, 'retracted', v.retracted_at IS NOT NULL)
$$;

CREATE OR REPLACE FUNCTION hz_export_honor(h honor, u org_unit, c category)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('kind', 'honor', 'record_id', h.record_id, 'version', h.version,
                              'community', u.code, 'community_name', u.name,
                              'date', hz_partial_date_text(h.date_start, h.date_precision),
                              'category', coalesce(h.category_code, ''),
                              'category_name', coalesce(c.name, ''), 'title', h.title,
                              'level', h.level, 'issuer', h.issuer, 'recipient', h.recipient,
                              'change_seq', h.change_seq, 'retracted', h.retracted_at IS NOT NULL)
$$;

-- One kind's page after key k; each row with its key.
CREATE OR REPLACE FUNCTION hz_export_kind(kind text, units bigint[], d0 date, d1 date,
                                          k jsonb, n int)
RETURNS TABLE (rec jsonb, key jsonb) LANGUAGE plpgsql STABLE AS $$
DECLARE
    kd date := coalesce((k->>'d')::date, '-infinity'::date);
    ku bigint := coalesce((k->>'u')::bigint, -1);
    kp text := coalesce(k->>'p', '');
    kr uuid := coalesce((k->>'r')::uuid, '00000000-0000-0000-0000-000000000000'::uuid);
BEGIN
    IF kind = 'activity' THEN
        RETURN QUERY
        SELECT hz_export_activity(a, u, c),
               jsonb_build_object('kind', kind, 'd', a.date, 'r', a.record_id)
        FROM activity a JOIN org_unit u ON u.id = a.unit_id
             JOIN category c ON c.code = a.category_code
        WHERE a.is_current AND a.retracted_at IS NULL AND a.unit_id = ANY (units)
          AND a.date >= d0 AND a.date < d1 AND (a.date, a.record_id) > (kd, kr)
        ORDER BY a.date, a.record_id LIMIT n;
    ELSIF kind = 'indicator_value' THEN
        RETURN QUERY
        SELECT hz_export_value(v, u, i),
               jsonb_build_object('kind', kind, 'd', v.period_start, 'u', v.unit_id,
                                  'p', v.period, 'r', v.record_id)
        FROM indicator_value v JOIN org_unit u ON u.id = v.unit_id
             JOIN indicator i ON i.code = v.indicator_code
        WHERE v.is_current AND v.retracted_at IS NULL AND v.unit_id = ANY (units)
          AND v.period_start >= d0 AND v.period_start < d1
          AND (v.period_start, v.unit_id, v.period, v.record_id) > (kd, ku, kp, kr)
        ORDER BY v.period_start, v.unit_id, v.period, v.record_id LIMIT n;
    ELSE
        RETURN QUERY
        SELECT hz_export_honor(h, u, c),
               jsonb_build_object('kind', kind, 'd', h.date_start, 'r', h.record_id)
        FROM honor h JOIN org_unit u ON u.id = h.unit_id
             LEFT JOIN category c ON c.code = h.category_code
        WHERE h.is_current AND h.retracted_at IS NULL AND h.unit_id = ANY (units)
          AND h.date_start >= d0 AND h.date_start < d1 AND (h.date_start, h.record_id) > (kd, kr)
        ORDER BY h.date_start, h.record_id LIMIT n;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION hz_export_page(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_scope jsonb := hz_read_scope(p);
    v_kinds text[] := CASE WHEN (p->>'indicators_only')::boolean THEN ARRAY['indicator_value']
                           ELSE ARRAY['activity', 'indicator_value', 'honor'] END;
    v_n int := least(greatest(coalesce(hz_json_bigint(p->'page_size'), 0), 0), 5000);
    v_after jsonb := nullif(p->'after', 'null'::jsonb);
    v_units bigint[];
    v_recs jsonb := '[]'::jsonb;
    v_page jsonb;
    v_key jsonb;
    v_next jsonb;
    v_got int;
    v_want int;
    v_idx int;
BEGIN
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    IF v_n = 0 THEN
        v_n := 1000;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_idx := coalesce(array_position(v_kinds, v_after->>'kind'), 1);
    -- Fill the page from the kind in progress, moving on to the next kind
    -- when one runs out, so that no page is empty unless the export is.
    LOOP
        v_want := v_n - jsonb_array_length(v_recs);
        SELECT coalesce(jsonb_agg(e.rec ORDER BY e.o), '[]'::jsonb), count(*),
               (array_agg(e.key ORDER BY e.o DESC))[1]
          INTO v_page, v_got, v_key
          FROM hz_export_kind(v_kinds[v_idx], v_units, (v_scope->>'d0')::date,
                              (v_scope->>'d1')::date,
                              CASE WHEN v_after->>'kind' = v_kinds[v_idx] THEN v_after END,
                              v_want) WITH ORDINALITY e(rec, key, o);
        v_recs := v_recs || v_page;
        IF v_got = v_want THEN
            v_next := v_key;
            EXIT;
        END IF;
        v_idx := v_idx + 1;
        v_after := NULL;
        IF v_idx > array_length(v_kinds, 1) THEN
            v_next := NULL;
            EXIT;
        END IF;
    END LOOP;
    -- `request` echoes the argument (less the principal and key) so the
    -- server holds no state of its own between pages; `sent` counts records
    -- across pages.
    RETURN jsonb_build_object('status', 'OK', 'records', v_recs, 'unit_code', v_scope->>'unit_code',
                              'sent', coalesce(hz_json_bigint(p->'sent'), 0)
                                      + jsonb_array_length(v_recs),
                              'request', p - 'principal' - 'after' - 'sent')
           || CASE WHEN v_next IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('next', v_next) END;
END
$$;
