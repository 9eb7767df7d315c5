"""@staticmethod and @classmethod: alternative constructors, class-level counters, cls in subclasses."""


class Color:
    created = 0

    def __init__(self, r: int, g: int, b: int) -> None:
        self.r = r
        self.g = g
        self.b = b
        Color.created += 1

    @classmethod
    def from_hex(cls, text: str) -> "Color":
        text = text.lstrip("#")
        return cls(int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))

    @classmethod
    def gray(cls, level: int) -> "Color":
        return cls(level, level, level)

    @staticmethod
    def clamp(v: int) -> int:
        return max(0, min(255, v))

    @staticmethod
    def blend_channel(a: int, b: int, t: float) -> int:
        return Color.clamp(round(a + (b - a) * t))

    def blend(self, other: "Color", t: float) -> "Color":
        return Color(Color.blend_channel(self.r, other.r, t),
                     self.blend_channel(self.g, other.g, t),
                     Color.blend_channel(self.b, other.b, t))

    def hex(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}"

    def describe(self) -> str:
        return f"{self.kind()} {self.hex()}"

    @classmethod
    def kind(cls) -> str:
        return "color"


class Paint(Color):
    @classmethod
    def kind(cls) -> str:
        return "paint"


def main() -> None:
    red = Color.from_hex("#ff0000")
    blue = Color.from_hex("0000FF")
    print(red.hex(), blue.hex(), red.describe(), Color.created)
    mid = red.blend(blue, 0.5)
    print(mid.hex(), mid.r, mid.g, mid.b, Color.created)
    print(Color.clamp(-5), Color.clamp(300), red.clamp(42), Color.blend_channel(0, 255, 0.25))
    g = Color.gray(128)
    p = Paint.gray(7)
    q = Paint.from_hex("#123456")
    print(g.describe(), p.describe(), q.describe(), Paint.kind(), Color.kind(), Color.created)
    print(isinstance(p, Paint), isinstance(g, Paint), isinstance(q, Color))
    steps = [red.blend(blue, i / 4).hex() for i in range(5)]
    print(steps, Color.created)


if __name__ == "__main__":
    main()
