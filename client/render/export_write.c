/* The four export formats, page by page. */
#include "render/export.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pbjson.h"
#include "render/render.h"

int export_writer_init(export_writer *w, const char *format, FILE *f)
{
    static const char *const names[] = {"json", "dhis2", "adx"};

    memset(w, 0, sizeof(*w));
    w->f = f;
    for (int i = 0; i < 3; i++)
        if (strcmp(format, names[i]) == 0) {
            w->fmt = (export_format)i;
            w->indicators_only = i >= EXPORT_DHIS2;
            return 0;
        }
    return -1;
}

int export_period_dhis2(const char *p, char *buf, size_t len)
{
    size_t n = strlen(p);

    if (n == 4)
        snprintf(buf, len, "%s", p);
    else if (n == 7 && p[5] == 'Q')
        snprintf(buf, len, "%.4sQ%c", p, p[6]);
    else if (n == 7)
        snprintf(buf, len, "%.4s%.2s", p, p + 5);
    else
        return -1;
    return 0;
}

int export_period_adx(const char *p, char *buf, size_t len)
{
    size_t n = strlen(p);

    if (n == 4)
        snprintf(buf, len, "%s-01-01/P1Y", p);
    else if (n == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
        snprintf(buf, len, "%.4s-%02d-01/P3M", p, (p[6] - '1') * 3 + 1);
    else if (n == 7 && p[5] >= '0' && p[5] <= '1')
        snprintf(buf, len, "%.4s-%.2s-01/P1M", p, p + 5);
    else
        return -1;
    return 0;
}

static int json_record(export_writer *w, const Huizong__ExportRecord *r)
{
    json_t *j = pbjson_from_message(&r->base);
    int rc;

    if (!j)
        return -1;
    if (r->participants_unknown)
        json_object_set_new(j, "participants", json_null());
    fputs(w->n ? ",\n" : "\n", w->f);
    rc = json_dumpf(j, w->f, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(j);
    return rc;
}

static int dhis2_record(export_writer *w, const Huizong__ExportRecord *r)
{
    char period[16], val[48];
    json_t *j;
    int rc;

    if (export_period_dhis2(r->period, period, sizeof period) < 0)
        return 0;
    render_number(r->value, val, sizeof val);
    j = json_pack("{s:s, s:s, s:s, s:s}", "dataElement", r->indicator, "period", period,
                  "orgUnit", r->community, "value", val);
    if (!j)
        return -1;
    fputs(w->n ? ",\n" : "\n", w->f);
    rc = json_dumpf(j, w->f, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return rc;
}

static void xml_attr(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Values of one orgUnit and period arrive together (the server orders them
 * by period start, then unit), so one group stays open until the key changes. */
static int adx_record(export_writer *w, const Huizong__ExportRecord *r)
{
    char period[32], val[48], key[160];

    if (export_period_adx(r->period, period, sizeof period) < 0)
        return 0;
    snprintf(key, sizeof key, "%s|%s", r->community, period);
    if (strcmp(key, w->group) != 0) {
        if (w->group[0])
            fputs("  </group>\n", w->f);
        fputs("  <group orgUnit=\"", w->f);
        xml_attr(w->f, r->community);
        fprintf(w->f, "\" period=\"%s\">\n", period);
        snprintf(w->group, sizeof w->group, "%s", key);
    }
    render_number(r->value, val, sizeof val);
    fputs("    <dataValue dataElement=\"", w->f);
    xml_attr(w->f, r->indicator);
    fprintf(w->f, "\" value=\"%s\"/>\n", val);
    return 0;
}

void export_write_begin(export_writer *w)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;

    switch (w->fmt) {
    case EXPORT_JSON:
        fputs("{\"records\": [", w->f);
        break;
    case EXPORT_DHIS2:
        fputs("{\"dataValues\": [", w->f);
        break;
    case EXPORT_ADX:
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(w->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"%s\">\n", stamp);
        break;
    }
}

int export_write_page(export_writer *w, const Huizong__ExportChunk *c)
{
    for (size_t i = 0; i < c->n_records; i++) {
        const Huizong__ExportRecord *r = c->records[i];
        int rc;

        if (w->indicators_only && strcmp(r->kind, "indicator_value") != 0)
            continue;
        switch (w->fmt) {
        case EXPORT_JSON: rc = json_record(w, r); break;
        case EXPORT_DHIS2: rc = dhis2_record(w, r); break;
        default: rc = adx_record(w, r); break;
        }
        if (rc < 0)
            return -1;
        w->n++;
    }
    return ferror(w->f) ? -1 : 0;
}

void export_write_end(export_writer *w)
{
    switch (w->fmt) {
    case EXPORT_JSON:
    case EXPORT_DHIS2:
        fputs("\n]}\n", w->f);
        break;
    case EXPORT_ADX:
        if (w->group[0])
            fputs("  </group>\n", w->f);
        fputs("</adx>\n", w->f);
        break;
    }
}
