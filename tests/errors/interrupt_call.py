from kaa.lang import *


@interrupt
def on_tick(frame: Ptr[InterruptFrame]) -> None:
    pass


def main() -> i32:
    on_tick(None)  # E: an @interrupt function cannot be called  # N: move the work into a plain function
    return 0
