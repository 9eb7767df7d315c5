/* open() and file objects, as CPython's io module behaves for regular files.
 *
 * A file object (KFile) holds the platform's handle (file.h's k_fs_* calls) and two
 * buffers, at most one of them holding anything at a time:
 * - reads: rbuf[rpos..rlen) were read from the handle and not yet consumed, so they sit
 *   just before the handle's position. Whatever uses that position (a write, seek,
 *   tell, truncate) first gives them back (drop_unread seeks the handle back);
 * - writes: wbuf[0..wlen) were written by the program and not yet given to the
 *   platform. flush(), close(), and anything that reads or moves the position first
 *   hand them over (flush_writes), as CPython's buffered files do.
 * So the logical position is handle position - unread + pending. Once handed over,
 * written bytes are the platform's: booted, the kernel's block cache (file_bridge.py
 * says when that reaches the disk: at close(), os.fsync() ...).
 *
 * Text files are UTF-8 with universal newlines on read ("\r\n" and "\r" read as "\n";
 * both bytes are ASCII, so the translation works on the bytes before decoding) and no
 * translation on write (os.linesep is "\n"). read(n) counts characters: a byte that is
 * not a UTF-8 continuation byte starts one. tell() is the byte position (CPython's
 * cookie when no decoder state is pending), seek() takes it back.
 */
#include "file.h"
#include "bytes.h"
#include "int.h"
#include "list.h"
#include "str.h"
#include "tuple.h"

enum { RBUF = 8192, WBUF = 8192 };           /* CPython's io.DEFAULT_BUFFER_SIZE */

typedef struct {
    KObj hdr;
    i64 fd;                 /* the platform's handle; -1 once closed */
    kval name, mode;        /* as CPython shows them */
    kval encoding;          /* text files: as given, or "UTF-8"; else 0 */
    i64 flags;              /* K_FS_* it was opened with */
    bool text;
    u8 *rbuf;               /* RBUF bytes, made on the first read */
    i64 rpos, rlen;         /* rbuf[rpos..rlen): read ahead, not yet consumed */
    u8 *wbuf;               /* WBUF bytes, made on the first write */
    i64 wlen;               /* wbuf[0..wlen): written, not yet handed to the platform */
} KFile;

static KFile *F(kval v) { return (KFile *)v; }

/* A growing byte buffer for what a read returns. */
typedef struct { u8 *p; i64 n, cap; } Out;

static void out_reserve(Out *o, i64 more) {
    if (o->n + more <= o->cap) return;
    i64 cap = o->cap * 2 > o->n + more ? o->cap * 2 : o->n + more;
    if (cap < 256) cap = 256;
    o->p = k_mrealloc(o->p, (u64)o->cap, (u64)cap);
    o->cap = cap;
}

static void out_put(Out *o, const u8 *p, i64 n) {
    out_reserve(o, n);
    if (n) __builtin_memcpy(o->p + o->n, p, (u64)n);
    o->n += n;
}

/* ---- errors ---- */

static const char *strerror_of(i64 e) {
    switch (e) {
    case 1: return "Operation not permitted";
    case 2: return "No such file or directory";
    case 5: return "Input/output error";
    case 9: return "Bad file descriptor";
    case 12: return "Cannot allocate memory";
    case 13: return "Permission denied";
    case 16: return "Device or resource busy";
    case 17: return "File exists";
    case 18: return "Invalid cross-device link";
    case 19: return "No such device";
    case 20: return "Not a directory";
    case 21: return "Is a directory";
    case 22: return "Invalid argument";
    case 23: return "Too many open files in system";
    case 24: return "Too many open files";
    case 27: return "File too large";
    case 28: return "No space left on device";
    case 30: return "Read-only file system";
    case 31: return "Too many links";
    case 36: return "File name too long";
    case 39: return "Directory not empty";
    case 40: return "Too many levels of symbolic links";
    case 95: return "Operation not supported";
    case 107: return "Transport endpoint is not connected";
    case 117: return "Structure needs cleaning";
    default: return 0;
    }
}

