/* RFC 4180 CSV parsing. */
#include "import/import_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"

typedef struct {
    char *buf;
    size_t len, cap;
} csv_field;

typedef struct {
    const char *p, *end;
    unsigned line;
    csv_table *t;
    csv_row row;
    size_t row_cap;
    csv_field f;
} csv_state;

static int csv_field_putc(csv_field *f, char c)
{
    if (f->len + 1 >= f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        char *b = realloc(f->buf, cap);
        if (b == NULL)
            return -1;
        f->buf = b;
        f->cap = cap;
    }
    f->buf[f->len++] = c;
    f->buf[f->len] = '\0';
    return 0;
}

static int csv_end_field(csv_state *s)
{
    char *copy = malloc(s->f.len + 1);

    if (copy == NULL)
        return -1;
    memcpy(copy, s->f.len ? s->f.buf : "", s->f.len);
    copy[s->f.len] = '\0';
    if (s->row.n == s->row_cap) {
        size_t cap = s->row_cap ? s->row_cap * 2 : 16;
        char **more = realloc(s->row.fields, cap * sizeof *more);
        if (more == NULL) {
            free(copy);
            return -1;
        }
        s->row.fields = more;
        s->row_cap = cap;
    }
    s->row.fields[s->row.n++] = copy;
    s->f.len = 0;
    return 0;
}

static void csv_row_free(csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->fields[i]);
    free(r->fields);
    memset(r, 0, sizeof *r);
}

/* A record of one empty field is a blank line: dropped. */
static int csv_end_row(csv_state *s)
{
    if (s->row.n == 1 && s->row.fields[0][0] == '\0') {
        csv_row_free(&s->row);
    } else {
        if (s->t->n == s->t->cap) {
            size_t cap = s->t->cap ? s->t->cap * 2 : 64;
            csv_row *more = realloc(s->t->rows, cap * sizeof *more);
            if (more == NULL)
                return -1;
            s->t->rows = more;
            s->t->cap = cap;
        }
        s->t->rows[s->t->n++] = s->row;
        memset(&s->row, 0, sizeof s->row);
    }
    s->row_cap = 0;
    return 0;
}

/* A quoted field; s->p is just past the opening quote. */
static int csv_quoted(csv_state *s, size_t col, char *err, size_t errlen)
{
    unsigned start = s->line;

    for (;;) {
        if (s->p >= s->end) {
            snprintf(err, errlen, _("line %u, column %zu: quoted field never closed (a \" is "
                     "missing)"), start, col);
            return -1;
        }
        char c = *s->p++;
        if (c == '"' && s->p < s->end && *s->p == '"') {
            s->p++;
        } else if (c == '"') {
            break;
        } else if (c == '\n') {
            s->line++;
        } else if (c == '\r' && s->p < s->end && *s->p == '\n') {
            continue; /* CRLF inside a field is a line break: keep the LF only */
        }
        if (csv_field_putc(&s->f, c) < 0)
            return -2;
    }
    if (s->p < s->end && *s->p != ',' && *s->p != '\n' && *s->p != '\r') {
        snprintf(err, errlen, _("line %u, column %zu: text after the closing quote of a field "
                 "(a quote inside a quoted field must be doubled: \"\")"), s->line, col);
        return -1;
    }
    return 0;
}

static int csv_run(csv_state *s, char *err, size_t errlen)
{
    size_t col = 1;
    int at_start = 1;

    s->row.line = s->line;
    while (s->p < s->end) {
        char c = *s->p;
        int rc = 0;

        if (at_start && c == '"') {
            s->p++;
            if ((rc = csv_quoted(s, col, err, errlen)) < 0)
                return rc;
            at_start = 0;
            continue;
        }
        s->p++;
        if (c == ',') {
            rc = csv_end_field(s);
            col++;
            at_start = 1;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && s->p < s->end && *s->p == '\n')
                s->p++;
            rc = csv_end_field(s) < 0 || csv_end_row(s) < 0 ? -1 : 0;
            s->line++;
            s->row.line = s->line;
            col = 1;
            at_start = 1;
        } else {
            rc = csv_field_putc(&s->f, c);
            at_start = 0;
        }
        if (rc < 0)
            return -2;
    }
    if (s->row.n > 0 || s->f.len > 0 || !at_start)
        return csv_end_field(s) < 0 || csv_end_row(s) < 0 ? -2 : 0;
    return 0;
}

int csv_parse(const char *buf, size_t len, csv_table *out, char *err, size_t errlen)
{
    csv_state s = {.p = buf, .end = buf + len, .line = 1, .t = out};
    int rc;

    memset(out, 0, sizeof *out);
    rc = csv_run(&s, err, errlen);
    if (rc == -2)
        snprintf(err, errlen, _("out of memory"));
    csv_row_free(&s.row);
    free(s.f.buf);
    return rc < 0 ? -1 : 0;
}

void csv_free(csv_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        csv_row_free(&t->rows[i]);
    free(t->rows);
    memset(t, 0, sizeof *t);
}
