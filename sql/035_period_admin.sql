-- 035: managing the rules: quotas, deadlines and period locks
-- (docs/period.md; hz_period_lock and hz_period_unlock are in 036). An admin
-- may manage any unit, a district principal its own unit and everything below
-- it (hz_may_manage); communities none.

-- The unit a rule is set for, after the checks every setter shares: the
-- principal may manage rules, the unit exists and is in its reach.
CREATE OR REPLACE FUNCTION hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit org_unit)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := p->>'unit_code';
BEGIN
    IF coalesce(p #>> '{principal,role}', '') NOT IN ('district', 'admin') THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('only an admin or a district principal can %s; this principal is %s',
                               what, hz_principal_label(p)));
        RETURN;
    END IF;
    IF coalesce(v_code, '') = '' THEN
        fail := hz_fail('INVALID_ARGUMENT', 'unit_code: required');
        RETURN;
    END IF;
    SELECT * INTO unit FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        fail := hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
        RETURN;
    END IF;
    IF NOT hz_may_manage(p, unit.id) THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('unit %s is outside the subtree of %s', hz_quote(v_code),
                               p #>> '{principal,unit}'));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION hz_request_error(field text, reason text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('INVALID_ARGUMENT', field || ': ' || reason,
                   jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                                        'field', field, 'reason', reason)))
$$;

-- ------------------------------------------------------------------ quota --
-- Argument: principal, unit_code, indicator, period_type, minimum,
-- effective_from (a period of period_type). Setting what is already set
-- from that period is OK with created=false.
CREATE OR REPLACE FUNCTION hz_quota_set(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    v_ind indicator;
    v_type text := p->>'period_type';
    v_min numeric := hz_json_numeric(p->'minimum');
    v_from text := p->>'effective_from';
    v_old quota;
    v_id bigint;
BEGIN
    k := hz_rule_unit(p, 'set quotas');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    SELECT * INTO v_ind FROM indicator WHERE code = p->>'indicator';
    IF NOT FOUND THEN
        RETURN hz_request_error('indicator', format('unknown indicator %s', hz_quote(p->>'indicator')));
    END IF;
    IF coalesce(v_type, '') NOT IN ('month', 'quarter', 'year') THEN
        RETURN hz_request_error('period_type', format('unknown period type %s (want month, quarter or year)',
                                                      hz_quote(v_type)));
    END IF;
    IF (v_ind.period_type = 'quarter' AND v_type = 'month')
       OR (v_ind.period_type = 'year' AND v_type <> 'year') THEN
        RETURN hz_request_error('period_type',
            format('indicator %s is recorded per %s; a quota on it cannot be per %s',
                   v_ind.code, v_ind.period_type, v_type));
    END IF;
    IF v_min IS NULL OR v_min < 0 OR v_min >= 1e300 THEN
        RETURN hz_request_error('minimum', format('must be a number >= 0, got %s',
                                                  coalesce(p->>'minimum', 'nothing')));
    END IF;
    IF hz_period_type(v_from) IS DISTINCT FROM v_type THEN
        RETURN hz_request_error('effective_from',
            format('%s is not a %s (want e.g. "%s")', hz_quote(v_from), v_type,
                   hz_period_example(v_type, coalesce(hz_period_start(v_from), current_date))));
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(
        format('quota:%s:%s:%s', (k.unit).id, v_ind.code, v_type), 7443));
    SELECT * INTO v_old FROM quota q
     WHERE q.unit_id = (k.unit).id AND q.indicator_code = v_ind.code AND q.period_type = v_type
       AND q.effective_from = hz_period_start(v_from)
     ORDER BY q.id DESC LIMIT 1;
    IF FOUND AND v_old.minimum = v_min THEN
        RETURN jsonb_build_object('status', 'OK', 'created', false, 'quota_id', v_old.id);
    END IF;
    INSERT INTO quota (unit_id, indicator_code, period_type, minimum, effective_from, set_by)
    VALUES ((k.unit).id, v_ind.code, v_type, v_min, hz_period_start(v_from), hz_principal_label(p))
    RETURNING id INTO v_id;
    PERFORM hz_audit(p, 'quota_set', (k.unit).code,
                     jsonb_build_object('quota_id', v_id, 'indicator', v_ind.code,
                                        'period_type', v_type, 'minimum', v_min, 'from', v_from));
    RETURN jsonb_build_object('status', 'OK', 'created', true, 'quota_id', v_id);
END
$$;

