/* Sheet rows into records. */
#include "import/import_map.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import_value.h"
#include "import/import_xlsx.h"
#include "i18n.h"
#include "kind.h"
#include "render/render.h"
#include "validate.h"
#include "i18n.h"

typedef enum { V_TEXT, V_DATE, V_PDATE, V_CATEGORY, V_PARTS, V_BOOL, V_LIST, V_PERIOD,
               V_NUMBER, V_INDICATOR, V_LEVEL } vtype;

typedef struct {
    const char *field;   /* proto field name, also accepted as a header */
    vtype type;
    bool required;
    bool in_template;
    const char *aliases[6]; /* Chinese headers; the first is the template's */
    /* Set to true when the cell is blank: a count not reported is not 0. */
    const char *unknown_flag;
} import_col;

#define IMPORT_MAX_FIELDS 13

/* record_id comes first in each table but is written last (import_order),
 * so the template and a sheet from `huizong list --format csv` keep the
 * other columns where they were. */
static const import_col import_activity[] = {
    {"record_id", V_TEXT, false, true, {"记录编号"}, NULL},
    {"unit_code", V_TEXT, false, false, {"单位代码", "单位", "社区代码"}, NULL},
    {"date", V_DATE, true, true, {"日期", "活动日期", "时间", "活动时间"}, NULL},
    {"category", V_CATEGORY, true, true, {"类别", "活动类别", "分类", "类型"}, NULL},
    {"title", V_TEXT, true, true, {"标题", "活动名称", "活动主题", "名称", "主题"}, NULL},
    {"location", V_TEXT, false, true, {"地点", "活动地点"}, NULL},
    {"participants", V_PARTS, false, true, {"参与人数", "人数", "参加人数", "参与人次"},
     "participants_unknown"},
    {"participants_at_least", V_BOOL, false, false, {"人数为下限"}, NULL},
    {"partners", V_LIST, false, true, {"共建单位", "合作单位", "协办单位"}, NULL},
    {"organiser", V_TEXT, false, true, {"组织者", "组织单位", "负责人", "organizer"}, NULL},
    {"summary", V_TEXT, false, true, {"简介", "内容", "活动内容", "摘要", "活动简介"}, NULL},
    {"tags", V_LIST, false, false, {"标签"}, NULL},
    {"beneficiaries", V_LIST, false, false, {"受益人", "服务对象"}, NULL},
    {NULL, V_TEXT, false, false, {NULL}, NULL},
};

static const import_col import_indicator[] = {
    {"record_id", V_TEXT, false, true, {"记录编号"}, NULL},
    {"unit_code", V_TEXT, false, false, {"单位代码", "单位", "社区代码"}, NULL},
    {"indicator", V_INDICATOR, true, true, {"指标", "指标名称", "项目"}, NULL},
    {"period", V_PERIOD, true, true, {"期间", "周期", "月份", "时期"}, NULL},
    {"value", V_NUMBER, true, true, {"数值", "数量", "值", "数目"}, NULL},
    {"note", V_TEXT, false, true, {"备注", "说明", "来源"}, NULL},
    {NULL, V_TEXT, false, false, {NULL}, NULL},
};

static const import_col import_honor[] = {
    {"record_id", V_TEXT, false, true, {"记录编号"}, NULL},
    {"unit_code", V_TEXT, false, false, {"单位代码", "单位", "社区代码"}, NULL},
    {"date", V_PDATE, true, true, {"日期", "获奖日期", "时间"}, NULL},
    {"title", V_TEXT, true, true, {"荣誉", "荣誉名称", "奖项", "称号"}, NULL},
    {"level", V_LEVEL, false, true, {"级别", "荣誉级别"}, NULL},
    {"issuer", V_TEXT, false, true, {"颁发单位", "授予单位", "颁奖单位"}, NULL},
    {"recipient", V_TEXT, false, true, {"获奖者", "获奖集体", "获奖对象", "获奖团队"}, NULL},
    {"category", V_CATEGORY, false, true, {"类别", "分类"}, NULL},
    {NULL, V_TEXT, false, false, {NULL}, NULL},
};

static const import_col *import_cols(import_kind k)
{
    return k == IMPORT_ACTIVITY ? import_activity
           : k == IMPORT_INDICATOR ? import_indicator : import_honor;
}

