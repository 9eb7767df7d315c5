"""socket for services: the part of CPython's socket module a client or a small server
uses, over the kernel's TCP/IP stack (kernel/net/socket_bridge.py). A service that
imports socket gets this module (kaa/service/__init__.py's KAA_SOURCES), so the same
source runs under CPython with CPython's socket.

IPv4 only (AF_INET): SOCK_STREAM sockets connect, send and receive, or bind, listen and
accept; SOCK_DGRAM sockets send and receive datagrams. Timeouts are CPython's: None
blocks, a positive number raises TimeoutError("timed out") (socket.timeout is
TimeoutError), 0.0 raises BlockingIOError where the call would wait. Errors raise the
OSError subclass CPython raises for the same errno, with its message
("[Errno 111] Connection refused"). Names resolve through kaa/stdlib/dns.py: first the
hosts table HOSTS=name:address,... on the kernel command line (as /etc/hosts), then the
DNS server DNS=host[:port] on the kernel command line, else the DHCP lease's.

Differences: the constants are plain ints (CPython's are IntEnum members, which print
as AddressFamily.AF_INET); setsockopt is accepted and ignored; there is no makefile,
no IPv6, no Unix sockets; connect with timeout 0.0 waits for the handshake.
"""

from __future__ import annotations

import os

import kernel.net.socket_bridge as bridge
from kaa.stdlib import dns

AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOCK_RAW = 3
IPPROTO_TCP = 6
IPPROTO_UDP = 17
SOL_SOCKET = 1
SO_REUSEADDR = 2
SO_KEEPALIVE = 9
TCP_NODELAY = 1
SHUT_RD = 0
SHUT_WR = 1
SHUT_RDWR = 2
SOMAXCONN = 4096
MAX_RECV = 65536                # the most one recv gives (the bridge's buffer)

error = OSError
timeout = TimeoutError


class gaierror(OSError):
    """A name that does not resolve: errno is getaddrinfo's EAI_* code (negative)."""


class herror(OSError):
    pass


# errno -> (exception class, CPython's message); the bridge returns them negated
EAGAIN = 11
ERRORS: dict[int, str] = {9: "Bad file descriptor", 11: "Resource temporarily unavailable",
                          24: "Too many open files", 32: "Broken pipe", 90: "Message too long",
                          98: "Address already in use", 101: "Network is unreachable",
                          104: "Connection reset by peer", 105: "No buffer space available",
                          107: "Transport endpoint is not connected", 110: "Connection timed out",
                          111: "Connection refused", 113: "No route to host"}


def raise_errno(code: int, timeout_value: float | None) -> None:
    """Raise what CPython raises for -code (a bridge result)."""
    n = -code
    if n == EAGAIN and (timeout_value is None or timeout_value > 0):
        raise TimeoutError("timed out")
    text = ERRORS.get(n, "Unknown error")
    if n == EAGAIN:
        raise BlockingIOError(n, text)
    if n == 111:
        raise ConnectionRefusedError(n, text)
    if n == 104:
        raise ConnectionResetError(n, text)
    if n == 32:
        raise BrokenPipeError(n, text)
    if n == 110:
        raise TimeoutError(n, text)
    raise OSError(n, text)


def nanoseconds(t: float | None) -> int:
    return -1 if t is None else int(t * 1e9)


default_timeout: float | None = None


def getdefaulttimeout() -> float | None:
    return default_timeout


def setdefaulttimeout(t: float | None) -> None:
    global default_timeout
    default_timeout = check_timeout(t)


def check_timeout(t: float | None) -> float | None:
    if t is not None and t < 0:
        raise ValueError("Timeout value out of range")
    return t


def check_port(port: int, what: str) -> int:
    if not 0 <= port <= 65535:
        raise OverflowError(f"{what}(): port must be 0-65535.")
    return port


