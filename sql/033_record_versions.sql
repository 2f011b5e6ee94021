-- 033: amend and retract a held record, list a community's records with
-- their versions, and nil reports (docs/period.md). An amend writes version
-- n+1 and clears is_current on version n; a retract stamps the current
-- version. Nothing is overwritten or deleted.

-- The current version of a record, whatever its kind.
CREATE OR REPLACE FUNCTION hz_record_head(rid uuid)
RETURNS TABLE (kind text, unit_id bigint, version int, content jsonb, retracted_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'activity', a.unit_id, a.version, a.content, a.retracted_at
      FROM activity a WHERE a.record_id = rid AND a.is_current
    UNION ALL
    SELECT 'indicator_value', v.unit_id, v.version, v.content, v.retracted_at
      FROM indicator_value v WHERE v.record_id = rid AND v.is_current
    UNION ALL
    SELECT 'honor', h.unit_id, h.version, h.content, h.retracted_at
      FROM honor h WHERE h.record_id = rid AND h.is_current
    LIMIT 1
$$;

-- The record a community acts on, after the checks every such call shares:
-- the principal is an active community, the id is a UUID of a held record,
-- and that record is the community's own. `fail` is set when one fails.
CREATE TYPE hz_record_target AS (
    fail jsonb, unit org_unit, rid uuid, kind text, version int, content jsonb,
    retracted_at timestamptz
);

-- Takes the record's advisory lock (the key hz_submit uses) before reading,
-- so two changes of one record serialise.
CREATE OR REPLACE FUNCTION hz_record_find(p jsonb, verb text)
RETURNS hz_record_target LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_rid text := p->>'record_id';
    t hz_record_target;
    u org_unit;
    h record;
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('only the community that filed a record can %s it; this principal is %s',
                                 verb, hz_principal_label(p)));
        RETURN t;
    END IF;
    SELECT * INTO u FROM org_unit o WHERE o.code = p #>> '{principal,unit}';
    IF NOT FOUND OR u.level <> 'community' OR u.retired_at IS NOT NULL THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('unit %s is not an active community', hz_quote(p #>> '{principal,unit}')));
        RETURN t;
    END IF;
    t.unit := u;
    IF NOT hz_uuid_ok(v_rid) THEN
        t.fail := hz_fail('INVALID_ARGUMENT', format('record_id: invalid UUID %s', hz_quote(v_rid)),
                          jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                              'field', 'record_id', 'reason', 'invalid UUID')));
        RETURN t;
    END IF;
    t.rid := v_rid::uuid;
    PERFORM pg_advisory_xact_lock(hashtextextended('record:' || lower(v_rid), 7443));
    SELECT * INTO h FROM hz_record_head(t.rid);
    IF NOT FOUND THEN
        t.fail := hz_fail('NOT_FOUND', format('record %s not found', v_rid));
        RETURN t;
    END IF;
    IF h.unit_id <> u.id THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('record %s belongs to %s, not to %s; only its own community can %s it',
                                 v_rid, (SELECT o.code FROM org_unit o WHERE o.id = h.unit_id),
                                 u.code, verb));
        RETURN t;
    END IF;
    t.kind := h.kind;
    t.version := h.version;
    t.content := h.content;
    t.retracted_at := h.retracted_at;
    RETURN t;
END
$$;

