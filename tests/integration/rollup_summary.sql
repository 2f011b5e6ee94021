-- What hz_summary must answer, computed from the raw rows alone (no
-- rollup, no helper of sql/): $1 the dimensions (a text array of
-- street, community, category, month, quarter), $2 and $3 the span
-- [from, to). Three columns, each sorted lines in the byte order the test
-- sorts the server's answer in: the activity groups
-- (street|community|category|month|quarter|activities|participants|unknown|at_least),
-- the indicator totals (street|community|indicator|month|quarter|aggregation|value)
-- and the totals (activities|participants|unknown|at_least).
-- Every community of the tree sits directly under its street.
WITH u AS (
    SELECT c.id, c.code, p.code AS street
    FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
    WHERE c.level = 'community'
), a AS (
    SELECT CASE WHEN 'street' = ANY ($1::text[]) THEN u.street ELSE '' END AS st,
           CASE WHEN 'community' = ANY ($1::text[]) THEN u.code ELSE '' END AS co,
           CASE WHEN 'category' = ANY ($1::text[]) THEN x.category_code ELSE '' END AS ca,
           CASE WHEN 'month' = ANY ($1::text[]) THEN to_char(x.date, 'YYYY-MM') ELSE '' END AS mo,
           CASE WHEN 'quarter' = ANY ($1::text[])
                THEN to_char(x.date, 'YYYY') || '-Q' || to_char(x.date, 'Q') ELSE '' END AS qu,
           x.participants, x.participants_at_least
    FROM activity x JOIN u ON u.id = x.unit_id
    WHERE x.is_current AND x.retracted_at IS NULL AND x.date >= $2::date AND x.date < $3::date
), ag AS (
    SELECT concat_ws('|', st, co, ca, mo, qu, count(*), coalesce(sum(participants), 0),
                     count(*) FILTER (WHERE participants IS NULL),
                     bool_or(participants_at_least OR participants IS NULL)) AS line
    FROM a GROUP BY st, co, ca, mo, qu
    UNION ALL
    SELECT '|||||0|0|0|f' WHERE cardinality($1::text[]) = 0 AND NOT EXISTS (SELECT 1 FROM a)
), v AS (
    SELECT u.id, u.street, u.code, x.indicator_code, x.period_start, x.value, i.aggregation,
           CASE WHEN 'month' = ANY ($1::text[]) THEN to_char(x.period_start, 'YYYY-MM') ELSE '' END AS mo,
           CASE WHEN 'quarter' = ANY ($1::text[])
                THEN to_char(x.period_start, 'YYYY') || '-Q' || to_char(x.period_start, 'Q') ELSE '' END AS qu
    FROM indicator_value x JOIN u ON u.id = x.unit_id JOIN indicator i ON i.code = x.indicator_code
    WHERE x.is_current AND x.retracted_at IS NULL
      AND x.period_start >= $2::date AND x.period_start < $3::date
), per_unit AS (
    -- Each community's value of the bucket by the indicator's aggregation.
    SELECT id, street, code, indicator_code, mo, qu, aggregation,
           CASE aggregation WHEN 'sum' THEN sum(value) WHEN 'max' THEN max(value)
                            WHEN 'avg' THEN avg(value)
                            ELSE (array_agg(value ORDER BY period_start DESC))[1] END AS value
    FROM v GROUP BY id, street, code, indicator_code, mo, qu, aggregation
), it AS (
    SELECT concat_ws('|', st, co, indicator_code, mo, qu, aggregation,
                     round((CASE aggregation WHEN 'max' THEN max(value) WHEN 'avg' THEN avg(value)
                                             ELSE sum(value) END)::numeric, 4)) AS line
    FROM (SELECT CASE WHEN 'street' = ANY ($1::text[]) THEN street ELSE '' END AS st,
                 CASE WHEN 'community' = ANY ($1::text[]) THEN code ELSE '' END AS co,
                 indicator_code, mo, qu, aggregation, value
          FROM per_unit) p
    GROUP BY st, co, indicator_code, mo, qu, aggregation
)
SELECT (SELECT coalesce(string_agg(line, E'\n' ORDER BY line COLLATE "C"), '') FROM ag),
       (SELECT coalesce(string_agg(line, E'\n' ORDER BY line COLLATE "C"), '') FROM it),
       (SELECT concat_ws('|', count(*), coalesce(sum(participants), 0),
                         count(*) FILTER (WHERE participants IS NULL),
                         coalesce(bool_or(participants_at_least OR participants IS NULL), false))
        FROM a)