int import_kind_parse(const char *s, import_kind *k)
{
    if (strcmp(s, "activity") == 0 || strcmp(s, "activities") == 0)
        *k = IMPORT_ACTIVITY;
    else if (strcmp(s, "indicator") == 0 || strcmp(s, "indicator_value") == 0)
        *k = IMPORT_INDICATOR;
    else if (strcmp(s, "honor") == 0 || strcmp(s, "honour") == 0)
        *k = IMPORT_HONOR;
    else
        return -1;
    return 0;
}

/* A sheet's kind is a record kind of the one table (proto/kind.h). */
static kind_id import_kind_id(import_kind k)
{
    return k == IMPORT_ACTIVITY ? KIND_ACTIVITY : k == IMPORT_INDICATOR ? KIND_INDICATOR_VALUE : KIND_HONOR;
}

const char *import_kind_json_array(import_kind k)
{
    return kind_get(import_kind_id(k))->array;
}

const char *import_kind_record(import_kind k)
{
    return kind_get(import_kind_id(k))->name;
}

void import_error_add(import_sheet *s, unsigned line, size_t col, const char *fmt, ...)
{
    va_list ap;
    char buf[1024];
    import_error *more = realloc(s->errors, (s->n_errors + 1) * sizeof *more);

    if (more == NULL)
        return;
    s->errors = more;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->errors[s->n_errors].line = line;
    s->errors[s->n_errors].col = col;
    if ((s->errors[s->n_errors].text = strdup(buf)) != NULL)
        s->n_errors++;
}

