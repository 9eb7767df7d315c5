# Allocating without end must stop the machine with the out-of-memory panic.
from kaa.lang import *



def main() -> i32:
    total: u64 = 0
    while True:
        b = new_array(u8, 1 << 20)
        total += u64(len(b))
        if total > (1 << 40):
            print("never printed")
            return 1
