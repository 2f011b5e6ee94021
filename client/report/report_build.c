/* SummaryResult -> the report's JSON data. Every number is a sum of records
 * the server sent; nothing is estimated. */
#include <stdlib.h>
#include <string.h>

#include "import/taxonomy.h"
#include "render/render.h"
#include "report/report.h"

#define REPORT_HIGHLIGHTS 3

const char *report_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

long long report_int(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* Counts nobody reported are apart: "未报" when none of o's activities had
 * one, else the known sum as a lower bound with how many had none
 * ("40+（2 次未报）"); never a 0 standing for an unknown. */
void report_count(const json_t *o, const char *key, const char *flag, char *buf, size_t len)
{
    long long unknown = report_int(o, "participants_unknown");
    long long n = report_int(o, "activities");

    if (unknown > 0 && unknown >= (n > 0 ? n : 1))
        snprintf(buf, len, "%s", REPORT_UNREPORTED);
    else if (unknown > 0)
        snprintf(buf, len, "%lld+（%lld 次%s）", report_int(o, key), unknown, REPORT_UNREPORTED);
    else
        snprintf(buf, len, "%lld%s", report_int(o, key),
                 json_is_true(json_object_get(o, flag)) ? "+" : "");
}

static size_t report_find(const char *const *list, const char *code)
{
    size_t i = 0;
    for (; list[i]; i++)
        if (code && strcmp(list[i], code) == 0)
            return i;
    return (size_t)-1;
}

size_t report_section_of(const char *code, int indicator)
{
    size_t n;
    const report_section *s = report_sections(&n);

    for (size_t i = 0; i + 1 < n; i++)
        if (report_find(indicator ? s[i].indicators : s[i].categories, code) != (size_t)-1)
            return i;
    return n - 1;
}

/* The section of a category: the one the district assigned to it (server
 * side, in the taxonomy), else its place in the built-in table, else the
 * same for its nearest ancestor in the server's tree (tax may be NULL),
 * else the catch-all. */
static size_t cat_section(const json_t *tax, const char *code)
{
    size_t n, sec;

    report_sections(&n);
    for (int depth = 0; code && depth < 32; depth++) {
        if ((sec = report_section_by_key(taxonomy_section(tax, code))) != (size_t)-1)
            return sec;
        if ((sec = report_section_of(code, 0)) != n - 1)
            return sec;
        code = taxonomy_parent(tax, code);
    }
    return n - 1;
}

/* Adds n (and the lower-bound flag) to o[key]. */
static void add_int(json_t *o, const char *key, long long n)
{
    json_object_set_new(o, key, json_integer(report_int(o, key) + n));
}

/* `unknown`: how many of the activities had no count. */
static void add_count(json_t *o, uint64_t activities, uint64_t participants, int at_least,
                      uint64_t unknown)
{
    add_int(o, "activities", (long long)activities);
    add_int(o, "participants", (long long)participants);
    add_int(o, "participants_unknown", (long long)unknown);
    if (at_least || unknown)
        json_object_set_new(o, "participants_at_least", json_true());
}

static json_t *new_count(void)
{
    return json_pack("{s:I, s:I, s:I, s:b}", "activities", (json_int_t)0, "participants",
                     (json_int_t)0, "participants_unknown", (json_int_t)0,
                     "participants_at_least", 0);
}

/* The element of array arr whose `key` is code, made by `make` when absent. */
static json_t *find_or_add(json_t *arr, const char *key, const char *code, json_t *(*make)(void))
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v) if (strcmp(report_str(v, key), code) == 0) return v;
    v = make();
    json_object_set_new(v, key, json_string(code));
    json_array_append_new(arr, v);
    return v;
}

static json_t *new_row(void)
{
    json_t *o = new_count();
    json_object_set_new(o, "indicators", json_object());
    return o;
}

static json_t *new_indicator(void)
{
    return json_pack("{s:f, s:I}", "value", 0.0, "communities", (json_int_t)0);
}

static json_t *report_skeleton(const Huizong__SummaryResult *r)
{
    size_t n;
    const report_section *s = report_sections(&n);
    json_t *secs = json_array();
    char title[512];

    for (size_t i = 0; i < n; i++) {
        json_t *o = new_count();
        json_object_set_new(o, "key", json_string(s[i].key));
        json_object_set_new(o, "title", json_string(s[i].title));
        json_object_set_new(o, "by_community", json_array());
        json_object_set_new(o, "indicators", json_array());
        json_object_set_new(o, "highlights", json_array());
        json_object_set_new(o, "honors", json_array());
        json_array_append_new(secs, o);
    }
    snprintf(title, sizeof title, "%s%d年工作总结（汇总）",
             r->unit_name && *r->unit_name ? r->unit_name : r->unit_code, (int)r->year);
    json_t *rep = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
                            "title", title, "unit_code", r->unit_code, "unit_name", r->unit_name,
                            "year", (int)r->year, "from", r->from ? r->from : "", "to",
                            r->to ? r->to : "", "totals", new_count(), "communities",
                            json_array(), "sections", secs, "months", json_array(),
                            "categories", json_array(), "honors", json_array());
    return rep;
}

