/* The cells of one sheet of an .xlsx workbook (Office Open XML, as Excel,
 * WPS, LibreOffice and libxlsxwriter write it) as rows of text, for the same
 * header, value and check rules as a CSV sheet (import_map.h). Reads the
 * zip with libzip and the XML parts with libxml2. Pure: reads only the
 * buffer given. */
#ifndef HZ_IMPORT_XLSX_H
#define HZ_IMPORT_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "import/import_csv.h"

/* At most this many bytes of XML are inflated from one part of the zip, so
 * a small file cannot unpack into gigabytes. */
#define XLSX_MAX_PART_BYTES (512u << 20)

/* True when buf starts like a zip archive (an .xlsx is one). */
bool xlsx_is_zip(const char *buf, size_t len);

/* Reads sheet `sheet` (NULL: the first of the workbook) into out: one row
 * per non-empty sheet row, each row's line its row number in the sheet,
 * fields by column (A = 0) as text. Shared and inline strings, booleans,
 * numbers (as written, shortest form) and dates: a number in a date format
 * becomes "2020-04-14" (1900 and 1904 date systems); a merged range's value
 * is in every cell of it, except that a title merged across the columns
 * above the header row is dropped, as is a header merged across columns
 * (its first column keeps the name). *sheet_name gets the sheet's name
 * (malloc'd). Returns 0, or -1 with err: not a workbook, no such sheet
 * (naming the sheets there are), a damaged part. Free out with csv_free. */
int xlsx_read(const char *buf, size_t len, const char *sheet, csv_table *out, char **sheet_name,
              char *err, size_t errlen);

/* Column letters of a 1-based column number: 1 -> "A", 28 -> "AB". */
void xlsx_column_name(size_t col, char out[8]);

/* An Excel serial day number (1900 system; date1904: the 1904 system) as
 * "YYYY-MM-DD"; the fraction (time of day) is dropped. Returns 0, or -1
 * out of the years 1900..9999. */
int xlsx_serial_date(double serial, bool date1904, char out[11]);

/* Whether an Excel number format (built-in id, or its format code when
 * custom; code may be NULL) shows a date. */
bool xlsx_format_is_date(unsigned id, const char *code);

#endif
