/* Tables for people: the sections of a summary or the kinds of an export,
 * each with Chinese (or field-name) headers, written either as CSV files
 * that Excel on a Chinese PC opens by double-click (UTF-8 with a byte-order
 * mark, or GB18030), one table per file, or as the sheets of one .xlsx
 * workbook (libxlsxwriter: typed numbers and dates, a frozen header row). */
#ifndef HZ_SHEET_H
#define HZ_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* SHEET_BOOL: true/false, shown 是/否 under Chinese headers; SHEET_KIND:
 * a record kind, shown 活动/指标值/荣誉 under Chinese headers. */
typedef enum { SHEET_TEXT, SHEET_INT, SHEET_NUM, SHEET_DATE, SHEET_BOOL, SHEET_KIND } sheet_type;

typedef struct {
    const char *field;  /* the English header: the wire's field name */
    const char *zh;     /* the Chinese header */
    sheet_type type;
} sheet_col;

/* One table: its key (--section, file name), its sheet's name, its columns. */
typedef struct {
    const char *key;
    const char *name;
    const sheet_col *cols;
    size_t ncols;
} sheet_table;

typedef enum { SHEET_UTF8, SHEET_GB18030 } sheet_encoding;

typedef struct {
    bool xlsx;
    bool english;              /* headers: field names; booleans true/false */
    sheet_encoding encoding;   /* CSV */
    bool bom;                  /* CSV in UTF-8: a byte-order mark first */
} sheet_style;

typedef struct sheet_book sheet_book;

/* A workbook (style.xlsx; written to out at sheet_close) or a set of CSV
 * files: `out` itself when one table is written (section given), else one
 * file per table named after out: "summary.csv" -> "summary-activity.csv".
 * out NULL or "-": standard output (CSV of one table only). Returns NULL
 * with err filled. */
sheet_book *sheet_open(const sheet_style *style, const char *out, bool one_table, char *err,
                       size_t errlen);
#define SHEET_MAX_TABLES 8

/* Starts a table: its CSV file and header row, or its worksheet. Returns
 * its id for sheet_row (tables may be filled in turns), or -1 with the
 * error kept for sheet_close. */
int sheet_begin(sheet_book *b, const sheet_table *t);
/* One row of table id: cells as text ("" empty), typed by the column:
 * numbers and days become numbers and dates in a workbook; a cell that is
 * no number ("未报") stays text. */
int sheet_row(sheet_book *b, int id, const char *const *cells);
/* Writes what is left; the paths written are printed to `report` (NULL:
 * none). Returns 0, or -1 with err. Frees b. */
int sheet_close(sheet_book *b, FILE *report, char *err, size_t errlen);

/* A CSV file name for table `key` of out: "a/summary.csv" -> "a/summary-activity.csv". */
void sheet_file_name(const char *out, const char *key, char *buf, size_t len);

#endif
