"""time's clocks: facts that hold on any run (the values themselves are not printed)."""

import time

JAN_1_2024 = 1704067200

now = time.time()
print("after 2024:", now > JAN_1_2024, time.time_ns() > JAN_1_2024 * 10**9)
print("before 2200:", now < 7258118400)
print("time_ns agrees with time:", abs(time.time_ns() / 1e9 - time.time()) < 5.0)

readings = [time.monotonic() for _ in range(1000)]
print("monotonic never decreases:", all(a <= b for a, b in zip(readings, readings[1:])))
ns = [time.monotonic_ns() for _ in range(1000)]
print("monotonic_ns never decreases:", all(a <= b for a, b in zip(ns, ns[1:])))
pc = [time.perf_counter_ns() for _ in range(100)]
print("perf_counter_ns never decreases:", all(a <= b for a, b in zip(pc, pc[1:])))

start = time.monotonic()
start_ns = time.perf_counter_ns()
time.sleep(0.05)
slept = time.monotonic() - start
print("sleep(0.05) lasts at least 0.05 s:", slept >= 0.05, time.perf_counter_ns() - start_ns >= 50_000_000)
print("and less than 5 s:", slept < 5.0)
t = time.perf_counter()
time.sleep(0)
time.sleep(1e-6)
print("sleep(0) returns:", time.perf_counter() >= t)

wall = time.gmtime()
print("gmtime() is now:", time.strftime("%Y", wall) >= "2024")
print("ISO 8601 now:", len(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time()))) == 20)

for bad in [-1.0, -1e-9, float("nan")]:
    try:
        time.sleep(bad)
    except ValueError as e:
        print(f"sleep({bad}):", e)