class socket:
    """An IPv4 TCP or UDP socket. The kernel's socket is made when the socket is first
    used: by connect, listen, bind (UDP) or sendto."""

    def __init__(self, family: int = AF_INET, type: int = SOCK_STREAM, proto: int = 0) -> None:
        if family != AF_INET:
            raise OSError(97, "Address family not supported by protocol")
        if type != SOCK_STREAM and type != SOCK_DGRAM:
            raise OSError(94, "Socket type not supported")
        self.family = family
        self.type = type
        self.proto = proto
        self.handle = -1                # the bridge's, once made
        self.closed = False
        self.bound_port = 0             # bind()'s, until listen() or the first datagram
        self.timeout_value: float | None = default_timeout

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"fd={self.handle}"
        return f"<socket.socket {state}, family={self.family}, type={self.type}, proto={self.proto}>"

    def __enter__(self) -> socket:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    # ---- settings ----

    def settimeout(self, value: float | None) -> None:
        self.timeout_value = check_timeout(value)

    def gettimeout(self) -> float | None:
        return self.timeout_value

    def setblocking(self, flag: bool) -> None:
        self.timeout_value = None if flag else 0.0

    def getblocking(self) -> bool:
        return self.timeout_value != 0.0

    def setsockopt(self, level: int, option: int, value: int) -> None:
        """Accepted and ignored (SO_REUSEADDR, TCP_NODELAY ...): the kernel's defaults hold."""
        self.live()

    def fileno(self) -> int:
        return -1 if self.closed else self.handle

    # ---- connections ----

    def live(self) -> None:
        if self.closed:
            raise OSError(9, "Bad file descriptor")

    def connected(self) -> int:
        """The handle of a connected socket (OSError otherwise)."""
        self.live()
        if self.handle < 0:
            raise OSError(107, "Transport endpoint is not connected")
        return self.handle

    def connect(self, address: tuple[str, int]) -> None:
        self.live()
        if self.type != SOCK_STREAM:
            raise OSError(95, "connect on a datagram socket is not supported here")
        if self.handle >= 0:
            raise OSError(106, "Transport endpoint is already connected")
        port = check_port(address[1], "connect")
        ip = dns.parse_ipv4(gethostbyname(address[0]))
        wait = None if self.timeout_value == 0.0 else self.timeout_value    # (no background connects)
        h = bridge.tcp_connect(ip, port, nanoseconds(wait))
        if h < 0:
            raise_errno(h, wait)
        self.handle = h

    def connect_ex(self, address: tuple[str, int]) -> int:
        """connect(), the errno instead of the exception (0 when connected)."""
        try:
            self.connect(address)
        except OSError as e:
            code = e.errno
            if code is None:
                return EAGAIN
            return code
        return 0

    def send(self, data: bytes) -> int:
        h = self.connected()
        n = bridge.send(h, data, nanoseconds(self.timeout_value))
        if n < 0:
            raise_errno(n, self.timeout_value)
        return n

    def sendall(self, data: bytes) -> None:
        if self.send(data) < len(data):
            raise TimeoutError("timed out")

    def recv(self, bufsize: int) -> bytes:
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        h = self.connected()
        if bufsize == 0:
            return b""
        data = bridge.recv(h, min(bufsize, MAX_RECV), nanoseconds(self.timeout_value))
        if not data:
            code = bridge.last_error()
            if code < 0:
                raise_errno(code, self.timeout_value)
        return data

    def shutdown(self, how: int) -> None:
        r = bridge.shutdown(self.connected(), how)
        if r < 0:
            raise_errno(r, None)

    def close(self) -> None:
        if not self.closed and self.handle >= 0:
            bridge.close(self.handle)
        self.closed = True
        self.handle = -1

    def detach(self) -> int:
        h = self.handle
        self.closed = True
        self.handle = -1
        return h

    def getpeername(self) -> tuple[str, int]:
        p = bridge.peer(self.connected())
        if p < 0:
            raise OSError(107, "Transport endpoint is not connected")
        return split_address(p)

    def getsockname(self) -> tuple[str, int]:
        self.live()
        if self.handle < 0:
            return "0.0.0.0", self.bound_port
        return split_address(bridge.local(self.handle))

    # ---- servers ----

    def bind(self, address: tuple[str, int]) -> None:
        """Any local address ("" or 0.0.0.0: the machine has one); the port is taken
        by listen() (TCP) or here (UDP)."""
        self.live()
        if self.handle >= 0 or self.bound_port != 0:
            raise OSError(22, "Invalid argument")
        port = check_port(address[1], "bind")
        if self.type == SOCK_DGRAM:
            self.open_datagram(port)
        self.bound_port = port

    def listen(self, backlog: int = 128) -> None:
        self.live()
        if self.type != SOCK_STREAM or self.handle >= 0:
            raise OSError(22, "Invalid argument")
        h = bridge.tcp_listen(self.bound_port, max(1, min(backlog, SOMAXCONN)))
        if h < 0:
            raise_errno(h, None)
        self.handle = h

    def accept(self) -> tuple[socket, tuple[str, int]]:
        h = bridge.accept(self.connected(), nanoseconds(self.timeout_value))
        if h < 0:
            raise_errno(h, self.timeout_value)
        conn = socket(self.family, self.type, self.proto)
        conn.handle = h
        conn.timeout_value = default_timeout
        return conn, split_address(bridge.peer(h))

    # ---- datagrams ----

    def open_datagram(self, port: int) -> None:
        h = bridge.udp_open(port)
        if h < 0:
            raise_errno(h, None)
        self.handle = h

    def sendto(self, data: bytes, address: tuple[str, int]) -> int:
        self.live()
        port = check_port(address[1], "sendto")
        ip = dns.parse_ipv4(gethostbyname(address[0]))
        if self.handle < 0:
            self.open_datagram(0)
        n = bridge.sendto(self.handle, ip, port, data)
        if n < 0:
            raise_errno(n, None)
        return n

    def recvfrom(self, bufsize: int) -> tuple[bytes, tuple[str, int]]:
        if bufsize < 0:
            raise ValueError("negative buffersize in recvfrom")
        h = self.connected()
        data = bridge.recvfrom(h, min(bufsize, MAX_RECV), nanoseconds(self.timeout_value))
        if not data:
            code = bridge.last_error()
            if code < 0:
                raise_errno(code, self.timeout_value)
        return data, split_address(bridge.last_sender())


