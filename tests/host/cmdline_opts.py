# kernel/cmdline.py's options, built for the host: the process arguments are the line.
from kaa.lang import *
import kernel.cmdline as cmdline


def main() -> i32:
    print(f"[{cmdline.args()}] {cmdline.count} options")
    print(f"port={cmdline.int_value('port', -1)} mask={cmdline.int_value('mask', -1)} "
          f"neg={cmdline.int_value('neg', 0)} bad={cmdline.int_value('bad', 7)} none={cmdline.int_value('none', 9)}")
    print(f"name=[{cmdline.get('name')}] verbose={cmdline.has('verbose')} quiet={cmdline.has('quiet')} "
          f"empty=[{cmdline.get('empty')}] has_empty={cmdline.has('empty')}")
    return 0
