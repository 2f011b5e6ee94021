-- 052: hz_submit without a lock per record (docs/database.md "The write
-- path"). What changes against 032:
--
-- * Idempotency and conflicts are settled by the unique indexes: every
--   record is inserted with INSERT ... ON CONFLICT DO NOTHING (the primary
--   key (record_id, version), the live-record index and the indicator slot
--   index), and only the records that did not go in are compared with what
--   is held. A concurrent writer of the same id waits on the index entry,
--   not on a lock of ours, so the lock table no longer grows with a batch.
-- * Serialisation is per community: one advisory lock per batch, on its
--   unit (every record of a batch is its own unit's).
-- * A valid batch pays one set-based test of its fields
--   (hz_submit_fields_ok); the per-field messages (004) are built only when
--   that test fails.
-- * A record held at a later version (it was amended) and sent again with
--   the content of an earlier version is "superseded": counted, not written,
--   and not a conflict.
-- * A refusal found after the inserts (a conflict, a locked period) undoes
--   them by leaving a sub-transaction, so any status other than OK still
--   has written nothing.
SET search_path = public, hz_private, pg_temp;

-- True when every record passes what hz_submit_field_errors checks (the
-- same rules, as one boolean per record); false when it might not, which
-- makes the caller build the exact messages. It must never say true where
-- hz_submit_field_errors would find an error.
CREATE OR REPLACE FUNCTION hz_private.hz_submit_fields_ok(recs hz_incoming[])
RETURNS boolean LANGUAGE sql STABLE AS $$
    WITH i AS (SELECT * FROM unnest(recs))
    SELECT coalesce(bool_and(ok), true)
           AND (SELECT count(DISTINCT lower(i.rid)) = count(*) FROM i)
           AND (SELECT count(DISTINCT (i.r->>'indicator', i.r->>'period')) = count(*)
                  FROM i WHERE i.kind = 'indicator_value')
    FROM (
        SELECT (jsonb_typeof(i.r->'record_id') = 'string' AND hz_uuid_ok(i.rid)
                AND CASE i.kind
                    WHEN 'activity' THEN
                        jsonb_typeof(i.r->'date') = 'string' AND hz_date_ok(i.r->>'date')
                        AND jsonb_typeof(i.r->'category') = 'string'
                        AND c.code IS NOT NULL AND c.retired_at IS NULL
                        AND jsonb_typeof(i.r->'title') = 'string' AND i.r->>'title' <> ''
                        AND coalesce(jsonb_typeof(i.r->'location'), 'null') IN ('string', 'null')
                        AND CASE coalesce(jsonb_typeof(i.r->'participants'), 'null')
                                WHEN 'null' THEN true
                                WHEN 'number' THEN (i.r->>'participants')::numeric >= 0
                                     AND (i.r->>'participants')::numeric
                                         = trunc((i.r->>'participants')::numeric)
                                     AND (i.r->>'participants')::numeric <= 9223372036854775807
                                ELSE hz_json_bigint(i.r->'participants') >= 0 END
                        AND coalesce(jsonb_typeof(i.r->'participants_at_least'), 'null')
                            IN ('boolean', 'null')
                        AND (coalesce(i.r->'partners' = '[]', true) OR hz_json_is_texts(i.r->'partners'))
                        AND coalesce(jsonb_typeof(i.r->'organiser'), 'null') IN ('string', 'null')
                        AND coalesce(jsonb_typeof(i.r->'summary'), 'null') IN ('string', 'null')
                        AND (coalesce(i.r->'tags' = '[]', true) OR hz_json_is_texts(i.r->'tags'))
                        AND (coalesce(i.r->'beneficiaries' = '[]', true) OR hz_json_is_texts(i.r->'beneficiaries'))
                    WHEN 'indicator_value' THEN
                        jsonb_typeof(i.r->'indicator') = 'string'
                        AND n.code IS NOT NULL AND n.retired_at IS NULL
                        AND jsonb_typeof(i.r->'period') = 'string'
                        AND hz_period_type(i.r->>'period') = n.period_type
                        AND (coalesce(jsonb_typeof(i.r->'value'), 'null') = 'null'
                             OR (hz_json_numeric(i.r->'value') >= 0
                                 AND hz_json_numeric(i.r->'value') < 1e300))
                        AND coalesce(jsonb_typeof(i.r->'note'), 'null') IN ('string', 'null')
                    ELSE
                        jsonb_typeof(i.r->'date') = 'string'
                        AND (hz_parse_partial_date(i.r->>'date')).start IS NOT NULL
                        AND jsonb_typeof(i.r->'title') = 'string' AND i.r->>'title' <> ''
                        AND coalesce(jsonb_typeof(i.r->'level'), 'null') IN ('string', 'null')
                        AND coalesce(i.r->>'level', '')
                            IN ('', 'street', 'district', 'city', 'province', 'national')
                        AND coalesce(jsonb_typeof(i.r->'issuer'), 'null') IN ('string', 'null')
                        AND coalesce(jsonb_typeof(i.r->'recipient'), 'null') IN ('string', 'null')
                        AND coalesce(jsonb_typeof(i.r->'category'), 'null') IN ('string', 'null')
                        AND (coalesce(i.r->>'category', '') = ''
                             OR (c.code IS NOT NULL AND c.retired_at IS NULL))
                END) IS TRUE AS ok
        FROM i
        LEFT JOIN category c ON i.kind <> 'indicator_value' AND c.code = i.r->>'category'
        LEFT JOIN indicator n ON i.kind = 'indicator_value' AND n.code = i.r->>'indicator'
    ) v
$$;

-- The outcome of every record that the inserts skipped: the id is held
-- with the same content (duplicate), held at a later version whose earlier
-- version has this content (superseded), or else a conflict naming the
-- record and why. The order of `recs` is kept.
CREATE OR REPLACE FUNCTION hz_private.hz_submit_classify_skipped(recs hz_incoming[], unit_id bigint)
RETURNS hz_incoming[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(ROW(i.kind, i.idx, i.pos, i.rid, i.r,
        CASE WHEN x.kind = i.kind AND x.unit_id = hz_submit_classify_skipped.unit_id
                  AND (x.content = i.r OR hz_canon(x.content) = hz_canon(i.r)) THEN 'duplicate'
             WHEN x.kind = i.kind AND x.unit_id = hz_submit_classify_skipped.unit_id
                  AND e.found THEN 'superseded'
             ELSE 'conflict' END,
        CASE WHEN x.kind IS NULL AND s.record_id IS NOT NULL THEN 'period' ELSE 'record_id' END,
        CASE WHEN x.kind IS NULL AND s.record_id IS NOT NULL
                 THEN format('indicator %s for %s is already recorded as record %s; amend that record instead',
                             i.r->>'indicator', i.r->>'period', s.record_id)
             WHEN x.kind IS NULL
                 THEN format('record_id %s was written by a concurrent submission; send the batch again',
                             i.rid)
             WHEN x.kind IS DISTINCT FROM i.kind
                 THEN format('record_id %s is already used by a record of kind %s', i.rid, x.kind)
             ELSE format('record_id %s is already recorded (%s) with other content; changing it needs an amend',
                         i.rid, to_char(x.created_at, 'YYYY-MM-DD HH24:MI:SS'))
        END)::hz_incoming ORDER BY i.pos), '{}')
    FROM unnest(recs) i
    LEFT JOIN LATERAL hz_record_current(i.rid::uuid) x ON true
    LEFT JOIN LATERAL (
        SELECT v.record_id FROM indicator_value v
        WHERE i.kind = 'indicator_value' AND x.kind IS NULL
          AND v.unit_id = hz_submit_classify_skipped.unit_id
          AND v.indicator_code = i.r->>'indicator' AND v.period = i.r->>'period'
          AND v.is_current AND v.retracted_at IS NULL
    ) s ON true
    LEFT JOIN LATERAL (
        SELECT true AS found FROM (
            SELECT a.content FROM activity a
             WHERE i.kind = 'activity' AND a.record_id = i.rid::uuid AND NOT a.is_current
            UNION ALL
            SELECT v.content FROM indicator_value v
             WHERE i.kind = 'indicator_value' AND v.record_id = i.rid::uuid AND NOT v.is_current
            UNION ALL
            SELECT h.content FROM honor h
             WHERE i.kind = 'honor' AND h.record_id = i.rid::uuid AND NOT h.is_current
        ) old
        WHERE x.kind = i.kind AND hz_canon(old.content) = hz_canon(i.r)
        LIMIT 1
    ) e ON true
$$;

-- The records of the batch whose id went into one kind's table while another
-- kind's table holds it: each table's own indexes cannot see that.
CREATE OR REPLACE FUNCTION hz_private.hz_submit_kind_clash(recs hz_incoming[], written uuid[])
RETURNS hz_incoming[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(ROW(i.kind, i.idx, i.pos, i.rid, i.r, 'conflict', 'record_id',
               format('record_id %s is already used by a record of kind %s', i.rid, o.kind))::hz_incoming
               ORDER BY i.pos), '{}')
    FROM unnest(recs) i
    CROSS JOIN LATERAL (
        SELECT 'activity' AS kind FROM activity a
         WHERE i.kind <> 'activity' AND a.record_id = i.rid::uuid AND a.is_current
        UNION ALL
        SELECT 'indicator_value' FROM indicator_value v
         WHERE i.kind <> 'indicator_value' AND v.record_id = i.rid::uuid AND v.is_current
        UNION ALL
        SELECT 'honor' FROM honor h
         WHERE i.kind <> 'honor' AND h.record_id = i.rid::uuid AND h.is_current
        LIMIT 1
    ) o
    JOIN unnest(written) w(id) ON w.id = i.rid::uuid
$$;

-- Inserts every record of the batch that its table's unique indexes let in,
-- in record_id order (two writers of overlapping ids wait on each other in
-- the same order, so they cannot deadlock); returns the ids written. The
-- one place where a record becomes a row (a record that says its
-- participant count is unknown is made a NULL `participants` by the trigger
-- activity_count_known, 060, which also covers amends and corrections).
CREATE OR REPLACE FUNCTION hz_private.hz_submit_insert_new(recs hz_incoming[], unit_id bigint, sub uuid)
RETURNS uuid[] LANGUAGE sql VOLATILE AS $$
    WITH a AS (
        INSERT INTO activity (record_id, unit_id, submission_id, date, category_code, title,
                              location, participants, participants_at_least, partners,
                              organiser, summary, tags, beneficiaries, content)
        SELECT i.rid::uuid, hz_submit_insert_new.unit_id, sub, (i.r->>'date')::date,
               i.r->>'category', i.r->>'title', coalesce(i.r->>'location', ''),
               CASE jsonb_typeof(i.r->'participants')
                   WHEN 'number' THEN (i.r->>'participants')::numeric::bigint
                   ELSE coalesce(hz_json_bigint(i.r->'participants'), 0) END,
               coalesce((i.r->>'participants_at_least')::boolean, false),
               CASE WHEN coalesce(i.r->'partners' = '[]', true) THEN '{}' ELSE hz_json_texts(i.r->'partners') END, coalesce(i.r->>'organiser', ''),
               coalesce(i.r->>'summary', ''), CASE WHEN coalesce(i.r->'tags' = '[]', true) THEN '{}' ELSE hz_json_texts(i.r->'tags') END,
               CASE WHEN coalesce(i.r->'beneficiaries' = '[]', true) THEN '{}' ELSE hz_json_texts(i.r->'beneficiaries') END, i.r
        FROM unnest(recs) i WHERE i.kind = 'activity'
        ORDER BY i.rid::uuid
        ON CONFLICT DO NOTHING
        RETURNING record_id
    ), v AS (
        INSERT INTO indicator_value (record_id, unit_id, submission_id, indicator_code, period,
                                     period_type, period_start, value, note, content)
        SELECT i.rid::uuid, hz_submit_insert_new.unit_id, sub, i.r->>'indicator', i.r->>'period',
               hz_period_type(i.r->>'period'), hz_period_start(i.r->>'period'),
               coalesce(hz_json_numeric(i.r->'value'), 0)::double precision,
               coalesce(i.r->>'note', ''), i.r
        FROM unnest(recs) i WHERE i.kind = 'indicator_value'
        ORDER BY i.rid::uuid
        ON CONFLICT DO NOTHING
        RETURNING record_id
    ), h AS (
        INSERT INTO honor (record_id, unit_id, submission_id, date_start, date_precision, title,
                           level, issuer, category_code, recipient, content)
        SELECT i.rid::uuid, hz_submit_insert_new.unit_id, sub, d.start, d.prec, i.r->>'title',
               coalesce(i.r->>'level', ''), coalesce(i.r->>'issuer', ''),
               nullif(i.r->>'category', ''), coalesce(i.r->>'recipient', ''), i.r
        FROM unnest(recs) i CROSS JOIN LATERAL hz_parse_partial_date(i.r->>'date') d
        WHERE i.kind = 'honor'
        ORDER BY i.rid::uuid
        ON CONFLICT DO NOTHING
        RETURNING record_id
    )
    SELECT coalesce(array_agg(record_id), '{}')
    FROM (SELECT record_id FROM a UNION ALL SELECT record_id FROM v
          UNION ALL SELECT record_id FROM h) w
$$;

-- Field errors of the new records that fall in a period locked for the unit
-- or an ancestor; NULL when none (at most 100).
CREATE OR REPLACE FUNCTION hz_private.hz_submit_lock_errors(recs hz_incoming[], locks period_lock[])
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'index', x.idx,
                                        'field', CASE x.kind WHEN 'indicator_value' THEN 'period'
                                                             ELSE 'date' END,
                                        'reason', hz_lock_message(locks[x.k])) ORDER BY x.pos)
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

