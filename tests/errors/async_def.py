from kaa.lang import *


async def fetch() -> i32:  # E: async
    return 1


def main() -> i32:
    return 0
