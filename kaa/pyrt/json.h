/* Python's json module for services: json.dumps (json.c) and json.loads (json_decode.c),
 * with CPython 3.11's output, acceptance and error messages. See those files for the
 * design. Arguments are borrowed; results new references, 0 when an exception was
 * raised. */
#pragma once
#include "object.h"

/* json.dumps(obj, skipkeys=, ensure_ascii=, check_circular=, allow_nan=, indent=,
 * separators=, default=, sort_keys=). indent: None, an int or a str; separators: None or
 * a pair of strs; default_fn: None or a callable of one argument. */
kval k_json_dumps(kval obj, bool skipkeys, bool ensure_ascii, bool check_circular, bool allow_nan,
                  kval indent, kval separators, kval default_fn, bool sort_keys);
kval k_json_dumps_utf8(kval obj, bool skipkeys, bool ensure_ascii, bool check_circular, bool allow_nan,
                       kval indent, kval separators, kval default_fn, bool sort_keys);   /* ...encode("utf-8") */
kval k_json_dumps_asdict(kval obj, bool utf8);      /* json.dumps(dataclasses.asdict(obj)), utf8: as bytes */

/* json.loads(s): s a str, bytes or bytearray (bytes in UTF-8, -16 or -32, as CPython's
 * detect_encoding picks). */
kval k_json_loads(kval s);

/* json.JSONDecodeError(ValueError), module "json.decoder". Its fields are the compiler's
 * fields of the class (kaa/service/modules/json_module.py names them in this order), so
 * `e.msg`, `e.pos`, ... read them; json.loads sets them all. */
typedef struct {
    KException exc;
    kval msg;           /* the message without the position */
    kval doc;           /* str: the document being parsed */
    kval pos;           /* int: the code point index of the error */
    kval lineno;        /* int: 1-based line */
    kval colno;         /* int: 1-based column (code points) */
} JSONDecodeError_obj;

extern const KType k_JSONDecodeError_type;

/* JSONDecodeError(msg, doc, pos) as CPython's constructor: its args are the one message
 * "msg: line L column C (char P)", its fields set. A new instance (not raised), or 0. */
kval k_JSONDecodeError_new(kval msg, kval doc, kval pos);
