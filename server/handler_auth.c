/* The one admin check every handler module uses, so every refusal reads alike. */
#include <stdio.h>
#include <string.h>

#include "handlers.h"

void handler_quote(char *out, size_t cap, const char *s)
{
    size_t bytes = 0, chars = 0;

    while (s[bytes] && chars < 60) {
        bytes++;
        while ((s[bytes] & 0xC0) == 0x80)
            bytes++;
        chars++;
    }
    snprintf(out, cap, "\"%.*s%s\"", (int)bytes, s, s[bytes] ? "..." : "");
}

int handler_require_admin(conn *c, uint64_t request_id, const char *what)
{
    char msg[400], q[256];

    if (strcmp(c->principal.role, "admin") == 0)
        return 0;
    handler_quote(q, sizeof q, c->principal.unit);
    snprintf(msg, sizeof msg, "only an administrator can %s; this certificate is %s for %s", what,
             c->principal.role[0] ? c->principal.role : "no role", q);
    conn_reply_status(c, request_id, HUIZONG__STATUS__PERMISSION_DENIED, msg);
    return -1;
}
