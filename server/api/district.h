/* What offices read (docs/district.md): the handlers of their route rows.
 * The streamed export is api/district_export.h. */
#ifndef HZ_API_DISTRICT_H
#define HZ_API_DISTRICT_H

#include "api/handler.h"

/* SummaryRequest: a year (or a span of months, checked in SQL), a unit, the groupings. */
handler_fn district_summary;
/* ComplianceRequest: completeness and quotas of a year or span. */
handler_fn district_compliance;
/* PullRequest: the records changed since a cursor, at most 5000 a call. */
handler_fn district_pull;

#endif
