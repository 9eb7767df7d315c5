/* os for services (see os_module.h). The command line is read where sys.argv reads it.
 * The file functions call the platform's file calls (file.h) and raise as CPython does;
 * os.path's string functions follow posixpath on the UTF-8 bytes ('/' and '.' are ASCII,
 * so every cut falls between characters). */
#include "object.h"
#include "int.h"
#include "str.h"
#include "dict.h"
#include "builtins.h"
#include "secrets.h"
#include "os_module.h"
#include "file.h"
#include "bytes.h"
#include "list.h"
#include "tuple.h"

kaa_str kernel_cmdline__args(void);

/* The words of the command line: calls fn(name, name_len, value, value_len) for each NAME=value. */
static int each_setting(int (*fn)(const u8 *, i64, const u8 *, i64, void *), void *ctx) {
    kaa_str line = kernel_cmdline__args();
    u64 start = 0;
    for (u64 i = 0; i <= line.len; i++) {
        if (i < line.len && line.ptr[i] != ' ') continue;
        const u8 *w = line.ptr + start;
        i64 n = (i64)(i - start);
        start = i + 1;
        i64 eq = 0;
        while (eq < n && w[eq] != '=') eq++;
        if (eq == 0 || eq == n) continue;               /* a flag, or "=x": no setting */
        int r = fn(w, eq, w + eq + 1, n - eq - 1, ctx);
        if (r) return r;
    }
    return 0;
}

static int add_setting(const u8 *name, i64 nlen, const u8 *value, i64 vlen, void *ctx) {
    kval k = k_str_from_utf8(name, nlen);
    kval v = k_str_from_utf8(value, vlen);
    int rc = k && v ? k_dict_setitem((kval)ctx, k, v) : -1;
    k_xdecref(k);
    k_xdecref(v);
    return rc < 0 ? -1 : 0;
}

kval k_os_environ_new(void) {
    kval d = k_dict_new();
    if (each_setting(add_setting, (void *)d) < 0) {
        k_decref(d);
        return 0;
    }
    return d;
}

typedef struct { kval key; kval found; } Lookup;

static int find_setting(const u8 *name, i64 nlen, const u8 *value, i64 vlen, void *ctx) {
    Lookup *l = ctx;
    if (nlen != k_str_nbytes(l->key)) return 0;
    const u8 *want = k_str_data(l->key);
    for (i64 i = 0; i < nlen; i++)
        if (want[i] != name[i]) return 0;
    l->found = k_str_from_utf8(value, vlen);     /* the last word of a name wins, as in environ */
    return 0;
}

kval k_os_getenv(kval key, kval dflt) {
    Lookup l = {key, 0};
    each_setting(find_setting, &l);
    return l.found ? l.found : k_newref(dflt);
}

kval k_os_urandom(kval size) {
    i64 n;
    if (!k_int_to_i64(size, &n) || n < 0) {
        k_raise_str(&k_ValueError_type, "negative argument not allowed");
        return 0;
    }
    return k_secrets_token_bytes(size);
}

/* ---- files ---- */

static int raised(i64 err, kval path, kval path2) {
    k_fs_raise(err, path, path2);
    return -1;
}

kval k_os_listdir(kval path) {
    kval shown = path == k_None ? k_str_from_ascii(".", 1) : k_newref(path);    /* errors name "." */
    kaa_str p;
    kval list = 0;
    i64 d = k_fs_path(shown, &p) ? k_fs_opendir(p) : 0;
    if (d < 0) k_fs_raise(d, shown, 0);
    if (k_exc) goto out;
    list = k_list_new(0);
    u8 name[256];
    for (;;) {
        i64 n = k_fs_readdir(d, name, sizeof name);
        if (n < 0) k_fs_raise(n, shown, 0);
        kval s = n > 0 ? k_bytes_from(name, n) : 0, text = s ? k_bytes_decode(s, k_None, k_None) : 0;
        k_xdecref(s);
        if (n <= 0 || !text || k_list_append_steal(list, text) < 0) break;
    }
    k_fs_closedir(d);
    if (k_exc) {
        k_decref(list);
        list = 0;
    }
out:
    k_decref(shown);
    return list;
}

int k_os_mkdir(kval path, i64 mode) {
    kaa_str p;
    if (!k_fs_path(path, &p)) return -1;
    i64 r = k_fs_mkdir(p, mode);
    return r < 0 ? raised(r, path, 0) : 0;
}

int k_os_remove(kval path) {
    kaa_str p;
    if (!k_fs_path(path, &p)) return -1;
    i64 r = k_fs_unlink(p);
    return r < 0 ? raised(r, path, 0) : 0;
}

int k_os_rmdir(kval path) {
    kaa_str p;
    if (!k_fs_path(path, &p)) return -1;
    i64 r = k_fs_rmdir(p);
    return r < 0 ? raised(r, path, 0) : 0;
}

int k_os_rename(kval src, kval dst) {
    kaa_str a, b;
    if (!k_fs_path(src, &a) || !k_fs_path(dst, &b)) return -1;
    i64 r = k_fs_rename(a, b);
    return r < 0 ? raised(r, src, dst) : 0;
}

