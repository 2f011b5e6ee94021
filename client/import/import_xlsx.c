/* One sheet of an .xlsx into rows of text: the zip through libzip, each XML
 * part streamed through libxml2's xmlReader straight from the inflater. */
#include "import/import_xlsx.h"
#include "import/xlsx_grid.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "i18n.h"

typedef struct {
    char **v;
    size_t n, cap;
} strvec;

typedef struct {
    zip_t *za;
    strvec sst;
    unsigned char *xf_date;   /* per cell style: its number format shows a date */
    size_t n_xf;
    bool date1904;
    strvec sheet_names, sheet_targets;
    char *err;
    size_t errlen;
} xlsx_book;

typedef struct {
    zip_file_t *zf;
    size_t read;
} xlsx_stream;

static int strvec_push(strvec *s, char *v)
{
    if (v == NULL)
        return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **more = realloc(s->v, cap * sizeof *more);
        if (more == NULL) {
            free(v);
            return -1;
        }
        s->v = more;
        s->cap = cap;
    }
    s->v[s->n++] = v;
    return 0;
}

static void strvec_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Growing text of one cell or string item. */
typedef struct {
    char *b;
    size_t n, cap;
} xbuf;

static int xbuf_add(xbuf *x, const char *s)
{
    size_t l = strlen(s);

    if (x->n + l + 1 > x->cap) {
        size_t cap = x->cap ? x->cap : 64;
        while (cap < x->n + l + 1)
            cap *= 2;
        char *more = realloc(x->b, cap);
        if (more == NULL)
            return -1;
        x->b = more;
        x->cap = cap;
    }
    memcpy(x->b + x->n, s, l + 1);
    x->n += l;
    return 0;
}

static const char *xbuf_str(const xbuf *x)
{
    return x->b ? x->b : "";
}

bool xlsx_is_zip(const char *buf, size_t len)
{
    return len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

void xlsx_column_name(size_t col, char out[8])
{
    char tmp[8];
    size_t n = 0, o = 0;

    while (col > 0 && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    while (n > 0)
        out[o++] = tmp[--n];
    out[o] = '\0';
}

int xlsx_serial_date(double serial, bool date1904, char out[11])
{
    if (!isfinite(serial) || serial < 0 || serial > 2958465.0 + 1462)
        return -1;
    long long s = (long long)floor(serial);
    /* Days since 1970-01-01. The 1900 system counts a 29 February 1900 that
     * never was (serial 60), as Lotus 1-2-3 did; serials before it are one
     * day early. */
    long long z = date1904 ? s - 24107 : s - (s < 61 ? 25568 : 25569);

    time_t t = (time_t)z * 86400;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL)
        return -1;
    long long y = tm.tm_year + 1900LL;
    unsigned m = (unsigned)tm.tm_mon + 1, d = (unsigned)tm.tm_mday;
    if (y < 1900 || y > 9999)
        return -1;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02u", y, m, d);
    memcpy(out, tmp, 11);
    return 0;
}

bool xlsx_format_is_date(unsigned id, const char *code)
{
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return true;
    if (code == NULL)
        return false;
    /* Quoted text, escaped characters and [..] (colour, locale) say nothing
     * about the number; what is left holds y, m, d (or h, s) for a date. */
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        } else if (strchr("yYmMdDhHsS", *p) && strncasecmp(p, "General", 7) != 0) {
            return true;
        } else if (strncasecmp(p, "General", 7) == 0) {
            p += 6;
        }
    }
    return false;
}

static int xlsx_fail(xlsx_book *b, const char *fmt, const char *arg)
{
    snprintf(b->err, b->errlen, fmt, arg);
    return -1;
}

static int xlsx_io_read(void *ctx, char *buf, int len)
{
    xlsx_stream *s = ctx;
    zip_int64_t n = zip_fread(s->zf, buf, (zip_uint64_t)len);

    if (n < 0 || (s->read += (size_t)n) > XLSX_MAX_PART_BYTES)
        return -1;
    return (int)n;
}

