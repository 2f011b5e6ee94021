-- 004: the parts of hz_submit(p jsonb), with which a community files a batch
-- of records (contract: sql/README.md); hz_submit itself, which also checks
-- period locks and writes the audit row, is in 032_submit_locks.sql.
--
-- Order of work: principal, shape, permission, fields, then locks, then the
-- comparison with what is already held, then the writes. Every check runs
-- before the first write, so any status other than OK has written nothing.

-- The server words its own syntax refusals the same way (server/h_submit.c);
-- the errors list carries each record and field.
CREATE OR REPLACE FUNCTION hz_submit_refused(errors jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT hz_fail('INVALID_ARGUMENT',
                   format('batch refused: %s invalid field(s); nothing was written',
                          jsonb_array_length(errors)),
                   errors)
$$;

-- One incoming record while hz_submit works on it.
CREATE TYPE hz_incoming AS (
    kind   text,   -- activity, indicator_value, honor
    idx    int,    -- index within its kind, as errors report it
    pos    int,    -- position within the whole batch (error order)
    rid    text,   -- record_id as sent
    r      jsonb,  -- the record object as sent
    state  text,   -- after comparison: new, duplicate or conflict
    field  text,   -- conflict: the field at fault
    reason text    -- conflict: why
);

-- One bad field of one record.
CREATE TYPE hz_field_error AS (n int, field text, reason text);

-- --------------------------------------------------------- field checks ----
-- These repeat some of the server's syntax checks (proto/validate.c) so that a
-- malformed argument still gets a status rather than an SQL error. Each
-- returns one row per bad field, `n` ordering them as the message lists them.
-- The checks are an ARRAY unnested rather than a VALUES list: a VALUES list
-- in a lateral join rebuilds its expressions (and the plans of the SQL
-- functions they call) for every record, which made a batch ten times slower.

CREATE OR REPLACE FUNCTION hz_text_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) THEN 'must be a string' END
$$;

CREATE OR REPLACE FUNCTION hz_texts_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT hz_json_is_texts(v) THEN 'must be a list of strings' END
$$;

