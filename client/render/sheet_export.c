/* Export records into one table per kind. */
#include "render/sheet_export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

static const sheet_col activity_cols[] = {
    {"record_id", "记录编号", SHEET_TEXT},     {"version", "版本", SHEET_INT},
    {"community", "社区代码", SHEET_TEXT},     {"community_name", "社区", SHEET_TEXT},
    {"date", "日期", SHEET_DATE},              {"category", "类别代码", SHEET_TEXT},
    {"category_name", "类别", SHEET_TEXT},     {"title", "标题", SHEET_TEXT},
    {"location", "地点", SHEET_TEXT},          {"participants", "参与人数", SHEET_INT},
    {"participants_at_least", "人数为下限", SHEET_BOOL}, {"partners", "共建单位", SHEET_TEXT},
    {"change_seq", "变更序号", SHEET_INT},     {"participants_unknown", "人数未报", SHEET_BOOL},
};

static const sheet_col indicator_cols[] = {
    {"record_id", "记录编号", SHEET_TEXT},     {"version", "版本", SHEET_INT},
    {"community", "社区代码", SHEET_TEXT},     {"community_name", "社区", SHEET_TEXT},
    {"indicator", "指标代码", SHEET_TEXT},     {"indicator_name", "指标", SHEET_TEXT},
    {"period", "期间", SHEET_TEXT},            {"period_type", "期间类型", SHEET_TEXT},
    {"value", "数值", SHEET_NUM},              {"unit", "单位", SHEET_TEXT},
    {"change_seq", "变更序号", SHEET_INT},
};

static const sheet_col honor_cols[] = {
    {"record_id", "记录编号", SHEET_TEXT},     {"version", "版本", SHEET_INT},
    {"community", "社区代码", SHEET_TEXT},     {"community_name", "社区", SHEET_TEXT},
    {"date", "日期", SHEET_DATE},              {"title", "荣誉", SHEET_TEXT},
    {"level", "级别", SHEET_TEXT},             {"issuer", "颁发单位", SHEET_TEXT},
    {"recipient", "获奖者", SHEET_TEXT},       {"category", "类别代码", SHEET_TEXT},
    {"category_name", "类别", SHEET_TEXT},     {"change_seq", "变更序号", SHEET_INT},
};

/* Every record in one table, as other systems read it: with --headers en
 * the field names of ExportRecord, the columns in this order. */
static const sheet_col record_cols[] = {
    {"kind", "类型", SHEET_KIND},              {"record_id", "记录编号", SHEET_TEXT},
    {"version", "版本", SHEET_INT},            {"community", "社区代码", SHEET_TEXT},
    {"community_name", "社区", SHEET_TEXT},    {"date", "日期", SHEET_DATE},
    {"category", "类别代码", SHEET_TEXT},      {"category_name", "类别", SHEET_TEXT},
    {"title", "标题", SHEET_TEXT},             {"location", "地点", SHEET_TEXT},
    {"participants", "参与人数", SHEET_INT},   {"participants_at_least", "人数为下限", SHEET_BOOL},
    {"partners", "共建单位", SHEET_TEXT},      {"indicator", "指标代码", SHEET_TEXT},
    {"indicator_name", "指标", SHEET_TEXT},    {"period", "期间", SHEET_TEXT},
    {"period_type", "期间类型", SHEET_TEXT},   {"value", "数值", SHEET_NUM},
    {"unit", "单位", SHEET_TEXT},              {"level", "级别", SHEET_TEXT},
    {"issuer", "颁发单位", SHEET_TEXT},        {"recipient", "获奖者", SHEET_TEXT},
    {"change_seq", "变更序号", SHEET_INT},     {"participants_unknown", "人数未报", SHEET_BOOL},
};

#define NCOLS(a) (sizeof a / sizeof a[0])

static const sheet_table records = {"records", "记录", record_cols, NCOLS(record_cols)};

static const sheet_table tables[3] = {
    {"activity", "活动", activity_cols, NCOLS(activity_cols)},
    {"indicator", "指标", indicator_cols, NCOLS(indicator_cols)},
    {"honor", "荣誉", honor_cols, NCOLS(honor_cols)},
};

/* The record kinds of the wire, in the tables' order. */
static const char *const kinds[3] = {"activity", "indicator_value", "honor"};

