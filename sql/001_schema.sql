-- 001: tables of the data model (DESIGN.md "Data model").
--
-- Records (activity, indicator_value, honor) are versioned: the key is
-- (record_id, version); an amend inserts version n+1 and clears is_current on
-- version n, a retract sets retracted_at on the current version. Nothing is
-- updated in place otherwise and nothing is deleted. Summaries read only rows
-- that are current and not retracted (the partial indexes below cover exactly
-- those rows).
--
-- Migrations run inside one transaction each (server/db_migrate.c), so no
-- statement here may need to run outside one (no CREATE INDEX CONCURRENTLY).

-- db_migrate creates this before applying anything; repeated here so that the
-- files alone (psql -f) give the same schema.
CREATE TABLE IF NOT EXISTS schema_version (
    version    int PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- org tree --
CREATE TABLE org_unit (
    id         bigserial PRIMARY KEY,
    parent_id  bigint REFERENCES org_unit (id),
    code       text NOT NULL UNIQUE
               CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name       text NOT NULL CHECK (name <> ''),
    level      text NOT NULL CHECK (level IN ('district', 'street', 'community')),
    -- A retired unit keeps its history (summaries of past years still show
    -- it) but takes no new records.
    retired_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX org_unit_parent_idx ON org_unit (parent_id);

-- ---------------------------------------------------------------- taxonomy --
CREATE TABLE category (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name        text NOT NULL CHECK (name <> ''),
    parent_code text REFERENCES category (code),
    -- Order of the sections in the year-end report.
    sort_order  int NOT NULL DEFAULT 0,
    retired_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_code IS DISTINCT FROM code)
);

CREATE TABLE indicator (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    name        text NOT NULL CHECK (name <> ''),
    unit        text NOT NULL,                 -- 篇, 人, 块 ...
    period_type text NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    -- How values of one community combine over the periods of a span:
    -- counts of things done add up (sum); stocks such as volunteers on the
    -- roll take the latest value (last).
    aggregation text NOT NULL CHECK (aggregation IN ('sum', 'last', 'max', 'avg')),
    sort_order  int NOT NULL DEFAULT 0,
    retired_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Quotas ("at least 2 briefs a month") and period locks come later; they
-- reference indicator and org_unit by key, so nothing here needs to change.

-- -------------------------------------------------------------- submission --
-- Who sent which records, from where, when. Identity is the certificate.
CREATE TABLE submission (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    unit_id      bigint NOT NULL REFERENCES org_unit (id),
    role         text NOT NULL,
    fingerprint  text NOT NULL DEFAULT '',
    peer         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    record_count int NOT NULL DEFAULT 0 CHECK (record_count >= 0)
);
CREATE INDEX submission_unit_idx ON submission (unit_id, created_at);

-- ------------------------------------------------------------------ records --
-- Columns shared by the three record kinds are spelled out in each table
-- (no inheritance) so that each table has plain indexes and constraints.
-- `content` is the record object exactly as submitted (keys are the protobuf
-- field names); it decides duplicate versus conflicting resubmissions.

CREATE TABLE activity (
    record_id             uuid NOT NULL,
    version               int NOT NULL DEFAULT 1 CHECK (version >= 1),
    is_current            boolean NOT NULL DEFAULT true,
    unit_id               bigint NOT NULL REFERENCES org_unit (id),
    submission_id         uuid NOT NULL REFERENCES submission (id),
    date                  date NOT NULL,
    category_code         text NOT NULL REFERENCES category (code),
    title                 text NOT NULL,
    location              text NOT NULL DEFAULT '',
    participants          bigint NOT NULL DEFAULT 0 CHECK (participants >= 0),
    participants_at_least boolean NOT NULL DEFAULT false,
    partners              text[] NOT NULL DEFAULT '{}',
    organiser             text NOT NULL DEFAULT '',
    summary               text NOT NULL DEFAULT '',
    tags                  text[] NOT NULL DEFAULT '{}',
    -- Personal names: the community's own records only. No summary function
    -- selects this column (nor `content`, which holds them too).
    beneficiaries         text[] NOT NULL DEFAULT '{}',
    content               jsonb NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    retracted_at          timestamptz,
    PRIMARY KEY (record_id, version)
);
CREATE UNIQUE INDEX activity_current_uq ON activity (record_id) WHERE is_current;
CREATE INDEX activity_unit_date_idx ON activity (unit_id, date)
    INCLUDE (category_code, participants)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX activity_submission_idx ON activity (submission_id);

CREATE TABLE indicator_value (
    record_id      uuid NOT NULL,
    version        int NOT NULL DEFAULT 1 CHECK (version >= 1),
    is_current     boolean NOT NULL DEFAULT true,
    unit_id        bigint NOT NULL REFERENCES org_unit (id),
    submission_id  uuid NOT NULL REFERENCES submission (id),
    indicator_code text NOT NULL REFERENCES indicator (code),
    period         text NOT NULL,         -- "2020", "2020-Q2", "2020-06"
    period_type    text NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    period_start   date NOT NULL,         -- first day of the period
    value          double precision NOT NULL CHECK (value >= 0 AND value < 'Infinity'),
    note           text NOT NULL DEFAULT '',
    content        jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    retracted_at   timestamptz,
    PRIMARY KEY (record_id, version),
    CHECK (period_start = date_trunc(period_type, period_start)::date)
);
CREATE UNIQUE INDEX indicator_value_current_uq ON indicator_value (record_id) WHERE is_current;
-- One live value per community, indicator and period: a second record for
-- the same slot would be counted twice; a correction is an amend.
CREATE UNIQUE INDEX indicator_value_slot_uq ON indicator_value (unit_id, indicator_code, period)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX indicator_value_unit_start_idx ON indicator_value (unit_id, period_start)
    INCLUDE (indicator_code, value)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX indicator_value_submission_idx ON indicator_value (submission_id);

CREATE TABLE honor (
    record_id      uuid NOT NULL,
    version        int NOT NULL DEFAULT 1 CHECK (version >= 1),
    is_current     boolean NOT NULL DEFAULT true,
    unit_id        bigint NOT NULL REFERENCES org_unit (id),
    submission_id  uuid NOT NULL REFERENCES submission (id),
    -- "2020-06-11", "2020-06" or "2020": the first day of what is known, and
    -- how much of it is known.
    date_start     date NOT NULL,
    date_precision text NOT NULL CHECK (date_precision IN ('day', 'month', 'year')),
    title          text NOT NULL,
    level          text NOT NULL DEFAULT ''
                   CHECK (level IN ('', 'street', 'district', 'city', 'province', 'national')),
    issuer         text NOT NULL DEFAULT '',
    category_code  text REFERENCES category (code),
    recipient      text NOT NULL DEFAULT '',
    content        jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    retracted_at   timestamptz,
    PRIMARY KEY (record_id, version),
    CHECK (date_start = date_trunc(date_precision, date_start)::date)
);
CREATE UNIQUE INDEX honor_current_uq ON honor (record_id) WHERE is_current;
CREATE INDEX honor_unit_date_idx ON honor (unit_id, date_start)
    WHERE is_current AND retracted_at IS NULL;
CREATE INDEX honor_submission_idx ON honor (submission_id);

-- What summaries read: the live version of every record.
CREATE VIEW activity_current AS
    SELECT * FROM activity WHERE is_current AND retracted_at IS NULL;
CREATE VIEW indicator_value_current AS
    SELECT * FROM indicator_value WHERE is_current AND retracted_at IS NULL;
CREATE VIEW honor_current AS
    SELECT * FROM honor WHERE is_current AND retracted_at IS NULL;
