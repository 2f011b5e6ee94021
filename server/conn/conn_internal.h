/* What conn.c shares with conn_input.c only; handlers use conn.h. */
#ifndef HZ_CONN_INTERNAL_H
#define HZ_CONN_INTERNAL_H

#include "conn/conn.h"

/* Moves c to state s (logged at debug). */
void conn_set_state(conn *c, conn_state s);

#endif