/* CPython's choice of OSError subclass by errno (Objects/exceptions.c, errnomap). */
static const KType *oserror_type(i64 e) {
    switch (e) {
    case 1: case 13: return &k_PermissionError_type;
    case 2: return &k_FileNotFoundError_type;
    case 17: return &k_FileExistsError_type;
    case 20: return &k_NotADirectoryError_type;
    case 21: return &k_IsADirectoryError_type;
    default: return &k_OSError_type;
    }
}

kval k_fs_raise(i64 err, kval filename, kval filename2) {
    i64 e = err < 0 ? -err : err;
    const char *text = strerror_of(e);
    kval msg = text ? k_str_from_cstr(text) : 0;
    if (!text) {                                   /* glibc's words for a number it has no name for */
        kval n = k_int_from_i64(e), ns = k_str(n), head = k_str_from_ascii("Unknown error ", 14);
        kval parts[2] = {head, ns};
        msg = k_str_join_parts(parts, 2);
        k_decref(n); k_decref(ns); k_decref(head);
    }
    kval no = k_int_from_i64(e);
    kval args = filename2 ? k_tuple_pack(5, no, msg, filename, k_None, filename2)
                : filename ? k_tuple_pack(3, no, msg, filename) : k_tuple_pack(2, no, msg);
    k_decref(no);
    k_decref(msg);
    k_raise(k_exc_new(oserror_type(e), args));
    k_decref(args);
    return 0;
}

bool k_fs_path(kval path, kaa_str *out) {
    const u8 *p = k_str_data(path);
    i64 n = k_str_nbytes(path);
    for (i64 i = 0; i < n; i++)
        if (p[i] == 0) {
            k_raise_str(&k_ValueError_type, "embedded null byte");
            return false;
        }
    *out = (kaa_str){p, (u64)n};
    return true;
}

static bool check_open(KFile *f, const char *closed_msg) {
    if (f->fd >= 0) return true;
    k_raise_str(&k_ValueError_type, closed_msg ? closed_msg : "I/O operation on closed file.");
    return false;
}

/* io.UnsupportedOperation when f was not opened for `need` (K_FS_READ or K_FS_WRITE). */
static bool check_can(KFile *f, i64 need, const char *closed_msg) {
    if (!check_open(f, closed_msg)) return false;
    if (f->flags & need) return true;
    bool r = need == K_FS_READ;
    const char *what = f->text ? (r ? "not readable" : "not writable") : (r ? "read" : "write");
    k_raise_str(&k_io_UnsupportedOperation_type, what);
    return false;
}

/* ---- the buffers ---- */

/* Hands n bytes to the platform at once. */
static bool write_raw(KFile *f, const u8 *p, i64 n) {
    while (n > 0) {
        i64 r = k_fs_write(f->fd, p, n);
        if (r <= 0) {
            k_fs_raise(r < 0 ? r : -K_EIO, 0, 0);
            return false;
        }
        p += r;
        n -= r;
    }
    return true;
}

/* The pending writes, handed over (dropped if that fails, the error raised). */
static bool flush_writes(KFile *f) {
    i64 n = f->wlen;
    f->wlen = 0;
    return write_raw(f, f->wbuf, n);
}


/* Moves the unread bytes to the front and reads more after them: the count added, 0 at
 * the end of the file, -1 raised. */
static i64 refill(KFile *f) {
    if (!f->rbuf) f->rbuf = k_malloc(RBUF);
    i64 keep = f->rlen - f->rpos;
    if (keep && f->rpos) __builtin_memmove(f->rbuf, f->rbuf + f->rpos, (u64)keep);
    f->rpos = 0;
    f->rlen = keep;
    i64 r = k_fs_read(f->fd, f->rbuf + keep, RBUF - keep);
    if (r < 0) {
        k_fs_raise(r, 0, 0);
        return -1;
    }
    f->rlen += r;
    return r;
}

/* Gives the read-ahead back to the handle, whose position becomes the logical one. */
static bool drop_unread(KFile *f) {
    i64 unread = f->rlen - f->rpos;
    f->rpos = f->rlen = 0;
    if (!unread) return true;
    i64 r = k_fs_seek(f->fd, -unread, 1);
    if (r < 0) k_fs_raise(r, 0, 0);
    return r >= 0;
}

