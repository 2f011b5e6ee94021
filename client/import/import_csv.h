/* CSV as Excel writes it (RFC 4180): fields separated by commas, records by
 * CRLF or LF, fields in double quotes may hold commas, quotes ("") and line
 * breaks. Pure: parses the UTF-8 buffer given, nothing else. */
#ifndef HZ_IMPORT_CSV_H
#define HZ_IMPORT_CSV_H

#include <stddef.h>

typedef struct {
    char **fields;      /* NUL-terminated copies */
    size_t n;
    unsigned line;      /* line the record starts on, 1-based */
} csv_row;

typedef struct {
    csv_row *rows;
    size_t n, cap;
} csv_table;

/* Parses every record; blank lines are skipped. Returns 0, or -1 with err
 * "line L, column C: ..." for an unterminated quote or text after a
 * closing quote. Free with csv_free (also after an error). */
int csv_parse(const char *buf, size_t len, csv_table *out, char *err, size_t errlen);
void csv_free(csv_table *t);

#endif
