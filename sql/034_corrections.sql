-- 034: correction requests: a community asks to change a record in a locked
-- period; a district principal above it approves (applied as a new version
-- or a retraction, with who approved) or rejects (docs/period.md).

-- "correction 3 (amend of record ...)" and its state, for messages.
CREATE OR REPLACE FUNCTION hz_correction_decided_text(c correction_request)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('correction %s was already %s on %s by %s', c.id, c.status,
                  hz_ts_text(c.decided_at), c.decided_by)
$$;

CREATE OR REPLACE FUNCTION hz_correction_result(id bigint, state text, created boolean, version int)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('status', 'OK', 'correction_id', id, 'state', state,
                              'created', created, 'version', coalesce(version, 0))
$$;

-- ------------------------------------------------------------------- file --
-- Argument: principal (the record's community), record_id, reason, and
-- either retract=true or the full new content (one of activity,
-- indicator_value, honor). The record must be in a locked period: outside
-- one, an amend or retract is the way.
CREATE OR REPLACE FUNCTION hz_correction_file(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t hz_record_target;
    n record;
    v_retract boolean := coalesce((p->>'retract')::boolean, false);
    v_reason text := btrim(coalesce(p->>'reason', ''));
    v_action text := CASE WHEN coalesce((p->>'retract')::boolean, false) THEN 'retract' ELSE 'amend' END;
    v_new jsonb;
    v_msg text;
    v_old correction_request;
    v_id bigint;
BEGIN
    t := hz_record_find(p, 'correct');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    IF v_reason = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the record must change)');
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s was retracted on %s; there is nothing left to correct',
                              t.rid, hz_ts_text(t.retracted_at)));
    END IF;
    IF v_retract THEN
        IF jsonb_typeof(p->'activity') = 'object'
           OR jsonb_typeof(p->'indicator_value') = 'object' OR jsonb_typeof(p->'honor') = 'object' THEN
            RETURN hz_fail('INVALID_ARGUMENT', 'a correction is either new content or a retraction, not both');
        END IF;
        v_msg := hz_record_lock((t.unit).id, t.kind, t.content);
    ELSE
        n := hz_record_new_content(p, t);
        IF n.fail IS NOT NULL THEN
            RETURN n.fail;
        END IF;
        v_new := n.r;
        IF hz_canon(t.content) = hz_canon(v_new) THEN
            RETURN hz_fail('INVALID_ARGUMENT',
                           format('the new content is the same as version %s of record %s; nothing to correct',
                                  t.version, t.rid));
        END IF;
        v_msg := coalesce(hz_record_lock((t.unit).id, t.kind, t.content),
                          hz_record_lock((t.unit).id, t.kind, v_new));
        IF hz_record_slot_taken(t, v_new) IS NOT NULL THEN
            RETURN hz_fail('ALREADY_EXISTS', hz_record_slot_taken(t, v_new));
        END IF;
    END IF;
    IF v_msg IS NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s is not in a locked period; %s it directly (huizong %s %s)',
                              t.rid, v_action, v_action, t.rid));
    END IF;

    SELECT * INTO v_old FROM correction_request c WHERE c.record_id = t.rid AND c.status = 'pending';
    IF FOUND THEN
        IF v_old.action = v_action
           AND hz_canon(coalesce(v_old.content, '{}')) = hz_canon(coalesce(v_new, '{}'))
           AND v_old.reason = v_reason THEN
            RETURN hz_correction_result(v_old.id, 'pending', false, NULL);
        END IF;
        RETURN hz_fail('ALREADY_EXISTS',
                       format('correction %s for record %s is already pending since %s; wait for its decision',
                              v_old.id, t.rid, hz_ts_text(v_old.requested_at)));
    END IF;
    INSERT INTO correction_request (record_id, kind, unit_id, action, content, reason,
                                    base_version, requested_by)
    VALUES (t.rid, t.kind, (t.unit).id, v_action,
            v_new, v_reason, t.version, coalesce(p #>> '{principal,fingerprint}', ''))
    RETURNING id INTO v_id;
    PERFORM hz_audit(p, 'correction_file', v_id::text,
                     jsonb_build_object('record_id', t.rid, 'action', v_action));
    RETURN hz_correction_result(v_id, 'pending', true, NULL);
END
$$;

-- ----------------------------------------------------------------- decide --
-- The request a district principal decides on, locked, after the checks
-- both decisions share; `fail` set when one fails.
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
    IF NOT hz_may_manage(p, c.unit_id) THEN
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

CREATE OR REPLACE FUNCTION hz_correction_approve(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    t hz_record_target;
    h record;
    u org_unit;
    v int;
BEGIN
    k := hz_correction_pick(p, 'approve');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('record:' || lower((k.c).record_id::text), 7443));
    SELECT * INTO h FROM hz_record_head((k.c).record_id);
    IF h.version <> (k.c).base_version OR h.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s changed since correction %s was filed (it corrects version %s; the record is now version %s%s); reject it and have the community file again',
                              (k.c).record_id, (k.c).id, (k.c).base_version, h.version,
                              CASE WHEN h.retracted_at IS NOT NULL THEN ', retracted' ELSE '' END));
    END IF;
    SELECT * INTO u FROM org_unit WHERE id = (k.c).unit_id;
    t := ROW(NULL, u, (k.c).record_id, h.kind, h.version, h.content, h.retracted_at)::hz_record_target;
    IF (k.c).action = 'retract' THEN
        PERFORM hz_record_write_retract(t, (k.c).reason);
        v := h.version;
    ELSE
        IF hz_record_slot_taken(t, (k.c).content) IS NOT NULL THEN
            RETURN hz_fail('FAILED_PRECONDITION', hz_record_slot_taken(t, (k.c).content)
                           || '; reject the correction');
        END IF;
        v := hz_record_write_version(t, (k.c).content, hz_record_submission(p, u.id));
    END IF;
    UPDATE correction_request
       SET status = 'approved', decided_at = now(), decided_by = hz_principal_label(p),
           decided_by_fingerprint = coalesce(p #>> '{principal,fingerprint}', ''),
           decision_reason = nullif(btrim(coalesce(p->>'reason', '')), ''), applied_version = v
     WHERE id = (k.c).id;
    PERFORM hz_audit(p, 'correction_approve', (k.c).id::text,
                     jsonb_build_object('record_id', (k.c).record_id, 'action', (k.c).action,
                                        'version', v));
    RETURN hz_correction_result((k.c).id, 'approved', false, v);
END
$$;

CREATE OR REPLACE FUNCTION hz_correction_reject(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    v_reason text := btrim(coalesce(p->>'reason', ''));
BEGIN
    k := hz_correction_pick(p, 'reject');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    IF v_reason = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the correction is rejected)');
    END IF;
    UPDATE correction_request
       SET status = 'rejected', decided_at = now(), decided_by = hz_principal_label(p),
           decided_by_fingerprint = coalesce(p #>> '{principal,fingerprint}', ''),
           decision_reason = v_reason
     WHERE id = (k.c).id;
    PERFORM hz_audit(p, 'correction_reject', (k.c).id::text,
                     jsonb_build_object('record_id', (k.c).record_id, 'reason', v_reason));
    RETURN hz_correction_result((k.c).id, 'rejected', false, NULL);
END
$$;

-- ------------------------------------------------------------------- list --
-- Argument: principal, status (pending by default, or approved, rejected,
-- all), unit_code (optional). A community sees its own requests, a district
-- principal those of its subtree, an admin all. Content is shown without
-- beneficiaries: personal names never leave the community's own records.
CREATE OR REPLACE FUNCTION hz_correction_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_status text := coalesce(nullif(p->>'status', ''), 'pending');
    v_code text := coalesce(nullif(p->>'unit_code', ''), p #>> '{principal,unit}');
    v_root org_unit;
BEGIN
    IF v_status NOT IN ('pending', 'approved', 'rejected', 'all') THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       format('status: unknown status %s (want pending, approved, rejected or all)',
                              hz_quote(v_status)));
    END IF;
    SELECT * INTO v_root FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        IF (p #>> '{principal,role}') = 'admin' AND nullif(p->>'unit_code', '') IS NULL THEN
            v_root := NULL;
        ELSE
            RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
        END IF;
    ELSIF coalesce(p #>> '{principal,role}', '') <> 'admin' AND NOT coalesce(hz_unit_within(v_root.id,
              (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}')), false) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is outside the subtree of %s', hz_quote(v_code),
                              p #>> '{principal,unit}'));
    END IF;
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
