/* Quotas, periods, record versions and corrections: the one handler that is
 * not the plain call. */
#ifndef HZ_API_PERIOD_H
#define HZ_API_PERIOD_H

#include "api/handler.h"

/* RecordAmend and CorrectionFile: the new content goes through the same
 * syntax checks as a submitted record, then the plain call. */
handler_fn period_record_change;

#endif
