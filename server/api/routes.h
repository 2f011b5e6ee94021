/* The API in one table (api/routes.c), indexed by request type: who may
 * send each request, which port serves it, what it does (its help line,
 * also the <what> of a refusal) and what handles it. Adding a request type
 * is one row plus its handler. */
#ifndef HZ_API_ROUTES_H
#define HZ_API_ROUTES_H

#include "api/handler.h"

/* Who may send a request; the SQL functions check again, so the database
 * stays right whoever calls it. */
typedef enum {
    ROUTE_ANYONE = 0,  /* any principal: the SQL function checks role and scope */
    ROUTE_ADMIN,       /* administrators (handler_require_admin) */
    ROUTE_OFFICE,      /* administrators and district offices */
    ROUTE_COMMUNITY,   /* community certificates */
} route_who;

/* The listeners that serve a request (a bit set). */
#define ROUTE_MAIN_PORT 1u   /* listen: mutual TLS, a principal */
#define ROUTE_ENROLL_PORT 2u /* enroll_listen: no client certificate */

typedef struct {
    route_who who;
    unsigned ports;      /* 0: no such request type */
    const char *what;    /* "rename org units": help, and "only an administrator can <what>" */
    handler_op op;       /* the SQL function and its result; function NULL: none */
    handler_fn *run;     /* NULL: the plain case, handler_call_body */
} route;

/* The row of a request type; NULL when the server knows none. */
const route *route_find(Huizong__Request__BodyCase type);

/* Any request after Hello (the first request goes to hello_start, api/hello.h):
 * checks the port, extracts the body, checks who, then runs the row's
 * handler. */
void routes_request(conn *c, const Huizong__Request *req);

#endif
