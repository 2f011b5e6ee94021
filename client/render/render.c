/* Renders a SummaryResult. */
#include "render/render.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "pbjson.h"
#include "render/table.h"

int render_format_from_name(const char *name, render_format *out)
{
    static const char *const names[] = {"table", "csv", "json"};

    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (render_format)i;
            return 0;
        }
    return -1;
}

void render_number(double v, char *buf, size_t len)
{
    size_t n;

    if (!isfinite(v) || fabs(v) >= 1e15) {
        snprintf(buf, len, "%g", v);
        return;
    }
    snprintf(buf, len, "%.6f", v);
    n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

/* Shows a name where the server sent one, else the code. */
static const char *render_name(const char *name, const char *code)
{
    return (name && *name) ? name : (code ? code : "");
}

/* A participants figure; "40+" when some records gave only a lower bound
 * ("40余人") or none, so a reader never takes it for an exact count; no
 * figure at all when none of the `activities` had a count. */
static void render_count(char *buf, size_t len, uint64_t n, bool at_least, uint64_t unknown,
                         uint64_t activities)
{
    if (unknown > 0 && unknown >= activities)
        snprintf(buf, len, "%s", _("not reported"));
    else
        snprintf(buf, len, "%" PRIu64 "%s", n, at_least || unknown ? "+" : "");
}

void render_csv_count(char *buf, size_t len, uint64_t n, uint64_t unknown,
                             uint64_t activities)
{
    if (unknown > 0 && unknown >= activities)
        buf[0] = '\0';
    else
        snprintf(buf, len, "%" PRIu64, n);
}

char *render_join(char *const *items, size_t n, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    char *s, *p;

    for (size_t i = 0; i < n; i++)
        len += (i ? seplen : 0) + (items[i] ? strlen(items[i]) : 0);
    if ((s = p = malloc(len)) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = items[i] ? strlen(items[i]) : 0;

        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, items[i] ? items[i] : "", l);
        p += l;
    }
    *p = '\0';
    return s;
}

static const char *render_lookup(const char *const map[][2], const char *key)
{
    for (size_t i = 0; map[i][0]; i++)
        if (key && strcmp(map[i][0], key) == 0)
            return map[i][1];
    return key ? key : "";
}

static const char *render_aggregation(const char *a)
{
    static const char *const map[][2] = {
        {"sum", "求和"}, {"last", "期末值"}, {"max", "最大值"}, {"avg", "平均值"}, {NULL, NULL}};
    return render_lookup(map, a);
}

static const char *render_level(const char *l)
{
    static const char *const map[][2] = {
        {"street", "街道级"}, {"district", "区级"}, {"city", "市级"},
        {"province", "省级"}, {"national", "国家级"}, {NULL, NULL}};
    return render_lookup(map, l);
}

