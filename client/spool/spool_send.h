/* Sending the spool: every queued batch of the connected community, oldest
 * first, each removed only once the server acknowledged its commit. */
#ifndef HZ_SPOOL_SEND_H
#define HZ_SPOOL_SEND_H

#include <stdint.h>

#include "cli/cconf.h"
#include "cli/progress.h"
#include "net/net.h"
#include "spool/spool.h"

typedef struct {
    size_t batches, records;          /* acknowledged */
    uint64_t accepted, duplicates;
    uint64_t superseded;              /* sent at an earlier version of an amended record */
    size_t rejected_batches, rejected_records;
    char first_sub[64], last_sub[64]; /* submission ids */
    size_t sub_count;
} spool_tally;

typedef struct {
    spool_tally mine;       /* batches in `mine` (written by this command) */
    spool_tally older;      /* batches queued before */
    size_t damaged;         /* files set aside as damaged in this run */
    size_t left_batches, left_records;     /* of this unit, still queued */
    size_t other_batches, other_records;   /* of other units: not ours to send */
    size_t mine_left;       /* batches of `mine` still queued after the run */
    char cert_unit[SPOOL_UNIT_MAX];        /* of the certificate, "" when unreadable */
    char cert_role[32];
    char principal[256];    /* who the server took us for, when not the certificate's
                             * community ("" otherwise): nothing was sent */
    int rc;                 /* HZ_EXIT_OK, or what stopped the sending (NET, ...) */
} spool_result;

/* Sends the queue of cfg->spool. conn: an open connection, or NULL to open
 * one (only when something is queued). Batches listed in mine are tallied
 * apart. Network trouble stops the run (queue kept, last error noted);
 * a refused batch is set aside as rejected with its errors and the others
 * still go. Errors are reported on stderr as they happen. */
void spool_flush(const cconf *cfg, net_conn *conn, const spool_names *mine, progress *pg,
                 spool_result *res);

/* Moves every queued batch of `unit` to rejected/ with a note saying so
 * (under the sender's lock). Returns the number of records set aside, or -1
 * with err filled. */
long spool_set_aside_unit(const cconf *cfg, const char *unit, char *err, size_t errlen);

/* True when a status means "try again later" rather than "this batch is wrong". */
int spool_status_retryable(Huizong__Status s);

#endif