/* A cell as quoted in messages: bounded, control bytes shown as '?'. */
static const char *import_quote(char out[96], const char *v)
{
    size_t o = 0, i = 0, len = strlen(v);

    out[o++] = '"';
    while (i < len && o < 80) {
        unsigned char c = (unsigned char)v[i++];
        out[o++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
    }
    /* Do not cut a UTF-8 sequence in half. */
    while (i < len && o > 1 && ((unsigned char)v[i] & 0xC0) == 0x80) {
        o--;
        i--;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

static int import_header_match(const import_col *c, const char *h);

/* "参与人数（人）" or "value (篇)": a unit in brackets after the name. */
static void import_strip_unit(char *h)
{
    char *p = strstr(h, "\xEF\xBC\x88"); /* （ */

    if (p == NULL)
        p = strchr(h, '(');
    if (p && p > h) {
        *p = '\0';
        (void)iv_trim(h); /* the space before the bracket; h has no leading ones */
    }
}

static int import_find_field(const import_col *cols, const char *name)
{
    char bare[256];

    for (int i = 0; cols[i].field; i++)
        if (import_header_match(&cols[i], name))
            return i;
    snprintf(bare, sizeof bare, "%s", name);
    import_strip_unit(bare);
    for (int i = 0; cols[i].field && strcmp(bare, name) != 0; i++)
        if (import_header_match(&cols[i], bare))
            return i;
    return -1;
}

static int import_header_match(const import_col *c, const char *h)
{
    if (strcasecmp(h, c->field) == 0)
        return 1;
    for (size_t a = 0; a < 6 && c->aliases[a]; a++)
        if (strcasecmp(h, c->aliases[a]) == 0)
            return 1;
    return 0;
}

static void import_known_headers(const import_col *cols, char *out, size_t len)
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; cols[i].field && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s/%s", i ? ", " : "", cols[i].aliases[0],
                              cols[i].field);
}

static int import_header(import_sheet *s, const csv_row *h)
{
    const import_col *cols = import_cols(s->kind);
    int seen[IMPORT_MAX_FIELDS] = {0}, bad = 0;
    char q[96], known[1024];

    s->ncols = h->n;
    s->field_of = calloc(h->n, sizeof *s->field_of);
    s->headers = calloc(h->n, sizeof *s->headers);
    if (s->field_of == NULL || s->headers == NULL)
        return -1;
    import_known_headers(cols, known, sizeof known);
    for (size_t c = 0; c < h->n; c++) {
        char *name = iv_trim(h->fields[c]);
        int f = import_find_field(cols, name);

        s->headers[c] = strdup(name);
        s->field_of[c] = f;
        if (f < 0 && *name) {
            import_error_add(s, h->line, c + 1, _("unknown column %s (want %s)"),
                             import_quote(q, name), known);
            bad = 1;
        } else if (f >= 0 && seen[f]++) {
            import_error_add(s, h->line, c + 1, _("column %s repeats the %s column"),
                             import_quote(q, name), cols[f].field);
            bad = 1;
        }
    }
    for (int i = 0; cols[i].field; i++)
        if (cols[i].required && !seen[i]) {
            import_error_add(s, h->line, 0, _("no %s (%s) column; the header row must name it"),
                             cols[i].aliases[0], cols[i].field);
            bad = 1;
        }
    return bad ? -1 : 0;
}

/* Parses one cell into rec; returns 0 or -1 after adding the error. */
static int import_cell(import_sheet *s, unsigned line, size_t col, const import_col *c,
                       const char *v, json_t *rec)
{
    char buf[16], q[96], **items;
    const char *code;
    int64_t n;
    bool b;
    double d;
    int k;

    switch (c->type) {
    case V_TEXT:
        return json_object_set_new(rec, c->field, json_string(v));
    case V_DATE:
    case V_PDATE:
        if (iv_date(v, c->type == V_PDATE, buf) == 0)
            return json_object_set_new(rec, c->field, json_string(buf));
        import_error_add(s, line, col, _("invalid date %s (want a real day as 2020-04-14, "
                         "2020/4/14, 2020.4.14 or 2020年4月14日%s)"), import_quote(q, v),
                         c->type == V_PDATE ? _(", or a month or year: 2020年6月, 2020") : "");
        return -1;
    case V_CATEGORY:
        if (iv_category(v, &code) == 0)
            return json_object_set_new(rec, c->field, json_string(code));
        s->n_unknown_names++;
        import_error_add(s, line, col, _("unknown category %s (want %s)"), import_quote(q, v),
                         iv_category_names());
        return -1;
    case V_PARTS:
        if (iv_unreported(v))
            return json_object_set_new(rec, c->unknown_flag, json_true());
        if (iv_participants(v, &n, &b) == 0) {
            if (b)
                json_object_set_new(rec, "participants_at_least", json_true());
            return json_object_set_new(rec, c->field, json_integer(n));
        }
        import_error_add(s, line, col, _("invalid number of participants %s (want a whole "
                         "number: 40, 40人, or 40余人 / 40+ for \"at least 40\")"),
                         import_quote(q, v));
        return -1;
    case V_BOOL:
        if (iv_bool(v, &b) == 0)
            return b ? json_object_set_new(rec, c->field, json_true()) : 0;
        import_error_add(s, line, col, _("want 是/否 or true/false, found %s"), import_quote(q, v));
        return -1;
    case V_LIST:
        if ((k = iv_list(v, &items)) < 0)
            return -1;
        json_t *arr = json_array();
        for (int i = 0; i < k; i++) {
            json_array_append_new(arr, json_string(items[i]));
            free(items[i]);
        }
        free(items);
        return json_object_set_new(rec, c->field, arr);
    case V_PERIOD:
        if (iv_period(v, buf) == 0)
            return json_object_set_new(rec, c->field, json_string(buf));
        import_error_add(s, line, col, _("invalid period %s (want a month 2020-06 or 2020年6月, "
                         "a quarter 2020-Q2 or 2020年第二季度, or a year 2020)"), import_quote(q, v));
        return -1;
    case V_NUMBER:
        if (iv_number(v, &d) == 0)
            return json_object_set_new(rec, c->field, json_real(d));
        import_error_add(s, line, col, _("invalid number %s (want e.g. 82, 82.5 or 1,234)"),
                         import_quote(q, v));
        return -1;
    case V_INDICATOR:
        if (iv_indicator(v, &code) == 0)
            return json_object_set_new(rec, c->field, json_string(code));
        s->n_unknown_names++;
        import_error_add(s, line, col, _("unknown indicator %s (want %s)"), import_quote(q, v),
                         iv_indicator_names());
        return -1;
    case V_LEVEL:
        if (iv_level(v, &code) == 0)
            return json_object_set_new(rec, c->field, json_string(code));
        import_error_add(s, line, col, _("unknown level %s (want 街道, 区, 市, 省, 国家 or street, "
                         "district, city, province, national)"), import_quote(q, v));
        return -1;
    }
    return -1;
}

/* One data row; appends its record unless a cell was wrong. */
static int import_row(import_sheet *s, const csv_row *r)
{
    const import_col *cols = import_cols(s->kind);
    int set[IMPORT_MAX_FIELDS] = {0}, bad = 0;
    json_t *rec = json_object();
    char q[96];

    if (rec == NULL)
        return -1;
    for (size_t c = 0; c < r->n; c++) {
        char *v = iv_trim(r->fields[c]);
        int f = c < s->ncols ? s->field_of[c] : -1;

        if (*v == '\0')
            continue;
        if (c >= s->ncols || f < 0) {
            import_error_add(s, r->line, c + 1, _("value %s in a column without a header"),
                             import_quote(q, v));
            bad = 1;
        } else if (import_cell(s, r->line, c + 1, &cols[f], v, rec) < 0) {
            bad = 1;
        } else {
            set[f] = 1;
        }
    }
    for (size_t c = 0; c < s->ncols; c++) {
        int f = s->field_of[c];
        /* A cell that failed to parse was reported already. */
        bool empty = c >= r->n || *iv_trim(r->fields[c]) == '\0';
        if (f >= 0 && cols[f].required && !set[f] && empty)
            import_error_add(s, r->line, c + 1, _("empty; %s is required"), cols[f].field);
        bad |= f >= 0 && cols[f].required && !set[f];
    }
    for (int f = 0; cols[f].field; f++)
        if (cols[f].unknown_flag && !set[f] && !json_object_get(rec, cols[f].unknown_flag))
            json_object_set_new(rec, cols[f].unknown_flag, json_true());
    if (bad) {
        json_decref(rec);
        return 0;
    }
    if (s->n == s->lines_cap) {
        size_t cap = s->lines_cap ? s->lines_cap * 2 : 64;
        uint32_t *more = realloc(s->lines, cap * sizeof *more);
        if (more == NULL) {
            json_decref(rec);
            return -1;
        }
        s->lines = more;
        s->lines_cap = cap;
    }
    if (json_array_append_new(s->records, rec) < 0)
        return -1;
    s->lines[s->n++] = r->line;
    return 0;
}

int import_map(import_sheet *s, const csv_table *t, import_kind kind, const char *name,
               import_tick_fn tick, void *ctx)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = name;
    if ((s->records = json_array()) == NULL)
        return -1;
    if (t->n == 0) {
        import_error_add(s, 1, 0, _("empty file: want a header row, then one row per record"));
        return -1;
    }
    if (import_header(s, &t->rows[0]) < 0)
        return -1;
    for (size_t i = 1; i < t->n; i++) {
        if (import_row(s, &t->rows[i]) < 0) {
            import_error_add(s, t->rows[i].line, 0, _("out of memory"));
            return -1;
        }
        if (tick && (i % 256 == 0 || i + 1 == t->n))
            tick(ctx, i);
    }
    return 0;
}