/* ---- stat ---- */

typedef struct { KObj hdr; i64 f[K_STAT_FIELDS]; } KStatResult;

static i64 field(kval st, int i) { return ((KStatResult *)st)->f[i]; }

static i64 whole_seconds(i64 ns) { return ns / 1000000000 - (ns % 1000000000 < 0); }

/* CPython's float times: the whole seconds plus the nanoseconds, each converted apart. */
static double seconds(i64 ns) {
    i64 s = whole_seconds(ns);
    return (double)s + (double)(ns - s * 1000000000) * 1e-9;
}

kval k_os_stat_result_st_mode(kval st) { return k_int_from_i64(field(st, K_STAT_MODE)); }
kval k_os_stat_result_st_ino(kval st) { return k_int_from_i64(field(st, K_STAT_INO)); }
kval k_os_stat_result_st_nlink(kval st) { return k_int_from_i64(field(st, K_STAT_NLINK)); }
kval k_os_stat_result_st_size(kval st) { return k_int_from_i64(field(st, K_STAT_SIZE)); }
double k_os_stat_result_st_atime(kval st) { return seconds(field(st, K_STAT_ATIME_NS)); }
double k_os_stat_result_st_mtime(kval st) { return seconds(field(st, K_STAT_MTIME_NS)); }
double k_os_stat_result_st_ctime(kval st) { return seconds(field(st, K_STAT_CTIME_NS)); }
kval k_os_stat_result_st_atime_ns(kval st) { return k_int_from_i64(field(st, K_STAT_ATIME_NS)); }
kval k_os_stat_result_st_mtime_ns(kval st) { return k_int_from_i64(field(st, K_STAT_MTIME_NS)); }
kval k_os_stat_result_st_ctime_ns(kval st) { return k_int_from_i64(field(st, K_STAT_CTIME_NS)); }

/* os.stat_result(st_mode=33188, st_ino=12, st_nlink=1, st_size=5, st_atime=..., ...): CPython's
 * form (times in whole seconds) without st_dev, st_uid and st_gid, which services do not get. */
static kval stat_repr(kval st) {
    static const char *const names[] = {"os.stat_result(st_mode=", ", st_ino=", ", st_nlink=", ", st_size=",
                                        ", st_atime=", ", st_mtime=", ", st_ctime="};
    kval parts[2 * K_STAT_FIELDS + 1];
    i64 n = 0;
    for (int i = 0; i < K_STAT_FIELDS; i++) {
        i64 v = field(st, i);
        kval num = k_int_from_i64(i >= K_STAT_ATIME_NS ? whole_seconds(v) : v);
        parts[n++] = k_str_from_cstr(names[i]);
        parts[n++] = k_str(num);
        k_decref(num);
    }
    parts[n++] = k_str_from_ascii(")", 1);
    kval r = k_str_join_parts(parts, n);
    for (i64 i = 0; i < n; i++) k_decref(parts[i]);
    return r;
}

const KType k_os_stat_result_type = {K_STATIC_HDR(&k_type_type), "stat_result", "os", &k_object_type,
                                     sizeof(KStatResult), 0, .repr = stat_repr};

static kval stat_of(kval path, i64 fd) {
    kaa_str p = {0, 0};
    if (path && !k_fs_path(path, &p)) return 0;
    KStatResult *st = (KStatResult *)k_alloc(&k_os_stat_result_type, sizeof(KStatResult));
    i64 r = k_fs_stat(p, path ? -1 : fd, st->f);
    if (r < 0) {
        k_decref(K_VAL(st));
        return k_fs_raise(r, path, 0);
    }
    return K_VAL(st);
}

kval k_os_stat(kval path) { return stat_of(path, -1); }
kval k_os_fstat(i64 fd) { return stat_of(0, fd); }

int k_os_fsync(kval fd) {
    i64 n;
    if (!K_IS_SMALL(fd) && (k_isinstance(fd, &k_io_TextIOWrapper_type) || k_isinstance(fd, &k_io_BufferedReader_type)
                            || k_isinstance(fd, &k_io_BufferedWriter_type)
                            || k_isinstance(fd, &k_io_BufferedRandom_type))) {
        kval no = k_file_fileno(fd);
        if (!no) return -1;
        n = k_int_small_value(no);              /* a handle is a small int */
        k_decref(no);
    } else if (!k_isinstance(fd, &k_int_type) || !k_int_to_i64(fd, &n) || n != (i32)n) {
        k_raise_str(k_isinstance(fd, &k_int_type) ? &k_OverflowError_type : &k_TypeError_type,
                    k_isinstance(fd, &k_int_type) ? "fd is greater than maximum"
                                                   : "argument must be an int, or have a fileno() method.");
        return -1;
    }
    i64 r = k_fs_sync(n);
    return r < 0 ? raised(r, 0, 0) : 0;
}

/* ---- os.path ---- */

static i64 last_slash(kval p) {
    const u8 *s = k_str_data(p);
    for (i64 i = k_str_nbytes(p) - 1; i >= 0; i--)
        if (s[i] == '/') return i;
    return -1;
}

