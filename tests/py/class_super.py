"""super(): chained __init__, extending methods, calling overridden base behaviour."""


class Logger:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def log(self, msg: str) -> None:
        self.lines.append(msg)


class Base:
    def __init__(self, logger: Logger, name: str) -> None:
        self.logger = logger
        self.name = name
        logger.log(f"Base.__init__({name})")

    def greet(self) -> str:
        return f"hello from {self.name}"

    def steps(self) -> list[str]:
        return ["base"]


class Middle(Base):
    def __init__(self, logger: Logger, name: str, level: int) -> None:
        logger.log(f"Middle.__init__ before super ({level})")
        super().__init__(logger, name)
        self.level = level
        logger.log("Middle.__init__ after super")

    def greet(self) -> str:
        return super().greet() + f" at level {self.level}"

    def steps(self) -> list[str]:
        return super().steps() + ["middle"]


class Leaf(Middle):
    def __init__(self, logger: Logger) -> None:
        super().__init__(logger, "leaf", 2)
        logger.log("Leaf.__init__ done")

    def greet(self) -> str:
        inner = super().greet()
        return inner.upper() + "!"

    def steps(self) -> list[str]:
        result = super().steps()
        result.append("leaf")
        return result


class Plain(Base):
    pass


def main() -> None:
    log = Logger()
    leaf = Leaf(log)
    for line in log.lines:
        print(line)
    print(leaf.greet())
    print(leaf.steps(), leaf.name, leaf.level)
    objects: list[Base] = [Base(log, "b"), Middle(log, "m", 1), leaf, Plain(log, "p")]
    for obj in objects:
        print(obj.greet(), obj.steps())
    print(len(log.lines), log.lines[-1])


if __name__ == "__main__":
    main()
