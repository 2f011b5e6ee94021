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

-- Adds a statement's change to a rollup: `d` holds one delta per rollup
-- row, what the rows the statement wrote add less what the rows it replaced
-- held. A rollup row exists only where there is something: rows that fall
-- to nothing (only a negative delta can) are removed.
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
CREATE OR REPLACE FUNCTION hz_private.hz_activity_rollup_add(d activity_rollup[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(pg_advisory_xact_lock(hashtextextended('unit:' || k.unit_id, 7443)))
       FROM (SELECT DISTINCT x.unit_id FROM unnest(d) x ORDER BY 1) k;
    INSERT INTO activity_rollup AS r
    SELECT * FROM unnest(d) ORDER BY unit_id, month, category_code
    ON CONFLICT (unit_id, month, category_code) DO UPDATE
       SET activities = r.activities + excluded.activities,
           participants = r.participants + excluded.participants,
           unknown = r.unknown + excluded.unknown,
           at_least = r.at_least + excluded.at_least;
    DELETE FROM activity_rollup r USING unnest(d) x
     WHERE x.activities < 0 AND r.activities = 0 AND r.unit_id = x.unit_id
       AND r.month = x.month AND r.category_code = x.category_code;
END
$$;

CREATE OR REPLACE FUNCTION hz_private.hz_indicator_rollup_add(d indicator_rollup[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM count(pg_advisory_xact_lock(hashtextextended('unit:' || k.unit_id, 7443)))
       FROM (SELECT DISTINCT x.unit_id FROM unnest(d) x ORDER BY 1) k;
    INSERT INTO indicator_rollup AS r
    SELECT * FROM unnest(d) ORDER BY unit_id, indicator_code, period_start
    ON CONFLICT (unit_id, indicator_code, period_start) DO UPDATE
       SET slots = r.slots + excluded.slots,
           -- One live value per slot: the sum is that value. An emptied
           -- slot is 0, not the dust a float subtraction can leave.
           value = CASE WHEN r.slots + excluded.slots = 0 THEN 0
                        ELSE r.value + excluded.value END;
    DELETE FROM indicator_rollup r USING unnest(d) x
     WHERE x.slots < 0 AND r.slots = 0 AND r.unit_id = x.unit_id
       AND r.indicator_code = x.indicator_code AND r.period_start = x.period_start;
END
$$;

-- The trigger computes the statement's change per rollup row and hands it
-- to the functions above. An INSERT — every submit — reads its new rows in
-- static SQL, planned once per session; an UPDATE or DELETE (amends,
-- retractions, corrections: one record each) runs the general query, which
-- names both transition tables, with an empty table in place of the one a
-- DELETE lacks. What a row adds is written twice, here and there: keep the
-- two alike.
CREATE OR REPLACE FUNCTION hz_private.hz_rollup_apply()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_new text := CASE WHEN TG_OP = 'DELETE'
                       THEN format('(SELECT * FROM %I WHERE false)', TG_TABLE_NAME)
                       ELSE 'hz_rollup_new' END;
    v_a activity_rollup[];
    v_i indicator_rollup[];
BEGIN
    IF TG_TABLE_NAME = 'activity' THEN
        IF TG_OP = 'INSERT' THEN
            v_a := ARRAY(
                SELECT ROW(unit_id, date_trunc('month', date)::date, category_code, count(*),
                           coalesce(sum(participants), 0),
                           count(*) FILTER (WHERE participants IS NULL),
                           count(*) FILTER (WHERE participants_at_least))::activity_rollup
                FROM hz_rollup_new WHERE is_current AND retracted_at IS NULL
                GROUP BY unit_id, date_trunc('month', date)::date, category_code);
        ELSE
            EXECUTE format($q$
                SELECT ARRAY(
                    SELECT ROW(unit_id, month, category_code, sum(n), sum(p), sum(u),
                               sum(l))::activity_rollup
                    FROM (SELECT unit_id, date_trunc('month', date)::date AS month,
                                 category_code, 1 AS n, coalesce(participants, 0) AS p,
                                 (participants IS NULL)::int AS u,
                                 participants_at_least::int AS l
                          FROM %1$s n WHERE is_current AND retracted_at IS NULL
                          UNION ALL
                          SELECT unit_id, date_trunc('month', date)::date, category_code,
                                 -1, -coalesce(participants, 0), -(participants IS NULL)::int,
                                 -participants_at_least::int
                          FROM hz_rollup_old o WHERE is_current AND retracted_at IS NULL) d
                    GROUP BY unit_id, month, category_code
                    HAVING sum(n) <> 0 OR sum(p) <> 0 OR sum(u) <> 0 OR sum(l) <> 0)$q$,
                v_new) INTO v_a;
        END IF;
        PERFORM hz_activity_rollup_add(v_a);
    ELSE
        IF TG_OP = 'INSERT' THEN
            v_i := ARRAY(
                SELECT ROW(unit_id, indicator_code, period_start, min(period_type), count(*),
                           sum(value))::indicator_rollup
                FROM hz_rollup_new WHERE is_current AND retracted_at IS NULL
                GROUP BY unit_id, indicator_code, period_start);
        ELSE
            EXECUTE format($q$
                SELECT ARRAY(
                    SELECT ROW(unit_id, indicator_code, period_start, min(period_type),
                               sum(n), sum(v))::indicator_rollup
                    FROM (SELECT unit_id, indicator_code, period_start, period_type,
                                 1 AS n, value AS v
                          FROM %1$s n WHERE is_current AND retracted_at IS NULL
                          UNION ALL
                          SELECT unit_id, indicator_code, period_start, period_type,
                                 -1, -value
                          FROM hz_rollup_old o WHERE is_current AND retracted_at IS NULL) d
                    GROUP BY unit_id, indicator_code, period_start
                    HAVING sum(n) <> 0 OR sum(v) <> 0)$q$,
                v_new) INTO v_i;
        END IF;
        PERFORM hz_indicator_rollup_add(v_i);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION hz_private.hz_activity_rollup_add(activity_rollup[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION hz_private.hz_indicator_rollup_add(indicator_rollup[]) FROM PUBLIC;
ALTER FUNCTION hz_private.hz_activity_rollup_add(activity_rollup[]) SET search_path = public, hz_private, pg_temp;
ALTER FUNCTION hz_private.hz_indicator_rollup_add(indicator_rollup[]) SET search_path = public, hz_private, pg_temp;
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
