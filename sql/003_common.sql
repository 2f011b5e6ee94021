-- 003: helpers shared by the hz_* functions: results, JSON field reading,
-- dates and periods, the org tree.
--
-- Functions are created with CREATE OR REPLACE so that a later migration can
-- redefine one without touching this file.

-- ------------------------------------------------------------------ results --
-- A non-OK result. `errors` (one entry per bad record or field) is left out
-- when there are none, as in the protobuf Response.
CREATE OR REPLACE FUNCTION hz_fail(status text, message text, errors jsonb DEFAULT NULL)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('status', status, 'message', message)
        || CASE WHEN errors IS NULL OR jsonb_array_length(errors) = 0 THEN '{}'::jsonb
                ELSE jsonb_build_object('errors', errors) END
$$;

-- One line for the whole `errors` list: the first error, and how many more.
CREATE OR REPLACE FUNCTION hz_errors_message(errors jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('%s %s: %s: %s', e->>'kind', e->>'index', e->>'field', e->>'reason')
        || CASE WHEN jsonb_array_length(errors) > 1
                THEN format(' (and %s more)', jsonb_array_length(errors) - 1) ELSE '' END
    FROM (SELECT errors->0 AS e) s
$$;

CREATE OR REPLACE FUNCTION hz_fail_errors(status text, errors jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail(status, hz_errors_message(errors), errors)
$$;

-- A value quoted for a message, cut short so one line stays one line.
CREATE OR REPLACE FUNCTION hz_quote(s text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s IS NULL THEN 'nothing'
                WHEN length(s) > 60 THEN '"' || left(s, 60) || '..."'
                ELSE '"' || s || '"' END
$$;

-- ------------------------------------------------------------- JSON fields --
-- proto3 has no field presence: a field at its default ("" / 0 / false / [])
-- and a missing field are the same record, whichever way the server's encoder
-- writes them. Duplicate detection compares records in this form.
CREATE OR REPLACE FUNCTION hz_canon(r jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
    FROM jsonb_each(r)
    WHERE value NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb,
                        'false'::jsonb, '0'::jsonb)
$$;

-- true when the field is absent, null or a string.
CREATE OR REPLACE FUNCTION hz_json_is_text(v jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT v IS NULL OR jsonb_typeof(v) IN ('string', 'null')
$$;

-- true when the field is absent, null or an array of strings.
CREATE OR REPLACE FUNCTION hz_json_is_texts(v jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT v IS NULL OR jsonb_typeof(v) = 'null'
        OR (jsonb_typeof(v) = 'array'
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v) e
                            WHERE jsonb_typeof(e) <> 'string'))
$$;

CREATE OR REPLACE FUNCTION hz_json_texts(v jsonb)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(e ORDER BY o), '{}')
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(v) = 'array' THEN v
                                        ELSE '[]'::jsonb END) WITH ORDINALITY t(e, o)
$$;

-- A JSON number, or a string holding one (the protobuf JSON mapping writes
-- 64-bit integers as strings); NULL when it is neither.
CREATE OR REPLACE FUNCTION hz_json_numeric(v jsonb)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(v) = 'number' THEN v::numeric
        WHEN jsonb_typeof(v) = 'string'
             AND (v #>> '{}') ~ '^-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?$'
            THEN (v #>> '{}')::numeric
    END
$$;

-- An integer that fits a bigint, else NULL. (Plain SQL expressions so that
-- the planner inlines it: it runs once per record of a batch.)
CREATE OR REPLACE FUNCTION hz_json_bigint(v jsonb)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN hz_json_numeric(v) = trunc(hz_json_numeric(v))
                     AND hz_json_numeric(v) BETWEEN -9223372036854775808 AND 9223372036854775807
                THEN hz_json_numeric(v)::bigint END
$$;

-- ------------------------------------------------------- dates and periods --
CREATE OR REPLACE FUNCTION hz_uuid_ok(s text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false)
$$;

-- Whether "YYYY-MM-DD" is a real calendar day. Arithmetic rather than a cast,
-- which would raise an error where the callers want a per-field message; the
-- CASE keeps the casts from seeing anything but digits.
CREATE OR REPLACE FUNCTION hz_date_ok(s text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' AND s NOT LIKE '0000%'
        THEN substr(s, 9, 2)::int <=
             CASE substr(s, 6, 2)::int
                 WHEN 2 THEN CASE WHEN substr(s, 1, 4)::int % 4 = 0
                                       AND (substr(s, 1, 4)::int % 100 <> 0
                                            OR substr(s, 1, 4)::int % 400 = 0)
                                  THEN 29 ELSE 28 END
                 WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
                 ELSE 31
             END
        ELSE false
    END
$$;

-- The calendar date of "YYYY-MM-DD", or NULL when it is not a real day.
CREATE OR REPLACE FUNCTION hz_parse_date(s text)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN hz_date_ok(s) THEN s::date END
$$;

-- "YYYY-MM-DD", "YYYY-MM" or "YYYY": the first day of what is known and the
-- precision (day, month, year); both NULL when it is none of these.
CREATE OR REPLACE FUNCTION hz_parse_partial_date(s text, OUT start date, OUT prec text)
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF s ~ '^[0-9]{4}$' AND substr(s, 1, 4)::int >= 1 THEN
        start := make_date(s::int, 1, 1);
        prec := 'year';
    ELSIF s ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' AND substr(s, 1, 4)::int >= 1 THEN
        start := make_date(substr(s, 1, 4)::int, substr(s, 6, 2)::int, 1);
        prec := 'month';
    ELSE
        start := hz_parse_date(s);
        prec := CASE WHEN start IS NOT NULL THEN 'day' END;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION hz_partial_date_text(start date, prec text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(start, CASE prec WHEN 'year' THEN 'YYYY'
                                         WHEN 'month' THEN 'YYYY-MM'
                                         ELSE 'YYYY-MM-DD' END)
$$;

-- Period type of "2020" (year), "2020-Q2" (quarter), "2020-06" (month); NULL
-- when it is none of these.
CREATE OR REPLACE FUNCTION hz_period_type(s text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN s LIKE '0000%' THEN NULL
        WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN 'month'
        WHEN s ~ '^[0-9]{4}-Q[1-4]$' THEN 'quarter'
        WHEN s ~ '^[0-9]{4}$' THEN 'year'
    END
$$;

CREATE OR REPLACE FUNCTION hz_period_start(s text)
RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE hz_period_type(s)
        WHEN 'month' THEN make_date(greatest(substr(s, 1, 4)::int, 1), substr(s, 6, 2)::int, 1)
        WHEN 'quarter' THEN make_date(greatest(substr(s, 1, 4)::int, 1),
                                      (substr(s, 7, 1)::int - 1) * 3 + 1, 1)
        WHEN 'year' THEN make_date(greatest(substr(s, 1, 4)::int, 1), 1, 1)
    END
$$;

-- How a period of the given type is written for a day in it, for messages
-- that show what was expected.
CREATE OR REPLACE FUNCTION hz_period_example(period_type text, d date)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE period_type
        WHEN 'month' THEN to_char(d, 'YYYY-MM')
        WHEN 'quarter' THEN to_char(d, 'YYYY-"Q"Q')
        ELSE to_char(d, 'YYYY')
    END
$$;

-- ---------------------------------------------------------------- org tree --
-- The unit and every unit below it. UNION (not UNION ALL) so that a cycle
-- made by a bad re-parenting ends instead of looping.
CREATE OR REPLACE FUNCTION hz_subtree_ids(root bigint)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    WITH RECURSIVE t(id) AS (
        SELECT root
        UNION
        SELECT u.id FROM org_unit u JOIN t ON u.parent_id = t.id
    )
    SELECT id FROM t
$$;

CREATE OR REPLACE FUNCTION hz_subtree(unit_code text)
RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT hz_subtree_ids(u.id) FROM org_unit u WHERE u.code = unit_code
$$;

-- Whether `unit` is `ancestor` or below it: walks up from `unit`, which is
-- shorter than listing the ancestor's subtree.
CREATE OR REPLACE FUNCTION hz_unit_within(unit bigint, ancestor bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(id) AS (
        SELECT unit
        UNION
        SELECT u.parent_id FROM org_unit u JOIN up ON u.id = up.id
        WHERE u.parent_id IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ancestor)
$$;

-- The current version of a record, whatever its kind, retracted or not: a
-- retracted record still owns its record_id.
CREATE OR REPLACE FUNCTION hz_record_current(rid uuid)
RETURNS TABLE (kind text, unit_id bigint, content jsonb, created_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT 'activity', a.unit_id, a.content, a.created_at
      FROM activity a WHERE a.record_id = rid AND a.is_current
    UNION ALL
    SELECT 'indicator_value', v.unit_id, v.content, v.created_at
      FROM indicator_value v WHERE v.record_id = rid AND v.is_current
    UNION ALL
    SELECT 'honor', h.unit_id, h.content, h.created_at
      FROM honor h WHERE h.record_id = rid AND h.is_current
    LIMIT 1
$$;