/* Before reading, or moving the position: no pending writes. */
static bool settle_writes(KFile *f) { return f->wlen == 0 || flush_writes(f); }

static bool can_read(KFile *f, const char *closed_msg) {
    return check_can(f, K_FS_READ, closed_msg) && settle_writes(f);
}

static i64 position(KFile *f) {
    if (!settle_writes(f)) return -1;
    i64 r = k_fs_seek(f->fd, 0, 1);
    if (r < 0) {
        k_fs_raise(r, 0, 0);
        return -1;
    }
    return r - (f->rlen - f->rpos);
}

/* How many bytes are left after the handle's position (0 when that cannot be told):
 * read() of the whole file sizes its buffer by it. */
static i64 rest_of_file(KFile *f) {
    i64 st[K_STAT_FIELDS];
    i64 pos = k_fs_seek(f->fd, 0, 1);
    if (pos < 0 || k_fs_stat((kaa_str){0, 0}, f->fd, st) < 0 || st[K_STAT_SIZE] < pos) return 0;
    return st[K_STAT_SIZE] - pos;
}

/* Binary: up to size bytes (size < 0: all) into o. false: raised. */
static bool take_bytes(KFile *f, Out *o, i64 size) {
    while (size < 0 || o->n < size) {
        i64 unread = f->rlen - f->rpos;
        if (unread) {
            i64 k = size < 0 || unread < size - o->n ? unread : size - o->n;
            out_put(o, f->rbuf + f->rpos, k);
            f->rpos += k;
            continue;
        }
        i64 r;
        if (size < 0 || size - o->n >= RBUF) {    /* big reads go straight into the result */
            i64 room = size >= 0 ? size - o->n : o->cap - o->n;
            if (size < 0 && room < RBUF) room = o->cap ? (o->n > RBUF ? o->n : RBUF) : rest_of_file(f) + RBUF;
            out_reserve(o, room);
            r = k_fs_read(f->fd, o->p + o->n, room);
            if (r < 0) {
                k_fs_raise(r, 0, 0);
                return false;
            }
            o->n += r;
        } else {
            r = refill(f);
            if (r < 0) return false;
        }
        if (r == 0) break;
    }
    return true;
}

/* Binary readline: through the first b"\n" (at most size bytes when size >= 0). */
static bool take_line_bytes(KFile *f, Out *o, i64 size) {
    for (;;) {
        if (f->rpos == f->rlen) {
            i64 r = refill(f);
            if (r <= 0) return r == 0;
        }
        i64 i = f->rpos, end = f->rlen;
        if (size >= 0 && end - i > size - o->n) end = i + (size - o->n);
        while (i < end && f->rbuf[i] != '\n') i++;
        bool done = i < end || (size >= 0 && o->n + (i - f->rpos) == size);
        if (i < end) i++;                          /* the newline goes with the line */
        out_put(o, f->rbuf + f->rpos, i - f->rpos);
        f->rpos = i;
        if (done) return true;
    }
}

/* Text: characters into o as UTF-8 with "\r\n" and "\r" turned into "\n", until max
 * characters (max < 0: no limit), after the first newline with `line`, or at the end. */
static bool take_text(KFile *f, Out *o, i64 max, bool line) {
    i64 chars = 0;
    for (;;) {
        if (f->rpos == f->rlen) {
            i64 r = refill(f);
            if (r <= 0) return r == 0;
        }
        const u8 *b = f->rbuf;
        i64 i = f->rpos, n = f->rlen;
        bool full = false;
        while (i < n) {
            u8 c = b[i];
            if ((c & 0xC0) != 0x80) {              /* a character starts here */
                if (chars == max) { full = true; break; }
                if (c == '\r' || (c == '\n' && line)) break;
                chars++;
            }
            i++;
        }
        out_put(o, b + f->rpos, i - f->rpos);
        f->rpos = i;
        if (full) return true;
        if (i == n) continue;
        if (b[i] == '\r') {
            if (i + 1 == n) {                      /* is a "\n" next? read on to see */
                i64 r = refill(f);
                if (r < 0) return false;
                if (r > 0) continue;               /* the loop meets the "\r" again, with its successor */
            } else if (b[i + 1] == '\n') {
                f->rpos++;
            }
        }
        f->rpos++;
        out_put(o, (const u8 *)"\n", 1);
        chars++;
        if (line) return true;
    }
}

