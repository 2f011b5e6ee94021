-- 049: hz_compliance(p): completeness and quotas of a subtree (ComplianceRequest).
--
-- Written against the quotas-and-periods module's functions, which live in
-- another migration range:
--   hz_quota_effective(unit_id bigint, indicator_code text, period_start date)
--       -> the minimum in effect (numeric), NULL when no quota applies;
--   hz_period_state(unit_id bigint, indicator_code text, period text)
--       -> 'on_time' | 'late' | 'nil' | 'missing'.
-- Until they exist, hz_compliance answers FAILED_PRECONDITION naming them;
-- nothing here fails at migration time, so a server without them still starts.
--
-- One row per community of the subtree, indicator and period of the span
-- (the indicator's own period type) for which a quota is in effect.

CREATE OR REPLACE FUNCTION hz_compliance(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_scope jsonb;
    v_units bigint[];
    v_d0 date;
    v_d1 date;
    v_rows jsonb;
BEGIN
    IF to_regproc('hz_quota_effective') IS NULL OR to_regproc('hz_period_state') IS NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       'completeness and quotas need hz_quota_effective and hz_period_state '
                       '(quotas and reporting periods), which this server''s schema does not have');
    END IF;
    v_scope := hz_read_scope(p);
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_d0 := (v_scope->>'d0')::date;
    v_d1 := (v_scope->>'d1')::date;
    WITH periods AS (
        SELECT i.code, i.name, i.unit, i.sort_order, i.period_type, m::date AS start,
               CASE i.period_type WHEN 'month' THEN to_char(m, 'YYYY-MM')
                                  WHEN 'quarter' THEN hz_quarter_text(m::date)
                                  ELSE to_char(m, 'YYYY') END AS period
        FROM indicator i,
             generate_series(v_d0, v_d1 - 1, interval '1 month') m
        WHERE i.retired_at IS NULL AND date_trunc(i.period_type, m) = m
    ), slots AS (
        SELECT u.id AS unit_id, u.code AS community, u.name AS community_name, pe.*,
               -- A quota counts in the indicator's own period type here.
               (SELECT e.minimum FROM hz_quota_effective(u.id, pe.code, pe.start, pe.period_type) e
                 LIMIT 1) AS minimum
        FROM org_unit u CROSS JOIN periods pe
        WHERE u.id = ANY (v_units) AND u.level = 'community'
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'community', s.community, 'community_name', s.community_name,
               'indicator', s.code, 'indicator_name', s.name, 'unit', s.unit,
               'period', s.period,
               'state', hz_period_state(s.unit_id, s.code, s.period)::text,
               'value', coalesce(v.value, 0), 'reported', v.value IS NOT NULL,
               'minimum', s.minimum, 'met', coalesce(v.value, 0) >= s.minimum)
               ORDER BY s.community, s.sort_order, s.code, s.start), '[]'::jsonb)
      INTO v_rows
      FROM slots s
      LEFT JOIN indicator_value v
        ON v.unit_id = s.unit_id AND v.indicator_code = s.code AND v.period = s.period
       AND v.is_current AND v.retracted_at IS NULL
     WHERE s.minimum IS NOT NULL;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_scope->>'unit_code',
                              'unit_name', (SELECT name FROM org_unit
                                            WHERE code = v_scope->>'unit_code'),
                              'from', to_char(v_d0, 'YYYY-MM'),
                              'to', to_char(v_d1 - 1, 'YYYY-MM'), 'rows', v_rows);
END
$$;
