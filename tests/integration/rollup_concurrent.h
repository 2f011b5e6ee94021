/* integration.rollup's concurrent phase (rollup_concurrent.c). */
#ifndef HZ_IT_ROLLUP_CONCURRENT_H
#define HZ_IT_ROLLUP_CONCURRENT_H

#include <stdint.h>

#include "harness.h"
#include "rollup_model.h"

/* Three workers per community (a submitter and two movers, the movers on
 * connections of their own), then the checks; fails the running test when
 * any call failed or group commit never joined two batches. */
void rollup_concurrent_phase(harness *h, SSL *const comm[N_COMM], SSL *admin, SSL *dist,
                             uint64_t seed);

#endif
