/* Aligned text tables for terminals: CJK characters take two columns,
 * numbers are right-aligned. Pure: writes only to the FILE* given. */
#ifndef HZ_TABLE_H
#define HZ_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#define TABLE_MAX_COLS 8

typedef struct {
    size_t ncols;
    const char *head[TABLE_MAX_COLS]; /* static strings */
    bool right[TABLE_MAX_COLS];
    char ***rows;                     /* each ncols strdup'd cells; NULL: a rule */
    size_t nrows, cap;
    bool failed;                      /* an allocation failed; print refuses */
} table;

void table_init(table *t);
/* Adds a column; ignored past TABLE_MAX_COLS (callers stay below it). */
void table_col(table *t, const char *title, bool right_align);
/* Copies ncols cells (NULL cells print empty). */
void table_row(table *t, const char *const *cells);
/* A separator line, e.g. before a total row. */
void table_rule(table *t);
/* Header, rule, rows. Cells are joined by two spaces; the last cell is not
 * padded when left-aligned, so lines carry no trailing blanks.
 * Returns 0, or -1 when an allocation had failed or writing failed. */
int table_print(FILE *f, const table *t);
void table_free(table *t);

#endif
