/* One logging family: one line per event on stderr. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Lines up to PIPE_BUF bytes reach a pipe in one piece, so lines of several
 * processes sharing a log pipe never interleave. */
#define LOG_LINE_MAX 4096

static log_level log_current = LOG_INFO;
static char log_program[64] = "huizong";

static const char *const log_names[] = { "ERROR", "WARN", "INFO", "DEBUG" };

void log_set_level(log_level l)
{
    if (l >= LOG_ERROR && l <= LOG_DEBUG)
        log_current = l;
}

log_level log_get_level(void)
{
    return log_current;
}

int log_level_from_name(const char *name)
{
    if (!name)
        return -1;
    if (strcasecmp(name, "warning") == 0)
        return LOG_WARN;
    for (int i = LOG_ERROR; i <= LOG_DEBUG; i++)
        if (strcasecmp(name, log_names[i]) == 0)
            return i;
    return -1;
}

void log_set_program(const char *name)
{
    snprintf(log_program, sizeof log_program, "%s", name && *name ? name : "huizong");
}

static size_t log_prefix(char *buf, size_t size, log_level l)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%ld] %s ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000L, log_program, (long)getpid(),
                     log_names[l]);
    return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

/* A message carrying a newline (from a peer's string, say) would forge a
 * second log line; it stays on one. */
static void log_flatten(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

static void log_write_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(STDERR_FILENO, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        buf += w;
        len -= (size_t)w;
    }
}

void log_msg(log_level l, const char *fmt, ...)
{
    if (l < LOG_ERROR || l > LOG_DEBUG || l > log_current)
        return;
    int saved = errno; /* callers often log, then report errno */
    char line[LOG_LINE_MAX];
    size_t n = log_prefix(line, sizeof line - 1, l);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - 1 - n, fmt, ap);
    va_end(ap);
    if (m > 0)
        n += (size_t)m < sizeof line - 1 - n ? (size_t)m : sizeof line - 2 - n;
    line[n] = '\0';
    log_flatten(line);
    line[n++] = '\n';
    log_write_all(line, n);
    errno = saved;
}
