-- 005: the schema helpers live in, and the access layer every entry point
-- uses to decide who may touch which unit.
--
-- The public schema holds exactly the entry points, the functions the server
-- calls (sql/README.md lists them); everything else lives in hz_private,
-- which the server's login role will not be able to use. 050 moves the
-- helpers of 003-049 here and gives every entry point a fixed search_path
-- (public, hz_private, pg_temp), through which helper names resolve.
--
-- On a database created before this file existed, it runs after 049 (the
-- server applies every missing version in name order), so it uses nothing
-- newer than 003 and defines no name that 010-049 define.
CREATE SCHEMA IF NOT EXISTS hz_private;

-- Whether the principal reaches the unit: an administrator every unit, any
-- other principal its own unit and everything below it. The one subtree
-- rule behind the scope checks of the entry points (hz_target_unit, the
-- read scope of summaries, exports and pull, unit and audit lists, the
-- correction decisions).
CREATE OR REPLACE FUNCTION hz_private.hz_in_reach(p jsonb, unit bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((p #>> '{principal,role}') = 'admin', false)
        OR coalesce(hz_unit_within(unit, (SELECT o.id FROM org_unit o
                                          WHERE o.code = p #>> '{principal,unit}')), false)
$$;

-- The unit a request is about, once it is known to exist and to be within
-- the principal's reach; `fail` (NOT_FOUND or PERMISSION_DENIED) when it is
-- not. An empty code means the principal's own unit; for an administrator
-- whose certificate names no unit of the tree it means every unit (`unit`
-- and `fail` both NULL). The caller decides first who may ask at all.
CREATE OR REPLACE FUNCTION hz_private.hz_target_unit(p jsonb, code text,
    OUT fail jsonb, OUT unit org_unit)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_code text := coalesce(nullif(code, ''), p #>> '{principal,unit}');
BEGIN
    SELECT * INTO unit FROM org_unit o WHERE o.code = v_code;
    IF NOT FOUND THEN
        IF NOT (coalesce((p #>> '{principal,role}') = 'admin', false) AND nullif(code, '') IS NULL) THEN
            fail := hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
        END IF;
    ELSIF NOT hz_in_reach(p, unit.id) THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('unit %s is outside the subtree of %s', hz_quote(v_code),
                               p #>> '{principal,unit}'));
    END IF;
END
$$;

-- Why a request's `year` is not a year this system holds records for; NULL
-- when it is. The range is proto/validate.c's for every record date, and the
-- server's for summaries.
CREATE OR REPLACE FUNCTION hz_private.hz_year_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(hz_json_bigint(v) NOT BETWEEN 1900 AND 2999, true)
                THEN format('must be a year between 1900 and 2999, got %s',
                            coalesce(left(v::text, 30), 'nothing')) END
$$;
