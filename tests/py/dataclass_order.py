"""@dataclass(order=True): generated orderings compare fields as a tuple, in declaration order."""

from dataclasses import dataclass, field


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0
    patch: int = 0

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"


@dataclass(order=True)
class Task:
    priority: int
    name: str
    deps: list[str] = field(default_factory=list)


@dataclass(order=True)
class Score:
    points: float
    player: str


def main() -> None:
    vs = [Version(1, 2, 3), Version(1, 10), Version(0, 9, 9), Version(1, 2), Version(2)]
    print(sorted(vs))
    print([str(v) for v in sorted(vs, reverse=True)])
    print(min(vs), max(vs), Version(1, 2) < Version(1, 2, 1), Version(1) <= Version(1, 0, 0))
    print(Version(3) > Version(2, 99), Version(2) >= Version(2, 0, 1), Version(1) == Version(1, 0))
    tasks = [Task(3, "deploy", ["build"]), Task(1, "fetch"), Task(2, "build", ["fetch"]), Task(1, "lint")]
    tasks.sort()
    print([t.name for t in tasks])
    print(tasks[0], Task(1, "a") == Task(1, "b"), Task(1, "a") < Task(2, "a"), Task(1, "b") > Task(1, "a"))
    print(Task(1, "a", ["x"]) < Task(1, "a", ["y"]), Task(1, "a") <= Task(1, "a", []))
    done: set[str] = set()
    order: list[str] = []
    pending = sorted(tasks)
    while pending:
        for t in pending:
            if all(d in done for d in t.deps):
                order.append(t.name)
                done.add(t.name)
                pending.remove(t)
                break
    print(order)
    scores = [Score(9.5, "zoe"), Score(7.25, "al"), Score(9.5, "bea"), Score(-1.0, "cy")]
    ranking = sorted(scores, reverse=True)
    for rank, s in enumerate(ranking, 1):
        print(rank, s.player, s.points, s)
    print(max(scores), min(scores).player, Score(1.0, "a") == Score(1.0, "a"), scores[0] > scores[2])


if __name__ == "__main__":
    main()
