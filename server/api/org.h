/* Org tree, taxonomy and indicators: the handlers of their route rows. */
#ifndef HZ_API_ORG_H
#define HZ_API_ORG_H

#include "api/handler.h"

/* Checks the request's fields (codes, names, period types, aggregations),
 * then makes the plain call. */
handler_fn org_checked;
/* UnitAdd: code, parent, name and level checked, then hz_unit_add. */
handler_fn org_unit_add;

#endif
