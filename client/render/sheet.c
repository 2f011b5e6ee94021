/* People's tables as CSV files or as the sheets of a workbook. */
#include "render/sheet.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "i18n.h"
#include "render/render.h"

typedef struct {
    const sheet_table *t;
    FILE *f;                  /* CSV */
    char path[1024];
    lxw_worksheet *ws;        /* workbook */
    lxw_row_t row;
} sheet_part;

struct sheet_book {
    sheet_style style;
    const char *out;          /* NULL: standard output */
    bool one_table;
    sheet_part parts[SHEET_MAX_TABLES];
    int n;
    lxw_workbook *wb;
    lxw_format *head, *date;
    char xlsx_path[1024];     /* where the workbook is written */
    bool xlsx_tmp;            /* a temporary file, copied to stdout at close */
    iconv_t gb;
    char err[512];
};

void sheet_file_name(const char *out, const char *key, char *buf, size_t len)
{
    const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');

    if (dot && (!slash || dot > slash) && dot != out)
        snprintf(buf, len, "%.*s-%s%s", (int)(dot - out), out, key, dot);
    else
        snprintf(buf, len, "%s-%s.csv", out, key);
}

static int sheet_open_xlsx(sheet_book *b)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};

    if (b->out) {
        snprintf(b->xlsx_path, sizeof b->xlsx_path, "%s", b->out);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(b->xlsx_path, sizeof b->xlsx_path, "%s/huizong-XXXXXX.xlsx",
                 tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemps(b->xlsx_path, 5);
        if (fd < 0)
            return -1;
        close(fd);
        b->xlsx_tmp = true;
    }
    /* Rows go to disk as they are written: memory stays flat for a large export. */
    if ((b->wb = workbook_new_opt(b->xlsx_path, &opt)) == NULL)
        return -1;
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_bg_color(b->head, 0xF2E6E6);
    format_set_border(b->head, LXW_BORDER_THIN);
    b->date = workbook_add_format(b->wb);
    format_set_num_format(b->date, "yyyy-mm-dd");
    return 0;
}

sheet_book *sheet_open(const sheet_style *style, const char *out, bool one_table, char *err,
                       size_t errlen)
{
    sheet_book *b = calloc(1, sizeof *b);

    if (b == NULL) {
        snprintf(err, errlen, "%s", _("out of memory"));
        return NULL;
    }
    b->style = *style;
    b->out = out && strcmp(out, "-") != 0 ? out : NULL;
    b->one_table = one_table || style->xlsx;
    b->gb = (iconv_t)-1;
    if (!style->xlsx && !one_table && b->out == NULL) {
        snprintf(err, errlen, "%s", _("CSV holds one table per file: give --out FILE.csv (one "
                                      "file per table) or --section NAME"));
        free(b);
        return NULL;
    }
    if (!style->xlsx && style->encoding == SHEET_GB18030 &&
        (b->gb = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1) {
        snprintf(err, errlen, "%s", _("this system cannot convert text to GB18030 (iconv)"));
        free(b);
        return NULL;
    }
    if (style->xlsx && sheet_open_xlsx(b) < 0) {
        snprintf(err, errlen, _("cannot create the workbook %s: %s"), b->xlsx_path,
                 strerror(errno));
        if (b->xlsx_tmp)
            unlink(b->xlsx_path);
        free(b);
        return NULL;
    }
    return b;
}

/* One CSV line, converted when the file is GB18030. */
static int sheet_csv_line(sheet_book *b, FILE *f, const char *const *cells, size_t n)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    int rc = 0;

    if (m == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', m);
        render_csv_field(m, cells[i]);
    }
    fputs("\r\n", m);
    if (fclose(m) != 0) {
        free(line);
        return -1;
    }
    if (b->gb == (iconv_t)-1) {
        rc = fwrite(line, 1, len, f) == len ? 0 : -1;
    } else {
        char *in = line, buf[4096];
        size_t left = len;
        while (rc == 0 && left > 0) {
            char *o = buf;
            size_t room = sizeof buf;
            if (iconv(b->gb, &in, &left, &o, &room) == (size_t)-1 && errno != E2BIG)
                rc = -1;
            if (fwrite(buf, 1, sizeof buf - room, f) != sizeof buf - room)
                rc = -1;
        }
    }
    free(line);
    return rc;
}

static const char *sheet_head(const sheet_book *b, const sheet_col *c)
{
    return b->style.english ? c->field : c->zh;
}

static int sheet_begin_csv(sheet_book *b, sheet_part *p)
{
    const char *heads[32];

    if (b->out == NULL)
        p->f = stdout;
    else {
        if (b->one_table)
            snprintf(p->path, sizeof p->path, "%s", b->out);
        else
            sheet_file_name(b->out, p->t->key, p->path, sizeof p->path);
        if ((p->f = fopen(p->path, "wb")) == NULL) {
            snprintf(b->err, sizeof b->err, "%.400s: %s", p->path, strerror(errno));
            return -1;
        }
    }
    if (b->style.bom && b->style.encoding == SHEET_UTF8)
        fputs("\xEF\xBB\xBF", p->f);
    for (size_t c = 0; c < p->t->ncols && c < 32; c++)
        heads[c] = sheet_head(b, &p->t->cols[c]);
    return sheet_csv_line(b, p->f, heads, p->t->ncols < 32 ? p->t->ncols : 32);
}

