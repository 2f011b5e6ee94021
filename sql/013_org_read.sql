-- Reading the org tree, the categories and the indicators is not only the
-- administrator's: a community submits with category and indicator codes and
-- must be able to read them, and a district or street office lists its own
-- subtree. Writes stay admin-only (010-012). Contract: docs/org.md.

-- PERMISSION_DENIED unless the principal has a role that may read; `what`
-- says what was asked ("list categories").
CREATE OR REPLACE FUNCTION hz_require_reader(p jsonb, what text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(p #>> '{principal,role}', '') NOT IN ('community', 'district', 'admin')
        THEN hz_fail('PERMISSION_DENIED',
                     format('principal role %s may not %s',
                            hz_quote(coalesce(p #>> '{principal,role}', '')), what))
    END
$$;

-- --------------------------------------------------------------- unit list --
-- Argument: principal, under. An administrator lists anything (empty under:
-- every root); anyone else lists its own subtree (empty under: its own
-- unit), and an under outside it is PERMISSION_DENIED, worded as
-- hz_summary's. Result: "units", the tree in depth-first order (children by
-- code), each with its depth below the listed root(s).
CREATE OR REPLACE FUNCTION hz_unit_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_fail jsonb;
    v_admin boolean := (p #>> '{principal,role}') = 'admin';
    v_pcode text := coalesce(p #>> '{principal,unit}', '');
    v_under text := nullif(p->>'under', '');
    v_own org_unit;
    v_root org_unit;
BEGIN
    v_fail := coalesce(hz_require_reader(p, 'list org units'),
                       hz_first_field_error('under', hz_code_error(p->'under', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    IF NOT v_admin THEN
        SELECT * INTO v_own FROM org_unit WHERE code = v_pcode;
        IF NOT FOUND THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
        END IF;
        v_under := coalesce(v_under, v_own.code);
    END IF;
    IF v_under IS NOT NULL THEN
        SELECT * INTO v_root FROM org_unit WHERE code = v_under;
        IF NOT FOUND THEN
            RETURN hz_unit_not_found(v_under);
        END IF;
        IF NOT v_admin AND NOT hz_unit_within(v_root.id, v_own.id) THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('unit %s is outside what %s may read (its own subtree)',
                                  hz_quote(v_under), hz_quote(v_pcode)));
        END IF;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'units', coalesce((
        WITH RECURSIVE t(id, depth, path) AS (
            SELECT u.id, 0, ARRAY[u.code] FROM org_unit u
             WHERE (v_root.id IS NULL AND u.parent_id IS NULL) OR u.id = v_root.id
            UNION ALL
            SELECT u.id, t.depth + 1, t.path || u.code
              FROM org_unit u JOIN t ON u.parent_id = t.id
             WHERE NOT u.code = ANY (t.path)
        )
        SELECT jsonb_agg(jsonb_build_object(
                   'code', u.code, 'name', u.name, 'level', u.level,
                   'parent_code', coalesce(pu.code, ''), 'depth', t.depth,
                   'retired_at', coalesce(to_char(u.retired_at AT TIME ZONE 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''))
                   ORDER BY t.path)
          FROM t JOIN org_unit u ON u.id = t.id
          LEFT JOIN org_unit pu ON pu.id = u.parent_id), '[]'::jsonb));
END
$$;

-- ----------------------------------------------------------- category list --
-- Argument: principal (any reader). Result: "categories" in report order,
-- depth-first, each with its depth for indenting.
CREATE OR REPLACE FUNCTION hz_category_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_fail jsonb := hz_require_reader(p, 'list categories');
BEGIN
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'categories', coalesce((
        WITH RECURSIVE t(code, depth, path) AS (
            SELECT k.code, 0, ARRAY[lpad(k.sort_order::text, 10, '0') || '/' || k.code]
              FROM category k WHERE k.parent_code IS NULL
            UNION ALL
            SELECT k.code, t.depth + 1,
                   t.path || (lpad(k.sort_order::text, 10, '0') || '/' || k.code)
              FROM category k JOIN t ON k.parent_code = t.code
             WHERE t.depth < 100
        )
        SELECT jsonb_agg(jsonb_build_object(
                   'code', k.code, 'name', k.name, 'parent_code', coalesce(k.parent_code, ''),
                   'depth', t.depth,
                   'retired_at', coalesce(to_char(k.retired_at AT TIME ZONE 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''))
                   ORDER BY t.path)
          FROM t JOIN category k ON k.code = t.code), '[]'::jsonb));
END
$$;

-- ---------------------------------------------------------- indicator list --
-- Argument: principal (any reader). Result: "indicators" in report order,
-- each with how many values it holds (an update of period type or
-- aggregation needs 0).
CREATE OR REPLACE FUNCTION hz_indicator_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_fail jsonb := hz_require_reader(p, 'list indicators');
BEGIN
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'indicators', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'code', i.code, 'name', i.name, 'unit', i.unit,
                   'period_type', i.period_type, 'aggregation', i.aggregation,
                   'value_count', coalesce(n.cnt, 0),
                   'retired_at', coalesce(to_char(i.retired_at AT TIME ZONE 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''))
                   ORDER BY i.sort_order, i.code)
          FROM indicator i
          LEFT JOIN (SELECT indicator_code, count(DISTINCT record_id) AS cnt
                       FROM indicator_value GROUP BY indicator_code) n
                 ON n.indicator_code = i.code), '[]'::jsonb));
END
$$;