int sheet_export_section_known(const char *name)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(name, tables[i].key) == 0)
            return 0;
    return -1;
}

int sheet_export_begin(sheet_export *e, sheet_book *b, const char *section, bool all_in_one)
{
    memset(e, 0, sizeof *e);
    e->b = b;
    e->all = -1;
    if (all_in_one && section == NULL) {
        for (size_t i = 0; i < 3; i++)
            e->id[i] = -1;
        return (e->all = sheet_begin(b, &records)) < 0 ? -1 : 0;
    }
    for (size_t i = 0; i < 3; i++) {
        e->id[i] = -1;
        if (section && strcmp(section, tables[i].key) != 0)
            continue;
        if ((e->id[i] = sheet_begin(b, &tables[i])) < 0)
            return -1;
    }
    return 0;
}

/* One record in the table of every record: a kind's empty fields empty,
 * as other systems have read it. */
/* A record's numbers as cells, the same in every table. */
typedef struct {
    char ver[16], part[24], val[48], seq[24];
} export_numbers;

static void export_numbers_of(const Huizong__ExportRecord *r, export_numbers *n)
{
    snprintf(n->ver, sizeof n->ver, "%u", r->version);
    render_csv_count(n->part, sizeof n->part, r->participants, r->participants_unknown, 1);
    snprintf(n->seq, sizeof n->seq, "%" PRIu64, r->change_seq);
    render_number(r->value, n->val, sizeof n->val);
}

static int record_row(sheet_export *e, const Huizong__ExportRecord *r, const char *partners)
{
    export_numbers n;
    int act = strcmp(r->kind, "activity") == 0, iv = strcmp(r->kind, "indicator_value") == 0;

    export_numbers_of(r, &n);
    const char *row[] = {
        r->kind, r->record_id, n.ver, r->community, r->community_name, r->date, r->category,
        r->category_name, r->title, r->location, act ? n.part : "",
        act ? (r->participants_at_least ? "true" : "false") : "", partners, r->indicator,
        r->indicator_name, r->period, r->period_type, iv ? n.val : "", r->unit, r->level,
        r->issuer, r->recipient, n.seq, act ? (r->participants_unknown ? "true" : "false") : ""};
    return sheet_row(e->b, e->all, row);
}

static int export_row(sheet_export *e, int id, size_t k, const Huizong__ExportRecord *r)
{
    export_numbers nb;
    char *partners = render_join(r->partners, r->n_partners, "、");
    int rc;

    if (partners == NULL)
        return -1;
    export_numbers_of(r, &nb);
    const char *ver = nb.ver, *part = nb.part, *val = nb.val, *seq = nb.seq;
    const char *bound = r->participants_at_least ? "true" : "false";
    if (k == 0) {
        const char *row[] = {r->record_id, ver, r->community, r->community_name, r->date,
                             r->category, r->category_name, r->title, r->location, part, bound,
                             partners, seq, r->participants_unknown ? "true" : "false"};
        rc = sheet_row(e->b, id, row);
    } else if (k == 1) {
        const char *row[] = {r->record_id, ver, r->community, r->community_name, r->indicator,
                             r->indicator_name, r->period, r->period_type, val, r->unit, seq};
        rc = sheet_row(e->b, id, row);
    } else {
        const char *row[] = {r->record_id, ver, r->community, r->community_name, r->date,
                             r->title, r->level, r->issuer, r->recipient, r->category,
                             r->category_name, seq};
        rc = sheet_row(e->b, id, row);
    }
    free(partners);
    return rc;
}

int sheet_export_page(sheet_export *e, const Huizong__ExportChunk *c)
{
    for (size_t i = 0; i < c->n_records; i++) {
        const Huizong__ExportRecord *r = c->records[i];
        if (e->all >= 0) {
            char *partners = render_join(r->partners, r->n_partners, "、");
            int rc = partners ? record_row(e, r, partners) : -1;
            free(partners);
            if (rc < 0)
                return -1;
            e->n++;
            continue;
        }
        for (size_t k = 0; k < 3; k++) {
            if (strcmp(r->kind, kinds[k]) != 0 || e->id[k] < 0)
                continue;
            if (export_row(e, e->id[k], k, r) < 0)
                return -1;
            e->n++;
        }
    }
    return 0;
}
