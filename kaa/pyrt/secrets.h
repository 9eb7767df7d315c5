/* secrets.c: Python's secrets module, over the platform's entropy (osrandom.h). */
#pragma once
#include "object.h"

kval k_secrets_token_bytes(kval nbytes);      /* nbytes: an int or None (32) */
kval k_secrets_token_hex(kval nbytes);
kval k_secrets_token_urlsafe(kval nbytes);
kval k_secrets_randbelow(kval exclusive_upper_bound);
kval k_secrets_randbits(i64 k);
kval k_secrets_choice(kval seq);
