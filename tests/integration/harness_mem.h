/* Memory tests (docs/memory.md): frames that cost the server memory, and
 * the server's RSS measured around them. */
#ifndef HZ_IT_HARNESS_MEM_H
#define HZ_IT_HARNESS_MEM_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "harness.h"

/* A whole frame (header included), malloc'd: Request{request_id,
 * submit{n empty Activity}}: 2 bytes on the wire per record. */
uint8_t *harness_mem_empty_activities(uint64_t request_id, size_t n, size_t *len);

/* Opens n connections with creds (each says Hello), and on each sends the
 * header of a frame of `announce` payload bytes and then `send` bytes of
 * it, never the rest. A send the server does not read within 50 ms is left
 * where it stopped. Returns how many connections are open, in out[]. */
size_t harness_mem_partial_flood(harness *h, const char *creds, size_t n, uint32_t announce,
                                 size_t send, SSL **out);

/* The server's peak RSS since the last harness_mem_begin, above its RSS then,
 * in kB (-1 when /proc cannot be read). */
typedef struct {
    long rss_kb;
} harness_mem_mark;
int harness_mem_begin(const harness *h, harness_mem_mark *m);
long harness_mem_peak_growth_kb(const harness *h, const harness_mem_mark *m);

#endif
