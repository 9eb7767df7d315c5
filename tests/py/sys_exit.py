"""sys.exit(n): output is flushed, finally blocks run, and the process exits with status 3."""

import sys


def checksum(data: list[int]) -> int:
    total = 0
    for i, v in enumerate(data):
        total = (total * 31 + v * (i + 1)) % 1000003
    return total


def validate(values: list[int]) -> bool:
    print("validating", len(values), "values")
    return all(v >= 0 for v in values)


def main() -> int:
    values = [5, 8, 13, 21, -1, 34]
    print("checksum", checksum(values))
    if validate(values):
        return 0
    print("found a negative value", end="")
    print(" at index", values.index(-1))
    return 3


if __name__ == "__main__":
    try:
        status = main()
        print("exiting with", status)
        sys.exit(status)
    finally:
        print("finally runs on sys.exit")
    print("never printed")
