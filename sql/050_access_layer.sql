-- 050: the access layer in use, and the contract alone in public.
--
-- 1. Every entry point that checks who may act on which unit does it through
--    the access layer: hz_require_admin (010; 020's second admin check with
--    its shorter message is gone), hz_target_unit and hz_in_reach (005) for
--    the subtree scope, hz_read_scope with a `with_span` parameter instead
--    of the `no_span` key hz_pull used to inject into its argument, and
--    hz_year_error (005) for the year of summaries, exports, compliance and
--    record lists (1900-2999, the range the server and proto/validate.c use).
-- 2. Every function that is not an entry point moves to hz_private (ALTER
--    FUNCTION ... SET SCHEMA keeps its OID, so triggers keep working), and so
--    do the composite types only helpers use.
-- 3. Every entry point gets a fixed search_path (public, hz_private,
--    pg_temp): bodies resolve helper names through it at run time.
--
-- The functions below are created while public is still first in the
-- search_path, so they land in public as 010-049's did and step 2 moves the
-- helpers among them.
SET search_path = public, hz_private, pg_temp;

DROP FUNCTION hz_cred_require_admin(jsonb, text);
DROP FUNCTION hz_may_manage(jsonb, bigint);
DROP FUNCTION hz_read_scope(jsonb, text);