-- Argument: principal, unit_code (optional), indicator (optional), history.
-- Quotas that apply to the unit (defined on it or above it) and those
-- defined below it. Without history, a row replaced by a later setting for
-- the same unit, indicator, period type and starting period is left out.
CREATE OR REPLACE FUNCTION hz_quota_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := nullif(p->>'unit_code', '');
    v_ind text := nullif(p->>'indicator', '');
    v_hist boolean := coalesce((p->>'history')::boolean, false);
    v_root org_unit;
    v_own bigint := (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}');
BEGIN
    IF v_code IS NOT NULL THEN
        SELECT * INTO v_root FROM org_unit WHERE code = v_code;
        IF NOT FOUND THEN
            RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
        END IF;
        IF coalesce(v_role, '') <> 'admin' AND NOT coalesce(hz_unit_within(v_root.id, v_own), false) THEN
            RETURN hz_fail('PERMISSION_DENIED', format('unit %s is outside the subtree of %s',
                                                       hz_quote(v_code), p #>> '{principal,unit}'));
        END IF;
    ELSIF coalesce(v_role, '') <> 'admin' THEN
        SELECT * INTO v_root FROM org_unit WHERE id = v_own;
    END IF;
    IF v_ind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM indicator WHERE code = v_ind) THEN
        RETURN hz_request_error('indicator', format('unknown indicator %s', hz_quote(v_ind)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'quotas', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'quota_id', x.id, 'unit_code', o.code, 'unit_name', o.name,
                   'indicator', i.code, 'indicator_name', i.name, 'period_type', x.period_type,
                   'minimum', x.minimum,
                   'effective_from', hz_period_example(x.period_type, x.effective_from),
                   'set_at', hz_ts_text(x.set_at), 'set_by', x.set_by,
                   'superseded', x.superseded)
               ORDER BY o.code, i.sort_order, x.period_type, x.effective_from, x.id)
        FROM (SELECT q.*, EXISTS (SELECT 1 FROM quota n
                                  WHERE n.unit_id = q.unit_id AND n.indicator_code = q.indicator_code
                                    AND n.period_type = q.period_type
                                    AND n.effective_from = q.effective_from AND n.id > q.id) AS superseded
              FROM quota q) x
        JOIN org_unit o ON o.id = x.unit_id
        JOIN indicator i ON i.code = x.indicator_code
        WHERE (v_ind IS NULL OR x.indicator_code = v_ind)
          AND (v_hist OR NOT x.superseded)
          AND (v_root.id IS NULL
               OR x.unit_id IN (SELECT a.id FROM hz_unit_ancestors(v_root.id) a)
               OR x.unit_id IN (SELECT hz_subtree_ids(v_root.id)))), '[]'::jsonb));
END
$$;

