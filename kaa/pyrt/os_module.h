/* os for services: the environment is the kernel command line's NAME=value words
   (`kaa run app.py -- DATABASE_PATH=/data/db PORT=8080`). */
#pragma once
#include "object.h"

kval k_os_environ_new(void);                     /* a dict of every NAME=value word */
kval k_os_getenv(kval key, kval dflt);           /* its value, or dflt */
kval k_os_urandom(kval size);                    /* size bytes from the CPU's random source */

/* Files (the platform's calls of file.h; errors raise CPython's OSError subclasses, with
   the path as filename). Status functions return 0, or -1 when they raised. */
extern const KType k_os_stat_result_type;
kval k_os_listdir(kval path);                    /* path None: "." */
int k_os_mkdir(kval path, i64 mode);
int k_os_makedirs(kval name, i64 mode, bool exist_ok);
int k_os_remove(kval path);                      /* also os.unlink */
int k_os_rmdir(kval path);
int k_os_rename(kval src, kval dst);             /* also os.replace: both replace a file at dst */
kval k_os_stat(kval path);                       /* an os.stat_result */
kval k_os_fstat(i64 fd);
int k_os_fsync(kval fd);                         /* an int, or a file object (its fileno()) */
kval k_os_stat_result_st_mode(kval st);
kval k_os_stat_result_st_ino(kval st);
kval k_os_stat_result_st_nlink(kval st);
kval k_os_stat_result_st_size(kval st);
double k_os_stat_result_st_atime(kval st);
double k_os_stat_result_st_mtime(kval st);
double k_os_stat_result_st_ctime(kval st);
kval k_os_stat_result_st_atime_ns(kval st);
kval k_os_stat_result_st_mtime_ns(kval st);
kval k_os_stat_result_st_ctime_ns(kval st);

/* os.path (POSIX rules, as posixpath's). join takes up to 8 parts: the missing ones are 0. */
kval k_os_path_join(kval a, kval p1, kval p2, kval p3, kval p4, kval p5, kval p6, kval p7);
kval k_os_path_basename(kval p);
kval k_os_path_dirname(kval p);
kval k_os_path_split(kval p);                    /* (head, tail) */
kval k_os_path_splitext(kval p);                 /* (root, ext) */
bool k_os_path_isabs(kval p);
bool k_os_path_exists(kval p);                   /* False on any error, as CPython's */
bool k_os_path_isfile(kval p);
bool k_os_path_isdir(kval p);
kval k_os_path_getsize(kval p);
double k_os_path_getmtime(kval p);               /* k_exc set when it raised */
