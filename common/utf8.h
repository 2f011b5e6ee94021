/* UTF-8: the one strict decoder (no overlongs, no surrogates, nothing above
 * U+10FFFF) behind every check, and terminal widths (CJK takes two columns). */
#ifndef HZ_UTF8_H
#define HZ_UTF8_H

#include <stdio.h>
#include <stddef.h>
#include <stdbool.h>

/* Columns a string takes on a terminal (wide East Asian characters count 2). */
size_t utf8_width(const char *s);
/* true when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/* Bytes of s[0..len) before the first malformed sequence (len when valid). */
size_t utf8_valid_prefix(const char *s, size_t len);
/* Length of the well-formed sequence at s (avail > 0 bytes readable), or 0
 * when it is malformed or cut short. */
size_t utf8_seq_len(const char *s, size_t avail);
/* Writes s then spaces up to `width` columns (left-aligned), or spaces first
 * when right_align. Never truncates. */
void utf8_fput_padded(FILE *f, const char *s, size_t width, bool right_align);

#endif
