/* Quotas, reporting periods, record versions and corrections. */
#include "handlers.h"

int period_dispatch(conn *c, const Huizong__Request *req)
{
    (void)c;
    (void)req;
    return 0;
}
