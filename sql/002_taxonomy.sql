-- 002: the activity taxonomy and the indicators, as the 2020 year-end reports
-- use them. Administrators add to both later; these rows are the seed.
-- sort_order follows the order of the sections in those reports.

INSERT INTO category (code, name, parent_code, sort_order) VALUES
    ('theory',      '理论学习',               NULL, 10),
    ('civility',    '精神文明创建',           NULL, 20),
    ('youth',       '未成年人思想道德建设',   NULL, 30),
    ('volunteer',   '志愿服务',               NULL, 40),
    ('visit',       '走访慰问',               NULL, 50),
    ('education',   '法制/消防/禁毒宣传',     NULL, 60),
    ('science',     '科普活动',               NULL, 70),
    ('environment', '环境整治',               NULL, 80),
    ('culture',     '文体活动',               NULL, 90),
    ('publicity',   '宣传阵地',               NULL, 100),
    ('news',        '信息报送',               NULL, 110),
    ('party',       '党建活动',               NULL, 120);

-- The reports list legal, fire-safety and anti-drug education as one line of
-- work with three kinds of event; a summary by category can roll them up.
INSERT INTO category (code, name, parent_code, sort_order) VALUES
    ('legal',    '法制宣传', 'education', 61),
    ('fire',     '消防宣传', 'education', 62),
    ('antidrug', '禁毒宣传', 'education', 63);

INSERT INTO indicator (code, name, unit, period_type, aggregation, sort_order) VALUES
    ('briefs',           '简讯',         '篇', 'month',   'sum',  10),
    ('opinion_reports',  '舆情报道',     '篇', 'month',   'sum',  20),
    ('research_reports', '调研报告',     '篇', 'quarter', 'sum',  30),
    ('volunteers',       '志愿者人数',   '人', 'month',   'last', 40),
    ('publicity_boards', '固定宣传栏',   '块', 'month',   'last', 50),
    ('blog_level',       '社区博客等级', '级', 'month',   'last', 60),
    ('blog_visits',      '博客点击量',   '次', 'month',   'last', 70);
