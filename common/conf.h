/* `key = value` configuration files: '#' starts a comment, blank lines are
 * ignored, values may be double-quoted. The parser knows no keys; callers
 * (server/conn/options.c, client/cli/cconf.c) hold the tables. */
#ifndef HZ_CONF_H
#define HZ_CONF_H

#include <stddef.h>

/* Called per setting; returns 0 to go on, -1 to stop (the callback fills err). */
typedef int (*conf_setting_fn)(void *ctx, const char *key, const char *value,
                               int lineno, char *err, size_t errlen);

/* Parses a whole buffer (pure: fuzzable). Returns 0, or -1 with a message
 * "line N: ..." in err. */
int conf_parse_buffer(const char *buf, size_t len, conf_setting_fn fn, void *ctx,
                      char *err, size_t errlen);
/* Reads and parses a file; the message in err names the path. */
int conf_parse_file(const char *path, conf_setting_fn fn, void *ctx, char *err,
                    size_t errlen);

/* Helpers for typed values; return 0 or -1. */
int conf_parse_bool(const char *v, int *out);
int conf_parse_uint(const char *v, unsigned long max, unsigned long *out);
/* "30s", "5m", "72h", "250ms", or a plain number of seconds, into milliseconds. */
int conf_parse_duration_ms(const char *v, unsigned long *out);

#endif
