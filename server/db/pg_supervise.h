/* Supervision of the embedded PostgreSQL from the event loop: notices that
 * the postmaster is gone, restarts it with back-off, and tells the pool. */
#ifndef HZ_PG_SUPERVISE_H
#define HZ_PG_SUPERVISE_H

#include "db/db.h"
#include "db/pg_embedded.h"

struct event_base;
typedef struct pg_supervisor pg_supervisor;

/* Before the cluster is first started: this process becomes the
 * subreaper of the postmasters it starts, so their exit is collected. */
void pg_supervise_adopt(void);
/* Checks the postmaster every 500 ms; once it is gone, calls get
 * UNAVAILABLE (db_set_down) and `pg_ctl start` runs as a child of this
 * process, watched without waiting, first after `first_delay_ms`, then
 * doubling up to 30 s while attempts fail. first_delay_ms 0: no supervision
 * (returns NULL, as on allocation failure). */
pg_supervisor *pg_supervise_start(struct event_base *base, pg_embedded *pg, db *d,
                                  unsigned long first_delay_ms);
/* After the loop: waits for a pg_ctl start still running (blocking), so
 * pg_embedded_stop finds a settled cluster; frees s. NULL is fine. */
void pg_supervise_stop(pg_supervisor *s);

#endif
