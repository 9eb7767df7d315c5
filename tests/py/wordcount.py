"""Word frequency count over a text: dict counting, sorting by count then word, formatted report."""

TEXT = """
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness, it was
the spring of hope, it was the winter of despair, we had everything before us,
we had nothing before us, we were all going direct to Heaven, we were all going
direct the other way -- in short, the period was so far like the present period.
"""


def words(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split():
        w = raw.strip(".,;:!?-\"'").lower()
        if w:
            out.append(w)
    return out


def count(ws: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    return counts


def report(counts: dict[str, int], top: int) -> None:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max(len(w) for w, _ in ranked[:top])
    for rank, (w, n) in enumerate(ranked[:top], 1):
        bar = "#" * n
        print(f"{rank:2}. {w:<{width}} {n:3} {bar}")


def main() -> None:
    ws = words(TEXT)
    counts = count(ws)
    print(len(ws), "words,", len(counts), "distinct")
    report(counts, 12)
    singles = sorted(w for w, n in counts.items() if n == 1)
    print(len(singles), singles[:8])
    by_length: dict[int, list[str]] = {}
    for w in sorted(counts):
        by_length.setdefault(len(w), []).append(w)
    for length in sorted(by_length, reverse=True)[:3]:
        print(length, by_length[length])
    first_seen = list(counts)[:10]
    print(first_seen)
    letters: dict[str, int] = {}
    for w in ws:
        for ch in w:
            letters[ch] = letters.get(ch, 0) + 1
    print(sorted(letters.items(), key=lambda kv: kv[1], reverse=True)[:5])


if __name__ == "__main__":
    main()
