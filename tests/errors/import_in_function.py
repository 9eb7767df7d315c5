from kaa.lang import *


def main() -> i32:
    import kernel.lib.fmt  # E: imports inside functions  # N: import at the top of the module
    return 0
