/* Certificates and the audit trail (docs/cred.md): the handlers of their
 * route rows. */
#ifndef HZ_API_CRED_H
#define HZ_API_CRED_H

#include "api/handler.h"

handler_fn cred_cert_list;   /* CertList: an optional unit code */
handler_fn cred_cert_revoke; /* CertRevoke: a fingerprint or a unit, and a reason */
handler_fn cred_audit;       /* AuditQuery: unit, since, limit (default 100, at most 10000) */

#endif
