/* Enrollment (docs/cred.md): the handlers of its route rows. */
#ifndef HZ_API_CRED_ENROLL_H
#define HZ_API_CRED_ENROLL_H

#include "api/handler.h"

/* EnrollCreate: makes a one-time code; only its hash is stored, the code
 * itself reaches the administrator in the reply. */
handler_fn cred_enroll_create;
/* Enroll (enrollment port): checks and signs the CSR, then records the
 * certificate with the code; a refused call drops the certificate. */
handler_fn cred_enroll;

#endif
