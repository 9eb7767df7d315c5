"""The OSError family: errno and strerror from the arguments, CPython's str() with a
filename, the ConnectionError subclasses, and subclasses of the program's own."""


class MyError(ConnectionError):
    pass


class Wrapped(OSError):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(code, text)
        self.extra = code * 2


def describe(e: OSError) -> None:
    print(type(e).__name__, str(e), repr(e), e.errno, e.strerror)
    try:
        raise e
    except ConnectionError as c:
        print("  connection error", c.errno, isinstance(c, OSError))
    except TimeoutError as t:
        print("  timeout", t)
    except BlockingIOError as b:
        print("  would block", b.args)
    except OSError as o:
        print("  os error", o.args)


for e in [OSError(), OSError("x"), OSError(None, "x"), OSError(5, "x", None), OSError(1, 2, 3, 4, 5, 6),
          ConnectionRefusedError(111, "Connection refused"), ConnectionResetError(104, "Connection reset by peer"),
          BrokenPipeError(32, "Broken pipe"), ConnectionAbortedError(), TimeoutError("timed out"),
          TimeoutError(110, "Connection timed out"), BlockingIOError(11, "Resource temporarily unavailable"),
          MyError(104, "reset"), Wrapped(5, "five")]:
    describe(e)
for f in [OSError(5, "x", "f"), OSError(5, "x", "f", None, "g")]:
    print(str(f), f.errno, f.strerror)
w = Wrapped(7, "seven")
print(w.extra, w.errno, w.strerror, str(w))
try:
    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except OSError as first:
        raise TimeoutError("timed out") from first
except TimeoutError as second:
    print(repr(second), repr(second.__cause__))