-- ------------------------------------------------ credentials (020) --
CREATE OR REPLACE FUNCTION hz_enroll_create(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_unit text := p->>'unit_code';
    v_role text := p->>'role';
    v_exp  timestamptz := now() + make_interval(secs => (p->>'expires_seconds')::double precision);
    v_deny jsonb := hz_require_admin(p, 'create enrollment codes');
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    IF v_role <> 'admin' AND NOT EXISTS (SELECT 1 FROM org_unit WHERE code = v_unit AND retired_at IS NULL) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree (add it first)', hz_quote(v_unit)));
    END IF;
    INSERT INTO enroll_code (code_hash, unit_code, role, expires_at, created_by, created_fp)
    VALUES (p->>'code_hash', v_unit, v_role, v_exp,
            concat(p #>> '{principal,role}', '/', p #>> '{principal,unit}'),
            coalesce(p #>> '{principal,fingerprint}', ''));
    PERFORM hz_audit(p, 'enroll_create', v_unit,
                     jsonb_build_object('role', v_role, 'expires_at', hz_cred_ts(v_exp),
                                        'code_hash', left(p->>'code_hash', 16)));
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_unit, 'role', v_role,
                              'expires_at', hz_cred_ts(v_exp));
END
$$;

CREATE OR REPLACE FUNCTION hz_cert_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_require_admin(p, 'list certificates');
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'certs', coalesce((
        SELECT jsonb_agg(hz_canon(jsonb_build_object(
                   'fingerprint', k.fingerprint,
                   'role', coalesce(i.role, s.role), 'unit_code', coalesce(i.unit_code, s.unit_code),
                   'serial', i.serial, 'issued_at', hz_cred_ts(i.issued_at),
                   'not_after', hz_cred_ts(i.not_after),
                   'first_seen', hz_cred_ts(s.first_seen), 'last_seen', hz_cred_ts(s.last_seen),
                   'last_peer', s.last_peer, 'revoked', r.fingerprint IS NOT NULL,
                   'revoked_at', hz_cred_ts(r.revoked_at), 'revoke_reason', r.reason))
               ORDER BY coalesce(i.unit_code, s.unit_code), coalesce(i.issued_at, s.first_seen), k.fingerprint)
        FROM (SELECT fingerprint FROM issued_cert UNION SELECT fingerprint FROM cert_seen) k
        LEFT JOIN issued_cert i ON i.fingerprint = k.fingerprint
        LEFT JOIN cert_seen s ON s.fingerprint = k.fingerprint
        LEFT JOIN revoked_cert r ON r.fingerprint = k.fingerprint
        WHERE v_unit IS NULL OR coalesce(i.unit_code, s.unit_code) = v_unit), '[]'::jsonb));
END
$$;

CREATE OR REPLACE FUNCTION hz_cert_revoke(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fp   text := nullif(p->>'fingerprint', '');
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_require_admin(p, 'revoke certificates');
    v_done jsonb;
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    IF v_fp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM issued_cert WHERE fingerprint = v_fp
                                        UNION ALL SELECT 1 FROM cert_seen WHERE fingerprint = v_fp) THEN
        RETURN hz_fail('NOT_FOUND', format('no certificate with fingerprint %s was issued or seen',
                                           left(v_fp, 64)));
    END IF;
    IF v_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM issued_cert WHERE unit_code = v_unit
                                          UNION ALL SELECT 1 FROM cert_seen WHERE unit_code = v_unit) THEN
        RETURN hz_fail('NOT_FOUND', format('no certificate of unit %s was issued or seen',
                                           hz_quote(v_unit)));
    END IF;
    WITH targets AS (
        SELECT fingerprint FROM issued_cert WHERE fingerprint = v_fp OR unit_code = v_unit
        UNION
        SELECT fingerprint FROM cert_seen WHERE fingerprint = v_fp OR unit_code = v_unit
    ), ins AS (
        INSERT INTO revoked_cert (fingerprint, revoked_by, reason)
        SELECT fingerprint, concat(p #>> '{principal,role}', '/', p #>> '{principal,unit}'),
               coalesce(p->>'reason', '')
        FROM targets
        ON CONFLICT (fingerprint) DO NOTHING
        RETURNING fingerprint
    )
    SELECT coalesce(jsonb_agg(fingerprint ORDER BY fingerprint), '[]'::jsonb) INTO v_done FROM ins;
    IF jsonb_array_length(v_done) > 0 THEN
        PERFORM hz_audit(p, 'cert_revoke', coalesce(v_unit, v_fp),
                         jsonb_build_object('fingerprints', v_done, 'reason', coalesce(p->>'reason', '')));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'fingerprints', v_done);
END
$$;

CREATE OR REPLACE FUNCTION hz_audit_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role  text := p #>> '{principal,role}';
    v_me    text := p #>> '{principal,unit}';
    v_unit  text := nullif(p->>'unit_code', '');
    v_since timestamptz := nullif(p->>'since', '')::timestamptz;
    v_limit int := coalesce(nullif(p->>'limit', '')::int, 100);
    v_seen  text[];
BEGIN
    IF v_role NOT IN ('admin', 'district') THEN
        RETURN hz_fail('PERMISSION_DENIED', 'only an administrator or a district office can read the audit trail');
    END IF;
    IF v_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE code = v_unit) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_unit)));
    END IF;
    IF v_role = 'district' THEN
        SELECT array_agg(u.code) INTO v_seen FROM org_unit u WHERE u.id IN (SELECT hz_subtree(v_me));
        IF v_unit IS NOT NULL
           AND NOT hz_in_reach(p, (SELECT u.id FROM org_unit u WHERE u.code = v_unit)) THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('unit %s is not within %s', hz_quote(v_unit), hz_quote(v_me)));
        END IF;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'entries', coalesce((
        SELECT jsonb_agg(hz_canon(jsonb_build_object(
                   'id', a.id, 'at', hz_cred_ts(a.at), 'role', a.role, 'unit_code', a.unit_code,
                   'fingerprint', a.fingerprint, 'peer', a.peer, 'action', a.action,
                   'target', a.target, 'detail', a.detail::text)) ORDER BY a.at DESC, a.id DESC)
        FROM (SELECT * FROM audit a
              WHERE (v_unit IS NULL OR a.unit_code = v_unit OR a.target = v_unit)
                -- A district sees what its units did, and what was done to
                -- them; an administrator's other actions are not its business
                -- even when the admin certificate names a unit in its subtree.
                AND (v_seen IS NULL OR (a.role <> 'admin' AND a.unit_code = ANY (v_seen))
                     OR a.target = ANY (v_seen))
                AND (v_since IS NULL OR a.at >= v_since)
              ORDER BY a.at DESC, a.id DESC
              LIMIT v_limit) a), '[]'::jsonb));
END
$$;

