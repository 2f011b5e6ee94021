-- 010: the org tree of any depth, administered: hz_unit_add (with all
-- levels, audit), hz_unit_rename, hz_unit_move, hz_unit_retire (hz_unit_list is in 013).
-- Contract: docs/org.md and sql/README.md.
--
-- Levels, from the top: city (市), district (区), street (街道), community
-- (社区), grid (网格). Offices (city, district, street) may nest within their
-- own level (a street office's 片区 is a street under a street), which is what
-- makes the tree as deep as a district needs. A community sits under an
-- office; a grid under a community or a grid. Only communities file records
-- (hz_submit checks the level), so grids organise a community's work without
-- splitting its records.

ALTER TABLE org_unit DROP CONSTRAINT org_unit_level_check;
ALTER TABLE org_unit ADD CONSTRAINT org_unit_level_check
    CHECK (level IN ('city', 'district', 'street', 'community', 'grid'));

-- ----------------------------------------------------------------- helpers --
-- Rank of a level: lower is higher in the tree; NULL for an unknown level.
CREATE OR REPLACE FUNCTION hz_level_rank(level text)
RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE level WHEN 'city' THEN 1 WHEN 'district' THEN 2 WHEN 'street' THEN 3
                      WHEN 'community' THEN 4 WHEN 'grid' THEN 5 END
$$;

-- Why a unit of `child` level cannot sit under a unit of `parent` level; NULL
-- when it can.
CREATE OR REPLACE FUNCTION hz_level_parent_error(child text, parent text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN child IN ('city', 'district', 'street')
             AND (parent NOT IN ('city', 'district', 'street')
                  OR hz_level_rank(parent) > hz_level_rank(child))
            THEN format('a %s sits under a %s', child,
                        CASE child WHEN 'city' THEN 'city'
                                   WHEN 'district' THEN 'city or district'
                                   ELSE 'city, district or street' END)
        WHEN child = 'community' AND parent NOT IN ('city', 'district', 'street')
            THEN 'a community sits under a city, district or street'
        WHEN child = 'grid' AND parent NOT IN ('community', 'grid')
            THEN 'a grid sits under a community or a grid'
    END
$$;

-- One INVALID_ARGUMENT about one field of the request: the message is
-- "field: reason" and `errors` holds the same as one entry.
CREATE OR REPLACE FUNCTION hz_fail_field(field text, reason text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('INVALID_ARGUMENT', field || ': ' || reason,
                   jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                                        'field', field, 'reason', reason)))
$$;

-- Why p->field is not a valid code; NULL when it is (or, with optional, when
-- it is empty or absent).
CREATE OR REPLACE FUNCTION hz_code_error(v jsonb, optional boolean DEFAULT false)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN CASE WHEN optional THEN NULL ELSE 'required' END
        WHEN (v #>> '{}') !~ '^[a-z0-9][a-z0-9_-]{0,62}$'
            THEN format('invalid code %s (want a-z, 0-9, _ or -, at most 63 characters)',
                        hz_quote(v #>> '{}'))
    END
$$;

-- Why p->field is not a valid name (required, at most 200 bytes, one line).
CREATE OR REPLACE FUNCTION hz_name_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN 'required'
        WHEN octet_length(v #>> '{}') > 200 THEN 'at most 200 bytes'
        WHEN (v #>> '{}') ~ '[\x01-\x1f\x7f]' THEN 'must not hold control characters'
    END
$$;

-- The first bad field among (field, reason) pairs, as hz_fail_field; NULL
-- when every reason is NULL.
CREATE OR REPLACE FUNCTION hz_first_field_error(VARIADIC pairs text[])
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    FOR i IN 1 .. coalesce(array_length(pairs, 1), 0) / 2 LOOP
        IF pairs[2 * i] IS NOT NULL THEN
            RETURN hz_fail_field(pairs[2 * i - 1], pairs[2 * i]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- PERMISSION_DENIED unless the principal is an administrator; `what` says
-- what was asked ("rename org units").
CREATE OR REPLACE FUNCTION hz_require_admin(p jsonb, what text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN (p #>> '{principal,role}') IS DISTINCT FROM 'admin'
        THEN hz_fail('PERMISSION_DENIED',
                     format('only an administrator can %s; this certificate is %s for %s', what,
                            coalesce(nullif(p #>> '{principal,role}', ''), 'no role'),
                            hz_quote(coalesce(p #>> '{principal,unit}', ''))))
    END
$$;

-- Tree changes (add, move, retire) serialise on this lock so that two
-- concurrent moves cannot make a cycle, nor an add land under a unit being
-- retired. Held to the end of the transaction.
CREATE OR REPLACE FUNCTION hz_lock_org_tree()
RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7443, 20)
$$;

CREATE OR REPLACE FUNCTION hz_unit_not_found(code text, what text DEFAULT 'unit')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('NOT_FOUND', format('%s %s is not in the org tree', what, hz_quote(code)))
$$;

-- The parent given for a unit of `level`: NULL when fine, else the failure.
CREATE OR REPLACE FUNCTION hz_unit_parent_check(parent org_unit, parent_code text, level text)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN parent_code IS NULL THEN NULL
        WHEN parent.id IS NULL THEN hz_unit_not_found(parent_code, 'parent unit')
        WHEN parent.retired_at IS NOT NULL
            THEN hz_fail('FAILED_PRECONDITION',
                         format('parent unit %s is retired; it takes no new units',
                                hz_quote(parent_code)))
        WHEN hz_level_parent_error(level, parent.level) IS NOT NULL
            THEN hz_fail_field('parent_code',
                               format('%s is a %s; %s', hz_quote(parent_code), parent.level,
                                      hz_level_parent_error(level, parent.level)))
    END
$$;

-- ---------------------------------------------------------------- unit add --
CREATE OR REPLACE FUNCTION hz_unit_add(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_code text := p->>'code';
    v_parent_code text := nullif(p->>'parent_code', '');
    v_parent org_unit;
    v_fail jsonb;
    v_id bigint;
    v_old org_unit;
    v_old_parent text;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'add org units'),
                       hz_first_field_error(
                           'code', hz_code_error(p->'code'),
                           'name', hz_name_error(p->'name'),
                           'parent_code', hz_code_error(p->'parent_code', true),
                           'level', CASE WHEN NOT hz_json_is_text(p->'level')
                                              OR hz_level_rank(p->>'level') IS NULL
                                         THEN format('unknown level %s (want city, district, street, community or grid)',
                                                     hz_quote(coalesce(p->>'level', '')))
                                    END));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_org_tree();

    IF v_parent_code IS NOT NULL THEN
        SELECT * INTO v_parent FROM org_unit WHERE code = v_parent_code;
    END IF;
    SELECT * INTO v_old FROM org_unit WHERE code = v_code;
    IF FOUND THEN
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
    END IF;
    v_fail := hz_unit_parent_check(v_parent, v_parent_code, p->>'level');
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;

    INSERT INTO org_unit (parent_id, code, name, level)
    VALUES (v_parent.id, v_code, p->>'name', p->>'level')
    RETURNING id INTO v_id;
    PERFORM hz_audit(p, 'unit_add', v_code,
                     jsonb_build_object('name', p->>'name', 'level', p->>'level',
                                        'parent_code', v_parent_code));
    RETURN jsonb_build_object('status', 'OK', 'created', true);
END
$$;

-- ------------------------------------------------------------- unit rename --
-- Argument: principal, code, name. Result: {"status":"OK","changed":bool}.
CREATE OR REPLACE FUNCTION hz_unit_rename(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_unit org_unit;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'rename org units'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', hz_name_error(p->'name')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_unit_not_found(p->>'code');
    END IF;
    IF v_unit.name = p->>'name' THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    UPDATE org_unit SET name = p->>'name' WHERE id = v_unit.id;
    PERFORM hz_audit(p, 'unit_rename', v_unit.code,
                     jsonb_build_object('old_name', v_unit.name, 'name', p->>'name'));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- --------------------------------------------------------------- unit move --
-- Argument: principal, code, parent_code (empty: the unit becomes a root).
CREATE OR REPLACE FUNCTION hz_unit_move(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_unit org_unit;
    v_parent org_unit;
    v_parent_code text := nullif(p->>'parent_code', '');
    v_old_parent text;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'move org units'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'parent_code', hz_code_error(p->'parent_code', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_org_tree();
    SELECT * INTO v_unit FROM org_unit WHERE code = p->>'code';
    IF NOT FOUND THEN
        RETURN hz_unit_not_found(p->>'code');
    END IF;
    IF v_parent_code IS NOT NULL THEN
        SELECT * INTO v_parent FROM org_unit WHERE code = v_parent_code;
        IF NOT FOUND THEN
            RETURN hz_unit_not_found(v_parent_code, 'parent unit');
        END IF;
        IF hz_unit_within(v_parent.id, v_unit.id) THEN
            RETURN hz_fail('INVALID_ARGUMENT',
                           CASE WHEN v_parent.id = v_unit.id
                                THEN format('cannot move %s under itself', v_unit.code)
                                ELSE format('cannot move %s under its own descendant %s',
                                            v_unit.code, v_parent.code) END,
                           jsonb_build_array(jsonb_build_object(
                               'kind', 'request', 'index', 0, 'field', 'parent_code',
                               'reason', format('%s is %s or below it', v_parent.code,
                                                v_unit.code))));
        END IF;
    END IF;
    SELECT code INTO v_old_parent FROM org_unit WHERE id = v_unit.parent_id;
    IF v_old_parent IS NOT DISTINCT FROM v_parent_code THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    IF v_unit.retired_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('unit %s is retired; a retired unit stays where it was',
                              hz_quote(v_unit.code)));
    END IF;
    v_fail := hz_unit_parent_check(v_parent, v_parent_code, v_unit.level);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    UPDATE org_unit SET parent_id = v_parent.id WHERE id = v_unit.id;
    PERFORM hz_audit(p, 'unit_move', v_unit.code,
                     jsonb_build_object('old_parent_code', v_old_parent,
                                        'parent_code', v_parent_code));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- ------------------------------------------------------------- unit retire --
-- Argument: principal, code. A unit with active children cannot retire: its
-- children would be left under a unit that no longer exists for new work.
CREATE OR REPLACE FUNCTION hz_unit_retire(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_unit org_unit;
    v_children text[];
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'retire org units'),
                       hz_first_field_error('code', hz_code_error(p->'code')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_org_tree();
    SELECT * INTO v_unit FROM org_unit WHERE code = p->>'code';
    IF NOT FOUND THEN
        RETURN hz_unit_not_found(p->>'code');
    END IF;
    IF v_unit.retired_at IS NOT NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    v_children := ARRAY(SELECT code FROM org_unit
                        WHERE parent_id = v_unit.id AND retired_at IS NULL ORDER BY code);
    IF cardinality(v_children) > 0 THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('unit %s still has %s active unit(s) below it: %s%s; retire or move them first',
                              v_unit.code, cardinality(v_children),
                              array_to_string(v_children[1:10], ', '),
                              CASE WHEN cardinality(v_children) > 10 THEN ', ...' ELSE '' END));
    END IF;
    UPDATE org_unit SET retired_at = now() WHERE id = v_unit.id;
    PERFORM hz_audit(p, 'unit_retire', v_unit.code, '{}'::jsonb);
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;
