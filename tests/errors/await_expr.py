from kaa.lang import *


def main() -> i32:
    x = await main()  # E: async/await is not supported  # N: threads
    return x