-- ----------------------------------------------------- org tree (013) --
CREATE OR REPLACE FUNCTION hz_unit_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_fail jsonb;
    v_admin boolean := (p #>> '{principal,role}') = 'admin';
    v_pcode text := coalesce(p #>> '{principal,unit}', '');
    v_under text := nullif(p->>'under', '');
    v_own org_unit;
    v_root org_unit;
BEGIN
    v_fail := coalesce(hz_require_reader(p, 'list org units'),
                       hz_first_field_error('under', hz_code_error(p->'under', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    IF NOT v_admin THEN
        SELECT * INTO v_own FROM org_unit WHERE code = v_pcode;
        IF NOT FOUND THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
        END IF;
        v_under := coalesce(v_under, v_own.code);
    END IF;
    IF v_under IS NOT NULL THEN
        SELECT * INTO v_root FROM org_unit WHERE code = v_under;
        IF NOT FOUND THEN
            RETURN hz_unit_not_found(v_under);
        END IF;
        IF NOT hz_in_reach(p, v_root.id) THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('unit %s is outside what %s may read (its own subtree)',
                                  hz_quote(v_under), hz_quote(v_pcode)));
        END IF;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'units', coalesce((
        WITH RECURSIVE t(id, depth, path) AS (
            SELECT u.id, 0, ARRAY[u.code] FROM org_unit u
             WHERE (v_root.id IS NULL AND u.parent_id IS NULL) OR u.id = v_root.id
            UNION ALL
            SELECT u.id, t.depth + 1, t.path || u.code
              FROM org_unit u JOIN t ON u.parent_id = t.id
             WHERE NOT u.code = ANY (t.path)
        )
        SELECT jsonb_agg(jsonb_build_object(
                   'code', u.code, 'name', u.name, 'level', u.level,
                   'parent_code', coalesce(pu.code, ''), 'depth', t.depth,
                   'retired_at', coalesce(to_char(u.retired_at AT TIME ZONE 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''))
                   ORDER BY t.path)
          FROM t JOIN org_unit u ON u.id = t.id
          LEFT JOIN org_unit pu ON pu.id = u.parent_id), '[]'::jsonb));
END
$$;

-- --------------------------------------- rules and corrections (034, 035) --
-- 035's hz_request_error is 010's hz_fail_field under another name; the
-- released functions that call it keep the name, the rule is hz_fail_field's.
CREATE OR REPLACE FUNCTION hz_request_error(field text, reason text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail_field(field, reason)
$$;

-- The units whose rules concern a unit: itself, those above it and those
-- below it (quotas, deadlines and locks listed for a unit).
CREATE OR REPLACE FUNCTION hz_unit_lineage(unit bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT a.id FROM hz_unit_ancestors(unit) a
    UNION
    SELECT hz_subtree_ids(unit)
$$;

CREATE OR REPLACE FUNCTION hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit org_unit)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := p->>'unit_code';
    k record;
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
    k := hz_target_unit(p, v_code);
    fail := k.fail;
    unit := k.unit;
END
$$;

CREATE OR REPLACE FUNCTION hz_quota_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := nullif(p->>'unit_code', '');
    v_ind text := nullif(p->>'indicator', '');
    v_hist boolean := coalesce((p->>'history')::boolean, false);
    v_root org_unit;
    k record;
BEGIN
    -- Without a unit an administrator lists every quota, whatever unit
    -- its certificate names.
    IF v_code IS NOT NULL OR coalesce(v_role, '') <> 'admin' THEN
        k := hz_target_unit(p, v_code);
        IF k.fail IS NOT NULL THEN
            RETURN k.fail;
        END IF;
        v_root := k.unit;
    END IF;
    IF v_ind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM indicator WHERE code = v_ind) THEN
        RETURN hz_fail_field('indicator', format('unknown indicator %s', hz_quote(v_ind)));
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
               OR x.unit_id IN (SELECT hz_unit_lineage(v_root.id)))), '[]'::jsonb));
END
$$;

CREATE OR REPLACE FUNCTION hz_period_lock_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    k record := hz_target_unit(p, p->>'unit_code');
    v_root org_unit := k.unit;
BEGIN
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'locks', coalesce((
        SELECT jsonb_agg(jsonb_build_object('unit_code', o.code, 'period', l.period,
                                            'locked_at', hz_ts_text(l.locked_at),
                                            'locked_by', l.locked_by)
                         ORDER BY o.code, l.period_start, l.period)
        FROM period_lock l JOIN org_unit o ON o.id = l.unit_id
        WHERE l.unlocked_at IS NULL
          AND (v_root.id IS NULL
               OR l.unit_id IN (SELECT hz_unit_lineage(v_root.id)))), '[]'::jsonb));
