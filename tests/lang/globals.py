from kaa.lang import *


@struct
class Stats:
    packets: u64
    errors: u32
    last: Array[u8, 4]


count: u32 = 0
limit: i64 = -5
ready: bool = False
history: Array[i32, 8]
stats: Stats
cursor: Ptr[i32] = None


def bump() -> u32:
    global count
    count += 1
    return count


def record(v: i32) -> None:
    global cursor
    # Element and field stores need no `global`: they do not rebind the name.
    history[count] = v
    stats.packets += 1
    stats.last[count % 4] = u8(v)
    cursor = addr(history[count])
    bump()


def reset() -> None:
    global count, ready
    count = 0
    ready = True


def main() -> i32:
    global limit
    print(count, limit, ready, stats.packets, cursor is None)
    first = bump()
    second = bump()
    print(first, second, count)
    record(10)
    record(20)
    record(-1)
    print(count, history[2], history[3], history[4], history[5])
    print(stats.packets, stats.errors, stats.last[0], stats.last[1])
    print(cursor[0], cursor - addr(history[0]))
    limit = limit * 3
    print(limit)
    reset()
    print(count, ready)
    s = stats
    s.packets = 0
    print(stats.packets, s.packets)
    return 0
