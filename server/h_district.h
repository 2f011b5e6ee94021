/* The district module's handlers (export, pull) and what they share. */
#ifndef HZ_H_DISTRICT_H
#define HZ_H_DISTRICT_H

#include "db.h"
#include "handlers.h"

void handle_export(conn *c, uint64_t request_id, const Huizong__ExportRequest *q);
void handle_pull(conn *c, uint64_t request_id, const Huizong__PullRequest *q);
void handle_compliance(conn *c, uint64_t request_id, const Huizong__ComplianceRequest *q);

#endif
