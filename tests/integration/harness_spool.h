/* Harness additions for the spool's crash tests: kill huizongd with SIGKILL,
 * start a new one on the same data_dir, run the huizong client. */
#ifndef HZ_IT_HARNESS_SPOOL_H
#define HZ_IT_HARNESS_SPOOL_H

#include <sys/types.h>

#include "harness.h"

/* SIGKILL to huizongd, reaped. Its PostgreSQL (started by pg_ctl, a daemon)
 * survives and the next huizongd on the data_dir reuses it. Returns 0 or -1. */
int harness_kill9(harness *h);
/* Starts a new huizongd on h's data_dir, certificates and log; waits for its
 * ready line (a new one in the same log) and sets h->pid and h->port. */
int harness_restart(harness *h);
/* harness_stop, then stops a PostgreSQL that a restarted huizongd reused
 * (that one does not stop what it did not start). Returns harness_stop's result. */
int harness_stop_all(harness *h);

/* Starts $HZ_CLIENT with HOME=home and args (NULL-terminated), stdout and
 * stderr into out_path. Returns the pid, or -1. */
pid_t harness_client_spawn(const char *home, const char *out_path, char *const args[]);
/* Waits for it; its exit code, or -1 when it died of a signal. */
int harness_client_wait(pid_t pid);
/* spawn + wait. */
int harness_client_run(const char *home, const char *out_path, char *const args[]);

#endif
