/* The string module's constants: ASCII strs, as the module defines them. */
#include "string_module.h"

#define STRING_CONST(name, text) \
    KStringConst name = {{K_STATIC_HDR(&k_str_type), sizeof(text) - 1, sizeof(text) - 1, -1}, text}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"
#define PUNCTUATION "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
#define WHITESPACE " \t\n\r\v\f"

STRING_CONST(k_string_ascii_lowercase, LOWER);
STRING_CONST(k_string_ascii_uppercase, UPPER);
STRING_CONST(k_string_ascii_letters, LOWER UPPER);
STRING_CONST(k_string_digits, DIGITS);
STRING_CONST(k_string_hexdigits, DIGITS "abcdef" "ABCDEF");
STRING_CONST(k_string_octdigits, "01234567");
STRING_CONST(k_string_punctuation, PUNCTUATION);
STRING_CONST(k_string_whitespace, WHITESPACE);
STRING_CONST(k_string_printable, DIGITS LOWER UPPER PUNCTUATION WHITESPACE);
