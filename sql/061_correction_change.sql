-- 061: a correction shows what it changes. hz_correction_list gives each
-- correction the content of the version it corrects (`old_content`, the
-- record at base_version, without beneficiaries) beside the new content,
-- so the approver can compare field by field before approving.

-- Helper bodies are checked at creation against this path, as 050.
SET LOCAL search_path = public, hz_private, pg_temp;

-- The content of one version of a record; NULL when there is no such version.
CREATE OR REPLACE FUNCTION hz_private.hz_record_version_content(kind text, rid uuid, ver int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT a.content FROM activity a
     WHERE kind = 'activity' AND a.record_id = rid AND a.version = ver
    UNION ALL
    SELECT v.content FROM indicator_value v
     WHERE kind = 'indicator_value' AND v.record_id = rid AND v.version = ver
    UNION ALL
    SELECT h.content FROM honor h
     WHERE kind = 'honor' AND h.record_id = rid AND h.version = ver
    LIMIT 1
$$;

CREATE OR REPLACE FUNCTION public.hz_correction_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
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
                   'content', coalesce((c.content - 'beneficiaries')::text, ''),
                   'old_content', coalesce((hz_record_version_content(c.kind, c.record_id,
                                                                      c.base_version)
                                            - 'beneficiaries')::text, ''))
               ORDER BY c.id)
        FROM correction_request c JOIN org_unit o ON o.id = c.unit_id
        WHERE (v_root.id IS NULL OR c.unit_id IN (SELECT hz_subtree_ids(v_root.id)))
          AND (v_status = 'all' OR c.status = v_status)), '[]'::jsonb));
END
$$;