END
$$;

CREATE OR REPLACE FUNCTION hz_deadline_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    k record := hz_target_unit(p, p->>'unit_code');
    v_root org_unit := k.unit;
BEGIN
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
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
           OR r.unit_id IN (SELECT hz_unit_lineage(v_root.id))), '[]'::jsonb));
END
$$;

CREATE OR REPLACE FUNCTION hz_correction_pick(p jsonb, verb text,
    OUT fail jsonb, OUT c correction_request)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_id bigint := hz_json_bigint(p->'correction_id');
BEGIN
    IF coalesce(p #>> '{principal,role}', '') NOT IN ('district', 'admin') THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('only a district principal above the community (or an admin) can %s a correction; this principal is %s',
                               verb, hz_principal_label(p)));
        RETURN;
    END IF;
    SELECT * INTO c FROM correction_request r WHERE r.id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        fail := hz_fail('NOT_FOUND', format('correction %s not found', coalesce(p->>'correction_id', '0')));
        RETURN;
    END IF;
    IF NOT hz_in_reach(p, c.unit_id) THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('correction %s is for %s, which is outside the subtree of %s',
                               c.id, (SELECT code FROM org_unit WHERE id = c.unit_id),
                               p #>> '{principal,unit}'));
        RETURN;
    END IF;
    IF c.status <> 'pending' THEN
        fail := hz_fail('FAILED_PRECONDITION', hz_correction_decided_text(c));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION hz_correction_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_status text := coalesce(nullif(p->>'status', ''), 'pending');
    k record;
    v_root org_unit;
BEGIN
    IF v_status NOT IN ('pending', 'approved', 'rejected', 'all') THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       format('status: unknown status %s (want pending, approved, rejected or all)',
                              hz_quote(v_status)));
    END IF;
    k := hz_target_unit(p, p->>'unit_code');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    v_root := k.unit;
    RETURN jsonb_build_object('status', 'OK', 'corrections', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'correction_id', c.id, 'record_id', c.record_id::text, 'kind', c.kind,
                   'unit_code', o.code, 'action', c.action, 'reason', c.reason,
                   'status', c.status, 'requested_at', hz_ts_text(c.requested_at),
                   'decided_at', coalesce(hz_ts_text(c.decided_at), ''),
                   'decided_by', coalesce(c.decided_by, ''),
                   'decision_reason', coalesce(c.decision_reason, ''),
                   'base_version', c.base_version, 'applied_version', coalesce(c.applied_version, 0),
                   'content', coalesce((c.content - 'beneficiaries')::text, ''))
               ORDER BY c.id)
        FROM correction_request c JOIN org_unit o ON o.id = c.unit_id
        WHERE (v_root.id IS NULL OR c.unit_id IN (SELECT hz_subtree_ids(v_root.id)))
          AND (v_status = 'all' OR c.status = v_status)), '[]'::jsonb));
END
$$;

-- ------------------------------------ reading records (033, 040, 042) --
-- Who may read what, and the span asked: {"status":"OK","units":[ids],
-- "d0","d1","unit_code"} or a failure result as hz_summary gives it. Without
-- the span (hz_pull reads by cursor), d0 and d1 are null and the span fields
-- of the argument are not looked at.
CREATE OR REPLACE FUNCTION hz_read_scope(p jsonb, what text DEFAULT 'records',
                                         with_span boolean DEFAULT true)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_pcode text := p #>> '{principal,unit}';
    v_principal org_unit;
    v_target org_unit;
    v_code text;
    v_errors jsonb;
    v_d0 date;
    v_d1 date;