-- The new content of a record given as exactly one of activity,
-- indicator_value, honor: checked as hz_submit checks a record, with
-- record_id and unit_code filled in when left empty. `fail` on a problem.
CREATE OR REPLACE FUNCTION hz_record_new_content(p jsonb, t hz_record_target,
    OUT fail jsonb, OUT r jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_kinds text[];
    v_errors jsonb;
BEGIN
    SELECT array_agg(k) INTO v_kinds FROM unnest(ARRAY['activity', 'indicator_value', 'honor']) k
     WHERE jsonb_typeof(p->k) = 'object';
    IF coalesce(array_length(v_kinds, 1), 0) <> 1 THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        'give the new content as exactly one record (activity, indicator_value or honor)');
        RETURN;
    END IF;
    IF v_kinds[1] <> t.kind THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        format('record %s is of kind %s; the new content is of kind %s (a record keeps its kind)',
                               t.rid, t.kind, v_kinds[1]));
        RETURN;
    END IF;
    r := p->t.kind;
    IF coalesce(r->>'record_id', '') = '' THEN
        r := r || jsonb_build_object('record_id', t.rid::text);
    ELSIF lower(r->>'record_id') <> t.rid::text THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        format('the new content names record %s, not %s', hz_quote(r->>'record_id'), t.rid));
        RETURN;
    END IF;
    IF coalesce(r->>'unit_code', '') = '' THEN
        r := r || jsonb_build_object('unit_code', (t.unit).code);
    ELSIF r->>'unit_code' <> (t.unit).code THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('unit %s is not your unit %s', hz_quote(r->>'unit_code'), hz_quote((t.unit).code)));
        RETURN;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', t.kind, 'index', 0, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n)
      INTO v_errors
      FROM (SELECT * FROM hz_activity_errors(r) WHERE t.kind = 'activity'
            UNION ALL SELECT * FROM hz_indicator_value_errors(r) WHERE t.kind = 'indicator_value'
            UNION ALL SELECT * FROM hz_honor_errors(r) WHERE t.kind = 'honor') e;
    IF v_errors IS NOT NULL THEN
        fail := hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
END
$$;

-- An indicator value may not take a period already held by another live
-- record of the community. The message, or NULL.
CREATE OR REPLACE FUNCTION hz_record_slot_taken(t hz_record_target, r jsonb)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('indicator %s for %s is already recorded as record %s', r->>'indicator',
                  r->>'period', v.record_id)
    FROM indicator_value v
    WHERE t.kind = 'indicator_value' AND v.unit_id = (t.unit).id
      AND v.indicator_code = r->>'indicator' AND v.period = r->>'period'
      AND v.is_current AND v.retracted_at IS NULL AND v.record_id <> t.rid
    LIMIT 1
$$;

-- Writes r as the next version of the record and returns its number. The
-- caller has checked everything; `sub` is the submission it belongs to.
CREATE OR REPLACE FUNCTION hz_record_write_version(t hz_record_target, r jsonb, sub uuid)
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v int := t.version + 1;
BEGIN
    IF t.kind = 'activity' THEN
        UPDATE activity SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO activity (record_id, version, unit_id, submission_id, date, category_code, title,
                              location, participants, participants_at_least, partners,
                              organiser, summary, tags, beneficiaries, content)
        VALUES (t.rid, v, (t.unit).id, sub, (r->>'date')::date, r->>'category', r->>'title',
                coalesce(r->>'location', ''), coalesce(hz_json_bigint(r->'participants'), 0),
                coalesce((r->>'participants_at_least')::boolean, false),
                hz_json_texts(r->'partners'), coalesce(r->>'organiser', ''),
                coalesce(r->>'summary', ''), hz_json_texts(r->'tags'),
                hz_json_texts(r->'beneficiaries'), r);
    ELSIF t.kind = 'indicator_value' THEN
        UPDATE indicator_value SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO indicator_value (record_id, version, unit_id, submission_id, indicator_code,
                                     period, period_type, period_start, value, note, content)
        VALUES (t.rid, v, (t.unit).id, sub, r->>'indicator', r->>'period',
                hz_period_type(r->>'period'), hz_period_start(r->>'period'),
                coalesce(hz_json_numeric(r->'value'), 0)::double precision,
                coalesce(r->>'note', ''), r);
    ELSE
        UPDATE honor SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO honor (record_id, version, unit_id, submission_id, date_start, date_precision,
                           title, level, issuer, category_code, recipient, content)
        SELECT t.rid, v, (t.unit).id, sub, d.start, d.prec, r->>'title',
               coalesce(r->>'level', ''), coalesce(r->>'issuer', ''),
               nullif(r->>'category', ''), coalesce(r->>'recipient', ''), r
        FROM hz_parse_partial_date(r->>'date') d;
    END IF;
    RETURN v;
