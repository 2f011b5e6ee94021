/* ExportRequest, streamed (docs/district.md): the handler of its route row. */
#ifndef HZ_API_DISTRICT_EXPORT_H
#define HZ_API_DISTRICT_EXPORT_H

#include "api/handler.h"

/* One op->function call per page, one ExportChunk per page with the
 * request's id, the last one with last = true; the next page is read only
 * when the connection's output has drained (conn_on_drained). */
handler_fn district_export;

#endif
