-- 091: hz_hello also returns the name of the principal's unit ("unit_name",
-- "" for an admin whose certificate names no unit in the tree). The server
-- learns it once per connection and names the unit in the refusals it
-- decides itself, before the database (docs/i18n.md), and in HelloResult.
-- 007's checks are unchanged.
SET search_path = public, hz_private, pg_temp;

CREATE OR REPLACE FUNCTION public.hz_hello(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_fp   text := p #>> '{principal,fingerprint}';
    v_role text := p #>> '{principal,role}';
    v_unit text := p #>> '{principal,unit}';
    v_rev  revoked_cert;
    v_org  org_unit;
BEGIN
    SELECT * INTO v_rev FROM revoked_cert WHERE fingerprint = v_fp;
    IF FOUND THEN
        RETURN hz_fail('UNAUTHENTICATED',
                       format('certificate %s was revoked on %s', left(v_fp, 16),
                              to_char(v_rev.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')));
    END IF;
    SELECT * INTO v_org FROM org_unit WHERE code = v_unit;
    IF v_role <> 'admin' THEN
        IF NOT FOUND THEN
            RETURN hz_fail('UNAUTHENTICATED',
                           format('certificate names unit %s, which is not in the org tree',
                                  hz_quote(v_unit)));
        END IF;
        IF v_org.retired_at IS NOT NULL THEN
            RETURN hz_fail('UNAUTHENTICATED', format('unit %s is retired', hz_quote(v_unit)));
        END IF;
    END IF;
    -- Losing the last few "last seen" times in a crash is harmless; an fsync
    -- per connection is not.
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO cert_seen AS s (fingerprint, role, unit_code, last_peer)
    VALUES (v_fp, v_role, v_unit, coalesce(p #>> '{principal,peer}', ''))
    ON CONFLICT (fingerprint) DO UPDATE
        SET last_seen = now(), last_peer = EXCLUDED.last_peer;
    RETURN jsonb_build_object('status', 'OK', 'unit_name', coalesce(v_org.name, ''));
END
$$;

RESET search_path;
