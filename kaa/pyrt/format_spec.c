/* The format-spec mini-language (format(), f-strings): parsing into a KFormatSpec,
 * format() for str, and k_format, which dispatches on the value's type.
 *
 *   [[fill]align][sign][z][#][0][width][grouping][.precision][type]
 *
 * Parsing follows CPython 3.11's order of checks and messages. Conventions of the
 * parsed form (object.h's KFormatSpec), which the int and float formatters rely on:
 *   - a '0' before the width sets `zero` and, when no fill was given, fill = '0';
 *     `align` stays 0 unless given, so a number with zero set and no align pads
 *     after the sign ('='), and a str pads on the right with '0's;
 *   - `type` is the character given, 0 when none (each type has its default);
 *   - grouping is checked against the effective type here ("Cannot specify ',' with
 *     'x'."), so formatters can trust it; '_' with b/o/x/X groups by four.
 * The 'z' option (coerce negative zero) has no field in KFormatSpec: k_format
 * applies it to floats itself, and rejects it for str and int as CPython does.
 */
#include "str.h"
#include "int.h"
#include "float.h"

typedef struct { const u8 *p, *end; } Cursor;

static bool is_align(u32 c) { return c == '<' || c == '>' || c == '^' || c == '='; }

static u32 peek(const Cursor *c, i64 ahead) {
    const u8 *p = c->p;
    for (; ahead > 0 && p < c->end; ahead--) do p++; while (p < c->end && (*p & 0xC0) == 0x80);
    if (p >= c->end) return 0xFFFFFFFF;
    i64 adv;
    return k_utf8_decode(p, &adv);
}

static void advance(Cursor *c) {
    do c->p++; while (c->p < c->end && (*c->p & 0xC0) == 0x80);
}

/* Digits as a width or precision: -1 none, -2 raised (too many digits). */
static i64 parse_int(Cursor *c) {
    i64 v = -1;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        i64 digit = *c->p - '0';
        if (v < 0) v = 0;
        if (v > ((i64)0x7FFFFFFFFFFFFFFF - digit) / 10) {
            k_raise_str(&k_ValueError_type, "Too many decimal digits in format string");
            return -2;
        }
        v = v * 10 + digit;
        c->p++;
    }
    return v;
}

static void type_code_text(u32 t, char *out) {   /* 'x' itself, or \x.. for others */
    if (t > 32 && t < 128) { out[0] = (char)t; out[1] = 0; return; }
    int n = 0, digits = 0;
    out[n++] = '\\';
    out[n++] = 'x';
    for (u32 v = t; v; v >>= 4) digits++;
    if (!digits) digits = 1;
    for (int i = digits - 1; i >= 0; i--) out[n++] = "0123456789abcdef"[(t >> (4 * i)) & 0xF];
    out[n] = 0;
}

static bool unknown_code(u32 t, const char *tname) {
    char code[16];
    type_code_text(t, code);
    k_raise_fmt(&k_ValueError_type, "Unknown format code '%s' for object of type '%s'", code, tname);
    return 0;
}

static bool check_grouping(char grouping, u32 type) {
    switch (type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
        return 1;
    case 'b': case 'o': case 'x': case 'X':
        if (grouping == '_') return 1;
    }
    char code[16];
    type_code_text(type, code);
    k_raise_fmt(&k_ValueError_type, "Cannot specify '%s' with '%s'.", grouping == ',' ? "," : "_", code);
    return 0;
}

static bool parse_grouping(Cursor *c, KFormatSpec *out) {
    if (c->p < c->end && *c->p == ',') { out->grouping = ','; c->p++; }
    if (c->p < c->end && *c->p == '_') {
        if (out->grouping) goto both;
        out->grouping = '_';
        c->p++;
    }
    if (c->p < c->end && *c->p == ',' && out->grouping == '_') goto both;
    return 1;
both:
    k_raise_str(&k_ValueError_type, "Cannot specify both ',' and '_'.");
    return 0;
}

bool k_format_spec_parse_as(kval spec, const char *tname, char default_type, KFormatSpec *out, bool *no_neg_zero) {
    *out = (KFormatSpec){.fill = ' ', .width = -1, .precision = -1};
    *no_neg_zero = 0;
    Cursor c = {k_str_data(spec), k_str_data(spec) + k_str_nbytes(spec)};
    bool fill_given = 0;
    if (is_align(peek(&c, 1))) {
        out->fill = peek(&c, 0);
        out->align = (char)peek(&c, 1);
        fill_given = 1;
        advance(&c), advance(&c);
    } else if (is_align(peek(&c, 0))) {
        out->align = (char)*c.p++;
    }
    if (c.p < c.end && (*c.p == '+' || *c.p == '-' || *c.p == ' ')) out->sign = (char)*c.p++;
    if (c.p < c.end && *c.p == 'z') { *no_neg_zero = 1; c.p++; }
    if (c.p < c.end && *c.p == '#') { out->alternate = 1; c.p++; }
    if (c.p < c.end && *c.p == '0') {
        out->zero = 1;
        if (!fill_given) out->fill = '0';
        c.p++;
    }
    if ((out->width = parse_int(&c)) == -2 || !parse_grouping(&c, out)) return 0;
    if (c.p < c.end && *c.p == '.') {
        c.p++;
        if ((out->precision = parse_int(&c)) == -2) return 0;
        if (out->precision == -1) {
            k_raise_str(&k_ValueError_type, "Format specifier missing precision");
            return 0;
        }
    }
    if (c.p < c.end && peek(&c, 1) != 0xFFFFFFFF) {
        k_raise_fmt(&k_ValueError_type, "Invalid format specifier '%S' for object of type '%s'", spec, tname);
        return 0;
    }
    u32 type = c.p < c.end ? peek(&c, 0) : 0;
    if (out->grouping && !check_grouping(out->grouping, type ? type : (u32)(u8)default_type)) return 0;
    if (type >= 0x80) return unknown_code(type, tname);
    out->type = (char)type;
    return 1;
}

