-- 036: who may lift a period lock (docs/period.md, "Who may unlock"). A lock
-- remembers the office that set it; a lower office cannot undo the lock of a
-- higher one. An admin may lift any lock; a district principal one set by its
-- own unit or by a unit below it.

-- locked_by_unit_id: the unit of the principal that locked (an admin's own
-- unit when it has one); locked_by_admin: the lock is an administrator's.
ALTER TABLE period_lock
    ADD COLUMN locked_by_unit_id bigint NULL REFERENCES org_unit (id),
    ADD COLUMN locked_by_admin boolean NOT NULL DEFAULT false;

-- Locks set before this migration did not record the office; they keep the
-- old rule (any manager of the locked unit may lift them), which is what
-- treating them as locked by the locked unit itself gives.
UPDATE period_lock SET locked_by_unit_id = unit_id WHERE locked_by_unit_id IS NULL;

-- Argument: principal, unit_code, period. Locking a locked period is OK
-- with changed=false (the existing lock keeps its locker).
CREATE OR REPLACE FUNCTION hz_period_lock(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    v_period text := p->>'period';
    v_id bigint;
BEGIN
    k := hz_period_lock_args(p, 'lock periods');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    INSERT INTO period_lock (unit_id, period, period_start, period_end, locked_by,
                             locked_by_unit_id, locked_by_admin)
    VALUES ((k.unit).id, v_period, hz_period_start(v_period), hz_period_end(v_period),
            hz_principal_label(p),
            (SELECT o.id FROM org_unit o WHERE o.code = p #>> '{principal,unit}'),
            (p #>> '{principal,role}') = 'admin')
    ON CONFLICT (unit_id, period) WHERE unlocked_at IS NULL DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    PERFORM hz_audit(p, 'period_lock', (k.unit).code, jsonb_build_object('period', v_period));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- NULL when the principal may lift the lock l, otherwise the refusal naming
-- who locked it. An admin always may; a district principal when its unit is
-- the locker's unit or above it. A lock without a recorded unit that is not
-- an admin's counts as the locked unit's own (rows older than 036).
CREATE OR REPLACE FUNCTION hz_unlock_refusal(p jsonb, l period_lock)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_locker bigint := CASE WHEN l.locked_by_admin THEN l.locked_by_unit_id
                            ELSE coalesce(l.locked_by_unit_id, l.unit_id) END;
    v_code text := (SELECT code FROM org_unit WHERE id = l.unit_id);
    v_own bigint := (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}');
BEGIN
    IF (p #>> '{principal,role}') = 'admin' THEN
        RETURN NULL;
    END IF;
    IF l.locked_by_admin THEN
        RETURN hz_fail('PERMISSION_DENIED',
            format('period %s for %s was locked by an administrator (%s); only an administrator can unlock it',
                   l.period, v_code, l.locked_by));
    END IF;
    IF v_own IS NOT NULL AND coalesce(hz_unit_within(v_locker, v_own), false) THEN
        RETURN NULL;
    END IF;
    RETURN hz_fail('PERMISSION_DENIED',
        format('period %s for %s was locked by district %s; only %s or an office above it (or an administrator) can unlock it',
               l.period, v_code, (SELECT code FROM org_unit WHERE id = v_locker),
               (SELECT code FROM org_unit WHERE id = v_locker)));
END
$$;

-- Argument: principal, unit_code, period: the lock set on exactly that unit
-- and period (NOT_FOUND when there is none; a lock of an ancestor is that
-- unit's to lift). PERMISSION_DENIED when the lock was set by an office the
-- principal is not (or not above), or by an admin and the principal is none.
CREATE OR REPLACE FUNCTION hz_period_unlock(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    k record;
    v_period text := p->>'period';
    v_lock period_lock;
    v_fail jsonb;
BEGIN
    k := hz_period_lock_args(p, 'unlock periods');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    SELECT * INTO v_lock FROM period_lock
     WHERE unit_id = (k.unit).id AND period = v_period AND unlocked_at IS NULL
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('period %s is not locked for %s%s', v_period, (k.unit).code,
            coalesce('; ' || (SELECT hz_lock_message(l) FROM hz_lock_covering((k.unit).id,
                hz_period_start(v_period), hz_period_end(v_period)) l), '')));
    END IF;
    v_fail := hz_unlock_refusal(p, v_lock);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    UPDATE period_lock SET unlocked_at = now(), unlocked_by = hz_principal_label(p)
     WHERE id = v_lock.id;
    PERFORM hz_audit(p, 'period_unlock', (k.unit).code, jsonb_build_object('period', v_period));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;
