/* Frames that cost memory, and RSS around them (harness_mem.h). */
#include "harness_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "frame.h"

static size_t harness_mem_varint(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    do {
        out[n++] = (uint8_t)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return n;
}

uint8_t *harness_mem_empty_activities(uint64_t request_id, size_t n, size_t *len)
{
    size_t inner = 2 * n;
    uint8_t *buf = malloc(4 + 32 + inner);
    if (!buf)
        abort();
    size_t off = 4;
    buf[off++] = 0x08; /* request_id, varint */
    off += harness_mem_varint(buf + off, request_id);
    buf[off++] = 0x5A; /* submit (11), length-delimited */
    off += harness_mem_varint(buf + off, inner);
    for (size_t i = 0; i < n; i++) {
        buf[off++] = 0x0A; /* activities (1), empty */
        buf[off++] = 0x00;
    }
    frame_put_header(buf, (uint32_t)(off - 4));
    *len = off;
    return buf;
}

size_t harness_mem_partial_flood(harness *h, const char *creds, size_t n, uint32_t announce,
                                 size_t send, SSL **out)
{
    uint8_t *body = calloc(1, send ? send : 1);
    uint8_t hdr[4];
    size_t open = 0;

    if (!body)
        abort();
    memset(body, 'x', send);
    frame_put_header(hdr, announce);
    for (size_t i = 0; i < n; i++) {
        SSL *s = harness_connect_hello(h, creds);
        if (!s)
            break;
        struct timeval tv = {0, 50000};
        setsockopt(SSL_get_fd(s), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (harness_send_raw(s, hdr, sizeof hdr) == 0)
            (void)harness_send_raw(s, body, send);
        out[open++] = s;
    }
    free(body);
    return open;
}

int harness_mem_begin(const harness *h, harness_mem_mark *m)
{
    if (harness_server_reset_peak(h) != 0)
        return -1;
    m->rss_kb = harness_server_mem_kb(h, "VmRSS");
    return m->rss_kb < 0 ? -1 : 0;
}

long harness_mem_peak_growth_kb(const harness *h, const harness_mem_mark *m)
{
    long peak = harness_server_mem_kb(h, "VmHWM");
    return peak < 0 ? -1 : peak - m->rss_kb;
}
