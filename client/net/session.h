/* What every networked command does: resolve settings, connect, make one
 * call, and report failures in the one-line form. Each returns an exit code. */
#ifndef HZ_SESSION_H
#define HZ_SESSION_H

#include <stdint.h>

#include "cli/cconf.h"
#include "cli/cli.h"
#include "net/net.h"

int session_config(const cli_globals *g, cconf *cfg);
int session_open(const cconf *cfg, net_conn **conn);

/* Sends req; on success *resp holds an OK response of the expected body
 * case (free with huizong__response__free_unpacked). Non-OK responses are
 * reported (record indexes shifted by first_index, may be NULL) and freed. */
int session_call(net_conn *conn, Huizong__Request *req, Huizong__Response__BodyCase want,
                 const uint32_t first_index[3], Huizong__Response **resp);

/* unit_list of `under` on conn: the OK response (free it), or NULL when it
 * failed or was refused, which callers treat as "not known" (no message). */
Huizong__Response *session_unit_list(net_conn *conn, const char *under);

/* The settings, a connection and one session_call on it, closed after. */
int session_request(const cli_globals *g, Huizong__Request *req,
                    Huizong__Response__BodyCase want, Huizong__Response **resp);

/* session_request for a request that only reads: sent right behind Hello,
 * one round trip less (net_open_first). Not for a community's certificate,
 * whose queued records go first. */
int session_read(const cli_globals *g, Huizong__Request *req, Huizong__Response__BodyCase want,
                 Huizong__Response **resp);

#endif