static int xlsx_io_close(void *ctx)
{
    xlsx_stream *s = ctx;

    zip_fclose(s->zf);
    free(s);
    return 0;
}

/* A reader over one part of the zip; NULL when the part is absent. */
static xmlTextReaderPtr xlsx_open_part(xlsx_book *b, const char *name)
{
    zip_file_t *zf = zip_fopen(b->za, name, ZIP_FL_NOCASE);
    xlsx_stream *s;

    if (zf == NULL)
        return NULL;
    if ((s = calloc(1, sizeof *s)) == NULL) {
        zip_fclose(zf);
        return NULL;
    }
    s->zf = zf;
    /* No network, no DTD loading, entities left unexpanded: a sheet is data. */
    return xmlReaderForIO(xlsx_io_read, xlsx_io_close, s, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static int xlsx_is(xmlTextReaderPtr r, int type, const char *local)
{
    return xmlTextReaderNodeType(r) == type &&
           strcmp((const char *)xmlTextReaderConstLocalName(r), local) == 0;
}

static char *xlsx_attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* The r:id attribute, whichever namespace prefix the writer chose. */
static char *xlsx_rel_id(xmlTextReaderPtr r)
{
    char *id = NULL;

    while (id == NULL && xmlTextReaderMoveToNextAttribute(r) == 1)
        if (strcmp((const char *)xmlTextReaderConstLocalName(r), "id") == 0 &&
            xmlTextReaderConstNamespaceUri(r) != NULL)
            id = (char *)xmlTextReaderValue(r);
    xmlTextReaderMoveToElement(r);
    return id;
}

/* A relationship target relative to the folder of the part holding it. */
static char *xlsx_resolve(const char *folder, const char *target)
{
    char *out;
    size_t fl = strlen(folder);

    if (target[0] == '/')
        return strdup(target + 1);
    while (strncmp(target, "../", 3) == 0) {
        target += 3;
        while (fl > 0 && folder[fl - 1] == '/')
            fl--;
        while (fl > 0 && folder[fl - 1] != '/')
            fl--;
    }
    if ((out = malloc(fl + strlen(target) + 1)) == NULL)
        return NULL;
    memcpy(out, folder, fl);
    strcpy(out + fl, target);
    return out;
}

/* Target of relationship `id` (or of the first of type ending in `type`). */
static char *xlsx_rel_target(xlsx_book *b, const char *rels, const char *folder, const char *id,
                             const char *type)
{
    xmlTextReaderPtr r = xlsx_open_part(b, rels);
    char *found = NULL;

    while (r && found == NULL && xmlTextReaderRead(r) == 1) {
        if (!xlsx_is(r, XML_READER_TYPE_ELEMENT, "Relationship"))
            continue;
        char *rid = xlsx_attr(r, "Id"), *rtype = xlsx_attr(r, "Type"), *t = xlsx_attr(r, "Target");
        size_t tl = type ? strlen(type) : 0, rl = rtype ? strlen(rtype) : 0;
        if (t && ((id && rid && strcmp(rid, id) == 0) ||
                  (type && rl >= tl && strcmp(rtype + rl - tl, type) == 0)))
            found = xlsx_resolve(folder, t);
        xmlFree(rid);
        xmlFree(rtype);
        xmlFree(t);
    }
    xmlFreeTextReader(r);
    return found;
}

static int xlsx_read_workbook(xlsx_book *b, const char *path)
{
    xmlTextReaderPtr r = xlsx_open_part(b, path);
    char rels[1100], folder[512];
    const char *slash = strrchr(path, '/');
    int rc = 0, ret;

    if (r == NULL)
        return xlsx_fail(b, _("not an Excel workbook (.xlsx): no %s in it"), path);
    snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - path + 1) : 0, path);
    snprintf(rels, sizeof rels, "%s_rels/%s.rels", folder, slash ? slash + 1 : path);
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "workbookPr")) {
            char *v = xlsx_attr(r, "date1904");
            b->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
            xmlFree(v);
        } else if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "sheet")) {
            char *name = xlsx_attr(r, "name"), *id = xlsx_rel_id(r);
            char *target = id ? xlsx_rel_target(b, rels, folder, id, NULL) : NULL;
            if (name && target) {
                rc = strvec_push(&b->sheet_names, strdup(name));
                rc = rc ? rc : strvec_push(&b->sheet_targets, target);
            } else {
                free(target);
            }
            xmlFree(name);
            xmlFree(id);
        }
    }
    xmlFreeTextReader(r);
    if (rc == 0 && ret < 0)
        return xlsx_fail(b, _("damaged workbook part %s"), path);
    if (rc == 0 && b->sheet_names.n == 0)
        return xlsx_fail(b, _("the workbook %s lists no sheet"), path);
    return rc;
}

