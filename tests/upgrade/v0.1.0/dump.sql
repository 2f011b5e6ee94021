--
-- PostgreSQL database dump
--

\restrict 6Vg0BcHdayAijCsEfRt4dZZWeXzCMSecJEBzWLEv5htPw1njde3wkbRlf4wSymh


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: hz_private; Type: SCHEMA; Schema: -; Owner: huizong_owner
--

CREATE SCHEMA hz_private;


ALTER SCHEMA hz_private OWNER TO huizong_owner;

--
-- Name: hz_field_error; Type: TYPE; Schema: hz_private; Owner: huizong_owner
--

CREATE TYPE hz_private.hz_field_error AS (
	n integer,
	field text,
	reason text
);


ALTER TYPE hz_private.hz_field_error OWNER TO huizong_owner;

--
-- Name: hz_incoming; Type: TYPE; Schema: hz_private; Owner: huizong_owner
--

CREATE TYPE hz_private.hz_incoming AS (
	kind text,
	idx integer,
	pos integer,
	rid text,
	r jsonb,
	state text,
	field text,
	reason text
);


ALTER TYPE hz_private.hz_incoming OWNER TO huizong_owner;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: org_unit; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.org_unit (
    id bigint NOT NULL,
    parent_id bigint,
    code text NOT NULL,
    name text NOT NULL,
    level text NOT NULL,
    retired_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT org_unit_check CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT org_unit_code_check CHECK ((code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'::text)),
    CONSTRAINT org_unit_level_check CHECK ((level = ANY (ARRAY['city'::text, 'district'::text, 'street'::text, 'community'::text, 'grid'::text]))),
    CONSTRAINT org_unit_name_check CHECK ((name <> ''::text))
);


ALTER TABLE public.org_unit OWNER TO huizong_owner;

--
-- Name: hz_record_target; Type: TYPE; Schema: hz_private; Owner: huizong_owner
--

CREATE TYPE hz_private.hz_record_target AS (
	fail jsonb,
	unit public.org_unit,
	rid uuid,
	kind text,
	version integer,
	content jsonb,
	retracted_at timestamp with time zone
);


ALTER TYPE hz_private.hz_record_target OWNER TO huizong_owner;

--
-- Name: hz_activity_errors(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_activity_errors(r jsonb) RETURNS TABLE(n integer, field text, reason text)
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_activity_errors(r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_aggregation_error(jsonb, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_aggregation_error(v jsonb, optional boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
        WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') NOT IN ('sum', 'last', 'max', 'avg')
            THEN format('unknown aggregation %s (want sum, last, max or avg)',
                        hz_quote(coalesce(v #>> '{}', '')))
    END
$$;


ALTER FUNCTION hz_private.hz_aggregation_error(v jsonb, optional boolean) OWNER TO huizong_owner;

--
-- Name: hz_audit(jsonb, text, text, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_audit(p jsonb, action text, target text, detail jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE sql
    AS $$
    INSERT INTO audit (role, unit_code, fingerprint, peer, action, target, detail)
    VALUES (coalesce(p #>> '{principal,role}', ''), coalesce(p #>> '{principal,unit}', ''),
            coalesce(p #>> '{principal,fingerprint}', ''), coalesce(p #>> '{principal,peer}', ''),
            action, coalesce(target, ''), coalesce(detail, '{}'::jsonb))
$$;


ALTER FUNCTION hz_private.hz_audit(p jsonb, action text, target text, detail jsonb) OWNER TO huizong_owner;

--
-- Name: hz_bump_change_seq(); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_bump_change_seq() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
BEGIN
    NEW.change_seq := nextval('record_change_seq');
    RETURN NEW;
END
$$;


ALTER FUNCTION hz_private.hz_bump_change_seq() OWNER TO huizong_owner;

--
-- Name: hz_canon(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_canon(r jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
    SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
    FROM jsonb_each(r)
    WHERE value NOT IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb,
                        'false'::jsonb, '0'::jsonb)
$$;


ALTER FUNCTION hz_private.hz_canon(r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_error(jsonb, boolean, text, timestamp with time zone); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_category_error(v jsonb, required boolean, known text, retired_at timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN CASE WHEN required THEN 'required' END
        WHEN known IS NULL THEN format('unknown category %s', hz_quote(v #>> '{}'))
        WHEN retired_at IS NOT NULL THEN format('category %s is retired', hz_quote(known))
    END
$$;


ALTER FUNCTION hz_private.hz_category_error(v jsonb, required boolean, known text, retired_at timestamp with time zone) OWNER TO huizong_owner;

--
-- Name: hz_category_next_order(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_category_next_order(parent text) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE WHEN parent IS NULL
                THEN coalesce((SELECT max(sort_order) FROM category), 0) + 10
                ELSE (SELECT greatest(max(k.sort_order), 0) + 1 FROM category k
                       WHERE k.code = parent OR k.parent_code = parent) END
$$;


ALTER FUNCTION hz_private.hz_category_next_order(parent text) OWNER TO huizong_owner;

--
-- Name: hz_category_not_found(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_category_not_found(code text, what text DEFAULT 'category'::text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail('NOT_FOUND', format('%s %s is not in the taxonomy', what, hz_quote(code)))
$$;


ALTER FUNCTION hz_private.hz_category_not_found(code text, what text) OWNER TO huizong_owner;

--
-- Name: hz_category_parent_check(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_category_parent_check(parent text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_category_parent_check(parent text) OWNER TO huizong_owner;

--
-- Name: hz_category_within(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_category_within(c text, ancestor text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE up(code) AS (
        SELECT c
        UNION
        SELECT k.parent_code FROM category k JOIN up ON k.code = up.code
        WHERE k.parent_code IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE code = ancestor)
$$;


ALTER FUNCTION hz_private.hz_category_within(c text, ancestor text) OWNER TO huizong_owner;

--
-- Name: hz_code_error(jsonb, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_code_error(v jsonb, optional boolean DEFAULT false) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN CASE WHEN optional THEN NULL ELSE 'required' END
        WHEN (v #>> '{}') !~ '^[a-z0-9][a-z0-9_-]{0,62}$'
            THEN format('invalid code %s (want a-z, 0-9, _ or -, at most 63 characters)',
                        hz_quote(v #>> '{}'))
    END
$_$;


ALTER FUNCTION hz_private.hz_code_error(v jsonb, optional boolean) OWNER TO huizong_owner;

--
-- Name: correction_request; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.correction_request (
    id bigint NOT NULL,
    record_id uuid NOT NULL,
    kind text NOT NULL,
    unit_id bigint NOT NULL,
    action text NOT NULL,
    content jsonb,
    reason text NOT NULL,
    base_version integer NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    requested_by text DEFAULT ''::text NOT NULL,
    decided_at timestamp with time zone,
    decided_by text,
    decided_by_fingerprint text,
    decision_reason text,
    applied_version integer,
    CONSTRAINT correction_request_action_check CHECK ((action = ANY (ARRAY['amend'::text, 'retract'::text]))),
    CONSTRAINT correction_request_check CHECK (((action = 'amend'::text) = (content IS NOT NULL))),
    CONSTRAINT correction_request_kind_check CHECK ((kind = ANY (ARRAY['activity'::text, 'indicator_value'::text, 'honor'::text]))),
    CONSTRAINT correction_request_reason_check CHECK ((reason <> ''::text)),
    CONSTRAINT correction_request_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text])))
);


ALTER TABLE public.correction_request OWNER TO huizong_owner;

--
-- Name: hz_correction_decided_text(public.correction_request); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_correction_decided_text(c public.correction_request) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT format('correction %s was already %s on %s by %s', c.id, c.status,
                  hz_ts_text(c.decided_at), c.decided_by)
$$;


ALTER FUNCTION hz_private.hz_correction_decided_text(c public.correction_request) OWNER TO huizong_owner;

--
-- Name: hz_correction_pick(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_correction_pick(p jsonb, verb text, OUT fail jsonb, OUT c public.correction_request) RETURNS record
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_id bigint := hz_json_bigint(p->'correction_id');
BEGIN
    IF coalesce(p #>> '{principal,role}', '') NOT IN ('district', 'admin') THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('only a district principal above the community (or an admin) can %s a correction; this principal is %s',
                               verb, hz_principal_label(p)));
        RETURN;
    END IF;
    SELECT * INTO c FROM correction_request r WHERE r.id = v_id FOR UPDATE;
    IF NOT FOUND THEN
        fail := hz_fail('NOT_FOUND', format('correction %s not found', coalesce(p->>'correction_id', '0')));
        RETURN;
    END IF;
    IF NOT hz_in_reach(p, c.unit_id) THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('correction %s is for %s, which is outside the subtree of %s',
                               c.id, (SELECT code FROM org_unit WHERE id = c.unit_id),
                               p #>> '{principal,unit}'));
        RETURN;
    END IF;
    IF c.status <> 'pending' THEN
        fail := hz_fail('FAILED_PRECONDITION', hz_correction_decided_text(c));
    END IF;
END
$$;


ALTER FUNCTION hz_private.hz_correction_pick(p jsonb, verb text, OUT fail jsonb, OUT c public.correction_request) OWNER TO huizong_owner;

--
-- Name: hz_correction_result(bigint, text, boolean, integer); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_correction_result(id bigint, state text, created boolean, version integer) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT jsonb_build_object('status', 'OK', 'correction_id', id, 'state', state,
                              'created', created, 'version', coalesce(version, 0))
$$;


ALTER FUNCTION hz_private.hz_correction_result(id bigint, state text, created boolean, version integer) OWNER TO huizong_owner;

--
-- Name: hz_cred_ts(timestamp with time zone); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_cred_ts(t timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;


ALTER FUNCTION hz_private.hz_cred_ts(t timestamp with time zone) OWNER TO huizong_owner;

--
-- Name: hz_date_ok(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_date_ok(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $_$
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
$_$;


ALTER FUNCTION hz_private.hz_date_ok(s text) OWNER TO huizong_owner;

--
-- Name: hz_deadline(bigint, text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_deadline(unit_id bigint, indicator_code text, period text) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
    SELECT ((hz_period_end(period) + hz_deadline_day(unit_id, indicator_code))::timestamp
            AT TIME ZONE 'Asia/Shanghai')
$$;


ALTER FUNCTION hz_private.hz_deadline(unit_id bigint, indicator_code text, period text) OWNER TO huizong_owner;

--
-- Name: hz_deadline_day(bigint, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_deadline_day(unit_id bigint, indicator_code text) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce((
        SELECT r.day FROM deadline_rule r
        LEFT JOIN hz_unit_ancestors(hz_deadline_day.unit_id) a ON a.id = r.unit_id
        WHERE r.indicator_code = hz_deadline_day.indicator_code
          AND (r.unit_id IS NULL OR a.id IS NOT NULL)
        ORDER BY coalesce(a.depth, 1000000), r.id DESC
        LIMIT 1), 5)
$$;


ALTER FUNCTION hz_private.hz_deadline_day(unit_id bigint, indicator_code text) OWNER TO huizong_owner;

--
-- Name: hz_errors_message(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_errors_message(errors jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT format('%s %s: %s: %s', e->>'kind', e->>'index', e->>'field', e->>'reason')
        || CASE WHEN jsonb_array_length(errors) > 1
                THEN format(' (and %s more)', jsonb_array_length(errors) - 1) ELSE '' END
    FROM (SELECT errors->0 AS e) s
$$;


ALTER FUNCTION hz_private.hz_errors_message(errors jsonb) OWNER TO huizong_owner;

--
-- Name: record_change_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.record_change_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.record_change_seq OWNER TO huizong_owner;

--
-- Name: activity; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.activity (
    record_id uuid NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    unit_id bigint NOT NULL,
    submission_id uuid NOT NULL,
    date date NOT NULL,
    category_code text NOT NULL,
    title text NOT NULL,
    location text DEFAULT ''::text NOT NULL,
    participants bigint DEFAULT 0 NOT NULL,
    participants_at_least boolean DEFAULT false NOT NULL,
    partners text[] DEFAULT '{}'::text[] NOT NULL,
    organiser text DEFAULT ''::text NOT NULL,
    summary text DEFAULT ''::text NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    beneficiaries text[] DEFAULT '{}'::text[] NOT NULL,
    content jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    retracted_at timestamp with time zone,
    change_seq bigint DEFAULT nextval('public.record_change_seq'::regclass) NOT NULL,
    retract_reason text,
    CONSTRAINT activity_participants_check CHECK ((participants >= 0)),
    CONSTRAINT activity_version_check CHECK ((version >= 1))
);


ALTER TABLE public.activity OWNER TO huizong_owner;

--
-- Name: category; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.category (
    code text NOT NULL,
    name text NOT NULL,
    parent_code text,
    sort_order integer DEFAULT 0 NOT NULL,
    retired_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT category_check CHECK ((parent_code IS DISTINCT FROM code)),
    CONSTRAINT category_code_check CHECK ((code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'::text)),
    CONSTRAINT category_name_check CHECK ((name <> ''::text))
);


ALTER TABLE public.category OWNER TO huizong_owner;

--
-- Name: hz_export_activity(public.activity, public.org_unit, public.category); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_export_activity(a public.activity, u public.org_unit, c public.category) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object('kind', 'activity', 'record_id', a.record_id, 'version', a.version,
                              'community', u.code, 'community_name', u.name,
                              'date', to_char(a.date, 'YYYY-MM-DD'), 'category', c.code,
                              'category_name', c.name, 'title', a.title, 'location', a.location,
                              'participants', a.participants,
                              'participants_at_least', a.participants_at_least,
                              'partners', to_jsonb(a.partners), 'change_seq', a.change_seq,
                              'retracted', a.retracted_at IS NOT NULL)
$$;


ALTER FUNCTION hz_private.hz_export_activity(a public.activity, u public.org_unit, c public.category) OWNER TO huizong_owner;

--
-- Name: honor; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.honor (
    record_id uuid NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    unit_id bigint NOT NULL,
    submission_id uuid NOT NULL,
    date_start date NOT NULL,
    date_precision text NOT NULL,
    title text NOT NULL,
    level text DEFAULT ''::text NOT NULL,
    issuer text DEFAULT ''::text NOT NULL,
    category_code text,
    recipient text DEFAULT ''::text NOT NULL,
    content jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    retracted_at timestamp with time zone,
    change_seq bigint DEFAULT nextval('public.record_change_seq'::regclass) NOT NULL,
    retract_reason text,
    CONSTRAINT honor_check CHECK ((date_start = (date_trunc(date_precision, (date_start)::timestamp with time zone))::date)),
    CONSTRAINT honor_date_precision_check CHECK ((date_precision = ANY (ARRAY['day'::text, 'month'::text, 'year'::text]))),
    CONSTRAINT honor_level_check CHECK ((level = ANY (ARRAY[''::text, 'street'::text, 'district'::text, 'city'::text, 'province'::text, 'national'::text]))),
    CONSTRAINT honor_version_check CHECK ((version >= 1))
);


ALTER TABLE public.honor OWNER TO huizong_owner;

--
-- Name: hz_export_honor(public.honor, public.org_unit, public.category); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_export_honor(h public.honor, u public.org_unit, c public.category) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object('kind', 'honor', 'record_id', h.record_id, 'version', h.version,
                              'community', u.code, 'community_name', u.name,
                              'date', hz_partial_date_text(h.date_start, h.date_precision),
                              'category', coalesce(h.category_code, ''),
                              'category_name', coalesce(c.name, ''), 'title', h.title,
                              'level', h.level, 'issuer', h.issuer, 'recipient', h.recipient,
                              'change_seq', h.change_seq, 'retracted', h.retracted_at IS NOT NULL)
$$;


ALTER FUNCTION hz_private.hz_export_honor(h public.honor, u public.org_unit, c public.category) OWNER TO huizong_owner;

--
-- Name: hz_export_kind(text, bigint[], date, date, jsonb, integer); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_export_kind(kind text, units bigint[], d0 date, d1 date, k jsonb, n integer) RETURNS TABLE(rec jsonb, key jsonb)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    kd date := coalesce((k->>'d')::date, '-infinity'::date);
    ku bigint := coalesce((k->>'u')::bigint, -1);
    kp text := coalesce(k->>'p', '');
    kr uuid := coalesce((k->>'r')::uuid, '00000000-0000-0000-0000-000000000000'::uuid);
BEGIN
    IF kind = 'activity' THEN
        RETURN QUERY
        SELECT hz_export_activity(a, u, c),
               jsonb_build_object('kind', kind, 'd', a.date, 'r', a.record_id)
        FROM activity a JOIN org_unit u ON u.id = a.unit_id
             JOIN category c ON c.code = a.category_code
        WHERE a.is_current AND a.retracted_at IS NULL AND a.unit_id = ANY (units)
          AND a.date >= d0 AND a.date < d1 AND (a.date, a.record_id) > (kd, kr)
        ORDER BY a.date, a.record_id LIMIT n;
    ELSIF kind = 'indicator_value' THEN
        RETURN QUERY
        SELECT hz_export_value(v, u, i),
               jsonb_build_object('kind', kind, 'd', v.period_start, 'u', v.unit_id,
                                  'p', v.period, 'r', v.record_id)
        FROM indicator_value v JOIN org_unit u ON u.id = v.unit_id
             JOIN indicator i ON i.code = v.indicator_code
        WHERE v.is_current AND v.retracted_at IS NULL AND v.unit_id = ANY (units)
          AND v.period_start >= d0 AND v.period_start < d1
          AND (v.period_start, v.unit_id, v.period, v.record_id) > (kd, ku, kp, kr)
        ORDER BY v.period_start, v.unit_id, v.period, v.record_id LIMIT n;
    ELSE
        RETURN QUERY
        SELECT hz_export_honor(h, u, c),
               jsonb_build_object('kind', kind, 'd', h.date_start, 'r', h.record_id)
        FROM honor h JOIN org_unit u ON u.id = h.unit_id
             LEFT JOIN category c ON c.code = h.category_code
        WHERE h.is_current AND h.retracted_at IS NULL AND h.unit_id = ANY (units)
          AND h.date_start >= d0 AND h.date_start < d1 AND (h.date_start, h.record_id) > (kd, kr)
        ORDER BY h.date_start, h.record_id LIMIT n;
    END IF;
END
$$;


ALTER FUNCTION hz_private.hz_export_kind(kind text, units bigint[], d0 date, d1 date, k jsonb, n integer) OWNER TO huizong_owner;

--
-- Name: indicator; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.indicator (
    code text NOT NULL,
    name text NOT NULL,
    unit text NOT NULL,
    period_type text NOT NULL,
    aggregation text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    retired_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT indicator_aggregation_check CHECK ((aggregation = ANY (ARRAY['sum'::text, 'last'::text, 'max'::text, 'avg'::text]))),
    CONSTRAINT indicator_code_check CHECK ((code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'::text)),
    CONSTRAINT indicator_name_check CHECK ((name <> ''::text)),
    CONSTRAINT indicator_period_type_check CHECK ((period_type = ANY (ARRAY['month'::text, 'quarter'::text, 'year'::text])))
);


ALTER TABLE public.indicator OWNER TO huizong_owner;

--
-- Name: indicator_value; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.indicator_value (
    record_id uuid NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    is_current boolean DEFAULT true NOT NULL,
    unit_id bigint NOT NULL,
    submission_id uuid NOT NULL,
    indicator_code text NOT NULL,
    period text NOT NULL,
    period_type text NOT NULL,
    period_start date NOT NULL,
    value double precision NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    content jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    retracted_at timestamp with time zone,
    change_seq bigint DEFAULT nextval('public.record_change_seq'::regclass) NOT NULL,
    retract_reason text,
    CONSTRAINT indicator_value_check CHECK ((period_start = (date_trunc(period_type, (period_start)::timestamp with time zone))::date)),
    CONSTRAINT indicator_value_period_type_check CHECK ((period_type = ANY (ARRAY['month'::text, 'quarter'::text, 'year'::text]))),
    CONSTRAINT indicator_value_value_check CHECK (((value >= (0)::double precision) AND (value < 'Infinity'::double precision))),
    CONSTRAINT indicator_value_version_check CHECK ((version >= 1))
);


ALTER TABLE public.indicator_value OWNER TO huizong_owner;

--
-- Name: hz_export_value(public.indicator_value, public.org_unit, public.indicator); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_export_value(v public.indicator_value, u public.org_unit, i public.indicator) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object('kind', 'indicator_value', 'record_id', v.record_id,
                              'version', v.version, 'community', u.code, 'community_name', u.name,
                              'indicator', i.code, 'indicator_name', i.name, 'period', v.period,
                              'period_type', v.period_type, 'value', v.value, 'unit', i.unit,
                              'change_seq', v.change_seq, 'retracted', v.retracted_at IS NOT NULL)
$$;


ALTER FUNCTION hz_private.hz_export_value(v public.indicator_value, u public.org_unit, i public.indicator) OWNER TO huizong_owner;

--
-- Name: hz_fail(text, text, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_fail(status text, message text, errors jsonb DEFAULT NULL::jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT jsonb_build_object('status', status, 'message', message)
        || CASE WHEN errors IS NULL OR jsonb_array_length(errors) = 0 THEN '{}'::jsonb
                ELSE jsonb_build_object('errors', errors) END
$$;


ALTER FUNCTION hz_private.hz_fail(status text, message text, errors jsonb) OWNER TO huizong_owner;

--
-- Name: hz_fail_errors(text, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_fail_errors(status text, errors jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail(status, hz_errors_message(errors), errors)
$$;


ALTER FUNCTION hz_private.hz_fail_errors(status text, errors jsonb) OWNER TO huizong_owner;

--
-- Name: hz_fail_field(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_fail_field(field text, reason text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail('INVALID_ARGUMENT', field || ': ' || reason,
                   jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                                        'field', field, 'reason', reason)))
$$;


ALTER FUNCTION hz_private.hz_fail_field(field text, reason text) OWNER TO huizong_owner;

--
-- Name: hz_first_field_error(text[]); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_first_field_error(VARIADIC pairs text[]) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    FOR i IN 1 .. coalesce(array_length(pairs, 1), 0) / 2 LOOP
        IF pairs[2 * i] IS NOT NULL THEN
            RETURN hz_fail_field(pairs[2 * i - 1], pairs[2 * i]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;


ALTER FUNCTION hz_private.hz_first_field_error(VARIADIC pairs text[]) OWNER TO huizong_owner;

--
-- Name: hz_honor_errors(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_honor_errors(r jsonb) RETURNS TABLE(n integer, field text, reason text)
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_honor_errors(r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_in_reach(jsonb, bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_in_reach(p jsonb, unit bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce((p #>> '{principal,role}') = 'admin', false)
        OR coalesce(hz_unit_within(unit, (SELECT o.id FROM org_unit o
                                          WHERE o.code = p #>> '{principal,unit}')), false)
$$;


ALTER FUNCTION hz_private.hz_in_reach(p jsonb, unit bigint) OWNER TO huizong_owner;

--
-- Name: hz_indicator_not_found(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_indicator_not_found(code text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail('NOT_FOUND', format('indicator %s is not defined', hz_quote(code)))
$$;


ALTER FUNCTION hz_private.hz_indicator_not_found(code text) OWNER TO huizong_owner;

--
-- Name: hz_indicator_unit_error(jsonb, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_indicator_unit_error(v jsonb, optional boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
                ELSE hz_name_error(v) END
$$;


ALTER FUNCTION hz_private.hz_indicator_unit_error(v jsonb, optional boolean) OWNER TO huizong_owner;

--
-- Name: hz_indicator_value_count(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_indicator_value_count(code text) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
    SELECT count(DISTINCT record_id) FROM indicator_value WHERE indicator_code = code
$$;


ALTER FUNCTION hz_private.hz_indicator_value_count(code text) OWNER TO huizong_owner;

--
-- Name: hz_indicator_value_errors(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_indicator_value_errors(r jsonb) RETURNS TABLE(n integer, field text, reason text)
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_indicator_value_errors(r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_json_bigint(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_json_bigint(v jsonb) RETURNS bigint
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN hz_json_numeric(v) = trunc(hz_json_numeric(v))
                     AND hz_json_numeric(v) BETWEEN -9223372036854775808 AND 9223372036854775807
                THEN hz_json_numeric(v)::bigint END
$$;


ALTER FUNCTION hz_private.hz_json_bigint(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_json_is_text(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_json_is_text(v jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT v IS NULL OR jsonb_typeof(v) IN ('string', 'null')
$$;


ALTER FUNCTION hz_private.hz_json_is_text(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_json_is_texts(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_json_is_texts(v jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT v IS NULL OR jsonb_typeof(v) = 'null'
        OR (jsonb_typeof(v) = 'array'
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v) e
                            WHERE jsonb_typeof(e) <> 'string'))
$$;


ALTER FUNCTION hz_private.hz_json_is_texts(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_json_numeric(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_json_numeric(v jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT CASE
        WHEN jsonb_typeof(v) = 'number' THEN v::numeric
        WHEN jsonb_typeof(v) = 'string'
             AND (v #>> '{}') ~ '^-?[0-9]{1,30}(\.[0-9]{1,30})?([eE][-+]?[0-9]{1,3})?$'
            THEN (v #>> '{}')::numeric
    END
$_$;


ALTER FUNCTION hz_private.hz_json_numeric(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_json_texts(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_json_texts(v jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(array_agg(e ORDER BY o), '{}')
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(v) = 'array' THEN v
                                        ELSE '[]'::jsonb END) WITH ORDINALITY t(e, o)
$$;


ALTER FUNCTION hz_private.hz_json_texts(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_level_parent_error(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_level_parent_error(child text, parent text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_level_parent_error(child text, parent text) OWNER TO huizong_owner;

--
-- Name: hz_level_rank(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_level_rank(level text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE level WHEN 'city' THEN 1 WHEN 'district' THEN 2 WHEN 'street' THEN 3
                      WHEN 'community' THEN 4 WHEN 'grid' THEN 5 END
$$;


ALTER FUNCTION hz_private.hz_level_rank(level text) OWNER TO huizong_owner;

--
-- Name: period_lock; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.period_lock (
    id bigint NOT NULL,
    unit_id bigint NOT NULL,
    period text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    locked_at timestamp with time zone DEFAULT now() NOT NULL,
    locked_by text DEFAULT ''::text NOT NULL,
    unlocked_at timestamp with time zone,
    unlocked_by text,
    locked_by_unit_id bigint,
    locked_by_admin boolean DEFAULT false NOT NULL,
    CONSTRAINT period_lock_check CHECK ((period_end > period_start))
);


ALTER TABLE public.period_lock OWNER TO huizong_owner;

--
-- Name: hz_lock_covering(bigint, date, date); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_lock_covering(unit bigint, start date, finish date) RETURNS SETOF public.period_lock
    LANGUAGE sql STABLE
    AS $$
    SELECT l.* FROM hz_unit_ancestors(unit) a
    JOIN period_lock l ON l.unit_id = a.id AND l.unlocked_at IS NULL
    WHERE l.period_start < finish AND l.period_end > start
    ORDER BY l.locked_at, l.id
    LIMIT 1
$$;


ALTER FUNCTION hz_private.hz_lock_covering(unit bigint, start date, finish date) OWNER TO huizong_owner;

--
-- Name: hz_lock_message(public.period_lock); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_lock_message(l public.period_lock) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT format('period %s is locked for %s since %s by %s', l.period,
                  (SELECT code FROM org_unit WHERE id = l.unit_id), hz_ts_text(l.locked_at),
                  l.locked_by)
$$;


ALTER FUNCTION hz_private.hz_lock_message(l public.period_lock) OWNER TO huizong_owner;

--
-- Name: hz_lock_org_tree(); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_lock_org_tree() RETURNS void
    LANGUAGE sql
    AS $$
    SELECT pg_advisory_xact_lock(7443, 20)
$$;


ALTER FUNCTION hz_private.hz_lock_org_tree() OWNER TO huizong_owner;

--
-- Name: hz_lock_taxonomy(); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_lock_taxonomy() RETURNS void
    LANGUAGE sql
    AS $$
    SELECT pg_advisory_xact_lock(7443, 21)
$$;


ALTER FUNCTION hz_private.hz_lock_taxonomy() OWNER TO huizong_owner;

--
-- Name: hz_month_start(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_month_start(s text) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT CASE WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'
                THEN make_date(left(s, 4)::int, right(s, 2)::int, 1) END
$_$;


ALTER FUNCTION hz_private.hz_month_start(s text) OWNER TO huizong_owner;

--
-- Name: hz_name_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_name_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN NOT hz_json_is_text(v) THEN 'must be a string'
        WHEN coalesce(v #>> '{}', '') = '' THEN 'required'
        WHEN octet_length(v #>> '{}') > 200 THEN 'at most 200 bytes'
        WHEN (v #>> '{}') ~ '[\x01-\x1f\x7f]' THEN 'must not hold control characters'
    END
$$;


ALTER FUNCTION hz_private.hz_name_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_parse_date(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_parse_date(s text) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN hz_date_ok(s) THEN s::date END
$$;


ALTER FUNCTION hz_private.hz_parse_date(s text) OWNER TO huizong_owner;

--
-- Name: hz_parse_partial_date(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_parse_partial_date(s text, OUT start date, OUT prec text) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
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
$_$;


ALTER FUNCTION hz_private.hz_parse_partial_date(s text, OUT start date, OUT prec text) OWNER TO huizong_owner;

--
-- Name: hz_partial_date_text(date, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_partial_date_text(start date, prec text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT to_char(start, CASE prec WHEN 'year' THEN 'YYYY'
                                         WHEN 'month' THEN 'YYYY-MM'
                                         ELSE 'YYYY-MM-DD' END)
$$;


ALTER FUNCTION hz_private.hz_partial_date_text(start date, prec text) OWNER TO huizong_owner;

--
-- Name: hz_period_end(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_end(s text) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT (hz_period_start(s) + CASE hz_period_type(s) WHEN 'month' THEN interval '1 month'
                                                        WHEN 'quarter' THEN interval '3 months'
                                                        ELSE interval '1 year' END)::date
$$;


ALTER FUNCTION hz_private.hz_period_end(s text) OWNER TO huizong_owner;

--
-- Name: hz_period_error(jsonb, text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_error(v jsonb, indicator_code text, want text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_period_error(v jsonb, indicator_code text, want text) OWNER TO huizong_owner;

--
-- Name: hz_period_example(text, date); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_example(period_type text, d date) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE period_type
        WHEN 'month' THEN to_char(d, 'YYYY-MM')
        WHEN 'quarter' THEN to_char(d, 'YYYY-"Q"Q')
        ELSE to_char(d, 'YYYY')
    END
$$;


ALTER FUNCTION hz_private.hz_period_example(period_type text, d date) OWNER TO huizong_owner;

--
-- Name: hz_period_lock_args(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_lock_args(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    k record;
BEGIN
    k := hz_rule_unit(p, what);
    fail := k.fail;
    unit := k.unit;
    IF fail IS NULL AND hz_period_type(p->>'period') IS NULL THEN
        fail := hz_request_error('period', format('invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)',
                                                  hz_quote(p->>'period')));
    END IF;
END
$$;


ALTER FUNCTION hz_private.hz_period_lock_args(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) OWNER TO huizong_owner;

--
-- Name: hz_period_start(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_start(s text) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE hz_period_type(s)
        WHEN 'month' THEN make_date(greatest(substr(s, 1, 4)::int, 1), substr(s, 6, 2)::int, 1)
        WHEN 'quarter' THEN make_date(greatest(substr(s, 1, 4)::int, 1),
                                      (substr(s, 7, 1)::int - 1) * 3 + 1, 1)
        WHEN 'year' THEN make_date(greatest(substr(s, 1, 4)::int, 1), 1, 1)
    END
$$;


ALTER FUNCTION hz_private.hz_period_start(s text) OWNER TO huizong_owner;

--
-- Name: hz_period_state(bigint, text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_state(unit_id bigint, indicator_code text, period text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE
        WHEN hz_period_type(period) IS DISTINCT FROM
             (SELECT i.period_type FROM indicator i WHERE i.code = hz_period_state.indicator_code)
            THEN NULL
        WHEN f.first_at IS NOT NULL THEN
            CASE WHEN f.first_at < hz_deadline(unit_id, indicator_code, period)
                 THEN 'on_time' ELSE 'late' END
        WHEN EXISTS (SELECT 1 FROM nil_report n
                     WHERE n.unit_id = hz_period_state.unit_id
                       AND n.indicator_code = hz_period_state.indicator_code
                       AND n.period = hz_period_state.period) THEN 'nil'
        ELSE 'missing' END
    FROM (SELECT (SELECT min(v1.created_at) FROM indicator_value v1
                  WHERE v1.record_id = v.record_id) AS first_at
          FROM (SELECT 1) one
          LEFT JOIN indicator_value v
                 ON v.unit_id = hz_period_state.unit_id
                AND v.indicator_code = hz_period_state.indicator_code
                AND v.period = hz_period_state.period
                AND v.is_current AND v.retracted_at IS NULL) f
$$;


ALTER FUNCTION hz_private.hz_period_state(unit_id bigint, indicator_code text, period text) OWNER TO huizong_owner;

--
-- Name: hz_period_type(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_type(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT CASE
        WHEN s LIKE '0000%' THEN NULL
        WHEN s ~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN 'month'
        WHEN s ~ '^[0-9]{4}-Q[1-4]$' THEN 'quarter'
        WHEN s ~ '^[0-9]{4}$' THEN 'year'
    END
$_$;


ALTER FUNCTION hz_private.hz_period_type(s text) OWNER TO huizong_owner;

--
-- Name: hz_period_type_error(jsonb, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_period_type_error(v jsonb, optional boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN optional AND coalesce(v #>> '{}', '') = '' THEN NULL
        WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') NOT IN ('month', 'quarter', 'year')
            THEN format('unknown period type %s (want month, quarter or year)',
                        hz_quote(coalesce(v #>> '{}', '')))
    END
$$;


ALTER FUNCTION hz_private.hz_period_type_error(v jsonb, optional boolean) OWNER TO huizong_owner;

--
-- Name: hz_principal_label(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_principal_label(p jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(p #>> '{principal,role}', '?') || ' ' || coalesce(p #>> '{principal,unit}', '?')
$$;


ALTER FUNCTION hz_private.hz_principal_label(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_pull_rows(bigint[], bigint, integer); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_pull_rows(units bigint[], since bigint, n integer) RETURNS TABLE(seq bigint, rec jsonb)
    LANGUAGE sql STABLE
    AS $$
    (SELECT a.change_seq, hz_export_activity(a, u, c)
       FROM activity a JOIN org_unit u ON u.id = a.unit_id
            JOIN category c ON c.code = a.category_code
      WHERE a.change_seq > since AND a.unit_id = ANY (units)
      ORDER BY a.change_seq LIMIT n)
    UNION ALL
    (SELECT v.change_seq, hz_export_value(v, u, i)
       FROM indicator_value v JOIN org_unit u ON u.id = v.unit_id
            JOIN indicator i ON i.code = v.indicator_code
      WHERE v.change_seq > since AND v.unit_id = ANY (units)
      ORDER BY v.change_seq LIMIT n)
    UNION ALL
    (SELECT h.change_seq, hz_export_honor(h, u, c)
       FROM honor h JOIN org_unit u ON u.id = h.unit_id
            LEFT JOIN category c ON c.code = h.category_code
      WHERE h.change_seq > since AND h.unit_id = ANY (units)
      ORDER BY h.change_seq LIMIT n)
$$;


ALTER FUNCTION hz_private.hz_pull_rows(units bigint[], since bigint, n integer) OWNER TO huizong_owner;

--
-- Name: hz_quarter_text(date); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_quarter_text(d date) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT to_char(d, 'YYYY') || '-Q' || to_char(d, 'Q')
$$;


ALTER FUNCTION hz_private.hz_quarter_text(d date) OWNER TO huizong_owner;

--
-- Name: hz_quota_effective(bigint, text, date, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_quota_effective(unit_id bigint, indicator_code text, period_start date, want_type text DEFAULT NULL::text) RETURNS TABLE(quota_id bigint, minimum double precision, period_type text, effective_from date, defined_on text)
    LANGUAGE sql STABLE
    AS $$
    SELECT DISTINCT ON (q.period_type) q.id, q.minimum, q.period_type, q.effective_from, o.code
    FROM hz_unit_ancestors(hz_quota_effective.unit_id) a
    JOIN quota q ON q.unit_id = a.id
    JOIN org_unit o ON o.id = q.unit_id
    WHERE q.indicator_code = hz_quota_effective.indicator_code
      AND q.effective_from <= hz_quota_effective.period_start
      AND (want_type IS NULL OR q.period_type = want_type)
    ORDER BY q.period_type, a.depth, q.effective_from DESC, q.id DESC
$$;


ALTER FUNCTION hz_private.hz_quota_effective(unit_id bigint, indicator_code text, period_start date, want_type text) OWNER TO huizong_owner;

--
-- Name: hz_quote(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_quote(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN s IS NULL THEN 'nothing'
                WHEN length(s) > 60 THEN '"' || left(s, 60) || '..."'
                ELSE '"' || s || '"' END
$$;


ALTER FUNCTION hz_private.hz_quote(s text) OWNER TO huizong_owner;

--
-- Name: hz_read_scope(jsonb, text, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_read_scope(p jsonb, what text DEFAULT 'records'::text, with_span boolean DEFAULT true) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_pcode text := p #>> '{principal,unit}';
    v_principal org_unit;
    v_target org_unit;
    v_code text;
    v_errors jsonb;
    v_d0 date;
    v_d1 date;
BEGIN
    IF v_role IS NULL OR v_role NOT IN ('community', 'district', 'admin') THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('principal role %s may not read %s', hz_quote(v_role), what));
    END IF;
    SELECT * INTO v_principal FROM org_unit WHERE code = v_pcode;
    IF NOT FOUND AND v_role <> 'admin' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_pcode)));
    END IF;
    IF with_span THEN
        v_errors := hz_summary_request_errors(p - 'group_by' - 'list_activities');
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
        END IF;
        IF coalesce(p->>'from', '') <> '' THEN
            v_d0 := hz_month_start(p->>'from');
            v_d1 := (hz_month_start(p->>'to') + interval '1 month')::date;
        ELSE
            v_d0 := make_date(hz_json_bigint(p->'year')::int, 1, 1);
            v_d1 := (v_d0 + interval '1 year')::date;
        END IF;
    END IF;
    v_code := coalesce(nullif(p->>'unit_code', ''), v_pcode);
    SELECT * INTO v_target FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF (v_role = 'community' AND v_target.id <> v_principal.id)
       OR NOT hz_in_reach(p, v_target.id) THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is outside what %s may read (%s)', hz_quote(v_code),
                              hz_quote(v_pcode),
                              CASE v_role WHEN 'community' THEN 'its own records'
                                          ELSE 'its own subtree' END));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_target.code,
                              'units', to_jsonb(ARRAY(SELECT hz_subtree_ids(v_target.id))),
                              'd0', v_d0, 'd1', v_d1);
END
$$;


ALTER FUNCTION hz_private.hz_read_scope(p jsonb, what text, with_span boolean) OWNER TO huizong_owner;

--
-- Name: hz_record_changed(hz_private.hz_record_target, integer, boolean); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_changed(t hz_private.hz_record_target, version integer, changed boolean) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT jsonb_build_object('status', 'OK', 'record_id', t.rid::text, 'version', version,
                              'changed', changed)
$$;


ALTER FUNCTION hz_private.hz_record_changed(t hz_private.hz_record_target, version integer, changed boolean) OWNER TO huizong_owner;

--
-- Name: hz_record_current(uuid); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_current(rid uuid) RETURNS TABLE(kind text, unit_id bigint, content jsonb, created_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_record_current(rid uuid) OWNER TO huizong_owner;

--
-- Name: hz_record_find(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_find(p jsonb, verb text) RETURNS hz_private.hz_record_target
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_rid text := p->>'record_id';
    t hz_record_target;
    u org_unit;
    h record;
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('only the community that filed a record can %s it; this principal is %s',
                                 verb, hz_principal_label(p)));
        RETURN t;
    END IF;
    SELECT * INTO u FROM org_unit o WHERE o.code = p #>> '{principal,unit}';
    IF NOT FOUND OR u.level <> 'community' OR u.retired_at IS NOT NULL THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('unit %s is not an active community', hz_quote(p #>> '{principal,unit}')));
        RETURN t;
    END IF;
    t.unit := u;
    IF NOT hz_uuid_ok(v_rid) THEN
        t.fail := hz_fail('INVALID_ARGUMENT', format('record_id: invalid UUID %s', hz_quote(v_rid)),
                          jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                              'field', 'record_id', 'reason', 'invalid UUID')));
        RETURN t;
    END IF;
    t.rid := v_rid::uuid;
    PERFORM pg_advisory_xact_lock(hashtextextended('record:' || lower(v_rid), 7443));
    SELECT * INTO h FROM hz_record_head(t.rid);
    IF NOT FOUND THEN
        t.fail := hz_fail('NOT_FOUND', format('record %s not found', v_rid));
        RETURN t;
    END IF;
    IF h.unit_id <> u.id THEN
        t.fail := hz_fail('PERMISSION_DENIED',
                          format('record %s belongs to %s, not to %s; only its own community can %s it',
                                 v_rid, (SELECT o.code FROM org_unit o WHERE o.id = h.unit_id),
                                 u.code, verb));
        RETURN t;
    END IF;
    t.kind := h.kind;
    t.version := h.version;
    t.content := h.content;
    t.retracted_at := h.retracted_at;
    RETURN t;
END
$$;


ALTER FUNCTION hz_private.hz_record_find(p jsonb, verb text) OWNER TO huizong_owner;

--
-- Name: hz_record_head(uuid); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_head(rid uuid) RETURNS TABLE(kind text, unit_id bigint, version integer, content jsonb, retracted_at timestamp with time zone)
    LANGUAGE sql STABLE
    AS $$
    SELECT 'activity', a.unit_id, a.version, a.content, a.retracted_at
      FROM activity a WHERE a.record_id = rid AND a.is_current
    UNION ALL
    SELECT 'indicator_value', v.unit_id, v.version, v.content, v.retracted_at
      FROM indicator_value v WHERE v.record_id = rid AND v.is_current
    UNION ALL
    SELECT 'honor', h.unit_id, h.version, h.content, h.retracted_at
      FROM honor h WHERE h.record_id = rid AND h.is_current
    LIMIT 1
$$;


ALTER FUNCTION hz_private.hz_record_head(rid uuid) OWNER TO huizong_owner;

--
-- Name: hz_record_id_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_id_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) OR coalesce(v #>> '{}', '') = '' THEN 'required'
                WHEN NOT hz_uuid_ok(v #>> '{}')
                    THEN format('invalid UUID %s', hz_quote(v #>> '{}')) END
$$;


ALTER FUNCTION hz_private.hz_record_id_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_record_lock(bigint, text, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_lock(unit bigint, kind text, r jsonb) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT hz_lock_message(l)
    FROM hz_record_span(kind, r) s
    CROSS JOIN LATERAL hz_lock_covering(unit, s.start, s.finish) l
    WHERE s.start IS NOT NULL
$$;


ALTER FUNCTION hz_private.hz_record_lock(unit bigint, kind text, r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_record_new_content(jsonb, hz_private.hz_record_target); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_new_content(p jsonb, t hz_private.hz_record_target, OUT fail jsonb, OUT r jsonb) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_kinds text[];
    v_errors jsonb;
BEGIN
    SELECT array_agg(k) INTO v_kinds FROM unnest(ARRAY['activity', 'indicator_value', 'honor']) k
     WHERE jsonb_typeof(p->k) = 'object';
    IF coalesce(array_length(v_kinds, 1), 0) <> 1 THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        'give the new content as exactly one record (activity, indicator_value or honor)');
        RETURN;
    END IF;
    IF v_kinds[1] <> t.kind THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        format('record %s is of kind %s; the new content is of kind %s (a record keeps its kind)',
                               t.rid, t.kind, v_kinds[1]));
        RETURN;
    END IF;
    r := p->t.kind;
    IF coalesce(r->>'record_id', '') = '' THEN
        r := r || jsonb_build_object('record_id', t.rid::text);
    ELSIF lower(r->>'record_id') <> t.rid::text THEN
        fail := hz_fail('INVALID_ARGUMENT',
                        format('the new content names record %s, not %s', hz_quote(r->>'record_id'), t.rid));
        RETURN;
    END IF;
    IF coalesce(r->>'unit_code', '') = '' THEN
        r := r || jsonb_build_object('unit_code', (t.unit).code);
    ELSIF r->>'unit_code' <> (t.unit).code THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('unit %s is not your unit %s', hz_quote(r->>'unit_code'), hz_quote((t.unit).code)));
        RETURN;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', t.kind, 'index', 0, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n)
      INTO v_errors
      FROM (SELECT * FROM hz_activity_errors(r) WHERE t.kind = 'activity'
            UNION ALL SELECT * FROM hz_indicator_value_errors(r) WHERE t.kind = 'indicator_value'
            UNION ALL SELECT * FROM hz_honor_errors(r) WHERE t.kind = 'honor') e;
    IF v_errors IS NOT NULL THEN
        fail := hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
END
$$;


ALTER FUNCTION hz_private.hz_record_new_content(p jsonb, t hz_private.hz_record_target, OUT fail jsonb, OUT r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_record_slot_taken(hz_private.hz_record_target, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_slot_taken(t hz_private.hz_record_target, r jsonb) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT format('indicator %s for %s is already recorded as record %s', r->>'indicator',
                  r->>'period', v.record_id)
    FROM indicator_value v
    WHERE t.kind = 'indicator_value' AND v.unit_id = (t.unit).id
      AND v.indicator_code = r->>'indicator' AND v.period = r->>'period'
      AND v.is_current AND v.retracted_at IS NULL AND v.record_id <> t.rid
    LIMIT 1
$$;


ALTER FUNCTION hz_private.hz_record_slot_taken(t hz_private.hz_record_target, r jsonb) OWNER TO huizong_owner;

--
-- Name: hz_record_span(text, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_span(kind text, r jsonb, OUT start date, OUT finish date) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    AS $$
BEGIN
    IF kind = 'activity' THEN
        start := hz_parse_date(r->>'date');
        finish := start + 1;
    ELSIF kind = 'honor' THEN
        start := (hz_parse_partial_date(r->>'date')).start;
        finish := start + 1;
    ELSIF kind = 'indicator_value' AND hz_period_type(r->>'period') IS NOT NULL THEN
        start := hz_period_start(r->>'period');
        finish := hz_period_end(r->>'period');
    END IF;
END
$$;


ALTER FUNCTION hz_private.hz_record_span(kind text, r jsonb, OUT start date, OUT finish date) OWNER TO huizong_owner;

--
-- Name: hz_record_submission(jsonb, bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_submission(p jsonb, unit bigint) RETURNS uuid
    LANGUAGE sql
    AS $$
    INSERT INTO submission (unit_id, role, fingerprint, peer, record_count)
    VALUES (unit, coalesce(p #>> '{principal,role}', ''),
            coalesce(p #>> '{principal,fingerprint}', ''),
            coalesce(p #>> '{principal,peer}', ''), 1)
    RETURNING id
$$;


ALTER FUNCTION hz_private.hz_record_submission(p jsonb, unit bigint) OWNER TO huizong_owner;

--
-- Name: hz_record_write_retract(hz_private.hz_record_target, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_write_retract(t hz_private.hz_record_target, reason text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE activity SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'activity' AND record_id = t.rid AND is_current;
    UPDATE indicator_value SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'indicator_value' AND record_id = t.rid AND is_current;
    UPDATE honor SET retracted_at = now(), retract_reason = reason
     WHERE t.kind = 'honor' AND record_id = t.rid AND is_current;
END
$$;


ALTER FUNCTION hz_private.hz_record_write_retract(t hz_private.hz_record_target, reason text) OWNER TO huizong_owner;

--
-- Name: hz_record_write_version(hz_private.hz_record_target, jsonb, uuid); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_record_write_version(t hz_private.hz_record_target, r jsonb, sub uuid) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v int := t.version + 1;
BEGIN
    IF t.kind = 'activity' THEN
        UPDATE activity SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO activity (record_id, version, unit_id, submission_id, date, category_code, title,
                              location, participants, participants_at_least, partners,
                              organiser, summary, tags, beneficiaries, content)
        VALUES (t.rid, v, (t.unit).id, sub, (r->>'date')::date, r->>'category', r->>'title',
                coalesce(r->>'location', ''), coalesce(hz_json_bigint(r->'participants'), 0),
                coalesce((r->>'participants_at_least')::boolean, false),
                hz_json_texts(r->'partners'), coalesce(r->>'organiser', ''),
                coalesce(r->>'summary', ''), hz_json_texts(r->'tags'),
                hz_json_texts(r->'beneficiaries'), r);
    ELSIF t.kind = 'indicator_value' THEN
        UPDATE indicator_value SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO indicator_value (record_id, version, unit_id, submission_id, indicator_code,
                                     period, period_type, period_start, value, note, content)
        VALUES (t.rid, v, (t.unit).id, sub, r->>'indicator', r->>'period',
                hz_period_type(r->>'period'), hz_period_start(r->>'period'),
                coalesce(hz_json_numeric(r->'value'), 0)::double precision,
                coalesce(r->>'note', ''), r);
    ELSE
        UPDATE honor SET is_current = false WHERE record_id = t.rid AND is_current;
        INSERT INTO honor (record_id, version, unit_id, submission_id, date_start, date_precision,
                           title, level, issuer, category_code, recipient, content)
        SELECT t.rid, v, (t.unit).id, sub, d.start, d.prec, r->>'title',
               coalesce(r->>'level', ''), coalesce(r->>'issuer', ''),
               nullif(r->>'category', ''), coalesce(r->>'recipient', ''), r
        FROM hz_parse_partial_date(r->>'date') d;
    END IF;
    RETURN v;
END
$$;


ALTER FUNCTION hz_private.hz_record_write_version(t hz_private.hz_record_target, r jsonb, sub uuid) OWNER TO huizong_owner;

--
-- Name: hz_request_error(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_request_error(field text, reason text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail_field(field, reason)
$$;


ALTER FUNCTION hz_private.hz_request_error(field text, reason text) OWNER TO huizong_owner;

--
-- Name: hz_require_admin(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_require_admin(p jsonb, what text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN (p #>> '{principal,role}') IS DISTINCT FROM 'admin'
        THEN hz_fail('PERMISSION_DENIED',
                     format('only an administrator can %s; this certificate is %s for %s', what,
                            coalesce(nullif(p #>> '{principal,role}', ''), 'no role'),
                            hz_quote(coalesce(p #>> '{principal,unit}', ''))))
    END
$$;


ALTER FUNCTION hz_private.hz_require_admin(p jsonb, what text) OWNER TO huizong_owner;

--
-- Name: hz_require_reader(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_require_reader(p jsonb, what text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN coalesce(p #>> '{principal,role}', '') NOT IN ('community', 'district', 'admin')
        THEN hz_fail('PERMISSION_DENIED',
                     format('principal role %s may not %s',
                            hz_quote(coalesce(p #>> '{principal,role}', '')), what))
    END
$$;


ALTER FUNCTION hz_private.hz_require_reader(p jsonb, what text) OWNER TO huizong_owner;

--
-- Name: hz_required_text_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_required_text_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) THEN 'must be a string'
                WHEN coalesce(v #>> '{}', '') = '' THEN 'required' END
$$;


ALTER FUNCTION hz_private.hz_required_text_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_rule_unit(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_code text := p->>'unit_code';
    k record;
BEGIN
    IF coalesce(p #>> '{principal,role}', '') NOT IN ('district', 'admin') THEN
        fail := hz_fail('PERMISSION_DENIED',
                        format('only an admin or a district principal can %s; this principal is %s',
                               what, hz_principal_label(p)));
        RETURN;
    END IF;
    IF coalesce(v_code, '') = '' THEN
        fail := hz_fail('INVALID_ARGUMENT', 'unit_code: required');
        RETURN;
    END IF;
    k := hz_target_unit(p, v_code);
    fail := k.fail;
    unit := k.unit;
END
$$;


ALTER FUNCTION hz_private.hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) OWNER TO huizong_owner;

--
-- Name: hz_submit_classify(hz_private.hz_incoming[], bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_classify(recs hz_private.hz_incoming[], unit_id bigint) RETURNS hz_private.hz_incoming[]
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_submit_classify(recs hz_private.hz_incoming[], unit_id bigint) OWNER TO huizong_owner;

--
-- Name: hz_submit_field_errors(hz_private.hz_incoming[]); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_field_errors(recs hz_private.hz_incoming[]) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_submit_field_errors(recs hz_private.hz_incoming[]) OWNER TO huizong_owner;

--
-- Name: hz_submit_incoming(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_incoming(p jsonb) RETURNS hz_private.hz_incoming[]
    LANGUAGE sql IMMUTABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_submit_incoming(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_submit_insert(hz_private.hz_incoming[], bigint, uuid); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_insert(recs hz_private.hz_incoming[], unit_id bigint, sub uuid) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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


ALTER FUNCTION hz_private.hz_submit_insert(recs hz_private.hz_incoming[], unit_id bigint, sub uuid) OWNER TO huizong_owner;

--
-- Name: hz_submit_lock(hz_private.hz_incoming[], bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_lock(recs hz_private.hz_incoming[], unit_id bigint) RETURNS bigint
    LANGUAGE sql
    AS $$
    SELECT count(pg_advisory_xact_lock(k)) FROM (
        SELECT hashtextextended('record:' || lower(i.rid), 7443) AS k FROM unnest(recs) i
        UNION
        SELECT hashtextextended(format('slot:%s:%s:%s', unit_id, i.r->>'indicator', i.r->>'period'), 7443)
        FROM unnest(recs) i WHERE i.kind = 'indicator_value'
        ORDER BY 1
    ) keys
$$;


ALTER FUNCTION hz_private.hz_submit_lock(recs hz_private.hz_incoming[], unit_id bigint) OWNER TO huizong_owner;

--
-- Name: hz_submit_refused(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_refused(errors jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail('INVALID_ARGUMENT',
                   format('batch refused: %s invalid field(s); nothing was written',
                          jsonb_array_length(errors)),
                   errors)
$$;


ALTER FUNCTION hz_private.hz_submit_refused(errors jsonb) OWNER TO huizong_owner;

--
-- Name: hz_submit_shape_errors(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_submit_shape_errors(p jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_submit_shape_errors(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_subtree(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_subtree(unit_code text) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
    SELECT hz_subtree_ids(u.id) FROM org_unit u WHERE u.code = unit_code
$$;


ALTER FUNCTION hz_private.hz_subtree(unit_code text) OWNER TO huizong_owner;

--
-- Name: hz_subtree_ids(bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_subtree_ids(root bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE t(id) AS (
        SELECT root
        UNION
        SELECT u.id FROM org_unit u JOIN t ON u.parent_id = t.id
    )
    SELECT id FROM t
$$;


ALTER FUNCTION hz_private.hz_subtree_ids(root bigint) OWNER TO huizong_owner;

--
-- Name: hz_summary_activities_span(bigint[], date, date, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    WITH a AS (
        SELECT a.unit_id, a.category_code,
               CASE WHEN dims ? 'month' THEN to_char(a.date, 'YYYY-MM') END AS month,
               CASE WHEN dims ? 'quarter' THEN hz_quarter_text(a.date) END AS quarter,
               count(*) AS activities, coalesce(sum(a.participants), 0) AS participants,
               bool_or(a.participants_at_least) AS at_least
        FROM activity a
        WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
          AND a.date >= d0 AND a.date < d1
        GROUP BY 1, 2, 3, 4
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE dims ? 'street'
    ), g AS (
        SELECT CASE WHEN dims ? 'community' THEN a.unit_id END AS unit_id,
               CASE WHEN dims ? 'street' THEN s.street_id END AS street_id,
               CASE WHEN dims ? 'category' THEN a.category_code END AS category_code,
               a.month, a.quarter,
               sum(a.activities) AS activities, sum(a.participants) AS participants,
               bool_or(a.at_least) AS at_least
        FROM a LEFT JOIN s ON s.unit_id = a.unit_id
        GROUP BY 1, 2, 3, 4, 5
        UNION ALL
        -- With no dimension there is always one row of totals.
        SELECT NULL, NULL, NULL, NULL, NULL, 0, 0, false
        WHERE jsonb_array_length(dims) = 0 AND NOT EXISTS (SELECT 1 FROM a)
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('activities', g.activities, 'participants', g.participants,
                                  'participants_at_least', g.at_least)
               || CASE WHEN dims ? 'community' THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'street' THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                           'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'category' THEN jsonb_build_object('category', c.code,
                                                          'category_name', c.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'month' THEN jsonb_build_object('month', g.month)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'quarter' THEN jsonb_build_object('quarter', g.quarter)
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, c.sort_order, c.code, g.month, g.quarter), '[]'::jsonb)
    FROM g
    LEFT JOIN org_unit u ON u.id = g.unit_id
    LEFT JOIN org_unit st ON st.id = g.street_id
    LEFT JOIN category c ON c.code = g.category_code
$$;


ALTER FUNCTION hz_private.hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb) OWNER TO huizong_owner;

--
-- Name: hz_summary_activity_list_span(bigint[], date, date, integer); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_summary_activity_list_span(units bigint[], d0 date, d1 date, top integer DEFAULT 0) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', to_char(a.date, 'YYYY-MM-DD'),
                                  'category', c.code, 'category_name', c.name,
                                  'title', a.title, 'location', a.location,
                                  'participants', a.participants,
                                  'participants_at_least', a.participants_at_least,
                                  'partners', to_jsonb(a.partners))
               ORDER BY a.date, u.code, a.title), '[]'::jsonb)
    FROM (SELECT a.*, row_number() OVER (PARTITION BY a.category_code
                                         ORDER BY a.participants DESC, a.date, a.record_id) AS rank
          FROM activity a
          WHERE a.unit_id = ANY (units) AND a.is_current AND a.retracted_at IS NULL
            AND a.date >= d0 AND a.date < d1) a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN category c ON c.code = a.category_code
    WHERE top <= 0 OR a.rank <= top
$$;


ALTER FUNCTION hz_private.hz_summary_activity_list_span(units bigint[], d0 date, d1 date, top integer) OWNER TO huizong_owner;

--
-- Name: hz_summary_honors_span(bigint[], date, date); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_summary_honors_span(units bigint[], d0 date, d1 date) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('community', u.code, 'community_name', u.name,
                                  'date', hz_partial_date_text(h.date_start, h.date_precision),
                                  'title', h.title, 'level', h.level, 'issuer', h.issuer,
                                  'recipient', h.recipient,
                                  'category', coalesce(h.category_code, ''),
                                  'category_name', coalesce(c.name, ''))
               ORDER BY h.date_start, u.code, h.title), '[]'::jsonb)
    FROM honor h
    JOIN org_unit u ON u.id = h.unit_id
    LEFT JOIN category c ON c.code = h.category_code
    WHERE h.unit_id = ANY (units) AND h.is_current AND h.retracted_at IS NULL
      AND h.date_start >= d0 AND h.date_start < d1
$$;


ALTER FUNCTION hz_private.hz_summary_honors_span(units bigint[], d0 date, d1 date) OWNER TO huizong_owner;

--
-- Name: hz_summary_indicators_span(bigint[], date, date, jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    WITH per_unit AS (
        SELECT v.unit_id, v.indicator_code,
               CASE WHEN dims ? 'month' THEN to_char(v.period_start, 'YYYY-MM') END AS month,
               CASE WHEN dims ? 'quarter' THEN hz_quarter_text(v.period_start) END AS quarter,
               i.aggregation,
               CASE i.aggregation
                   WHEN 'sum' THEN sum(v.value)
                   WHEN 'max' THEN max(v.value)
                   WHEN 'avg' THEN avg(v.value)
                   ELSE (array_agg(v.value ORDER BY v.period_start DESC, v.created_at DESC))[1]
               END AS value
        FROM indicator_value v JOIN indicator i ON i.code = v.indicator_code
        WHERE v.unit_id = ANY (units) AND v.is_current AND v.retracted_at IS NULL
          AND v.period_start >= d0 AND v.period_start < d1
        GROUP BY 1, 2, 3, 4, 5
    ), s AS (
        SELECT * FROM hz_units_streets(units) WHERE dims ? 'street'
    ), total AS (
        SELECT CASE WHEN dims ? 'community' THEN p.unit_id END AS unit_id,
               CASE WHEN dims ? 'street' THEN s.street_id END AS street_id,
               p.indicator_code, p.month, p.quarter, p.aggregation,
               CASE p.aggregation WHEN 'max' THEN max(p.value)
                                  WHEN 'avg' THEN avg(p.value)
                                  ELSE sum(p.value) END AS value
        FROM per_unit p LEFT JOIN s ON s.unit_id = p.unit_id
        GROUP BY 1, 2, 3, 4, 5, 6
    )
    SELECT coalesce(jsonb_agg(
               jsonb_build_object('indicator', i.code, 'indicator_name', i.name,
                                  'unit', i.unit, 'aggregation', t.aggregation,
                                  'value', t.value)
               || CASE WHEN dims ? 'community' THEN jsonb_build_object('community', u.code,
                                                           'community_name', u.name)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'street' THEN jsonb_build_object('street', coalesce(st.code, ''),
                                                           'street_name', coalesce(st.name, ''))
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'month' THEN jsonb_build_object('month', t.month)
                       ELSE '{}'::jsonb END
               || CASE WHEN dims ? 'quarter' THEN jsonb_build_object('quarter', t.quarter)
                       ELSE '{}'::jsonb END
               ORDER BY st.code, u.code, i.sort_order, i.code, t.month, t.quarter), '[]'::jsonb)
    FROM total t
    JOIN indicator i ON i.code = t.indicator_code
    LEFT JOIN org_unit u ON u.id = t.unit_id
    LEFT JOIN org_unit st ON st.id = t.street_id
$$;


ALTER FUNCTION hz_private.hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb) OWNER TO huizong_owner;

--
-- Name: hz_summary_request_errors(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_summary_request_errors(p jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', e.idx, 'field', e.field,
                                        'reason', e.reason) ORDER BY e.n, e.idx)
    FROM (
        SELECT 1 AS n, 0 AS idx, 'year' AS field, hz_year_error(p->'year') AS reason
        WHERE coalesce(p->>'from', '') = '' AND coalesce(p->>'to', '') = ''
          AND hz_year_error(p->'year') IS NOT NULL
        UNION ALL
        SELECT 2, 0, 'group_by',
               'must be a list of "community", "street", "category", "month" or "quarter"'
        WHERE coalesce(jsonb_typeof(p->'group_by'), 'null') NOT IN ('array', 'null')
        UNION ALL
        SELECT 3, (g.o - 1)::int, 'group_by',
               format('unknown dimension %s (want community, street, category, month or quarter)',
                      left(g.v::text, 60))
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p->'group_by') = 'array'
                                       THEN p->'group_by' ELSE '[]'::jsonb END)
             WITH ORDINALITY g(v, o)
        WHERE g.v NOT IN ('"community"'::jsonb, '"category"'::jsonb, '"month"'::jsonb,
                          '"street"'::jsonb, '"quarter"'::jsonb)
        UNION ALL
        SELECT 4, 0, 'unit_code', 'must be a string'
        WHERE NOT hz_json_is_text(p->'unit_code')
        UNION ALL
        SELECT 5, 0, 'list_activities', 'must be true or false'
        WHERE coalesce(jsonb_typeof(p->'list_activities'), 'null') NOT IN ('boolean', 'null')
        UNION ALL
        SELECT 6, 0, f.k, format('must be a month YYYY-MM, got %s', left(p->>f.k, 30))
        FROM (VALUES ('from'), ('to')) f(k)
        WHERE coalesce(p->>f.k, '') <> '' AND hz_month_start(p->>f.k) IS NULL
        UNION ALL
        SELECT 7, 0, 'from', 'from and to go together: give both months, or a year'
        WHERE (coalesce(p->>'from', '') = '') <> (coalesce(p->>'to', '') = '')
        UNION ALL
        SELECT 8, 0, 'to', format('must not be before from (%s)', p->>'from')
        WHERE hz_month_start(p->>'to') < hz_month_start(p->>'from')
        UNION ALL
        SELECT 10, 0, 'top_activities', 'must be a whole number from 0 to 1000'
        WHERE p->'top_activities' IS NOT NULL
          AND coalesce(hz_json_bigint(p->'top_activities') NOT BETWEEN 0 AND 1000, true)
        UNION ALL
        SELECT 9, 0, 'year', 'give either a year or from and to, not both'
        WHERE coalesce(p->>'from', '') <> '' AND coalesce(hz_json_bigint(p->'year'), 0) <> 0
    ) e
$$;


ALTER FUNCTION hz_private.hz_summary_request_errors(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_target_unit(jsonb, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_target_unit(p jsonb, code text, OUT fail jsonb, OUT unit public.org_unit) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_target_unit(p jsonb, code text, OUT fail jsonb, OUT unit public.org_unit) OWNER TO huizong_owner;

--
-- Name: hz_text_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_text_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN NOT hz_json_is_text(v) THEN 'must be a string' END
$$;


ALTER FUNCTION hz_private.hz_text_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_texts_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_texts_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN NOT hz_json_is_texts(v) THEN 'must be a list of strings' END
$$;


ALTER FUNCTION hz_private.hz_texts_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_ts_text(timestamp with time zone); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_ts_text(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
$$;


ALTER FUNCTION hz_private.hz_ts_text(t timestamp with time zone) OWNER TO huizong_owner;

--
-- Name: hz_unit_ancestors(bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_ancestors(unit bigint) RETURNS TABLE(id bigint, depth integer)
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE up(id, depth) AS (
        SELECT unit, 0
        UNION
        SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id
        WHERE u.parent_id IS NOT NULL AND up.depth < 64
    )
    SELECT id, depth FROM up
$$;


ALTER FUNCTION hz_private.hz_unit_ancestors(unit bigint) OWNER TO huizong_owner;

--
-- Name: hz_unit_lineage(bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_lineage(unit bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE
    AS $$
    SELECT a.id FROM hz_unit_ancestors(unit) a
    UNION
    SELECT hz_subtree_ids(unit)
$$;


ALTER FUNCTION hz_private.hz_unit_lineage(unit bigint) OWNER TO huizong_owner;

--
-- Name: hz_unit_not_found(text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_not_found(code text, what text DEFAULT 'unit'::text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT hz_fail('NOT_FOUND', format('%s %s is not in the org tree', what, hz_quote(code)))
$$;


ALTER FUNCTION hz_private.hz_unit_not_found(code text, what text) OWNER TO huizong_owner;

--
-- Name: hz_unit_parent_check(public.org_unit, text, text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_parent_check(parent public.org_unit, parent_code text, level text) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
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


ALTER FUNCTION hz_private.hz_unit_parent_check(parent public.org_unit, parent_code text, level text) OWNER TO huizong_owner;

--
-- Name: hz_unit_street(bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_street(unit bigint) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE up(id, parent_id, level, depth) AS (
        SELECT u.id, u.parent_id, u.level, 0 FROM org_unit u WHERE u.id = unit
        UNION ALL
        SELECT u.id, u.parent_id, u.level, up.depth + 1
        FROM org_unit u JOIN up ON u.id = up.parent_id
    )
    SELECT id FROM up WHERE level = 'street' ORDER BY depth LIMIT 1
$$;


ALTER FUNCTION hz_private.hz_unit_street(unit bigint) OWNER TO huizong_owner;

--
-- Name: hz_unit_within(bigint, bigint); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unit_within(unit bigint, ancestor bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    WITH RECURSIVE up(id) AS (
        SELECT unit
        UNION
        SELECT u.parent_id FROM org_unit u JOIN up ON u.id = up.id
        WHERE u.parent_id IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM up WHERE id = ancestor)
$$;


ALTER FUNCTION hz_private.hz_unit_within(unit bigint, ancestor bigint) OWNER TO huizong_owner;

--
-- Name: hz_units_streets(bigint[]); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_units_streets(units bigint[]) RETURNS TABLE(unit_id bigint, street_id bigint)
    LANGUAGE sql STABLE
    AS $$
    SELECT u, hz_unit_street(u) FROM unnest(units) u
$$;


ALTER FUNCTION hz_private.hz_units_streets(units bigint[]) OWNER TO huizong_owner;

--
-- Name: hz_unlock_refusal(jsonb, public.period_lock); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_unlock_refusal(p jsonb, l public.period_lock) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_locker bigint := CASE WHEN l.locked_by_admin THEN l.locked_by_unit_id
                            ELSE coalesce(l.locked_by_unit_id, l.unit_id) END;
    v_code text := (SELECT code FROM org_unit WHERE id = l.unit_id);
    v_own bigint := (SELECT id FROM org_unit WHERE code = p #>> '{principal,unit}');
BEGIN
    IF (p #>> '{principal,role}') = 'admin' THEN
        RETURN NULL;
    END IF;
    IF l.locked_by_admin THEN
        RETURN hz_fail('PERMISSION_DENIED',
            format('period %s for %s was locked by an administrator (%s); only an administrator can unlock it',
                   l.period, v_code, l.locked_by));
    END IF;
    IF v_own IS NOT NULL AND coalesce(hz_unit_within(v_locker, v_own), false) THEN
        RETURN NULL;
    END IF;
    RETURN hz_fail('PERMISSION_DENIED',
        format('period %s for %s was locked by district %s; only %s or an office above it (or an administrator) can unlock it',
               l.period, v_code, (SELECT code FROM org_unit WHERE id = v_locker),
               (SELECT code FROM org_unit WHERE id = v_locker)));
END
$$;


ALTER FUNCTION hz_private.hz_unlock_refusal(p jsonb, l public.period_lock) OWNER TO huizong_owner;

--
-- Name: hz_uuid_ok(text); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_uuid_ok(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $_$
    SELECT coalesce(s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', false)
$_$;


ALTER FUNCTION hz_private.hz_uuid_ok(s text) OWNER TO huizong_owner;

--
-- Name: hz_year_error(jsonb); Type: FUNCTION; Schema: hz_private; Owner: huizong_owner
--

CREATE FUNCTION hz_private.hz_year_error(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN coalesce(hz_json_bigint(v) NOT BETWEEN 1900 AND 2999, true)
                THEN format('must be a year between 1900 and 2999, got %s',
                            coalesce(left(v::text, 30), 'nothing')) END
$$;


ALTER FUNCTION hz_private.hz_year_error(v jsonb) OWNER TO huizong_owner;

--
-- Name: hz_amend(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_amend(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    t hz_record_target;
    n record;
    v_msg text;
    v int;
BEGIN
    t := hz_record_find(p, 'amend');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    n := hz_record_new_content(p, t);
    IF n.fail IS NOT NULL THEN
        RETURN n.fail;
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s was retracted on %s; file a new record instead', t.rid,
                              hz_ts_text(t.retracted_at)));
    END IF;
    IF hz_canon(t.content) = hz_canon(n.r) THEN
        RETURN hz_record_changed(t, t.version, false);
    END IF;
    v_msg := coalesce(hz_record_lock((t.unit).id, t.kind, t.content),
                      hz_record_lock((t.unit).id, t.kind, n.r));
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s)', t.rid));
    END IF;
    IF t.kind = 'indicator_value' THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(
            format('slot:%s:%s:%s', (t.unit).id, n.r->>'indicator', n.r->>'period'), 7443));
    END IF;
    v_msg := hz_record_slot_taken(t, n.r);
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('ALREADY_EXISTS', v_msg || '; amend or retract that record instead');
    END IF;
    v := hz_record_write_version(t, n.r, hz_record_submission(p, (t.unit).id));
    PERFORM hz_audit(p, 'amend', t.rid::text, jsonb_build_object('kind', t.kind, 'version', v));
    RETURN hz_record_changed(t, v, true);
END
$$;


ALTER FUNCTION public.hz_amend(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_audit_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_audit_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_role  text := p #>> '{principal,role}';
    v_me    text := p #>> '{principal,unit}';
    v_unit  text := nullif(p->>'unit_code', '');
    v_since timestamptz := nullif(p->>'since', '')::timestamptz;
    v_limit int := coalesce(nullif(p->>'limit', '')::int, 100);
    v_seen  text[];
BEGIN
    IF v_role NOT IN ('admin', 'district') THEN
        RETURN hz_fail('PERMISSION_DENIED', 'only an administrator or a district office can read the audit trail');
    END IF;
    IF v_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM org_unit WHERE code = v_unit) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree', hz_quote(v_unit)));
    END IF;
    IF v_role = 'district' THEN
        SELECT array_agg(u.code) INTO v_seen FROM org_unit u WHERE u.id IN (SELECT hz_subtree(v_me));
        IF v_unit IS NOT NULL
           AND NOT hz_in_reach(p, (SELECT u.id FROM org_unit u WHERE u.code = v_unit)) THEN
            RETURN hz_fail('PERMISSION_DENIED',
                           format('unit %s is not within %s', hz_quote(v_unit), hz_quote(v_me)));
        END IF;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'entries', coalesce((
        SELECT jsonb_agg(hz_canon(jsonb_build_object(
                   'id', a.id, 'at', hz_cred_ts(a.at), 'role', a.role, 'unit_code', a.unit_code,
                   'fingerprint', a.fingerprint, 'peer', a.peer, 'action', a.action,
                   'target', a.target, 'detail', a.detail::text)) ORDER BY a.at DESC, a.id DESC)
        FROM (SELECT * FROM audit a
              WHERE (v_unit IS NULL OR a.unit_code = v_unit OR a.target = v_unit)
                -- A district sees what its units did, and what was done to
                -- them; an administrator's other actions are not its business
                -- even when the admin certificate names a unit in its subtree.
                AND (v_seen IS NULL OR (a.role <> 'admin' AND a.unit_code = ANY (v_seen))
                     OR a.target = ANY (v_seen))
                AND (v_since IS NULL OR a.at >= v_since)
              ORDER BY a.at DESC, a.id DESC
              LIMIT v_limit) a), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_audit_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_add(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_category_add(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_category_add(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_category_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_category_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_move(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_category_move(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_category_move(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_rename(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_category_rename(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_category_rename(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_category_retire(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_category_retire(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_category_retire(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_cert_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_cert_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_require_admin(p, 'list certificates');
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'certs', coalesce((
        SELECT jsonb_agg(hz_canon(jsonb_build_object(
                   'fingerprint', k.fingerprint,
                   'role', coalesce(i.role, s.role), 'unit_code', coalesce(i.unit_code, s.unit_code),
                   'serial', i.serial, 'issued_at', hz_cred_ts(i.issued_at),
                   'not_after', hz_cred_ts(i.not_after),
                   'first_seen', hz_cred_ts(s.first_seen), 'last_seen', hz_cred_ts(s.last_seen),
                   'last_peer', s.last_peer, 'revoked', r.fingerprint IS NOT NULL,
                   'revoked_at', hz_cred_ts(r.revoked_at), 'revoke_reason', r.reason))
               ORDER BY coalesce(i.unit_code, s.unit_code), coalesce(i.issued_at, s.first_seen), k.fingerprint)
        FROM (SELECT fingerprint FROM issued_cert UNION SELECT fingerprint FROM cert_seen) k
        LEFT JOIN issued_cert i ON i.fingerprint = k.fingerprint
        LEFT JOIN cert_seen s ON s.fingerprint = k.fingerprint
        LEFT JOIN revoked_cert r ON r.fingerprint = k.fingerprint
        WHERE v_unit IS NULL OR coalesce(i.unit_code, s.unit_code) = v_unit), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_cert_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_cert_revoke(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_cert_revoke(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_fp   text := nullif(p->>'fingerprint', '');
    v_unit text := nullif(p->>'unit_code', '');
    v_deny jsonb := hz_require_admin(p, 'revoke certificates');
    v_done jsonb;
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    IF v_fp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM issued_cert WHERE fingerprint = v_fp
                                        UNION ALL SELECT 1 FROM cert_seen WHERE fingerprint = v_fp) THEN
        RETURN hz_fail('NOT_FOUND', format('no certificate with fingerprint %s was issued or seen',
                                           left(v_fp, 64)));
    END IF;
    IF v_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM issued_cert WHERE unit_code = v_unit
                                          UNION ALL SELECT 1 FROM cert_seen WHERE unit_code = v_unit) THEN
        RETURN hz_fail('NOT_FOUND', format('no certificate of unit %s was issued or seen',
                                           hz_quote(v_unit)));
    END IF;
    WITH targets AS (
        SELECT fingerprint FROM issued_cert WHERE fingerprint = v_fp OR unit_code = v_unit
        UNION
        SELECT fingerprint FROM cert_seen WHERE fingerprint = v_fp OR unit_code = v_unit
    ), ins AS (
        INSERT INTO revoked_cert (fingerprint, revoked_by, reason)
        SELECT fingerprint, concat(p #>> '{principal,role}', '/', p #>> '{principal,unit}'),
               coalesce(p->>'reason', '')
        FROM targets
        ON CONFLICT (fingerprint) DO NOTHING
        RETURNING fingerprint
    )
    SELECT coalesce(jsonb_agg(fingerprint ORDER BY fingerprint), '[]'::jsonb) INTO v_done FROM ins;
    IF jsonb_array_length(v_done) > 0 THEN
        PERFORM hz_audit(p, 'cert_revoke', coalesce(v_unit, v_fp),
                         jsonb_build_object('fingerprints', v_done, 'reason', coalesce(p->>'reason', '')));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'fingerprints', v_done);
END
$$;


ALTER FUNCTION public.hz_cert_revoke(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_compliance(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_compliance(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_scope jsonb;
    v_units bigint[];
    v_d0 date;
    v_d1 date;
    v_rows jsonb;
BEGIN
    IF to_regproc('hz_quota_effective') IS NULL OR to_regproc('hz_period_state') IS NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       'completeness and quotas need hz_quota_effective and hz_period_state '
                       '(quotas and reporting periods), which this server''s schema does not have');
    END IF;
    v_scope := hz_read_scope(p);
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_d0 := (v_scope->>'d0')::date;
    v_d1 := (v_scope->>'d1')::date;
    WITH periods AS (
        SELECT i.code, i.name, i.unit, i.sort_order, i.period_type, m::date AS start,
               CASE i.period_type WHEN 'month' THEN to_char(m, 'YYYY-MM')
                                  WHEN 'quarter' THEN hz_quarter_text(m::date)
                                  ELSE to_char(m, 'YYYY') END AS period
        FROM indicator i,
             generate_series(v_d0, v_d1 - 1, interval '1 month') m
        WHERE i.retired_at IS NULL AND date_trunc(i.period_type, m) = m
    ), slots AS (
        SELECT u.id AS unit_id, u.code AS community, u.name AS community_name, pe.*,
               -- A quota counts in the indicator's own period type here.
               (SELECT e.minimum FROM hz_quota_effective(u.id, pe.code, pe.start, pe.period_type) e
                 LIMIT 1) AS minimum
        FROM org_unit u CROSS JOIN periods pe
        WHERE u.id = ANY (v_units) AND u.level = 'community'
    )
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'community', s.community, 'community_name', s.community_name,
               'indicator', s.code, 'indicator_name', s.name, 'unit', s.unit,
               'period', s.period,
               'state', hz_period_state(s.unit_id, s.code, s.period)::text,
               'value', coalesce(v.value, 0), 'reported', v.value IS NOT NULL,
               'minimum', s.minimum, 'met', coalesce(v.value, 0) >= s.minimum)
               ORDER BY s.community, s.sort_order, s.code, s.start), '[]'::jsonb)
      INTO v_rows
      FROM slots s
      LEFT JOIN indicator_value v
        ON v.unit_id = s.unit_id AND v.indicator_code = s.code AND v.period = s.period
       AND v.is_current AND v.retracted_at IS NULL
     WHERE s.minimum IS NOT NULL;
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_scope->>'unit_code',
                              'unit_name', (SELECT name FROM org_unit
                                            WHERE code = v_scope->>'unit_code'),
                              'from', to_char(v_d0, 'YYYY-MM'),
                              'to', to_char(v_d1 - 1, 'YYYY-MM'), 'rows', v_rows);
END
$$;


ALTER FUNCTION public.hz_compliance(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_correction_approve(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_correction_approve(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    t hz_record_target;
    h record;
    u org_unit;
    v int;
BEGIN
    k := hz_correction_pick(p, 'approve');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('record:' || lower((k.c).record_id::text), 7443));
    SELECT * INTO h FROM hz_record_head((k.c).record_id);
    IF h.version <> (k.c).base_version OR h.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s changed since correction %s was filed (it corrects version %s; the record is now version %s%s); reject it and have the community file again',
                              (k.c).record_id, (k.c).id, (k.c).base_version, h.version,
                              CASE WHEN h.retracted_at IS NOT NULL THEN ', retracted' ELSE '' END));
    END IF;
    SELECT * INTO u FROM org_unit WHERE id = (k.c).unit_id;
    t := ROW(NULL, u, (k.c).record_id, h.kind, h.version, h.content, h.retracted_at)::hz_record_target;
    IF (k.c).action = 'retract' THEN
        PERFORM hz_record_write_retract(t, (k.c).reason);
        v := h.version;
    ELSE
        IF hz_record_slot_taken(t, (k.c).content) IS NOT NULL THEN
            RETURN hz_fail('FAILED_PRECONDITION', hz_record_slot_taken(t, (k.c).content)
                           || '; reject the correction');
        END IF;
        v := hz_record_write_version(t, (k.c).content, hz_record_submission(p, u.id));
    END IF;
    UPDATE correction_request
       SET status = 'approved', decided_at = now(), decided_by = hz_principal_label(p),
           decided_by_fingerprint = coalesce(p #>> '{principal,fingerprint}', ''),
           decision_reason = nullif(btrim(coalesce(p->>'reason', '')), ''), applied_version = v
     WHERE id = (k.c).id;
    PERFORM hz_audit(p, 'correction_approve', (k.c).id::text,
                     jsonb_build_object('record_id', (k.c).record_id, 'action', (k.c).action,
                                        'version', v));
    RETURN hz_correction_result((k.c).id, 'approved', false, v);
END
$$;


ALTER FUNCTION public.hz_correction_approve(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_correction_file(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_correction_file(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    t hz_record_target;
    n record;
    v_retract boolean := coalesce((p->>'retract')::boolean, false);
    v_reason text := btrim(coalesce(p->>'reason', ''));
    v_action text := CASE WHEN coalesce((p->>'retract')::boolean, false) THEN 'retract' ELSE 'amend' END;
    v_new jsonb;
    v_msg text;
    v_old correction_request;
    v_id bigint;
BEGIN
    t := hz_record_find(p, 'correct');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    IF v_reason = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the record must change)');
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s was retracted on %s; there is nothing left to correct',
                              t.rid, hz_ts_text(t.retracted_at)));
    END IF;
    IF v_retract THEN
        IF jsonb_typeof(p->'activity') = 'object'
           OR jsonb_typeof(p->'indicator_value') = 'object' OR jsonb_typeof(p->'honor') = 'object' THEN
            RETURN hz_fail('INVALID_ARGUMENT', 'a correction is either new content or a retraction, not both');
        END IF;
        v_msg := hz_record_lock((t.unit).id, t.kind, t.content);
    ELSE
        n := hz_record_new_content(p, t);
        IF n.fail IS NOT NULL THEN
            RETURN n.fail;
        END IF;
        v_new := n.r;
        IF hz_canon(t.content) = hz_canon(v_new) THEN
            RETURN hz_fail('INVALID_ARGUMENT',
                           format('the new content is the same as version %s of record %s; nothing to correct',
                                  t.version, t.rid));
        END IF;
        v_msg := coalesce(hz_record_lock((t.unit).id, t.kind, t.content),
                          hz_record_lock((t.unit).id, t.kind, v_new));
        IF hz_record_slot_taken(t, v_new) IS NOT NULL THEN
            RETURN hz_fail('ALREADY_EXISTS', hz_record_slot_taken(t, v_new));
        END IF;
    END IF;
    IF v_msg IS NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('record %s is not in a locked period; %s it directly (huizong %s %s)',
                              t.rid, v_action, v_action, t.rid));
    END IF;

    SELECT * INTO v_old FROM correction_request c WHERE c.record_id = t.rid AND c.status = 'pending';
    IF FOUND THEN
        IF v_old.action = v_action
           AND hz_canon(coalesce(v_old.content, '{}')) = hz_canon(coalesce(v_new, '{}'))
           AND v_old.reason = v_reason THEN
            RETURN hz_correction_result(v_old.id, 'pending', false, NULL);
        END IF;
        RETURN hz_fail('ALREADY_EXISTS',
                       format('correction %s for record %s is already pending since %s; wait for its decision',
                              v_old.id, t.rid, hz_ts_text(v_old.requested_at)));
    END IF;
    INSERT INTO correction_request (record_id, kind, unit_id, action, content, reason,
                                    base_version, requested_by)
    VALUES (t.rid, t.kind, (t.unit).id, v_action,
            v_new, v_reason, t.version, coalesce(p #>> '{principal,fingerprint}', ''))
    RETURNING id INTO v_id;
    PERFORM hz_audit(p, 'correction_file', v_id::text,
                     jsonb_build_object('record_id', t.rid, 'action', v_action));
    RETURN hz_correction_result(v_id, 'pending', true, NULL);
END
$$;


ALTER FUNCTION public.hz_correction_file(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_correction_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_correction_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_status text := coalesce(nullif(p->>'status', ''), 'pending');
    k record;
    v_root org_unit;
BEGIN
    IF v_status NOT IN ('pending', 'approved', 'rejected', 'all') THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       format('status: unknown status %s (want pending, approved, rejected or all)',
                              hz_quote(v_status)));
    END IF;
    k := hz_target_unit(p, p->>'unit_code');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    v_root := k.unit;
    RETURN jsonb_build_object('status', 'OK', 'corrections', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'correction_id', c.id, 'record_id', c.record_id::text, 'kind', c.kind,
                   'unit_code', o.code, 'action', c.action, 'reason', c.reason,
                   'status', c.status, 'requested_at', hz_ts_text(c.requested_at),
                   'decided_at', coalesce(hz_ts_text(c.decided_at), ''),
                   'decided_by', coalesce(c.decided_by, ''),
                   'decision_reason', coalesce(c.decision_reason, ''),
                   'base_version', c.base_version, 'applied_version', coalesce(c.applied_version, 0),
                   'content', coalesce((c.content - 'beneficiaries')::text, ''))
               ORDER BY c.id)
        FROM correction_request c JOIN org_unit o ON o.id = c.unit_id
        WHERE (v_root.id IS NULL OR c.unit_id IN (SELECT hz_subtree_ids(v_root.id)))
          AND (v_status = 'all' OR c.status = v_status)), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_correction_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_correction_reject(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_correction_reject(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    v_reason text := btrim(coalesce(p->>'reason', ''));
BEGIN
    k := hz_correction_pick(p, 'reject');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    IF v_reason = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the correction is rejected)');
    END IF;
    UPDATE correction_request
       SET status = 'rejected', decided_at = now(), decided_by = hz_principal_label(p),
           decided_by_fingerprint = coalesce(p #>> '{principal,fingerprint}', ''),
           decision_reason = v_reason
     WHERE id = (k.c).id;
    PERFORM hz_audit(p, 'correction_reject', (k.c).id::text,
                     jsonb_build_object('record_id', (k.c).record_id, 'reason', v_reason));
    RETURN hz_correction_result((k.c).id, 'rejected', false, NULL);
END
$$;


ALTER FUNCTION public.hz_correction_reject(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_deadline_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_deadline_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record := hz_target_unit(p, p->>'unit_code');
    v_root org_unit := k.unit;
BEGIN
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'deadlines', coalesce((
        SELECT jsonb_agg(jsonb_build_object('unit_code', coalesce(o.code, ''), 'indicator', r.indicator_code,
                                            'day', r.day, 'set_at', hz_ts_text(r.set_at),
                                            'set_by', r.set_by)
                         ORDER BY o.code NULLS FIRST, i.sort_order)
        FROM (SELECT DISTINCT ON (d.unit_id, d.indicator_code) d.*
                FROM deadline_rule d ORDER BY d.unit_id, d.indicator_code, d.id DESC) r
        LEFT JOIN org_unit o ON o.id = r.unit_id
        JOIN indicator i ON i.code = r.indicator_code
        WHERE r.unit_id IS NULL OR v_root.id IS NULL
           OR r.unit_id IN (SELECT hz_unit_lineage(v_root.id))), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_deadline_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_deadline_set(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_deadline_set(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    v_codes text[] := hz_json_texts(p->'indicators');
    v_day bigint := hz_json_bigint(p->'day');
    v_unit bigint;
    v_errors jsonb;
    v_new int;
BEGIN
    IF coalesce(p->>'unit_code', '') = '' AND (p #>> '{principal,role}') = 'district' THEN
        p := p || jsonb_build_object('unit_code', p #>> '{principal,unit}');
    END IF;
    IF coalesce(p->>'unit_code', '') = '' AND (p #>> '{principal,role}') = 'admin' THEN
        v_unit := NULL;
    ELSE
        k := hz_rule_unit(p, 'set deadlines');
        IF k.fail IS NOT NULL THEN
            RETURN k.fail;
        END IF;
        v_unit := (k.unit).id;
    END IF;
    IF cardinality(v_codes) = 0 THEN
        RETURN hz_request_error('indicators', 'required (a list of indicator codes)');
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', c.o - 1, 'field', 'indicators',
                                        'reason', format('unknown indicator %s', hz_quote(c.code)))
                     ORDER BY c.o)
      INTO v_errors
      FROM unnest(v_codes) WITH ORDINALITY c(code, o)
     WHERE NOT EXISTS (SELECT 1 FROM indicator i WHERE i.code = c.code);
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
    IF v_day IS NULL OR v_day NOT BETWEEN 1 AND 28 THEN
        RETURN hz_request_error('day', format('want a day of the month from 1 to 28, got %s',
                                              coalesce(p->>'day', 'nothing')));
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('deadline', 7443));
    INSERT INTO deadline_rule (unit_id, indicator_code, day, set_by)
    SELECT v_unit, c, v_day, hz_principal_label(p)
      FROM (SELECT DISTINCT unnest(v_codes) AS c) codes
     WHERE (SELECT r.day FROM deadline_rule r
             WHERE r.unit_id IS NOT DISTINCT FROM v_unit AND r.indicator_code = codes.c
             ORDER BY r.id DESC LIMIT 1) IS DISTINCT FROM v_day;
    GET DIAGNOSTICS v_new = ROW_COUNT;
    IF v_new > 0 THEN
        PERFORM hz_audit(p, 'deadline_set', coalesce(p->>'unit_code', ''),
                         jsonb_build_object('indicators', to_jsonb(v_codes), 'day', v_day));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'changed', v_new);
END
$$;


ALTER FUNCTION public.hz_deadline_set(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_enroll(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_enroll(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_code enroll_code;
    v_unit text := p->>'unit_code';
    v_role text := p->>'role';
    v_fp   text := p->>'fingerprint';
BEGIN
    SELECT * INTO v_code FROM enroll_code WHERE code_hash = p->>'code_hash' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', 'unknown enrollment code (check it was typed as given)');
    END IF;
    IF v_code.used_at IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('enrollment code was already used on %s; ask for a new one',
                              hz_cred_ts(v_code.used_at)));
    END IF;
    IF v_code.expires_at <= now() THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       format('enrollment code expired on %s; ask for a new one',
                              hz_cred_ts(v_code.expires_at)));
    END IF;
    IF v_unit IS DISTINCT FROM v_code.unit_code OR v_role IS DISTINCT FROM v_code.role THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the CSR names %s (%s) but the code is for %s (%s)',
                              hz_quote(v_unit), v_role, hz_quote(v_code.unit_code), v_code.role));
    END IF;
    UPDATE enroll_code SET used_at = now(), used_fingerprint = v_fp,
                           used_peer = coalesce(p #>> '{principal,peer}', '')
     WHERE code_hash = v_code.code_hash;
    INSERT INTO issued_cert (fingerprint, serial, role, unit_code, not_after, code_hash, peer)
    VALUES (v_fp, p->>'serial', v_role, v_unit, (p->>'not_after')::timestamptz,
            v_code.code_hash, coalesce(p #>> '{principal,peer}', ''));
    -- The new certificate is the principal of its own enrollment.
    PERFORM hz_audit(jsonb_build_object('principal', jsonb_build_object(
                         'role', v_role, 'unit', v_unit, 'fingerprint', v_fp,
                         'peer', p #>> '{principal,peer}')),
                     'enroll', v_unit,
                     jsonb_build_object('serial', p->>'serial', 'code_hash', left(v_code.code_hash, 16)));
    RETURN jsonb_build_object('status', 'OK');
END
$$;


ALTER FUNCTION public.hz_enroll(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_enroll_create(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_enroll_create(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_unit text := p->>'unit_code';
    v_role text := p->>'role';
    v_exp  timestamptz := now() + make_interval(secs => (p->>'expires_seconds')::double precision);
    v_deny jsonb := hz_require_admin(p, 'create enrollment codes');
BEGIN
    IF v_deny IS NOT NULL THEN
        RETURN v_deny;
    END IF;
    IF v_role <> 'admin' AND NOT EXISTS (SELECT 1 FROM org_unit WHERE code = v_unit AND retired_at IS NULL) THEN
        RETURN hz_fail('NOT_FOUND', format('unit %s is not in the org tree (add it first)', hz_quote(v_unit)));
    END IF;
    INSERT INTO enroll_code (code_hash, unit_code, role, expires_at, created_by, created_fp)
    VALUES (p->>'code_hash', v_unit, v_role, v_exp,
            concat(p #>> '{principal,role}', '/', p #>> '{principal,unit}'),
            coalesce(p #>> '{principal,fingerprint}', ''));
    PERFORM hz_audit(p, 'enroll_create', v_unit,
                     jsonb_build_object('role', v_role, 'expires_at', hz_cred_ts(v_exp),
                                        'code_hash', left(p->>'code_hash', 16)));
    RETURN jsonb_build_object('status', 'OK', 'unit_code', v_unit, 'role', v_role,
                              'expires_at', hz_cred_ts(v_exp));
END
$$;


ALTER FUNCTION public.hz_enroll_create(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_export_page(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_export_page(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_scope jsonb := hz_read_scope(p);
    v_kinds text[] := CASE WHEN (p->>'indicators_only')::boolean THEN ARRAY['indicator_value']
                           ELSE ARRAY['activity', 'indicator_value', 'honor'] END;
    v_n int := least(greatest(coalesce(hz_json_bigint(p->'page_size'), 0), 0), 5000);
    v_after jsonb := nullif(p->'after', 'null'::jsonb);
    v_units bigint[];
    v_recs jsonb := '[]'::jsonb;
    v_page jsonb;
    v_key jsonb;
    v_next jsonb;
    v_got int;
    v_want int;
    v_idx int;
BEGIN
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    IF v_n = 0 THEN
        v_n := 1000;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_idx := coalesce(array_position(v_kinds, v_after->>'kind'), 1);
    -- Fill the page from the kind in progress, moving on to the next kind
    -- when one runs out, so that no page is empty unless the export is.
    LOOP
        v_want := v_n - jsonb_array_length(v_recs);
        SELECT coalesce(jsonb_agg(e.rec ORDER BY e.o), '[]'::jsonb), count(*),
               (array_agg(e.key ORDER BY e.o DESC))[1]
          INTO v_page, v_got, v_key
          FROM hz_export_kind(v_kinds[v_idx], v_units, (v_scope->>'d0')::date,
                              (v_scope->>'d1')::date,
                              CASE WHEN v_after->>'kind' = v_kinds[v_idx] THEN v_after END,
                              v_want) WITH ORDINALITY e(rec, key, o);
        v_recs := v_recs || v_page;
        IF v_got = v_want THEN
            v_next := v_key;
            EXIT;
        END IF;
        v_idx := v_idx + 1;
        v_after := NULL;
        IF v_idx > array_length(v_kinds, 1) THEN
            v_next := NULL;
            EXIT;
        END IF;
    END LOOP;
    -- `request` echoes the argument (less the principal and key) so the
    -- server holds no state of its own between pages; `sent` counts records
    -- across pages.
    RETURN jsonb_build_object('status', 'OK', 'records', v_recs, 'unit_code', v_scope->>'unit_code',
                              'sent', coalesce(hz_json_bigint(p->'sent'), 0)
                                      + jsonb_array_length(v_recs),
                              'request', p - 'principal' - 'after' - 'sent')
           || CASE WHEN v_next IS NULL THEN '{}'::jsonb
                   ELSE jsonb_build_object('next', v_next) END;
END
$$;


ALTER FUNCTION public.hz_export_page(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_hello(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_hello(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_fp   text := p #>> '{principal,fingerprint}';
    v_role text := p #>> '{principal,role}';
    v_unit text := p #>> '{principal,unit}';
    v_rev  revoked_cert;
    v_org  org_unit;
BEGIN
    SELECT * INTO v_rev FROM revoked_cert WHERE fingerprint = v_fp;
    IF FOUND THEN
        RETURN hz_fail('UNAUTHENTICATED',
                       format('certificate %s was revoked on %s', left(v_fp, 16),
                              to_char(v_rev.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')));
    END IF;
    IF v_role <> 'admin' THEN
        SELECT * INTO v_org FROM org_unit WHERE code = v_unit;
        IF NOT FOUND THEN
            RETURN hz_fail('UNAUTHENTICATED',
                           format('certificate names unit %s, which is not in the org tree',
                                  hz_quote(v_unit)));
        END IF;
        IF v_org.retired_at IS NOT NULL THEN
            RETURN hz_fail('UNAUTHENTICATED', format('unit %s is retired', hz_quote(v_unit)));
        END IF;
    END IF;
    -- Losing the last few "last seen" times in a crash is harmless; an fsync
    -- per connection is not.
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO cert_seen AS s (fingerprint, role, unit_code, last_peer)
    VALUES (v_fp, v_role, v_unit, coalesce(p #>> '{principal,peer}', ''))
    ON CONFLICT (fingerprint) DO UPDATE
        SET last_seen = now(), last_peer = EXCLUDED.last_peer;
    RETURN jsonb_build_object('status', 'OK');
END
$$;


ALTER FUNCTION public.hz_hello(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_indicator_add(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_indicator_add(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'add indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', hz_name_error(p->'name'),
                                            'unit', hz_indicator_unit_error(p->'unit', false),
                                            'period_type', hz_period_type_error(p->'period_type', false),
                                            'aggregation', hz_aggregation_error(p->'aggregation', false)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code';
    IF FOUND THEN
        IF (v_old.name, v_old.unit, v_old.period_type, v_old.aggregation)
           = (p->>'name', p->>'unit', p->>'period_type', p->>'aggregation') THEN
            RETURN jsonb_build_object('status', 'OK', 'created', false);
        END IF;
        RETURN hz_fail('ALREADY_EXISTS',
                       format('indicator %s already exists as %s (%s, %s, %s)', hz_quote(v_old.code),
                              hz_quote(v_old.name), v_old.unit, v_old.period_type,
                              v_old.aggregation));
    END IF;
    INSERT INTO indicator (code, name, unit, period_type, aggregation, sort_order)
    VALUES (p->>'code', p->>'name', p->>'unit', p->>'period_type', p->>'aggregation',
            coalesce((SELECT max(sort_order) FROM indicator), 0) + 10);
    PERFORM hz_audit(p, 'indicator_add', p->>'code',
                     jsonb_build_object('name', p->>'name', 'unit', p->>'unit',
                                        'period_type', p->>'period_type',
                                        'aggregation', p->>'aggregation'));
    RETURN jsonb_build_object('status', 'OK', 'created', true);
END
$$;


ALTER FUNCTION public.hz_indicator_add(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_indicator_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_indicator_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_indicator_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_indicator_retire(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_indicator_retire(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'retire indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code')));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_indicator_not_found(p->>'code');
    END IF;
    IF v_old.retired_at IS NOT NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    UPDATE indicator SET retired_at = now() WHERE code = v_old.code;
    PERFORM hz_audit(p, 'indicator_retire', v_old.code, '{}'::jsonb);
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;


ALTER FUNCTION public.hz_indicator_retire(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_indicator_update(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_indicator_update(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_fail jsonb;
    v_old indicator;
    v_new indicator;
    v_values bigint;
BEGIN
    v_fail := coalesce(hz_require_admin(p, 'update indicators'),
                       hz_first_field_error('code', hz_code_error(p->'code'),
                                            'name', CASE WHEN coalesce(p->>'name', '') <> ''
                                                         THEN hz_name_error(p->'name') END,
                                            'unit', hz_indicator_unit_error(p->'unit', true),
                                            'period_type', hz_period_type_error(p->'period_type', true),
                                            'aggregation', hz_aggregation_error(p->'aggregation', true)));
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    PERFORM hz_lock_taxonomy();
    SELECT * INTO v_old FROM indicator WHERE code = p->>'code' FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_indicator_not_found(p->>'code');
    END IF;
    v_new := v_old;
    v_new.name := coalesce(nullif(p->>'name', ''), v_old.name);
    v_new.unit := coalesce(nullif(p->>'unit', ''), v_old.unit);
    v_new.period_type := coalesce(nullif(p->>'period_type', ''), v_old.period_type);
    v_new.aggregation := coalesce(nullif(p->>'aggregation', ''), v_old.aggregation);
    IF v_new = v_old THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    IF (v_new.period_type, v_new.aggregation) <> (v_old.period_type, v_old.aggregation) THEN
        v_values := hz_indicator_value_count(v_old.code);
        IF v_values > 0 THEN
            RETURN hz_fail('FAILED_PRECONDITION',
                           format('indicator %s has %s value(s); its period type (%s) and aggregation (%s) cannot change without rewriting their history; add a new indicator instead',
                                  v_old.code, v_values, v_old.period_type, v_old.aggregation));
        END IF;
    END IF;
    UPDATE indicator SET name = v_new.name, unit = v_new.unit, period_type = v_new.period_type,
                         aggregation = v_new.aggregation
     WHERE code = v_old.code;
    PERFORM hz_audit(p, 'indicator_update', v_old.code,
                     jsonb_build_object(
                         'old', jsonb_build_object('name', v_old.name, 'unit', v_old.unit,
                                                   'period_type', v_old.period_type,
                                                   'aggregation', v_old.aggregation),
                         'new', jsonb_build_object('name', v_new.name, 'unit', v_new.unit,
                                                   'period_type', v_new.period_type,
                                                   'aggregation', v_new.aggregation)));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;


ALTER FUNCTION public.hz_indicator_update(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_nil_report(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_nil_report(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_unit org_unit;
    v_period text := p->>'period';
    v_type text := hz_period_type(p->>'period');
    v_codes text[];
    v_errors jsonb;
    v_msg text;
    v_new int;
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('only a community can declare nothing to report; this principal is %s',
                              hz_principal_label(p)));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = p #>> '{principal,unit}';
    IF NOT FOUND OR v_unit.level <> 'community' OR v_unit.retired_at IS NOT NULL THEN
        RETURN hz_fail('PERMISSION_DENIED', 'the principal''s unit is not an active community');
    END IF;
    IF v_type IS NULL THEN
        RETURN hz_fail('INVALID_ARGUMENT',
                       format('period: invalid period %s (want YYYY, YYYY-Qn or YYYY-MM)', hz_quote(v_period)));
    END IF;
    v_codes := hz_json_texts(p->'indicators');
    IF cardinality(v_codes) = 0 THEN
        SELECT array_agg(code ORDER BY sort_order) INTO v_codes FROM indicator
         WHERE period_type = v_type AND retired_at IS NULL;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('kind', 'request', 'index', c.o - 1, 'field', 'indicators',
               'reason', CASE WHEN i.code IS NULL THEN format('unknown indicator %s', hz_quote(c.code))
                              ELSE format('period %s is a %s, but indicator %s is recorded per %s (e.g. "%s")',
                                          hz_quote(v_period), v_type, i.code, i.period_type,
                                          hz_period_example(i.period_type, hz_period_start(v_period))) END)
               ORDER BY c.o)
      INTO v_errors
      FROM unnest(v_codes) WITH ORDINALITY c(code, o)
      LEFT JOIN indicator i ON i.code = c.code
     WHERE i.code IS NULL OR i.period_type <> v_type;
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
    END IF;
    SELECT hz_lock_message(l) INTO v_msg
      FROM hz_lock_covering(v_unit.id, hz_period_start(v_period), hz_period_end(v_period)) l;
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION', v_msg || '; nothing was written');
    END IF;
    SELECT format('indicator %s for %s already has a value (record %s); retract it first to declare nothing',
                  v.indicator_code, v_period, v.record_id)
      INTO v_msg
      FROM indicator_value v
     WHERE v.unit_id = v_unit.id AND v.period = v_period AND v.indicator_code = ANY (v_codes)
       AND v.is_current AND v.retracted_at IS NULL
     LIMIT 1;
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION', v_msg);
    END IF;
    INSERT INTO nil_report (unit_id, indicator_code, period, period_start, fingerprint, peer)
    SELECT v_unit.id, c, v_period, hz_period_start(v_period),
           coalesce(p #>> '{principal,fingerprint}', ''), coalesce(p #>> '{principal,peer}', '')
      FROM unnest(v_codes) c
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_new = ROW_COUNT;
    IF v_new > 0 THEN
        PERFORM hz_audit(p, 'nil', v_period, jsonb_build_object('indicators', to_jsonb(v_codes)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'created', v_new,
                              'unchanged', cardinality(v_codes) - v_new);
END
$$;


ALTER FUNCTION public.hz_nil_report(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_period_lock(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_period_lock(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    v_period text := p->>'period';
    v_id bigint;
BEGIN
    k := hz_period_lock_args(p, 'lock periods');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    INSERT INTO period_lock (unit_id, period, period_start, period_end, locked_by,
                             locked_by_unit_id, locked_by_admin)
    VALUES ((k.unit).id, v_period, hz_period_start(v_period), hz_period_end(v_period),
            hz_principal_label(p),
            (SELECT o.id FROM org_unit o WHERE o.code = p #>> '{principal,unit}'),
            (p #>> '{principal,role}') = 'admin')
    ON CONFLICT (unit_id, period) WHERE unlocked_at IS NULL DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        RETURN jsonb_build_object('status', 'OK', 'changed', false);
    END IF;
    PERFORM hz_audit(p, 'period_lock', (k.unit).code, jsonb_build_object('period', v_period));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;


ALTER FUNCTION public.hz_period_lock(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_period_lock_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_period_lock_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record := hz_target_unit(p, p->>'unit_code');
    v_root org_unit := k.unit;
BEGIN
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'locks', coalesce((
        SELECT jsonb_agg(jsonb_build_object('unit_code', o.code, 'period', l.period,
                                            'locked_at', hz_ts_text(l.locked_at),
                                            'locked_by', l.locked_by)
                         ORDER BY o.code, l.period_start, l.period)
        FROM period_lock l JOIN org_unit o ON o.id = l.unit_id
        WHERE l.unlocked_at IS NULL
          AND (v_root.id IS NULL
               OR l.unit_id IN (SELECT hz_unit_lineage(v_root.id)))), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_period_lock_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_period_unlock(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_period_unlock(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    v_period text := p->>'period';
    v_lock period_lock;
    v_fail jsonb;
BEGIN
    k := hz_period_lock_args(p, 'unlock periods');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    SELECT * INTO v_lock FROM period_lock
     WHERE unit_id = (k.unit).id AND period = v_period AND unlocked_at IS NULL
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN hz_fail('NOT_FOUND', format('period %s is not locked for %s%s', v_period, (k.unit).code,
            coalesce('; ' || (SELECT hz_lock_message(l) FROM hz_lock_covering((k.unit).id,
                hz_period_start(v_period), hz_period_end(v_period)) l), '')));
    END IF;
    v_fail := hz_unlock_refusal(p, v_lock);
    IF v_fail IS NOT NULL THEN
        RETURN v_fail;
    END IF;
    UPDATE period_lock SET unlocked_at = now(), unlocked_by = hz_principal_label(p)
     WHERE id = v_lock.id;
    PERFORM hz_audit(p, 'period_unlock', (k.unit).code, jsonb_build_object('period', v_period));
    RETURN jsonb_build_object('status', 'OK', 'changed', true);
END
$$;


ALTER FUNCTION public.hz_period_unlock(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_pull(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_pull(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_scope jsonb;
    v_since bigint := hz_json_bigint(p->'since');
    v_n int := least(greatest(coalesce(hz_json_bigint(p->'limit'), 0), 0), 5000);
    v_units bigint[];
    v_recs jsonb;
    v_cursor bigint;
    v_got int;
BEGIN
    IF v_since IS NULL AND p->'since' IS NOT NULL AND p->'since' <> 'null'::jsonb THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'since: must be a cursor (a whole number >= 0)',
                       jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                         'field', 'since', 'reason', 'not a cursor')));
    END IF;
    v_since := coalesce(v_since, 0);
    IF v_since < 0 THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'since: must be a cursor (a whole number >= 0)',
                       jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                         'field', 'since', 'reason', 'negative')));
    END IF;
    IF v_n = 0 THEN
        v_n := 1000;
    END IF;
    v_scope := hz_read_scope(p, 'records', with_span => false);
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);

    LOCK TABLE activity, indicator_value, honor IN SHARE MODE;

    SELECT coalesce(jsonb_agg(x.rec ORDER BY x.seq), '[]'::jsonb), max(x.seq), count(*)
      INTO v_recs, v_cursor, v_got
      FROM (SELECT r.seq, r.rec FROM hz_pull_rows(v_units, v_since, v_n + 1) r
            ORDER BY r.seq LIMIT v_n + 1) x;
    IF v_got > v_n THEN
        -- One more than asked exists: drop it and say so.
        v_recs := v_recs - v_n;
        v_cursor := (v_recs -> (v_n - 1) ->> 'change_seq')::bigint;
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'records', v_recs,
                              'cursor', coalesce(v_cursor, v_since), 'more', v_got > v_n);
END
$$;


ALTER FUNCTION public.hz_pull(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_quota_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_quota_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := nullif(p->>'unit_code', '');
    v_ind text := nullif(p->>'indicator', '');
    v_hist boolean := coalesce((p->>'history')::boolean, false);
    v_root org_unit;
    k record;
BEGIN
    -- Without a unit an administrator lists every quota, whatever unit
    -- its certificate names.
    IF v_code IS NOT NULL OR coalesce(v_role, '') <> 'admin' THEN
        k := hz_target_unit(p, v_code);
        IF k.fail IS NOT NULL THEN
            RETURN k.fail;
        END IF;
        v_root := k.unit;
    END IF;
    IF v_ind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM indicator WHERE code = v_ind) THEN
        RETURN hz_fail_field('indicator', format('unknown indicator %s', hz_quote(v_ind)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'quotas', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'quota_id', x.id, 'unit_code', o.code, 'unit_name', o.name,
                   'indicator', i.code, 'indicator_name', i.name, 'period_type', x.period_type,
                   'minimum', x.minimum,
                   'effective_from', hz_period_example(x.period_type, x.effective_from),
                   'set_at', hz_ts_text(x.set_at), 'set_by', x.set_by,
                   'superseded', x.superseded)
               ORDER BY o.code, i.sort_order, x.period_type, x.effective_from, x.id)
        FROM (SELECT q.*, EXISTS (SELECT 1 FROM quota n
                                  WHERE n.unit_id = q.unit_id AND n.indicator_code = q.indicator_code
                                    AND n.period_type = q.period_type
                                    AND n.effective_from = q.effective_from AND n.id > q.id) AS superseded
              FROM quota q) x
        JOIN org_unit o ON o.id = x.unit_id
        JOIN indicator i ON i.code = x.indicator_code
        WHERE (v_ind IS NULL OR x.indicator_code = v_ind)
          AND (v_hist OR NOT x.superseded)
          AND (v_root.id IS NULL
               OR x.unit_id IN (SELECT hz_unit_lineage(v_root.id)))), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_quota_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_quota_set(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_quota_set(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    k record;
    v_ind indicator;
    v_type text := p->>'period_type';
    v_min numeric := hz_json_numeric(p->'minimum');
    v_from text := p->>'effective_from';
    v_old quota;
    v_id bigint;
BEGIN
    k := hz_rule_unit(p, 'set quotas');
    IF k.fail IS NOT NULL THEN
        RETURN k.fail;
    END IF;
    SELECT * INTO v_ind FROM indicator WHERE code = p->>'indicator';
    IF NOT FOUND THEN
        RETURN hz_request_error('indicator', format('unknown indicator %s', hz_quote(p->>'indicator')));
    END IF;
    IF coalesce(v_type, '') NOT IN ('month', 'quarter', 'year') THEN
        RETURN hz_request_error('period_type', format('unknown period type %s (want month, quarter or year)',
                                                      hz_quote(v_type)));
    END IF;
    IF (v_ind.period_type = 'quarter' AND v_type = 'month')
       OR (v_ind.period_type = 'year' AND v_type <> 'year') THEN
        RETURN hz_request_error('period_type',
            format('indicator %s is recorded per %s; a quota on it cannot be per %s',
                   v_ind.code, v_ind.period_type, v_type));
    END IF;
    IF v_min IS NULL OR v_min < 0 OR v_min >= 1e300 THEN
        RETURN hz_request_error('minimum', format('must be a number >= 0, got %s',
                                                  coalesce(p->>'minimum', 'nothing')));
    END IF;
    IF hz_period_type(v_from) IS DISTINCT FROM v_type THEN
        RETURN hz_request_error('effective_from',
            format('%s is not a %s (want e.g. "%s")', hz_quote(v_from), v_type,
                   hz_period_example(v_type, coalesce(hz_period_start(v_from), current_date))));
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(
        format('quota:%s:%s:%s', (k.unit).id, v_ind.code, v_type), 7443));
    SELECT * INTO v_old FROM quota q
     WHERE q.unit_id = (k.unit).id AND q.indicator_code = v_ind.code AND q.period_type = v_type
       AND q.effective_from = hz_period_start(v_from)
     ORDER BY q.id DESC LIMIT 1;
    IF FOUND AND v_old.minimum = v_min THEN
        RETURN jsonb_build_object('status', 'OK', 'created', false, 'quota_id', v_old.id);
    END IF;
    INSERT INTO quota (unit_id, indicator_code, period_type, minimum, effective_from, set_by)
    VALUES ((k.unit).id, v_ind.code, v_type, v_min, hz_period_start(v_from), hz_principal_label(p))
    RETURNING id INTO v_id;
    PERFORM hz_audit(p, 'quota_set', (k.unit).code,
                     jsonb_build_object('quota_id', v_id, 'indicator', v_ind.code,
                                        'period_type', v_type, 'minimum', v_min, 'from', v_from));
    RETURN jsonb_build_object('status', 'OK', 'created', true, 'quota_id', v_id);
END
$$;


ALTER FUNCTION public.hz_quota_set(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_record_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_record_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_unit org_unit;
    v_year int := hz_json_bigint(p->'year');
    v_cat text := nullif(p->>'category', '');
    v_all boolean := coalesce((p->>'versions')::boolean, false);
BEGIN
    IF (p #>> '{principal,role}') IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('list shows a community''s own records; this principal is %s (use summary)',
                              hz_principal_label(p)));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = p #>> '{principal,unit}';
    IF NOT FOUND THEN
        RETURN hz_fail('PERMISSION_DENIED', 'the principal''s unit is not in the org tree');
    END IF;
    IF hz_year_error(p->'year') IS NOT NULL THEN
        RETURN hz_fail('INVALID_ARGUMENT', format('year: want a year like 2020, got %s', coalesce(p->>'year', 'nothing')));
    END IF;
    IF v_cat IS NOT NULL AND NOT EXISTS (SELECT 1 FROM category WHERE code = v_cat) THEN
        RETURN hz_fail('INVALID_ARGUMENT', format('category: unknown category %s', hz_quote(v_cat)));
    END IF;
    RETURN jsonb_build_object('status', 'OK', 'records', coalesce((
        SELECT jsonb_agg(jsonb_build_object(
                   'record_id', x.record_id::text, 'kind', x.kind, 'version', x.version,
                   'current', x.is_current,
                   'retracted_at', coalesce(hz_ts_text(x.retracted_at), ''),
                   'created_at', hz_ts_text(x.created_at), 'content', x.content::text)
               ORDER BY x.day, x.record_id, x.version)
        FROM (
            SELECT 'activity' AS kind, a.record_id, a.version, a.is_current, a.retracted_at,
                   a.created_at, a.content, a.date AS day
              FROM activity a
             WHERE a.unit_id = v_unit.id AND extract(year FROM a.date) = v_year
               AND (v_cat IS NULL OR a.category_code = v_cat)
            UNION ALL
            SELECT 'indicator_value', v.record_id, v.version, v.is_current, v.retracted_at,
                   v.created_at, v.content, v.period_start
              FROM indicator_value v
             WHERE v.unit_id = v_unit.id AND extract(year FROM v.period_start) = v_year
               AND v_cat IS NULL
            UNION ALL
            SELECT 'honor', h.record_id, h.version, h.is_current, h.retracted_at,
                   h.created_at, h.content, h.date_start
              FROM honor h
             WHERE h.unit_id = v_unit.id AND extract(year FROM h.date_start) = v_year
               AND (v_cat IS NULL OR h.category_code = v_cat)
        ) x
        WHERE v_all OR x.is_current), '[]'::jsonb));
END
$$;


ALTER FUNCTION public.hz_record_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_retract(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_retract(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    t hz_record_target;
    v_msg text;
BEGIN
    t := hz_record_find(p, 'retract');
    IF t.fail IS NOT NULL THEN
        RETURN t.fail;
    END IF;
    IF btrim(coalesce(p->>'reason', '')) = '' THEN
        RETURN hz_fail('INVALID_ARGUMENT', 'reason: required (why the record is retracted)');
    END IF;
    IF t.retracted_at IS NOT NULL THEN
        RETURN hz_record_changed(t, t.version, false);
    END IF;
    v_msg := hz_record_lock((t.unit).id, t.kind, t.content);
    IF v_msg IS NOT NULL THEN
        RETURN hz_fail('FAILED_PRECONDITION',
                       v_msg || format('; nothing was written (file a correction: huizong correct %s --retract)', t.rid));
    END IF;
    PERFORM hz_record_write_retract(t, p->>'reason');
    PERFORM hz_audit(p, 'retract', t.rid::text,
                     jsonb_build_object('kind', t.kind, 'version', t.version, 'reason', p->>'reason'));
    RETURN hz_record_changed(t, t.version, true);
END
$$;


ALTER FUNCTION public.hz_retract(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_submit(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_submit(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_role text := p #>> '{principal,role}';
    v_code text := p #>> '{principal,unit}';
    v_unit org_unit;
    v_recs hz_incoming[];
    v_errors jsonb;
    v_new int;
    v_dup int;
    v_sub uuid;
    v_written bigint;
    v_locks period_lock[];
BEGIN
    IF v_role IS DISTINCT FROM 'community' THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('only a community can submit records; this principal is %s',
                              coalesce(v_role, 'without a role')));
    END IF;
    SELECT * INTO v_unit FROM org_unit WHERE code = v_code;
    IF NOT FOUND THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('the principal''s unit %s is not in the org tree', hz_quote(v_code)));
    END IF;
    IF v_unit.level <> 'community' OR v_unit.retired_at IS NOT NULL THEN
        RETURN hz_fail('PERMISSION_DENIED',
                       format('unit %s is %s; only an active community can submit records',
                              hz_quote(v_code),
                              CASE WHEN v_unit.retired_at IS NOT NULL THEN 'retired'
                                   ELSE 'a ' || v_unit.level END));
    END IF;

    v_errors := hz_submit_shape_errors(p);
    IF v_errors IS NOT NULL THEN
        RETURN hz_submit_refused(v_errors);
    END IF;
    v_recs := hz_submit_incoming(p);

    SELECT jsonb_agg(jsonb_build_object(
               'kind', i.kind, 'index', i.idx, 'field', 'unit_code',
               'reason', format('unit %s is not your unit %s', hz_quote(i.r->>'unit_code'),
                                hz_quote(v_code)))
           ORDER BY i.pos)
      INTO v_errors
      FROM unnest(v_recs) i
     WHERE (i.r->>'unit_code') IS DISTINCT FROM v_code;
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('PERMISSION_DENIED', v_errors);
    END IF;

    v_errors := hz_submit_field_errors(v_recs);
    IF v_errors IS NOT NULL THEN
        RETURN hz_submit_refused(v_errors);
    END IF;

    PERFORM hz_submit_lock(v_recs, v_unit.id);
    v_recs := hz_submit_classify(v_recs, v_unit.id);

    SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'index', i.idx, 'field', i.field,
                                        'reason', i.reason) ORDER BY i.pos)
      INTO v_errors
      FROM unnest(v_recs) i WHERE i.state = 'conflict';
    IF v_errors IS NOT NULL THEN
        RETURN hz_fail_errors('ALREADY_EXISTS', v_errors);
    END IF;

    -- A new record in a locked period is refused; resending what is held
    -- (a duplicate) stays OK, since it changes nothing. The locks of the
    -- unit and its ancestors are read once; most batches meet none.
    SELECT array_agg(l ORDER BY l.locked_at, l.id) INTO v_locks
      FROM hz_unit_ancestors(v_unit.id) a
      JOIN period_lock l ON l.unit_id = a.id AND l.unlocked_at IS NULL;
    IF v_locks IS NOT NULL THEN
        -- Spans are computed inline (the fields were checked above): a
        -- function call per record made a 5000-record batch a third slower.
        SELECT jsonb_agg(jsonb_build_object('kind', x.kind, 'index', x.idx,
                                            'field', CASE x.kind WHEN 'indicator_value' THEN 'period'
                                                                 ELSE 'date' END,
                                            'reason', hz_lock_message(v_locks[x.k])) ORDER BY x.pos)
          INTO v_errors
          FROM (SELECT DISTINCT ON (i.pos) i.pos, i.kind, i.idx, k
                  FROM unnest(v_recs) i
                  CROSS JOIN LATERAL (SELECT CASE i.kind
                          WHEN 'indicator_value' THEN hz_period_start(i.r->>'period')
                          WHEN 'activity' THEN (i.r->>'date')::date
                          ELSE (CASE length(i.r->>'date') WHEN 4 THEN (i.r->>'date') || '-01-01'
                                                          WHEN 7 THEN (i.r->>'date') || '-01'
                                                          ELSE i.r->>'date' END)::date
                      END AS start) s
                  CROSS JOIN LATERAL (SELECT CASE i.kind
                          WHEN 'indicator_value' THEN hz_period_end(i.r->>'period')
                          ELSE s.start + 1 END AS finish) f
                  JOIN generate_subscripts(v_locks, 1) k
                    ON (v_locks[k]).period_start < f.finish AND (v_locks[k]).period_end > s.start
                 WHERE i.state = 'new'
                 ORDER BY i.pos, k
                 LIMIT 100) x;
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail('FAILED_PRECONDITION',
                           format('%s; nothing was written (a change there needs a correction request)',
                                  v_errors->0->>'reason'),
                           v_errors);
        END IF;
    END IF;

    SELECT count(*) FILTER (WHERE i.state = 'new'), count(*) FILTER (WHERE i.state = 'duplicate')
      INTO v_new, v_dup
      FROM unnest(v_recs) i;
    IF v_new = 0 THEN
        RETURN jsonb_build_object('status', 'OK', 'accepted', 0, 'duplicates', v_dup,
                                  'submission_id', '');
    END IF;

    INSERT INTO submission (unit_id, role, fingerprint, peer, record_count)
    VALUES (v_unit.id, v_role, coalesce(p #>> '{principal,fingerprint}', ''),
            coalesce(p #>> '{principal,peer}', ''), v_new)
    RETURNING id INTO v_sub;

    v_written := hz_submit_insert(v_recs, v_unit.id, v_sub);
    IF v_written <> v_new THEN
        -- Only a writer that bypassed hz_submit_lock can get here; the whole
        -- call is undone and may be retried.
        RAISE EXCEPTION 'hz_submit: % of % new records were written concurrently by another transaction',
                        v_new - v_written, v_new
              USING ERRCODE = 'HZ001';
    END IF;

    PERFORM hz_audit(p, 'submit', v_sub::text,
                     jsonb_build_object('accepted', v_new, 'duplicates', v_dup));
    RETURN jsonb_build_object('status', 'OK', 'accepted', v_new, 'duplicates', v_dup,
                              'submission_id', v_sub::text);
END
$$;


ALTER FUNCTION public.hz_submit(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_summary(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_summary(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
DECLARE
    v_pcode text := p #>> '{principal,unit}';
    v_scope jsonb;
    v_target org_unit;
    v_d0 date;
    v_d1 date;
    v_group jsonb := coalesce(nullif(p->'group_by', 'null'::jsonb), '[]'::jsonb);
    v_errors jsonb;
    v_units bigint[];
    v_count bigint;
    v_participants numeric;
    v_at_least boolean;
BEGIN
    -- The order of refusals stays: who is asking (hz_read_scope), then the
    -- request's fields, then the unit asked for.
    IF coalesce(p #>> '{principal,role}', '') IN ('community', 'district', 'admin')
       AND ((p #>> '{principal,role}') = 'admin' OR EXISTS (SELECT 1 FROM org_unit WHERE code = v_pcode)) THEN
        v_errors := hz_summary_request_errors(p);
        IF v_errors IS NOT NULL THEN
            RETURN hz_fail_errors('INVALID_ARGUMENT', v_errors);
        END IF;
        IF coalesce(nullif(p->>'unit_code', ''), v_pcode, '') = '' THEN
            RETURN hz_fail('INVALID_ARGUMENT', 'unit_code is required: this principal has no unit',
                           jsonb_build_array(jsonb_build_object('kind', 'request', 'index', 0,
                                             'field', 'unit_code', 'reason', 'required')));
        END IF;
    END IF;
    v_scope := hz_read_scope(p, 'summaries');
    IF v_scope->>'status' <> 'OK' THEN
        RETURN v_scope;
    END IF;
    SELECT * INTO v_target FROM org_unit WHERE code = v_scope->>'unit_code';
    v_units := ARRAY(SELECT jsonb_array_elements_text(v_scope->'units')::bigint);
    v_d0 := (v_scope->>'d0')::date;
    v_d1 := (v_scope->>'d1')::date;
    SELECT count(*), coalesce(sum(a.participants), 0), coalesce(bool_or(a.participants_at_least), false)
      INTO v_count, v_participants, v_at_least
      FROM activity a
     WHERE a.unit_id = ANY (v_units) AND a.is_current AND a.retracted_at IS NULL
       AND a.date >= v_d0 AND a.date < v_d1;

    RETURN jsonb_build_object(
        'status', 'OK',
        'year', extract(year FROM v_d0)::int,
        'from', to_char(v_d0, 'YYYY-MM'),
        'to', to_char(v_d1 - 1, 'YYYY-MM'),
        'unit_code', v_target.code,
        'unit_name', v_target.name,
        'unit_level', v_target.level,
        'activity_groups', hz_summary_activities_span(v_units, v_d0, v_d1, v_group),
        'indicator_totals', hz_summary_indicators_span(v_units, v_d0, v_d1, v_group),
        'honors', hz_summary_honors_span(v_units, v_d0, v_d1),
        'total_activities', v_count,
        'total_participants', v_participants,
        'total_participants_at_least', v_at_least)
        || CASE WHEN (p->>'list_activities')::boolean
                THEN jsonb_build_object('activities',
                                        hz_summary_activity_list_span(v_units, v_d0, v_d1,
                                            coalesce(hz_json_bigint(p->'top_activities'), 0)::int))
                ELSE '{}'::jsonb END;
END
$$;


ALTER FUNCTION public.hz_summary(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_unit_add(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_unit_add(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_unit_add(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_unit_list(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_unit_list(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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
        IF NOT hz_in_reach(p, v_root.id) THEN
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


ALTER FUNCTION public.hz_unit_list(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_unit_move(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_unit_move(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_unit_move(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_unit_rename(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_unit_rename(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_unit_rename(p jsonb) OWNER TO huizong_owner;

--
-- Name: hz_unit_retire(jsonb); Type: FUNCTION; Schema: public; Owner: huizong_owner
--

CREATE FUNCTION public.hz_unit_retire(p jsonb) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'hz_private', 'pg_temp'
    AS $$
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


ALTER FUNCTION public.hz_unit_retire(p jsonb) OWNER TO huizong_owner;

--
-- Name: activity_current; Type: VIEW; Schema: public; Owner: huizong_owner
--

CREATE VIEW public.activity_current AS
 SELECT activity.record_id,
    activity.version,
    activity.is_current,
    activity.unit_id,
    activity.submission_id,
    activity.date,
    activity.category_code,
    activity.title,
    activity.location,
    activity.participants,
    activity.participants_at_least,
    activity.partners,
    activity.organiser,
    activity.summary,
    activity.tags,
    activity.beneficiaries,
    activity.content,
    activity.created_at,
    activity.retracted_at
   FROM public.activity
  WHERE (activity.is_current AND (activity.retracted_at IS NULL));


ALTER TABLE public.activity_current OWNER TO huizong_owner;

--
-- Name: audit; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.audit (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    role text NOT NULL,
    unit_code text NOT NULL,
    fingerprint text DEFAULT ''::text NOT NULL,
    peer text DEFAULT ''::text NOT NULL,
    action text NOT NULL,
    target text DEFAULT ''::text NOT NULL,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL
);


ALTER TABLE public.audit OWNER TO huizong_owner;

--
-- Name: audit_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.audit_id_seq OWNER TO huizong_owner;

--
-- Name: audit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.audit_id_seq OWNED BY public.audit.id;


--
-- Name: cert_seen; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.cert_seen (
    fingerprint text NOT NULL,
    role text NOT NULL,
    unit_code text NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_peer text DEFAULT ''::text NOT NULL
);


ALTER TABLE public.cert_seen OWNER TO huizong_owner;

--
-- Name: correction_request_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.correction_request_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.correction_request_id_seq OWNER TO huizong_owner;

--
-- Name: correction_request_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.correction_request_id_seq OWNED BY public.correction_request.id;


--
-- Name: deadline_rule; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.deadline_rule (
    id bigint NOT NULL,
    unit_id bigint,
    indicator_code text NOT NULL,
    day integer NOT NULL,
    set_at timestamp with time zone DEFAULT now() NOT NULL,
    set_by text DEFAULT ''::text NOT NULL,
    CONSTRAINT deadline_rule_day_check CHECK (((day >= 1) AND (day <= 28)))
);


ALTER TABLE public.deadline_rule OWNER TO huizong_owner;

--
-- Name: deadline_rule_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.deadline_rule_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.deadline_rule_id_seq OWNER TO huizong_owner;

--
-- Name: deadline_rule_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.deadline_rule_id_seq OWNED BY public.deadline_rule.id;


--
-- Name: enroll_code; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.enroll_code (
    code_hash text NOT NULL,
    unit_code text NOT NULL,
    role text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_by text DEFAULT ''::text NOT NULL,
    created_fp text DEFAULT ''::text NOT NULL,
    used_at timestamp with time zone,
    used_fingerprint text,
    used_peer text,
    CONSTRAINT enroll_code_code_hash_check CHECK ((code_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT enroll_code_role_check CHECK ((role = ANY (ARRAY['community'::text, 'district'::text, 'admin'::text])))
);


ALTER TABLE public.enroll_code OWNER TO huizong_owner;

--
-- Name: honor_current; Type: VIEW; Schema: public; Owner: huizong_owner
--

CREATE VIEW public.honor_current AS
 SELECT honor.record_id,
    honor.version,
    honor.is_current,
    honor.unit_id,
    honor.submission_id,
    honor.date_start,
    honor.date_precision,
    honor.title,
    honor.level,
    honor.issuer,
    honor.category_code,
    honor.recipient,
    honor.content,
    honor.created_at,
    honor.retracted_at
   FROM public.honor
  WHERE (honor.is_current AND (honor.retracted_at IS NULL));


ALTER TABLE public.honor_current OWNER TO huizong_owner;

--
-- Name: indicator_value_current; Type: VIEW; Schema: public; Owner: huizong_owner
--

CREATE VIEW public.indicator_value_current AS
 SELECT indicator_value.record_id,
    indicator_value.version,
    indicator_value.is_current,
    indicator_value.unit_id,
    indicator_value.submission_id,
    indicator_value.indicator_code,
    indicator_value.period,
    indicator_value.period_type,
    indicator_value.period_start,
    indicator_value.value,
    indicator_value.note,
    indicator_value.content,
    indicator_value.created_at,
    indicator_value.retracted_at
   FROM public.indicator_value
  WHERE (indicator_value.is_current AND (indicator_value.retracted_at IS NULL));


ALTER TABLE public.indicator_value_current OWNER TO huizong_owner;

--
-- Name: issued_cert; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.issued_cert (
    fingerprint text NOT NULL,
    serial text NOT NULL,
    role text NOT NULL,
    unit_code text NOT NULL,
    issued_at timestamp with time zone DEFAULT now() NOT NULL,
    not_after timestamp with time zone NOT NULL,
    code_hash text NOT NULL,
    peer text DEFAULT ''::text NOT NULL,
    CONSTRAINT issued_cert_fingerprint_check CHECK ((fingerprint ~ '^[0-9a-f]{64}$'::text))
);


ALTER TABLE public.issued_cert OWNER TO huizong_owner;

--
-- Name: nil_report; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.nil_report (
    id bigint NOT NULL,
    unit_id bigint NOT NULL,
    indicator_code text NOT NULL,
    period text NOT NULL,
    period_start date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    fingerprint text DEFAULT ''::text NOT NULL,
    peer text DEFAULT ''::text NOT NULL
);


ALTER TABLE public.nil_report OWNER TO huizong_owner;

--
-- Name: nil_report_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.nil_report_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.nil_report_id_seq OWNER TO huizong_owner;

--
-- Name: nil_report_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.nil_report_id_seq OWNED BY public.nil_report.id;


--
-- Name: org_unit_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.org_unit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.org_unit_id_seq OWNER TO huizong_owner;

--
-- Name: org_unit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.org_unit_id_seq OWNED BY public.org_unit.id;


--
-- Name: period_lock_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.period_lock_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.period_lock_id_seq OWNER TO huizong_owner;

--
-- Name: period_lock_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.period_lock_id_seq OWNED BY public.period_lock.id;


--
-- Name: quota; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.quota (
    id bigint NOT NULL,
    unit_id bigint NOT NULL,
    indicator_code text NOT NULL,
    period_type text NOT NULL,
    minimum double precision NOT NULL,
    effective_from date NOT NULL,
    set_at timestamp with time zone DEFAULT now() NOT NULL,
    set_by text DEFAULT ''::text NOT NULL,
    CONSTRAINT quota_check CHECK ((effective_from = (date_trunc(period_type, (effective_from)::timestamp with time zone))::date)),
    CONSTRAINT quota_minimum_check CHECK (((minimum >= (0)::double precision) AND (minimum < 'Infinity'::double precision))),
    CONSTRAINT quota_period_type_check CHECK ((period_type = ANY (ARRAY['month'::text, 'quarter'::text, 'year'::text])))
);


ALTER TABLE public.quota OWNER TO huizong_owner;

--
-- Name: quota_id_seq; Type: SEQUENCE; Schema: public; Owner: huizong_owner
--

CREATE SEQUENCE public.quota_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.quota_id_seq OWNER TO huizong_owner;

--
-- Name: quota_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: huizong_owner
--

ALTER SEQUENCE public.quota_id_seq OWNED BY public.quota.id;


--
-- Name: revoked_cert; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.revoked_cert (
    fingerprint text NOT NULL,
    revoked_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_by text DEFAULT ''::text NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    CONSTRAINT revoked_cert_fingerprint_check CHECK ((fingerprint ~ '^[0-9a-f]{64}$'::text))
);


ALTER TABLE public.revoked_cert OWNER TO huizong_owner;

--
-- Name: schema_version; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.schema_version OWNER TO huizong_owner;

--
-- Name: submission; Type: TABLE; Schema: public; Owner: huizong_owner
--

CREATE TABLE public.submission (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    unit_id bigint NOT NULL,
    role text NOT NULL,
    fingerprint text DEFAULT ''::text NOT NULL,
    peer text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    record_count integer DEFAULT 0 NOT NULL,
    CONSTRAINT submission_record_count_check CHECK ((record_count >= 0))
);


ALTER TABLE public.submission OWNER TO huizong_owner;

--
-- Name: audit id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.audit ALTER COLUMN id SET DEFAULT nextval('public.audit_id_seq'::regclass);


--
-- Name: correction_request id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.correction_request ALTER COLUMN id SET DEFAULT nextval('public.correction_request_id_seq'::regclass);


--
-- Name: deadline_rule id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.deadline_rule ALTER COLUMN id SET DEFAULT nextval('public.deadline_rule_id_seq'::regclass);


--
-- Name: nil_report id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.nil_report ALTER COLUMN id SET DEFAULT nextval('public.nil_report_id_seq'::regclass);


--
-- Name: org_unit id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.org_unit ALTER COLUMN id SET DEFAULT nextval('public.org_unit_id_seq'::regclass);


--
-- Name: period_lock id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.period_lock ALTER COLUMN id SET DEFAULT nextval('public.period_lock_id_seq'::regclass);


--
-- Name: quota id; Type: DEFAULT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.quota ALTER COLUMN id SET DEFAULT nextval('public.quota_id_seq'::regclass);


--
-- Data for Name: activity; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.activity (record_id, version, is_current, unit_id, submission_id, date, category_code, title, location, participants, participants_at_least, partners, organiser, summary, tags, beneficiaries, content, created_at, retracted_at, change_seq, retract_reason) FROM stdin;
a2ef889a-b67f-43fb-889d-7ba6c44f8baf	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-04-14	visit	联合检修公司团委走访慰问贫困低保户	电厂家属院	0	f	{检修公司团委}	新光社区	下午,社区工作人员联合辖区共建单位检修公司团委,带着大米、食用油、生活用品以及清扫卫生工具,走访电厂家属院两户贫困低保老人,帮助清扫家中卫生,询问老人的生活情况及身体状况,承诺定期走访帮扶。受助居民姓名只记在本社区记录中。报告未给出参加人数。	{精神文明创建,共建单位,低保户}	{杜玉霞,胡永松}	{"date": "2020-04-14", "tags": ["精神文明创建", "共建单位", "低保户"], "title": "联合检修公司团委走访慰问贫困低保户", "summary": "下午,社区工作人员联合辖区共建单位检修公司团委,带着大米、食用油、生活用品以及清扫卫生工具,走访电厂家属院两户贫困低保老人,帮助清扫家中卫生,询问老人的生活情况及身体状况,承诺定期走访帮扶。受助居民姓名只记在本社区记录中。报告未给出参加人数。", "category": "visit", "location": "电厂家属院", "partners": ["检修公司团委"], "organiser": "新光社区", "record_id": "a2ef889a-b67f-43fb-889d-7ba6c44f8baf", "unit_code": "xinguang", "participants": 0, "beneficiaries": ["杜玉霞", "胡永松"], "participants_at_least": false}	2026-12-01 11:49:54.415579+00	\N	3	\N
c1f1689a-8820-4e02-9883-b8871983ffa8	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-06-11	culture	太极拳、剑队参加水磨沟区老年人太极拳、剑比赛	水磨沟区	0	f	{}	新光社区	社区组织辖区的太极拳、剑队参加水磨沟区举办的老年人太极拳、剑比赛,取得集体一等奖。报告未给出参赛人数。	{老年人,比赛,获奖}	{}	{"date": "2020-06-11", "tags": ["老年人", "比赛", "获奖"], "title": "太极拳、剑队参加水磨沟区老年人太极拳、剑比赛", "summary": "社区组织辖区的太极拳、剑队参加水磨沟区举办的老年人太极拳、剑比赛,取得集体一等奖。报告未给出参赛人数。", "category": "culture", "location": "水磨沟区", "partners": [], "organiser": "新光社区", "record_id": "c1f1689a-8820-4e02-9883-b8871983ffa8", "unit_code": "xinguang", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.415579+00	\N	4	\N
bb9871ee-4265-4c42-aefc-4c69ec79c110	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-07-01	party	退休党员座谈会		0	f	{}	新光社区	退休党员围绕“追忆党的光辉历程、弘扬党的优良传统、歌颂党的丰功伟绩”,结合亲身经历回顾党的光荣历史,并就如何加强基层党组织建设发表看法;表示将继续发挥余热,当义务志愿者、宣传员。报告未给出参加人数。	{七一,退休党员,宣传}	{}	{"date": "2020-07-01", "tags": ["七一", "退休党员", "宣传"], "title": "退休党员座谈会", "summary": "退休党员围绕“追忆党的光辉历程、弘扬党的优良传统、歌颂党的丰功伟绩”,结合亲身经历回顾党的光荣历史,并就如何加强基层党组织建设发表看法;表示将继续发挥余热,当义务志愿者、宣传员。报告未给出参加人数。", "category": "party", "location": "", "partners": [], "organiser": "新光社区", "record_id": "bb9871ee-4265-4c42-aefc-4c69ec79c110", "unit_code": "xinguang", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.415579+00	\N	5	\N
fe35c07c-33ef-482d-8f19-1ea53ad79cd6	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-08-01	youth	“啄木鸟在行动-环保护绿”活动	新光社区	20	t	{}	新光社区	“我为亚博做贡献—全民在行动”主题实践活动(为创建全国文明城市、迎接首届“中国—亚欧博览会”)。组织社区20余名青、少年儿童巡查社区环境卫生,巡查结果公布在“社区文明行为红黄榜”上。	{未成年人思想道德建设,环境整治,创建全国文明城市}	{}	{"date": "2020-08-01", "tags": ["未成年人思想道德建设", "环境整治", "创建全国文明城市"], "title": "“啄木鸟在行动-环保护绿”活动", "summary": "“我为亚博做贡献—全民在行动”主题实践活动(为创建全国文明城市、迎接首届“中国—亚欧博览会”)。组织社区20余名青、少年儿童巡查社区环境卫生,巡查结果公布在“社区文明行为红黄榜”上。", "category": "youth", "location": "新光社区", "partners": [], "organiser": "新光社区", "record_id": "fe35c07c-33ef-482d-8f19-1ea53ad79cd6", "unit_code": "xinguang", "participants": 20, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.415579+00	\N	6	\N
7645a3e4-cacb-4b26-bc73-3e0cfe095121	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-04-12	fire	消防知识讲座	社区活动室	40	t	{乌市消防培训中心}	新光社区	邀请乌市消防培训中心的孔教官在社区活动室为楼栋长、社区工作者、联防队员等40余人上了一堂消防知识讲座。孔教官分析全国重大火灾案例,讲解新疆消防的严峻形势,使大家了解火灾的成因、严重后果以及怎样在火灾中逃脱与自救。	{消防宣传,楼栋长,社区工作者,联防队员}	{}	{"date": "2020-04-12", "tags": ["消防宣传", "楼栋长", "社区工作者", "联防队员"], "title": "消防知识讲座", "summary": "邀请乌市消防培训中心的孔教官在社区活动室为楼栋长、社区工作者、联防队员等40余人上了一堂消防知识讲座。孔教官分析全国重大火灾案例,讲解新疆消防的严峻形势,使大家了解火灾的成因、严重后果以及怎样在火灾中逃脱与自救。", "category": "fire", "location": "社区活动室", "partners": ["乌市消防培训中心"], "organiser": "新光社区", "record_id": "7645a3e4-cacb-4b26-bc73-3e0cfe095121", "unit_code": "xinguang", "participants": 40, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.415579+00	2026-12-01 11:49:54.963902+00	85	entered twice
33eee6f5-e08d-426c-93ae-7e4de9c94a80	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-01-25	culture	春节期间各物业小区文体活动(多场)	辖区各物业小区	0	f	{辖区各物业小区}	迎宾路社区	以各小区文艺活跃团队为依托,走“资源共享、共驻共建”路子,春节期间辖区各物业小区组织多场不同形式的文体活动,丰富群众春节文化娱乐生活。报告只写“春节期间”,未给日期:记录日期取2020年春节正月初一(1月25日),仅作归月之用。报告未给出场次和人数。	{春节,共驻共建}	{}	{"date": "2020-01-25", "tags": ["春节", "共驻共建"], "title": "春节期间各物业小区文体活动(多场)", "summary": "以各小区文艺活跃团队为依托,走“资源共享、共驻共建”路子,春节期间辖区各物业小区组织多场不同形式的文体活动,丰富群众春节文化娱乐生活。报告只写“春节期间”,未给日期:记录日期取2020年春节正月初一(1月25日),仅作归月之用。报告未给出场次和人数。", "category": "culture", "location": "辖区各物业小区", "partners": ["辖区各物业小区"], "organiser": "迎宾路社区", "record_id": "33eee6f5-e08d-426c-93ae-7e4de9c94a80", "unit_code": "yingbinlu", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.499911+00	\N	8	\N
44135f66-56c9-4015-bdf3-ce167058d2c7	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-05-01	culture	五一参加街道组织的《颂歌献给党》专场		0	f	{}	街道党工委	按照街道党工委统一安排和街道文化站布置的任务开展“唱读讲传”活动。报告原文“五一、七一参加街道组织的专场《颂歌献给党》和《万名党员重温入党誓词》”,此处按先后对应:五一为《颂歌献给党》。报告所述“每月坚持一次唱读讲传活动”未给各月日期,未逐月单列。报告未给出人数。	{唱读讲传,五一}	{}	{"date": "2020-05-01", "tags": ["唱读讲传", "五一"], "title": "五一参加街道组织的《颂歌献给党》专场", "summary": "按照街道党工委统一安排和街道文化站布置的任务开展“唱读讲传”活动。报告原文“五一、七一参加街道组织的专场《颂歌献给党》和《万名党员重温入党誓词》”,此处按先后对应:五一为《颂歌献给党》。报告所述“每月坚持一次唱读讲传活动”未给各月日期,未逐月单列。报告未给出人数。", "category": "culture", "location": "", "partners": [], "organiser": "街道党工委", "record_id": "44135f66-56c9-4015-bdf3-ce167058d2c7", "unit_code": "yingbinlu", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.499911+00	\N	9	\N
8d1ce3d8-5357-4a01-a6e4-b39226a0b24c	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-07-01	party	七一参加街道组织的《万名党员重温入党誓词》		0	f	{}	街道党工委	报告原文“五一、七一参加街道组织的专场《颂歌献给党》和《万名党员重温入党誓词》”,此处按先后对应:七一为《万名党员重温入党誓词》。同段另述“庆祝建党90周年社区发动单位共同举办大型唱读讲传文艺汇演”,未给日期,且2020年为建党99周年,原文似沿用旧稿,故未单列。报告未给出人数。	{唱读讲传,七一}	{}	{"date": "2020-07-01", "tags": ["唱读讲传", "七一"], "title": "七一参加街道组织的《万名党员重温入党誓词》", "summary": "报告原文“五一、七一参加街道组织的专场《颂歌献给党》和《万名党员重温入党誓词》”,此处按先后对应:七一为《万名党员重温入党誓词》。同段另述“庆祝建党90周年社区发动单位共同举办大型唱读讲传文艺汇演”,未给日期,且2020年为建党99周年,原文似沿用旧稿,故未单列。报告未给出人数。", "category": "party", "location": "", "partners": [], "organiser": "街道党工委", "record_id": "8d1ce3d8-5357-4a01-a6e4-b39226a0b24c", "unit_code": "yingbinlu", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.499911+00	\N	10	\N
4ae3c91f-fdf4-4a38-b1d6-35554c956984	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-01-08	theory	党支部冬训集中学习	社区党群服务中心	25	f	{}	观澜社区党支部	支部党员集中学习,班子成员领学,交流学习心得。	{党员冬训}	{}	{"date": "2020-01-08", "tags": ["党员冬训"], "title": "党支部冬训集中学习", "summary": "支部党员集中学习,班子成员领学,交流学习心得。", "category": "theory", "location": "社区党群服务中心", "partners": [], "organiser": "观澜社区党支部", "record_id": "4ae3c91f-fdf4-4a38-b1d6-35554c956984", "unit_code": "guanlan", "participants": 25, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	41	\N
0446513a-a22d-4c9d-aa3c-34782a02940a	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-01-17	visit	春节前走访慰问困难老人	观澜小区	6	f	{观澜物业服务中心}	观澜社区	社区工作人员与物业共建单位送去米面油和春联,走访两户独居困难老人。	{春节,独居老人}	{王秀英,刘长顺}	{"date": "2020-01-17", "tags": ["春节", "独居老人"], "title": "春节前走访慰问困难老人", "summary": "社区工作人员与物业共建单位送去米面油和春联,走访两户独居困难老人。", "category": "visit", "location": "观澜小区", "partners": ["观澜物业服务中心"], "organiser": "观澜社区", "record_id": "0446513a-a22d-4c9d-aa3c-34782a02940a", "unit_code": "guanlan", "participants": 6, "beneficiaries": ["王秀英", "刘长顺"], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	42	\N
a157cfa5-029c-4abc-b550-a4ffbfde78d6	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-02-10	volunteer	疫情防控志愿者小区卡口值守	观澜小区各出入口	35	f	{观澜物业服务中心}	观澜社区	党员和居民志愿者轮班值守小区出入口,测温登记,为居家隔离住户代购生活物资。	{疫情防控,党员志愿者}	{}	{"date": "2020-02-10", "tags": ["疫情防控", "党员志愿者"], "title": "疫情防控志愿者小区卡口值守", "summary": "党员和居民志愿者轮班值守小区出入口,测温登记,为居家隔离住户代购生活物资。", "category": "volunteer", "location": "观澜小区各出入口", "partners": ["观澜物业服务中心"], "organiser": "观澜社区", "record_id": "a157cfa5-029c-4abc-b550-a4ffbfde78d6", "unit_code": "guanlan", "participants": 35, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	43	\N
08959d06-49f2-4d29-831f-d93c0d1a0c17	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-03-05	volunteer	学雷锋志愿服务日	观澜广场	28	f	{}	观澜社区	志愿者在广场开展义务理发、家电维修和政策咨询。	{学雷锋}	{}	{"date": "2020-03-05", "tags": ["学雷锋"], "title": "学雷锋志愿服务日", "summary": "志愿者在广场开展义务理发、家电维修和政策咨询。", "category": "volunteer", "location": "观澜广场", "partners": [], "organiser": "观澜社区", "record_id": "08959d06-49f2-4d29-831f-d93c0d1a0c17", "unit_code": "guanlan", "participants": 28, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	44	\N
61b5b104-aae7-4b5e-9492-58816e649549	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-04-15	legal	全民国家安全教育日宣传	观澜广场	60	t	{观澜派出所}	观澜社区	设点发放宣传资料,民警现场讲解国家安全法,60余名居民参加。	{国家安全教育日}	{}	{"date": "2020-04-15", "tags": ["国家安全教育日"], "title": "全民国家安全教育日宣传", "summary": "设点发放宣传资料,民警现场讲解国家安全法,60余名居民参加。", "category": "legal", "location": "观澜广场", "partners": ["观澜派出所"], "organiser": "观澜社区", "record_id": "61b5b104-aae7-4b5e-9492-58816e649549", "unit_code": "guanlan", "participants": 60, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.567714+00	\N	45	\N
c142e373-fad8-42b2-90a8-ca7e0b18bf1b	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-05-12	fire	防灾减灾日消防疏散演练	观澜小区3号楼	120	f	{观澜物业服务中心}	观澜社区	物业微型消防站配合,住户按预案疏散,演示灭火器使用。	{防灾减灾日,应急演练}	{}	{"date": "2020-05-12", "tags": ["防灾减灾日", "应急演练"], "title": "防灾减灾日消防疏散演练", "summary": "物业微型消防站配合,住户按预案疏散,演示灭火器使用。", "category": "fire", "location": "观澜小区3号楼", "partners": ["观澜物业服务中心"], "organiser": "观澜社区", "record_id": "c142e373-fad8-42b2-90a8-ca7e0b18bf1b", "unit_code": "guanlan", "participants": 120, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	46	\N
34455d70-8c70-4b23-8525-ae159c8b0b37	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-06-26	antidrug	国际禁毒日宣传	观澜小学门口	80	t	{观澜小学}	观澜社区	展出禁毒展板,向家长和学生发放禁毒知识读本,80余人参加。	{国际禁毒日,未成年人}	{}	{"date": "2020-06-26", "tags": ["国际禁毒日", "未成年人"], "title": "国际禁毒日宣传", "summary": "展出禁毒展板,向家长和学生发放禁毒知识读本,80余人参加。", "category": "antidrug", "location": "观澜小学门口", "partners": ["观澜小学"], "organiser": "观澜社区", "record_id": "34455d70-8c70-4b23-8525-ae159c8b0b37", "unit_code": "guanlan", "participants": 80, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.567714+00	\N	47	\N
68df5a38-0eb4-4423-9805-42d788d64e77	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-07-01	party	七一党员重温入党誓词	社区党群服务中心	45	f	{}	观澜社区党支部	全体在职和退休党员重温入党誓词,为50年党龄老党员颁发纪念章。	{七一}	{}	{"date": "2020-07-01", "tags": ["七一"], "title": "七一党员重温入党誓词", "summary": "全体在职和退休党员重温入党誓词,为50年党龄老党员颁发纪念章。", "category": "party", "location": "社区党群服务中心", "partners": [], "organiser": "观澜社区党支部", "record_id": "68df5a38-0eb4-4423-9805-42d788d64e77", "unit_code": "guanlan", "participants": 45, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	48	\N
7b3d47f4-ff40-450d-9800-495f43a2ed35	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-07-22	youth	暑期“小小志愿者”夏令营	社区党群服务中心	30	f	{观澜小学}	观澜社区	辖区小学生参加垃圾分类小课堂和社区巡查,评选“文明小标兵”。	{暑期,垃圾分类}	{}	{"date": "2020-07-22", "tags": ["暑期", "垃圾分类"], "title": "暑期“小小志愿者”夏令营", "summary": "辖区小学生参加垃圾分类小课堂和社区巡查,评选“文明小标兵”。", "category": "youth", "location": "社区党群服务中心", "partners": ["观澜小学"], "organiser": "观澜社区", "record_id": "7b3d47f4-ff40-450d-9800-495f43a2ed35", "unit_code": "guanlan", "participants": 30, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	49	\N
100af683-cd83-4c0c-a521-032b88c62299	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-08-15	environment	小区环境卫生大扫除	观澜小区	50	t	{观澜物业服务中心}	观澜社区	清理楼道堆积物和绿化带垃圾,50余名居民和志愿者参加。	{爱国卫生}	{}	{"date": "2020-08-15", "tags": ["爱国卫生"], "title": "小区环境卫生大扫除", "summary": "清理楼道堆积物和绿化带垃圾,50余名居民和志愿者参加。", "category": "environment", "location": "观澜小区", "partners": ["观澜物业服务中心"], "organiser": "观澜社区", "record_id": "100af683-cd83-4c0c-a521-032b88c62299", "unit_code": "guanlan", "participants": 50, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.567714+00	\N	50	\N
09b08abd-4f13-4306-83a4-c4889e2bf4df	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-09-19	science	全国科普日社区科普展	观澜广场	70	f	{区科协}	观澜社区	展出健康防疫和节能科普展板,开展科普知识有奖问答。	{科普日}	{}	{"date": "2020-09-19", "tags": ["科普日"], "title": "全国科普日社区科普展", "summary": "展出健康防疫和节能科普展板,开展科普知识有奖问答。", "category": "science", "location": "观澜广场", "partners": ["区科协"], "organiser": "观澜社区", "record_id": "09b08abd-4f13-4306-83a4-c4889e2bf4df", "unit_code": "guanlan", "participants": 70, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	51	\N
b06a342a-b0be-4ed4-aec6-1fe4f56c8449	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-10-01	culture	国庆中秋双节文艺汇演	观澜广场	200	t	{观澜物业服务中心,观澜小学}	观澜社区	社区合唱队、舞蹈队和小学生同台演出,200余名居民观看。	{国庆,中秋}	{}	{"date": "2020-10-01", "tags": ["国庆", "中秋"], "title": "国庆中秋双节文艺汇演", "summary": "社区合唱队、舞蹈队和小学生同台演出,200余名居民观看。", "category": "culture", "location": "观澜广场", "partners": ["观澜物业服务中心", "观澜小学"], "organiser": "观澜社区", "record_id": "b06a342a-b0be-4ed4-aec6-1fe4f56c8449", "unit_code": "guanlan", "participants": 200, "beneficiaries": [], "participants_at_least": true}	2026-12-01 11:49:54.567714+00	\N	52	\N
0fba19e1-6b5a-4dd4-a92d-a653b2f5864f	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-12-04	legal	国家宪法日宪法宣传	社区党群服务中心	40	f	{观澜司法所}	观澜社区	司法所工作人员讲解宪法知识,居民现场诵读宪法条文。	{宪法日}	{}	{"date": "2020-12-04", "tags": ["宪法日"], "title": "国家宪法日宪法宣传", "summary": "司法所工作人员讲解宪法知识,居民现场诵读宪法条文。", "category": "legal", "location": "社区党群服务中心", "partners": ["观澜司法所"], "organiser": "观澜社区", "record_id": "0fba19e1-6b5a-4dd4-a92d-a653b2f5864f", "unit_code": "guanlan", "participants": 40, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.567714+00	\N	53	\N
e95ba7e8-a4e5-428c-8eed-481d0975cb11	1	f	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-03-16	antidrug	86中青少年禁毒宣传教育	86中	0	f	{}	新光社区	社区工作人员来到辖区学校86中,对86中学生进行了青少年禁毒宣传教育。属社区学校、家庭、社会“三位一体”未成年人思想道德教育网络的活动之一。报告未给出参加人数。	{未成年人思想道德建设,禁毒,学校}	{}	{"date": "2020-03-16", "tags": ["未成年人思想道德建设", "禁毒", "学校"], "title": "86中青少年禁毒宣传教育", "summary": "社区工作人员来到辖区学校86中,对86中学生进行了青少年禁毒宣传教育。属社区学校、家庭、社会“三位一体”未成年人思想道德教育网络的活动之一。报告未给出参加人数。", "category": "antidrug", "location": "86中", "partners": [], "organiser": "新光社区", "record_id": "e95ba7e8-a4e5-428c-8eed-481d0975cb11", "unit_code": "xinguang", "participants": 0, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.415579+00	\N	1	\N
e95ba7e8-a4e5-428c-8eed-481d0975cb11	2	t	3	58714e24-246b-4c67-9860-c7f61ddc2a83	2020-03-16	antidrug	86中青少年禁毒宣传教育	86中	99	f	{}	新光社区	社区工作人员来到辖区学校86中,对86中学生进行了青少年禁毒宣传教育。属社区学校、家庭、社会“三位一体”未成年人思想道德教育网络的活动之一。报告未给出参加人数。	{未成年人思想道德建设,禁毒,学校}	{}	{"date": "2020-03-16", "tags": ["未成年人思想道德建设", "禁毒", "学校"], "title": "86中青少年禁毒宣传教育", "summary": "社区工作人员来到辖区学校86中,对86中学生进行了青少年禁毒宣传教育。属社区学校、家庭、社会“三位一体”未成年人思想道德教育网络的活动之一。报告未给出参加人数。", "category": "antidrug", "location": "86中", "partners": [], "organiser": "新光社区", "record_id": "e95ba7e8-a4e5-428c-8eed-481d0975cb11", "unit_code": "xinguang", "participants": 99, "beneficiaries": [], "participants_at_least": false}	2026-12-01 11:49:54.88012+00	\N	84	\N
\.


--
-- Data for Name: audit; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.audit (id, at, role, unit_code, fingerprint, peer, action, target, detail) FROM stdin;
1	2026-12-01 11:49:54.135138+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45110	unit_add	district	{"name": "示范区委宣传部", "level": "district", "parent_code": null}
2	2026-12-01 11:49:54.195124+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45120	unit_add	street-1	{"name": "示范街道办事处", "level": "street", "parent_code": "district"}
3	2026-12-01 11:49:54.251711+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45122	unit_add	xinguang	{"name": "新光社区", "level": "community", "parent_code": "street-1"}
4	2026-12-01 11:49:54.307026+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45138	unit_add	yingbinlu	{"name": "迎宾路社区", "level": "community", "parent_code": "street-1"}
5	2026-12-01 11:49:54.359022+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45154	unit_add	guanlan	{"name": "观澜社区", "level": "community", "parent_code": "street-1"}
6	2026-12-01 11:49:54.415579+00	community	xinguang	b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	127.0.0.1:45168	submit	8a6a070c-4f63-4a98-9f47-68bad872174d	{"accepted": 7, "duplicates": 0}
7	2026-12-01 11:49:54.499911+00	community	yingbinlu	ba7c44208d016cc1d28ea69e923507c6d51bf6d309c5bfe7f16a79993d2f88da	127.0.0.1:45180	submit	4a93412c-62c1-4d6d-bf2a-540dd17d6438	{"accepted": 33, "duplicates": 0}
8	2026-12-01 11:49:54.567714+00	community	guanlan	cb2ee79f0d5d0c9fce4f477e64786e5410a7d10f8d423266c857f8525173a4c7	127.0.0.1:45190	submit	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	{"accepted": 43, "duplicates": 0}
9	2026-12-01 11:49:54.647156+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45204	quota_set	street-1	{"from": "2020-01", "minimum": 2.0, "quota_id": 1, "indicator": "briefs", "period_type": "month"}
10	2026-12-01 11:49:54.707606+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45210	quota_set	street-1	{"from": "2020-01", "minimum": 1.0, "quota_id": 2, "indicator": "opinion_reports", "period_type": "month"}
11	2026-12-01 11:49:54.767407+00	admin	district	c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	127.0.0.1:45226	deadline_set	street-1	{"day": 5, "indicators": ["briefs", "opinion_reports"]}
12	2026-12-01 11:49:54.88012+00	community	xinguang	b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	127.0.0.1:45230	amend	e95ba7e8-a4e5-428c-8eed-481d0975cb11	{"kind": "activity", "version": 2}
13	2026-12-01 11:49:54.963902+00	community	xinguang	b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	127.0.0.1:45238	retract	7645a3e4-cacb-4b26-bc73-3e0cfe095121	{"kind": "activity", "reason": "entered twice", "version": 1}
14	2026-12-01 11:49:55.023917+00	district	district	ce19b8124d3a852e98acbda0e61e501441b9b8c7986327659261c5c42a18e909	127.0.0.1:45242	period_lock	street-1	{"period": "2020-Q1"}
\.


--
-- Data for Name: category; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.category (code, name, parent_code, sort_order, retired_at, created_at) FROM stdin;
theory	理论学习	\N	10	\N	2026-12-01 11:49:53.944161+00
civility	精神文明创建	\N	20	\N	2026-12-01 11:49:53.944161+00
youth	未成年人思想道德建设	\N	30	\N	2026-12-01 11:49:53.944161+00
volunteer	志愿服务	\N	40	\N	2026-12-01 11:49:53.944161+00
visit	走访慰问	\N	50	\N	2026-12-01 11:49:53.944161+00
education	法制/消防/禁毒宣传	\N	60	\N	2026-12-01 11:49:53.944161+00
science	科普活动	\N	70	\N	2026-12-01 11:49:53.944161+00
environment	环境整治	\N	80	\N	2026-12-01 11:49:53.944161+00
culture	文体活动	\N	90	\N	2026-12-01 11:49:53.944161+00
publicity	宣传阵地	\N	100	\N	2026-12-01 11:49:53.944161+00
news	信息报送	\N	110	\N	2026-12-01 11:49:53.944161+00
party	党建活动	\N	120	\N	2026-12-01 11:49:53.944161+00
legal	法制宣传	education	61	\N	2026-12-01 11:49:53.944161+00
fire	消防宣传	education	62	\N	2026-12-01 11:49:53.944161+00
antidrug	禁毒宣传	education	63	\N	2026-12-01 11:49:53.944161+00
\.


--
-- Data for Name: cert_seen; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.cert_seen (fingerprint, role, unit_code, first_seen, last_seen, last_peer) FROM stdin;
ba7c44208d016cc1d28ea69e923507c6d51bf6d309c5bfe7f16a79993d2f88da	community	yingbinlu	2026-12-01 11:49:54.498282+00	2026-12-01 11:49:54.498282+00	127.0.0.1:45180
cb2ee79f0d5d0c9fce4f477e64786e5410a7d10f8d423266c857f8525173a4c7	community	guanlan	2026-12-01 11:49:54.566139+00	2026-12-01 11:49:54.566139+00	127.0.0.1:45190
fde5d13c8c03722a80190c1e0c62b909e3d71734e4ae826e4d934870d0cf3a19	district	street-1	2026-12-01 11:49:55.346147+00	2026-12-01 11:49:55.346147+00	127.0.0.1:45308
ce19b8124d3a852e98acbda0e61e501441b9b8c7986327659261c5c42a18e909	district	district	2026-12-01 11:49:55.022705+00	2026-12-01 11:49:55.778291+00	127.0.0.1:45362
b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	community	xinguang	2026-12-01 11:49:54.414152+00	2026-12-01 11:49:55.878197+00	127.0.0.1:45376
c26149eabba1cfa2f60c3e5fcf2dd3e79851cb27c39b5a2d479f181631a21436	admin	district	2026-12-01 11:49:54.130587+00	2026-12-01 11:49:55.93417+00	127.0.0.1:45386
\.


--
-- Data for Name: correction_request; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.correction_request (id, record_id, kind, unit_id, action, content, reason, base_version, status, requested_at, requested_by, decided_at, decided_by, decided_by_fingerprint, decision_reason, applied_version) FROM stdin;
\.


--
-- Data for Name: deadline_rule; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.deadline_rule (id, unit_id, indicator_code, day, set_at, set_by) FROM stdin;
1	2	briefs	5	2026-12-01 11:49:54.767407+00	admin district
2	2	opinion_reports	5	2026-12-01 11:49:54.767407+00	admin district
\.


--
-- Data for Name: enroll_code; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.enroll_code (code_hash, unit_code, role, created_at, expires_at, created_by, created_fp, used_at, used_fingerprint, used_peer) FROM stdin;
\.


--
-- Data for Name: honor; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.honor (record_id, version, is_current, unit_id, submission_id, date_start, date_precision, title, level, issuer, category_code, recipient, content, created_at, retracted_at, change_seq, retract_reason) FROM stdin;
b9386fd9-5a49-44fd-9a1a-7b1b3d688050	1	t	3	8a6a070c-4f63-4a98-9f47-68bad872174d	2020-06-11	day	老年人太极拳、剑比赛集体一等奖	district	水磨沟区	culture	太极拳、剑队	{"date": "2020-06-11", "level": "district", "title": "老年人太极拳、剑比赛集体一等奖", "issuer": "水磨沟区", "category": "culture", "recipient": "太极拳、剑队", "record_id": "b9386fd9-5a49-44fd-9a1a-7b1b3d688050", "unit_code": "xinguang"}	2026-12-01 11:49:54.415579+00	\N	7	\N
b9aac4e5-e398-43b6-af38-13472fc14998	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-06-01	month	街道学习型党组织	street	街道	theory	迎宾路社区党委	{"date": "2020-06", "level": "street", "title": "街道学习型党组织", "issuer": "街道", "category": "theory", "recipient": "迎宾路社区党委", "record_id": "b9aac4e5-e398-43b6-af38-13472fc14998", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	38	\N
d2c58028-34e7-4b66-bd18-394392f002ee	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-01-01	year	2020年九龙坡区科普示范社区	district	九龙坡区	science	迎宾路社区	{"date": "2020", "level": "district", "title": "2020年九龙坡区科普示范社区", "issuer": "九龙坡区", "category": "science", "recipient": "迎宾路社区", "record_id": "d2c58028-34e7-4b66-bd18-394392f002ee", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	39	\N
81f2ad70-35f0-40b4-8035-42cd797628d1	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	2020-04-01	month	城市综合环境卫生检查排名第二	city	市城市综合环境卫生检查	environment	观云邸周边	{"date": "2020-04", "level": "city", "title": "城市综合环境卫生检查排名第二", "issuer": "市城市综合环境卫生检查", "category": "environment", "recipient": "观云邸周边", "record_id": "81f2ad70-35f0-40b4-8035-42cd797628d1", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	40	\N
e7b2d9f4-3a6c-4f18-9d0e-8b5a1c7f4e62	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	2020-12-01	month	2020年度优秀志愿服务集体	street	示范街道办事处	volunteer	观澜社区志愿服务队	{"date": "2020-12", "level": "street", "title": "2020年度优秀志愿服务集体", "issuer": "示范街道办事处", "category": "volunteer", "recipient": "观澜社区志愿服务队", "record_id": "e7b2d9f4-3a6c-4f18-9d0e-8b5a1c7f4e62", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	83	\N
\.


--
-- Data for Name: indicator; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.indicator (code, name, unit, period_type, aggregation, sort_order, retired_at, created_at) FROM stdin;
briefs	简讯	篇	month	sum	10	\N	2026-12-01 11:49:53.944161+00
opinion_reports	舆情报道	篇	month	sum	20	\N	2026-12-01 11:49:53.944161+00
research_reports	调研报告	篇	quarter	sum	30	\N	2026-12-01 11:49:53.944161+00
volunteers	志愿者人数	人	month	last	40	\N	2026-12-01 11:49:53.944161+00
publicity_boards	固定宣传栏	块	month	last	50	\N	2026-12-01 11:49:53.944161+00
blog_level	社区博客等级	级	month	last	60	\N	2026-12-01 11:49:53.944161+00
blog_visits	博客点击量	次	month	last	70	\N	2026-12-01 11:49:53.944161+00
\.


--
-- Data for Name: indicator_value; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.indicator_value (record_id, version, is_current, unit_id, submission_id, indicator_code, period, period_type, period_start, value, note, content, created_at, retracted_at, change_seq, retract_reason) FROM stdin;
94d53324-d64a-42c8-9cf9-7eff369f3f96	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-01	month	2020-01-01	5	报告:“坚持每月至少两篇简讯……社区已完成简讯82篇”(据不完全统计)。报告只给全年合计82篇;逐月分配为演示用的示意数,非报告所载,12个月合计82。	{"note": "报告:“坚持每月至少两篇简讯……社区已完成简讯82篇”(据不完全统计)。报告只给全年合计82篇;逐月分配为演示用的示意数,非报告所载,12个月合计82。", "value": 5.0, "period": "2020-01", "indicator": "briefs", "record_id": "94d53324-d64a-42c8-9cf9-7eff369f3f96", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	11	\N
4066cbcd-780c-427c-b151-94d594028872	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-02	month	2020-02-01	6	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 6.0, "period": "2020-02", "indicator": "briefs", "record_id": "4066cbcd-780c-427c-b151-94d594028872", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	12	\N
f911d968-c88d-4ff8-8085-f0ea9bef11d7	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-03	month	2020-03-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-03", "indicator": "briefs", "record_id": "f911d968-c88d-4ff8-8085-f0ea9bef11d7", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	13	\N
d3792be0-c993-43ea-a335-5c7e010a55a6	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-04	month	2020-04-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-04", "indicator": "briefs", "record_id": "d3792be0-c993-43ea-a335-5c7e010a55a6", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	14	\N
5b290224-583c-481c-8aad-64d16519d26d	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-05	month	2020-05-01	8	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 8.0, "period": "2020-05", "indicator": "briefs", "record_id": "5b290224-583c-481c-8aad-64d16519d26d", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	15	\N
c8d5bcc6-5187-42aa-ab8f-3ae62e9c878d	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-06	month	2020-06-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-06", "indicator": "briefs", "record_id": "c8d5bcc6-5187-42aa-ab8f-3ae62e9c878d", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	16	\N
d241a41a-f9b3-4d95-8019-b3d84777cd91	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-07	month	2020-07-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-07", "indicator": "briefs", "record_id": "d241a41a-f9b3-4d95-8019-b3d84777cd91", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	17	\N
69292a74-afd2-40ea-802c-89bd010a7dbe	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-08	month	2020-08-01	8	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 8.0, "period": "2020-08", "indicator": "briefs", "record_id": "69292a74-afd2-40ea-802c-89bd010a7dbe", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	18	\N
24cfa979-0f5e-42a1-9298-34f28e0f1100	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-09	month	2020-09-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-09", "indicator": "briefs", "record_id": "24cfa979-0f5e-42a1-9298-34f28e0f1100", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	19	\N
cf133e7f-66a7-4489-a01f-ddcc7e0464ba	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-10	month	2020-10-01	6	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 6.0, "period": "2020-10", "indicator": "briefs", "record_id": "cf133e7f-66a7-4489-a01f-ddcc7e0464ba", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	20	\N
ae87ed03-4ff2-4993-bca9-c4266dcd8bfe	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-11	month	2020-11-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-11", "indicator": "briefs", "record_id": "ae87ed03-4ff2-4993-bca9-c4266dcd8bfe", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	21	\N
467dd6a9-c080-4433-9819-7ab4d6a04cee	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	briefs	2020-12	month	2020-12-01	7	示意月数;报告只给全年合计82篇。	{"note": "示意月数;报告只给全年合计82篇。", "value": 7.0, "period": "2020-12", "indicator": "briefs", "record_id": "467dd6a9-c080-4433-9819-7ab4d6a04cee", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	22	\N
a0b316de-ce8a-4225-bf56-7fe8db32c1f3	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	opinion_reports	2020-02	month	2020-02-01	1	报告:“每月一份舆情报道……舆情报道5篇”。报告只给全年合计5篇;所在月份为演示用的示意,非报告所载。	{"note": "报告:“每月一份舆情报道……舆情报道5篇”。报告只给全年合计5篇;所在月份为演示用的示意,非报告所载。", "value": 1.0, "period": "2020-02", "indicator": "opinion_reports", "record_id": "a0b316de-ce8a-4225-bf56-7fe8db32c1f3", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	23	\N
eda81fc6-f501-489d-b149-edc6ecaf2503	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	opinion_reports	2020-04	month	2020-04-01	1	示意月份;报告只给全年合计5篇。	{"note": "示意月份;报告只给全年合计5篇。", "value": 1.0, "period": "2020-04", "indicator": "opinion_reports", "record_id": "eda81fc6-f501-489d-b149-edc6ecaf2503", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	24	\N
44adcd5c-6559-47d4-80e7-617ce0cd995e	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	opinion_reports	2020-06	month	2020-06-01	1	示意月份;报告只给全年合计5篇。	{"note": "示意月份;报告只给全年合计5篇。", "value": 1.0, "period": "2020-06", "indicator": "opinion_reports", "record_id": "44adcd5c-6559-47d4-80e7-617ce0cd995e", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	25	\N
f4a621a7-b8bd-4fa7-900a-80c6d8e3aa06	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	opinion_reports	2020-09	month	2020-09-01	1	示意月份;报告只给全年合计5篇。	{"note": "示意月份;报告只给全年合计5篇。", "value": 1.0, "period": "2020-09", "indicator": "opinion_reports", "record_id": "f4a621a7-b8bd-4fa7-900a-80c6d8e3aa06", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	26	\N
39b566f9-1435-4902-9fae-9821218db983	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	opinion_reports	2020-11	month	2020-11-01	1	示意月份;报告只给全年合计5篇。	{"note": "示意月份;报告只给全年合计5篇。", "value": 1.0, "period": "2020-11", "indicator": "opinion_reports", "record_id": "39b566f9-1435-4902-9fae-9821218db983", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	27	\N
cad84b4e-9839-4864-9740-086d0c77e19c	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	research_reports	2020-Q1	quarter	2020-01-01	1	报告:“定期报送调研报告……调研报告4篇”。报告只给全年合计4篇;每季度一篇为演示用的示意分配。	{"note": "报告:“定期报送调研报告……调研报告4篇”。报告只给全年合计4篇;每季度一篇为演示用的示意分配。", "value": 1.0, "period": "2020-Q1", "indicator": "research_reports", "record_id": "cad84b4e-9839-4864-9740-086d0c77e19c", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	28	\N
5bacef5f-e464-4b21-bdc1-b8f3dbde44a5	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	research_reports	2020-Q2	quarter	2020-04-01	1	示意季度;报告只给全年合计4篇。	{"note": "示意季度;报告只给全年合计4篇。", "value": 1.0, "period": "2020-Q2", "indicator": "research_reports", "record_id": "5bacef5f-e464-4b21-bdc1-b8f3dbde44a5", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	29	\N
8d012be3-1cfe-40e8-bb0a-3d40573a63c2	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	research_reports	2020-Q3	quarter	2020-07-01	1	示意季度;报告只给全年合计4篇。	{"note": "示意季度;报告只给全年合计4篇。", "value": 1.0, "period": "2020-Q3", "indicator": "research_reports", "record_id": "8d012be3-1cfe-40e8-bb0a-3d40573a63c2", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	30	\N
722c5647-f6d9-4ce4-a5b1-e9b20f828193	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	research_reports	2020-Q4	quarter	2020-10-01	1	示意季度;报告只给全年合计4篇。	{"note": "示意季度;报告只给全年合计4篇。", "value": 1.0, "period": "2020-Q4", "indicator": "research_reports", "record_id": "722c5647-f6d9-4ce4-a5b1-e9b20f828193", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	31	\N
7071aa6c-415b-4dd5-b56e-cc599be58b63	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	volunteers	2020-01	month	2020-01-01	40	报告:“从原来的40多人壮大到200多人的队伍”。“原来”未给时点,记在年初;“40多人”记为40(下限)。	{"note": "报告:“从原来的40多人壮大到200多人的队伍”。“原来”未给时点,记在年初;“40多人”记为40(下限)。", "value": 40.0, "period": "2020-01", "indicator": "volunteers", "record_id": "7071aa6c-415b-4dd5-b56e-cc599be58b63", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	32	\N
19d4f94e-9fd8-4e9a-946c-cb2d1e2b11f4	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	volunteers	2020-12	month	2020-12-01	200	报告:“从原来的40多人壮大到200多人的队伍”(党员、工会、居民、共青团、青少年学生、妇女志愿者)。“200多人”记为200(下限)。	{"note": "报告:“从原来的40多人壮大到200多人的队伍”(党员、工会、居民、共青团、青少年学生、妇女志愿者)。“200多人”记为200(下限)。", "value": 200.0, "period": "2020-12", "indicator": "volunteers", "record_id": "19d4f94e-9fd8-4e9a-946c-cb2d1e2b11f4", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	33	\N
88163ae0-4666-48d5-b6a2-c58887f58e17	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	publicity_boards	2020-12	month	2020-12-01	18	报告:“从无一块固定宣传栏到现有的18块”;其中钢球支路公路旁设8块不锈钢固定宣传栏。	{"note": "报告:“从无一块固定宣传栏到现有的18块”;其中钢球支路公路旁设8块不锈钢固定宣传栏。", "value": 18.0, "period": "2020-12", "indicator": "publicity_boards", "record_id": "88163ae0-4666-48d5-b6a2-c58887f58e17", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	34	\N
4e22909b-318e-47c9-921f-1788e542c560	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	blog_level	2020-01	month	2020-01-01	0	报告:“社区博客从今年零级升位到11级”:年初0级。	{"note": "报告:“社区博客从今年零级升位到11级”:年初0级。", "value": 0.0, "period": "2020-01", "indicator": "blog_level", "record_id": "4e22909b-318e-47c9-921f-1788e542c560", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	35	\N
61e32db1-a3d0-4710-9b44-e38d2827f795	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	blog_level	2020-12	month	2020-12-01	11	报告:“社区博客从今年零级升位到11级”。	{"note": "报告:“社区博客从今年零级升位到11级”。", "value": 11.0, "period": "2020-12", "indicator": "blog_level", "record_id": "61e32db1-a3d0-4710-9b44-e38d2827f795", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	36	\N
972eac08-fdbf-4f41-863a-f6101ac87107	1	t	4	4a93412c-62c1-4d6d-bf2a-540dd17d6438	blog_visits	2020-12	month	2020-12-01	10000	报告:“点击率达1万以上”,记为10000(下限)。	{"note": "报告:“点击率达1万以上”,记为10000(下限)。", "value": 10000.0, "period": "2020-12", "indicator": "blog_visits", "record_id": "972eac08-fdbf-4f41-863a-f6101ac87107", "unit_code": "yingbinlu"}	2026-12-01 11:49:54.499911+00	\N	37	\N
ee7d28e2-b98f-4b48-bcc8-79a06369c6c9	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-01	month	2020-01-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-01", "indicator": "briefs", "record_id": "ee7d28e2-b98f-4b48-bcc8-79a06369c6c9", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	54	\N
bb3e96d7-6a99-44bd-b4a2-810d6e2687ca	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-02	month	2020-02-01	2	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 2.0, "period": "2020-02", "indicator": "briefs", "record_id": "bb3e96d7-6a99-44bd-b4a2-810d6e2687ca", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	55	\N
44d68a55-6c86-4e67-94a1-2bafe7984f9f	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-03	month	2020-03-01	4	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 4.0, "period": "2020-03", "indicator": "briefs", "record_id": "44d68a55-6c86-4e67-94a1-2bafe7984f9f", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	56	\N
90fe0e12-bb6c-4c4f-92ca-63eab49a7d65	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-04	month	2020-04-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-04", "indicator": "briefs", "record_id": "90fe0e12-bb6c-4c4f-92ca-63eab49a7d65", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	57	\N
ad626e89-f44b-4870-a5fb-9a14056c4c38	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-05	month	2020-05-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-05", "indicator": "briefs", "record_id": "ad626e89-f44b-4870-a5fb-9a14056c4c38", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	58	\N
cbbe9ed5-5f22-4969-ad42-c9306430295e	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-06	month	2020-06-01	4	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 4.0, "period": "2020-06", "indicator": "briefs", "record_id": "cbbe9ed5-5f22-4969-ad42-c9306430295e", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	59	\N
dc2ed58d-07f3-4f54-9ebd-f338f33c9e56	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-07	month	2020-07-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-07", "indicator": "briefs", "record_id": "dc2ed58d-07f3-4f54-9ebd-f338f33c9e56", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	60	\N
2b6c0f4e-1d3a-4f7e-9c2b-5a8e7d6f1c30	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-08	month	2020-08-01	2	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 2.0, "period": "2020-08", "indicator": "briefs", "record_id": "2b6c0f4e-1d3a-4f7e-9c2b-5a8e7d6f1c30", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	61	\N
9e4a1c7b-3f2d-4b8a-a6e1-0c5d9f7b2e84	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-09	month	2020-09-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-09", "indicator": "briefs", "record_id": "9e4a1c7b-3f2d-4b8a-a6e1-0c5d9f7b2e84", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	62	\N
c7f3e2a1-8b4d-4c6e-9a0f-1d2b3c4e5f6a	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-10	month	2020-10-01	3	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 3.0, "period": "2020-10", "indicator": "briefs", "record_id": "c7f3e2a1-8b4d-4c6e-9a0f-1d2b3c4e5f6a", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	63	\N
5d8b2f6e-0a9c-4e1d-b7f3-6c4a2e9d8b15	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-11	month	2020-11-01	2	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 2.0, "period": "2020-11", "indicator": "briefs", "record_id": "5d8b2f6e-0a9c-4e1d-b7f3-6c4a2e9d8b15", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	64	\N
f1a9d3c5-7e2b-4d80-8c6a-3b5e9f0d2a47	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	briefs	2020-12	month	2020-12-01	4	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 4.0, "period": "2020-12", "indicator": "briefs", "record_id": "f1a9d3c5-7e2b-4d80-8c6a-3b5e9f0d2a47", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	65	\N
3c6e9a2d-5f1b-4e7c-a8d4-0b2f6e1a9c53	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-01	month	2020-01-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-01", "indicator": "opinion_reports", "record_id": "3c6e9a2d-5f1b-4e7c-a8d4-0b2f6e1a9c53", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	66	\N
8a4f1e7d-2c9b-4a36-b5e0-7d3c1f9a6e28	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-03	month	2020-03-01	1	演示数据(虚构社区);2月因疫情防控未报	{"note": "演示数据(虚构社区);2月因疫情防控未报", "value": 1.0, "period": "2020-03", "indicator": "opinion_reports", "record_id": "8a4f1e7d-2c9b-4a36-b5e0-7d3c1f9a6e28", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	67	\N
e2d7b5a9-6f3c-4180-9e4b-2a8c5d1f7b06	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-04	month	2020-04-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-04", "indicator": "opinion_reports", "record_id": "e2d7b5a9-6f3c-4180-9e4b-2a8c5d1f7b06", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	68	\N
6b1f8c3e-9d5a-4e27-8f0c-4e6a2b7d9c31	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-05	month	2020-05-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-05", "indicator": "opinion_reports", "record_id": "6b1f8c3e-9d5a-4e27-8f0c-4e6a2b7d9c31", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	69	\N
a9c2e6f4-1b7d-4d53-9a8e-5f3b0c2d6e19	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-06	month	2020-06-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-06", "indicator": "opinion_reports", "record_id": "a9c2e6f4-1b7d-4d53-9a8e-5f3b0c2d6e19", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	70	\N
4f7a0d2c-8e6b-4c91-a3f5-9b1d7e4c2a68	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-07	month	2020-07-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-07", "indicator": "opinion_reports", "record_id": "4f7a0d2c-8e6b-4c91-a3f5-9b1d7e4c2a68", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	71	\N
d5e3b9f1-4a2c-4e68-b0d7-8c6f1a3e5b92	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-08	month	2020-08-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-08", "indicator": "opinion_reports", "record_id": "d5e3b9f1-4a2c-4e68-b0d7-8c6f1a3e5b92", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	72	\N
1e8c4a6d-3b9f-4f05-8d2a-6e0b4c8f1d73	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-09	month	2020-09-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-09", "indicator": "opinion_reports", "record_id": "1e8c4a6d-3b9f-4f05-8d2a-6e0b4c8f1d73", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	73	\N
7c2d5f8a-0e4b-4b19-9f6c-1a7e3d5b9c04	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-10	month	2020-10-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-10", "indicator": "opinion_reports", "record_id": "7c2d5f8a-0e4b-4b19-9f6c-1a7e3d5b9c04", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	74	\N
b3f6a1e9-5c8d-4a72-8e1b-0d4f7a2c6e35	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-11	month	2020-11-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-11", "indicator": "opinion_reports", "record_id": "b3f6a1e9-5c8d-4a72-8e1b-0d4f7a2c6e35", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	75	\N
2a9e7c4b-6d1f-4e83-a5c0-3f8b6d1e4a97	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	opinion_reports	2020-12	month	2020-12-01	1	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 1.0, "period": "2020-12", "indicator": "opinion_reports", "record_id": "2a9e7c4b-6d1f-4e83-a5c0-3f8b6d1e4a97", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	76	\N
9f4b2e8d-7a3c-4c16-b9e5-2d0a6f8c3b51	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	research_reports	2020-Q2	quarter	2020-04-01	1	演示数据(虚构社区):疫情期间社区卡口值守情况调研	{"note": "演示数据(虚构社区):疫情期间社区卡口值守情况调研", "value": 1.0, "period": "2020-Q2", "indicator": "research_reports", "record_id": "9f4b2e8d-7a3c-4c16-b9e5-2d0a6f8c3b51", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	77	\N
0c5e8a3f-2b7d-4f94-8a1c-6e3d9b5f0a28	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	research_reports	2020-Q4	quarter	2020-10-01	1	演示数据(虚构社区):老旧小区加装电梯意愿调研	{"note": "演示数据(虚构社区):老旧小区加装电梯意愿调研", "value": 1.0, "period": "2020-Q4", "indicator": "research_reports", "record_id": "0c5e8a3f-2b7d-4f94-8a1c-6e3d9b5f0a28", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	78	\N
6e1a4d9c-8f2b-4a57-9c3e-7b5d0f2a8e16	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	volunteers	2020-01	month	2020-01-01	60	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 60.0, "period": "2020-01", "indicator": "volunteers", "record_id": "6e1a4d9c-8f2b-4a57-9c3e-7b5d0f2a8e16", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	79	\N
c4b8f2a6-1e9d-4d30-8b7f-5a2c6e0d9f43	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	volunteers	2020-06	month	2020-06-01	85	演示数据(虚构社区):疫情防控期间新增志愿者	{"note": "演示数据(虚构社区):疫情防控期间新增志愿者", "value": 85.0, "period": "2020-06", "indicator": "volunteers", "record_id": "c4b8f2a6-1e9d-4d30-8b7f-5a2c6e0d9f43", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	80	\N
8d3f6b1e-4c0a-4e29-a7d5-9f1b3e6c2a84	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	volunteers	2020-12	month	2020-12-01	96	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 96.0, "period": "2020-12", "indicator": "volunteers", "record_id": "8d3f6b1e-4c0a-4e29-a7d5-9f1b3e6c2a84", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	81	\N
5a0c7e3b-9d6f-4b41-8e2a-1c4f8b6d3e70	1	t	5	e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	publicity_boards	2020-12	month	2020-12-01	6	演示数据(虚构社区)	{"note": "演示数据(虚构社区)", "value": 6.0, "period": "2020-12", "indicator": "publicity_boards", "record_id": "5a0c7e3b-9d6f-4b41-8e2a-1c4f8b6d3e70", "unit_code": "guanlan"}	2026-12-01 11:49:54.567714+00	\N	82	\N
\.


--
-- Data for Name: issued_cert; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.issued_cert (fingerprint, serial, role, unit_code, issued_at, not_after, code_hash, peer) FROM stdin;
\.


--
-- Data for Name: nil_report; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.nil_report (id, unit_id, indicator_code, period, period_start, created_at, fingerprint, peer) FROM stdin;
\.


--
-- Data for Name: org_unit; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.org_unit (id, parent_id, code, name, level, retired_at, created_at) FROM stdin;
1	\N	district	示范区委宣传部	district	\N	2026-12-01 11:49:54.135138+00
2	1	street-1	示范街道办事处	street	\N	2026-12-01 11:49:54.195124+00
3	2	xinguang	新光社区	community	\N	2026-12-01 11:49:54.251711+00
4	2	yingbinlu	迎宾路社区	community	\N	2026-12-01 11:49:54.307026+00
5	2	guanlan	观澜社区	community	\N	2026-12-01 11:49:54.359022+00
\.


--
-- Data for Name: period_lock; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.period_lock (id, unit_id, period, period_start, period_end, locked_at, locked_by, unlocked_at, unlocked_by, locked_by_unit_id, locked_by_admin) FROM stdin;
1	2	2020-Q1	2020-01-01	2020-04-01	2026-12-01 11:49:55.023917+00	district district	\N	\N	1	f
\.


--
-- Data for Name: quota; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.quota (id, unit_id, indicator_code, period_type, minimum, effective_from, set_at, set_by) FROM stdin;
1	2	briefs	month	2	2020-01-01	2026-12-01 11:49:54.647156+00	admin district
2	2	opinion_reports	month	1	2020-01-01	2026-12-01 11:49:54.707606+00	admin district
\.


--
-- Data for Name: revoked_cert; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.revoked_cert (fingerprint, revoked_at, revoked_by, reason) FROM stdin;
\.


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.schema_version (version, name, applied_at) FROM stdin;
1	001_schema.sql	2026-12-01 11:49:53.910578+00
2	002_taxonomy.sql	2026-12-01 11:49:53.944161+00
3	003_common.sql	2026-12-01 11:49:53.946339+00
4	004_submit.sql	2026-12-01 11:49:53.950029+00
5	005_access.sql	2026-12-01 11:49:53.953651+00
7	007_audit_hello.sql	2026-12-01 11:49:53.954845+00
8	008_change_seq.sql	2026-12-01 11:49:53.962964+00
10	010_org_tree.sql	2026-12-01 11:49:53.977981+00
11	011_taxonomy_admin.sql	2026-12-01 11:49:53.98009+00
12	012_indicator_admin.sql	2026-12-01 11:49:53.981347+00
13	013_org_read.sql	2026-12-01 11:49:53.9827+00
20	020_cred.sql	2026-12-01 11:49:53.983583+00
30	030_period_tables.sql	2026-12-01 11:49:53.98963+00
31	031_period_rules.sql	2026-12-01 11:49:54.007328+00
32	032_submit_locks.sql	2026-12-01 11:49:54.010486+00
33	033_record_versions.sql	2026-12-01 11:49:54.012002+00
34	034_corrections.sql	2026-12-01 11:49:54.018726+00
35	035_period_admin.sql	2026-12-01 11:49:54.023182+00
36	036_unlock_rule.sql	2026-12-01 11:49:54.02576+00
40	040_summary_range.sql	2026-12-01 11:49:54.027798+00
41	041_export.sql	2026-12-01 11:49:54.03172+00
42	042_pull.sql	2026-12-01 11:49:54.03653+00
49	049_compliance.sql	2026-12-01 11:49:54.037747+00
50	050_access_layer.sql	2026-12-01 11:49:54.038492+00
51	051_least_privilege.sql	2026-12-01 11:49:54.051479+00
\.


--
-- Data for Name: submission; Type: TABLE DATA; Schema: public; Owner: huizong_owner
--

COPY public.submission (id, unit_id, role, fingerprint, peer, created_at, record_count) FROM stdin;
8a6a070c-4f63-4a98-9f47-68bad872174d	3	community	b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	127.0.0.1:45168	2026-12-01 11:49:54.415579+00	7
4a93412c-62c1-4d6d-bf2a-540dd17d6438	4	community	ba7c44208d016cc1d28ea69e923507c6d51bf6d309c5bfe7f16a79993d2f88da	127.0.0.1:45180	2026-12-01 11:49:54.499911+00	33
e3beb1d5-f37d-430a-8220-5e1f2a71e7f3	5	community	cb2ee79f0d5d0c9fce4f477e64786e5410a7d10f8d423266c857f8525173a4c7	127.0.0.1:45190	2026-12-01 11:49:54.567714+00	43
58714e24-246b-4c67-9860-c7f61ddc2a83	3	community	b014b436306c65cac05c3200f5a7afac2fc4786326fb7fe37b5ace7695d724e6	127.0.0.1:45230	2026-12-01 11:49:54.88012+00	1
\.


--
-- Name: audit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.audit_id_seq', 14, true);


--
-- Name: correction_request_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.correction_request_id_seq', 1, false);


--
-- Name: deadline_rule_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.deadline_rule_id_seq', 2, true);


--
-- Name: nil_report_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.nil_report_id_seq', 1, false);


--
-- Name: org_unit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.org_unit_id_seq', 5, true);


--
-- Name: period_lock_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.period_lock_id_seq', 1, true);


--
-- Name: quota_id_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.quota_id_seq', 2, true);


--
-- Name: record_change_seq; Type: SEQUENCE SET; Schema: public; Owner: huizong_owner
--

SELECT pg_catalog.setval('public.record_change_seq', 85, true);


--
-- Name: activity activity_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.activity
    ADD CONSTRAINT activity_pkey PRIMARY KEY (record_id, version);


--
-- Name: audit audit_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);


--
-- Name: category category_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.category
    ADD CONSTRAINT category_pkey PRIMARY KEY (code);


--
-- Name: cert_seen cert_seen_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.cert_seen
    ADD CONSTRAINT cert_seen_pkey PRIMARY KEY (fingerprint);


--
-- Name: correction_request correction_request_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.correction_request
    ADD CONSTRAINT correction_request_pkey PRIMARY KEY (id);


--
-- Name: deadline_rule deadline_rule_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.deadline_rule
    ADD CONSTRAINT deadline_rule_pkey PRIMARY KEY (id);


--
-- Name: enroll_code enroll_code_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.enroll_code
    ADD CONSTRAINT enroll_code_pkey PRIMARY KEY (code_hash);


--
-- Name: honor honor_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.honor
    ADD CONSTRAINT honor_pkey PRIMARY KEY (record_id, version);


--
-- Name: indicator indicator_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.indicator
    ADD CONSTRAINT indicator_pkey PRIMARY KEY (code);


--
-- Name: indicator_value indicator_value_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.indicator_value
    ADD CONSTRAINT indicator_value_pkey PRIMARY KEY (record_id, version);


--
-- Name: issued_cert issued_cert_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.issued_cert
    ADD CONSTRAINT issued_cert_pkey PRIMARY KEY (fingerprint);


--
-- Name: issued_cert issued_cert_serial_key; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.issued_cert
    ADD CONSTRAINT issued_cert_serial_key UNIQUE (serial);


--
-- Name: nil_report nil_report_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.nil_report
    ADD CONSTRAINT nil_report_pkey PRIMARY KEY (id);


--
-- Name: nil_report nil_report_unit_id_indicator_code_period_key; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.nil_report
    ADD CONSTRAINT nil_report_unit_id_indicator_code_period_key UNIQUE (unit_id, indicator_code, period);


--
-- Name: org_unit org_unit_code_key; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_code_key UNIQUE (code);


--
-- Name: org_unit org_unit_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_pkey PRIMARY KEY (id);


--
-- Name: period_lock period_lock_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.period_lock
    ADD CONSTRAINT period_lock_pkey PRIMARY KEY (id);


--
-- Name: quota quota_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.quota
    ADD CONSTRAINT quota_pkey PRIMARY KEY (id);


--
-- Name: revoked_cert revoked_cert_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.revoked_cert
    ADD CONSTRAINT revoked_cert_pkey PRIMARY KEY (fingerprint);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: submission submission_pkey; Type: CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_pkey PRIMARY KEY (id);


--
-- Name: activity_change_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX activity_change_idx ON public.activity USING btree (change_seq);


--
-- Name: activity_current_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX activity_current_uq ON public.activity USING btree (record_id) WHERE is_current;


--
-- Name: activity_export_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX activity_export_idx ON public.activity USING btree (date, record_id) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: activity_submission_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX activity_submission_idx ON public.activity USING btree (submission_id);


--
-- Name: activity_unit_date_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX activity_unit_date_idx ON public.activity USING btree (unit_id, date) INCLUDE (category_code, participants) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: audit_at_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX audit_at_idx ON public.audit USING btree (at);


--
-- Name: audit_unit_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX audit_unit_idx ON public.audit USING btree (unit_code, at);


--
-- Name: correction_request_pending_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX correction_request_pending_uq ON public.correction_request USING btree (record_id) WHERE (status = 'pending'::text);


--
-- Name: correction_request_unit_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX correction_request_unit_idx ON public.correction_request USING btree (unit_id, status);


--
-- Name: deadline_rule_lookup_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX deadline_rule_lookup_idx ON public.deadline_rule USING btree (indicator_code, unit_id);


--
-- Name: enroll_code_unit_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX enroll_code_unit_idx ON public.enroll_code USING btree (unit_code);


--
-- Name: honor_change_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX honor_change_idx ON public.honor USING btree (change_seq);


--
-- Name: honor_current_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX honor_current_uq ON public.honor USING btree (record_id) WHERE is_current;


--
-- Name: honor_export_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX honor_export_idx ON public.honor USING btree (date_start, record_id) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: honor_submission_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX honor_submission_idx ON public.honor USING btree (submission_id);


--
-- Name: honor_unit_date_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX honor_unit_date_idx ON public.honor USING btree (unit_id, date_start) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: indicator_value_change_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX indicator_value_change_idx ON public.indicator_value USING btree (change_seq);


--
-- Name: indicator_value_current_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX indicator_value_current_uq ON public.indicator_value USING btree (record_id) WHERE is_current;


--
-- Name: indicator_value_export_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX indicator_value_export_idx ON public.indicator_value USING btree (period_start, unit_id, period, record_id) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: indicator_value_slot_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX indicator_value_slot_uq ON public.indicator_value USING btree (unit_id, indicator_code, period) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: indicator_value_submission_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX indicator_value_submission_idx ON public.indicator_value USING btree (submission_id);


--
-- Name: indicator_value_unit_start_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX indicator_value_unit_start_idx ON public.indicator_value USING btree (unit_id, period_start) INCLUDE (indicator_code, value) WHERE (is_current AND (retracted_at IS NULL));


--
-- Name: issued_cert_unit_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX issued_cert_unit_idx ON public.issued_cert USING btree (unit_code);


--
-- Name: org_unit_parent_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX org_unit_parent_idx ON public.org_unit USING btree (parent_id);


--
-- Name: period_lock_live_uq; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE UNIQUE INDEX period_lock_live_uq ON public.period_lock USING btree (unit_id, period) WHERE (unlocked_at IS NULL);


--
-- Name: period_lock_span_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX period_lock_span_idx ON public.period_lock USING btree (unit_id, period_start) WHERE (unlocked_at IS NULL);


--
-- Name: quota_lookup_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX quota_lookup_idx ON public.quota USING btree (unit_id, indicator_code, period_type, effective_from);


--
-- Name: submission_unit_idx; Type: INDEX; Schema: public; Owner: huizong_owner
--

CREATE INDEX submission_unit_idx ON public.submission USING btree (unit_id, created_at);


--
-- Name: activity activity_retract_seq; Type: TRIGGER; Schema: public; Owner: huizong_owner
--

CREATE TRIGGER activity_retract_seq BEFORE UPDATE OF retracted_at ON public.activity FOR EACH ROW WHEN ((old.retracted_at IS DISTINCT FROM new.retracted_at)) EXECUTE FUNCTION hz_private.hz_bump_change_seq();


--
-- Name: honor honor_retract_seq; Type: TRIGGER; Schema: public; Owner: huizong_owner
--

CREATE TRIGGER honor_retract_seq BEFORE UPDATE OF retracted_at ON public.honor FOR EACH ROW WHEN ((old.retracted_at IS DISTINCT FROM new.retracted_at)) EXECUTE FUNCTION hz_private.hz_bump_change_seq();


--
-- Name: indicator_value indicator_value_retract_seq; Type: TRIGGER; Schema: public; Owner: huizong_owner
--

CREATE TRIGGER indicator_value_retract_seq BEFORE UPDATE OF retracted_at ON public.indicator_value FOR EACH ROW WHEN ((old.retracted_at IS DISTINCT FROM new.retracted_at)) EXECUTE FUNCTION hz_private.hz_bump_change_seq();


--
-- Name: activity activity_category_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.activity
    ADD CONSTRAINT activity_category_code_fkey FOREIGN KEY (category_code) REFERENCES public.category(code);


--
-- Name: activity activity_submission_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.activity
    ADD CONSTRAINT activity_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES public.submission(id);


--
-- Name: activity activity_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.activity
    ADD CONSTRAINT activity_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: category category_parent_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.category
    ADD CONSTRAINT category_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.category(code);


--
-- Name: correction_request correction_request_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.correction_request
    ADD CONSTRAINT correction_request_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: deadline_rule deadline_rule_indicator_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.deadline_rule
    ADD CONSTRAINT deadline_rule_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicator(code);


--
-- Name: deadline_rule deadline_rule_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.deadline_rule
    ADD CONSTRAINT deadline_rule_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: honor honor_category_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.honor
    ADD CONSTRAINT honor_category_code_fkey FOREIGN KEY (category_code) REFERENCES public.category(code);


--
-- Name: honor honor_submission_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.honor
    ADD CONSTRAINT honor_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES public.submission(id);


--
-- Name: honor honor_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.honor
    ADD CONSTRAINT honor_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: indicator_value indicator_value_indicator_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.indicator_value
    ADD CONSTRAINT indicator_value_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicator(code);


--
-- Name: indicator_value indicator_value_submission_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.indicator_value
    ADD CONSTRAINT indicator_value_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES public.submission(id);


--
-- Name: indicator_value indicator_value_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.indicator_value
    ADD CONSTRAINT indicator_value_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: issued_cert issued_cert_code_hash_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.issued_cert
    ADD CONSTRAINT issued_cert_code_hash_fkey FOREIGN KEY (code_hash) REFERENCES public.enroll_code(code_hash);


--
-- Name: nil_report nil_report_indicator_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.nil_report
    ADD CONSTRAINT nil_report_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicator(code);


--
-- Name: nil_report nil_report_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.nil_report
    ADD CONSTRAINT nil_report_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: org_unit org_unit_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.org_unit
    ADD CONSTRAINT org_unit_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.org_unit(id);


--
-- Name: period_lock period_lock_locked_by_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.period_lock
    ADD CONSTRAINT period_lock_locked_by_unit_id_fkey FOREIGN KEY (locked_by_unit_id) REFERENCES public.org_unit(id);


--
-- Name: period_lock period_lock_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.period_lock
    ADD CONSTRAINT period_lock_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: quota quota_indicator_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.quota
    ADD CONSTRAINT quota_indicator_code_fkey FOREIGN KEY (indicator_code) REFERENCES public.indicator(code);


--
-- Name: quota quota_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.quota
    ADD CONSTRAINT quota_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: submission submission_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: huizong_owner
--

ALTER TABLE ONLY public.submission
    ADD CONSTRAINT submission_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.org_unit(id);


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

GRANT USAGE ON SCHEMA public TO huizong_app;


--
-- Name: FUNCTION hz_activity_errors(r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_activity_errors(r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_aggregation_error(v jsonb, optional boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_aggregation_error(v jsonb, optional boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_audit(p jsonb, action text, target text, detail jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_audit(p jsonb, action text, target text, detail jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_bump_change_seq(); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_bump_change_seq() FROM PUBLIC;


--
-- Name: FUNCTION hz_canon(r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_canon(r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_category_error(v jsonb, required boolean, known text, retired_at timestamp with time zone); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_category_error(v jsonb, required boolean, known text, retired_at timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION hz_category_next_order(parent text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_category_next_order(parent text) FROM PUBLIC;


--
-- Name: FUNCTION hz_category_not_found(code text, what text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_category_not_found(code text, what text) FROM PUBLIC;


--
-- Name: FUNCTION hz_category_parent_check(parent text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_category_parent_check(parent text) FROM PUBLIC;


--
-- Name: FUNCTION hz_category_within(c text, ancestor text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_category_within(c text, ancestor text) FROM PUBLIC;


--
-- Name: FUNCTION hz_code_error(v jsonb, optional boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_code_error(v jsonb, optional boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_correction_decided_text(c public.correction_request); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_correction_decided_text(c public.correction_request) FROM PUBLIC;


--
-- Name: FUNCTION hz_correction_pick(p jsonb, verb text, OUT fail jsonb, OUT c public.correction_request); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_correction_pick(p jsonb, verb text, OUT fail jsonb, OUT c public.correction_request) FROM PUBLIC;


--
-- Name: FUNCTION hz_correction_result(id bigint, state text, created boolean, version integer); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_correction_result(id bigint, state text, created boolean, version integer) FROM PUBLIC;


--
-- Name: FUNCTION hz_cred_ts(t timestamp with time zone); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_cred_ts(t timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION hz_date_ok(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_date_ok(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_deadline(unit_id bigint, indicator_code text, period text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_deadline(unit_id bigint, indicator_code text, period text) FROM PUBLIC;


--
-- Name: FUNCTION hz_deadline_day(unit_id bigint, indicator_code text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_deadline_day(unit_id bigint, indicator_code text) FROM PUBLIC;


--
-- Name: FUNCTION hz_errors_message(errors jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_errors_message(errors jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_export_activity(a public.activity, u public.org_unit, c public.category); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_export_activity(a public.activity, u public.org_unit, c public.category) FROM PUBLIC;


--
-- Name: FUNCTION hz_export_honor(h public.honor, u public.org_unit, c public.category); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_export_honor(h public.honor, u public.org_unit, c public.category) FROM PUBLIC;


--
-- Name: FUNCTION hz_export_kind(kind text, units bigint[], d0 date, d1 date, k jsonb, n integer); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_export_kind(kind text, units bigint[], d0 date, d1 date, k jsonb, n integer) FROM PUBLIC;


--
-- Name: FUNCTION hz_export_value(v public.indicator_value, u public.org_unit, i public.indicator); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_export_value(v public.indicator_value, u public.org_unit, i public.indicator) FROM PUBLIC;


--
-- Name: FUNCTION hz_fail(status text, message text, errors jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_fail(status text, message text, errors jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_fail_errors(status text, errors jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_fail_errors(status text, errors jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_fail_field(field text, reason text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_fail_field(field text, reason text) FROM PUBLIC;


--
-- Name: FUNCTION hz_first_field_error(VARIADIC pairs text[]); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_first_field_error(VARIADIC pairs text[]) FROM PUBLIC;


--
-- Name: FUNCTION hz_honor_errors(r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_honor_errors(r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_in_reach(p jsonb, unit bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_in_reach(p jsonb, unit bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_indicator_not_found(code text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_indicator_not_found(code text) FROM PUBLIC;


--
-- Name: FUNCTION hz_indicator_unit_error(v jsonb, optional boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_indicator_unit_error(v jsonb, optional boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_indicator_value_count(code text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_indicator_value_count(code text) FROM PUBLIC;


--
-- Name: FUNCTION hz_indicator_value_errors(r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_indicator_value_errors(r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_json_bigint(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_json_bigint(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_json_is_text(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_json_is_text(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_json_is_texts(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_json_is_texts(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_json_numeric(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_json_numeric(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_json_texts(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_json_texts(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_level_parent_error(child text, parent text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_level_parent_error(child text, parent text) FROM PUBLIC;


--
-- Name: FUNCTION hz_level_rank(level text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_level_rank(level text) FROM PUBLIC;


--
-- Name: FUNCTION hz_lock_covering(unit bigint, start date, finish date); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_lock_covering(unit bigint, start date, finish date) FROM PUBLIC;


--
-- Name: FUNCTION hz_lock_message(l public.period_lock); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_lock_message(l public.period_lock) FROM PUBLIC;


--
-- Name: FUNCTION hz_lock_org_tree(); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_lock_org_tree() FROM PUBLIC;


--
-- Name: FUNCTION hz_lock_taxonomy(); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_lock_taxonomy() FROM PUBLIC;


--
-- Name: FUNCTION hz_month_start(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_month_start(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_name_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_name_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_parse_date(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_parse_date(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_parse_partial_date(s text, OUT start date, OUT prec text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_parse_partial_date(s text, OUT start date, OUT prec text) FROM PUBLIC;


--
-- Name: FUNCTION hz_partial_date_text(start date, prec text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_partial_date_text(start date, prec text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_end(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_end(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_error(v jsonb, indicator_code text, want text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_error(v jsonb, indicator_code text, want text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_example(period_type text, d date); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_example(period_type text, d date) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_lock_args(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_lock_args(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_start(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_start(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_state(unit_id bigint, indicator_code text, period text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_state(unit_id bigint, indicator_code text, period text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_type(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_type(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_period_type_error(v jsonb, optional boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_period_type_error(v jsonb, optional boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_principal_label(p jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_principal_label(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_pull_rows(units bigint[], since bigint, n integer); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_pull_rows(units bigint[], since bigint, n integer) FROM PUBLIC;


--
-- Name: FUNCTION hz_quarter_text(d date); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_quarter_text(d date) FROM PUBLIC;


--
-- Name: FUNCTION hz_quota_effective(unit_id bigint, indicator_code text, period_start date, want_type text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_quota_effective(unit_id bigint, indicator_code text, period_start date, want_type text) FROM PUBLIC;


--
-- Name: FUNCTION hz_quote(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_quote(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_read_scope(p jsonb, what text, with_span boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_read_scope(p jsonb, what text, with_span boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_changed(t hz_private.hz_record_target, version integer, changed boolean); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_changed(t hz_private.hz_record_target, version integer, changed boolean) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_current(rid uuid); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_current(rid uuid) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_find(p jsonb, verb text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_find(p jsonb, verb text) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_head(rid uuid); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_head(rid uuid) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_id_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_id_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_lock(unit bigint, kind text, r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_lock(unit bigint, kind text, r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_new_content(p jsonb, t hz_private.hz_record_target, OUT fail jsonb, OUT r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_new_content(p jsonb, t hz_private.hz_record_target, OUT fail jsonb, OUT r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_slot_taken(t hz_private.hz_record_target, r jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_slot_taken(t hz_private.hz_record_target, r jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_span(kind text, r jsonb, OUT start date, OUT finish date); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_span(kind text, r jsonb, OUT start date, OUT finish date) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_submission(p jsonb, unit bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_submission(p jsonb, unit bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_write_retract(t hz_private.hz_record_target, reason text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_write_retract(t hz_private.hz_record_target, reason text) FROM PUBLIC;


--
-- Name: FUNCTION hz_record_write_version(t hz_private.hz_record_target, r jsonb, sub uuid); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_record_write_version(t hz_private.hz_record_target, r jsonb, sub uuid) FROM PUBLIC;


--
-- Name: FUNCTION hz_request_error(field text, reason text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_request_error(field text, reason text) FROM PUBLIC;


--
-- Name: FUNCTION hz_require_admin(p jsonb, what text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_require_admin(p jsonb, what text) FROM PUBLIC;


--
-- Name: FUNCTION hz_require_reader(p jsonb, what text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_require_reader(p jsonb, what text) FROM PUBLIC;


--
-- Name: FUNCTION hz_required_text_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_required_text_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_rule_unit(p jsonb, what text, OUT fail jsonb, OUT unit public.org_unit) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_classify(recs hz_private.hz_incoming[], unit_id bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_classify(recs hz_private.hz_incoming[], unit_id bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_field_errors(recs hz_private.hz_incoming[]); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_field_errors(recs hz_private.hz_incoming[]) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_incoming(p jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_incoming(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_insert(recs hz_private.hz_incoming[], unit_id bigint, sub uuid); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_insert(recs hz_private.hz_incoming[], unit_id bigint, sub uuid) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_lock(recs hz_private.hz_incoming[], unit_id bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_lock(recs hz_private.hz_incoming[], unit_id bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_refused(errors jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_refused(errors jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_submit_shape_errors(p jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_submit_shape_errors(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_subtree(unit_code text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_subtree(unit_code text) FROM PUBLIC;


--
-- Name: FUNCTION hz_subtree_ids(root bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_subtree_ids(root bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_summary_activities_span(units bigint[], d0 date, d1 date, dims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_summary_activity_list_span(units bigint[], d0 date, d1 date, top integer); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_summary_activity_list_span(units bigint[], d0 date, d1 date, top integer) FROM PUBLIC;


--
-- Name: FUNCTION hz_summary_honors_span(units bigint[], d0 date, d1 date); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_summary_honors_span(units bigint[], d0 date, d1 date) FROM PUBLIC;


--
-- Name: FUNCTION hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_summary_indicators_span(units bigint[], d0 date, d1 date, dims jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_summary_request_errors(p jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_summary_request_errors(p jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_target_unit(p jsonb, code text, OUT fail jsonb, OUT unit public.org_unit); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_target_unit(p jsonb, code text, OUT fail jsonb, OUT unit public.org_unit) FROM PUBLIC;


--
-- Name: FUNCTION hz_text_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_text_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_texts_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_texts_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_ts_text(t timestamp with time zone); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_ts_text(t timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_ancestors(unit bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_ancestors(unit bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_lineage(unit bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_lineage(unit bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_not_found(code text, what text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_not_found(code text, what text) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_parent_check(parent public.org_unit, parent_code text, level text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_parent_check(parent public.org_unit, parent_code text, level text) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_street(unit bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_street(unit bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_unit_within(unit bigint, ancestor bigint); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unit_within(unit bigint, ancestor bigint) FROM PUBLIC;


--
-- Name: FUNCTION hz_units_streets(units bigint[]); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_units_streets(units bigint[]) FROM PUBLIC;


--
-- Name: FUNCTION hz_unlock_refusal(p jsonb, l public.period_lock); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_unlock_refusal(p jsonb, l public.period_lock) FROM PUBLIC;


--
-- Name: FUNCTION hz_uuid_ok(s text); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_uuid_ok(s text) FROM PUBLIC;


--
-- Name: FUNCTION hz_year_error(v jsonb); Type: ACL; Schema: hz_private; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION hz_private.hz_year_error(v jsonb) FROM PUBLIC;


--
-- Name: FUNCTION hz_amend(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_amend(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_amend(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_audit_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_audit_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_audit_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_category_add(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_category_add(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_category_add(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_category_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_category_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_category_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_category_move(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_category_move(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_category_move(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_category_rename(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_category_rename(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_category_rename(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_category_retire(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_category_retire(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_category_retire(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_cert_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_cert_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_cert_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_cert_revoke(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_cert_revoke(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_cert_revoke(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_compliance(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_compliance(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_compliance(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_correction_approve(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_correction_approve(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_correction_approve(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_correction_file(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_correction_file(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_correction_file(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_correction_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_correction_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_correction_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_correction_reject(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_correction_reject(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_correction_reject(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_deadline_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_deadline_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_deadline_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_deadline_set(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_deadline_set(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_deadline_set(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_enroll(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_enroll(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_enroll(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_enroll_create(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_enroll_create(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_enroll_create(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_export_page(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_export_page(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_export_page(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_hello(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_hello(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_hello(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_indicator_add(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_indicator_add(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_indicator_add(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_indicator_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_indicator_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_indicator_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_indicator_retire(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_indicator_retire(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_indicator_retire(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_indicator_update(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_indicator_update(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_indicator_update(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_nil_report(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_nil_report(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_nil_report(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_period_lock(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_period_lock(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_period_lock(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_period_lock_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_period_lock_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_period_lock_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_period_unlock(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_period_unlock(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_period_unlock(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_pull(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_pull(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_pull(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_quota_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_quota_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_quota_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_quota_set(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_quota_set(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_quota_set(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_record_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_record_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_record_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_retract(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_retract(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_retract(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_submit(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_submit(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_submit(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_summary(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_summary(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_summary(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_unit_add(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_unit_add(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_unit_add(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_unit_list(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_unit_list(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_unit_list(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_unit_move(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_unit_move(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_unit_move(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_unit_rename(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_unit_rename(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_unit_rename(p jsonb) TO huizong_app;


--
-- Name: FUNCTION hz_unit_retire(p jsonb); Type: ACL; Schema: public; Owner: huizong_owner
--

REVOKE ALL ON FUNCTION public.hz_unit_retire(p jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION public.hz_unit_retire(p jsonb) TO huizong_app;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: huizong_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE huizong_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict 6Vg0BcHdayAijCsEfRt4dZZWeXzCMSecJEBzWLEv5htPw1njde3wkbRlf4wSymh