static void sheet_begin_xlsx(sheet_book *b, sheet_part *p)
{
    p->ws = workbook_add_worksheet(b->wb, p->t->name);
    for (size_t c = 0; c < p->t->ncols; c++) {
        sheet_type ty = p->t->cols[c].type;
        double wide = ty == SHEET_TEXT ? 18 : ty == SHEET_DATE ? 12 : 10;
        worksheet_set_column(p->ws, (lxw_col_t)c, (lxw_col_t)c, wide, NULL);
        worksheet_write_string(p->ws, 0, (lxw_col_t)c, sheet_head(b, &p->t->cols[c]), b->head);
    }
    worksheet_freeze_panes(p->ws, 1, 0);
    p->row = 1;
}

int sheet_begin(sheet_book *b, const sheet_table *t)
{
    if (b->n == SHEET_MAX_TABLES || (b->one_table && !b->style.xlsx && b->n == 1)) {
        snprintf(b->err, sizeof b->err, "%s", _("too many tables for this output"));
        return -1;
    }
    sheet_part *p = &b->parts[b->n];
    p->t = t;
    if (b->style.xlsx)
        sheet_begin_xlsx(b, p);
    else if (sheet_begin_csv(b, p) < 0)
        return -1;
    return b->n++;
}

/* "true"/"false" as a person reads it. */
static const char *sheet_bool(const sheet_book *b, const char *v)
{
    if (b->style.english || !*v)
        return v;
    return strcmp(v, "true") == 0 ? "是" : "否";
}

/* A cell as a person reads it under the chosen headers. */
static const char *sheet_shown(const sheet_book *b, sheet_type type, const char *v)
{
    static const char *const kinds[][2] = {
        {"activity", "活动"}, {"indicator_value", "指标值"}, {"honor", "荣誉"}};

    if (type == SHEET_BOOL)
        return sheet_bool(b, v);
    for (size_t i = 0; type == SHEET_KIND && !b->style.english && i < 3; i++)
        if (strcmp(v, kinds[i][0]) == 0)
            return kinds[i][1];
    return v;
}

static int sheet_cell_xlsx(sheet_book *b, sheet_part *p, lxw_col_t c, const sheet_col *col,
                           const char *v)
{
    char *end;
    double d;
    int y, m, day;
    char tail;

    if (*v == '\0')
        return 0;
    if ((col->type == SHEET_INT || col->type == SHEET_NUM) && (d = strtod(v, &end), *end == '\0'))
        return worksheet_write_number(p->ws, p->row, c, d, NULL) == LXW_NO_ERROR ? 0 : -1;
    if (col->type == SHEET_DATE && strlen(v) == 10 &&
        sscanf(v, "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3) {
        lxw_datetime dt = {y, m, day, 0, 0, 0};
        return worksheet_write_datetime(p->ws, p->row, c, &dt, b->date) == LXW_NO_ERROR ? 0 : -1;
    }
    v = sheet_shown(b, col->type, v);
    return worksheet_write_string(p->ws, p->row, c, v, NULL) == LXW_NO_ERROR ? 0 : -1;
}

int sheet_row(sheet_book *b, int id, const char *const *cells)
{
    sheet_part *p = &b->parts[id];
    const char *shown[32];
    int rc = 0;

    if (b->style.xlsx) {
        for (size_t c = 0; rc == 0 && c < p->t->ncols; c++)
            rc = sheet_cell_xlsx(b, p, (lxw_col_t)c, &p->t->cols[c], cells[c]);
        p->row++;
        return rc;
    }
    for (size_t c = 0; c < p->t->ncols && c < 32; c++)
        shown[c] = sheet_shown(b, p->t->cols[c].type, cells[c]);
    return sheet_csv_line(b, p->f, shown, p->t->ncols < 32 ? p->t->ncols : 32);
}

static int sheet_copy(const char *path, FILE *to)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    int rc = 0;

    if (f == NULL)
        return -1;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            rc = -1;
    fclose(f);
    return rc;
}

int sheet_close(sheet_book *b, FILE *report, char *err, size_t errlen)
{
    int rc = b->err[0] ? -1 : 0;

    for (int i = 0; i < b->n; i++) {
        sheet_part *p = &b->parts[i];
        if (p->f && p->f != stdout && fclose(p->f) != 0)
            rc = -1;
        else if (p->f == stdout && fflush(stdout) != 0)
            rc = -1;
        if (p->f && p->f != stdout && report && rc == 0)
            fprintf(report, _("wrote %s\n"), p->path);
    }
    if (b->wb) {
        lxw_error e = workbook_close(b->wb);
        if (e != LXW_NO_ERROR) {
            snprintf(b->err, sizeof b->err, _("cannot write the workbook %s: %s"), b->xlsx_path,
                     lxw_strerror(e));
            rc = -1;
        } else if (b->xlsx_tmp && sheet_copy(b->xlsx_path, stdout) < 0) {
            rc = -1;
        }
        if (b->xlsx_tmp)
            unlink(b->xlsx_path);
    }
    if (rc < 0)
        snprintf(err, errlen, "%s", b->err[0] ? b->err : _("cannot write the output"));
    if (b->gb != (iconv_t)-1)
        iconv_close(b->gb);
    free(b);
    return rc;
}
