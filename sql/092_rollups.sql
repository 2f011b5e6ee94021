-- 092: live rollups. What a district reads — counts and sums per community,
-- month and category, and each community's value per indicator and period —
-- is kept ready in two small tables, written in the same transaction as the
-- records, so a summary reads thousands of rollup rows instead of scanning a
-- year of activities (docs/database.md "Rollups").
--
-- Only current, not retracted rows count: that is what every summary has
-- always read (040, 060). The tables are kept by statement-level triggers
-- with transition tables on the record tables: one aggregate per statement,
-- whatever the statement is (a submit's set-based INSERT, an amend's UPDATE
-- and INSERT, a retraction, an approved correction, a migration), so no
-- writer can forget them and there is one copy of the rule. A trigger per
-- row would cost a rollup upsert per record.
SET search_path = public, hz_private, pg_temp;

CREATE TABLE activity_rollup (
    unit_id       bigint NOT NULL,
    month         date NOT NULL,          -- first day of the month
    category_code text NOT NULL,
    activities    bigint NOT NULL,
    -- Sum of the known counts; the activities whose count was not given
    -- are counted apart, as 060 reads them.
    participants  bigint NOT NULL,
    unknown       bigint NOT NULL,
    -- How many had a count given as a lower bound ("45+"): a count, not a
    -- flag, so that amending the last such activity clears it.
    at_least      bigint NOT NULL,
    PRIMARY KEY (unit_id, month, category_code),
    -- No CHECK (activities >= 0 ...): an upsert checks the row it would
    -- insert, which for a retraction is the negative delta.
    CHECK (month = date_trunc('month', month)::date)
);

CREATE TABLE indicator_rollup (
    unit_id        bigint NOT NULL,
    indicator_code text NOT NULL,
    period_start   date NOT NULL,
    period_type    text NOT NULL,
    -- One live value per community, indicator and period (001's slot
    -- index); `slots` is how many, 0 or 1, kept as a count so that deltas add.
    slots          bigint NOT NULL,
    value          double precision NOT NULL,
    PRIMARY KEY (unit_id, indicator_code, period_start)
);

-- Adds one statement's change to its table's rollup: what the rows it
-- wrote add (hz_rollup_new) less what the rows it replaced held
-- (hz_rollup_old). A trigger names only the transition tables its event
-- has (an INSERT no old rows, a DELETE no new ones), so the query is run
-- with an empty table of the record table's shape in place of the missing
-- one. A rollup row exists only where there is something: rows that fall to
-- nothing (only an UPDATE or DELETE can) are removed.
--
-- Locking: before touching a community's rollup rows the statement takes
-- that community's transaction lock, the key hz_submit (052) locks each
-- batch with, for every community it wrote, in unit order; the rows are
-- then upserted in key order. Writers of one community so take turns on its
-- rollup rows from their first statement to their commit. Key order within
-- a statement is not enough: an amend writes in two statements (the old
-- version, then the new one), each touching other rows, and two amends of
-- one community moving records between the same two months in opposite
-- directions took those rows in opposite orders and deadlocked.
CREATE OR REPLACE FUNCTION hz_private.hz_rollup_apply()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_empty text := format('(SELECT * FROM %I WHERE false)', TG_TABLE_NAME);
    v_new text := CASE WHEN TG_OP = 'DELETE' THEN v_empty ELSE 'hz_rollup_new' END;
    v_old text := CASE WHEN TG_OP = 'INSERT' THEN v_empty ELSE 'hz_rollup_old' END;
