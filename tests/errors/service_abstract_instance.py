from abc import ABC, abstractmethod


class Shape(ABC):
    @abstractmethod
    def area(self) -> float:
        ...

    @abstractmethod
    def name(self) -> str:
        ...


s = Shape()  # E: Can't instantiate abstract class Shape with abstract methods area, name # N: construct a subclass that defines them
