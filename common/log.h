/* One logging family: one line per event, to stderr, with time and level. */
#ifndef HZ_LOG_H
#define HZ_LOG_H

#include <stddef.h>

typedef enum { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG } log_level;

void log_set_level(log_level l);
log_level log_get_level(void);
/* "error", "warn", "info", "debug"; returns -1 if unknown. */
int log_level_from_name(const char *name);
void log_set_program(const char *name);

/* Writes src into dst (cap bytes, always terminated) with every control
 * character shown as an escape: \n \r \t, other C0 bytes and DEL as \x1b,
 * C1 controls as \u009b, bytes that are not UTF-8 as \xff. log_msg applies
 * it to every message, so a string from a peer can neither move the cursor
 * nor start a line of its own. Returns the length written; stops before a
 * sequence that does not fit. */
size_t log_escape(char *dst, size_t cap, const char *src);

void log_msg(log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_get_level() >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
