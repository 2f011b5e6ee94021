/* UTF-8 checks and terminal column widths, independent of the C locale. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

typedef struct {
    uint32_t lo, hi;
} utf8_range;

/* Marks drawn over the previous character: no column of their own. */
static const utf8_range utf8_zero_width[] = {
    { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
    { 0x064B, 0x065F }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
    { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
    { 0x2060, 0x2064 }, { 0x20D0, 0x20FF }, { 0x302A, 0x302D }, { 0x3099, 0x309A },
    { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF }, { 0xE0100, 0xE01EF },
};

/* East Asian Wide and Fullwidth: two columns on every CJK-aware terminal. */
static const utf8_range utf8_wide[] = {
    { 0x1100, 0x115F },   { 0x2E80, 0x2FDF },   { 0x2FF0, 0x2FFF },
    { 0x3000, 0x303F },   { 0x3040, 0x30FF },   { 0x3100, 0x31FF },
    { 0x3200, 0x32FF },   { 0x3300, 0x33FF },   { 0x3400, 0x4DBF },
    { 0x4E00, 0x9FFF },   { 0xA000, 0xA4CF },   { 0xA960, 0xA97F },
    { 0xAC00, 0xD7A3 },   { 0xF900, 0xFAFF },   { 0xFE10, 0xFE19 },
    { 0xFE30, 0xFE4F },   { 0xFF00, 0xFF60 },   { 0xFFE0, 0xFFE6 },
    { 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF }, { 0x20000, 0x3FFFD },
};

static bool utf8_in(const utf8_range *r, size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi)
            return true;
    return false;
}

static size_t utf8_cp_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if (utf8_in(utf8_zero_width, sizeof utf8_zero_width / sizeof utf8_zero_width[0], cp))
        return 0;
    if (utf8_in(utf8_wide, sizeof utf8_wide / sizeof utf8_wide[0], cp))
        return 2;
    return 1;
}

/* Decodes one strict UTF-8 sequence (no overlongs, surrogates or values
 * above U+10FFFF). Returns its length, or 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    *cp = v;
    return n;
}

size_t utf8_width(const char *s)
{
    if (!s)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            /* Terminals show a replacement glyph per bad byte. */
            w++;
            i++;
            continue;
        }
        w += utf8_cp_width(cp);
        i += n;
    }
    return w;
}

size_t utf8_seq_len(const char *s, size_t avail)
{
    uint32_t cp;
    return utf8_decode((const unsigned char *)s, avail, &cp);
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_seq_len(s + i, len - i);
        if (n == 0)
            break;
        i += n;
    }
    return i;
}

bool utf8_valid(const char *s, size_t len)
{
    if (!s)
        return len == 0;
    return utf8_valid_prefix(s, len) == len;
}

void utf8_fput_padded(FILE *f, const char *s, size_t width, bool right_align)
{
    if (!s)
        s = "";
    size_t w = utf8_width(s);
    size_t pad = w < width ? width - w : 0;
    if (!right_align)
        fputs(s, f);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', f);
    if (right_align)
        fputs(s, f);
}
