"""`except E as e` in a function binds a local e, even where the module has a global e."""

import math
m, e = math.frexp(8.0)


def f(x: int) -> str:
    try:
        return str(10 // x)
    except ZeroDivisionError as e:
        return f"caught {e}"


print(f(2), f(0), m, e)
