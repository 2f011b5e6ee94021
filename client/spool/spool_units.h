/* Records queued under units this certificate does not send: how many per
 * unit, and what to do about them (status, sync). */
#ifndef HZ_SPOOL_UNITS_H
#define HZ_SPOOL_UNITS_H

#include <stdio.h>

#include "cli/cconf.h"

/* One line per unit whose queued batches this certificate cannot send (every
 * unit but its own when it is a community's, every unit otherwise), each with
 * its count and the commands that resolve it, prefixed by indent. Reads only
 * the spool. Returns the number of records in those lines. */
size_t spool_units_advise(FILE *f, const cconf *cfg, const char *indent);

#endif
