-- 012: indicators, administered: hz_indicator_add, hz_indicator_update,
-- hz_indicator_retire (hz_indicator_list is in 013). Contract: docs/org.md.
--
-- An indicator's period type and aggregation decide how its held values are
-- read; changing either once values exist would silently rewrite every past
-- summary, so hz_indicator_update refuses it (a new indicator is the way).

CREATE OR REPLACE FUNCTION hz_period_type_error(v jsonb, optional boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
        WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') NOT IN ('month', 'quarter', 'year')
            THEN format('unknown period type %s (want month, quarter or year)',
                        hz_quote(coalesce(v #>> '{}', '')))
    END
$$;

CREATE OR REPLACE FUNCTION hz_aggregation_error(v jsonb, optional boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
        WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') NOT IN ('sum', 'last', 'max', 'avg')
            THEN format('unknown aggregation %s (want sum, last, max or avg)',
                        hz_quote(coalesce(v #>> '{}', '')))
    END
$$;

-- The unit a value is counted in (篇, 人): like a name, but optional on update.
CREATE OR REPLACE FUNCTION hz_indicator_unit_error(v jsonb, optional boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
                ELSE hz_name_error(v) END
$$;

CREATE OR REPLACE FUNCTION hz_indicator_not_found(code text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('NOT_FOUND', format('indicator %s is not defined', hz_quote(code)))
$$;

-- Values ever held for the indicator, every record counted once (retracted
-- and superseded versions are history too).
CREATE OR REPLACE FUNCTION hz_indicator_value_count(code text)
RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(DISTINCT record_id) FROM indicator_value WHERE indicator_code = code
$$;

-- ----------------------------------------------------------- indicator add --
-- Argument: principal, code, name, unit, period_type, aggregation.
-- Result: {"status":"OK","created":bool}.
CREATE OR REPLACE FUNCTION hz_indicator_add(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'add indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', hz_name_error(p->'name'),
                                            'unit', hz_indicator_unit_error(p->'unit', false),
                                            'period_type', hz_period_type_error(p->'period_type', false),
                                            'aggregation', hz_aggregation_error(p->'aggregation', false)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code';
    IF FOUND THEN
        IF (v_old.name, v_old.unit, v_old.period_type, v_old.aggregation)
           = (p->>'name', p->>'unit', p->>'period_type', p->>'aggregation') THEN
            RETURN jsonb_build_object('status', 'OK', 'created', false);
        END IF;
        RETURN hz_fail('ALREADY_EXISTS',
                       format('indicator %s already exists as %s (%s, %s, %s)', hz_quote(v_old.code),
                              hz_quote(v_old.name), v_old.unit, v_old.period_type,
                              v_old.aggregation));
    END IF;
    INSERT INTO indicator (code, name, unit, period_type, aggregation, sort_order)
    VALUES (p->>'code', p->>'name', p->>'unit', p->>'period_type', p->>'aggregation',
            coalesce((SELECT max(sort_order) FROM indicator), 0) + 10);
    PERFORM hz_audit(p, 'indicator_add', p->>'code',
                     jsonb_build_object('name', p->>'name', 'unit', p->>'unit',
                                        'period_type', p->>'period_type',
                                        'aggregation', p->>'aggregation'));
    RETURN jsonb_build_object('status', 'OK', 'created', true);
END
$$;

-- -------------------------------------------------------- indicator update --
-- Argument: principal, code, and any of name, unit, period_type, aggregation
-- (empty: unchanged). Result: {"status":"OK","changed":bool}.
CREATE OR REPLACE FUNCTION hz_indicator_update(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
    v_new indicator;
    v_values bigint;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'update indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', CASE WHEN coalesce(p->>'name', '') <> ''
                                                         THEN hz_name_error(p->'name') END,
                                            'unit', hz_indicator_unit_error(p->'unit', true),
                                            'period_type', hz_period_type_error(p->'period_type', true),
                                            'aggregation', hz_aggregation_error(p->'aggregation', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_indicator_not_found(p->>'code');
    END IF;
    v_new := v_old;
    v_new.name := coalesce(nullif(p->>'name', ''), v_old.name);
    v_new.unit := coalesce(nullif(p->>'unit', ''), v_old.unit);
    v_new.period_type := coalesce(nullif(p->>'period_type', ''), v_old.period_type);
    v_new.aggregation := coalesce(nullif(p->>'aggregation', ''), v_old.aggregation);
    IF v_new = v_old THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    IF (v_new.period_type, v_new.aggregation) <> (v_old.period_type, v_old.aggregation) THEN
        v_values := hz_indicator_value_count(v_old.code);
        IF v_values > 0 THEN
            RETURN hz_fail('FAILED_PRECONDITION',
                           format('indicator %s has %s value(s); its period type (%s) and aggregation (%s) cannot change without rewriting their history; add a new indicator instead',
                                  v_old.code, v_values, v_old.period_type, v_old.aggregation));
        END IF;
    END IF;
    UPDATE indicator SET name = v_new.name, unit = v_new.unit, period_type = v_new.period_type,
                         aggregation = v_new.aggregation
     WHERE code = v_old.code;
    PERFORM hz_audit(p, 'indicator_update', v_old.code,
                     jsonb_build_object(
                         'old', jsonb_build_object('name', v_old.name, 'unit', v_old.unit,
                                                   'period_type', v_old.period_type,
                                                   'aggregation', v_old.aggregation),
                         'new', jsonb_build_object('name', v_new.name, 'unit', v_new.unit,
                                                   'period_type', v_new.period_type,
                                                   'aggregation', v_new.aggregation)));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- -------------------------------------------------------- indicator retire --
-- Argument: principal, code. Values already held stay and still count;
-- hz_submit refuses new ones.
CREATE OR REPLACE FUNCTION hz_indicator_retire(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'retire indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_indicator_not_found(p->>'code');
    END IF;
    IF v_old.retired_at IS NOT NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    UPDATE indicator SET retired_at = now() WHERE code = v_old.code;
    PERFORM hz_audit(p, 'indicator_retire', v_old.code, '{}'::jsonb);
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;
