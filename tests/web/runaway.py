"""A handler whose recursion runs off its thread's stack: the guest must say so, with
a backtrace naming this file's lines (tests/test_web.py)."""

from kaa.web import App

app = App()


def down(n: int) -> int:
    return n if n == 0 else down(n - 1) + 1


@app.get("/down/{n}")
def count_down(n: int) -> str:
    return f"{down(n)}\n"


app.run(port=8080)
