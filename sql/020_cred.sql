-- 020: enrollment codes, certificates issued by enrollment, revocation and
-- the audit reader (contract: docs/cred.md, "SQL functions").

-- ---------------------------------------------------------- enroll codes --
-- The code itself is shown once to the administrator and never stored: only
-- its SHA-256 (hex, computed by the server) is.
CREATE TABLE enroll_code (
    code_hash       text PRIMARY KEY CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    unit_code       text NOT NULL,
    role            text NOT NULL CHECK (role IN ('community', 'district', 'admin')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    created_by      text NOT NULL DEFAULT '',   -- role/unit of the administrator
    created_fp      text NOT NULL DEFAULT '',   -- and the certificate used
    used_at         timestamptz,
    used_fingerprint text,
    used_peer       text
);
CREATE INDEX enroll_code_unit_idx ON enroll_code (unit_code);

-- Certificates signed by the server's CA through enrollment.
CREATE TABLE issued_cert (
    fingerprint text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    serial      text NOT NULL UNIQUE,
    role        text NOT NULL,
    unit_code   text NOT NULL,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    not_after   timestamptz NOT NULL,
    code_hash   text NOT NULL REFERENCES enroll_code (code_hash),
    peer        text NOT NULL DEFAULT ''
);
CREATE INDEX issued_cert_unit_idx ON issued_cert (unit_code);

CREATE OR REPLACE FUNCTION hz_cred_ts(t timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE OR REPLACE FUNCTION hz_cred_require_admin(p jsonb, what text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN (p #>> '{principal,role}') IS DISTINCT FROM 'admin'
                THEN hz_fail('PERMISSION_DENIED', format('only an administrator can %s', what))
           END
$$;

-- ------------------------------------------------------ hz_enroll_create --
-- Argument: principal, code_hash, unit_code, role, expires_seconds.
CREATE OR REPLACE FUNCTION hz_enroll_create(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_unit text := p->>'unit_code';
    v_role text := p->>'role';
    v_exp  timestamptz := now() + make_interval(secs => (p->>'expires_seconds')::double precision);
    v_deny jsonb := hz_cred_require_admin(p, 'create enrollment codes');
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

-- ------------------------------------------------------------- hz_enroll --
-- Argument: principal (anonymous: role and unit empty; peer set), code_hash,
-- and the certificate the server has already signed for the CSR: unit_code,
-- role (from the CSR subject), fingerprint, serial, not_after. The code is
-- consumed in the same transaction that records the certificate; on any
-- non-OK result nothing is written and the server discards the certificate.
CREATE OR REPLACE FUNCTION hz_enroll(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_code enroll_code;
    v_unit text := p->>'unit_code';
    v_role text := p->>'role';
    v_fp   text := p->>'fingerprint';
BEGIN
    SELECT * INTO v_code FROM enroll_code WHERE code_hash = p->>'code_hash' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', 'unknown enrollment code (check it was typed as given)');
    END IF;
    IF v_code.used_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('enrollment code was already used on %s; ask for a new one',
                              hz_cred_ts(v_code.used_at)));
    END IF;
    IF v_code.expires_at <= now() THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('enrollment code expired on %s; ask for a new one',
                              hz_cred_ts(v_code.expires_at)));
    END IF;
    IF v_unit IS DISTINCT FROM v_code.unit_code OR v_role IS DISTINCT FROM v_code.role THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the CSR names %s (%s) but the code is for %s (%s)',
                              hz_quote(v_unit), v_role, hz_quote(v_code.unit_code), v_code.role));
    END IF;
    UPDATE enroll_code SET used_at = now(), used_fingerprint = v_fp,
                           used_peer = coalesce(p #>> '{principal,peer}', '')
     WHERE code_hash = v_code.code_hash;
    INSERT INTO issued_cert (fingerprint, serial, role, unit_code, not_after, code_hash, peer)
    VALUES (v_fp, p->>'serial', v_role, v_unit, (p->>'not_after')::timestamptz,
            v_code.code_hash, coalesce(p #>> '{principal,peer}', ''));
    -- The new certificate is the principal of its own enrollment.
    PERFORM hz_audit(jsonb_build_object('principal', jsonb_build_object(
                         'role', v_role, 'unit', v_unit, 'fingerprint', v_fp,
                         'peer', p #>> '{principal,peer}')),
                     'enroll', v_unit,
                     jsonb_build_object('serial', p->>'serial', 'code_hash', left(v_code.code_hash, 16)));
    RETURN jsonb_build_object('status', 'OK');
END
$$;

-- ---------------------------------------------------------- hz_cert_list --
-- Argument: principal (admin), unit_code (empty: all). Certificates issued by
-- enrollment and certificates seen at Hello, one row per fingerprint.
CREATE OR REPLACE FUNCTION hz_cert_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_cred_require_admin(p, 'list certificates');
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

-- -------------------------------------------------------- hz_cert_revoke --
-- Argument: principal (admin), fingerprint or unit_code (exactly one), reason.
-- A fingerprint must be known (issued or seen), else NOT_FOUND; revoking an
-- already revoked certificate is OK and changes nothing.
CREATE OR REPLACE FUNCTION hz_cert_revoke(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fp   text := nullif(p->>'fingerprint', '');
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_cred_require_admin(p, 'revoke certificates');
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

-- --------------------------------------------------------- hz_audit_list --
-- Argument: principal, unit_code (empty: all visible), since (timestamptz
-- text, empty: none), limit. Admin reads everything; a district principal
-- reads the rows of its own unit and the units below it; communities none.
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
        IF v_unit IS NOT NULL AND NOT v_unit = ANY (v_seen) THEN
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
