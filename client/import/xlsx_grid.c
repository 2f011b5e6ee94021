/* The cells of one sheet into rows: merged ranges, titles, empty rows. */
#include "import/xlsx_grid.h"

#include <stdlib.h>
#include <string.h>

/* "AB12" -> column 28, row 12; either may be absent (0). */
void xlsx_cell_ref(const char *ref, unsigned *col, unsigned *row)
{
    unsigned c = 0, r = 0;

    for (; *ref >= 'A' && *ref <= 'Z' && c <= XLSX_MAX_COLS; ref++)
        c = c * 26 + (unsigned)(*ref - 'A' + 1);
    for (; *ref >= '0' && *ref <= '9' && r <= XLSX_MAX_ROWS; ref++)
        r = r * 10 + (unsigned)(*ref - '0');
    *col = c;
    *row = r;
}

int xlsx_grid_put(xlsx_grid *g, unsigned row, unsigned col, char *v)
{
    if (v == NULL)
        return -1;
    if (row == 0 || col == 0 || row > XLSX_MAX_ROWS || col > XLSX_MAX_COLS || *v == '\0') {
        free(v);
        return 0;
    }
    if (row > g->cap_rows) {
        size_t cap = g->cap_rows ? g->cap_rows : 64;
        while (cap < row)
            cap *= 2;
        csv_row *more = realloc(g->rows, cap * sizeof *more);
        if (more == NULL) {
            free(v);
            return -1;
        }
        memset(more + g->cap_rows, 0, (cap - g->cap_rows) * sizeof *more);
        g->rows = more;
        g->cap_rows = cap;
    }
    csv_row *r = &g->rows[row - 1];
    if (col > r->n) {
        char **more = realloc(r->fields, col * sizeof *more);
        if (more == NULL) {
            free(v);
            return -1;
        }
        memset(more + r->n, 0, (col - r->n) * sizeof *more);
        r->fields = more;
        r->n = col;
    }
    free(r->fields[col - 1]);
    r->fields[col - 1] = v;
    r->line = row;
    if (row > g->n_rows)
        g->n_rows = row;
    return 0;
}

static const char *grid_get(const xlsx_grid *g, unsigned row, unsigned col)
{
    if (row == 0 || row > g->n_rows || col == 0 || col > g->rows[row - 1].n)
        return NULL;
    return g->rows[row - 1].fields[col - 1];
}

int xlsx_grid_merge(xlsx_grid *g, const char *ref)
{
    xlsx_range m;
    const char *colon = ref ? strchr(ref, ':') : NULL;

    if (colon == NULL)
        return 0;
    xlsx_cell_ref(ref, &m.c1, &m.r1);
    xlsx_cell_ref(colon + 1, &m.c2, &m.r2);
    if (!m.c1 || !m.r1 || m.c2 < m.c1 || m.r2 < m.r1)
        return 0;
    if (g->n_merges == g->cap_merges) {
        size_t cap = g->cap_merges ? g->cap_merges * 2 : 16;
        xlsx_range *more = realloc(g->merges, cap * sizeof *more);
        if (more == NULL)
            return -1;
        g->merges = more;
        g->cap_merges = cap;
    }
    g->merges[g->n_merges++] = m;
    return 0;
}

static int row_empty(const csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i] && r->fields[i][0])
            return 0;
    return 1;
}

/* A title (示范社区2020年活动登记表) merged across the columns: its row has
 * nothing outside the one merged range that starts there. */
static int row_is_title(const xlsx_grid *g, unsigned row)
{
    const csv_row *r = &g->rows[row - 1];

    for (size_t k = 0; k < g->n_merges; k++) {
        const xlsx_range *m = &g->merges[k];
        int inside = 1;
        if (m->r1 != row || m->c2 == m->c1)
            continue;
        for (size_t i = 0; i < r->n && inside; i++)
            if (r->fields[i] && (i + 1 < m->c1 || i + 1 > m->c2))
                inside = 0;
        if (inside)
            return 1;
    }
    return 0;
}

/* Copies each merged range's value into its cells, below the header. */
static int grid_fill(xlsx_grid *g, unsigned header)
{
    for (size_t k = 0; k < g->n_merges; k++) {
        const xlsx_range *m = &g->merges[k];
        const char *v = grid_get(g, m->r1, m->c1);
        if (v == NULL || m->r1 < header)
            continue;
        char *keep = strdup(v);
        if (keep == NULL)
            return -1;
        unsigned last = m->r2 < g->n_rows ? m->r2 : (unsigned)g->n_rows;
        for (unsigned row = m->r1; row <= last; row++)
            for (unsigned col = m->c1; col <= m->c2 && col <= XLSX_MAX_COLS; col++)
                if ((row != m->r1 || col != m->c1) && row != header &&
                    xlsx_grid_put(g, row, col, strdup(keep)) < 0) {
                    free(keep);
                    return -1;
                }
        free(keep);
    }
    return 0;
}

/* The grid's non-empty rows from the header on, empty cells as "". */
int xlsx_grid_rows(xlsx_grid *g, csv_table *out)
{
    unsigned header = 0;

    for (unsigned row = 1; row <= g->n_rows && !header; row++)
        if (!row_empty(&g->rows[row - 1]) && !row_is_title(g, row))
            header = row;
    if (header == 0 || grid_fill(g, header) < 0)
        return header == 0 ? 0 : -1;
    for (unsigned row = header; row <= g->n_rows; row++) {
        csv_row *r = &g->rows[row - 1];
        if (row_empty(r))
            continue;
        for (size_t i = 0; i < r->n; i++)
            if (r->fields[i] == NULL && (r->fields[i] = strdup("")) == NULL)
                return -1;
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 64;
            csv_row *more = realloc(out->rows, cap * sizeof *more);
            if (more == NULL)
                return -1;
            out->rows = more;
            out->cap = cap;
        }
        out->rows[out->n++] = *r;
        memset(r, 0, sizeof *r);
    }
    return 0;
}

void xlsx_grid_free(xlsx_grid *g)
{
    for (size_t row = 0; row < g->cap_rows; row++) {
        for (size_t i = 0; i < g->rows[row].n; i++)
            free(g->rows[row].fields[i]);
        free(g->rows[row].fields);
    }
    free(g->rows);
    free(g->merges);
}