/* Text of an <si> or <is>: its <t> runs, without phonetic guides (<rPh>). */
static int xlsx_rich_text(xmlTextReaderPtr r, const char *end, xbuf *x)
{
    int in_t = 0, in_rph = 0, ret;

    if (xmlTextReaderIsEmptyElement(r))
        return 0;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);

        if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, end) == 0)
            return 0;
        if (strcmp(name, "rPh") == 0 && !xmlTextReaderIsEmptyElement(r))
            in_rph = type == XML_READER_TYPE_ELEMENT;
        else if (strcmp(name, "t") == 0 && !xmlTextReaderIsEmptyElement(r))
            in_t = type == XML_READER_TYPE_ELEMENT;
        else if (in_t && !in_rph &&
                 (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                  type == XML_READER_TYPE_WHITESPACE ||
                  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                 xbuf_add(x, (const char *)xmlTextReaderConstValue(r)) < 0)
            return -1;
    }
    return -1;
}

static int xlsx_read_strings(xlsx_book *b, const char *path)
{
    xmlTextReaderPtr r = xlsx_open_part(b, path);
    int rc = 0, ret = 0;

    if (r == NULL)
        return 0; /* a workbook without text has no shared strings */
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (!xlsx_is(r, XML_READER_TYPE_ELEMENT, "si"))
            continue;
        xbuf x = {0};
        rc = xlsx_rich_text(r, "si", &x);
        rc = rc ? rc : strvec_push(&b->sst, strdup(xbuf_str(&x)));
        free(x.b);
    }
    xmlFreeTextReader(r);
    return rc || ret < 0 ? xlsx_fail(b, _("damaged shared strings %s"), path) : 0;
}

/* Which cell styles show a date: cellXfs' number formats, built-in or custom. */
static int xlsx_read_styles(xlsx_book *b, const char *path)
{
    xmlTextReaderPtr r = xlsx_open_part(b, path);
    strvec codes = {0}, ids = {0};
    int in_xfs = 0, rc = 0, ret = 0;

    if (r == NULL)
        return 0;
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "numFmt")) {
            rc = strvec_push(&ids, xlsx_attr(r, "numFmtId"));
            rc = rc ? rc : strvec_push(&codes, xlsx_attr(r, "formatCode"));
        } else if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "cellXfs")) {
            in_xfs = !xmlTextReaderIsEmptyElement(r);
        } else if (xlsx_is(r, XML_READER_TYPE_END_ELEMENT, "cellXfs")) {
            in_xfs = 0;
        } else if (in_xfs && xlsx_is(r, XML_READER_TYPE_ELEMENT, "xf")) {
            char *v = xlsx_attr(r, "numFmtId");
            unsigned id = v ? (unsigned)strtoul(v, NULL, 10) : 0;
            const char *code = NULL;
            for (size_t i = 0; i < ids.n && v; i++)
                if (strcmp(ids.v[i], v) == 0)
                    code = codes.v[i];
            unsigned char *more = realloc(b->xf_date, b->n_xf + 1);
            if (more) {
                b->xf_date = more;
                b->xf_date[b->n_xf++] = xlsx_format_is_date(id, code);
            }
            rc = more ? 0 : -1;
            xmlFree(v);
        }
    }
    xmlFreeTextReader(r);
    strvec_free(&codes);
    strvec_free(&ids);
    return rc || ret < 0 ? xlsx_fail(b, _("damaged styles %s"), path) : 0;
}

