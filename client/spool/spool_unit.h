/* Whose records: the unit named by the client certificate. */
#ifndef HZ_SPOOL_UNIT_H
#define HZ_SPOOL_UNIT_H

#include "spool/spool.h"

/* The certificate's unit, or "" when it cannot be read (the connection will
 * say why). Needs no network, so records can be queued offline. */
void spool_cert_unit(const char *cert_path, char unit[SPOOL_UNIT_MAX]);

#endif
