/* Operations (docs/ops.md): the handler of the StatsRequest row. */
#ifndef HZ_API_OPS_H
#define HZ_API_OPS_H

#include "api/handler.h"

/* The server's counters (conn/stats.h), answered from memory. */
handler_fn ops_stats;

#endif
