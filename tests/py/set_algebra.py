"""set operations: add discard remove, | & - ^ <= < >=, membership, comprehensions."""


def show(label: str, s: set[int]) -> None:
    print(label, sorted(s), len(s))


def main() -> None:
    evens = {x for x in range(20) if x % 2 == 0}
    threes = set(range(0, 20, 3))
    show("evens", evens)
    show("threes", threes)
    show("union", evens | threes)
    show("intersection", evens & threes)
    show("difference", evens - threes)
    show("symmetric", evens ^ threes)
    print(evens & threes <= evens, evens <= threes, {0, 6} < evens, evens < evens, evens >= {2, 4})
    print(evens == set(range(0, 20, 2)), evens != threes, 6 in evens, 7 in evens, 7 not in evens)
    s: set[int] = set()
    for n in [5, 3, 5, 1, 3, 9, 1]:
        s.add(n)
    show("added", s)
    s.discard(3)
    s.discard(42)
    s.remove(9)
    show("removed", s)
    try:
        s.remove(42)
    except KeyError as e:
        print("KeyError:", e, repr(e))
    u = s.copy()
    u |= {100, 200}
    u &= {1, 5, 100, 7}
    u -= {5}
    u ^= {1, 2}
    show("augmented", u)
    show("original", s)
    print({1, 2, 3}, {3, 2, 1}, set([10, 5, 1]), set(), {-1, -2} | {0})
    words = "to be or not to be that is the question".split()
    unique = set(words)
    print(len(words), len(unique), sorted(unique), "be" in unique, "xyz" in unique)
    letters = {c for c in "mississippi"}
    print(sorted(letters), len(letters), sorted(letters ^ set("misty")))
    seen: set[tuple[int, int]] = set()
    x, y = 0, 0
    for step in "NNEESWWWSSE":
        if step == "N":
            y += 1
        elif step == "S":
            y -= 1
        elif step == "E":
            x += 1
        else:
            x -= 1
        if (x, y) in seen:
            print("revisit", (x, y))
        seen.add((x, y))
    print(len(seen), sorted(seen)[:4], max(seen), min(seen))
    primes = set(range(2, 50))
    for p in range(2, 8):
        primes -= set(range(p * p, 50, p))
    show("primes", primes)
    print(sum(primes), any(p % 2 == 0 for p in primes), all(p > 1 for p in primes))


if __name__ == "__main__":
    main()