END
$$;

CREATE OR REPLACE FUNCTION hz_record_write_retract(t hz_record_target, reason text)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    UPDATE activity SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'activity' AND record_id = t.rid AND is_current;
    UPDATE indicator_value SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'indicator_value' AND record_id = t.rid AND is_current;
    UPDATE honor SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'honor' AND record_id = t.rid AND is_current;
END
$$;

-- A submission row for one changed record (who, from where, when).
CREATE OR REPLACE FUNCTION hz_record_submission(p jsonb, unit bigint)
RETURNS uuid LANGUAGE sql VOLATILE AS $$
    INSERT INTO submission (unit_id, role, fingerprint, peer, record_count)
    VALUES (unit, coalesce(p #>> '{principal,role}', ''),
            coalesce(p #>> '{principal,fingerprint}', ''),
            coalesce(p #>> '{principal,peer}', ''), 1)
    RETURNING id
$$;

CREATE OR REPLACE FUNCTION hz_record_changed(t hz_record_target, version int, changed boolean)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('status', 'OK', 'record_id', t.rid::text, 'version', version,
                              'changed', changed)
$$;

-- ------------------------------------------------------------------ amend --
-- Argument: principal, record_id, and the full new content as one of
-- activity, indicator_value, honor. The same content again is OK with
-- changed=false and writes nothing.
CREATE OR REPLACE FUNCTION hz_amend(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t hz_record_target;
    n record;
    v_msg text;
    v int;
BEGIN
    t := hz_record_find(p, 'amend');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    n := hz_record_new_content(p, t);
    IF n.fail IS NOT NULL THEN
        RETURN n.fail;
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s was retracted on %s; file a new record instead', t.rid,
                              hz_ts_text(t.retracted_at)));
    END IF;
    IF hz_canon(t.content) = hz_canon(n.r) THEN
        RETURN hz_record_changed(t, t.version, false);
    END IF;
    v_msg := coalesce(hz_record_lock((t.unit).id, t.kind, t.content),
                      hz_record_lock((t.unit).id, t.kind, n.r));
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s)', t.rid));
    END IF;
    IF t.kind = 'indicator_value' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(
            format('slot:%s:%s:%s', (t.unit).id, n.r->>'indicator', n.r->>'period'), 7443));
    END IF;
    v_msg := hz_record_slot_taken(t, n.r);
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('ALREADY_EXISTS', v_msg || '; amend or retract that record instead');
    END IF;
    v := hz_record_write_version(t, n.r, hz_record_submission(p, (t.unit).id));
    PERFORM hz_audit(p, 'amend', t.rid::text, jsonb_build_object('kind', t.kind, 'version', v));
    RETURN hz_record_changed(t, v, true);
END
$$;

-- ---------------------------------------------------------------- retract --
-- Argument: principal, record_id, reason (required). Retracting a retracted
-- record is OK with changed=false.
CREATE OR REPLACE FUNCTION hz_retract(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t hz_record_target;
    v_msg text;
BEGIN
    t := hz_record_find(p, 'retract');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    IF btrim(coalesce(p->>'reason', '')) = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the record is retracted)');
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_record_changed(t, t.version, false);
    END IF;
    v_msg := hz_record_lock((t.unit).id, t.kind, t.content);
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s --retract)', t.rid));
    END IF;
    PERFORM hz_record_write_retract(t, p->>'reason');
    PERFORM hz_audit(p, 'retract', t.rid::text,
                     jsonb_build_object('kind', t.kind, 'version', t.version, 'reason', p->>'reason'));
    RETURN hz_record_changed(t, t.version, true);
END
$$;

