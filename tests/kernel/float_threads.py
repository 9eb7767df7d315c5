from kaa.lang import *
import kernel.threads as threads
import timer_ticks

# f64 in threads that switch on one CPU and run on two (--smp 2), with timer interrupts
# between their steps. Each job iterates the logistic map (chaotic: one step rounded
# differently changes everything after it) and sums a series with a division and a
# square root per term (every step's rounding stays in the sum), yielding or sleeping
# after each of STEPS steps. Job 1 rounds toward zero and job 3 upward (their own MXCSR),
# so a switch that did not keep each thread's MXCSR would change someone's bits; job 0
# sets its own x87 control word. Job 4 is spawned by job 1 after it set its rounding
# mode and reports what a new thread starts with. main prints every job's parameters and
# results; tests/test_kernel_float.py recomputes them in CPython.

STEPS: Final = 12
ITER: Final = 25
JOBS: Final = 5
CHILD: Final = 4
RN: Final = 0x1F80                  # MXCSR: round to nearest (the default), exceptions masked
RZ: Final = 0x7F80                  # toward zero
RU: Final = 0x5F80                  # upward
MXCSR_CONTROL: Final = 0xFFC0       # the control bits; below them the sticky exception flags


@struct
class Job:
    cpu: i32
    mode: u32
    fcw: u16                        # 0: keep the default x87 control word
    seed: f64
    result: f64
    end_mxcsr: u32
    end_fcw: u16
    start_mxcsr: u32
    start_fcw: u16
    switched: i64                   # steps after which another thread had run on this CPU


jobs: Array[Job, 5]
last: Array[i64, 16]                # per CPU: the job that ran a step last


def mxcsr() -> u32:
    v: u32 = 0
    asm("stmxcsr %0", out=[("=m", v)])
    return v


def set_mxcsr(value: u32) -> None:
    v = value
    asm("ldmxcsr %0", ins=[("m", v)], clobbers=["memory"])


def fcw() -> u16:
    v: u16 = 0
    asm("fnstcw %0", out=[("=m", v)])
    return v


def set_fcw(value: u16) -> None:
    v = value
    asm("fldcw %0", ins=[("m", v)], clobbers=["memory"])


@noinline
def iterate(x: Ptr[f64], s: Ptr[f64], k: i64) -> None:
    for j in range(ITER):
        x[0] = 3.9 * x[0] * (1.0 - x[0])
        s[0] += sqrt(x[0]) / (x[0] + f64(k))


def run(arg: u64) -> i64:
    job = addr(jobs[arg])
    job.start_mxcsr = mxcsr()
    job.start_fcw = fcw()
    set_mxcsr(job.mode)
    if job.fcw != 0:
        set_fcw(job.fcw)
    child: Ptr[threads.Thread] = None
    if arg == 1:
        child = threads.spawn(run, CHILD, -1)
    x = job.seed
    s = 0.0
    me = threads.cpu_id()
    for k in range(1, STEPS + 1):
        if last[me] != i64(arg):
            job.switched += 1
            last[me] = i64(arg)
        iterate(addr(x), addr(s), k)
        if k % 2 == 0:
            threads.yield_now()
        else:
            threads.sleep_ns(300000)
    job.result = s + x
    job.end_mxcsr = mxcsr()
    job.end_fcw = fcw()
    if child is not None:
        threads.join(child)
    return 0


def main() -> i32:
    jobs[0] = Job(cpu=0, mode=RN, fcw=0x027F, seed=0.123)
    jobs[1] = Job(cpu=0, mode=RZ, seed=0.456)
    jobs[2] = Job(cpu=1, mode=RN, seed=0.789)
    jobs[3] = Job(cpu=1, mode=RU, seed=0.321)
    jobs[4] = Job(cpu=0, mode=RN, seed=0.654)
    for c in range(16):
        last[c] = -1
    timer_ticks.install()
    before0 = timer_ticks.ticks[0]
    before1 = timer_ticks.ticks[1]
    running: Array[Ptr[threads.Thread], 4]
    for i in range(4):
        running[i] = threads.spawn(run, u64(i), jobs[i].cpu)
    for i in range(4):
        threads.join(running[i])
    print(f"steps {STEPS} iter {ITER}")
    for i in range(JOBS):
        j = addr(jobs[i])
        print(f"job {i} cpu {j.cpu} mode {j.mode:04x} seed {bits(j.seed):016x} result {bits(j.result):016x} "
              f"mxcsr {j.end_mxcsr & MXCSR_CONTROL:04x} fcw {j.end_fcw:04x} "
              f"start {j.start_mxcsr:04x} {j.start_fcw:04x} switched {j.switched}")
    print(f"timer interrupts cpu0 {timer_ticks.ticks[0] - before0} cpu1 {timer_ticks.ticks[1] - before1}")
    print(f"main mxcsr {mxcsr() & MXCSR_CONTROL:04x} fcw {fcw():04x}")
    return 0
