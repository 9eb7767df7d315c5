"""typing.cast (checked from dynamic values and to subclasses), gc's switches, typing
names used only in annotations (Final, ClassVar, Optional, Union, Sequence, Mapping)."""

import gc
import typing
from typing import Any, ClassVar, Final, Mapping, Optional, Sequence, Union, cast

LIMIT: Final = 3


class Animal:
    kind: ClassVar[str] = "animal"

    def speak(self) -> str:
        return "..."


class Dog(Animal):
    kind: ClassVar[str] = "dog"

    def speak(self) -> str:
        return "woof"

    def fetch(self) -> str:
        return "ball"


def first(xs: Sequence[int]) -> Optional[int]:
    return xs[0] if xs else None


def middle(xs: Sequence[str]) -> str:
    return xs[len(xs) // 2] if len(xs) > 0 else ""


def lookup(m: Mapping[str, int], k: str) -> Union[int, None]:
    return m.get(k)


raw: Any = {"n": 5, "names": ["a", "b"]}
n = cast(int, raw["n"])
names = cast(list[str], raw["names"])
print(n + LIMIT, names, len(names))
pet: Animal = Dog()
dog = cast(Dog, pet)
print(dog.fetch(), dog.speak(), typing.cast(Animal, dog).kind)
print(first([4, 5]), first([]), first((9,)), first(range(3, 5)), middle("abc"), middle(["x", "y"]),
      lookup({"a": 1}, "a"), lookup({}, "z"))
gc.disable()
print(gc.isenabled() in (True, False))
gc.enable()
print(gc.collect() >= 0)
