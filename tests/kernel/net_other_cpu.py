# The network's API from a CPU other than 0 panics, naming the CPU, instead of
# corrupting the stack's data (kernel/net/net.py's entry checks). Boot with --smp 2:
# the network comes up on CPU 0, a UDP socket there works, then a thread on CPU 1
# calls net.udp_send with it.
from kaa.lang import *
import kernel.net.net as net
import kernel.threads as threads

sock: Ptr[net.Socket] = None


def send_from_here(arg: u64) -> i64:
    print(f"calling net.udp_send on cpu {threads.cpu_id()}")
    net.udp_send(sock, 0x0A000202, 9, b"from the wrong cpu")
    print("never printed")
    return 0


def main() -> i32:
    global sock
    if not net.up():
        return 1
    sock = net.udp_bind(0)
    print(f"bound on cpu {threads.cpu_id()}: {sock is not None}")
    threads.join(threads.spawn(send_from_here, 0, 1))
    return 0
