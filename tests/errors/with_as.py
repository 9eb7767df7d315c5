from kaa.lang import *


def main() -> i32:
    with irq_disabled() as state:  # E: 'with ... as' is not supported  # N: with irq_disabled():
        pass
    return 0
