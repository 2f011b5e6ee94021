/* Whose records: the unit and role named by the client certificate. */
#ifndef HZ_SPOOL_UNIT_H
#define HZ_SPOOL_UNIT_H

#include <stddef.h>

#include "cli/cconf.h"
#include "net/net.h"
#include "spool/spool.h"

#define SPOOL_ROLE_MAX 32

/* The certificate's unit, or "" when it cannot be read (the connection will
 * say why). Needs no network, so records can be queued offline. */
void spool_cert_unit(const char *cert_path, char unit[SPOOL_UNIT_MAX]);

/* The same with the role (community, district, admin); both "" when the
 * certificate cannot be read. */
void spool_cert_identity(const char *cert_path, char unit[SPOOL_UNIT_MAX],
                         char role[SPOOL_ROLE_MAX]);

/* 1 when a certificate of this unit and role sends records: a readable
 * community certificate (the one rule for submit, import, sync and status). */
int spool_cert_sends(const char *unit, const char *role);

/* The unit's name as the server has it (unit_list on conn, or on a connection
 * of its own when conn is NULL); the code itself when the server cannot be
 * reached or does not say. */
void spool_unit_name(const cconf *cfg, net_conn *conn, const char *unit, char *name,
                     size_t len);

/* HZ_EXIT_OK when the certificate is a community's (or unreadable: the
 * connection says why later); else reports "this certificate is for NAME
 * (ROLE); submitting records needs a community certificate" and returns
 * HZ_EXIT_REFUSED, before anything is read or queued. */
int spool_cert_must_submit(const cconf *cfg);

#endif
