-- 007: the audit trail, revoked certificates, and hz_hello (the check every
-- connection passes before its first request).

-- ------------------------------------------------------------------- audit --
-- One row per write and per admin action: who (role, unit, certificate),
-- from where, when, what. Resending unchanged data writes no row, because the
-- functions call hz_audit only when something changed.
CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    role        text NOT NULL,
    unit_code   text NOT NULL,            -- the principal's unit
    fingerprint text NOT NULL DEFAULT '',
    peer        text NOT NULL DEFAULT '',
    action      text NOT NULL,            -- submit, unit_add, cert_revoke, ...
    target      text NOT NULL DEFAULT '', -- the unit, record or object acted on
    detail      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_at_idx ON audit (at);
CREATE INDEX audit_unit_idx ON audit (unit_code, at);

-- p is a request argument holding "principal" (sql/README.md).
CREATE OR REPLACE FUNCTION hz_audit(p jsonb, action text, target text, detail jsonb DEFAULT '{}')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO audit (role, unit_code, fingerprint, peer, action, target, detail)
    VALUES (coalesce(p #>> '{principal,role}', ''), coalesce(p #>> '{principal,unit}', ''),
            coalesce(p #>> '{principal,fingerprint}', ''), coalesce(p #>> '{principal,peer}', ''),
            action, coalesce(target, ''), coalesce(detail, '{}'::jsonb))
$$;

-- ---------------------------------------------------- revoked certificates --
-- Checked by hz_hello on every new connection, so a revocation takes effect
-- from the next connection on without a restart.
CREATE TABLE revoked_cert (
    fingerprint text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    revoked_by  text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT ''
);

-- Certificates seen by the server (first and last Hello), for `admin cert list`.
CREATE TABLE cert_seen (
    fingerprint text PRIMARY KEY,
    role        text NOT NULL,
    unit_code   text NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    last_peer   text NOT NULL DEFAULT ''
);

-- ------------------------------------------------------------------- hello --
-- Argument: {"principal": {...}}. OK, or UNAUTHENTICATED when the certificate
-- is revoked or names a unit (other than for admin) that is not in the tree.
CREATE OR REPLACE FUNCTION hz_hello(p jsonb)
RETURNS jsonb LANGUAGE plpgsql AS $$
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
    IF v_role <> 'admin' THEN
        SELECT * INTO v_org FROM org_unit WHERE code = v_unit;
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
    RETURN jsonb_build_object('status', 'OK');
END
$$;