-- ------------------------------------------------------------------- list --
-- Argument: principal (a community), year, category (optional), versions.
-- The community's own records of the year: an activity by its date, an
-- honour by its first day, an indicator value by its period's start.
CREATE OR REPLACE FUNCTION hz_record_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_unit org_unit;
    v_year int := hz_json_bigint(p->'year');
    v_cat text := nullif(p->>'category', '');
    v_all boolean := coalesce((p->>'versions')::boolean, false);
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
    IF v_year IS NULL OR v_year NOT BETWEEN 1000 AND 9999 THEN
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
            UNION ALL
            SELECT 'indicator_value', v.record_id, v.version, v.is_current, v.retracted_at,
                   v.created_at, v.content, v.period_start
              FROM indicator_value v
             WHERE v.unit_id = v_unit.id AND extract(year FROM v.period_start) = v_year
               AND v_cat IS NULL
            UNION ALL
            SELECT 'honor', h.record_id, h.version, h.is_current, h.retracted_at,
                   h.created_at, h.content, h.date_start
              FROM honor h
             WHERE h.unit_id = v_unit.id AND extract(year FROM h.date_start) = v_year
               AND (v_cat IS NULL OR h.category_code = v_cat)
        ) x
        WHERE v_all OR x.is_current), '[]'::jsonb));
END
$$;

-- -------------------------------------------------------------------- nil --
-- Argument: principal (a community), period, indicators (empty: every
-- active indicator recorded per the period's type). Declaring again is OK
-- and counted as unchanged.
CREATE OR REPLACE FUNCTION hz_nil_report(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_unit org_unit;
    v_period text := p->>'period';
    v_type text := hz_period_type(p->>'period');
    v_codes text[];
    v_errors jsonb;
    v_msg text;
    v_new int;
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('only a community can declare nothing to report; this principal is %s',
                              hz_principal_label(p)));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = p #>> '{principal,unit}';
    IF NOT FOUND OR v_unit.level <> 'community' OR v_unit.retired_at IS NOT NULL THEN
        RETURN hz_fail('PERMISSION_DENIED', 'the principal''s unit is not an active community');
    END IF;
    IF v_type IS NULL THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       format('period: invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)', hz_quote(v_period)));
    END IF;
    v_codes := hz_json_texts(p->'indicators');
    IF cardinality(v_codes) = 0 THEN
        SELECT array_agg(code ORDER BY sort_order) INTO v_codes FROM indicator
         WHERE period_type = v_type AND retired_at IS NULL;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', c.o - 1, 'field', 'indicators',
               'reason', CASE WHEN i.code IS NULL THEN format('unknown indicator %s', hz_quote(c.code))
                              ELSE format('period %s is a %s, but indicator %s is recorded per %s (e.g. "%s")',
                                          hz_quote(v_period), v_type, i.code, i.period_type,
                                          hz_period_example(i.period_type, hz_period_start(v_period))) END)
               ORDER BY c.o)
      INTO v_errors
      FROM unnest(v_codes) WITH ORDINALITY c(code, o)
      LEFT JOIN indicator i ON i.code = c.code
     WHERE i.code IS NULL OR i.period_type <> v_type;
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
    SELECT hz_lock_message(l) INTO v_msg
      FROM hz_lock_covering(v_unit.id, hz_period_start(v_period), hz_period_end(v_period)) l;
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION', v_msg || '; nothing was written');
    END IF;
    SELECT format('indicator %s for %s already has a value (record %s); retract it first to declare nothing',
                  v.indicator_code, v_period, v.record_id)
      INTO v_msg
      FROM indicator_value v
     WHERE v.unit_id = v_unit.id AND v.period = v_period AND v.indicator_code = ANY (v_codes)
       AND v.is_current AND v.retracted_at IS NULL
     LIMIT 1;
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION', v_msg);
    END IF;
    INSERT INTO nil_report (unit_id, indicator_code, period, period_start, fingerprint, peer)
    SELECT v_unit.id, c, v_period, hz_period_start(v_period),
           coalesce(p #>> '{principal,fingerprint}', ''), coalesce(p #>> '{principal,peer}', '')
      FROM unnest(v_codes) c
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_new = ROW_COUNT;
    IF v_new > 0 THEN
        PERFORM hz_audit(p, 'nil', v_period, jsonb_build_object('indicators', to_jsonb(v_codes)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'created', v_new,
                              'unchanged', cardinality(v_codes) - v_new);
END
$$;
