"""The command line the machine was started with (`kaa run app.py -- args`).

The platform sets it once at start; services read it with args().
"""

from kaa.lang import *

text: Str = ""


def set_args(s: Str) -> None:
    global text
    text = s


def args() -> Str:
    return text