static void report_community(json_t *rep, const char *code, const char *name)
{
    json_t *c = find_or_add(json_object_get(rep, "communities"), "community", code, new_count);

    json_object_set_new(c, "community_name", json_string(name ? name : code));
    if (!json_object_get(c, "honors"))
        json_object_set_new(c, "honors", json_integer(0));
}

static void report_groups(json_t *rep, const Huizong__SummaryResult *r, const json_t *tax)
{
    json_t *secs = json_object_get(rep, "sections");

    for (size_t i = 0; i < r->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = r->activity_groups[i];
        json_t *sec = json_array_get(secs, cat_section(tax, g->category));

        if (!g->community || !*g->community)
            continue;
        report_community(rep, g->community, g->community_name);
        add_count(find_or_add(json_object_get(rep, "communities"), "community", g->community,
                              new_count),
                  g->activities, g->participants, g->participants_at_least,
                  g->participants_unknown);
        add_count(sec, g->activities, g->participants, g->participants_at_least,
                  g->participants_unknown);
        json_t *row = find_or_add(json_object_get(sec, "by_community"), "community",
                                  g->community, new_row);
        json_object_set_new(row, "community_name", json_string(g->community_name));
        add_count(row, g->activities, g->participants, g->participants_at_least,
                  g->participants_unknown);
        json_t *cat = find_or_add(json_object_get(rep, "categories"), "category", g->category,
                                  new_count);
        json_object_set_new(cat, "category_name", json_string(g->category_name));
        add_count(cat, g->activities, g->participants, g->participants_at_least,
                  g->participants_unknown);
    }
    add_count(json_object_get(rep, "totals"), r->total_activities, r->total_participants,
              r->total_participants_at_least, r->total_participants_unknown);
}

/* Across communities: counts and stocks (sum, last) add up, max takes the
 * largest, avg the mean of the communities' values (as hz_summary). */
static void report_indicator_total(json_t *t, const Huizong__IndicatorTotal *it)
{
    double v = json_real_value(json_object_get(t, "value"));
    long long n = report_int(t, "communities");

    if (strcmp(it->aggregation, "max") == 0)
        v = n == 0 || it->value > v ? it->value : v;
    else if (strcmp(it->aggregation, "avg") == 0)
        v = (v * (double)n + it->value) / (double)(n + 1);
    else
        v += it->value;
    json_object_set_new(t, "value", json_real(v));
    json_object_set_new(t, "communities", json_integer(n + 1));
    json_object_set_new(t, "indicator_name", json_string(it->indicator_name));
    json_object_set_new(t, "unit", json_string(it->unit));
    json_object_set_new(t, "aggregation", json_string(it->aggregation));
}

static void report_indicators(json_t *rep, const Huizong__SummaryResult *r)
{
    json_t *secs = json_object_get(rep, "sections");

    for (size_t i = 0; i < r->n_indicator_totals; i++) {
        const Huizong__IndicatorTotal *it = r->indicator_totals[i];
        json_t *sec = json_array_get(secs, report_section_of(it->indicator, 1));

        if (!it->community || !*it->community)
            continue;
        report_community(rep, it->community, it->community_name);
        json_t *row = find_or_add(json_object_get(sec, "by_community"), "community",
                                  it->community, new_row);
        json_object_set_new(row, "community_name", json_string(it->community_name));
        json_object_set_new(json_object_get(row, "indicators"), it->indicator,
                            json_real(it->value));
        report_indicator_total(find_or_add(json_object_get(sec, "indicators"), "indicator",
                                           it->indicator, new_indicator),
                               it);
    }
}

static json_t *honor_json(const Huizong__HonorItem *h)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "date", h->date, "community",
                     h->community, "community_name", h->community_name, "title", h->title,
                     "level", h->level, "issuer", h->issuer, "recipient", h->recipient,
                     "category", h->category ? h->category : "");
}

