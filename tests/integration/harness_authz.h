/* Builders of the authorization matrix (test_cred_authz.c) for the request
 * types of the org, period and district modules, and the fixture they need:
 * records, locks, corrections and scratch units made once before the matrix
 * runs. Every builder targets community c1 (or, where a request names no
 * unit, is about the principal's own unit) with arguments that are valid
 * for a principal allowed to send it, so that a refusal can only come from
 * who asks. Where a request can succeed only once (add, lock, retract,
 * decide), each column `who` gets its own code, period, record or
 * correction, so the cells do not depend on the order they run in. */
#ifndef HZ_IT_HARNESS_AUTHZ_H
#define HZ_IT_HARNESS_AUTHZ_H

#include "harness.h"

#define AUTHZ_COLUMNS 6

/* Makes the fixture with an admin and a c1 (community) certificate, after
 * harness_setup_tree. Returns 0, or -1 after printing what failed. */
int authz_fixture_setup(harness *h, const char *admin_creds, const char *own_creds);

/* A builder: the request of one matrix row for column `who` (free with
 * rec_free). */
typedef Huizong__Request *(*authz_build_fn)(int who);

Huizong__Request *authz_unit_rename(int who);
Huizong__Request *authz_unit_move(int who);
Huizong__Request *authz_unit_retire(int who);
Huizong__Request *authz_unit_list(int who);
Huizong__Request *authz_category_add(int who);
Huizong__Request *authz_category_rename(int who);
Huizong__Request *authz_category_move(int who);
Huizong__Request *authz_category_retire(int who);
Huizong__Request *authz_category_list(int who);
Huizong__Request *authz_category_section(int who);
Huizong__Request *authz_indicator_add(int who);
Huizong__Request *authz_indicator_update(int who);
Huizong__Request *authz_indicator_list(int who);
Huizong__Request *authz_indicator_retire(int who);
Huizong__Request *authz_quota_set(int who);
Huizong__Request *authz_quota_list(int who);
Huizong__Request *authz_deadline_set(int who);
Huizong__Request *authz_deadline_list(int who);
Huizong__Request *authz_period_lock(int who);
Huizong__Request *authz_period_unlock(int who);
Huizong__Request *authz_period_lock_list(int who);
Huizong__Request *authz_nil_report(int who);
Huizong__Request *authz_record_amend(int who);
Huizong__Request *authz_record_retract(int who);
Huizong__Request *authz_record_list(int who);
Huizong__Request *authz_correction_file(int who);
Huizong__Request *authz_correction_list(int who);
Huizong__Request *authz_correction_approve(int who);
Huizong__Request *authz_correction_reject(int who);
Huizong__Request *authz_export(int who);
Huizong__Request *authz_pull(int who);

/* Sends `req` and reads its whole answer: for an export, every chunk until
 * the one with last = true or an error. Returns the status of the final
 * response, or -1 when the answer ended early (closed, timeout). */
int authz_call_status(SSL *s, const Huizong__Request *req);

#endif
