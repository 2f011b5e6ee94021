/* What the district pulls: export (streamed), pull, completeness and quotas. */
#include "h_district.h"

int district_dispatch(conn *c, const Huizong__Request *req)
{
    switch (req->body_case) {
    case HUIZONG__REQUEST__BODY_EXPORT:
        handle_export(c, req->request_id, req->export);
        return 1;
    case HUIZONG__REQUEST__BODY_PULL:
        handle_pull(c, req->request_id, req->pull);
        return 1;
    case HUIZONG__REQUEST__BODY_COMPLIANCE:
        handle_compliance(c, req->request_id, req->compliance);
        return 1;
    default:
        return 0;
    }
}
