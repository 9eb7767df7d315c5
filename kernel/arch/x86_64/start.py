"""Kernel entry: boot.S calls kaa_start in long mode with the PVH start_info address.

It brings up the console, reads the command line and memory map, sets up the heap,
prints the one-line banner with the boot time (TSC at PVH entry to here), runs the
service's main() and ends the machine with its status.
"""

from kaa.lang import *
import kernel.arch.x86_64.power as power
import kernel.arch.x86_64.pvh as pvh
import kernel.arch.x86_64.tsc as tsc
import kernel.cmdline as cmdline
import kernel.drivers.serial as serial
import kernel.mm.heap as heap

VERSION: Final = 1


@extern
def kaa_main() -> i32: ...


@export("kaa_start")
def start(info_addr: u64, tsc_at_entry: u64) -> None:
    serial.init()
    info = cast(Ptr[pvh.StartInfo], info_addr)
    if info.magic != pvh.MAGIC:
        panic("kaa_start: no PVH start_info (boot with qemu -kernel)")
    cmdline.set_args(pvh.cmdline(info))
    heap.init(info)
    khz = tsc.calibrate_khz()
    boot_us = (rdtsc() - tsc_at_entry) * 1000 // khz
    print(f"Kaa 0.{VERSION}: booted in {boot_us} us, heap {heap.free_bytes() >> 20} MiB")
    power.exit(kaa_main())


@export("kaa_console_write")
def console_write(buf: Ptr[u8], n: usize) -> None:
    serial.write(buf, n)


@export("kaa_exit")
def exit(status: i32) -> None:
    power.exit(status)
