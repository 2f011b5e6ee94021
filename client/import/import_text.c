/* Encoding detection and conversion of imported files. */
#include "import/import_text.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "i18n.h"

static unsigned text_line_at(const char *buf, size_t off)
{
    unsigned line = 1;

    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* "E4 B8" style, at most 4 bytes, for naming what could not be read. */
static void text_hex(const char *p, size_t n, char out[16])
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && i < 4 && p[i] != '\n' && p[i] != '\r'; i++)
        o += (size_t)snprintf(out + o, 16 - o, "%s%02X", i ? " " : "", (unsigned char)p[i]);
}

static int text_copy(const char *buf, size_t len, char **out, size_t *outlen)
{
    if ((*out = malloc(len + 1)) == NULL)
        return -1;
    memcpy(*out, buf, len);
    (*out)[len] = '\0';
    *outlen = len;
    return 0;
}

static int text_from_gb18030(const char *buf, size_t len, char **out, size_t *outlen,
                             char *err, size_t errlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    size_t cap = len * 2 + 16, inleft = len, outleft = cap;
    char *in = (char *)buf, *o, *res = malloc(cap + 1);

    if (cd == (iconv_t)-1 || res == NULL) {
        snprintf(err, errlen, _("cannot convert from GB18030 (%s)"), strerror(errno));
        if (cd != (iconv_t)-1)
            iconv_close(cd);
        free(res);
        return -1;
    }
    o = res;
    /* GB18030 takes at most 4 bytes per character, UTF-8 at most 4: 2x is plenty. */
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    iconv_close(cd);
    if (r == (size_t)-1) {
        char hex[16];
        size_t off = (size_t)(in - buf);
        text_hex(in, inleft, hex);
        snprintf(err, errlen, _("line %u: bytes %s are neither UTF-8 nor GB18030 (save the sheet "
                 "as \"CSV UTF-8\", or give --encoding)"), text_line_at(buf, off), hex);
        free(res);
        return -1;
    }
    *o = '\0';
    *out = res;
    *outlen = (size_t)(o - res);
    return 0;
}

int import_encoding_known(const char *e)
{
    static const char *const names[] = {"auto", "utf-8", "utf8", "gb18030", "gbk", "gb2312"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(e, names[i]) == 0)
            return 0;
    return -1;
}

static int text_utf8(const char *buf, size_t len, char **out, size_t *outlen, char *err,
                     size_t errlen)
{
    if (!utf8_valid(buf, len)) {
        size_t off = utf8_valid_prefix(buf, len);
        char hex[16];
        text_hex(buf + off, len - off, hex);
        snprintf(err, errlen, _("line %u: bytes %s are not UTF-8 (a file saved by Excel as "
                 "\"CSV\" is GB18030: try --encoding gb18030)"), text_line_at(buf, off), hex);
        return -1;
    }
    if (text_copy(buf, len, out, outlen) < 0) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    return 0;
}

int import_decode(const char *buf, size_t len, const char *enc, char **out, size_t *outlen,
                  const char **used, char *err, size_t errlen)
{
    int bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
    int rc;

    *out = NULL;
    if (len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0)) {
        snprintf(err, errlen, _("line 1: UTF-16 text (Excel's \"Unicode Text\"); save the sheet "
                 "as \"CSV UTF-8\" or \"CSV\" instead"));
        return -1;
    }
    if (memchr(buf, '\0', len)) {
        snprintf(err, errlen, _("line %u: a NUL byte: not a text file"),
                 text_line_at(buf, (size_t)((const char *)memchr(buf, '\0', len) - buf)));
        return -1;
    }
    if (enc == NULL || strcasecmp(enc, "auto") == 0) {
        if (bom || utf8_valid(buf, len))
            enc = "utf-8";
        else
            enc = "gb18030";
    }
    if (strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0) {
        *used = bom ? "UTF-8 with BOM" : "UTF-8";
        rc = text_utf8(buf + 3 * bom, len - 3 * (size_t)bom, out, outlen, err, errlen);
    } else {
        *used = "GB18030";
        rc = text_from_gb18030(buf, len, out, outlen, err, errlen);
    }
    return rc;
}
