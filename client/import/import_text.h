/* The text of a CSV file as UTF-8, whatever Excel saved it as: UTF-8, UTF-8
 * with a byte-order mark, or GB18030/GBK (the default of Chinese Windows). */
#ifndef HZ_IMPORT_TEXT_H
#define HZ_IMPORT_TEXT_H

#include <stddef.h>

/* encoding: "auto" (NULL too): a BOM or valid UTF-8 means UTF-8, anything
 * else is read as GB18030; "utf-8"; "gb18030" ("gbk", "gb2312" are read as
 * GB18030, their superset). Returns 0 with *out (malloc'd, NUL-terminated)
 * and *used (the encoding found), or -1 with err "line L: ..." naming the
 * first bytes that fit neither. */
int import_decode(const char *buf, size_t len, const char *encoding, char **out,
                  size_t *outlen, const char **used, char *err, size_t errlen);

/* 0 when name is an encoding import_decode knows. */
int import_encoding_known(const char *name);

#endif