/* Valid UTF-8 as CPython's decoder takes it (no surrogates, no overlong forms). */
static bool utf8_valid(const u8 *p, i64 n) {
    i64 i = 0;
    while (i < n) {
        if (i + 8 <= n) {                          /* eight ASCII bytes at a time */
            u64 w;
            __builtin_memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) { i += 8; continue; }
        }
        u8 c = p[i];
        if (c < 0x80) { i++; continue; }
        int more = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
        u8 lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80, hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (!more || i + more >= n || p[i + 1] < lo || p[i + 1] > hi) return false;
        for (int k = 2; k <= more; k++)
            if ((p[i + k] & 0xC0) != 0x80) return false;
        i += more + 1;
    }
    return true;
}

/* The str of o's UTF-8; bytes.decode() words the error when it is not valid. */
static kval text_of(Out *o) {
    if (utf8_valid(o->p, o->n)) return o->n ? k_str_from_utf8(o->p, o->n) : k_str_empty();
    kval b = k_bytes_from(o->p, o->n);
    kval s = k_bytes_decode(b, k_None, k_None);
    k_decref(b);
    return s;
}

/* "\r\n" and "\r" become "\n", in place (read() of the whole rest of a text file). */
static void translate_newlines(Out *o) {
    i64 w = 0;
    for (i64 r = 0; r < o->n; r++) {
        u8 c = o->p[r];
        if (c == '\r') {
            c = '\n';
            if (r + 1 < o->n && o->p[r + 1] == '\n') r++;
        }
        o->p[w++] = c;
    }
    o->n = w;
}

static kval result(KFile *f, Out *o, bool ok) {
    kval r = !ok ? 0 : f->text ? text_of(o) : k_bytes_from(o->p, o->n);
    k_mfree(o->p);
    return r;
}

/* ---- reading ---- */

kval k_file_read(kval v, i64 size) {
    KFile *f = F(v);
    if (!can_read(f, f->text ? 0 : "read of closed file")) return 0;
    Out o = {0};
    if (f->text && size < 0) {                     /* the whole rest: read it all, then translate */
        bool ok = take_bytes(f, &o, -1);
        translate_newlines(&o);
        return result(f, &o, ok);
    }
    return result(f, &o, f->text ? take_text(f, &o, size, false) : take_bytes(f, &o, size));
}

kval k_file_readline(kval v, i64 size) {
    KFile *f = F(v);
    if (!can_read(f, 0)) return 0;
    Out o = {0};
    return result(f, &o, f->text ? take_text(f, &o, size < 0 ? -1 : size, true) : take_line_bytes(f, &o, size));
}

static kval file_next(kval v) {
    kval line = k_file_readline(v, -1);
    if (!line) return 0;
    if ((F(v)->text ? k_str_nbytes(line) : k_bytes_len(line)) == 0) {
        k_decref(line);
        return 0;                                  /* exhausted */
    }
    return line;
}

static kval file_iter(kval v) {
    if (!check_open(F(v), 0)) return 0;
    return k_newref(v);
}

kval k_file_readlines(kval v, i64 hint) {
    kval list = k_list_new(0);
    i64 total = 0;
    for (;;) {
        kval line = file_next(v);
        if (!line) {
            if (!k_exc) return list;
            k_decref(list);
            return 0;
        }
        total += F(v)->text ? k_str_len(line) : k_bytes_len(line);
        k_list_append_steal(list, line);
        if (hint > 0 && total >= hint) return list;
    }
}

/* ---- writing ---- */

static bool write_all(KFile *f, const u8 *p, i64 n) {
    if (!drop_unread(f)) return false;
    if (f->wlen + n > WBUF && !flush_writes(f)) return false;
    if (n >= WBUF) return write_raw(f, p, n);       /* big writes go straight through */
    if (!f->wbuf) f->wbuf = k_malloc(WBUF);
    __builtin_memcpy(f->wbuf + f->wlen, p, (u64)n);
    f->wlen += n;
    return true;
}