def split_address(packed: int) -> tuple[str, int]:
    """The bridge's ip << 16 | port as CPython's (host, port)."""
    return dns.format_ipv4(packed >> 16), packed & 0xFFFF


def create_connection(address: tuple[str, int], timeout: float | None = -1.0,
                      source_address: tuple[str, int] | None = None) -> socket:
    """A connected TCP socket (timeout -1.0 stands for CPython's "the default timeout")."""
    s = socket(AF_INET, SOCK_STREAM)
    if timeout is None or timeout >= 0:
        s.settimeout(timeout)
    try:
        s.connect(address)
    except OSError:
        s.close()
        raise
    return s


# ---- names ------------------------------------------------------------------------

class KernelResolver(dns.Resolver):
    """dns.Resolver over this module's UDP sockets, to one server."""

    def __init__(self, server: str, port: int) -> None:
        super().__init__()
        self.server = server
        self.port = port
        self.sock: socket | None = None

    def send(self, data: bytes) -> None:
        s = self.sock
        if s is None:
            s = self.sock = socket(AF_INET, SOCK_DGRAM)
        s.sendto(data, (self.server, self.port))

    def receive(self, timeout: float) -> bytes | None:
        s = self.sock
        if s is None:
            return None
        s.settimeout(timeout)
        while True:
            try:
                data, source = s.recvfrom(MAX_RECV)
            except TimeoutError:
                return None
            if source == (self.server, self.port):      # not some other host's datagram
                return data


resolver: KernelResolver | None = None
hosts: dict[str, list[str]] | None = None


def hosts_table() -> dict[str, list[str]]:
    """HOSTS= on the kernel command line, parsed once (ValueError when malformed)."""
    global hosts
    known = hosts
    if known is not None:
        return known
    table = dns.parse_hosts(os.environ.get("HOSTS", ""))
    hosts = table
    return table


def default_resolver() -> KernelResolver:
    """The resolver of DNS=host[:port] on the kernel command line, else of DHCP's server."""
    global resolver
    if resolver is None:
        configured = os.environ.get("DNS", "")
        if configured:
            host, port = dns.parse_server(configured)
            resolver = KernelResolver(host, port)
        else:
            server = bridge.dhcp_dns()
            if server == 0:
                raise gaierror(dns.EAI_AGAIN, dns.MESSAGES[dns.EAI_AGAIN])
            resolver = KernelResolver(dns.format_ipv4(server), 53)
    return resolver


def resolve(host: str) -> list[str]:
    if dns.parse_ipv4(host) >= 0:
        return [host]
    if host == "":
        return ["0.0.0.0"]
    listed = dns.hosts_lookup(hosts_table(), host)
    if listed:
        return listed
    try:
        return default_resolver().resolve(host)
    except dns.ResolutionError as e:
        raise gaierror(e.code, e.message) from None


def gethostbyname(host: str) -> str:
    return resolve(host)[0]


def gethostname() -> str:
    return os.environ.get("HOSTNAME", "kaa")


def getaddrinfo(host: str, port: int | None, family: int = 0, type: int = 0, proto: int = 0,
                flags: int = 0) -> list[tuple[int, int, int, str, tuple[str, int]]]:
    """(family, type, proto, canonname, (address, port)) for each address of host: for
    each socket type when type is 0, as CPython lists them."""
    if family not in (0, AF_INET):
        raise gaierror(-9, "Address family for hostname not supported")
    kinds = [(SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, 0)]
    if type != 0:
        kinds = [k for k in kinds if k[0] == type]
    out: list[tuple[int, int, int, str, tuple[str, int]]] = []
    for ip in resolve(host):
        for kind, protocol in kinds:
            out.append((AF_INET, kind, protocol, "", (ip, 0 if port is None else port)))
    return out


def inet_aton(text: str) -> bytes:
    n = dns.parse_ipv4(text)
    if n < 0:
        raise OSError("illegal IP address string passed to inet_aton")
    return bytes([n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255])


def inet_ntoa(packed: bytes) -> str:
    if len(packed) != 4:
        raise OSError("packed IP wrong length for inet_ntoa")
    return f"{packed[0]}.{packed[1]}.{packed[2]}.{packed[3]}"
