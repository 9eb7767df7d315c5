/* Layout of a formatted number (format(), f-strings) for int and float: sign, prefix,
 * grouped integer digits, tail, then fill and alignment, exactly as CPython 3.11's
 * formatter_unicode.c lays numbers out. See format_number.c. */
#pragma once
#include "object.h"

/* Lay out a number as a new str (0 when raised):
 *   [lpad] [sign] [prefix] [spad] [grouped digits] [tail] [rpad]
 * negative: '-' is written; otherwise spec->sign ('+' or ' ') decides.
 * prefix: "0x", "0b", ... or NULL/"" (ASCII). intdigits[0..nint): ASCII digits, grouped
 * per spec->grouping (every 3, or every 4 for '_' with types b o x X). tail[0..ntail):
 * UTF-8 text after them (fraction, exponent, '%', "inf", a 'c' character).
 * Padding to spec->width with spec->fill: align spec->align, or '=' when spec->zero and
 * no align was given, or default_align. With fill '0' and align '=' the padding becomes
 * leading zeros of the digits, grouped like them ("0,001,234"). */
kval k_format_numeric(bool negative, const char *prefix, const u8 *intdigits, i64 nint, const u8 *tail, i64 ntail,
                      const KFormatSpec *spec, char default_align);