CREATE OR REPLACE FUNCTION hz_required_text_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) THEN 'must be a string'
                WHEN coalesce(v #>> '{}', '') = '' THEN 'required' END
$$;

CREATE OR REPLACE FUNCTION hz_record_id_error(v jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') = '' THEN 'required'
                WHEN NOT hz_uuid_ok(v #>> '{}')
                    THEN format('invalid UUID %s', hz_quote(v #>> '{}')) END
$$;

-- A category code: required or optional; unknown and retired codes refused.
-- `known` and `retired_at` come from a join with category, which is cheaper
-- per record than a lookup inside this function.
CREATE OR REPLACE FUNCTION hz_category_error(v jsonb, required boolean, known text,
                                             retired_at timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN CASE WHEN required THEN 'required' END
        WHEN known IS NULL THEN format('unknown category %s', hz_quote(v #>> '{}'))
        WHEN retired_at IS NOT NULL THEN format('category %s is retired', hz_quote(known))
    END
$$;

-- The period of an indicator value must be written as the indicator's period
-- type; the message shows the expected form of the same date.
CREATE OR REPLACE FUNCTION hz_period_error(v jsonb, indicator_code text, want text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN 'required'
        WHEN hz_period_type(v #>> '{}') IS NULL
            THEN format('invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)', hz_quote(v #>> '{}'))
        WHEN want IS NULL THEN NULL  -- unknown indicator: reported on its own field
        WHEN hz_period_type(v #>> '{}') <> want
            THEN format('period %s is a %s, but indicator %s is recorded per %s (e.g. "%s")',
                        hz_quote(v #>> '{}'), hz_period_type(v #>> '{}'), indicator_code, want,
                        hz_period_example(want, hz_period_start(v #>> '{}')))
    END
$$;

CREATE OR REPLACE FUNCTION hz_activity_errors(r jsonb)
RETURNS TABLE (n int, field text, reason text) LANGUAGE sql STABLE AS $$
    SELECT v.n, v.field, v.reason
    FROM (SELECT 1) one
    LEFT JOIN category c ON c.code = r->>'category'
    CROSS JOIN LATERAL unnest(ARRAY[
        ROW(1, 'record_id', hz_record_id_error(r->'record_id')),
        ROW(2, 'date', CASE WHEN NOT hz_json_is_text(r->'date') OR NOT hz_date_ok(r->>'date')
                         THEN format('invalid date %s (want YYYY-MM-DD)', hz_quote(r->>'date')) END),
        ROW(3, 'category', hz_category_error(r->'category', true, c.code, c.retired_at)),
        ROW(4, 'title', hz_required_text_error(r->'title')),
        ROW(5, 'location', hz_text_error(r->'location')),
        ROW(6, 'participants',
            CASE WHEN coalesce(jsonb_typeof(r->'participants'), 'null') <> 'null'
                      AND coalesce(hz_json_bigint(r->'participants') < 0, true)
                 THEN format('must be a whole number >= 0, got %s', left((r->'participants')::text, 60))
            END),
        ROW(7, 'participants_at_least',
            CASE WHEN coalesce(jsonb_typeof(r->'participants_at_least'), 'null') NOT IN ('boolean', 'null')
                 THEN 'must be true or false' END),
        ROW(8, 'partners', hz_texts_error(r->'partners')),
        ROW(9, 'organiser', hz_text_error(r->'organiser')),
        ROW(10, 'summary', hz_text_error(r->'summary')),
        ROW(11, 'tags', hz_texts_error(r->'tags')),
        ROW(12, 'beneficiaries', hz_texts_error(r->'beneficiaries'))
    ]::hz_field_error[]) AS v
    WHERE v.reason IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION hz_indicator_value_errors(r jsonb)
RETURNS TABLE (n int, field text, reason text) LANGUAGE sql STABLE AS $$
    SELECT v.n, v.field, v.reason
    FROM (SELECT 1) one
    LEFT JOIN indicator i ON i.code = r->>'indicator'
    CROSS JOIN LATERAL unnest(ARRAY[
        ROW(1, 'record_id', hz_record_id_error(r->'record_id')),
        ROW(2, 'indicator',
            CASE WHEN NOT hz_json_is_text(r->'indicator') OR coalesce(r->>'indicator', '') = '' THEN 'required'
                 WHEN i.code IS NULL THEN format('unknown indicator %s', hz_quote(r->>'indicator'))
                 WHEN i.retired_at IS NOT NULL THEN format('indicator %s is retired', hz_quote(i.code))
            END),
        ROW(3, 'period', hz_period_error(r->'period', i.code, i.period_type)),
        ROW(4, 'value',
            CASE WHEN coalesce(jsonb_typeof(r->'value'), 'null') = 'null' THEN NULL
                 WHEN hz_json_numeric(r->'value') IS NULL
                     THEN format('must be a number, got %s', left((r->'value')::text, 60))
                 WHEN hz_json_numeric(r->'value') < 0
                     THEN format('must be >= 0, got %s', hz_json_numeric(r->'value'))
                 WHEN hz_json_numeric(r->'value') >= 1e300 THEN 'too large'
            END),
        ROW(5, 'note', hz_text_error(r->'note'))
    ]::hz_field_error[]) AS v
    WHERE v.reason IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION hz_honor_errors(r jsonb)
RETURNS TABLE (n int, field text, reason text) LANGUAGE sql STABLE AS $$
    SELECT v.n, v.field, v.reason
    FROM (SELECT 1) one
    LEFT JOIN category c ON c.code = r->>'category'
    CROSS JOIN LATERAL unnest(ARRAY[
        ROW(1, 'record_id', hz_record_id_error(r->'record_id')),
        ROW(2, 'date',
            CASE WHEN NOT hz_json_is_text(r->'date') OR (hz_parse_partial_date(r->>'date')).start IS NULL
                 THEN format('invalid date %s (want YYYY-MM-DD, YYYY-MM or YYYY)', hz_quote(r->>'date'))
            END),
        ROW(3, 'title', hz_required_text_error(r->'title')),
        ROW(4, 'level',
            CASE WHEN NOT hz_json_is_text(r->'level') THEN 'must be a string'
                 WHEN coalesce(r->>'level', '') NOT IN ('', 'street', 'district', 'city', 'province', 'national')
                     THEN format('unknown level %s (want street, district, city, province or national)',
                                 hz_quote(r->>'level'))
            END),
        ROW(5, 'issuer', hz_text_error(r->'issuer')),
        ROW(6, 'category', hz_category_error(r->'category', false, c.code, c.retired_at)),
        ROW(7, 'recipient', hz_text_error(r->'recipient'))
    ]::hz_field_error[]) AS v
    WHERE v.reason IS NOT NULL
$$;

-- ------------------------------------------------------------ the batch ----
-- Errors in the shape of the argument itself: the three lists must be lists
-- of objects. NULL when the shape is right.
CREATE OR REPLACE FUNCTION hz_submit_shape_errors(p jsonb)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_agg(e ORDER BY ord, o) FROM (
        SELECT k.ord, 0::bigint AS o,
               jsonb_build_object('kind', 'request', 'index', 0, 'field', k.key,
                                  'reason', 'must be a list of records') AS e
        FROM (VALUES ('activities', 1), ('indicator_values', 2), ('honors', 3)) k(key, ord)
        WHERE coalesce(jsonb_typeof(p->k.key), 'null') NOT IN ('array', 'null')
        UNION ALL
        SELECT k.ord, x.o,
               jsonb_build_object('kind', k.kind, 'index', x.o - 1, 'field', 'record',
                                  'reason', 'must be an object')
        FROM (VALUES ('activities', 'activity', 1), ('indicator_values', 'indicator_value', 2),
                     ('honors', 'honor', 3)) k(key, kind, ord)
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(p->k.key) = 'array' THEN p->k.key ELSE '[]'::jsonb END)
            WITH ORDINALITY x(r, o)
        WHERE jsonb_typeof(x.r) <> 'object'
    ) s
$$;

CREATE OR REPLACE FUNCTION hz_submit_incoming(p jsonb)
RETURNS hz_incoming[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(ROW(kind, idx, pos, r->>'record_id', r, NULL, NULL, NULL)::hz_incoming
                              ORDER BY pos), '{}')
    FROM (
        SELECT k.kind, (x.o - 1)::int AS idx, x.r,
               (row_number() OVER (ORDER BY k.ord, x.o))::int AS pos
        FROM (VALUES ('activities', 'activity', 1), ('indicator_values', 'indicator_value', 2),
                     ('honors', 'honor', 3)) k(key, kind, ord)
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(p->k.key) = 'array' THEN p->k.key ELSE '[]'::jsonb END)
            WITH ORDINALITY x(r, o)
    ) s
$$;

-- Per-field errors of every record, and record ids or indicator periods that
-- appear twice in the batch. NULL when there are none; at most 100.
CREATE OR REPLACE FUNCTION hz_submit_field_errors(recs hz_incoming[])
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH i AS (
        SELECT r.*, r.pos AS seq FROM unnest(recs) r
    ), e AS (
        SELECT i.seq, f.n, i.kind, i.idx, f.field, f.reason
          FROM i CROSS JOIN LATERAL hz_activity_errors(i.r) f WHERE i.kind = 'activity'
        UNION ALL
        SELECT i.seq, f.n, i.kind, i.idx, f.field, f.reason
          FROM i CROSS JOIN LATERAL hz_indicator_value_errors(i.r) f WHERE i.kind = 'indicator_value'
        UNION ALL
        SELECT i.seq, f.n, i.kind, i.idx, f.field, f.reason
          FROM i CROSS JOIN LATERAL hz_honor_errors(i.r) f WHERE i.kind = 'honor'
        UNION ALL
        SELECT d.seq, 0, d.kind, d.idx, 'record_id',
               format('repeated in this batch (first as %s %s)', d.first_kind, d.first_idx)
        FROM (SELECT i.seq, i.kind, i.idx,
                     row_number() OVER w AS rn,
                     first_value(i.kind) OVER w AS first_kind,
                     first_value(i.idx) OVER w AS first_idx
              FROM i WHERE hz_uuid_ok(i.rid)
              WINDOW w AS (PARTITION BY lower(i.rid) ORDER BY i.seq)) d
        WHERE d.rn > 1
        UNION ALL
        SELECT d.seq, 3, d.kind, d.idx, 'period',
               format('indicator %s for %s is repeated in this batch (first as indicator_value %s)',
                      d.ind, d.period, d.first_idx)
        FROM (SELECT i.seq, i.kind, i.idx, i.r->>'indicator' AS ind, i.r->>'period' AS period,
                     row_number() OVER w AS rn,
                     first_value(i.idx) OVER w AS first_idx
              FROM i WHERE i.kind = 'indicator_value'
              WINDOW w AS (PARTITION BY i.r->>'indicator', i.r->>'period' ORDER BY i.seq)) d
        WHERE d.rn > 1
    )
    SELECT jsonb_agg(jsonb_build_object('kind', kind, 'index', idx, 'field', field,
                                        'reason', reason) ORDER BY seq, n)
    FROM (SELECT * FROM e ORDER BY seq, n LIMIT 100) top
$$;

-- Serialises submissions that touch the same record ids or the same indicator
-- slots, so that of two concurrent identical batches one writes and the other
-- sees its rows (READ COMMITTED: each statement after the lock takes a new
-- snapshot). Keys are taken in sorted order, so two batches cannot deadlock.
CREATE OR REPLACE FUNCTION hz_submit_lock(recs hz_incoming[], unit_id bigint)
RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT count(pg_advisory_xact_lock(k)) FROM (
        SELECT hashtextextended('record:' || lower(i.rid), 7443) AS k FROM unnest(recs) i
        UNION
        SELECT hashtextextended(format('slot:%s:%s:%s', unit_id, i.r->>'indicator', i.r->>'period'), 7443)
        FROM unnest(recs) i WHERE i.kind = 'indicator_value'
        ORDER BY 1
    ) keys
$$;

-- Compares each record with what is held: new, duplicate (same content), or
-- conflict (the id holds other content, or the indicator slot is taken).
CREATE OR REPLACE FUNCTION hz_submit_classify(recs hz_incoming[], unit_id bigint)
RETURNS hz_incoming[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(ROW(i.kind, i.idx, i.pos, i.rid, i.r,
        CASE WHEN x.kind IS NULL AND s.record_id IS NULL THEN 'new'
             WHEN x.kind = i.kind AND x.unit_id = hz_submit_classify.unit_id
                  AND hz_canon(x.content) = hz_canon(i.r) THEN 'duplicate'
             ELSE 'conflict' END,
        CASE WHEN x.kind IS NULL AND s.record_id IS NOT NULL THEN 'period' ELSE 'record_id' END,
        CASE WHEN x.kind IS NULL AND s.record_id IS NOT NULL
                 THEN format('indicator %s for %s is already recorded as record %s; amend that record instead',
                             i.r->>'indicator', i.r->>'period', s.record_id)
             WHEN x.kind IS DISTINCT FROM i.kind
                 THEN format('record_id %s is already used by a record of kind %s', i.rid, x.kind)
             ELSE format('record_id %s is already recorded (%s) with other content; changing it needs an amend',
                         i.rid, to_char(x.created_at, 'YYYY-MM-DD HH24:MI:SS'))
        END)::hz_incoming ORDER BY i.pos), '{}')
    FROM unnest(recs) i
    LEFT JOIN LATERAL hz_record_current(i.rid::uuid) x ON true
    LEFT JOIN LATERAL (
        SELECT v.record_id FROM indicator_value v
        WHERE i.kind = 'indicator_value' AND x.kind IS NULL
          AND v.unit_id = hz_submit_classify.unit_id
          AND v.indicator_code = i.r->>'indicator' AND v.period = i.r->>'period'
          AND v.is_current AND v.retracted_at IS NULL
    ) s ON true
$$;

-- Writes the new records of a classified batch; returns how many rows went in.
CREATE OR REPLACE FUNCTION hz_submit_insert(recs hz_incoming[], unit_id bigint, sub uuid)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n bigint;
    total bigint := 0;
BEGIN
    -- ON CONFLICT DO NOTHING: a row that slipped in despite the locks is
    -- counted as missing below instead of failing on a unique index.
    INSERT INTO activity (record_id, unit_id, submission_id, date, category_code, title,
                          location, participants, participants_at_least, partners,
                          organiser, summary, tags, beneficiaries, content)
    SELECT i.rid::uuid, hz_submit_insert.unit_id, sub, (i.r->>'date')::date,
           i.r->>'category', i.r->>'title', coalesce(i.r->>'location', ''),
           coalesce(hz_json_bigint(i.r->'participants'), 0),
           coalesce((i.r->>'participants_at_least')::boolean, false),
           hz_json_texts(i.r->'partners'), coalesce(i.r->>'organiser', ''),
           coalesce(i.r->>'summary', ''), hz_json_texts(i.r->'tags'),
           hz_json_texts(i.r->'beneficiaries'), i.r
    FROM unnest(recs) i WHERE i.kind = 'activity' AND i.state = 'new'
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;

    INSERT INTO indicator_value (record_id, unit_id, submission_id, indicator_code, period,
                                 period_type, period_start, value, note, content)
    SELECT i.rid::uuid, hz_submit_insert.unit_id, sub, i.r->>'indicator', i.r->>'period',
           hz_period_type(i.r->>'period'), hz_period_start(i.r->>'period'),
           coalesce(hz_json_numeric(i.r->'value'), 0)::double precision,
           coalesce(i.r->>'note', ''), i.r
    FROM unnest(recs) i WHERE i.kind = 'indicator_value' AND i.state = 'new'
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;

    INSERT INTO honor (record_id, unit_id, submission_id, date_start, date_precision, title,
                       level, issuer, category_code, recipient, content)
    SELECT i.rid::uuid, hz_submit_insert.unit_id, sub, d.start, d.prec, i.r->>'title',
           coalesce(i.r->>'level', ''), coalesce(i.r->>'issuer', ''),
           nullif(i.r->>'category', ''), coalesce(i.r->>'recipient', ''), i.r
    FROM unnest(recs) i CROSS JOIN LATERAL hz_parse_partial_date(i.r->>'date') d
    WHERE i.kind = 'honor' AND i.state = 'new'
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN total + n;
END
$$;