BEGIN
    EXECUTE format($q$
        SELECT count(pg_advisory_xact_lock(hashtextextended('unit:' || k.unit_id, 7443)))
        FROM (SELECT n.unit_id FROM %1$s n UNION SELECT o.unit_id FROM %2$s o ORDER BY 1) k$q$,
        v_new, v_old);
    IF TG_TABLE_NAME = 'activity' THEN
        EXECUTE format($q$
            WITH d AS (
                SELECT unit_id, date_trunc('month', date)::date AS month, category_code,
                       1 AS n, coalesce(participants, 0) AS p,
                       (participants IS NULL)::int AS u, participants_at_least::int AS l
                FROM %1$s n WHERE is_current AND retracted_at IS NULL
                UNION ALL
                SELECT unit_id, date_trunc('month', date)::date, category_code,
                       -1, -coalesce(participants, 0), -(participants IS NULL)::int,
                       -participants_at_least::int
                FROM %2$s o WHERE is_current AND retracted_at IS NULL
            ), g AS (
                SELECT unit_id, month, category_code, sum(n) AS n, sum(p) AS p,
                       sum(u) AS u, sum(l) AS l
                FROM d GROUP BY 1, 2, 3
                HAVING sum(n) <> 0 OR sum(p) <> 0 OR sum(u) <> 0 OR sum(l) <> 0
            )
                INSERT INTO activity_rollup AS r (unit_id, month, category_code, activities,
                                                  participants, unknown, at_least)
                SELECT * FROM g ORDER BY unit_id, month, category_code
                ON CONFLICT (unit_id, month, category_code) DO UPDATE
                   SET activities = r.activities + excluded.activities,
                       participants = r.participants + excluded.participants,
                       unknown = r.unknown + excluded.unknown,
                       at_least = r.at_least + excluded.at_least$q$, v_new, v_old);
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM activity_rollup r
             WHERE r.activities = 0
               AND (r.unit_id, r.month, r.category_code) IN
                   (SELECT o.unit_id, date_trunc('month', o.date)::date, o.category_code
                      FROM hz_rollup_old o);
        END IF;
    ELSE
        EXECUTE format($q$
            WITH d AS (
                SELECT unit_id, indicator_code, period_start, period_type, 1 AS n, value AS v
                FROM %1$s n WHERE is_current AND retracted_at IS NULL
                UNION ALL
                SELECT unit_id, indicator_code, period_start, period_type, -1, -value
                FROM %2$s o WHERE is_current AND retracted_at IS NULL
            ), g AS (
                SELECT unit_id, indicator_code, period_start, min(period_type) AS period_type,
                       sum(n) AS n, sum(v) AS v
                FROM d GROUP BY 1, 2, 3
                HAVING sum(n) <> 0 OR sum(v) <> 0
            )
                INSERT INTO indicator_rollup AS r (unit_id, indicator_code, period_start,
                                                   period_type, slots, value)
                SELECT * FROM g ORDER BY unit_id, indicator_code, period_start
                ON CONFLICT (unit_id, indicator_code, period_start) DO UPDATE
                   SET slots = r.slots + excluded.slots,
                       -- One live value per slot: the sum is that value. An
                       -- emptied slot is 0, not the dust a float subtraction
                       -- can leave.
                       value = CASE WHEN r.slots + excluded.slots = 0 THEN 0
                                    ELSE r.value + excluded.value END$q$,
            v_new, v_old);
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM indicator_rollup r
             WHERE r.slots = 0
               AND (r.unit_id, r.indicator_code, r.period_start) IN
                   (SELECT o.unit_id, o.indicator_code, o.period_start FROM hz_rollup_old o);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION hz_private.hz_rollup_apply() FROM PUBLIC;
ALTER FUNCTION hz_private.hz_rollup_apply() SET search_path = public, hz_private, pg_temp;

-- Emptying a record table empties its rollup.
CREATE OR REPLACE FUNCTION hz_private.hz_rollup_truncate()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'activity' THEN
        DELETE FROM activity_rollup;
    ELSE
        DELETE FROM indicator_rollup;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION hz_private.hz_rollup_truncate() FROM PUBLIC;
ALTER FUNCTION hz_private.hz_rollup_truncate() SET search_path = public, hz_private, pg_temp;

-- One trigger per event: a trigger with transition tables fires for one
-- event only.
CREATE TRIGGER activity_rollup_ins AFTER INSERT ON activity
    REFERENCING NEW TABLE AS hz_rollup_new
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER activity_rollup_upd AFTER UPDATE ON activity
    REFERENCING OLD TABLE AS hz_rollup_old NEW TABLE AS hz_rollup_new
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER activity_rollup_del AFTER DELETE ON activity
    REFERENCING OLD TABLE AS hz_rollup_old
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER activity_rollup_trunc AFTER TRUNCATE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_truncate();
CREATE TRIGGER indicator_rollup_ins AFTER INSERT ON indicator_value
    REFERENCING NEW TABLE AS hz_rollup_new
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER indicator_rollup_upd AFTER UPDATE ON indicator_value
    REFERENCING OLD TABLE AS hz_rollup_old NEW TABLE AS hz_rollup_new
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER indicator_rollup_del AFTER DELETE ON indicator_value
    REFERENCING OLD TABLE AS hz_rollup_old
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_apply();
CREATE TRIGGER indicator_rollup_trunc AFTER TRUNCATE ON indicator_value
    FOR EACH STATEMENT EXECUTE FUNCTION hz_private.hz_rollup_truncate();

-- What is already held.
INSERT INTO activity_rollup
SELECT unit_id, date_trunc('month', date)::date, category_code, count(*),
       coalesce(sum(participants), 0), count(*) FILTER (WHERE participants IS NULL),
       count(*) FILTER (WHERE participants_at_least)
FROM activity WHERE is_current AND retracted_at IS NULL
GROUP BY 1, 2, 3;

INSERT INTO indicator_rollup
SELECT unit_id, indicator_code, period_start, min(period_type), count(*), sum(value)
FROM indicator_value WHERE is_current AND retracted_at IS NULL
GROUP BY 1, 2, 3;
