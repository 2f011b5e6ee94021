/* One logging family: one line per event on stderr. */
#include "log.h"
#include "utf8.h"

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

/* Escapes one byte or sequence at s (avail > 0) into out (room for 7 bytes);
 * returns how many bytes of s it took and sets *outlen. */
static size_t log_escape_one(const char *s, size_t avail, char *out, size_t *outlen)
{
    unsigned char b = (unsigned char)s[0];
    size_t n = b < 0x80 ? 1 : utf8_seq_len(s, avail);

    if (b == '\n' || b == '\r' || b == '\t') {
        out[0] = '\\';
        out[1] = b == '\n' ? 'n' : b == '\r' ? 'r' : 't';
        *outlen = 2;
        return 1;
    }
    if (b < 0x20 || b == 0x7f || n == 0) { /* C0, DEL, a byte that is not UTF-8 */
        *outlen = (size_t)snprintf(out, 7, "\\x%02x", b);
        return 1;
    }
    if (n == 2 && b == 0xc2 && (unsigned char)s[1] < 0xa0) { /* C1: U+0080..U+009F */
        *outlen = (size_t)snprintf(out, 7, "\\u%04x", (unsigned char)s[1]);
        return 2;
    }
    memcpy(out, s, n);
    *outlen = n;
    return n;
}

size_t log_escape(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(src), o = 0;
    char one[8];

    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        size_t w;
        size_t took = log_escape_one(src + i, len - i, one, &w);
        if (o + w >= cap)
            break;
        memcpy(dst + o, one, w);
        o += w;
        i += took;
    }
    dst[o] = '\0';
    return o;
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
    char line[LOG_LINE_MAX], raw[LOG_LINE_MAX];
    size_t n = log_prefix(line, sizeof line - 1, l);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* Peer strings (client_name, certificate names, database messages)
     * reach the line escaped: no terminal escape, no forged second line. */
    n += log_escape(line + n, sizeof line - 1 - n, raw);
    line[n++] = '\n';
    log_write_all(line, n);
    errno = saved;
}
