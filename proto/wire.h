/* Constants of the wire contract shared by huizongd and huizong. */
#ifndef HZ_WIRE_H
#define HZ_WIRE_H

#include "huizong.pb-c.h"

/* Changes only for a breaking change of proto/huizong.proto. */
#define HZ_PROTOCOL_VERSION 1u
#define HZ_DEFAULT_PORT 7443
#define HZ_FRAME_HEADER_BYTES 4u
#define HZ_DEFAULT_MAX_FRAME (1u << 20)
#define HZ_DEFAULT_MAX_BATCH 5000u

/* Canonical name of a status code ("INVALID_ARGUMENT"), "UNKNOWN" if out of range. */
const char *wire_status_name(Huizong__Status s);
/* Parses a canonical name back; returns HUIZONG__STATUS__UNKNOWN when not known. */
Huizong__Status wire_status_from_name(const char *name);
/* "community", "district", "admin"; NULL for anything else. */
const char *wire_role_name(Huizong__Role r);
/* Parses a role name; HUIZONG__ROLE__ROLE_UNSPECIFIED when not known. */
Huizong__Role wire_role_from_name(const char *name);

#endif
