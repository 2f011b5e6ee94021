-- 062: the district assigns a category to a section of the year-end report.
--
-- category.report_section holds the key of a report section (the client's
-- report knows the sections: theory, civility, youth, education, culture,
-- volunteer, publicity, other; `huizong admin category section` checks
-- the key against them). NULL: the category reports where the built-in
-- table puts it, else in its parent's section. hz_category_section sets
-- or clears it: an admin, or a district principal of a district-level
-- unit (the taxonomy is shared, so a street office may not).
-- hz_category_list gives each category its `report_section` ("" when
-- none), so the client's taxonomy cache carries it to the report.

SET LOCAL search_path = public, hz_private, pg_temp;

ALTER TABLE category ADD COLUMN report_section text
    CHECK (report_section ~ '^[a-z0-9][a-z0-9_-]{0,62}$');

-- Argument: principal, code, section (empty: back to the built-in place).
-- Result: {"status":"OK","changed":bool}.
CREATE OR REPLACE FUNCTION public.hz_category_section(p jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_fail jsonb;
    v_old category;
    v_section text := nullif(p->>'section', '');
BEGIN
    IF coalesce(v_role, '') <> 'admin'
       AND NOT (v_role = 'district' AND EXISTS (
                    SELECT 1 FROM org_unit u
                     WHERE u.code = p #>> '{principal,unit}' AND u.level = 'district'
                       AND u.retired_at IS NULL)) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('only an admin or a district office assigns categories to report '
                              'sections; this principal is %s %s',
                              coalesce(v_role, '?'), coalesce(p #>> '{principal,unit}', '?')));
    END IF;
    v_fail := hz_first_field_error('code', hz_code_error(p->'code'),
                                   'section', CASE WHEN v_section IS NOT NULL
                                                   THEN hz_code_error(p->'section') END);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    SELECT * INTO v_old FROM category WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_category_not_found(p->>'code');
    END IF;
    IF v_old.report_section IS NOT DISTINCT FROM v_section THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    UPDATE category SET report_section = v_section WHERE code = v_old.code;
    PERFORM hz_audit(p, 'category_section', v_old.code,
                     jsonb_build_object('old_section', coalesce(v_old.report_section, ''),
                                        'section', coalesce(v_section, '')));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;

CREATE OR REPLACE FUNCTION public.hz_category_list(p jsonb)
RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, hz_private, pg_temp AS $$
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
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
                   'report_section', coalesce(k.report_section, ''))
                   ORDER BY t.path)
          FROM t JOIN category k ON k.code = t.code), '[]'::jsonb));
END
$$;

-- The contract now holds 41 entry points: 050's check again, with
-- hz_category_section.
DO $$
DECLARE
    entry CONSTANT text[] := ARRAY[
        'hz_hello',
        'hz_submit', 'hz_summary',
        'hz_unit_add', 'hz_unit_rename', 'hz_unit_move', 'hz_unit_retire', 'hz_unit_list',
        'hz_category_add', 'hz_category_rename', 'hz_category_move', 'hz_category_retire',
        'hz_category_list', 'hz_category_section',
        'hz_indicator_add', 'hz_indicator_update', 'hz_indicator_retire', 'hz_indicator_list',
        'hz_enroll_create', 'hz_enroll', 'hz_cert_list', 'hz_cert_revoke', 'hz_audit_list',
        'hz_quota_set', 'hz_quota_list', 'hz_deadline_set', 'hz_deadline_list',
        'hz_period_lock', 'hz_period_unlock', 'hz_period_lock_list',
        'hz_amend', 'hz_retract', 'hz_record_list', 'hz_nil_report',
        'hz_correction_file', 'hz_correction_list', 'hz_correction_approve',
        'hz_correction_reject',
        'hz_export_page', 'hz_pull', 'hz_compliance'];
    n int;
BEGIN
    SELECT count(*) INTO n FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace AND p.proname = ANY (entry)
       AND p.pronargs = 1 AND p.proargtypes[0] = 'jsonb'::regtype
       AND p.prorettype = 'jsonb'::regtype AND p.prokind = 'f';
    IF n <> cardinality(entry)
       OR (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace) <> n THEN
        RAISE EXCEPTION 'public should hold exactly the % entry points, hz_<op>(jsonb) -> jsonb; found % of them among % functions',
            cardinality(entry), n,
            (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace);
    END IF;
END
$$;

REVOKE EXECUTE ON FUNCTION public.hz_category_section(jsonb) FROM PUBLIC;
