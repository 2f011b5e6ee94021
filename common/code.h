/* The naming rules both programs and the certificates share: unit and
 * category codes, and the role words written into certificates (OU). */
#ifndef HZ_CODE_H
#define HZ_CODE_H

#include <stdbool.h>

#define CODE_MAX_LEN 63

#define CODE_ROLE_COMMUNITY "community"
#define CODE_ROLE_DISTRICT "district"
#define CODE_ROLE_ADMIN "admin"

/* A unit, category or indicator code: [a-z0-9][a-z0-9_-]{0,62}. NULL is not one. */
bool code_valid(const char *s);
/* One of the role words: community, district or admin. NULL is not one. */
bool code_role_valid(const char *role);

#endif
