/* A sheet's rows into records: the header row names the columns (Chinese or
 * proto field names), each cell is parsed as its field wants, and every
 * problem is collected with its line, column, header and the value found. */
#ifndef HZ_IMPORT_MAP_H
#define HZ_IMPORT_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "import/import_csv.h"

typedef enum { IMPORT_ACTIVITY, IMPORT_INDICATOR, IMPORT_HONOR } import_kind;

typedef struct {
    unsigned line;
    size_t col;          /* 0: the row as a whole */
    char *text;
} import_error;

typedef struct {
    import_kind kind;
    const char *name;          /* the file, for messages */
    char *sheet;               /* an .xlsx sheet's name (owned), NULL for CSV */
    int *field_of;             /* per column: index of its field, -1 none */
    char **headers;            /* per column: the header as written */
    size_t ncols;
    json_t *records;           /* array of record objects, proto field names */
    uint32_t *lines;           /* line of each record */
    size_t n, lines_cap;
    import_error *errors;
    size_t n_errors;
    size_t n_unknown_names;    /* cells naming no category or indicator known */
} import_sheet;

int import_kind_parse(const char *s, import_kind *k);
const char *import_kind_json_array(import_kind k);   /* "activities", ... */
const char *import_kind_record(import_kind k);       /* "activity", ... */

/* Called now and then with the number of rows mapped (progress). */
typedef void (*import_tick_fn)(void *ctx, size_t rows);

/* Maps a parsed table (first row: header). Returns 0, even with errors in
 * rows (see s->errors); -1 when the header itself is wrong or memory ran
 * out (also in s->errors). tick may be NULL. */
int import_map(import_sheet *s, const csv_table *t, import_kind kind, const char *name,
               import_tick_fn tick, void *ctx);
void import_sheet_free(import_sheet *s);

/* Adds an error; col 0: none. */
void import_error_add(import_sheet *s, unsigned line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The column (1-based) holding a field, 0 when absent; its header in *header. */
size_t import_column_of(const import_sheet *s, const char *field, const char **header);
/* Sorts the errors by line and column and prints each as
 * "huizong: FILE: line L, column C (HEADER): ..."; for an .xlsx sheet
 * "huizong: FILE: sheet S, row R, column D (HEADER): ...", D in letters. */
void import_errors_print(import_sheet *s);

/* A sheet of held records in the columns the importer reads (Chinese
 * headers, 记录编号 last): the header, then one row per record's content
 * (the JSON of a RecordItem). A count not reported is a blank cell, a lower
 * bound "40+"; edited in Excel and imported again, a changed row is an
 * amend of its record. */
void import_sheet_header(FILE *f, import_kind k);
void import_sheet_row(FILE *f, import_kind k, const json_t *rec);

/* The header row of a template, CRLF-terminated. */
void import_template(FILE *f, import_kind k, bool english);

#endif
