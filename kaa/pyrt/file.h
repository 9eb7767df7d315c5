/* Files for services: open() and its file objects (file.c), over the platform's file
 * calls below. Booted, kernel/fs/file_bridge.py makes them on the ext2 disk (mounted at
 * "/" on the first call); on the host, kernel/platform/host_files.py makes them over the
 * C library. os_module.c's file functions use the same calls.
 */
#pragma once
#include "object.h"

/* ---- the platform's file calls ----
 * Each returns a count, a handle or 0 on success and a negated errno (Linux's numbers)
 * on failure. Paths are the program's str as given (UTF-8, no NUL inside); relative ones
 * are relative to the working directory ("/" booted). */
enum { K_FS_READ = 1, K_FS_WRITE = 2, K_FS_CREATE = 4, K_FS_TRUNCATE = 8, K_FS_APPEND = 16, K_FS_EXCLUSIVE = 32 };
enum { K_STAT_MODE, K_STAT_INO, K_STAT_NLINK, K_STAT_SIZE, K_STAT_ATIME_NS, K_STAT_MTIME_NS, K_STAT_CTIME_NS,
       K_STAT_FIELDS };
enum { K_ENOENT = 2, K_EIO = 5, K_EBADF = 9, K_EACCES = 13, K_EEXIST = 17, K_ENOTDIR = 20, K_EISDIR = 21,
       K_EINVAL = 22, K_ENAMETOOLONG = 36 };

i64 k_fs_open(kaa_str path, i64 flags);              /* a handle; a directory: -EISDIR */
i64 k_fs_close(i64 fd);                              /* booted: what was written through fd is on the disk */
i64 k_fs_read(i64 fd, u8 *buf, i64 n);               /* bytes read, 0 at the end */
i64 k_fs_write(i64 fd, const u8 *buf, i64 n);        /* bytes written (all of them) */
i64 k_fs_seek(i64 fd, i64 offset, i64 whence);       /* the new position; whence 0 set, 1 current, 2 end */
i64 k_fs_truncate(i64 fd, i64 size);
i64 k_fs_sync(i64 fd);                               /* fsync: the file (booted: everything) on the disk */
i64 k_fs_stat(kaa_str path, i64 fd, i64 *out);       /* of path, or of fd when fd >= 0: out[K_STAT_FIELDS] */
i64 k_fs_mkdir(kaa_str path, i64 mode);
i64 k_fs_rmdir(kaa_str path);
i64 k_fs_unlink(kaa_str path);
i64 k_fs_rename(kaa_str old_path, kaa_str new_path); /* replaces a file (or an empty directory) at new_path */
i64 k_fs_opendir(kaa_str path);                      /* a handle for k_fs_readdir */
i64 k_fs_readdir(i64 dir, u8 *name, i64 cap);        /* the next name's length ('.' and '..' skipped), 0 at the end */
i64 k_fs_closedir(i64 dir);

/* ---- raising CPython's exceptions for a failed call ---- */

/* OSError's subclass for errno (FileNotFoundError for ENOENT ...), raised with
 * args (errno, strerror, filename[, None, filename2]): "[Errno 2] No such file or directory: 'x'".
 * filename2 may be 0. Returns 0 (for `return k_fs_raise(...)` in kval functions). */
kval k_fs_raise(i64 err, kval filename, kval filename2);
/* The path as the platform takes it: ValueError "embedded null byte" (false) if it has a NUL. */
bool k_fs_path(kval path, kaa_str *out);

/* ---- file objects ----
 * One struct for every kind; its type says which CPython class it stands for:
 * text files are io.TextIOWrapper; binary ones io.BufferedReader ('rb'),
 * io.BufferedWriter ('wb', 'ab', 'xb') or io.BufferedRandom (with '+'). */
extern const KType k_io_TextIOWrapper_type, k_io_BufferedReader_type, k_io_BufferedWriter_type,
    k_io_BufferedRandom_type, k_io_UnsupportedOperation_type;

kval k_file_open(kval path, kval mode, kval encoding);  /* open(path, mode, encoding): encoding None or UTF-8 */

kval k_file_read(kval f, i64 size);                  /* size < 0: to the end; text: characters */
kval k_file_readline(kval f, i64 size);
kval k_file_readlines(kval f, i64 hint);
kval k_file_write(kval f, kval data);                /* str (text) or bytes/bytearray: the count written */
int k_file_write_str(kval f, kval s);                /* print(..., file=f): 0, -1 raised */
int k_file_writelines(kval f, kval lines);
kval k_file_seek(kval f, i64 offset, i64 whence);
kval k_file_tell(kval f);
kval k_file_truncate(kval f, kval size);             /* size: int or None (the position) */
int k_file_flush(kval f);
int k_file_close(kval f);                            /* a second close does nothing */
kval k_file_fileno(kval f);
int k_file_readable(kval f);                         /* 1, 0, -1 raised (closed) */
int k_file_writable(kval f);
int k_file_seekable(kval f);
kval k_file_enter(kval f);                           /* with: f itself (ValueError when closed) */
int k_file_exit(kval f, kval a, kval b, kval c);     /* with: closes */
kval k_file_name(kval f);
kval k_file_mode(kval f);
bool k_file_closed(kval f);
kval k_file_encoding(kval f);