-- --------------------------------------------------------------- deadline --
-- Argument: principal, indicators, day (1-28), unit_code (empty: everywhere
-- for an admin, the principal's own unit for a district principal).
CREATE OR REPLACE FUNCTION hz_deadline_set(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    v_codes text[] := hz_json_texts(p->'indicators');
    v_day bigint := hz_json_bigint(p->'day');
    v_unit bigint;
    v_errors jsonb;
    v_new int;
BEGIN
    IF coalesce(p->>'unit_code', '') = '' AND (p #>> '{principal,role}') = 'district' THEN
        p := p || jsonb_build_object('unit_code', p #>> '{principal,unit}');
    END IF;
    IF coalesce(p->>'unit_code', '') = '' AND (p #>> '{principal,role}') = 'admin' THEN
        v_unit := NULL;
    ELSE
        k := hz_rule_unit(p, 'set deadlines');
        IF k.fail IS NOT NULL THEN
            RETURN k.fail;
        END IF;
        v_unit := (k.unit).id;
    END IF;
    IF cardinality(v_codes) = 0 THEN
        RETURN hz_request_error('indicators', 'required (a list of indicator codes)');
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', c.o - 1, 'field', 'indicators',
                                        'reason', format('unknown indicator %s', hz_quote(c.code)))
                     ORDER BY c.o)
      INTO v_errors
      FROM unnest(v_codes) WITH ORDINALITY c(code, o)
     WHERE NOT EXISTS (SELECT 1 FROM indicator i WHERE i.code = c.code);
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
    IF v_day IS NULL OR v_day NOT BETWEEN 1 AND 28 THEN
        RETURN hz_request_error('day', format('want a day of the month from 1 to 28, got %s',
                                              coalesce(p->>'day', 'nothing')));
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('deadline', 7443));
    INSERT INTO deadline_rule (unit_id, indicator_code, day, set_by)
    SELECT v_unit, c, v_day, hz_principal_label(p)
      FROM (SELECT DISTINCT unnest(v_codes) AS c) codes
     WHERE (SELECT r.day FROM deadline_rule r
             WHERE r.unit_id IS NOT DISTINCT FROM v_unit AND r.indicator_code = codes.c
             ORDER BY r.id DESC LIMIT 1) IS DISTINCT FROM v_day;
    GET DIAGNOSTICS v_new = ROW_COUNT;
    IF v_new > 0 THEN
        PERFORM hz_audit(p, 'deadline_set', coalesce(p->>'unit_code', ''),
                         jsonb_build_object('indicators', to_jsonb(v_codes), 'day', v_day));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'changed', v_new);
END
$$;

-- ------------------------------------------------------------------ locks --
CREATE OR REPLACE FUNCTION hz_period_lock_args(p jsonb, what text, OUT fail jsonb, OUT unit org_unit)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    k record;
BEGIN
    k := hz_rule_unit(p, what);
    fail := k.fail;
    unit := k.unit;
    IF fail IS NULL AND hz_period_type(p->>'period') IS NULL THEN
        fail := hz_request_error('period', format('invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)',
                                                  hz_quote(p->>'period')));
    END IF;
END
$$;

-- Argument: principal, unit_code (empty: the principal's unit; an admin:
-- every unit). Live locks on the unit, above it and below it.
CREATE OR REPLACE FUNCTION hz_period_lock_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := coalesce(nullif(p->>'unit_code', ''), p #>> '{principal,unit}');
    v_root org_unit;
    v_own bigint := (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}');
BEGIN
    SELECT * INTO v_root FROM org_unit WHERE code = v_code;
    IF NOT FOUND AND NOT ((p #>> '{principal,role}') = 'admin' AND nullif(p->>'unit_code', '') IS NULL) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF coalesce(p #>> '{principal,role}', '') <> 'admin' AND NOT coalesce(hz_unit_within(v_root.id, v_own), false) THEN
        RETURN hz_fail('PERMISSION_DENIED', format('unit %s is outside the subtree of %s',
                                                   hz_quote(v_code), p #>> '{principal,unit}'));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'locks', coalesce((
        SELECT jsonb_agg(jsonb_build_object('unit_code', o.code, 'period', l.period,
                                            'locked_at', hz_ts_text(l.locked_at),
                                            'locked_by', l.locked_by)
                         ORDER BY o.code, l.period_start, l.period)
        FROM period_lock l JOIN org_unit o ON o.id = l.unit_id
        WHERE l.unlocked_at IS NULL
          AND (v_root.id IS NULL
               OR l.unit_id IN (SELECT a.id FROM hz_unit_ancestors(v_root.id) a)
               OR l.unit_id IN (SELECT hz_subtree_ids(v_root.id)))), '[]'::jsonb));
END
$$;

-- Argument: principal, unit_code (empty: the principal's unit; an admin:
-- every rule). The rule in force per unit and indicator, for the unit, above
-- it, below it, and everywhere.
CREATE OR REPLACE FUNCTION hz_deadline_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := coalesce(nullif(p->>'unit_code', ''), p #>> '{principal,unit}');
    v_root org_unit;
    v_own bigint := (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}');
BEGIN
    SELECT * INTO v_root FROM org_unit WHERE code = v_code;
    IF NOT FOUND AND NOT ((p #>> '{principal,role}') = 'admin' AND nullif(p->>'unit_code', '') IS NULL) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF coalesce(p #>> '{principal,role}', '') <> 'admin' AND NOT coalesce(hz_unit_within(v_root.id, v_own), false) THEN
        RETURN hz_fail('PERMISSION_DENIED', format('unit %s is outside the subtree of %s',
                                                   hz_quote(v_code), p #>> '{principal,unit}'));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'deadlines', coalesce((
        SELECT jsonb_agg(jsonb_build_object('unit_code', coalesce(o.code, ''), 'indicator', r.indicator_code,
                                            'day', r.day, 'set_at', hz_ts_text(r.set_at),
                                            'set_by', r.set_by)
                         ORDER BY o.code NULLS FIRST, i.sort_order)
        FROM (SELECT DISTINCT ON (d.unit_id, d.indicator_code) d.*
                FROM deadline_rule d ORDER BY d.unit_id, d.indicator_code, d.id DESC) r
        LEFT JOIN org_unit o ON o.id = r.unit_id
        JOIN indicator i ON i.code = r.indicator_code
        WHERE r.unit_id IS NULL OR v_root.id IS NULL
           OR r.unit_id IN (SELECT a.id FROM hz_unit_ancestors(v_root.id) a)
           OR r.unit_id IN (SELECT hz_subtree_ids(v_root.id))), '[]'::jsonb));
END
$$;
