"""Kernel entry: boot.S calls kaa_start in long mode with the PVH start_info address.

Bring-up order: x87 and SSE (before any code could use them); console; per-CPU data,
GDT/TSS and IDT (so a fault from here on is reported); physical memory from the PVH
memory map; the guard pages (page 0, the page below the boot stack); the clock (TSC)
and the APIC timer; the scheduler; the one-line banner with the boot time (PVH entry to
the banner); then the service's main(), whose status ends the machine.
"""

from kaa.lang import *
import kernel.arch.x86_64.apic as apic
import kernel.arch.x86_64.cpu as cpu
import kernel.arch.x86_64.gdt as gdt
import kernel.arch.x86_64.idt as idt
import kernel.arch.x86_64.paging as paging
import kernel.arch.x86_64.power as power
import kernel.arch.x86_64.pvh as pvh
import kernel.arch.x86_64.smp as smp
import kernel.arch.x86_64.traps as traps
import kernel.arch.x86_64.tsc as tsc
import kernel.cmdline as cmdline
import kernel.drivers.serial as serial
import kernel.mm.heap as heap
import kernel.mm.pages as pages
import kernel.sched.sched as sched

VERSION: Final = 1
LOW_MEMORY: Final = 0x100000        # the first MiB stays out of the allocator (BIOS areas, SMP trampoline)


@extern
def kaa_main() -> i32: ...


@extern
def __kernel_start() -> None: ...


@extern
def __kernel_end() -> None: ...


@extern
def boot_stack_guard() -> None: ...


@export("kaa_start")
def start(info_addr: u64, tsc_at_entry: u64) -> None:
    cpu.enable_fpu()
    serial.init()
    cpu.setup(0, 0)
    gdt.load(0, gdt.boot_ist_top())
    idt.init()
    idt.load()
    info = cast(Ptr[pvh.StartInfo], info_addr)
    if info.magic != pvh.MAGIC:
        panic("kaa_start: no PVH start_info (boot with qemu -kernel)")
    cmdline.set_args(pvh.cmdline(info))
    add_memory(info)
    paging.unmap_page(0)
    paging.unmap_page(cast(u64, boot_stack_guard))   # boot.S leaves it between its page tables and the stack
    apic.enable()
    started = apic.calibration_start()  # the APIC timer is measured during the TSC's calibration
    tsc.init(tsc_at_entry)
    apic.calibration_end(started)
    traps.register(apic.TIMER_VECTOR, acknowledge)
    traps.register(apic.IPI_VECTOR, acknowledge)
    sched.init_cpu()
    smp.start_all(info.rsdp_paddr)
    print(f"Kaa 0.{VERSION}: booted in {tsc.now_ns() // 1000} us, {cpu.count} CPU{'s' if cpu.count > 1 else ''}, {pages.free_bytes() >> 20} MiB free")
    power.exit(kaa_main())


def acknowledge(frame: Ptr[traps.TrapFrame]) -> None:
    """Timer and IPI: the interrupt itself ended the idle halt; the scheduler does the rest."""
    pass


def add_memory(info: Ptr[pvh.StartInfo]) -> None:
    """Every RAM range of the memory map, less the first MiB and the kernel image. RAM
    above boot.S's 4 GiB is mapped first, with page tables from the RAM added before it
    (the map lists RAM in ascending order). RAM that cannot be used is reported."""
    unmapped: u64 = 0
    for e in pvh.memmap(info):
        if e.type != pvh.MEMMAP_RAM:
            continue
        pages.ram_total += e.size
        end = e.addr + e.size
        if end > paging.BOOT_MAPPED:
            high = max_u64(e.addr, paging.BOOT_MAPPED)
            mapped = max_u64(paging.map_ram(high, end), high)
            if mapped < end:
                print(f"memory: {(end - mapped) >> 20} MiB of RAM from {mapped:#x} not used: "
                      f"{'past the identity map' if mapped >= paging.LOWER_HALF else 'no memory for its page tables'}")
                unmapped += end - mapped
                end = mapped
        add_range(max_u64(e.addr, LOW_MEMORY), end)
    if pages.lost != 0:
        print(f"memory: {pages.lost >> 10} KiB of RAM not used: ranges smaller than their bitmap, "
              f"or past the first {pages.MAX_REGIONS}")
    pages.lost += unmapped


def add_range(start: u64, end: u64) -> None:
    """[start, end) to the allocator, less the kernel image."""
    image_start = cast(u64, __kernel_start)
    image_end = cast(u64, __kernel_end)
    if end <= start:
        return
    pages.add(start, min_u64(end, image_start))
    pages.add(max_u64(start, image_end), end)


def max_u64(a: u64, b: u64) -> u64:
    return a if a > b else b


def min_u64(a: u64, b: u64) -> u64:
    return a if a < b else b


@export("kaa_alloc")
def alloc(size: u64) -> Ptr[None]:
    return heap.alloc(addr(cpu.this().heap), size)


@export("kaa_free")
def release(p: Ptr[None]) -> None:
    heap.release(addr(cpu.this().heap), p)


@export("kaa_console_write")
def console_write(buf: Ptr[u8], n: usize) -> None:
    serial.write_line(cpu.id(), buf, n)


@export("kaa_exit")
def exit(status: i32) -> None:
    power.exit(status)