/* A cell's text by its type (t) and style (s). */
static char *xlsx_cell_text(const xlsx_book *b, const char *t, const char *s, const char *v)
{
    char buf[64];

    if (t && strcmp(t, "s") == 0) {
        unsigned long i = strtoul(v, NULL, 10);
        return strdup(*v && i < b->sst.n ? b->sst.v[i] : "");
    }
    if (t && strcmp(t, "b") == 0)
        return strdup(strcmp(v, "1") == 0 ? "true" : "false");
    if (t && strcmp(t, "d") == 0)
        return strndup(v, 10); /* ISO 8601: the day */
    if (t && strcmp(t, "n") != 0)
        return strdup(v); /* str (a formula's text), inlineStr, e (#N/A) */
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end)
        return strdup(v);
    unsigned long xf = s ? strtoul(s, NULL, 10) : 0;
    if (xf < b->n_xf && b->xf_date[xf] && xlsx_serial_date(d, b->date1904, buf) == 0)
        return strdup(buf);
    snprintf(buf, sizeof buf, "%.15g", d); /* 0.1+0.2 shows as 0.3, as in Excel */
    return strdup(buf);
}

typedef struct {
    unsigned row, col;
    char *t, *s;
    xbuf v;
} xlsx_cell;

/* One <c>: its reference, type, style, then <v> or <is>. */
static int xlsx_read_cell(xlsx_book *b, xmlTextReaderPtr r, xlsx_grid *g, xlsx_cell *c)
{
    char *ref = xlsx_attr(r, "r");
    unsigned col = 0, row = 0;
    int in_v = 0, ret, rc = 0;

    if (ref)
        xlsx_cell_ref(ref, &col, &row);
    xmlFree(ref);
    c->col = col ? col : c->col + 1;
    if (row)
        c->row = row;
    c->t = xlsx_attr(r, "t");
    c->s = xlsx_attr(r, "s");
    c->v.n = 0;
    if (c->v.b)
        c->v.b[0] = '\0';
    if (!xmlTextReaderIsEmptyElement(r)) {
        while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1 &&
               !xlsx_is(r, XML_READER_TYPE_END_ELEMENT, "c")) {
            int type = xmlTextReaderNodeType(r);
            if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "is"))
                rc = xlsx_rich_text(r, "is", &c->v);
            else if (strcmp((const char *)xmlTextReaderConstLocalName(r), "v") == 0)
                in_v = type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement(r);
            else if (in_v && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA))
                rc = xbuf_add(&c->v, (const char *)xmlTextReaderConstValue(r));
        }
        rc = rc ? rc : ret == 1 ? 0 : -1;
    }
    if (rc == 0 && c->v.n > 0)
        rc = xlsx_grid_put(g, c->row, c->col, xlsx_cell_text(b, c->t, c->s, xbuf_str(&c->v)));
    xmlFree(c->t);
    xmlFree(c->s);
    return rc;
}