BEGIN
    IF v_role IS NULL OR v_role NOT IN ('community', 'district', 'admin') THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('principal role %s may not read %s', hz_quote(v_role), what));
    END IF;
    SELECT * INTO v_principal FROM org_unit WHERE code = v_pcode;
    IF NOT FOUND AND v_role <> 'admin' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
    END IF;
    IF with_span THEN
        v_errors := hz_summary_request_errors(p - 'group_by' - 'list_activities');
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
        END IF;
        IF coalesce(p->>'from', '') <> '' THEN
            v_d0 := hz_month_start(p->>'from');
            v_d1 := (hz_month_start(p->>'to') + interval '1 month')::date;
        ELSE
            v_d0 := make_date(hz_json_bigint(p->'year')::int, 1, 1);
            v_d1 := (v_d0 + interval '1 year')::date;
        END IF;
    END IF;
    v_code := coalesce(nullif(p->>'unit_code', ''), v_pcode);
    SELECT * INTO v_target FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF (v_role = 'community' AND v_target.id <> v_principal.id)
       OR NOT hz_in_reach(p, v_target.id) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is outside what %s may read (%s)', hz_quote(v_code),
                              hz_quote(v_pcode),
                              CASE v_role WHEN 'community' THEN 'its own records'
                                          ELSE 'its own subtree' END));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_target.code,
                              'units', to_jsonb(ARRAY(SELECT hz_subtree_ids(v_target.id))),
                              'd0', v_d0, 'd1', v_d1);
END
$$;

-- Checks the request fields of a span read; NULL when they are fine.
CREATE OR REPLACE FUNCTION hz_summary_request_errors(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', e.idx, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n, e.idx)
    FROM (
        SELECT 1 AS n, 0 AS idx, 'year' AS field, hz_year_error(p->'year') AS reason
        WHERE coalesce(p->>'from', '') = '' AND coalesce(p->>'to', '') = ''
          AND hz_year_error(p->'year') IS NOT NULL
        UNION ALL
        SELECT 2, 0, 'group_by',
               'must be a list of "community", "street", "category", "month" or "quarter"'
        WHERE coalesce(jsonb_typeof(p->'group_by'), 'null') NOT IN ('array', 'null')
        UNION ALL
        SELECT 3, (g.o - 1)::int, 'group_by',
               format('unknown dimension %s (want community, street, category, month or quarter)',
                      left(g.v::text, 60))
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p->'group_by') = 'array'
                                       THEN p->'group_by' ELSE '[]'::jsonb END)
             WITH ORDINALITY g(v, o)
        WHERE g.v NOT IN ('"community"'::jsonb, '"category"'::jsonb, '"month"'::jsonb,
                          '"street"'::jsonb, '"quarter"'::jsonb)
        UNION ALL
        SELECT 4, 0, 'unit_code', 'must be a string'
        WHERE NOT hz_json_is_text(p->'unit_code')
        UNION ALL
        SELECT 5, 0, 'list_activities', 'must be true or false'
        WHERE coalesce(jsonb_typeof(p->'list_activities'), 'null') NOT IN ('boolean', 'null')
        UNION ALL
        SELECT 6, 0, f.k, format('must be a month YYYY-MM, got %s', left(p->>f.k, 30))
        FROM (VALUES ('from'), ('to')) f(k)
        WHERE coalesce(p->>f.k, '') <> '' AND hz_month_start(p->>f.k) IS NULL
        UNION ALL
        SELECT 7, 0, 'from', 'from and to go together: give both months, or a year'
        WHERE (coalesce(p->>'from', '') = '') <> (coalesce(p->>'to', '') = '')
        UNION ALL
        SELECT 8, 0, 'to', format('must not be before from (%s)', p->>'from')
        WHERE hz_month_start(p->>'to') < hz_month_start(p->>'from')
        UNION ALL
        SELECT 10, 0, 'top_activities', 'must be a whole number from 0 to 1000'
        WHERE p->'top_activities' IS NOT NULL
          AND coalesce(hz_json_bigint(p->'top_activities') NOT BETWEEN 0 AND 1000, true)
        UNION ALL
        SELECT 9, 0, 'year', 'give either a year or from and to, not both'
        WHERE coalesce(p->>'from', '') <> '' AND coalesce(hz_json_bigint(p->'year'), 0) <> 0
    ) e
$$;

