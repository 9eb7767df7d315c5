"""A UDP echo microservice: every datagram to port 5555 goes back to its sender.

    kaa run examples/udp_echo.py -p 5555:5555/udp         # then: nc -u 127.0.0.1 5555
    kaa run examples/udp_echo.py -- port=7 netstat        # another port; counters at the end
    kaa run examples/udp_echo.py -- count=10 netstat      # stop after 10 datagrams (and print them)

Replies are written in the received datagram's own buffer: no copy, no allocation.
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.net.net as net


def main() -> i32:
    if not net.up():
        return 1
    port = cmdline.int_value("port", 5555)
    s = net.udp_bind(u16(port))
    if s is None:
        print(f"udp echo: port {port} is taken")
        return 1
    print(f"udp echo: listening on port {port}")
    limit = cmdline.int_value("count", -1)      # stop after this many (for tests); -1: never
    d: net.Datagram
    served = 0
    while served != limit and net.udp_recv(s, addr(d)):
        net.udp_reply(s, addr(d))
        served += 1
    return 0                        # with `netstat`, the network prints its counters now