/* A str's UTF-8 as written: strict, so lone surrogates raise UnicodeEncodeError. */
static bool write_text(KFile *f, kval s) {
    const u8 *p = k_str_data(s);
    i64 n = k_str_nbytes(s);
    for (i64 i = 0; i + 1 < n; i++)
        if (p[i] == 0xED && p[i + 1] >= 0xA0) {    /* a surrogate's 3-byte form: let encode() say so */
            kval b = k_str_encode(s, k_None, k_None);
            if (!b) return false;
            k_decref(b);
            break;
        }
    return write_all(f, p, n);
}

kval k_file_write(kval v, kval data) {
    KFile *f = F(v);
    if (!check_can(f, K_FS_WRITE, f->text ? 0 : "write to closed file")) return 0;
    if (f->text) {
        if (!k_is_str(data)) {
            k_raise_fmt(&k_TypeError_type, "write() argument must be str, not %s", k_type_of(data)->name);
            return 0;
        }
        return write_text(f, data) ? k_int_from_i64(k_str_len(data)) : 0;
    }
    const u8 *p;
    i64 n;
    if (k_is_bytes(data)) {
        p = k_bytes_data(data);
        n = k_bytes_len(data);
    } else if (k_is_bytearray(data)) {
        p = ((KByteArray *)data)->data;
        n = ((KByteArray *)data)->len;
    } else {
        k_raise_fmt(&k_TypeError_type, "a bytes-like object is required, not '%s'", k_type_of(data)->name);
        return 0;
    }
    return write_all(f, p, n) ? k_int_from_i64(n) : 0;
}

int k_file_write_str(kval v, kval s) {
    KFile *f = F(v);
    if (!check_can(f, K_FS_WRITE, 0)) return -1;
    return write_text(f, s) ? 0 : -1;
}

int k_file_writelines(kval v, kval lines) {
    kval it = k_iter(lines);
    if (!it) return -1;
    kval x;
    while ((x = k_next(it))) {
        kval r = k_file_write(v, x);
        k_decref(x);
        if (!r) break;
        k_decref(r);
    }
    k_decref(it);
    return k_exc ? -1 : 0;
}

/* ---- position ---- */

kval k_file_seek(kval v, i64 offset, i64 whence) {
    KFile *f = F(v);
    if (!check_open(f, 0)) return 0;
    if (whence < 0 || whence > 2) {
        if (f->text) k_raise_fmt(&k_ValueError_type, "invalid whence (%d, should be 0, 1 or 2)", whence);
        else k_raise_fmt(&k_ValueError_type, "whence value %d unsupported", whence);
        return 0;
    }
    if (f->text && whence && offset) {
        k_raise_str(&k_io_UnsupportedOperation_type, whence == 1 ? "can't do nonzero cur-relative seeks"
                                                                 : "can't do nonzero end-relative seeks");
        return 0;
    }
    if (f->text && offset < 0) {
        k_raise_fmt(&k_ValueError_type, "negative seek position %d", offset);
        return 0;
    }
    if (!settle_writes(f) || !drop_unread(f)) return 0;
    i64 r = k_fs_seek(f->fd, offset, whence);
    return r < 0 ? k_fs_raise(r, 0, 0) : k_int_from_i64(r);
}

kval k_file_tell(kval v) {
    KFile *f = F(v);
    if (!check_open(f, 0)) return 0;
    i64 r = position(f);
    return r < 0 ? 0 : k_int_from_i64(r);
}

kval k_file_truncate(kval v, kval size) {
    KFile *f = F(v);
    if (!check_open(f, 0)) return 0;
    if (!(f->flags & K_FS_WRITE)) {
        k_raise_str(&k_io_UnsupportedOperation_type, "File not open for writing");
        return 0;
    }
    i64 n;
    if (size == k_None) {
        n = position(f);
        if (n < 0) return 0;
    } else if (!k_int_to_i64(size, &n)) {
        k_raise_str(&k_OverflowError_type, "Python int too large to convert to C long");
        return 0;
    }
    if (!settle_writes(f) || !drop_unread(f)) return 0;
    i64 r = k_fs_truncate(f->fd, n);
    return r < 0 ? k_fs_raise(r, 0, 0) : k_int_from_i64(n);
}

