from kaa.lang import *
import kernel.threads as threads
import kernel.arch.x86_64.cpu as cpu

done: threads.WaitQueue
replies: i32 = 0


def where(arg: u64) -> i64:
    return threads.cpu_id()


def main() -> i32:
    print("cpus", cpu.count)
    for c in range(cpu.count):
        t = threads.spawn(where, 0, i32(c))
        print(f"thread for cpu {c} ran on cpu {threads.join(t)}")
    return 0
