/* Harness additions for the resilience tests: a huizongd whose settings all
 * come from a config file (so SIGHUP has something to re-read), SIGHUP with a
 * wait for its end, the embedded cluster stopped and started underneath the
 * server, and certificate fingerprints. */
#ifndef HZ_IT_HARNESS_RESIL_H
#define HZ_IT_HARNESS_RESIL_H

#include <openssl/ssl.h>

#include "harness.h"

#define HR_FP_LEN 32 /* SHA-256 */

/* Like harness_start, but huizongd gets only `--config FILE` (FILE written by
 * hr_write_config with `extra` NULL) and the arguments in args (NULL-
 * terminated, may be NULL). config_out (HARNESS_PATH bytes) gets FILE's path. */
int hr_start(harness *h, const char *const args[], char *config_out);
/* Rewrites the config file: listen, data_dir, the TLS files, then `extra`
 * (lines of `key = value`, may be NULL) verbatim. Returns 0 or -1. */
int hr_write_config(const harness *h, const char *extra);
/* Sends SIGHUP and waits (10 s at most) until the server has handled it (its
 * "SIGHUP: TLS certificates reloaded" line). Returns 0 or -1. */
int hr_sighup(harness *h);
/* How many lines of the server log contain `needle`. */
long hr_log_count(const harness *h, const char *needle);
/* Stops ("stop": -m immediate) or starts ("start": the options huizongd uses)
 * the embedded cluster under h->data_dir with pg_ctl, as user postgres when
 * we are root. Returns pg_ctl's exit code, or -1. */
int hr_pg_ctl(const harness *h, const char *action);
/* The client's retry after an outage: sends req on s (request ids
 * first_id + ms waited) every 250 ms while the answer is UNAVAILABLE, for
 * timeout_ms at most. Returns the first other answer, or NULL when none came
 * or a call got no answer at all. */
Huizong__Response *hr_call_until_available(SSL *s, Huizong__Request *req, uint64_t first_id,
                                           long timeout_ms);
/* Waits for huizongd to exit; its wait status in *status. Sets h->pid to 0.
 * Returns 0, or -1 on timeout. */
int hr_wait_exit(harness *h, long timeout_ms, int *status);
/* SHA-256 of the peer's certificate / of a PEM certificate file. 0 or -1. */
int hr_peer_fingerprint(SSL *ssl, unsigned char out[HR_FP_LEN]);
int hr_file_fingerprint(const char *path, unsigned char out[HR_FP_LEN]);

#endif