/* ---- the rest ---- */

int k_file_flush(kval v) { return check_open(F(v), 0) && flush_writes(F(v)) ? 0 : -1; }

int k_file_close(kval v) {
    KFile *f = F(v);
    if (f->fd < 0) return 0;
    bool flushed = flush_writes(f);                /* closed even when that failed, as CPython's */
    i64 r = k_fs_close(f->fd);
    f->fd = -1;
    k_mfree(f->rbuf);
    k_mfree(f->wbuf);
    f->rbuf = f->wbuf = 0;
    f->rpos = f->rlen = 0;
    if (!flushed) return -1;
    if (r < 0) {
        k_fs_raise(r, 0, 0);
        return -1;
    }
    return 0;
}

kval k_file_fileno(kval v) { return check_open(F(v), 0) ? k_int_from_i64(F(v)->fd) : 0; }
int k_file_readable(kval v) { return check_open(F(v), 0) ? (F(v)->flags & K_FS_READ) != 0 : -1; }
int k_file_writable(kval v) { return check_open(F(v), 0) ? (F(v)->flags & K_FS_WRITE) != 0 : -1; }
int k_file_seekable(kval v) { return check_open(F(v), 0) ? 1 : -1; }
kval k_file_enter(kval v) { return check_open(F(v), 0) ? k_newref(v) : 0; }
int k_file_exit(kval v, kval a, kval b, kval c) { (void)a; (void)b; (void)c; return k_file_close(v); }
kval k_file_name(kval v) { return k_newref(F(v)->name); }
kval k_file_mode(kval v) { return k_newref(F(v)->mode); }
bool k_file_closed(kval v) { return F(v)->fd < 0; }
kval k_file_encoding(kval v) { return k_newref(F(v)->encoding ? F(v)->encoding : k_None); }

static void file_clear(KObj *o) {
    KFile *f = (KFile *)o;
    if (f->fd >= 0) {                              /* as CPython's finalizer: flushed and closed, errors dropped */
        for (i64 done = 0, r = 1; done < f->wlen && r > 0; done += r > 0 ? r : 0)
            r = k_fs_write(f->fd, f->wbuf + done, f->wlen - done);
        k_fs_close(f->fd);
    }
    k_mfree(f->rbuf);
    k_mfree(f->wbuf);
    k_xdecref(f->name);
    k_xdecref(f->mode);
    k_xdecref(f->encoding);
}

/* <_io.TextIOWrapper name='a.txt' mode='r' encoding='UTF-8'>, <_io.BufferedReader name='a.bin'> */
static kval file_repr(kval v) {
    KFile *f = F(v);
    kval parts[9];
    i64 n = 0;
    parts[n++] = k_str_from_cstr("<_io.");
    parts[n++] = k_str_from_cstr(k_type_of(v)->name);
    parts[n++] = k_str_from_cstr(" name=");
    parts[n++] = k_repr(f->name);
    if (f->text) {
        parts[n++] = k_str_from_cstr(" mode=");
        parts[n++] = k_repr(f->mode);
        parts[n++] = k_str_from_cstr(" encoding=");
        parts[n++] = k_repr(f->encoding);
    }
    parts[n++] = k_str_from_cstr(">");
    bool ok = true;
    for (i64 i = 0; i < n; i++) ok = ok && parts[i];
    kval r = ok ? k_str_join_parts(parts, n) : 0;
    for (i64 i = 0; i < n; i++) k_xdecref(parts[i]);
    return r;
}

#define FILE_TYPE(CNAME, NAME)                                                                              \
    const KType CNAME = {K_STATIC_HDR(&k_type_type), NAME, "_io", &k_object_type, sizeof(KFile), 0,        \
                         .clear = file_clear, .repr = file_repr, .iter = file_iter, .next = file_next};
FILE_TYPE(k_io_TextIOWrapper_type, "TextIOWrapper")
FILE_TYPE(k_io_BufferedReader_type, "BufferedReader")
FILE_TYPE(k_io_BufferedWriter_type, "BufferedWriter")
FILE_TYPE(k_io_BufferedRandom_type, "BufferedRandom")

