"""Dunder methods: __str__ __repr__ __eq__ __hash__ and the orderings, used by builtins."""

from typing import Optional


class Version:
    def __init__(self, major: int, minor: int, patch: int = 0) -> None:
        self.major = major
        self.minor = minor
        self.patch = patch

    def key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def __repr__(self) -> str:
        return f"Version({self.major}, {self.minor}, {self.patch})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.key() == other.key()

    def __lt__(self, other: "Version") -> bool:
        return self.key() < other.key()

    def __le__(self, other: "Version") -> bool:
        return self.key() <= other.key()

    def __gt__(self, other: "Version") -> bool:
        return self.key() > other.key()

    def __ge__(self, other: "Version") -> bool:
        return self.key() >= other.key()

    def __hash__(self) -> int:
        return hash(self.key())


class Tag:
    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return f"<Tag {self.label!r}>"


def newest(versions: list[Version]) -> Optional[Version]:
    best: Optional[Version] = None
    for v in versions:
        if best is None or v > best:
            best = v
    return best


def main() -> None:
    a, b, c = Version(1, 2), Version(1, 10), Version(1, 2, 0)
    print(a, b, repr(a), str(b), [a, b], (c,), f"{a} {a!r} {b!s}")
    print(a == c, a != c, a == b, a < b, a <= c, b > a, b >= b, a > b, a is c)
    print(a == Version(9, 9), Version(0, 1) != Version(0, 1))
    versions = [Version(2, 0), Version(1, 9, 3), b, a, Version(1, 9), Version(0, 99)]
    print(sorted(versions))
    print(sorted(versions, reverse=True)[:2], min(versions), max(versions), newest(versions))
    print(newest([]), a in versions, Version(7, 7) in versions, versions.index(Version(1, 9)))
    releases: dict[Version, str] = {a: "first", b: "second"}
    releases[Version(1, 2, 0)] = "replaced"
    print(releases, len(releases), releases[c])
    unique = {Version(1, 0), Version(1, 0), Version(1, 1)}
    print(len(unique), sorted(unique), hash(a) == hash(c))
    tags = [Tag("x"), Tag("it's")]
    print(tags, str(tags[0]), repr(tags[1]), f"{tags[0]}")
    print(str([Version(3, 1)]), repr({Version(0, 0): [Tag("t")]}), a == "1.2.0")


if __name__ == "__main__":
    main()
