"""The PVH boot ABI's start_info (xen/include/public/arch-x86/hvm/start_info.h).

boot.S passes its physical address to kaa_start; with the first 4 GiB identity-mapped
it is also its virtual address.
"""

from kaa.lang import *

MAGIC: Final = 0x336EC578
MEMMAP_RAM: Final = 1


@struct
class StartInfo:
    magic: u32
    version: u32
    flags: u32
    nr_modules: u32
    modlist_paddr: u64
    cmdline_paddr: u64
    rsdp_paddr: u64
    memmap_paddr: u64       # version >= 1
    memmap_entries: u32
    reserved: u32


@struct
class MemmapEntry:
    addr: u64
    size: u64
    type: u32
    reserved: u32


def cmdline(info: Ptr[StartInfo]) -> Str:
    if info.cmdline_paddr == 0:
        return ""
    p = cast(Ptr[u8], info.cmdline_paddr)
    n = 0
    while p[n] != 0:
        n += 1
    return Str(ptr=p, len=n)


def memmap(info: Ptr[StartInfo]) -> Slice[MemmapEntry]:
    if info.version < 1 or info.memmap_paddr == 0:
        return Slice[MemmapEntry](ptr=None, len=0)
    return Slice[MemmapEntry](ptr=cast(Ptr[MemmapEntry], info.memmap_paddr), len=info.memmap_entries)
