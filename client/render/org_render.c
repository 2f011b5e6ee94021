/* The admin lists as tables (trees indented two columns per level) or JSON. */
#include "render/org_render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pbjson.h"
#include "render/table.h"
#include "i18n.h"

/* The code indented by depth; malloc'd, NULL when out of memory. */
static char *org_indent(const char *code, uint32_t depth)
{
    size_t pad = 2 * (size_t)(depth > 40 ? 40 : depth), len = strlen(code);
    char *s = malloc(pad + len + 1);

    if (s) {
        memset(s, ' ', pad);
        memcpy(s + pad, code, len + 1);
    }
    return s;
}

/* "active", or "retired 2026-11-28" (the day of an RFC 3339 time). */
static void org_status(char out[24], const char *retired_at)
{
    if (retired_at[0])
        snprintf(out, 24, _("retired %.10s"), retired_at);
    else
        snprintf(out, 24, "%s", _("active"));
}

static int org_units(FILE *f, const Huizong__UnitListResult *r)
{
    table t;
    int rc;

    table_init(&t);
    table_col(&t, _("code"), false);
    table_col(&t, _("name"), false);
    table_col(&t, _("level"), false);
    table_col(&t, _("status"), false);
    for (size_t i = 0; i < r->n_units; i++) {
        const Huizong__UnitListItem *u = r->units[i];
        char *code = org_indent(u->code, u->depth), status[24];
        org_status(status, u->retired_at);
        const char *cells[] = {code ? code : u->code, u->name, u->level, status};
        table_row(&t, cells);
        free(code);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

static int org_categories(FILE *f, const Huizong__CategoryListResult *r)
{
    table t;
    int rc;

    table_init(&t);
    table_col(&t, _("code"), false);
    table_col(&t, _("name"), false);
    table_col(&t, _("status"), false);
    /* The report section the district assigned, only once one is. */
    for (size_t i = 0; i < r->n_categories; i++)
        if (r->categories[i]->report_section[0]) {
            table_col(&t, _("report section"), false);
            break;
        }
    for (size_t i = 0; i < r->n_categories; i++) {
        const Huizong__CategoryListItem *c = r->categories[i];
        char *code = org_indent(c->code, c->depth), status[24];
        org_status(status, c->retired_at);
        const char *cells[] = {code ? code : c->code, c->name, status, c->report_section};
        table_row(&t, cells);
        free(code);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

static int org_indicators(FILE *f, const Huizong__IndicatorListResult *r)
{
    table t;
    int rc;

    table_init(&t);
    table_col(&t, _("code"), false);
    table_col(&t, _("name"), false);
    table_col(&t, _("unit"), false);
    table_col(&t, _("period"), false);
    table_col(&t, _("aggregation"), false);
    table_col(&t, _("values"), true);
    table_col(&t, _("status"), false);
    for (size_t i = 0; i < r->n_indicators; i++) {
        const Huizong__IndicatorListItem *x = r->indicators[i];
        char n[24], status[24];
        snprintf(n, sizeof n, "%" PRIu64, x->value_count);
        org_status(status, x->retired_at);
        const char *cells[] = {x->code, x->name, x->unit, x->period_type, x->aggregation, n, status};
        table_row(&t, cells);
    }
    rc = table_print(f, &t);
    table_free(&t);
    return rc;
}

int org_render(FILE *f, const ProtobufCMessage *body, bool json)
{
    if (json) {
        json_t *j = pbjson_from_message(body);
        int rc = j ? json_dumpf(j, f, JSON_INDENT(2)) : -1;
        json_decref(j);
        return rc < 0 || fputc('\n', f) == EOF ? -1 : 0;
    }
    if (body->descriptor == &huizong__unit_list_result__descriptor)
        return org_units(f, (const Huizong__UnitListResult *)body);
    if (body->descriptor == &huizong__category_list_result__descriptor)
        return org_categories(f, (const Huizong__CategoryListResult *)body);
    if (body->descriptor == &huizong__indicator_list_result__descriptor)
        return org_indicators(f, (const Huizong__IndicatorListResult *)body);
    return -1;
}
