"""Keyword-only parameters (after *), with and without defaults, mixed with positional ones."""


def connect(host: str, port: int = 80, *, timeout: float = 5.0, retries: int = 3, secure: bool = False) -> str:
    scheme = "https" if secure else "http"
    return f"{scheme}://{host}:{port} timeout={timeout} retries={retries}"


def clamp(value: int, *, lo: int, hi: int) -> int:
    return max(lo, min(hi, value))


def render(rows: list[list[str]], *, sep: str = " | ", header: bool = True, width: int = 6) -> str:
    lines: list[str] = []
    for i, row in enumerate(rows):
        lines.append(sep.join(cell.ljust(width) for cell in row).rstrip())
        if header and i == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def search(items: list[str], needle: str, *, case_sensitive: bool = True, start: int = 0) -> int:
    for i in range(start, len(items)):
        a, b = items[i], needle
        if not case_sensitive:
            a, b = a.lower(), b.lower()
        if a == b:
            return i
    return -1


def main() -> None:
    print(connect("example.org"))
    print(connect("example.org", 8443, secure=True))
    print(connect("kaa", timeout=0.5))
    print(connect(port=9, host="h", retries=0, timeout=1e-3))
    print(clamp(50, lo=0, hi=10), clamp(-5, hi=10, lo=0), clamp(5, lo=0, hi=10))
    table = [["name", "qty"], ["apple", "3"], ["kiwi", "12"]]
    print(render(table))
    print(render(table, sep=",", header=False, width=0))
    print(render(table, width=8, sep="|"))
    words = ["Alpha", "beta", "ALPHA", "alpha"]
    print(search(words, "alpha"), search(words, "alpha", case_sensitive=False))
    print(search(words, "alpha", case_sensitive=False, start=1), search(words, "gamma", start=2))


if __name__ == "__main__":
    main()
