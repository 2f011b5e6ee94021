/* Org tree, taxonomy and indicator administration. */
#include "handlers.h"

int org_dispatch(conn *c, const Huizong__Request *req)
{
    (void)c;
    (void)req;
    return 0;
}
