from kaa.lang import *

PI: Final = 3.141592653589793  # E: Final constants are integers  # N: PI: f64 = 3.141592653589793


def main() -> i32:
    return 0
