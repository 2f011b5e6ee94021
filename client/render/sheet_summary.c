/* The summary's sections as people's tables. */
#include "render/sheet_summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

/* The street and quarter columns come last and only when grouped by them,
 * as in the machine CSV. */
#define GROUP_COLS 3

static const sheet_col activity_cols[] = {
    {"community", "社区代码", SHEET_TEXT},     {"community_name", "社区", SHEET_TEXT},
    {"category", "类别代码", SHEET_TEXT},      {"category_name", "类别", SHEET_TEXT},
    {"month", "月份", SHEET_TEXT},             {"activities", "活动数", SHEET_INT},
    {"participants", "参与人数", SHEET_INT},   {"participants_at_least", "人数为下限", SHEET_BOOL},
    {"participants_unknown", "未报人数的活动数", SHEET_INT},
    {"street", "街道代码", SHEET_TEXT},        {"street_name", "街道", SHEET_TEXT},
    {"quarter", "季度", SHEET_TEXT},
};

static const sheet_col event_cols[] = {
    {"date", "日期", SHEET_DATE},              {"community", "社区代码", SHEET_TEXT},
    {"community_name", "社区", SHEET_TEXT},    {"category", "类别代码", SHEET_TEXT},
    {"category_name", "类别", SHEET_TEXT},     {"title", "标题", SHEET_TEXT},
    {"location", "地点", SHEET_TEXT},          {"participants", "参与人数", SHEET_INT},
    {"participants_at_least", "人数为下限", SHEET_BOOL}, {"partners", "共建单位", SHEET_TEXT},
    {"participants_unknown", "人数未报", SHEET_BOOL},
};

static const sheet_col indicator_cols[] = {
    {"community", "社区代码", SHEET_TEXT},     {"community_name", "社区", SHEET_TEXT},
    {"month", "月份", SHEET_TEXT},             {"indicator", "指标代码", SHEET_TEXT},
    {"indicator_name", "指标", SHEET_TEXT},    {"value", "数值", SHEET_NUM},
    {"unit", "单位", SHEET_TEXT},              {"aggregation", "汇总方式", SHEET_TEXT},
    {"street", "街道代码", SHEET_TEXT},        {"street_name", "街道", SHEET_TEXT},
    {"quarter", "季度", SHEET_TEXT},
};

static const sheet_col honor_cols[] = {
    {"date", "日期", SHEET_DATE},              {"community", "社区代码", SHEET_TEXT},
    {"community_name", "社区", SHEET_TEXT},    {"title", "荣誉", SHEET_TEXT},
    {"recipient", "获奖者", SHEET_TEXT},       {"level", "级别", SHEET_TEXT},
    {"issuer", "颁发单位", SHEET_TEXT},
};

#define NCOLS(a) (sizeof a / sizeof a[0])

int sheet_summary_section_known(const char *name)
{
    static const char *const names[] = {"activity", "event", "indicator", "honor"};

    for (size_t i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return 0;
    return -1;
}

static size_t grouped_cols(size_t n, unsigned asked)
{
    return (asked & (RENDER_BY_STREET | RENDER_BY_QUARTER)) ? n : n - GROUP_COLS;
}

static int write_activities(sheet_book *b, const Huizong__SummaryResult *r, unsigned asked)
{
    sheet_table t = {"activity", "活动", activity_cols, grouped_cols(NCOLS(activity_cols), asked)};
    int id = sheet_begin(b, &t), rc = id < 0 ? -1 : 0;
    char n1[24], n2[24], n3[24];

    for (size_t i = 0; rc == 0 && i < r->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = r->activity_groups[i];
        snprintf(n1, sizeof n1, "%" PRIu64, g->activities);
        render_csv_count(n2, sizeof n2, g->participants, g->participants_unknown, g->activities);
        snprintf(n3, sizeof n3, "%" PRIu64, g->participants_unknown);
        const char *row[] = {g->community, g->community_name, g->category, g->category_name,
                             g->month, n1, n2, g->participants_at_least ? "true" : "false", n3,
                             g->street, g->street_name, g->quarter};
        rc = sheet_row(b, id, row);
    }
    return rc;
}

static int write_events(sheet_book *b, const Huizong__SummaryResult *r)
{
    sheet_table t = {"event", "活动明细", event_cols, NCOLS(event_cols)};
    int id = sheet_begin(b, &t), rc = id < 0 ? -1 : 0;
    char num[24];

    for (size_t i = 0; rc == 0 && i < r->n_activities; i++) {
        const Huizong__ActivityItem *a = r->activities[i];
        char *partners = render_join(a->partners, a->n_partners, "、");
        if (partners == NULL)
            return -1;
        render_csv_count(num, sizeof num, a->participants, a->participants_unknown, 1);
        const char *row[] = {a->date, a->community, a->community_name, a->category,
                             a->category_name, a->title, a->location, num,
                             a->participants_at_least ? "true" : "false", partners,
                             a->participants_unknown ? "true" : "false"};
        rc = sheet_row(b, id, row);
        free(partners);
    }
    return rc;
}

static int write_indicators(sheet_book *b, const Huizong__SummaryResult *r, unsigned asked)
{
    sheet_table t = {"indicator", "指标", indicator_cols,
                     grouped_cols(NCOLS(indicator_cols), asked)};
    int id = sheet_begin(b, &t), rc = id < 0 ? -1 : 0;
    char num[48];

    for (size_t i = 0; rc == 0 && i < r->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *it = r->indicator_totals[i];
        render_number(it->value, num, sizeof num);
        const char *row[] = {it->community, it->community_name, it->month, it->indicator,
                             it->indicator_name, num, it->unit, it->aggregation,
                             it->street, it->street_name, it->quarter};
        rc = sheet_row(b, id, row);
    }
    return rc;
}

static int write_honors(sheet_book *b, const Huizong__SummaryResult *r)
{
    sheet_table t = {"honor", "荣誉", honor_cols, NCOLS(honor_cols)};
    int id = sheet_begin(b, &t), rc = id < 0 ? -1 : 0;

    for (size_t i = 0; rc == 0 && i < r->n_honors; i++) {
        const Huizong__HonorItem *h = r->honors[i];
        const char *row[] = {h->date, h->community, h->community_name, h->title,
                             h->recipient, h->level, h->issuer};
        rc = sheet_row(b, id, row);
    }
    return rc;
}

int sheet_summary_write(sheet_book *b, const Huizong__SummaryResult *r, unsigned asked,
                        const char *section)
{
    bool events = (asked & RENDER_EVENTS) || r->n_activities;
#define WANT(k) (section == NULL || strcmp(section, k) == 0)

    if (WANT("activity") && write_activities(b, r, asked) < 0)
        return -1;
    if (WANT("event") && (events || section) && write_events(b, r) < 0)
        return -1;
    if (WANT("indicator") && write_indicators(b, r, asked) < 0)
        return -1;
    if (WANT("honor") && write_honors(b, r) < 0)
        return -1;
#undef WANT
    return 0;
}