static void report_honors(json_t *rep, const Huizong__SummaryResult *r, const json_t *tax)
{
    json_t *secs = json_object_get(rep, "sections");

    for (size_t i = 0; i < r->n_honors; i++) {
        const Huizong__HonorItem *h = r->honors[i];

        json_array_append_new(json_object_get(rep, "honors"), honor_json(h));
        if (h->category && *h->category)
            json_array_append_new(
                json_object_get(json_array_get(secs, cat_section(tax, h->category)), "honors"),
                honor_json(h));
        report_community(rep, h->community, h->community_name);
        add_int(find_or_add(json_object_get(rep, "communities"), "community", h->community,
                            new_count),
                "honors", 1);
    }
}

static json_t *event_json(const Huizong__ActivityItem *a)
{
    json_t *partners = json_array();

    for (size_t i = 0; i < a->n_partners; i++)
        json_array_append_new(partners, json_string(a->partners[i]));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:I, s:o}", "date", a->date,
                     "community", a->community, "community_name", a->community_name,
                     "category_name", a->category_name, "title", a->title, "location",
                     a->location, "participants", (json_int_t)a->participants,
                     "participants_at_least", a->participants_at_least, "activities",
                     (json_int_t)1, "participants_unknown",
                     (json_int_t)(a->participants_unknown ? 1 : 0), "partners", partners);
}

/* Largest events by participants, each section's top few; ties: earlier. */
static void report_highlights(json_t *rep, const Huizong__SummaryResult *r,
                              const json_t *tax)
{
    json_t *secs = json_object_get(rep, "sections");

    for (size_t i = 0; i < r->n_activities; i++) {
        const Huizong__ActivityItem *a = r->activities[i];
        json_t *hl = json_object_get(json_array_get(secs, cat_section(tax, a->category)),
                                     "highlights");
        size_t at = json_array_size(hl);

        if (a->participants == 0)
            continue;
        while (at > 0 &&
               (uint64_t)report_int(json_array_get(hl, at - 1), "participants") < a->participants)
            at--;
        if (at >= REPORT_HIGHLIGHTS)
            continue;
        json_array_insert_new(hl, at, event_json(a));
        if (json_array_size(hl) > REPORT_HIGHLIGHTS)
            json_array_remove(hl, REPORT_HIGHLIGHTS);
    }
}

static int month_next(int *y, int *m)
{
    if (++*m > 12) {
        *m = 1;
        ++*y;
    }
    return 0;
}

/* Every month of the span, zeros included, so a chart has no gaps. Counts
 * come from the by-month summary when given, else from the activity list. */
static void report_months(json_t *rep, const Huizong__SummaryResult *r,
                          const Huizong__SummaryResult *by_month)
{
    int y = (int)r->year, m = 1, ty = (int)r->year, tm = 12;
    json_t *months = json_object_get(rep, "months");
    char key[16];

    if (r->from && strlen(r->from) == 7 && r->to && strlen(r->to) == 7) {
        y = atoi(r->from), m = atoi(r->from + 5);
        ty = atoi(r->to), tm = atoi(r->to + 5);
    }
    for (int guard = 0; (y < ty || (y == ty && m <= tm)) && guard < 1200; guard++) {
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        json_t *o = new_count();
        json_object_set_new(o, "month", json_string(key));
        json_array_append_new(months, o);
        month_next(&y, &m);
    }
    for (size_t i = 0; by_month && i < by_month->n_activity_groups; i++) {
        const Huizong__ActivityGroup *g = by_month->activity_groups[i];
        size_t k;
        json_t *o;

        json_array_foreach(months, k, o) if (g->month && strcmp(report_str(o, "month"), g->month) == 0)
        {
            add_count(o, g->activities, g->participants, g->participants_at_least,
                  g->participants_unknown);
            break;
        }
    }
    for (size_t i = 0; !by_month && i < r->n_activities; i++) {
        const Huizong__ActivityItem *a = r->activities[i];
        size_t k;
        json_t *o;

        json_array_foreach(months, k, o) if (strncmp(report_str(o, "month"), a->date, 7) == 0)
        {
            add_count(o, 1, a->participants, a->participants_at_least,
                      a->participants_unknown ? 1 : 0);
            break;
        }
    }
}

json_t *report_build(const Huizong__SummaryResult *r, const Huizong__SummaryResult *by_month)
{
    return report_build_tree(r, by_month, NULL);
}

json_t *report_build_tree(const Huizong__SummaryResult *r, const Huizong__SummaryResult *by_month,
                          const json_t *tax)
{
    json_t *rep = report_skeleton(r);

    if (!rep)
        return NULL;
    report_groups(rep, r, tax);
    report_indicators(rep, r);
    report_honors(rep, r, tax);
    report_highlights(rep, r, tax);
    report_months(rep, r, by_month);
    return rep;
}

