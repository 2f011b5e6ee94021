-- 006: hz_unit_add(p jsonb): an administrator adds an org unit
-- (contract: sql/README.md). Adding the same unit again is OK with
-- "created": false, so that setup scripts can be rerun.

CREATE OR REPLACE FUNCTION hz_unit_add_errors(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', 0, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n)
    FROM (VALUES
        (1, 'code',
            CASE WHEN NOT hz_json_is_text(p->'code') OR coalesce(p->>'code', '') = '' THEN 'required'
                 WHEN p->>'code' !~ '^[a-z0-9][a-z0-9_-]{0,62}$'
                     THEN format('invalid code %s (want a-z, 0-9, _ or -, at most 63)',
                                 hz_quote(p->>'code'))
            END),
        (2, 'name', hz_required_text_error(p->'name')),
        (3, 'parent_code', hz_text_error(p->'parent_code')),
        (4, 'level',
            CASE WHEN NOT hz_json_is_text(p->'level')
                      OR coalesce(p->>'level', '') NOT IN ('district', 'street', 'community')
                 THEN format('unknown level %s (want district, street or community)',
                             hz_quote(p->>'level'))
            END)
    ) AS e(n, field, reason)
    WHERE e.reason IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION hz_unit_add(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_code text := p->>'code';
    v_parent_code text := nullif(p->>'parent_code', '');
    v_parent org_unit;
    v_errors jsonb;
    v_id bigint;
    v_old org_unit;
    v_old_parent text;
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'admin' THEN
        RETURN hz_fail('PERMISSION_DENIED', 'only an administrator can add org units');
    END IF;
    v_errors := hz_unit_add_errors(p);
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;

    IF v_parent_code IS NOT NULL THEN
        SELECT * INTO v_parent FROM org_unit WHERE code = v_parent_code;
        IF NOT FOUND THEN
            RETURN hz_fail('NOT_FOUND',
                           format('parent unit %s is not in the org tree', hz_quote(v_parent_code)));
        END IF;
        -- Records are filed by communities; a unit below one would mix its
        -- records with the community's own.
        IF v_parent.level = 'community' THEN
            RETURN hz_fail('INVALID_ARGUMENT',
                           format('parent unit %s is a community; communities have no units below them',
                                  hz_quote(v_parent_code)),
                           jsonb_build_array(jsonb_build_object(
                               'kind', 'request', 'index', 0, 'field', 'parent_code',
                               'reason', 'a community cannot be a parent')));
        END IF;
    END IF;

    INSERT INTO org_unit (parent_id, code, name, level)
    VALUES (v_parent.id, v_code, p->>'name', p->>'level')
    ON CONFLICT (code) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'created', true);
    END IF;

    SELECT * INTO v_old FROM org_unit WHERE code = v_code;
    SELECT code INTO v_old_parent FROM org_unit WHERE id = v_old.parent_id;
    IF v_old.name = p->>'name' AND v_old.level = p->>'level'
       AND v_old_parent IS NOT DISTINCT FROM v_parent_code THEN
        RETURN jsonb_build_object('status', 'OK', 'created', false);
    END IF;
    RETURN hz_fail('ALREADY_EXISTS',
                   format('unit %s already exists as %s %s under %s', hz_quote(v_code),
                          v_old.level, hz_quote(v_old.name),
                          CASE WHEN v_old_parent IS NULL THEN 'no parent'
                               ELSE hz_quote(v_old_parent) END));
END
$$;
