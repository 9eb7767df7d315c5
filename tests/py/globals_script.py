"""A plain script: module-level statements and globals, `global` in functions, top-level loops."""

GREETING = "kaa service level"
LIMITS: dict[str, int] = {"low": 1, "high": 10}
counter = 0
events: list[str] = []
print("module start:", GREETING)


def record(event: str) -> int:
    global counter
    counter += 1
    events.append(f"{counter}:{event}")
    return counter


def reset() -> None:
    global counter, events
    counter = 0
    events = []


def in_range(n: int) -> bool:
    return LIMITS["low"] <= n <= LIMITS["high"]


def shadow() -> int:
    counter = 1000
    return counter + 1


for word in GREETING.split():
    record(word)
print(counter, events)
print(shadow(), counter)
LIMITS["high"] = 3
print([n for n in range(6) if in_range(n)])
reset()
record("after reset")
print(counter, events)
total = 0
i = 0
while i < 5:
    total += i * i
    i += 1
print("total", total, "i", i)
if total > 20:
    status = "big"
elif total > 10:
    status = "medium"
else:
    status = "small"
print(status)
table = {name: len(name) for name in ("alpha", "be", "c")}
for name, size in table.items():
    print(f"{name:>6} {size}")


def main() -> None:
    print("main sees", counter, status, len(events), __name__)


if __name__ == "__main__":
    main()
    record("from main")
    print(events)
print("module end")
