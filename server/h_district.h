/* The district module's handlers (export, pull) and what they share. */
#ifndef HZ_H_DISTRICT_H
#define HZ_H_DISTRICT_H

#include "db.h"
#include "handlers.h"

void handle_export(conn *c, uint64_t request_id, const Huizong__ExportRequest *q);
void handle_pull(conn *c, uint64_t request_id, const Huizong__PullRequest *q);
void handle_compliance(conn *c, uint64_t request_id, const Huizong__ComplianceRequest *q);

/* Replies for a call that did not return OK: the database failed, or the
 * function refused (status, message, field errors from its JSON result). */
void district_reply_db_failure(conn *c, uint64_t request_id, const char *fn, const db_result *res);
void district_reply_refusal(conn *c, uint64_t request_id, const char *fn, json_t *res);

#endif
