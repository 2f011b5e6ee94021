/* The local checks of imported records, reported against the sheet. */
#ifndef HZ_IMPORT_CHECK_H
#define HZ_IMPORT_CHECK_H

#include "huizong.pb-c.h"
#include "import/import_map.h"

/* Runs validate_batch over b (records of s, in order) and finds rows that
 * are the same record twice; adds each problem to s->errors with the row's
 * line and the field's column, and sets bad[i] for each bad record. */
void import_check_batch(import_sheet *s, const Huizong__SubmitBatch *b, unsigned char *bad);

/* Drops the records marked bad from s (records and lines). */
void import_drop_bad(import_sheet *s, const unsigned char *bad);

/* Distinct lines among the errors (rows at fault). */
size_t import_bad_rows(const import_sheet *s);

#endif
