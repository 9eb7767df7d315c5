"""Chained assignment (a = b.x = c[0] = value): one value, every target a reference."""


class Box:
    def __init__(self, v: int) -> None:
        self.v = v


class Holder:
    def __init__(self) -> None:
        self.box: Box | None = None
        self.items: list[Box] = [Box(0)]

    def get(self) -> Box:
        b = self.box
        if b is None:
            b = self.box = self.items[0] = Box(7)        # a new object into three places
        return b


h = Holder()
print(h.get().v, h.get() is h.box, h.items[0] is h.get())
x = y = [1, 2]
x.append(3)
print(x, y, x is y)
s = t = "text" + str(len(x))
print(s, t)
n = m = 2 ** 70
print(n, m)
d: dict[str, Box] = {}
first = d["a"] = d["b"] = Box(1)
first.v = 5
print(d["a"].v, d["b"].v)
