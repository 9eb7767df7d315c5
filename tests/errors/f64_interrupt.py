from kaa.lang import *

scale: f64 = 1.5


@interrupt
def on_tick(frame: Ptr[InterruptFrame]) -> None:  # E: uses f64  # N: general registers
    global scale
    scale = scale * 2.0


def main() -> i32:
    return 0
