"""The smallest Kaa service: greets and shows the command line it was booted with.

    kaa run examples/hello.py -- any words
"""

from kaa.lang import *
import kernel.cmdline as cmdline


def main() -> i32:
    print("Hello from Kaa")
    print(f"command line: {cmdline.args()}")
    return 0