static int render_activities(FILE *f, const Huizong__SummaryResult *r, unsigned by)
{
    table t;
    char n1[24], n2[24];
    int rc;

    table_init(&t);
    if (by & RENDER_BY_STREET)
        table_col(&t, "街道", false);
    if (by & RENDER_BY_COMMUNITY)
        table_col(&t, "社区", false);
    if (by & RENDER_BY_CATEGORY)
        table_col(&t, "类别", false);
    if (by & RENDER_BY_MONTH)
        table_col(&t, "月份", false);
    if (by & RENDER_BY_QUARTER)
        table_col(&t, "季度", false);
    size_t keys = t.ncols ? t.ncols : 1;
    if (t.ncols == 0)
        table_col(&t, "范围", false);
    table_col(&t, "活动数", true);
    table_col(&t, "参与人数", true);
    /* "3 activities, 2 of them without a count": the count apart. */
    bool unknowns = r->total_participants_unknown > 0;
    if (unknowns)
        table_col(&t, _("no count"), true);
    char n3[24];
    for (size_t i = 0; by && i < r->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = r->activity_groups[i];
        const char *cells[TABLE_MAX_COLS];
        size_t c = 0;

        if (by & RENDER_BY_STREET)
            cells[c++] = render_name(g->street_name, g->street);
        if (by & RENDER_BY_COMMUNITY)
            cells[c++] = render_name(g->community_name, g->community);
        if (by & RENDER_BY_CATEGORY)
            cells[c++] = render_name(g->category_name, g->category);
        if (by & RENDER_BY_MONTH)
            cells[c++] = g->month;
        if (by & RENDER_BY_QUARTER)
            cells[c++] = g->quarter;
        snprintf(n1, sizeof n1, "%" PRIu64, g->activities);
        render_count(n2, sizeof n2, g->participants, g->participants_at_least,
                     g->participants_unknown, g->activities);
        snprintf(n3, sizeof n3, "%" PRIu64, g->participants_unknown);
        cells[c++] = n1;
        cells[c++] = n2;
        cells[c] = n3;
        table_row(&t, cells);
    }
    const char *total[TABLE_MAX_COLS] = {"合计"};
    snprintf(n1, sizeof n1, "%" PRIu64, r->total_activities);
    render_count(n2, sizeof n2, r->total_participants, r->total_participants_at_least,
                 r->total_participants_unknown, r->total_activities);
    snprintf(n3, sizeof n3, "%" PRIu64, r->total_participants_unknown);
    total[keys] = n1;
    total[keys + 1] = n2;
    total[keys + 2] = n3;
    if (by)
        table_rule(&t);
    table_row(&t, total);
    fputs("\n活动\n", f);
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

/* One activity row; the partners are joined as a Chinese list is written. */
static int render_event_row(table *t, const Huizong__ActivityItem *a)
{
    char num[24];
    char *partners = render_join(a->partners, a->n_partners, "、");

    if (partners == NULL)
        return -1;
    render_count(num, sizeof num, a->participants, a->participants_at_least,
                 a->participants_unknown, 1);
    const char *cells[] = {a->date, render_name(a->community_name, a->community),
                           render_name(a->category_name, a->category), a->title, num, partners};
    table_row(t, cells);
    free(partners);
    return 0;
}

static int render_events(FILE *f, const Huizong__SummaryResult *r)
{
    table t;
    int rc = 0;

    fputs("\n活动明细\n", f);
    if (r->n_activities == 0) {
        fputs("（无）\n", f);
        return 0;
    }
    table_init(&t);
    table_col(&t, "日期", false);
    table_col(&t, "社区", false);
    table_col(&t, "类别", false);
    table_col(&t, "标题", false);
    table_col(&t, "参与人数", true);
    table_col(&t, "共建单位", false);
    /* Kept in the server's order, which is by date. */
    for (size_t i = 0; rc == 0 && i < r->n_activities; i++)
        rc = render_event_row(&t, r->activities[i]);
    if (rc == 0)
        rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

static int render_indicators(FILE *f, const Huizong__SummaryResult *r, unsigned by)
{
    table t;
    char num[48];
    int rc;

    fputs("\n指标\n", f);
    if (r->n_indicator_totals == 0) {
        fputs("（无）\n", f);
        return 0;
    }
    table_init(&t);
    if (by & RENDER_BY_STREET)
        table_col(&t, "街道", false);
    if (by & RENDER_BY_COMMUNITY)
        table_col(&t, "社区", false);
    if (by & RENDER_BY_MONTH)
        table_col(&t, "月份", false);
    if (by & RENDER_BY_QUARTER)
        table_col(&t, "季度", false);
    table_col(&t, "指标", false);
    table_col(&t, "数值", true);
    table_col(&t, "单位", false);
    table_col(&t, "汇总方式", false);
    for (size_t i = 0; i < r->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *it = r->indicator_totals[i];
        const char *cells[TABLE_MAX_COLS];
        size_t c = 0;

        if (by & RENDER_BY_STREET)
            cells[c++] = render_name(it->street_name, it->street);
        if (by & RENDER_BY_COMMUNITY)
            cells[c++] = render_name(it->community_name, it->community);
        if (by & RENDER_BY_MONTH)
            cells[c++] = it->month;
        if (by & RENDER_BY_QUARTER)
            cells[c++] = it->quarter;
        render_number(it->value, num, sizeof num);
        cells[c++] = render_name(it->indicator_name, it->indicator);
        cells[c++] = num;
        cells[c++] = it->unit;
        cells[c] = render_aggregation(it->aggregation);
        table_row(&t, cells);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

static int render_honors(FILE *f, const Huizong__SummaryResult *r)
{
    table t;
    char title[1024];
    int rc;

    fputs("\n荣誉\n", f);
    if (r->n_honors == 0) {
        fputs("（无）\n", f);
        return 0;
    }
    table_init(&t);
    table_col(&t, "日期", false);
    table_col(&t, "社区", false);
    table_col(&t, "荣誉", false);
    table_col(&t, "级别", false);
    table_col(&t, "颁发单位", false);
    for (size_t i = 0; i < r->n_honors; i++) {
        const Huizong__HonorItem *h = r->honors[i];

        if (h->recipient && *h->recipient)
            snprintf(title, sizeof title, "%s（%s）", h->title, h->recipient);
        else
            snprintf(title, sizeof title, "%s", h->title);
        const char *cells[] = {h->date, render_name(h->community_name, h->community), title,
                               render_level(h->level), h->issuer};
        table_row(&t, cells);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

void render_span(const Huizong__SummaryResult *r, char *buf, size_t len)
{
    int whole_year = !r->from || !*r->from ||
                     (strncmp(r->from, r->to, 4) == 0 && strcmp(r->from + 4, "-01") == 0 &&
                      strcmp(r->to + 4, "-12") == 0);

    if (whole_year)
        snprintf(buf, len, "%d 年", (int)r->year);
    else
        snprintf(buf, len, "%s 至 %s ", r->from, r->to);
}

static int render_table(FILE *f, const Huizong__SummaryResult *r, unsigned asked)
{
    unsigned by = asked & RENDER_GROUPS;
    char span[64];

    render_span(r, span, sizeof span);
    if (r->unit_name && *r->unit_name)
        fprintf(f, "%s (%s) %s汇总\n", r->unit_name, r->unit_code, span);
    else
        fprintf(f, "%s %s汇总\n", r->unit_code, span);
    if (render_activities(f, r, by) < 0 ||
        ((asked & RENDER_EVENTS || r->n_activities) && render_events(f, r) < 0) ||
        render_indicators(f, r, by) < 0 || render_honors(f, r) < 0)
        return -1;
    return ferror(f) ? -1 : 0;
}

void render_csv_field(FILE *f, const char *s)
{
    if (s == NULL || strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s ? s : "", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* One CSV record; RFC 4180 ends records with CRLF. */
static void render_csv_row(FILE *f, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc(',', f);
        render_csv_field(f, cells[i]);
    }
    fputs("\r\n", f);
}

/* Street and quarter columns come last, and only when grouped by them, so
 * that the columns of the original three dimensions never move. */
static size_t render_csv_ncols(size_t base, unsigned asked)
{
    return base + ((asked & (RENDER_BY_STREET | RENDER_BY_QUARTER)) ? 3 : 0);
}

static void render_csv_activities(FILE *f, const Huizong__SummaryResult *r, unsigned asked)
{
    size_t n = render_csv_ncols(9, asked);

    /* participants_unknown goes last, after whichever columns are there,
     * and only when some count was not reported. */
    size_t cols = n + (r->total_participants_unknown > 0);
    const char *head[13] = {"section", "community", "community_name", "category",
                            "category_name", "month", "activities", "participants",
                            "participants_at_least", "street", "street_name", "quarter"};
    char n1[24], n2[24], n3[24];

    head[n] = "participants_unknown";
    render_csv_row(f, head, cols);
    for (size_t i = 0; i < r->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = r->activity_groups[i];

        snprintf(n1, sizeof n1, "%" PRIu64, g->activities);
        render_csv_count(n2, sizeof n2, g->participants, g->participants_unknown,
                         g->activities);
        snprintf(n3, sizeof n3, "%" PRIu64, g->participants_unknown);
        const char *row[13] = {"activity", g->community, g->community_name, g->category,
                               g->category_name, g->month, n1, n2,
                               g->participants_at_least ? "true" : "false", g->street,
                               g->street_name, g->quarter};
        row[n] = n3;
        render_csv_row(f, row, cols);
    }
}

static int render_csv_events(FILE *f, const Huizong__SummaryResult *r)
{
    static const char *const head[] = {"section", "date", "community", "community_name",
                                       "category", "category_name", "title", "location",
                                       "participants", "participants_at_least", "partners",
                                       "participants_unknown"};
    char num[24];
    size_t cols = 11;

    for (size_t i = 0; i < r->n_activities; i++)
        if (r->activities[i]->participants_unknown)
            cols = 12; /* the column only when some count was not reported */
    render_csv_row(f, head, cols);
    for (size_t i = 0; i < r->n_activities; i++) {
        const Huizong__ActivityItem *a = r->activities[i];
        char *partners = render_join(a->partners, a->n_partners, "、");

        if (partners == NULL)
            return -1;
        render_csv_count(num, sizeof num, a->participants, a->participants_unknown, 1);
        const char *row[] = {"event", a->date, a->community, a->community_name, a->category,
                             a->category_name, a->title, a->location, num,
                             a->participants_at_least ? "true" : "false", partners,
                             a->participants_unknown ? "true" : "false"};
        render_csv_row(f, row, cols);
        free(partners);
    }
    fputs("\r\n", f);
    return 0;
}

static void render_csv_indicators(FILE *f, const Huizong__SummaryResult *r, unsigned asked)
{
    size_t n = render_csv_ncols(9, asked);

    static const char *const head[] = {"section", "community", "community_name", "month",
                                       "indicator", "indicator_name", "value", "unit",
                                       "aggregation", "street", "street_name", "quarter"};
    char num[48];

    render_csv_row(f, head, n);
    for (size_t i = 0; i < r->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *it = r->indicator_totals[i];

        render_number(it->value, num, sizeof num);
        const char *row[] = {"indicator", it->community, it->community_name, it->month,
                             it->indicator, it->indicator_name, num, it->unit, it->aggregation,
                             it->street, it->street_name, it->quarter};
        render_csv_row(f, row, n);
    }
}

static void render_csv_honors(FILE *f, const Huizong__SummaryResult *r)
{
    static const char *const head[] = {"section", "date", "community", "community_name",
                                       "title", "recipient", "level", "issuer"};

    render_csv_row(f, head, 8);
    for (size_t i = 0; i < r->n_honors; i++) {
        const Huizong__HonorItem *h = r->honors[i];
        const char *row[] = {"honor", h->date, h->community, h->community_name,
                             h->title, h->recipient, h->level, h->issuer};
        render_csv_row(f, row, 8);
    }
}

static int render_csv(FILE *f, const Huizong__SummaryResult *r, unsigned asked)
{
    render_csv_activities(f, r, asked);
    fputs("\r\n", f);
    if ((asked & RENDER_EVENTS || r->n_activities) && render_csv_events(f, r) < 0)
        return -1;
    render_csv_indicators(f, r, asked);
    fputs("\r\n", f);
    render_csv_honors(f, r);
    return ferror(f) ? -1 : 0;
}

/* A count nobody reported is null, never 0: in each group, activity and
 * the totals. `unknown` counts the records without one among `n`. */
static void render_json_null_count(json_t *o, const char *key, const char *unknown_key,
                                   const char *n_key)
{
    json_t *u = json_object_get(o, unknown_key), *n = json_object_get(o, n_key);
    json_int_t nu = json_is_true(u) ? 1 : json_is_integer(u) ? json_integer_value(u) : 0;
    json_int_t nn = n_key ? (json_is_integer(n) ? json_integer_value(n) : 0) : 1;

    if (nu > 0 && nu >= nn)
        json_object_set_new(o, key, json_null());
}

void render_json_unknowns(json_t *j)
{
    size_t i;
    json_t *x;

    render_json_null_count(j, "total_participants", "total_participants_unknown",
                           "total_activities");
    json_array_foreach(json_object_get(j, "activity_groups"), i, x)
        render_json_null_count(x, "participants", "participants_unknown", "activities");
    json_array_foreach(json_object_get(j, "activities"), i, x)
        render_json_null_count(x, "participants", "participants_unknown", NULL);
    json_array_foreach(json_object_get(j, "records"), i, x)
        render_json_null_count(x, "participants", "participants_unknown", NULL);
}

static int render_json(FILE *f, const Huizong__SummaryResult *r)
{
    json_t *j = pbjson_from_message(&r->base);
    if (j)
        render_json_unknowns(j);
    int rc = j ? json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : -1;

    json_decref(j);
    if (rc == 0)
        fputc('\n', f);
    return rc == 0 && !ferror(f) ? 0 : -1;
}

int render_summary(FILE *f, const Huizong__SummaryResult *r, unsigned asked, render_format fmt)
{
    switch (fmt) {
    case RENDER_CSV:
        return render_csv(f, r, asked);
    case RENDER_JSON:
        return render_json(f, r);
    case RENDER_TABLE:
        break;
    }
    return render_table(f, r, asked);
}
