/* Output of the admin cert and audit commands: aligned tables or JSON. */
#ifndef HZ_CRED_RENDER_H
#define HZ_CRED_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "huizong.pb-c.h"

/* json: the result message with proto field names as keys. Return 0 or -1. */
int cred_render_certs(FILE *f, const Huizong__CertListResult *r, bool json);
int cred_render_audit(FILE *f, const Huizong__AuditResult *r, bool json);

/* "72h", "3d", "90m", "3600s" to seconds; -1 when not a duration. */
long cred_parse_duration(const char *s);

#endif