static int xlsx_read_sheet(xlsx_book *b, const char *path, xlsx_grid *g)
{
    xmlTextReaderPtr r = xlsx_open_part(b, path);
    xlsx_cell c = {0};
    int rc = 0, ret = 0;

    if (r == NULL)
        return xlsx_fail(b, _("damaged workbook: the sheet %s is missing"), path);
    while (rc == 0 && (ret = xmlTextReaderRead(r)) == 1) {
        if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "row")) {
            char *v = xlsx_attr(r, "r");
            c.row = v ? (unsigned)strtoul(v, NULL, 10) : c.row + 1;
            c.col = 0;
            xmlFree(v);
        } else if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "c")) {
            rc = xlsx_read_cell(b, r, g, &c);
        } else if (xlsx_is(r, XML_READER_TYPE_ELEMENT, "mergeCell")) {
            char *ref = xlsx_attr(r, "ref");
            rc = xlsx_grid_merge(g, ref);
            xmlFree(ref);
        }
    }
    free(c.v.b);
    xmlFreeTextReader(r);
    return rc || ret < 0 ? xlsx_fail(b, _("damaged sheet %s"), path) : 0;
}

static int xlsx_pick_sheet(xlsx_book *b, const char *want)
{
    char names[512] = "";
    size_t o = 0;

    if (want == NULL)
        return 0;
    for (size_t i = 0; i < b->sheet_names.n; i++)
        if (strcmp(b->sheet_names.v[i], want) == 0)
            return (int)i;
    for (size_t i = 0; i < b->sheet_names.n && o < sizeof names; i++)
        o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", i ? ", " : "",
                              b->sheet_names.v[i]);
    snprintf(b->err, b->errlen, _("no sheet named \"%s\" (the workbook has: %s)"), want, names);
    return -1;
}

static int xlsx_read_book(xlsx_book *b, const char *sheet, csv_table *out, char **sheet_name)
{
    char *wb = xlsx_rel_target(b, "_rels/.rels", "", NULL, "/officeDocument");
    const char *path = wb ? wb : "xl/workbook.xml";
    char folder[512], rels[1100], *sst, *styles;
    const char *slash = strrchr(path, '/');
    int k, rc;

    snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - path + 1) : 0, path);
    snprintf(rels, sizeof rels, "%s_rels/%s.rels", folder, slash ? slash + 1 : path);
    if ((rc = xlsx_read_workbook(b, path)) < 0 || (k = xlsx_pick_sheet(b, sheet)) < 0) {
        free(wb);
        return -1;
    }
    sst = xlsx_rel_target(b, rels, folder, NULL, "/sharedStrings");
    styles = xlsx_rel_target(b, rels, folder, NULL, "/styles");
    free(wb);
    rc = (sst ? xlsx_read_strings(b, sst) : 0) < 0 || (styles ? xlsx_read_styles(b, styles) : 0) < 0
             ? -1 : 0;
    free(sst);
    free(styles);
    xlsx_grid g = {0};
    if (rc == 0 && (rc = xlsx_read_sheet(b, b->sheet_targets.v[k], &g)) == 0 &&
        (rc = xlsx_grid_rows(&g, out)) < 0)
        snprintf(b->err, b->errlen, _("out of memory"));
    xlsx_grid_free(&g);
    if (rc == 0 && (*sheet_name = strdup(b->sheet_names.v[k])) == NULL)
        rc = -1;
    return rc;
}

int xlsx_read(const char *buf, size_t len, const char *sheet, csv_table *out, char **sheet_name,
              char *err, size_t errlen)
{
    xlsx_book b = {.err = err, .errlen = errlen};
    zip_error_t ze;
    zip_source_t *src;
    int rc = -1;

    memset(out, 0, sizeof *out);
    *sheet_name = NULL;
    zip_error_init(&ze);
    if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL ||
        (b.za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
        snprintf(err, errlen, _("not an Excel workbook (.xlsx): %s"), zip_error_strerror(&ze));
        zip_source_free(src);
    } else {
        rc = xlsx_read_book(&b, sheet, out, sheet_name);
        zip_discard(b.za);
    }
    zip_error_fini(&ze);
    strvec_free(&b.sst);
    strvec_free(&b.sheet_names);
    strvec_free(&b.sheet_targets);
    free(b.xf_date);
    return rc;
}
