-- 030: quotas, deadlines, period locks, nil reports and correction requests
-- (docs/period.md). Like the records, none of these is overwritten: a new
-- quota or deadline is a new row, an unlock stamps the lock row, a decision
-- stamps the request row.

-- "At least 2 briefs a month" for a unit and everything below it, from the
-- period starting on effective_from. The quota in force for a community is
-- the newest row (effective_from, then id) of its nearest ancestor-or-self
-- that has one in force (hz_quota_effective).
CREATE TABLE quota (
    id             bigserial PRIMARY KEY,
    unit_id        bigint NOT NULL REFERENCES org_unit (id),
    indicator_code text NOT NULL REFERENCES indicator (code),
    period_type    text NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    minimum        double precision NOT NULL CHECK (minimum >= 0 AND minimum < 'Infinity'),
    effective_from date NOT NULL,
    set_at         timestamptz NOT NULL DEFAULT now(),
    set_by         text NOT NULL DEFAULT '',          -- "role unit" of the principal
    CHECK (effective_from = date_trunc(period_type, effective_from)::date)
);
CREATE INDEX quota_lookup_idx ON quota (unit_id, indicator_code, period_type, effective_from);

-- Deadline of an indicator's periods: day `day` of the period that follows
-- (China Standard Time), for a unit and its subtree, or everywhere when
-- unit_id is NULL. The newest row of the nearest unit wins; default day 5.
CREATE TABLE deadline_rule (
    id             bigserial PRIMARY KEY,
    unit_id        bigint REFERENCES org_unit (id),
    indicator_code text NOT NULL REFERENCES indicator (code),
    day            int NOT NULL CHECK (day BETWEEN 1 AND 28),
    set_at         timestamptz NOT NULL DEFAULT now(),
    set_by         text NOT NULL DEFAULT ''
);
CREATE INDEX deadline_rule_lookup_idx ON deadline_rule (indicator_code, unit_id);

-- A locked period refuses every write of the unit's subtree that falls in it
-- (activities and honours by their date, indicator values by the span of
-- their period). Unlocking stamps the row; locking again adds a new one.
CREATE TABLE period_lock (
    id           bigserial PRIMARY KEY,
    unit_id      bigint NOT NULL REFERENCES org_unit (id),
    period       text NOT NULL,                  -- "2020-06", "2020-Q2", "2020"
    period_start date NOT NULL,
    period_end   date NOT NULL,                  -- exclusive
    locked_at    timestamptz NOT NULL DEFAULT now(),
    locked_by    text NOT NULL DEFAULT '',
    unlocked_at  timestamptz,
    unlocked_by  text,
    CHECK (period_end > period_start)
);
CREATE UNIQUE INDEX period_lock_live_uq ON period_lock (unit_id, period) WHERE unlocked_at IS NULL;
CREATE INDEX period_lock_span_idx ON period_lock (unit_id, period_start) WHERE unlocked_at IS NULL;

-- "Nothing to report" for one indicator and period, from the community.
-- A value filed later wins over it (hz_period_state).
CREATE TABLE nil_report (
    id             bigserial PRIMARY KEY,
    unit_id        bigint NOT NULL REFERENCES org_unit (id),
    indicator_code text NOT NULL REFERENCES indicator (code),
    period         text NOT NULL,
    period_start   date NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    fingerprint    text NOT NULL DEFAULT '',
    peer           text NOT NULL DEFAULT '',
    UNIQUE (unit_id, indicator_code, period)
);

-- A change to a record in a locked period, filed by its community and
-- decided by a district principal above it. Approval applies it as a new
-- version (or a retraction) and records who decided.
CREATE TABLE correction_request (
    id              bigserial PRIMARY KEY,
    record_id       uuid NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('activity', 'indicator_value', 'honor')),
    unit_id         bigint NOT NULL REFERENCES org_unit (id),
    action          text NOT NULL CHECK (action IN ('amend', 'retract')),
    content         jsonb,                        -- amend: the new record
    reason          text NOT NULL CHECK (reason <> ''),
    base_version    int NOT NULL,                 -- the version it corrects
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected')),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    requested_by    text NOT NULL DEFAULT '',     -- certificate fingerprint
    decided_at      timestamptz,
    decided_by      text,                         -- "role unit"
    decided_by_fingerprint text,
    decision_reason text,
    applied_version int,
    CHECK ((action = 'amend') = (content IS NOT NULL))
);
CREATE UNIQUE INDEX correction_request_pending_uq ON correction_request (record_id)
    WHERE status = 'pending';
CREATE INDEX correction_request_unit_idx ON correction_request (unit_id, status);

-- Why a version was retracted (the reason of `huizong retract`).
ALTER TABLE activity ADD COLUMN retract_reason text;
ALTER TABLE indicator_value ADD COLUMN retract_reason text;
ALTER TABLE honor ADD COLUMN retract_reason text;
