-- 011: the activity categories (a tree) and the indicators, administered:
-- hz_category_add|rename|move|retire (the lists are in 013).
-- Contract: docs/org.md. Helpers (hz_require_admin, hz_first_field_error,
-- hz_code_error, hz_name_error) are in 010_org_tree.sql.

-- Same reason as hz_lock_org_tree: two concurrent moves must not make a cycle.
CREATE OR REPLACE FUNCTION hz_lock_taxonomy()
RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(7443, 21)
$$;

CREATE OR REPLACE FUNCTION hz_category_not_found(code text, what text DEFAULT 'category')
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('NOT_FOUND', format('%s %s is not in the taxonomy', what, hz_quote(code)))
$$;

-- Whether category `c` is `ancestor` or below it.
CREATE OR REPLACE FUNCTION hz_category_within(c text, ancestor text)
RETURNS boolean LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(code) AS (
        SELECT c
        UNION
        SELECT k.parent_code FROM category k JOIN up ON k.code = up.code
        WHERE k.parent_code IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE code = ancestor)
$$;

-- Where a category lands in report order: after its parent's last child, or
-- at the end for a root. Codes break ties, so crowded sections stay stable.
CREATE OR REPLACE FUNCTION hz_category_next_order(parent text)
RETURNS int LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN parent IS NULL
                THEN coalesce((SELECT max(sort_order) FROM category), 0) + 10
                ELSE (SELECT greatest(max(k.sort_order), 0) + 1 FROM category k
                       WHERE k.code = parent OR k.parent_code = parent) END
$$;

-- The parent given for a category: NULL when fine, else the failure.
CREATE OR REPLACE FUNCTION hz_category_parent_check(parent text)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v category;
BEGIN
    IF parent IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v FROM category WHERE code = parent;
    IF NOT FOUND THEN
        RETURN hz_category_not_found(parent, 'parent category');
    END IF;
    IF v.retired_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('parent category %s is retired; it takes no new categories',
                              hz_quote(parent)));
    END IF;
    RETURN NULL;
END
$$;

-- ------------------------------------------------------------ category add --
-- Argument: principal, code, name, parent_code (empty: a root).
-- Result: {"status":"OK","created":bool}.
CREATE OR REPLACE FUNCTION hz_category_add(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_parent text := nullif(p->>'parent_code', '');
    v_old category;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'add categories'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', hz_name_error(p->'name'),
                                            'parent_code', hz_code_error(p->'parent_code', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM category WHERE code = p->>'code';
    IF FOUND THEN
        IF v_old.name = p->>'name' AND v_old.parent_code IS NOT DISTINCT FROM v_parent THEN
            RETURN jsonb_build_object('status', 'OK', 'created', false);
        END IF;
        RETURN hz_fail('ALREADY_EXISTS',
                       format('category %s already exists as %s under %s', hz_quote(v_old.code),
                              hz_quote(v_old.name),
                              CASE WHEN v_old.parent_code IS NULL THEN 'no parent'
                                   ELSE hz_quote(v_old.parent_code) END));
    END IF;
    v_fail := hz_category_parent_check(v_parent);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    INSERT INTO category (code, name, parent_code, sort_order)
    VALUES (p->>'code', p->>'name', v_parent, hz_category_next_order(v_parent));
    PERFORM hz_audit(p, 'category_add', p->>'code',
                     jsonb_build_object('name', p->>'name', 'parent_code', v_parent));
    RETURN jsonb_build_object('status', 'OK', 'created', true);
END
$$;

-- --------------------------------------------------------- category rename --
-- Argument: principal, code, name. Result: {"status":"OK","changed":bool}.
CREATE OR REPLACE FUNCTION hz_category_rename(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old category;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'rename categories'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', hz_name_error(p->'name')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    SELECT * INTO v_old FROM category WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_category_not_found(p->>'code');
    END IF;
    IF v_old.name = p->>'name' THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    UPDATE category SET name = p->>'name' WHERE code = v_old.code;
    PERFORM hz_audit(p, 'category_rename', v_old.code,
                     jsonb_build_object('old_name', v_old.name, 'name', p->>'name'));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- ----------------------------------------------------------- category move --
-- Argument: principal, code, parent_code (empty: a root).
CREATE OR REPLACE FUNCTION hz_category_move(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old category;
    v_parent text := nullif(p->>'parent_code', '');
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'move categories'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'parent_code', hz_code_error(p->'parent_code', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM category WHERE code = p->>'code';
    IF NOT FOUND THEN
        RETURN hz_category_not_found(p->>'code');
    END IF;
    IF v_parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM category WHERE code = v_parent) THEN
        RETURN hz_category_not_found(v_parent, 'parent category');
    END IF;
    IF v_parent IS NOT NULL AND hz_category_within(v_parent, v_old.code) THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       CASE WHEN v_parent = v_old.code
                            THEN format('cannot move %s under itself', v_old.code)
                            ELSE format('cannot move %s under its own descendant %s',
                                        v_old.code, v_parent) END,
                       jsonb_build_array(jsonb_build_object(
                           'kind', 'request', 'index', 0, 'field', 'parent_code',
                           'reason', format('%s is %s or below it', v_parent, v_old.code))));
    END IF;
    IF v_old.parent_code IS NOT DISTINCT FROM v_parent THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    IF v_old.retired_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('category %s is retired; a retired category stays where it was',
                              hz_quote(v_old.code)));
    END IF;
    v_fail := hz_category_parent_check(v_parent);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    UPDATE category SET parent_code = v_parent, sort_order = hz_category_next_order(v_parent)
     WHERE code = v_old.code;
    PERFORM hz_audit(p, 'category_move', v_old.code,
                     jsonb_build_object('old_parent_code', v_old.parent_code,
                                        'parent_code', v_parent));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

-- --------------------------------------------------------- category retire --
-- Argument: principal, code. A retired category keeps its records and takes
-- no new ones (hz_submit refuses it).
CREATE OR REPLACE FUNCTION hz_category_retire(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_fail jsonb;
    v_old category;
    v_children text[];
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'retire categories'),
                       hz_first_field_error('code', hz_code_error(p->'code')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM category WHERE code = p->>'code';
    IF NOT FOUND THEN
        RETURN hz_category_not_found(p->>'code');
    END IF;
    IF v_old.retired_at IS NOT NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    v_children := ARRAY(SELECT code FROM category
                        WHERE parent_code = v_old.code AND retired_at IS NULL ORDER BY code);
    IF cardinality(v_children) > 0 THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('category %s still has %s active categor%s below it: %s%s; retire or move them first',
                              v_old.code, cardinality(v_children),
                              CASE WHEN cardinality(v_children) = 1 THEN 'y' ELSE 'ies' END,
                              array_to_string(v_children[1:10], ', '),
                              CASE WHEN cardinality(v_children) > 10 THEN ', ...' ELSE '' END));
    END IF;
    UPDATE category SET retired_at = now() WHERE code = v_old.code;
    PERFORM hz_audit(p, 'category_retire', v_old.code, '{}'::jsonb);
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;
