from kaa.lang import *

checks: i32 = 0


def counted(v: bool) -> bool:
    global checks
    checks += 1
    return v


def main() -> i32:
    x: u8 = 200
    assert x == 200
    assert x + 100 == 44, "u8 arithmetic wraps"
    assert 100 <= x <= 255
    assert counted(True)
    assert counted(x > 0), "positive"
    n = 0
    while n < 5:
        assert n < 5
        n += 1
    print("asserts passed", checks, n)
    return 0
