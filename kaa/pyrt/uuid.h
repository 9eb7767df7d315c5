/* uuid.c: Python's uuid module (RFC 4122): UUID objects, uuid3/uuid4/uuid5 and the
 * namespaces. A UUID is its 16 bytes, big-endian (CPython keeps the same value as an
 * int).
 */
#pragma once
#include "object.h"

typedef struct { KObj hdr; u8 b[16]; } KUUID;
extern const KType k_uuid_UUID_type;
extern KUUID k_uuid_NAMESPACE_DNS, k_uuid_NAMESPACE_URL, k_uuid_NAMESPACE_OID, k_uuid_NAMESPACE_X500;

/* uuid.UUID(hex, bytes, bytes_le, int, version) (no fields=): each argument k_None when absent. */
kval k_uuid_UUID(kval hex, kval bytes, kval bytes_le, kval int_, kval version);
kval k_uuid_uuid3(kval namespace_, kval name);
kval k_uuid_uuid4(void);
kval k_uuid_uuid5(kval namespace_, kval name);

/* The attributes (.hex, .int, .bytes, .bytes_le, .urn, .version, .variant). */
kval k_uuid_hex(kval u);
kval k_uuid_int(kval u);
kval k_uuid_bytes(kval u);
kval k_uuid_bytes_le(kval u);
kval k_uuid_urn(kval u);
kval k_uuid_version(kval u);        /* an int, or None when the variant is not RFC 4122's */
kval k_uuid_variant(kval u);        /* a str: uuid.RFC_4122 and the others */
