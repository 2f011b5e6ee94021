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

-- 032's hz_submit, unchanged but for the reason code of a record in a locked
-- period (each field error gets PERIOD_LOCKED with the lock's arguments).
CREATE OR REPLACE FUNCTION public.hz_submit(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := p #>> '{principal,unit}';
    v_unit org_unit;
    v_recs hz_incoming[];
    v_errors jsonb;
    v_new int;
    v_dup int;
    v_sub uuid;
    v_written bigint;
    v_locks period_lock[];
BEGIN
    IF v_role IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('only a community can submit records; this principal is %s',
                              coalesce(v_role, 'without a role')));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF v_unit.level <> 'community' OR v_unit.retired_at IS NOT NULL THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is %s; only an active community can submit records',
                              hz_quote(v_code),
                              CASE WHEN v_unit.retired_at IS NOT NULL THEN 'retired'
                                   ELSE 'a ' || v_unit.level END));
    END IF;

    v_errors := hz_submit_shape_errors(p);
    IF v_errors IS NOT NULL THEN
        RETURN hz_submit_refused(v_errors);
    END IF;
    v_recs := hz_submit_incoming(p);

    SELECT jsonb_agg(jsonb_build_object(
               'kind', i.kind, 'index', i.idx, 'field', 'unit_code',
               'reason', format('unit %s is not your unit %s', hz_quote(i.r->>'unit_code'),
                                hz_quote(v_code)))
           ORDER BY i.pos)
      INTO v_errors
      FROM unnest(v_recs) i
     WHERE (i.r->>'unit_code') IS DISTINCT FROM v_code;
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('PERMISSION_DENIED', v_errors);
    END IF;

    v_errors := hz_submit_field_errors(v_recs);
    IF v_errors IS NOT NULL THEN
        RETURN hz_submit_refused(v_errors);
    END IF;

    PERFORM hz_submit_lock(v_recs, v_unit.id);
    v_recs := hz_submit_classify(v_recs, v_unit.id);

    SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'index', i.idx, 'field', i.field,
                                        'reason', i.reason) ORDER BY i.pos)
      INTO v_errors
      FROM unnest(v_recs) i WHERE i.state = 'conflict';
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('ALREADY_EXISTS', v_errors);
    END IF;

    -- A new record in a locked period is refused; resending what is held
    -- (a duplicate) stays OK, since it changes nothing. The locks of the
    -- unit and its ancestors are read once; most batches meet none.
    SELECT array_agg(l ORDER BY l.locked_at, l.id) INTO v_locks
      FROM hz_unit_ancestors(v_unit.id) a
      JOIN period_lock l ON l.unit_id = a.id AND l.unlocked_at IS NULL;
    IF v_locks IS NOT NULL THEN
        -- Spans are computed inline (the fields were checked above): a
        -- function call per record made a 5000-record batch a third slower.
        SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'index', x.idx,
                                            'field', CASE x.kind WHEN 'indicator_value' THEN 'period'
                                                                 ELSE 'date' END,
                                            'reason', hz_lock_message(v_locks[x.k]),
                                            'info', hz_lock_info(v_locks[x.k])) ORDER BY x.pos)
          INTO v_errors
          FROM (SELECT DISTINCT ON (i.pos) i.pos, i.kind, i.idx, k
                  FROM unnest(v_recs) i
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
                  JOIN generate_subscripts(v_locks, 1) k
                    ON (v_locks[k]).period_start < f.finish AND (v_locks[k]).period_end > s.start
                 WHERE i.state = 'new'
                 ORDER BY i.pos, k
                 LIMIT 100) x;
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail('FAILED_PRECONDITION',
                           format('%s; nothing was written (a change there needs a correction request)',
                                  v_errors->0->>'reason'),
                           v_errors);
        END IF;
    END IF;

    SELECT count(*) FILTER (WHERE i.state = 'new'), count(*) FILTER (WHERE i.state = 'duplicate')
      INTO v_new, v_dup
      FROM unnest(v_recs) i;
    IF v_new = 0 THEN
        RETURN jsonb_build_object('status', 'OK', 'accepted', 0, 'duplicates', v_dup,
                                  'submission_id', '');
    END IF;

    INSERT INTO submission (unit_id, role, fingerprint, peer, record_count)
    VALUES (v_unit.id, v_role, coalesce(p #>> '{principal,fingerprint}', ''),
            coalesce(p #>> '{principal,peer}', ''), v_new)
    RETURNING id INTO v_sub;

    v_written := hz_submit_insert(v_recs, v_unit.id, v_sub);
    IF v_written <> v_new THEN
        -- Only a writer that bypassed hz_submit_lock can get here; the whole
        -- call is undone and may be retried.
        RAISE EXCEPTION 'hz_submit: % of % new records were written concurrently by another transaction',
                        v_new - v_written, v_new
              USING ERRCODE = 'HZ001';
    END IF;

    PERFORM hz_audit(p, 'submit', v_sub::text,
                     jsonb_build_object('accepted', v_new, 'duplicates', v_dup));
    RETURN jsonb_build_object('status', 'OK', 'accepted', v_new, 'duplicates', v_dup,
                              'submission_id', v_sub::text);
END
$$;
