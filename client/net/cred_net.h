/* The enrollment port: TLS that authenticates the server only (the client
 * has no certificate yet), Hello, then one request at a time. */
#ifndef HZ_CRED_NET_H
#define HZ_CRED_NET_H

#include <stddef.h>

#include "huizong.pb-c.h"

#define CRED_DEFAULT_ENROLL_PORT 7444

typedef struct cred_net cred_net;

/* Connects to addr ("host:port"), verifies the server certificate against
 * ca_file and the host, says Hello. Returns HZ_EXIT_OK with *out set, or an
 * exit code with err filled. */
int cred_net_open(const char *addr, const char *ca_file, unsigned long timeout_ms, cred_net **out,
                  char *err, size_t errlen);
/* Sends req and reads the response to it (any status). */
int cred_net_call(cred_net *n, Huizong__Request *req, Huizong__Response **resp, char *err,
                  size_t errlen);
void cred_net_close(cred_net *n);

#endif
