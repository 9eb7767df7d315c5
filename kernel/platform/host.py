"""The host platform (`kaa build --target host`): a Linux process stands in for the machine.

print goes to stdout, new/free to the C library, the exit status to exit(), and the
command line is the process's arguments joined by spaces. Kernel modules built this
way are tested at host speed.
"""

from kaa.lang import *
import kernel.cmdline as cmdline


@extern
def write(fd: i32, buf: Ptr[u8], n: usize) -> isize: ...


@extern
def calloc(count: usize, size: usize) -> Ptr[None]: ...


@extern
def free(p: Ptr[None]) -> None: ...


@extern
def exit(status: i32) -> None: ...


@extern
def kaa_main() -> i32: ...


args_buf: Array[u8, 4096]


@export("kaa_console_write")
def console_write(buf: Ptr[u8], n: usize) -> None:
    done: usize = 0
    while done < n:
        wrote = write(1, buf + done, n - done)
        if wrote <= 0:
            return
        done += u64(wrote)


@export("kaa_alloc")
def alloc(size: usize) -> Ptr[None]:
    return calloc(1, size)


@export("kaa_free")
def release(p: Ptr[None]) -> None:
    free(p)


@export("kaa_exit")
def host_exit(status: i32) -> None:
    exit(status)


@export("kaa_backtrace")
def no_backtrace(frame: u64) -> None:
    """Host builds print no backtrace: use gdb on the executable instead."""
    pass


@export("main")
def host_main(argc: i32, argv: Ptr[Ptr[u8]]) -> i32:
    w = Writer(buf=addr(args_buf[0]), cap=len(args_buf))
    for i in range(1, argc):
        if i > 1:
            w.write(" ")
        p = argv[i]
        j = 0
        while p[j] != 0:
            w.write_byte(p[j])
            j += 1
    cmdline.set_args(w.text())
    return kaa_main()
