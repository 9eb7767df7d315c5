from kaa.lang import *


def main() -> i32:
    x: i32 = 0
    try:  # E: try
        x = 1
    except Exception:
        x = 2
    return x
