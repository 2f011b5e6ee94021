/* UTF-8 helpers for terminal output: CJK characters take two columns. */
#ifndef HZ_UTF8_H
#define HZ_UTF8_H

#include <stdio.h>
#include <stddef.h>
#include <stdbool.h>

/* Columns a string takes on a terminal (wide East Asian characters count 2). */
size_t utf8_width(const char *s);
/* true when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/* Writes s then spaces up to `width` columns (left-aligned), or spaces first
 * when right_align. Never truncates. */
void utf8_fput_padded(FILE *f, const char *s, size_t width, bool right_align);

#endif
