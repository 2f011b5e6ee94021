-- 053: the record tables' references are kept by their writers and by the
-- referenced tables, not by foreign keys (docs/database.md "The write path").
--
-- A foreign key checks every inserted row on its own (one lookup, and a
-- FOR KEY SHARE lock on the referenced row, per row and per key): with three
-- keys that was the largest part of writing a record (about 40 µs of a
-- 5000-record batch's 60 µs per record). What the keys guaranteed holds
-- without them:
-- * a record's writer names only what exists: hz_submit takes the unit from
--   the principal, checks every category and indicator against its table
--   (hz_submit_fields_ok, or the field errors), and inserts the submission
--   in the same transaction; amends and corrections check the new content
--   the same way (hz_record_new_content);
-- * nothing a record refers to ever goes away or changes its key: units,
--   categories and indicators are retired, never deleted, and the triggers
--   below refuse a DELETE, a TRUNCATE or a key change of them and of
--   submissions, as the keys did (SQLSTATE 23503).
SET search_path = public, hz_private, pg_temp;

ALTER TABLE activity
    DROP CONSTRAINT activity_unit_id_fkey,
    DROP CONSTRAINT activity_submission_id_fkey,
    DROP CONSTRAINT activity_category_code_fkey;
ALTER TABLE indicator_value
    DROP CONSTRAINT indicator_value_unit_id_fkey,
    DROP CONSTRAINT indicator_value_submission_id_fkey,
    DROP CONSTRAINT indicator_value_indicator_code_fkey;
ALTER TABLE honor
    DROP CONSTRAINT honor_unit_id_fkey,
    DROP CONSTRAINT honor_submission_id_fkey,
    DROP CONSTRAINT honor_category_code_fkey;

CREATE OR REPLACE FUNCTION hz_private.hz_refuse_unreference()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of % are referred to by records and are never deleted nor re-keyed (retire them instead)',
                    TG_TABLE_NAME
          USING ERRCODE = 'foreign_key_violation';
END
$$;
ALTER FUNCTION hz_private.hz_refuse_unreference() SET search_path = public, hz_private, pg_temp;

CREATE TRIGGER org_unit_kept BEFORE DELETE OR TRUNCATE ON org_unit
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER org_unit_key_kept BEFORE UPDATE OF id ON org_unit
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER category_kept BEFORE DELETE OR TRUNCATE ON category
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER category_key_kept BEFORE UPDATE OF code ON category
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER indicator_kept BEFORE DELETE OR TRUNCATE ON indicator
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER indicator_key_kept BEFORE UPDATE OF code ON indicator
    FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER submission_kept BEFORE DELETE OR TRUNCATE ON submission
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_refuse_unreference();
CREATE TRIGGER submission_key_kept BEFORE UPDATE OF id ON submission
    FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION hz_private.hz_refuse_unreference();

-- The records whose id went into one kind's table while another kind's
-- table holds it live: each table's own indexes cannot see that. Set-based
-- (one probe of each other table for the batch), not one lookup per record.
CREATE OR REPLACE FUNCTION hz_private.hz_submit_kind_clash(recs hz_incoming[], written uuid[])
RETURNS hz_incoming[] LANGUAGE sql STABLE AS $$
    WITH w AS (
        SELECT i.* FROM unnest(recs) i JOIN unnest(written) x(id) ON x.id = i.rid::uuid
    ), held AS (
        SELECT a.record_id, 'activity' AS kind FROM activity a
         WHERE a.is_current AND a.record_id IN (SELECT rid::uuid FROM w WHERE kind <> 'activity')
        UNION ALL
        SELECT v.record_id, 'indicator_value' FROM indicator_value v
         WHERE v.is_current AND v.record_id IN (SELECT rid::uuid FROM w WHERE kind <> 'indicator_value')
        UNION ALL
        SELECT h.record_id, 'honor' FROM honor h
         WHERE h.is_current AND h.record_id IN (SELECT rid::uuid FROM w WHERE kind <> 'honor')
    )
    SELECT coalesce(array_agg(ROW(w.kind, w.idx, w.pos, w.rid, w.r, 'conflict', 'record_id',
               format('record_id %s is already used by a record of kind %s', w.rid, o.kind))::hz_incoming
               ORDER BY w.pos), '{}')
    FROM w JOIN held o ON o.record_id = w.rid::uuid AND o.kind <> w.kind
$$;

RESET search_path;
