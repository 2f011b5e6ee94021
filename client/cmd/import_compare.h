/* huizong import against what the server holds: a row with a held id and
 * other content becomes an amend, an unchanged one is left out, a row
 * without id matching one held record by natural key is a probable edit
 * (held back unless --as-new). Everything else goes through the spool: new
 * rows, and unchanged ones, which the server counts as duplicates. */
#ifndef HZ_IMPORT_COMPARE_H
#define HZ_IMPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cconf.h"
#include "huizong.pb-c.h"
#include "import/import_map.h"

typedef struct {
    size_t unchanged, amended, fresh, superseded, probable, failed;
    bool offline; /* the server could not be asked; everything is queued as new */
} import_tally;

/* Compares the records of s (b holds them as messages, in s's order) with
 * the server's; sends the amends; sets keep[i] = 1 for each record still
 * to be queued (new, unchanged, or a probable edit with as_new). Returns an exit
 * code: HZ_EXIT_OK, or HZ_EXIT_REFUSED when an amend was refused (the
 * others are still done). */
int import_compare(const cconf *cfg, const import_sheet *s, const Huizong__SubmitBatch *b,
                   bool as_new, unsigned char *keep, import_tally *t);

/* "498 unchanged, 1 amended, 1 new" (and what was held back) on stdout. */
void import_tally_print(const char *path, const import_tally *t);

#endif
