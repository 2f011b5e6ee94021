/* Enrollment, certificates and the audit trail. */
#include "handlers.h"

int cred_dispatch(conn *c, const Huizong__Request *req)
{
    (void)c;
    (void)req;
    return 0;
}
