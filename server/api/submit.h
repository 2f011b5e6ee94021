/* SubmitBatch: the handler of its route row. */
#ifndef HZ_API_SUBMIT_H
#define HZ_API_SUBMIT_H

#include "api/handler.h"

/* Checks the batch (not empty, within max_batch_records, every field, every
 * record for the certificate's own unit), then the plain call of hz_submit. */
handler_fn submit_batch;
/* The row's on_ok: counts the committed records and logs the batch. */
void submit_on_ok(conn *c, const ProtobufCMessage *body);

#endif