bool k_format_spec_parse(kval spec, KFormatSpec *out) {
    bool z;
    return k_format_spec_parse_as(spec, "int", 'd', out, &z);
}

/* ---- format(str, spec) ---- */

static bool str_spec_ok(const KFormatSpec *spec, bool no_neg_zero) {
    const char *msg = 0;
    if (spec->type != 's' && spec->type != 0) return unknown_code((u8)spec->type, "str");
    if (spec->sign == ' ') msg = "Space not allowed in string format specifier";
    else if (spec->sign) msg = "Sign not allowed in string format specifier";
    else if (no_neg_zero) msg = "Negative zero coercion (z) not allowed in string format specifier";
    else if (spec->alternate) msg = "Alternate form (#) not allowed in string format specifier";
    else if (spec->align == '=') msg = "'=' alignment not allowed in string format specifier";
    if (msg) k_raise_str(&k_ValueError_type, msg);
    return !msg;
}

static kval str_format(kval s, const KFormatSpec *spec, bool no_neg_zero);

kval k_str_format(kval s, const KFormatSpec *spec) { return str_format(s, spec, 0); }

static kval str_format(kval s, const KFormatSpec *spec, bool no_neg_zero) {
    if (!str_spec_ok(spec, no_neg_zero)) return 0;
    i64 len = k_str_len(s);
    if (spec->precision >= 0 && spec->precision < len) len = spec->precision;
    i64 total = spec->width > len ? spec->width : len;
    if (total == k_str_len(s) && len == total) return k_newref(s);
    i64 marg = total - len, left = spec->align == '>' ? marg : spec->align == '^' ? marg / 2 : 0;
    u8 fill[4];
    int fn = k_utf8_encode(spec->fill, fill);
    const u8 *body = k_str_data(s);
    i64 body_n = k_str_offset(s, len) - body;
    kval r = k_str_new_raw(body_n + marg * fn, total);
    if (total == 0) return r;
    u8 *w = (u8 *)k_str_data(r);
    for (i64 i = 0; i < left; i++, w += fn) __builtin_memcpy(w, fill, (u64)fn);
    __builtin_memcpy(w, body, (u64)body_n);
    w += body_n;
    for (i64 i = left; i < marg; i++, w += fn) __builtin_memcpy(w, fill, (u64)fn);
    return r;
}

/* ---- format(v, spec) ---- */

/* 'z': a float whose formatted text is a negative zero ("-0.00", "-0e+00") is formatted
 * as its absolute value. */
static kval float_format_z(double d, const KFormatSpec *spec) {
    kval r = k_float_format(d, spec);
    double shown = spec->type == '%' ? d * 100 : d;       /* (-1e307 as '%' is -inf: no zero) */
    if (!r || !__builtin_signbit(d) || __builtin_isnan(d) || __builtin_isinf(shown)) return r;
    const u8 *p = k_str_data(r);
    for (i64 i = 0; i < k_str_nbytes(r); i++)
        if (p[i] >= '1' && p[i] <= '9') return r;
    k_decref(r);
    return k_float_format(-d, spec);
}

static bool str_has(const char *set, char c) {
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

/* An int formatted as a float ('e', 'f', '%'...) is never a negative zero, so 'z' is
 * ignored there; with an integer presentation it is an error (after the unknown-code
 * check, which the formatters make). */
kval k_format(kval v, kval spec) {
    if (!k_is_str(spec)) {
        k_raise_fmt(&k_TypeError_type, "format() argument 2 must be str, not %s", k_type_of(spec)->name);
        return 0;
    }
    if (k_str_nbytes(spec) == 0) return k_str(v);
    const KType *t = k_type_of(v);
    KFormatSpec fs;
    bool z;
    if (k_isinstance(v, &k_int_type) || t == &k_float_type || t == &k_str_type) {
        bool is_float = t == &k_float_type, is_str = t == &k_str_type;
        if (!k_format_spec_parse_as(spec, t->name, is_float ? 0 : is_str ? 's' : 'd', &fs, &z)) return 0;
        if (is_float) return z ? float_format_z(k_float_unbox(v), &fs) : k_float_format(k_float_unbox(v), &fs);
        if (is_str) return str_format(v, &fs, z);
        if (z && fs.precision < 0 && (fs.type == 0 || str_has("bcdoxXn", fs.type))) {
            k_raise_str(&k_ValueError_type, "Negative zero coercion (z) not allowed in integer format specifier");
            return 0;
        }
        return k_int_format(v, &fs);
    }
    k_raise_fmt(&k_TypeError_type, "unsupported format string passed to %s.__format__", t->name);
    return 0;
}
