/* Aligned text tables. */
#include "render/table.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void table_init(table *t)
{
    memset(t, 0, sizeof *t);
}

void table_col(table *t, const char *title, bool right_align)
{
    if (t->ncols >= TABLE_MAX_COLS)
        return;
    t->head[t->ncols] = title;
    t->right[t->ncols] = right_align;
    t->ncols++;
}

static bool table_grow(table *t)
{
    if (t->nrows < t->cap)
        return true;
    size_t cap = t->cap ? t->cap * 2 : 16;
    char ***rows = realloc(t->rows, cap * sizeof *rows);
    if (rows == NULL)
        return false;
    t->rows = rows;
    t->cap = cap;
    return true;
}

void table_row(table *t, const char *const *cells)
{
    char **row;

    if (t->failed || !table_grow(t) || (row = calloc(t->ncols, sizeof *row)) == NULL) {
        t->failed = true;
        return;
    }
    t->rows[t->nrows++] = row;
    for (size_t c = 0; c < t->ncols; c++)
        if ((row[c] = strdup(cells[c] ? cells[c] : "")) == NULL)
            t->failed = true;
}

void table_rule(table *t)
{
    if (t->failed || !table_grow(t)) {
        t->failed = true;
        return;
    }
    t->rows[t->nrows++] = NULL;
}

static void table_widths(const table *t, size_t w[TABLE_MAX_COLS])
{
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = utf8_width(t->head[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = t->rows[r] ? utf8_width(t->rows[r][c]) : 0;
            if (cw > w[c])
                w[c] = cw;
        }
    }
}

static void table_line(FILE *f, const table *t, const size_t w[], const char *const *cells)
{
    for (size_t c = 0; c < t->ncols; c++) {
        bool last = c + 1 == t->ncols;

        if (c > 0)
            fputs("  ", f);
        if (cells == NULL) {
            for (size_t i = 0; i < w[c]; i++)
                fputc('-', f);
        } else if (last && !t->right[c]) {
            fputs(cells[c], f);
        } else {
            utf8_fput_padded(f, cells[c], w[c], t->right[c]);
        }
    }
    fputc('\n', f);
}

int table_print(FILE *f, const table *t)
{
    size_t w[TABLE_MAX_COLS];

    if (t->failed)
        return -1;
    table_widths(t, w);
    table_line(f, t, w, t->head);
    table_line(f, t, w, NULL);
    for (size_t r = 0; r < t->nrows; r++)
        table_line(f, t, w, (const char *const *)t->rows[r]);
    return ferror(f) ? -1 : 0;
}

void table_free(table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; t->rows[r] && c < t->ncols; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    table_init(t);
}
