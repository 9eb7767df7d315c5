# What a user sizing --memory needs to know: the RAM the machine has, what of it is free
# once booted, and what the kernel image itself takes (loaded at 1 MiB; the first MiB
# stays out of the allocator). Figures in KiB.
from kaa.lang import *
import kernel.mm.pages as pages
import kernel.arch.x86_64.cpu as cpu


@extern
def __kernel_start() -> None: ...


@extern
def __kernel_end() -> None: ...


def main() -> i32:
    image = cast(u64, __kernel_end) - cast(u64, __kernel_start)
    print(f"memory: RAM {pages.ram_total >> 10} KiB, free {pages.free_bytes() >> 10} KiB "
          f"({pages.free_bytes() // pages.PAGE} pages), kernel image {image >> 10} KiB "
          f"at {cast(u64, __kernel_start):#x}, heap in use {cpu.this().heap.in_use} bytes")
    return 0
