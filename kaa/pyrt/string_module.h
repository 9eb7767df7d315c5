/* string_module.c: the constants of Python's string module, static str objects (never
 * freed; a service uses them as borrowed values: K_VAL(&k_string_digits.s)). */
#pragma once
#include "str.h"

typedef struct { KStr s; u8 d[101]; } KStringConst;     /* room for the longest, printable */

extern KStringConst k_string_ascii_letters, k_string_ascii_lowercase, k_string_ascii_uppercase, k_string_digits,
    k_string_hexdigits, k_string_octdigits, k_string_punctuation, k_string_printable, k_string_whitespace;