const KType k_io_UnsupportedOperation_type = {K_STATIC_HDR(&k_type_type), "UnsupportedOperation", "io",
                                              &k_OSError_type, sizeof(KException), K_TF_EXCEPTION,
                                              .clear = k_exc_clear};

/* ---- open() ---- */

typedef struct { i64 flags; bool text, plus; char kind; } Mode;

/* CPython's checks of the mode string (_io.open), in its order. */
static bool parse_mode(kval mode, Mode *m) {
    const u8 *p = k_str_data(mode);
    i64 n = k_str_nbytes(mode);
    bool seen[128] = {0};
    bool binary = false, text = false;
    int kinds = 0;
    m->plus = false;
    for (i64 i = 0; i < n; i++) {
        u8 c = p[i];
        bool known = c == 'r' || c == 'w' || c == 'a' || c == 'x' || c == 'b' || c == 't' || c == '+';
        if (!known || seen[c]) {
            k_raise_fmt(&k_ValueError_type, "invalid mode: '%S'", mode);
            return false;
        }
        seen[c] = true;
        if (c == 'b') binary = true;
        else if (c == 't') text = true;
        else if (c == '+') m->plus = true;
        else { m->kind = (char)c; kinds++; }
    }
    if (text && binary) {
        k_raise_str(&k_ValueError_type, "can't have text and binary mode at once");
        return false;
    }
    if (kinds != 1) {
        k_raise_str(&k_ValueError_type, "must have exactly one of create/read/write/append mode");
        return false;
    }
    m->text = !binary;
    i64 rw = m->plus ? K_FS_READ | K_FS_WRITE : 0;
    switch (m->kind) {
    case 'r': m->flags = K_FS_READ | rw; break;
    case 'w': m->flags = K_FS_WRITE | K_FS_CREATE | K_FS_TRUNCATE | rw; break;
    case 'a': m->flags = K_FS_WRITE | K_FS_CREATE | K_FS_APPEND | rw; break;
    default: m->flags = K_FS_WRITE | K_FS_CREATE | K_FS_EXCLUSIVE | rw; break;
    }
    return true;
}

/* What a binary file's .mode says (FileIO's mode string). */
static const char *binary_mode(const Mode *m) {
    switch (m->kind) {
    case 'x': return m->plus ? "xb+" : "xb";
    case 'a': return m->plus ? "ab+" : "ab";
    case 'r': return m->plus ? "rb+" : "rb";
    default: return m->plus ? "rb+" : "wb";
    }
}

kval k_file_open(kval path, kval mode, kval encoding) {
    Mode m;
    if (!parse_mode(mode, &m)) return 0;
    if (!m.text && encoding != k_None) {
        k_raise_str(&k_ValueError_type, "binary mode doesn't take an encoding argument");
        return 0;
    }
    if (encoding != k_None) {
        const char *codec = k_codec_name(encoding);
        if (!codec) return 0;
        if (codec[0] != 'u') {
            k_raise_fmt(&k_ValueError_type, "encoding %R: files are UTF-8 at the service level", encoding);
            return 0;
        }
    }
    kaa_str p;
    if (!k_fs_path(path, &p)) return 0;
    i64 fd = k_fs_open(p, m.flags);
    if (fd < 0) return k_fs_raise(fd, path, 0);
    if (m.kind == 'a') {                           /* CPython starts an appending file at its end */
        i64 r = k_fs_seek(fd, 0, 2);
        if (r < 0) {
            k_fs_close(fd);
            return k_fs_raise(r, path, 0);
        }
    }
    const KType *t = m.text ? &k_io_TextIOWrapper_type : m.plus ? &k_io_BufferedRandom_type
                     : m.kind == 'r' ? &k_io_BufferedReader_type : &k_io_BufferedWriter_type;
    KFile *f = (KFile *)k_alloc(t, sizeof(KFile));
    f->fd = fd;
    f->flags = m.flags;
    f->text = m.text;
    f->name = k_newref(path);
    f->mode = m.text ? k_newref(mode) : k_str_from_cstr(binary_mode(&m));
    if (m.text) f->encoding = encoding != k_None ? k_newref(encoding) : k_str_from_ascii("UTF-8", 5);
    return K_VAL(f);
}
