-- 042: hz_pull(p): every record version created, amended or retracted after
-- a cursor, for a unit's subtree (PullRequest).
--
-- The cursor is a record_change_seq value (008). Sequence values are taken
-- when a row is written but become visible only when its transaction
-- commits, so a plain "change_seq > cursor" could skip a lower value that
-- commits after a higher one was returned. hz_pull therefore first takes
-- SHARE locks on the three record tables: that waits until every
-- transaction writing them has finished, and keeps new writers out until
-- hz_pull's own transaction ends (a few milliseconds: one page). Its next
-- statement sees a fresh snapshot (READ COMMITTED, VOLATILE function) in
-- which every change_seq ever handed out is either committed and visible or
-- belongs to an aborted transaction (a gap). The returned cursor — the
-- largest change_seq returned — is then safe: no change below it can appear
-- later. Tables are locked in the order hz_submit writes them.
--
-- Not for a read replica (it locks). Every version is returned, current or
-- not; `retracted` says a version was withdrawn. Never beneficiaries.

CREATE OR REPLACE FUNCTION hz_pull_rows(units bigint[], since bigint, n int)
RETURNS TABLE (seq bigint, rec jsonb) LANGUAGE sql STABLE AS $$
    (SELECT a.change_seq, hz_export_activity(a, u, c)
       FROM activity a JOIN org_unit u ON u.id = a.unit_id
            JOIN category c ON c.code = a.category_code
      WHERE a.change_seq > since AND a.unit_id = ANY (units)
      ORDER BY a.change_seq LIMIT n)
    UNION ALL
    (SELECT v.change_seq, hz_export_value(v, u, i)
       FROM indicator_value v JOIN org_unit u ON u.id = v.unit_id
            JOIN indicator i ON i.code = v.indicator_code
      WHERE v.change_seq > since AND v.unit_id = ANY (units)
      ORDER BY v.change_seq LIMIT n)
    UNION ALL
    (SELECT h.change_seq, hz_export_honor(h, u, c)
       FROM honor h JOIN org_unit u ON u.id = h.unit_id
            LEFT JOIN category c ON c.code = h.category_code
      WHERE h.change_seq > since AND h.unit_id = ANY (units)
      ORDER BY h.change_seq LIMIT n)
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
    v_scope := hz_read_scope(p || '{"no_span": true}'::jsonb);
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
