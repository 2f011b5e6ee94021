/* SubmitBatch: the handler of its route row. */
#ifndef HZ_API_SUBMIT_H
#define HZ_API_SUBMIT_H

#include "api/handler.h"
#include "validate.h"

/* Checks the batch (not empty, within max_batch_records, every field, every
 * record for the certificate's own unit), then the plain call of hz_submit. */
handler_fn submit_batch;
/* Replies INVALID_ARGUMENT "batch refused: N invalid field(s); nothing was
 * written" with one field error per entry of ve (at least one). */
void submit_reply_invalid(conn *c, uint64_t request_id, const validate_errors *ve);
/* The row's on_ok: counts the committed records and logs the batch. */
void submit_on_ok(conn *c, const ProtobufCMessage *body);

#endif
