-- 090: refusals carry a reason code and its arguments (Response.info,
-- FieldError.info in proto/huizong.proto, the shape of google.rpc.ErrorInfo)
-- besides the English message, so a client shows them in its user's
-- language. A refusal result gains
--     "info": {"reason": "PERIOD_LOCKED", "metadata": {"period": "2020", ...}}
-- and so may each of its "errors". Units are named in the metadata by code
-- and by name (unit / unit_name), so a person reads 示范区委宣传部 where the
-- English says "district". The reasons are listed in docs/i18n.md; a
-- refusal without one is shown with its English message.
SET search_path = public, hz_private, pg_temp;

-- A refusal with its reason code and arguments (metadata: a JSON object of
-- strings; NULL members are left out).
CREATE OR REPLACE FUNCTION hz_private.hz_fail_info(status text, message text, reason text,
                                                   metadata jsonb, errors jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail(status, message, errors)
        || jsonb_build_object('info', jsonb_build_object('reason', reason,
                                                         'metadata', jsonb_strip_nulls(coalesce(metadata, '{}'))))
$$;

-- The name of a unit by its code; NULL when there is none.
CREATE OR REPLACE FUNCTION hz_private.hz_unit_name(code text)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT name FROM org_unit WHERE org_unit.code = hz_unit_name.code
$$;

-- PERIOD_LOCKED: which period, for which unit, since when and by whom (the
-- principal as recorded, and the unit that principal speaks for).
CREATE OR REPLACE FUNCTION hz_private.hz_lock_info(l period_lock)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('reason', 'PERIOD_LOCKED', 'metadata', jsonb_strip_nulls(jsonb_build_object(
        'period', l.period,
        'unit', u.code, 'unit_name', u.name,
        'locked_at', hz_ts_text(l.locked_at),
        'locked_by', l.locked_by,
        'locked_by_unit', b.code, 'locked_by_unit_name', b.name,
        'locked_by_admin', CASE WHEN l.locked_by_admin THEN 'true' END)))
    FROM org_unit u
    LEFT JOIN org_unit b ON b.id = coalesce(l.locked_by_unit_id, CASE WHEN NOT l.locked_by_admin THEN l.unit_id END)
    WHERE u.id = l.unit_id
$$;

-- fail with its reason: fail || {"info": info}; fail alone when info is NULL.
CREATE OR REPLACE FUNCTION hz_private.hz_with_info(fail jsonb, info jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN info IS NULL THEN fail ELSE fail || jsonb_build_object('info', info) END
$$;

-- The lock that keeps a record of this kind and content from being written
-- for the unit now (hz_record_lock's, as a row); NULL when none does.
CREATE OR REPLACE FUNCTION hz_private.hz_record_lock_covering(unit bigint, kind text, r jsonb)
RETURNS period_lock LANGUAGE sql STABLE AS $$
    SELECT l
    FROM hz_record_span(kind, r) s
    CROSS JOIN LATERAL hz_lock_covering(unit, s.start, s.finish) l
    WHERE s.start IS NOT NULL
$$;

-- PERIOD_LOCKED of a refused change, with the command that asks for it
-- instead (correct_with; NULL: nothing was written and there is no such
-- command). NULL when l is NULL.
CREATE OR REPLACE FUNCTION hz_private.hz_lock_info_for(l period_lock, correct_with text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN l.id IS NULL THEN NULL
                ELSE jsonb_set(i, '{metadata}', (i->'metadata')
                     || jsonb_strip_nulls(jsonb_build_object('correct_with', correct_with,
                                                             'nothing_written', 'true'))) END
    FROM hz_lock_info(l) i
$$;

-- 005's hz_target_unit, its refusals with reasons: UNIT_NOT_FOUND {unit},
-- UNIT_OUT_OF_REACH {unit, unit_name, scope, scope_name}.
CREATE OR REPLACE FUNCTION hz_private.hz_target_unit(p jsonb, code text,
    OUT fail jsonb, OUT unit org_unit)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := coalesce(nullif(code, ''), p #>> '{principal,unit}');
    v_scope text := p #>> '{principal,unit}';
BEGIN
    SELECT * INTO unit FROM org_unit o WHERE o.code = v_code;
    IF NOT FOUND THEN
        IF NOT (coalesce((p #>> '{principal,role}') = 'admin', false) AND nullif(code, '') IS NULL) THEN
            fail := hz_fail_info('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)),
                                 'UNIT_NOT_FOUND', jsonb_build_object('unit', v_code));
        END IF;
    ELSIF NOT hz_in_reach(p, unit.id) THEN
        fail := hz_fail_info('PERMISSION_DENIED',
                             format('unit %s is outside the subtree of %s', hz_quote(v_code), v_scope),
                             'UNIT_OUT_OF_REACH',
                             jsonb_build_object('unit', v_code, 'unit_name', unit.name,
                                                'scope', v_scope, 'scope_name', hz_unit_name(v_scope)));
    END IF;
END
$$;

-- 010's hz_require_admin, with ADMIN_REQUIRED {action (the English verb
-- phrase), role, unit, unit_name}.
CREATE OR REPLACE FUNCTION hz_private.hz_require_admin(p jsonb, what text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN (p #>> '{principal,role}') IS DISTINCT FROM 'admin'
        THEN hz_fail_info('PERMISSION_DENIED',
                     format('only an administrator can %s; this certificate is %s for %s', what,
                            coalesce(nullif(p #>> '{principal,role}', ''), 'no role'),
                            hz_quote(coalesce(p #>> '{principal,unit}', ''))),
                     'ADMIN_REQUIRED',
                     jsonb_build_object('action', what, 'role', nullif(p #>> '{principal,role}', ''),
                                        'unit', p #>> '{principal,unit}',
                                        'unit_name', hz_unit_name(p #>> '{principal,unit}')))
    END
$$;

-- 052's lock check of a submit, unchanged but for the reason code of a
-- record in a locked period (each field error gets PERIOD_LOCKED with the
-- lock's arguments).
CREATE OR REPLACE FUNCTION hz_private.hz_submit_lock_errors(recs hz_incoming[], locks period_lock[])
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'index', x.idx,
                                        'field', CASE x.kind WHEN 'indicator_value' THEN 'period'
                                                             ELSE 'date' END,
                                        'reason', hz_lock_message(locks[x.k]),
                                        'info', hz_lock_info(locks[x.k])) ORDER BY x.pos)
    FROM (SELECT DISTINCT ON (i.pos) i.pos, i.kind, i.idx, k
            FROM unnest(recs) i
            CROSS JOIN LATERAL (SELECT CASE i.kind
                    WHEN 'indicator_value' THEN hz_period_start(i.r->>'period')
                    WHEN 'activity' THEN (i.r->>'date')::date
                    ELSE (CASE length(i.r->>'date') WHEN 4 THEN (i.r->>'date') || '-01-01'
                                                    WHEN 7 THEN (i.r->>'date') || '-01'
                                                    ELSE i.r->>'date' END)::date
                END AS start) s
            CROSS JOIN LATERAL (SELECT CASE i.kind
                    WHEN 'indicator_value' THEN hz_period_end(i.r->>'period')
                    ELSE s.start + 1 END AS finish) f
            JOIN generate_subscripts(locks, 1) k
              ON (locks[k]).period_start < f.finish AND (locks[k]).period_end > s.start
           WHERE i.state = 'new'
           ORDER BY i.pos, k
           LIMIT 100) x
$$;

-- 033's hz_amend, hz_retract and hz_nil_report, unchanged but for the reason
-- code of a change refused by a lock (PERIOD_LOCKED, with correct_with: the
-- correction to file instead).
CREATE OR REPLACE FUNCTION public.hz_amend(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
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
        RETURN hz_with_info(hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s)', t.rid)),
                       hz_lock_info_for(coalesce(hz_record_lock_covering((t.unit).id, t.kind, t.content),
                                                 hz_record_lock_covering((t.unit).id, t.kind, n.r)),
                                        format('huizong correct %s', t.rid)));
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

CREATE OR REPLACE FUNCTION public.hz_retract(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
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
        RETURN hz_with_info(hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s --retract)', t.rid)),
                       hz_lock_info_for(hz_record_lock_covering((t.unit).id, t.kind, t.content),
                                        format('huizong correct %s --retract', t.rid)));
    END IF;
    PERFORM hz_record_write_retract(t, p->>'reason');
    PERFORM hz_audit(p, 'retract', t.rid::text,
                     jsonb_build_object('kind', t.kind, 'version', t.version, 'reason', p->>'reason'));
    RETURN hz_record_changed(t, t.version, true);
END
$$;

CREATE OR REPLACE FUNCTION public.hz_nil_report(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_unit org_unit;
    v_period text := p->>'period';
    v_type text := hz_period_type(p->>'period');
    v_codes text[];
    v_errors jsonb;
    v_msg text;
    v_info jsonb;
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
    SELECT hz_lock_message(l), hz_lock_info_for(l, NULL) INTO v_msg, v_info
      FROM hz_lock_covering(v_unit.id, hz_period_start(v_period), hz_period_end(v_period)) l;
    IF v_msg IS NOT NULL THEN
        RETURN hz_with_info(hz_fail('FAILED_PRECONDITION', v_msg || '; nothing was written'), v_info);
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
