from kaa.lang import *


@interrupt
def on_tick(frame: Ptr[InterruptFrame]) -> None:
    pass


def main() -> i32:
    handler: Fn[[Ptr[InterruptFrame]], None] = on_tick  # E: is not a Fn value  # N: cast(u64, on_tick)
    handler(None)
    return 0
