/* What the district pulls: completeness, report, export, pull. */
#include "handlers.h"

int district_dispatch(conn *c, const Huizong__Request *req)
{
    (void)c;
    (void)req;
    return 0;
}
