/* The cells of one sheet of a workbook as they are read (import_xlsx.c),
 * by row and column, with its merged ranges; then the sheet's rows as a
 * person means them: a merged range's value in each of its cells, a title
 * merged across the columns above the header dropped, empty rows dropped.
 * Pure. */
#ifndef HZ_XLSX_GRID_H
#define HZ_XLSX_GRID_H

#include <stddef.h>

#include "import/import_csv.h"

#define XLSX_MAX_COLS 16384u
#define XLSX_MAX_ROWS 1048576u

typedef struct {
    unsigned r1, c1, r2, c2; /* 1-based, inclusive */
} xlsx_range;

/* The sheet's cells, by row number (dense up to the last row with text). */
typedef struct {
    csv_row *rows;            /* rows[r - 1]; fields NULL where empty */
    size_t n_rows, cap_rows;
    xlsx_range *merges;
    size_t n_merges, cap_merges;
} xlsx_grid;

/* "AB12" -> column 28, row 12 (1-based); either may be absent (0). */
void xlsx_cell_ref(const char *ref, unsigned *col, unsigned *row);

/* Puts text v (malloc'd; taken, also on failure) at row, col; an empty
 * text or a cell outside the sheet's limits is dropped. Returns 0 or -1. */
int xlsx_grid_put(xlsx_grid *g, unsigned row, unsigned col, char *v);

/* Records a merged range "A1:H1"; a malformed one is ignored. Returns 0 or -1. */
int xlsx_grid_merge(xlsx_grid *g, const char *ref);

/* Moves the rows, from the header row on, into out (empty cells as "");
 * the header is the first row with text that is no merged title. Returns 0
 * or -1 (out of memory). */
int xlsx_grid_rows(xlsx_grid *g, csv_table *out);

void xlsx_grid_free(xlsx_grid *g);

#endif