void import_sheet_free(import_sheet *s)
{
    for (size_t i = 0; i < s->ncols; i++)
        free(s->headers ? s->headers[i] : NULL);
    free(s->headers);
    free(s->field_of);
    for (size_t i = 0; i < s->n_errors; i++)
        free(s->errors[i].text);
    free(s->errors);
    free(s->lines);
    free(s->sheet);
    json_decref(s->records);
    memset(s, 0, sizeof *s);
}

size_t import_column_of(const import_sheet *s, const char *field, const char **header)
{
    const import_col *cols = import_cols(s->kind);

    for (size_t c = 0; c < s->ncols; c++)
        if (s->field_of[c] >= 0 && strcmp(cols[s->field_of[c]].field, field) == 0) {
            *header = s->headers[c];
            return c + 1;
        }
    *header = NULL;
    return 0;
}

static int import_error_cmp(const void *a, const void *b)
{
    const import_error *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Where an error is: "line 5, column 4" in a CSV file, "sheet 活动, row 5,
 * column D" in a workbook, as Excel names its cells. */
static void import_error_where(const import_sheet *s, const import_error *e, char *buf,
                               size_t len)
{
    char col[8];

    if (s->sheet == NULL) {
        if (e->col)
            snprintf(buf, len, _("line %u, column %zu"), e->line, e->col);
        else
            snprintf(buf, len, _("line %u"), e->line);
        return;
    }
    xlsx_column_name(e->col, col);
    if (e->col)
        snprintf(buf, len, _("sheet %s, row %u, column %s"), s->sheet, e->line, col);
    else
        snprintf(buf, len, _("sheet %s, row %u"), s->sheet, e->line);
}

void import_errors_print(import_sheet *s)
{
    char where[400];

    if (s->n_errors > 1)
        qsort(s->errors, s->n_errors, sizeof *s->errors, import_error_cmp);
    for (size_t i = 0; i < s->n_errors; i++) {
        const import_error *e = &s->errors[i];
        const char *h = e->col && e->col <= s->ncols && s->headers ? s->headers[e->col - 1] : NULL;

        import_error_where(s, e, where, sizeof where);
        if (h && *h)
            fprintf(stderr, _("huizong: %s: %s (%s): %s\n"), s->name, where, h, e->text);
        else
            fprintf(stderr, _("huizong: %s: %s: %s\n"), s->name, where, e->text);
    }
}

/* The columns as written, record_id (the first of each table) last; n. */
static size_t import_order(const import_col *cols, bool (*want)(const import_col *),
                           const import_col *out[IMPORT_MAX_FIELDS])
{
    size_t n = 0;

    for (size_t i = 1; cols[i].field; i++)
        if (want(&cols[i]))
            out[n++] = &cols[i];
    out[n++] = &cols[0];
    return n;
}

static bool import_in_template(const import_col *c)
{
    return c->in_template;
}

void import_template(FILE *f, import_kind k, bool english)
{
    const import_col *order[IMPORT_MAX_FIELDS];
    size_t n = import_order(import_cols(k), import_in_template, order);

    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", english ? order[i]->field : order[i]->aliases[0]);
    fputs("\r\n", f);
}

/* One cell of a held record, as import_cell reads it back. */
static void import_write_cell(FILE *f, const import_col *c, const json_t *rec)
{
    const json_t *v = json_object_get(rec, c->field);
    char buf[64];
    size_t i;
    json_t *x;

    switch (c->type) {
    case V_PARTS:
        if (json_is_true(json_object_get(rec, c->unknown_flag)))
            return; /* blank: not reported */
        snprintf(buf, sizeof buf, "%lld%s", (long long)json_integer_value(v),
                 json_is_true(json_object_get(rec, "participants_at_least")) ? "+" : "");
        render_csv_field(f, buf);
        return;
    case V_NUMBER:
        render_number(json_number_value(v), buf, sizeof buf);
        render_csv_field(f, buf);
        return;
    case V_LIST: {
        size_t len = 1;
        json_array_foreach(v, i, x) len += strlen(json_string_value(x) ? json_string_value(x) : "") + 3;
        char *s = calloc(1, len);
        if (s == NULL)
            return;
        json_array_foreach(v, i, x) {
            if (i)
                strcat(s, "、");
            strcat(s, json_string_value(x) ? json_string_value(x) : "");
        }
        render_csv_field(f, s);
        free(s);
        return;
    }
    default:
        render_csv_field(f, json_string_value(v));
    }
}

/* Columns a held record is written in: all but the ones the certificate
 * (unit_code) or another cell (participants_at_least in "40+") gives. */
static bool import_written(const import_col *c)
{
    return strcmp(c->field, "unit_code") != 0 && c->type != V_BOOL;
}

void import_sheet_header(FILE *f, import_kind k)
{
    const import_col *order[IMPORT_MAX_FIELDS];
    size_t n = import_order(import_cols(k), import_written, order);

    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", order[i]->aliases[0]);
    fputs("\r\n", f);
}

void import_sheet_row(FILE *f, import_kind k, const json_t *rec)
{
    const import_col *order[IMPORT_MAX_FIELDS];
    size_t n = import_order(import_cols(k), import_written, order);

    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        import_write_cell(f, order[i], rec);
    }
    fputs("\r\n", f);
}
