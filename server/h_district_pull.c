/* PullRequest: placeholder until hz_pull lands. */
#include "h_district.h"

void handle_pull(conn *c, uint64_t request_id, const Huizong__PullRequest *q)
{
    (void)q;
    conn_reply_status(c, request_id, HUIZONG__STATUS__UNIMPLEMENTED, "pull is not served yet");
}
