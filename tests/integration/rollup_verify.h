/* integration.rollup's checks against the raw rows (rollup_verify.c). */
#ifndef HZ_IT_ROLLUP_VERIFY_H
#define HZ_IT_ROLLUP_VERIFY_H

#include "harness.h"

/* Reads rollup_check.sql and rollup_summary.sql from src_dir and prepares
 * the latter on h's database connection; 0 or -1 (said on stderr). */
int rollup_verify_open(harness *h, const char *src_dir);
void rollup_verify_close(void);
/* After `step`: the rollups against their recomputation, then every summary
 * form asked of the server at once over `dist` (a district principal's
 * connection) against the raw rows, computed while the server works. Fails
 * the running test on any difference, naming the step. */
void rollup_verify_step(SSL *dist, const char *step);

#endif
