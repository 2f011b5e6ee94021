/* What submit, import and sync say after sending the spool, and their exit code. */
#ifndef HZ_SPOOL_REPORT_H
#define HZ_SPOOL_REPORT_H

#include "cli/cconf.h"
#include "spool/spool_send.h"

/* Queues b (records of `source`) and sends the queue: the common path of
 * submit and import. lines: source line of each record, or NULL. */
int spool_submit(const cconf *cfg, const char *source, const Huizong__SubmitBatch *b,
                 const uint32_t *lines, progress *pg);

/* Prints the outcome of a flush. label: what the user asked for ("submitted
 * data.json", "sync"). Returns the exit code: 0 when everything of this
 * command went, 3 (queued) when the server could not be reached, 4 when a
 * batch of this command was refused, 5 when a spool file was damaged. */
int spool_report(const cconf *cfg, const char *label, const spool_result *res, int own_only);

/* Every command that talks to the server as a community sends what waits
 * in the spool first, on its connection; says so on stderr when it did. */
void spool_before_command(const cconf *cfg, net_conn *conn);

#endif
