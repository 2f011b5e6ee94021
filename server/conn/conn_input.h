/* The input path of a connection (conn.c is its lifecycle): frames in.
 * conn.c was split by job: this file takes frames off the socket and
 * dispatches them; conn.c owns states, replies, close and the drain API.
 *
 * Contract: per wakeup at most CONN_REQS_PER_EVENT whole frames are taken,
 * and only in HELLO or READY (never in AUTH, CLOSING or CLOSED). Before
 * each frame the limits are checked: max_inflight requests in progress or
 * more than 4 MiB unsent pause reading (conn_pause_reading). A frame's
 * header is checked first (empty, over max_frame_bytes: protocol error,
 * then closing), then its memory reservation (framemem.h), then its wire
 * bytes (wirescan.h: malformed closes, refused fields or batch size are
 * answered without unpacking), then it is unpacked within its budget
 * (pbbudget.h). In HELLO only a Hello is taken; it moves the connection to
 * AUTH and pauses reading until api/hello.c is done. Every other request
 * goes to the route table (api/routes.h). */
#ifndef HZ_CONN_INPUT_H
#define HZ_CONN_INPUT_H

#include <event2/bufferevent.h>
#include <event2/util.h>

/* The bufferevent read callback: new bytes arrived; arg is the conn. */
void conn_input_on_read(struct bufferevent *bev, void *arg);
/* The conn's resume event: frames already buffered are read on. */
void conn_input_on_resume(evutil_socket_t fd, short what, void *arg);

#endif
