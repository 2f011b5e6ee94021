-- 051: least privilege (docs/database.md).
--
-- The server's login role owns nothing and may only call the entry points:
-- 1. every entry point runs as its owner (SECURITY DEFINER), with the fixed
--    search_path (public, hz_private, pg_temp) 050 gave it, so a caller's
--    own objects never shadow a table or helper;
-- 2. no function is executable by PUBLIC, now or when created later by the
--    owner: the server grants EXECUTE on the functions of public (exactly
--    the entry points) to its login role at start-up;
-- 3. PUBLIC may not use hz_private, nor create in public, nor touch a table.
-- A CREATE OR REPLACE of an entry point resets SECURITY DEFINER, so a
-- replacement states it again (sql/README.md); grants and owner are kept.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
              WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1 LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER', f.sig);
    END LOOP;
END
$$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hz_private FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE ALL ON SCHEMA hz_private FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