CREATE OR REPLACE FUNCTION hz_pull(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_scope jsonb;
    v_since bigint := hz_json_bigint(p->'since');
    v_n int := least(greatest(coalesce(hz_json_bigint(p->'limit'), 0), 0), 5000);
    v_units bigint[];
    v_recs jsonb;
    v_cursor bigint;
    v_got int;
BEGIN
    IF v_since IS NULL AND p->'since' IS NOT NULL AND p->'since' <> 'null'::jsonb THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'since: must be a cursor (a whole number >= 0)',
                       jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                         'field', 'since', 'reason', 'not a cursor')));
    END IF;
    v_since := coalesce(v_since, 0);
    IF v_since < 0 THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'since: must be a cursor (a whole number >= 0)',
                       jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                         'field', 'since', 'reason', 'negative')));
    END IF;
    IF v_n = 0 THEN
        v_n := 1000;
    END IF;
    v_scope := hz_read_scope(p, 'records', with_span => false);
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);

    LOCK TABLE activity, indicator_value, honor IN SHARE MODE;

    SELECT coalesce(jsonb_agg(x.rec ORDER BY x.seq), '[]'::jsonb), max(x.seq), count(*)
      INTO v_recs, v_cursor, v_got
      FROM (SELECT r.seq, r.rec FROM hz_pull_rows(v_units, v_since, v_n + 1) r
            ORDER BY r.seq LIMIT v_n + 1) x;
    IF v_got > v_n THEN
        -- One more than asked exists: drop it and say so.
        v_recs := v_recs - v_n;
        v_cursor := (v_recs -> (v_n - 1) ->> 'change_seq')::bigint;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'records', v_recs,
                              'cursor', coalesce(v_cursor, v_since), 'more', v_got > v_n);
END
$$;

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

-- ------------------------------------------------ the contract in public --
-- The entry points: exactly the functions the server calls (server/*.c),
-- each hz_<op>(p jsonb) RETURNS jsonb. Everything else in public that is a
-- function moves to hz_private; afterwards public must hold exactly these.
DO $$
DECLARE
    entry CONSTANT text[] := ARRAY[
        'hz_hello',
        'hz_submit', 'hz_summary',
        'hz_unit_add', 'hz_unit_rename', 'hz_unit_move', 'hz_unit_retire', 'hz_unit_list',
        'hz_category_add', 'hz_category_rename', 'hz_category_move', 'hz_category_retire',
        'hz_category_list',
        'hz_indicator_add', 'hz_indicator_update', 'hz_indicator_retire', 'hz_indicator_list',
        'hz_enroll_create', 'hz_enroll', 'hz_cert_list', 'hz_cert_revoke', 'hz_audit_list',
        'hz_quota_set', 'hz_quota_list', 'hz_deadline_set', 'hz_deadline_list',
        'hz_period_lock', 'hz_period_unlock', 'hz_period_lock_list',
        'hz_amend', 'hz_retract', 'hz_record_list', 'hz_nil_report',
        'hz_correction_file', 'hz_correction_list', 'hz_correction_approve',
        'hz_correction_reject',
        'hz_export_page', 'hz_pull', 'hz_compliance'];
    f record;
    n int;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace AND NOT p.proname = ANY (entry)
              ORDER BY 1 LOOP
        EXECUTE format('ALTER FUNCTION %s SET SCHEMA hz_private', f.sig);
    END LOOP;
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = public, hz_private, pg_temp', f.sig);
    END LOOP;
    SELECT count(*) INTO n FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (entry)
       AND p.pronargs = 1 AND p.proargtypes[0] = 'jsonb'::regtype
       AND p.prorettype = 'jsonb'::regtype AND p.prokind = 'f';
    IF n <> cardinality(entry)
       OR (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace) <> n THEN
        RAISE EXCEPTION 'public should hold exactly the % entry points, hz_<op>(jsonb) -> jsonb; found % of them among % functions',
            cardinality(entry), n,
            (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace);
    END IF;
END
$$;

-- The composite types only helpers use.
ALTER TYPE hz_incoming SET SCHEMA hz_private;
ALTER TYPE hz_field_error SET SCHEMA hz_private;
ALTER TYPE hz_record_target SET SCHEMA hz_private;

-- The trigger function runs for any statement that retracts a record, not
-- only inside an entry point, so it carries the path itself.
ALTER FUNCTION hz_private.hz_bump_change_seq() SET search_path = public, hz_private, pg_temp;

RESET search_path;