static kval piece(kval p, i64 from, i64 to) { return k_str_from_utf8(k_str_data(p) + from, to - from); }

kval k_os_path_join(kval a, kval p1, kval p2, kval p3, kval p4, kval p5, kval p6, kval p7) {
    kval more[7] = {p1, p2, p3, p4, p5, p6, p7};
    kval path = k_newref(a);
    for (int i = 0; i < 7 && more[i]; i++) {
        kval b = more[i];
        kval next;
        i64 n = k_str_nbytes(path);
        if (k_str_nbytes(b) && k_str_data(b)[0] == '/') next = k_newref(b);
        else if (n == 0 || k_str_data(path)[n - 1] == '/') next = k_str_concat(path, b);
        else {
            kval parts[3] = {path, k_str_from_ascii("/", 1), b};
            next = k_str_join_parts(parts, 3);
            k_decref(parts[1]);
        }
        k_decref(path);
        path = next;
    }
    return path;
}

kval k_os_path_basename(kval p) { return piece(p, last_slash(p) + 1, k_str_nbytes(p)); }

/* The head of split(): up to the last '/', trailing slashes dropped unless it is all slashes. */
static kval head_of(kval p) {
    i64 i = last_slash(p) + 1, j = i;
    const u8 *s = k_str_data(p);
    while (j > 0 && s[j - 1] == '/') j--;
    return piece(p, 0, j == 0 ? i : j);
}

kval k_os_path_dirname(kval p) { return head_of(p); }

kval k_os_path_split(kval p) {
    kval head = head_of(p), tail = k_os_path_basename(p);
    kval t = k_tuple_pack(2, head, tail);
    k_decref(head);
    k_decref(tail);
    return t;
}

kval k_os_path_splitext(kval p) {
    const u8 *s = k_str_data(p);
    i64 n = k_str_nbytes(p), sep = last_slash(p), dot = -1;
    for (i64 i = n - 1; i > sep; i--)
        if (s[i] == '.') { dot = i; break; }
    i64 cut = n;
    if (dot > sep)
        for (i64 i = sep + 1; i < dot; i++)
            if (s[i] != '.') { cut = dot; break; }      /* a name of leading dots only has no extension */
    kval root = piece(p, 0, cut), ext = piece(p, cut, n);
    kval t = k_tuple_pack(2, root, ext);
    k_decref(root);
    k_decref(ext);
    return t;
}

bool k_os_path_isabs(kval p) { return k_str_nbytes(p) > 0 && k_str_data(p)[0] == '/'; }

/* The mode of what p names, or -1 when it cannot be had (no exception left behind). */
static i64 mode_of(kval p) {
    kaa_str s;
    if (!k_fs_path(p, &s)) {
        k_decref(k_exc_fetch());
        return -1;
    }
    i64 out[K_STAT_FIELDS];
    return k_fs_stat(s, -1, out) < 0 ? -1 : out[K_STAT_MODE];
}

bool k_os_path_exists(kval p) { return mode_of(p) >= 0; }
bool k_os_path_isfile(kval p) { i64 m = mode_of(p); return m >= 0 && (m & 0170000) == 0100000; }
bool k_os_path_isdir(kval p) { i64 m = mode_of(p); return m >= 0 && (m & 0170000) == 0040000; }

kval k_os_path_getsize(kval p) {
    kval st = k_os_stat(p);
    if (!st) return 0;
    kval r = k_os_stat_result_st_size(st);
    k_decref(st);
    return r;
}

double k_os_path_getmtime(kval p) {
    kval st = k_os_stat(p);
    if (!st) return -1.0;
    double r = k_os_stat_result_st_mtime(st);
    k_decref(st);
    return r;
}

/* makedirs: the missing parents first, as CPython's os.makedirs (a parent made meanwhile
 * by someone else is fine; the leaf existing is an error unless exist_ok and a directory). */
int k_os_makedirs(kval name, i64 mode, bool exist_ok) {
    kval head = head_of(name), tail = k_os_path_basename(name);
    if (k_str_nbytes(tail) == 0) {                  /* "a/b/": split "a/b" */
        kval h = head_of(head);
        k_decref(tail);
        tail = k_os_path_basename(head);
        k_decref(head);
        head = h;
    }
    int rc = 0;
    bool here = k_str_nbytes(tail) == 1 && k_str_data(tail)[0] == '.';
    if (k_str_nbytes(head) && k_str_nbytes(tail) && !k_os_path_exists(head)) {
        rc = k_os_makedirs(head, mode, exist_ok);
        if (rc < 0 && k_exc_matches(&k_FileExistsError_type)) {
            k_decref(k_exc_fetch());
            rc = 0;
        }
        if (rc == 0 && here) goto out;              /* "a/.": a is the directory */
    }
    if (rc == 0 && k_os_mkdir(name, mode) < 0) {
        rc = -1;
        if (exist_ok && k_exc_matches(&k_OSError_type)) {
            kval e = k_exc_fetch();
            if (k_os_path_isdir(name)) {
                k_decref(e);
                rc = 0;
            } else {
                k_exc = e;
            }
        }
    }
out:
    k_decref(head);
    k_decref(tail);
    return rc;
}