-- One batch: what hz_submit did before groups (sql/README.md).
CREATE OR REPLACE FUNCTION hz_private.hz_submit_batch(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := p #>> '{principal,unit}';
    v_unit org_unit;
    v_recs hz_incoming[];
    v_skipped hz_incoming[];
    v_written uuid[];
    v_errors jsonb;
    v_result jsonb;
    v_new int;
    v_dup int;
    v_sup int;
    v_sub uuid := gen_random_uuid();
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

    IF NOT hz_submit_fields_ok(v_recs) THEN
        v_errors := hz_submit_field_errors(v_recs);
        IF v_errors IS NOT NULL THEN
            RETURN hz_submit_refused(v_errors);
        END IF;
    END IF;

    -- The one lock of a batch: batches of one community take turns, those
    -- of different communities run side by side.
    PERFORM pg_advisory_xact_lock(hashtextextended('unit:' || v_unit.id, 7443));

    SELECT array_agg(l ORDER BY l.locked_at, l.id) INTO v_locks
      FROM hz_unit_ancestors(v_unit.id) a
      JOIN period_lock l ON l.unit_id = a.id AND l.unlocked_at IS NULL;

    -- Writes first, then what the indexes turned away is compared with what
    -- is held. A refusal leaves this block by an exception, which undoes its
    -- writes; the result travels in v_result.
    BEGIN
        INSERT INTO submission (id, unit_id, role, fingerprint, peer, record_count)
        VALUES (v_sub, v_unit.id, v_role, coalesce(p #>> '{principal,fingerprint}', ''),
                coalesce(p #>> '{principal,peer}', ''), cardinality(v_recs));
        v_written := hz_submit_insert_new(v_recs, v_unit.id, v_sub);
        v_new := cardinality(v_written);

        SELECT coalesce(array_agg(i ORDER BY i.pos), '{}') INTO v_skipped
          FROM unnest(v_recs) i
          LEFT JOIN unnest(v_written) w(id) ON w.id = i.rid::uuid
         WHERE w.id IS NULL;
        v_skipped := hz_submit_classify_skipped(v_skipped, v_unit.id)
                     || hz_submit_kind_clash(v_recs, v_written);

        SELECT jsonb_agg(e ORDER BY pos) INTO v_errors FROM (
            SELECT jsonb_build_object('kind', i.kind, 'index', i.idx, 'field', i.field,
                                      'reason', i.reason) AS e, i.pos
              FROM unnest(v_skipped) i WHERE i.state = 'conflict'
             ORDER BY i.pos LIMIT 100) c;
        IF v_errors IS NOT NULL THEN
            v_result := hz_fail_errors('ALREADY_EXISTS', v_errors);
            RAISE EXCEPTION USING ERRCODE = 'HZ002';
        END IF;

        -- A new record in a locked period is refused; resending what is held
        -- changes nothing and stays OK. Most batches meet no lock.
        IF v_locks IS NOT NULL THEN
            v_errors := hz_submit_lock_errors(
                ARRAY(SELECT ROW(i.kind, i.idx, i.pos, i.rid, i.r, 'new', NULL, NULL)::hz_incoming
                        FROM unnest(v_recs) i
                        JOIN unnest(v_written) w(id) ON w.id = i.rid::uuid), v_locks);
            IF v_errors IS NOT NULL THEN
                v_result := hz_fail('FAILED_PRECONDITION',
                                    format('%s; nothing was written (a change there needs a correction request)',
                                           v_errors->0->>'reason'),
                                    v_errors);
                RAISE EXCEPTION USING ERRCODE = 'HZ002';
            END IF;
        END IF;

        SELECT count(*) FILTER (WHERE i.state = 'duplicate'),
               count(*) FILTER (WHERE i.state = 'superseded')
          INTO v_dup, v_sup
          FROM unnest(v_skipped) i;
        IF v_new = 0 THEN
            -- Nothing new: no submission row, no audit.
            v_result := jsonb_build_object('status', 'OK', 'accepted', 0, 'duplicates', v_dup,
                                           'superseded', v_sup, 'submission_id', '');
            RAISE EXCEPTION USING ERRCODE = 'HZ002';
        END IF;
        IF v_new <> cardinality(v_recs) THEN
            UPDATE submission SET record_count = v_new WHERE id = v_sub;
        END IF;
    EXCEPTION WHEN SQLSTATE 'HZ002' THEN
        RETURN v_result;
    END;

    PERFORM hz_audit(p, 'submit', v_sub::text,
                     jsonb_build_object('accepted', v_new, 'duplicates', v_dup,
                                        'superseded', v_sup));
    RETURN jsonb_build_object('status', 'OK', 'accepted', v_new, 'duplicates', v_dup,
                              'superseded', v_sup, 'submission_id', v_sub::text);
END
$$;

-- A group: {"batches": [batch, ...]}, each a full hz_submit argument with
-- its own principal, written in this one transaction (one COMMIT for all:
-- group commit, docs/database.md). Each batch runs in its own
-- sub-transaction, so one refused or failed batch never fails another; the
-- result is {"status": "OK", "results": [one hz_submit result per batch, in
-- order]}. Batches are taken in the order of their units, so two groups take
-- the per-community locks in the same order and cannot deadlock.
CREATE OR REPLACE FUNCTION hz_private.hz_submit_group(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_results jsonb[];
    b record;
BEGIN
    IF jsonb_typeof(p->'batches') <> 'array' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'batches: must be a list of batches');
    END IF;
    v_results := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p->'batches')]);
    FOR b IN SELECT x.v, x.o::int AS o FROM jsonb_array_elements(p->'batches') WITH ORDINALITY x(v, o)
              ORDER BY x.v #>> '{principal,unit}', x.o LOOP
        BEGIN
            v_results[b.o] := CASE WHEN jsonb_typeof(b.v) = 'object' AND NOT b.v ? 'batches'
                                   THEN hz_submit_batch(b.v)
                                   ELSE hz_fail('INVALID_ARGUMENT', 'batches: each must be one batch') END;
        EXCEPTION WHEN OTHERS THEN
            v_results[b.o] := CASE WHEN SQLSTATE IN ('40001', '40P01')
                THEN hz_fail('ABORTED', 'conflict with a concurrent write; nothing was written, retry')
                ELSE hz_fail('INTERNAL', format('internal error (SQLSTATE %s); nothing was written', SQLSTATE))
                END;
        END;
    END LOOP;
    RETURN jsonb_build_object('status', 'OK', 'results', to_jsonb(v_results));
END
$$;

CREATE OR REPLACE FUNCTION hz_submit(p jsonb)
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
    SELECT CASE WHEN p ? 'batches' THEN hz_submit_group(p) ELSE hz_submit_batch(p) END
$$;

-- The per-record locks are gone; nothing calls the old parts any more.
DROP FUNCTION IF EXISTS hz_private.hz_submit_lock(hz_incoming[], bigint);
DROP FUNCTION IF EXISTS hz_private.hz_submit_insert(hz_incoming[], bigint, uuid);

RESET search_path;
