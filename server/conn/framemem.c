/* The cap on bytes of frames still arriving, and malloc_trim (framemem.h). */
#include "conn/framemem.h"

#include <malloc.h>
#include <stdio.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "conn/conn.h"
#include "log.h"
#include "wire.h"

static void framemem_set_high(conn *c, size_t high)
{
    bufferevent_setwatermark(c->bev, EV_READ, 0, high);
}

void framemem_conn_init(conn *c)
{
    framemem_set_high(c, HZ_FRAME_HEADER_BYTES + FRAMEMEM_FREE_FRAME);
}

static void framemem_trim_now(server *s)
{
    s->fm.freed = 0;
    s->fm.last_trim_us = stats_now_us();
    malloc_trim(0);
}

static void framemem_on_trim(evutil_socket_t fd, short what, void *arg)
{
    server *s = arg;

    (void)fd;
    (void)what;
    s->fm.trim_scheduled = 0;
    framemem_trim_now(s);
}

/* Counts `bytes` freed in bulk; trims now, or schedules the next trim. */
static void framemem_freed(server *s, size_t bytes)
{
    uint64_t now = stats_now_us(), next;
    struct timeval tv;

    s->fm.freed += bytes;
    if (s->fm.freed < FRAMEMEM_TRIM_AFTER || s->fm.trim_scheduled)
        return;
    next = s->fm.last_trim_us + FRAMEMEM_TRIM_INTERVAL_MS * 1000u;
    if (now >= next) {
        framemem_trim_now(s);
        return;
    }
    tv.tv_sec = (time_t)((next - now) / 1000000u);
    tv.tv_usec = (suseconds_t)((next - now) % 1000000u);
    if (event_base_once(s->base, -1, EV_TIMEOUT, framemem_on_trim, s, &tv) == 0)
        s->fm.trim_scheduled = 1;
}

static int framemem_fits(const server *s, size_t bytes)
{
    size_t cap = s->opt.max_partial_frame_bytes;

    return s->fm.reserved == 0 || (s->fm.reserved <= cap && bytes <= cap - s->fm.reserved);
}

static void framemem_grant(conn *c, size_t bytes)
{
    c->fm.granted_us = stats_now_us();
    c->fm.reserved = bytes;
    c->srv->fm.reserved += bytes;
    framemem_set_high(c, bytes);
}

/* Wakes waiters in arrival order while the first of them fits; one that
 * is closing only leaves the queue. */
static void framemem_wake(server *s)
{
    conn *c;

    while ((c = s->fm.wait_head) && (c->state >= CONN_CLOSING || framemem_fits(s, c->fm.want))) {
        s->fm.wait_head = c->fm.wait_next;
        if (!s->fm.wait_head)
            s->fm.wait_tail = NULL;
        s->fm.waiting--;
        c->fm.wait_next = NULL;
        if (c->state < CONN_CLOSING) {
            framemem_grant(c, c->fm.want);
            event_active(c->resume, EV_TIMEOUT, 0);
        }
        c->fm.want = 0;
    }
}

static void framemem_log_wait(server *s)
{
    uint64_t now = stats_now_us();

    if (s->fm.last_wait_log_us && now - s->fm.last_wait_log_us < FRAMEMEM_WAIT_LOG_INTERVAL_US)
        return;
    s->fm.last_wait_log_us = now;
    log_warn("%zu connection(s) wait to read a frame: %zu of max_partial_frame_bytes=%lu bytes "
             "are reserved by frames still arriving",
             s->fm.waiting, s->fm.reserved, s->opt.max_partial_frame_bytes);
}

static void framemem_schedule_check(server *s);

/* While frames wait: refuses the frames reserved longer than frame_timeout. */
static void framemem_on_check(evutil_socket_t fd, short what, void *arg)
{
    server *s = arg;
    uint64_t now = stats_now_us(), limit = (uint64_t)s->opt.frame_timeout_ms * 1000u;
    char msg[200];

    (void)fd;
    (void)what;
    s->fm.check_scheduled = 0;
    if (!s->fm.wait_head)
        return;
    for (conn *c = s->conns; c; c = c->next) {
        if (!c->fm.reserved || c->state >= CONN_CLOSING || now - c->fm.granted_us < limit)
            continue;
        snprintf(msg, sizeof msg, "frame of %zu bytes not complete after %lu ms while other frames "
                 "wait for max_partial_frame_bytes; closing", c->fm.reserved - HZ_FRAME_HEADER_BYTES,
                 s->opt.frame_timeout_ms);
        conn_log(LOG_INFO, c, "%s", msg);
        conn_reply_status(c, 0, HUIZONG__STATUS__RESOURCE_EXHAUSTED, msg);
        conn_close_after_flush(c, msg);
    }
    framemem_schedule_check(s);
}

static void framemem_schedule_check(server *s)
{
    struct timeval tv = {0, (suseconds_t)FRAMEMEM_CHECK_INTERVAL_MS * 1000};

    if (s->fm.check_scheduled || !s->fm.wait_head)
        return;
    if (event_base_once(s->base, -1, EV_TIMEOUT, framemem_on_check, s, &tv) == 0)
        s->fm.check_scheduled = 1;
}

int framemem_reserve(conn *c, size_t frame_bytes)
{
    server *s = c->srv;

    if (frame_bytes <= HZ_FRAME_HEADER_BYTES + FRAMEMEM_FREE_FRAME || c->fm.reserved)
        return 1;
    if (c->fm.want)
        return 0;
    if (!s->fm.wait_head && framemem_fits(s, frame_bytes)) {
        framemem_grant(c, frame_bytes);
        return 1;
    }
    c->fm.want = frame_bytes;
    if (s->fm.wait_tail)
        s->fm.wait_tail->fm.wait_next = c;
    else
        s->fm.wait_head = c;
    s->fm.wait_tail = c;
    s->fm.waiting++;
    framemem_log_wait(s);
    framemem_schedule_check(s);
    return 0;
}

static void framemem_unreserve(conn *c)
{
    c->srv->fm.reserved -= c->fm.reserved;
    c->fm.reserved = 0;
}

void framemem_frame_done(conn *c, size_t frame_bytes)
{
    if (frame_bytes > HZ_FRAME_HEADER_BYTES + FRAMEMEM_FREE_FRAME)
        framemem_freed(c->srv, frame_bytes);
    if (!c->fm.reserved)
        return;
    framemem_unreserve(c);
    framemem_conn_init(c);
    framemem_wake(c->srv);
}

static void framemem_unqueue(conn *c)
{
    server *s = c->srv;
    conn *prev = NULL;

    for (conn *q = s->fm.wait_head; q; prev = q, q = q->fm.wait_next) {
        if (q != c)
            continue;
        if (prev)
            prev->fm.wait_next = c->fm.wait_next;
        else
            s->fm.wait_head = c->fm.wait_next;
        if (s->fm.wait_tail == c)
            s->fm.wait_tail = prev;
        s->fm.waiting--;
        break;
    }
    c->fm.want = 0;
    c->fm.wait_next = NULL;
}

void framemem_conn_gone(conn *c, size_t input_bytes)
{
    if (c->fm.want)
        framemem_unqueue(c);
    if (c->fm.reserved)
        framemem_unreserve(c);
    framemem_wake(c->srv);
    framemem_freed(c->srv, input_bytes);
}
