/* TCP connections with a deadline, for the blocking client. */
#ifndef HZ_TCP_H
#define HZ_TCP_H

#include <stddef.h>

#define TCP_HOST_MAX 256

/* Splits "host:port", "[v6addr]:port" or "host" (default_port) into parts.
 * Returns 0, or -1 with err filled. */
int tcp_split_address(const char *addr, unsigned default_port, char host[TCP_HOST_MAX],
                      char port[8], char *err, size_t errlen);

/* Connects to host:port within timeout_ms, trying each resolved address;
 * the socket returned is blocking with SO_RCVTIMEO/SO_SNDTIMEO set to
 * timeout_ms. Returns the fd, or -1 with err filled. */
int tcp_connect(const char *host, const char *port, unsigned long timeout_ms, char *err,
                size_t errlen);

#endif
