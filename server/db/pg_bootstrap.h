/* The embedded cluster's roles (docs/database.md): the bootstrap superuser
 * creates, over the private Unix socket, the owner that runs the migrations
 * and owns every object, the login role the pool uses, and the database. */
#ifndef HZ_PG_BOOTSTRAP_H
#define HZ_PG_BOOTSTRAP_H

#include <stddef.h>

#define PG_BOOTSTRAP_ROLE "huizong"   /* superuser made by initdb */
#define PG_OWNER_ROLE "huizong_owner" /* runs the migrations, owns the schema */
#define PG_LOGIN_ROLE "huizong_app"   /* the pool: EXECUTE on the entry points */
#define PG_DATABASE "huizong"

/* Startup only (blocking). Creates what is missing, and hands objects that an
 * earlier version created as the superuser to the owner. Idempotent.
 * Returns 0, or -1 with err set. */
int pg_bootstrap_roles(const char *sockdir, char *err, size_t errlen);

#endif