/* "月", "季度", "年" from a period's form ("2020-06", "2020-Q2", "2020"). */
static const char *period_word(const char *period)
{
    if (strchr(period, 'Q'))
        return "季度";
    return strlen(period) == 4 ? "年" : "月";
}

static json_t *new_quota_indicator(void)
{
    return json_pack("{s:I, s:I}", "periods", (json_int_t)0, "met", (json_int_t)0);
}

/* Per indicator of a community: periods, met, and the minimum (its range
 * when the quota changed within the span). */
static void quota_indicator(json_t *o, const Huizong__ComplianceRow *row)
{
    json_t *arr = json_object_get(o, "indicators");
    json_t *ind = find_or_add(arr, "indicator", row->indicator, new_quota_indicator);
    json_t *lo = json_object_get(ind, "minimum"), *hi = json_object_get(ind, "minimum_max");

    json_object_set_new(ind, "indicator_name", json_string(row->indicator_name));
    json_object_set_new(ind, "unit", json_string(row->unit ? row->unit : ""));
    json_object_set_new(ind, "per", json_string(period_word(row->period)));
    if (!lo || row->minimum < json_real_value(lo))
        json_object_set_new(ind, "minimum", json_real(row->minimum));
    if (!hi || row->minimum > json_real_value(hi))
        json_object_set_new(ind, "minimum_max", json_real(row->minimum));
    add_int(ind, "periods", 1);
    add_int(ind, "met", row->met ? 1 : 0);
}

void report_add_quotas(json_t *rep, const Huizong__ComplianceResult *c)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < c->n_rows; i++) {
        const Huizong__ComplianceRow *row = c->rows[i];
        json_t *o = find_or_add(arr, "community", row->community, new_count);

        json_object_set_new(o, "community_name", json_string(row->community_name));
        if (!json_object_get(o, "indicators"))
            json_object_set_new(o, "indicators", json_array());
        add_int(o, "periods", 1);
        add_int(o, "met", row->met ? 1 : 0);
        quota_indicator(o, row);
        json_object_del(o, "activities");
        json_object_del(o, "participants");
        json_object_del(o, "participants_at_least");
        json_object_del(o, "participants_unknown");
    }
    json_object_set_new(rep, "quotas", arr);
}

void report_quota_text(const json_t *ind, char *buf, size_t len)
{
    char lo[48], hi[48];
    double a = json_real_value(json_object_get(ind, "minimum"));
    double b = json_real_value(json_object_get(ind, "minimum_max"));

    render_number(a, lo, sizeof lo);
    render_number(b, hi, sizeof hi);
    snprintf(buf, len, "%s ≥%s%s%s/%s：%lld/%lld 达标", report_str(ind, "indicator_name"), lo,
             a < b ? "~" : "", a < b ? hi : "", report_str(ind, "per"), report_int(ind, "met"),
             report_int(ind, "periods"));
}

size_t report_unreported(const json_t *rep)
{
    size_t i, n = 0;
    json_t *c;

    json_array_foreach(json_object_get(rep, "communities"), i, c) n +=
        json_is_false(json_object_get(c, "reported"));
    return n;
}

int report_section_empty(const json_t *sec)
{
    return report_int(sec, "activities") == 0 &&
           json_array_size(json_object_get(sec, "indicators")) == 0 &&
           json_array_size(json_object_get(sec, "honors")) == 0;
}

static int section_has_data(const json_t *sec)
{
    return report_int(sec, "activities") > 0 ||
           json_array_size(json_object_get(sec, "indicators")) > 0;
}

void report_add_units(json_t *rep, const Huizong__UnitListResult *u)
{
    json_t *comms = json_object_get(rep, "communities"), *c, *sec;
    size_t i, k;

    /* Present so far means a record came in. */
    json_array_foreach(comms, i, c) json_object_set_new(c, "reported", json_true());
    for (i = 0; i < u->n_units; i++) {
        const Huizong__UnitListItem *it = u->units[i];
        if (strcmp(it->level, "community") != 0 || (it->retired_at && *it->retired_at))
            continue;
        report_community(rep, it->code, it->name);
        c = find_or_add(comms, "community", it->code, new_count);
        if (!json_object_get(c, "reported"))
            json_object_set_new(c, "reported", json_false());
    }
    /* Every section with data lists every community, zeros included. */
    json_array_foreach(json_object_get(rep, "sections"), k, sec)
    {
        if (!section_has_data(sec))
            continue;
        json_array_foreach(comms, i, c)
        {
            json_t *row = find_or_add(json_object_get(sec, "by_community"), "community",
                                      report_str(c, "community"), new_row);
            json_object_set_new(row, "community_name",
                                json_string(report_str(c, "community_name")));
        }
    }
}
