# The network with every buffer above 4 GiB: take each free page below 4 GiB first,
# then bring the NIC up (its rings and the packet pool come from above 4 GiB) and echo
# `count` UDP datagrams on port 5555. Boot with --memory above 4 GiB.
from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.mm.pages as pages
import kernel.net.net as net

FOUR_GIB: Final = 0x100000000


def take_low_memory() -> u64:
    """Every free page below 4 GiB (kept: the machine ends soon); how many."""
    n: u64 = 0
    while True:
        p = pages.alloc(1)
        if p == 0 or p >= FOUR_GIB:
            if p != 0:
                pages.release(p, 1)
            return n
        n += 1


def main() -> i32:
    taken = take_low_memory()
    if not net.up():
        return 1
    s = net.udp_bind(5555)
    print(f"took {taken} pages below 4 GiB; socket above 4 GiB: {cast(u64, s) >= FOUR_GIB}")
    limit = cmdline.int_value("count", 1)
    d: net.Datagram
    served = 0
    while served != limit and net.udp_recv(s, addr(d)):
        net.udp_reply(s, addr(d))
        served += 1
    return 0
