/* Memory held by frames still arriving, across all connections
 * (max_partial_frame_bytes), and its return to the system.
 *
 * A frame of up to FRAMEMEM_FREE_FRAME bytes is read at once: each
 * connection buffers at most that much unreserved input. A larger frame
 * first reserves its length from the server-wide cap when its header
 * arrives; one that does not fit waits, reading no more (the peer is held
 * back by TCP; its bytes stay in the kernel, not in huizongd), and is
 * granted in arrival order as reservations return: when a frame has been
 * taken off the input, or its connection is freed. A frame is also granted
 * when no other holds a reservation, so one over the cap still gets through
 * alone. A reserved frame can always complete: no two frames deadlock.
 * While frames wait, one whose reservation is older than frame_timeout is
 * refused (RESOURCE_EXHAUSTED) and its connection closed, so peers that
 * announce large frames and never finish them cannot hold the cap.
 *
 * Buffers freed in bulk (a large frame, a connection that held one) are
 * handed back to the system with malloc_trim(0), at most once per
 * FRAMEMEM_TRIM_INTERVAL_MS and only after FRAMEMEM_TRIM_AFTER bytes. */
#ifndef HZ_FRAMEMEM_H
#define HZ_FRAMEMEM_H

#include <stddef.h>
#include <stdint.h>

typedef struct conn conn;
typedef struct server server;

#define FRAMEMEM_FREE_FRAME (16u << 10)
#define FRAMEMEM_TRIM_AFTER (1u << 20)
#define FRAMEMEM_TRIM_INTERVAL_MS 1000u
#define FRAMEMEM_WAIT_LOG_INTERVAL_US 10000000u
#define FRAMEMEM_CHECK_INTERVAL_MS 500u

/* The server's part (in server.h; zero is the initial state). */
typedef struct {
    size_t reserved;          /* bytes reserved by frames still arriving */
    conn *wait_head, *wait_tail;
    size_t waiting;           /* connections in the wait queue */
    size_t freed;             /* bytes freed in bulk since the last trim */
    uint64_t last_trim_us;
    int trim_scheduled;
    uint64_t last_wait_log_us;
    int check_scheduled;      /* the frame_timeout check runs while frames wait */
} framemem;

/* The per-connection part (in conn.h). */
typedef struct {
    size_t reserved;          /* this connection's reservation */
    size_t want;              /* waiting for this many bytes (0: not waiting) */
    uint64_t granted_us;      /* when the reservation was granted */
    conn *wait_next;
} framemem_conn;

/* Sets the read high-water mark of a new connection: nothing reserved. */
void framemem_conn_init(conn *c);
/* 1 when c may read the rest of a frame of `frame_bytes` (header included)
 * now, 0 when it waits for a reservation (it is then woken by itself). */
int framemem_reserve(conn *c, size_t frame_bytes);
/* c's frame was taken off its input: the reservation returns. */
void framemem_frame_done(conn *c, size_t frame_bytes);
/* c is being freed: its reservation and place in the queue go, and what its
 * input still held counts as freed. */
void framemem_conn_gone(conn *c, size_t input_bytes);

#endif
