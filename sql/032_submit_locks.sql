-- 032: hz_submit, built from the parts in 004: principal, shape,
-- permission, fields, then period locks (a new record that falls in a locked
-- period is FAILED_PRECONDITION naming the lock; errors list each record),
-- then the comparison with what is held and the writes; a submission that
-- wrote something is audited. sql/README.md has the contract.

CREATE OR REPLACE FUNCTION hz_submit(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
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
                                            'reason', hz_lock_message(v_locks[x.k])) ORDER BY x.pos)
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
