/* `key = value` configuration files. The parser is a pure function of its
 * input bytes; it knows no keys (callers hold the tables). */
#include "conf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONF_MAX_LINE 8192
#define CONF_MAX_KEY 64
#define CONF_MAX_FILE (1u << 20)

static void conf_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void conf_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int conf_is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int conf_is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Parses a double-quoted value starting at the opening quote. Only \" and \\
 * are escapes, so Windows paths must double their backslashes. */
static int conf_quoted(const char *p, const char *end, char *out, int lineno, char *err,
                       size_t errlen)
{
    size_t o = 0;
    for (p++; p < end && *p != '"'; p++) {
        if (*p == '\\') {
            if (p + 1 >= end || (p[1] != '"' && p[1] != '\\')) {
                conf_err(err, errlen, "line %d: unknown escape in quoted value (use \\\" or \\\\)",
                         lineno);
                return -1;
            }
            p++;
        }
        out[o++] = *p;
    }
    if (p >= end) {
        conf_err(err, errlen, "line %d: missing closing quote", lineno);
        return -1;
    }
    out[o] = '\0';
    for (p++; p < end && conf_is_space(*p); p++)
        ;
    if (p < end && *p != '#') {
        conf_err(err, errlen, "line %d: unexpected text after closing quote", lineno);
        return -1;
    }
    return 0;
}

/* An unquoted value ends at a '#' that starts the value or follows a blank,
 * so "a#b" stays whole; trailing blanks are dropped. */
static void conf_unquoted(const char *p, const char *end, char *out)
{
    const char *stop = p;
    for (const char *q = p; q < end; q++) {
        if (*q == '#' && (q == p || conf_is_space(q[-1])))
            break;
        stop = q + 1;
    }
    while (stop > p && conf_is_space(stop[-1]))
        stop--;
    memcpy(out, p, (size_t)(stop - p));
    out[stop - p] = '\0';
}

/* The callback names the problem; the line number is added when it did not. */
static void conf_prefix_line(char *err, size_t errlen, int lineno)
{
    if (!err || errlen == 0)
        return;
    if (strncmp(err, "line ", 5) == 0)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err[0] ? err : "rejected");
    conf_err(err, errlen, "line %d: %s", lineno, msg);
}

static int conf_line(const char *p, const char *end, int lineno, conf_setting_fn fn,
                     void *ctx, char *err, size_t errlen)
{
    char key[CONF_MAX_KEY + 1], value[CONF_MAX_LINE + 1];
    while (p < end && conf_is_space(*p))
        p++;
    if (p == end || *p == '#')
        return 0;
    const char *k = p;
    while (p < end && conf_is_key_char(*p))
        p++;
    size_t klen = (size_t)(p - k);
    if (klen == 0) {
        conf_err(err, errlen, "line %d: expected a key (a-z, 0-9, _)", lineno);
        return -1;
    }
    if (klen > CONF_MAX_KEY) {
        conf_err(err, errlen, "line %d: key longer than %d characters", lineno, CONF_MAX_KEY);
        return -1;
    }
    memcpy(key, k, klen);
    key[klen] = '\0';
    while (p < end && conf_is_space(*p))
        p++;
    if (p == end || *p != '=') {
        conf_err(err, errlen, "line %d: expected '=' after key \"%s\"", lineno, key);
        return -1;
    }
    for (p++; p < end && conf_is_space(*p); p++)
        ;
    if (p < end && *p == '"') {
        if (conf_quoted(p, end, value, lineno, err, errlen) < 0)
            return -1;
    } else {
        conf_unquoted(p, end, value);
    }
    if (fn && fn(ctx, key, value, lineno, err, errlen) != 0) {
        conf_prefix_line(err, errlen, lineno);
        return -1;
    }
    return 0;
}

int conf_parse_buffer(const char *buf, size_t len, conf_setting_fn fn, void *ctx,
                      char *err, size_t errlen)
{
    /* An absent buffer is an empty file; NULL + 0 is not defined C. */
    if (!buf)
        return 0;
    const char *p = buf, *end = buf + len;
    /* Editors on Windows start UTF-8 files with a byte order mark. */
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (int lineno = 1; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        if (eol > p && eol[-1] == '\r')
            eol--;
        if (memchr(p, '\0', (size_t)(eol - p))) {
            conf_err(err, errlen, "line %d: NUL byte", lineno);
            return -1;
        }
        if (eol - p > CONF_MAX_LINE) {
            conf_err(err, errlen, "line %d: longer than %d bytes", lineno, CONF_MAX_LINE);
            return -1;
        }
        if (conf_line(p, eol, lineno, fn, ctx, err, errlen) < 0)
            return -1;
        p = next;
    }
    return 0;
}

static char *conf_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        conf_err(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) < 0) {
        conf_err(err, errlen, "%s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        conf_err(err, errlen, "%s: not a regular file", path);
    } else if ((unsigned long long)st.st_size > CONF_MAX_FILE) {
        conf_err(err, errlen, "%s: larger than %u bytes", path, CONF_MAX_FILE);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        conf_err(err, errlen, "%s: out of memory", path);
    } else {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                conf_err(err, errlen, "%s: %s", path, strerror(errno));
                free(buf);
                buf = NULL;
                break;
            }
            if (r == 0)
                break; /* the file shrank under us: parse what is there */
            got += (size_t)r;
        }
        *len = got;
    }
    close(fd);
    return buf;
}

int conf_parse_file(const char *path, conf_setting_fn fn, void *ctx, char *err,
                    size_t errlen)
{
    size_t len = 0;
    char *buf = conf_read_file(path, &len, err, errlen);
    if (!buf)
        return -1;
    int rc = conf_parse_buffer(buf, len, fn, ctx, err, errlen);
    free(buf);
    if (rc < 0 && err && errlen) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", err);
        conf_err(err, errlen, "%s: %s", path, msg);
    }
    return rc;
}

int conf_parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    if (!v)
        return -1;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}

/* Digits only: strtoul alone would take "-1", " 5" and "0x10". */
static int conf_digits(const char *v, const char **end, unsigned long *out)
{
    const char *p = v;
    unsigned long n = 0;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (n > (ULONG_MAX - d) / 10)
            return -1;
        n = n * 10 + d;
    }
    *end = p;
    *out = n;
    return 0;
}

int conf_parse_uint(const char *v, unsigned long max, unsigned long *out)
{
    const char *end;
    unsigned long n;
    if (!v || conf_digits(v, &end, &n) < 0 || *end != '\0' || n > max)
        return -1;
    *out = n;
    return 0;
}

int conf_parse_duration_ms(const char *v, unsigned long *out)
{
    static const struct {
        const char *suffix;
        unsigned long ms;
    } units[] = {
        { "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
        { "h", 3600000 }, { "d", 86400000 },
    };
    const char *end;
    unsigned long n;
    if (!v || conf_digits(v, &end, &n) < 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) != 0)
            continue;
        if (n > ULONG_MAX / units[i].ms)
            return -1;
        *out = n * units[i].ms;
        return 0;
    }
    return -1;
}
