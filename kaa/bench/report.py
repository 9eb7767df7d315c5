"""The written report: docs/benchmarks/README.md, results.json and a PNG plot per benchmark.

write() merges the results of this invocation into docs/benchmarks/results.json (so
`kaa bench http --report` refreshes the HTTP section and keeps the others), then
renders every benchmark found there as a Markdown section with a table and, where
matplotlib is installed, a plot. matplotlib is imported only here and only when a
report is asked for; without it the report says so and has tables alone.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import subprocess
from pathlib import Path

from kaa.compiler.declare import KAA_ROOT

OUT_DIR = KAA_ROOT / "docs" / "benchmarks"
ORDER = ("boot", "size", "memory", "http", "tcp", "opt", "nic")
NET_TITLES = {"user": "QEMU user networking (`-p` forwards on 127.0.0.1)",
              "tap": "tap in the benchmark's own network namespace"}
UNIKRAFT_RATIO = 2.8      # nginx on Unikraft against nginx in a Linux KVM guest, one core (the Unikraft paper)


def environment() -> dict:
    """Where the figures come from: CPU, cores, QEMU, the commit."""
    cpu = ""
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = m.group(1).strip() if m else ""
    except OSError:
        pass

    def out(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=KAA_ROOT).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    qemu = out(["qemu-system-x86_64", "--version"]).splitlines()
    commit = out(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(out(["git", "status", "--porcelain", "--untracked-files=no"]))
    return {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "cores": os.cpu_count(), "host_kernel": platform.release(),
            "qemu": qemu[0] if qemu else "", "commit": commit + (" (with uncommitted changes)" if dirty else "")}


def _ratio(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def fmt(s: dict | None, scale: float = 1.0, digits: int = 2) -> str:
    """A summary as "median (min-max)"; "-" when nothing was measured."""
    if not s or s.get("median") is None:
        return "-"
    med, lo, hi = (s[k] * scale for k in ("median", "min", "max"))
    if s.get("n", 1) <= 1 or lo == hi:
        return f"{med:,.{digits}f}"
    return f"{med:,.{digits}f} ({lo:,.{digits}f}-{hi:,.{digits}f})"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _notes(r: dict) -> str:
    text = ""
    for name, why in (r.get("skipped") or {}).items():
        text += f"- skipped {name}: {why}\n"
    for name, errs in (r.get("errors") or {}).items():
        first = errs[0].splitlines()[0] if errs else ""
        text += f"- {name}: {len(errs)} failed run(s); first: `{first}`\n"
    for name, reports in (r.get("crashes") or {}).items():
        text += (f"- {name}: **the guest crashed** in {len(reports)} run(s); the first report:\n\n"
                 + "".join(f"      {line}\n" for line in reports[0].splitlines()) + "\n")
    return text + ("\n" if text else "")


# --- Sections --------------------------------------------------------------------------

def boot_section(r: dict) -> str:
    rows = []
    for name, s in r["services"].items():
        guest = fmt(s["guest_us"], 1e-3, 1)
        rows.append([name, s["kind"], s["answer"], fmt(s["answer_s"], 1e3, 0), fmt(s["ready_s"], 1e3, 0),
                     guest, str(s["failed"])])
    text = (f"Wall time from starting QEMU to the service's first answer, {r['runs']} boots each "
            f"(interleaved), `-M {r['machine']}`, {r['memory_mib']} MiB, accelerator {r['accel']}. "
            "Milliseconds, median (min-max). *guest* is the guest's own account: Kaa's "
            "\"booted in N us\" banner (TSC from the PVH entry), Linux's uptime when nginx is up.\n\n")
    text += _table(["service", "kind", "answer", "QEMU start → answer (ms)", "→ ready line (ms)",
                    "guest (ms)", "failed"], rows)
    if r.get("linux_cmdline"):
        text += f"\nLinux booted with `-append \"{r['linux_cmdline']}\"` and `-initrd`.\n"
    lx = r["services"].get("linux", {}).get("answer_s", {}).get("median")
    for name, s in r["services"].items():
        k = s["answer_s"].get("median")
        if lx and k and s["kind"] == "kaa" and s["answer"] != "exit status 0":
            text += f"\n{name} answers {lx / k:,.0f}x sooner than Linux ({s['answer']} against its first HTTP 200)."
    return text + "\n\n" + _notes(r)


def size_section(r: dict) -> str:
    rows = [[name, f"{s['file_bytes']:,}", f"{s['load_bytes']:,}", f"{s['memory_bytes']:,}"]
            if "error" not in s else [name, "build failed", "-", "-"] for name, s in r["kaa"].items()]
    text = ("Image bytes at -O2. *file*: the ELF as built (with DWARF and symbols); *loaded*: the "
            "PT_LOAD bytes QEMU copies into the guest; *in memory*: with .bss.\n\n")
    text += _table(["Kaa image", "file", "loaded", "in memory"], rows)
    if "linux" in r:
        lx = r["linux"]
        v = lx["vmlinux"]
        text += "\n" + _table(["Linux baseline (" + lx["kernel"] + ")", "bytes"], [
            ["vmlinux (what -kernel boots)", f"{v['file_bytes']:,}"],
            ["vmlinux loaded (PT_LOAD)", f"{v['load_bytes']:,}"],
            ["bzImage (Debian's package, xz)", f"{lx['bzimage_bytes']:,}"],
            ["initramfs (cpio, as booted)", f"{lx['initramfs_bytes']:,}"],
            ["initramfs gzip -6 (for scale)", f"{lx['initramfs_gzip_bytes']:,}"],
            ["vmlinux + initramfs", f"{lx['total_bytes']:,}"]])
        biggest = max((s["file_bytes"] for s in r["kaa"].values() if "file_bytes" in s), default=0)
        if biggest:
            loaded = max(s["load_bytes"] for s in r["kaa"].values() if "load_bytes" in s)
            text += (f"\nThe largest Kaa image is {lx['total_bytes'] / biggest:,.0f}x smaller than "
                     f"vmlinux + initramfs as files, {lx['total_load_bytes'] / loaded:,.0f}x in bytes loaded.\n")
    return text + "\n"


def memory_section(r: dict) -> str:
    rows = []
    for name, s in r["services"].items():
        rows.append([name, s["kind"], str(s.get("least_mib") or "-"), str(s.get("probes", "-")),
                     str(s.get("answer_within_s", "-")), ", ".join(map(str, s.get("flaky", []))) or "-"])
    text = ("The least `--memory` (MiB) each service boots and answers in (bisection; the result is "
            f"confirmed by a second boot), `-M {r['machine']}`.\n\n")
    text += _table(["service", "kind", "least MiB", "boots tried", "answer within (s)", "flaky at"], rows)
    crashed = [f"- {name} crashed at {mib} MiB: `{line}`\n" for name, s in r["services"].items()
               for mib, line in (s.get("crashed") or {}).items()]
    return text + ("\n" + "".join(crashed) if crashed else "") + "\n" + _notes(r)


def _failed_runs(failed: int, crashed: int) -> str:
    return f"{failed} ({crashed} crashed)" if crashed else str(failed)


def http_section(r: dict) -> str:
    if "runs" not in r:
        return _notes(r)
    loads = "; ".join(f"`{n}`: wrk -t{l['wrk_threads']} -c{l['connections']}" +
                      (" -H 'Connection: close'" if l["connection_close"] else "") for n, l in r["loads"].items())
    text = (f"wrk against each service's path (below) for {r['duration_s']:g} s per load after 1 s of warm-up, "
            f"{r['runs']} runs (interleaved), `-M {r['machine']}`, {r['memory_mib']} MiB, accelerator {r['accel']}, "
            f"with {' and '.join(map(str, r['smp']))} vCPUs. Loads: {loads}. Latency in ms. *errors*: wrk's socket "
            "errors and non-2xx answers, summed over the runs that completed; *failed runs*: runs in which the "
            "service stopped answering (no answer to its path within 5 s of the load's end; the figures leave those "
            "runs out, the notes below say what happened; *crashed*: the guest panicked or faulted, its report is "
            "in the notes). Each network is its own table: QEMU's user "
            "network relays every connection through its own TCP stack, which caps every guest.\n\n")
    text += _http_services(r)
    for net, svcs in r["nets"].items():
        rows = []
        for name, s in svcs.items():
            for load in r["loads"]:
                x = s.get(load, {})
                rows.append([s["service"], "host" if s["smp"] is None else str(s["smp"]), load,
                             fmt(x.get("rps"), 1, 0), fmt(x.get("p50_us"), 1e-3, 2), fmt(x.get("p99_us"), 1e-3, 2),
                             str(x.get("errors", "-")), _failed_runs(x.get("failed", s["failed"]), x.get("crashed", 0))])
        text += f"### {NET_TITLES.get(net, net)}\n\n"
        text += _table(["service", "vCPUs", "load", "requests/s", "p50 (ms)", "p99 (ms)", "errors", "failed runs"],
                       rows)
        bodies = ", ".join(sorted({f"{s['service']} {s['body_bytes']}" for s in svcs.values() if "body_bytes" in s}))
        if bodies:
            text += f"\nResponse body bytes: {bodies}.\n"
        text += "".join(f"\n{line}\n" for line in _framework_ratios(r, svcs) + _http_ratios(r, svcs))
        text += "\n"
    if (line := _unikraft_line(r)):
        text += line + "\n\n"
    return text + _notes(r)


KIND_TEXT = {"kaa": "booted", "linux": "booted", "cpython": "a process on the host: no VM, wrk straight to 127.0.0.1"}


def _http_services(r: dict) -> str:
    """What each service is: its level, its path, how it runs."""
    fw = r.get("framework") or {}
    what = {fw.get("kernel"): "Kaa's kernel-level HTTP service (examples/http_hello.py: the kernel's router and "
                              "JSON writer)",
            fw.get("booted"): "the kaa.web framework's Item service (kaa/bench/programs/web_items.py: route, "
                              "path parameter as int, a dataclass answered as JSON), compiled",
            fw.get("cpython"): "the same file under CPython (the framework's CPython transport, the standard "
                               "library's threading HTTP server)",
            "linux": "nginx in the Linux guest"}
    seen: dict[str, dict] = {}
    for svcs in r["nets"].values():
        for s in svcs.values():
            seen.setdefault(s["service"], s)
    lines = [f"- `{name}` GET `{s.get('path', '/')}`: {what.get(name) or 'a Kaa HTTP service'}; "
             f"{KIND_TEXT.get(s['kind'], s['kind'])}" for name, s in seen.items()]
    if fw:
        log = "on" if fw.get("access_log") else "off"
        lines.append(f"- kaa.web's access log is {log} in both (`app.access_log`): a console line per request is "
                     "not what a production service writes under load; booted, every line goes out through the "
                     "serial port.")
    text = "\n".join(lines) + "\n\n" if lines else ""
    if fw and (OUT_DIR / "web.md").exists():
        text += ("Where kaa.web's time goes, layer by layer, and what the CPython figures say: "
                 "[web.md](web.md).\n\n")
    return text


def _framework_ratios(r: dict, svcs: dict) -> list[str]:
    """kaa.web booted against the kernel-level service (issue 13's goal) and against itself under CPython."""
    fw = r.get("framework")
    if not fw:
        return []
    lines = []
    cpy = svcs.get(fw["cpython"])
    for s in svcs.values():
        if s["service"] != fw["booted"]:
            continue
        kernel = svcs.get(f"{fw['kernel']} smp={s['smp']}")
        ratios = _ratios_to(s, kernel, r["loads"])
        if ratios:
            main = ratios.get("keepalive-c32")
            verdict = "" if main is None else (
                f" Goal (within {100 - 100 * fw['goal_ratio']:.0f}%, {fw['goal_ratio']:.2f}x or more, keepalive-c32): "
                + ("met." if main >= fw["goal_ratio"] else "not met."))
            lines.append(f"**kaa.web/{fw['kernel']}** ({s['smp']} vCPU) requests/s: "
                         + ", ".join(f"{ld} {v:.2f}x" for ld, v in ratios.items()) + "." + verdict)
        vs_cpython = _ratios_to(s, cpy, r["loads"])
        if vs_cpython:
            lines.append(f"{fw['booted']} booted ({s['smp']} vCPU) requests/s relative to the same file under "
                         "CPython: " + ", ".join(f"{ld} {v:.2f}x" for ld, v in vs_cpython.items()) + ".")
    return lines


def _ratios_to(s: dict, other: dict | None, loads: dict) -> dict[str, float]:
    """{load: s's median requests/s over other's}, for the loads both measured."""
    out = {}
    for load in loads:
        a, b = _median(s, load, "rps"), _median(other or {}, load, "rps")
        if a and b:
            out[load] = a / b
    return out


def _http_ratios(r: dict, svcs: dict) -> list[str]:
    """"X requests/s relative to Linux" for each Kaa service, at each vCPU count."""
    lines = []
    for s in svcs.values():
        linux = svcs.get(f"linux smp={s['smp']}")
        if s["kind"] != "kaa" or linux is None:
            continue
        ratios = _ratios_to(s, linux, r["loads"])
        if ratios:
            lines.append(f"{s['service']} ({s['smp']} vCPU) requests/s relative to Linux: "
                         + ", ".join(f"{ld} {v:.2f}x" for ld, v in ratios.items()) + ".")
    return lines


def _median(entry: dict, load: str, key: str) -> float | None:
    return (entry.get(load) or {}).get(key, {}).get("median")


def _unikraft_line(r: dict) -> str:
    """Our Kaa/Linux keep-alive ratio beside the Unikraft paper's, at the fewest vCPUs both were measured at."""
    kernel = (r.get("framework") or {}).get("kernel")      # the kernel-level service, not the framework's
    for smp in sorted(r.get("smp", [1])):
        ours = []
        for net, svcs in r["nets"].items():
            linux = svcs.get(f"linux smp={smp}")
            for s in svcs.values():
                if s["kind"] == "kaa" and s["smp"] == smp and linux and s["service"] == (kernel or s["service"]):
                    k, lx = _median(s, "keepalive-c32", "rps"), _median(linux, "keepalive-c32", "rps")
                    if k and lx:
                        ours.append(f"{k / lx:.1f}x over {net} networking")
        if ours:
            caveat = "" if smp == min(r.get("smp", [1])) else (
                " (with fewer vCPUs Kaa's keep-alive runs all failed, so this is the nearest comparison: see "
                "the failed runs above)")
            return (f"For scale: the Unikraft paper measured nginx on Unikraft at {UNIKRAFT_RATIO}x the "
                    "requests/s of nginx in a Linux KVM guest, on one core. Here, with "
                    f"{smp} vCPU{'s' if smp > 1 else ''} under keep-alive load (keepalive-c32), the requests/s "
                    f"of Kaa's HTTP service over those of nginx in the Linux guest are {' and '.join(ours)}"
                    f"{caveat}; a different server, under TCG rather than KVM.")
    return ""


def tcp_section(r: dict) -> str:
    dirs = r["directions"]
    text = (f"Bulk TCP one way at a time, {r['duration_s']:g} s per transfer, {r['runs']} runs (interleaved), "
            f"`-M {r['machine']}`, {r['memory_mib']} MiB, accelerator {r['accel']}; Mbit/s, median (min-max). "
            "The host side is plain Python sockets; *host->guest* is timed until the guest's sink has "
            "counted every byte (it answers with the count), *guest->host* is what the host read from the "
            "guest's source. Kaa runs `kaa/bench/programs/tcp_bulk.py`; Linux runs busybox `nc` (into "
            "`wc -c`, from `cat /dev/zero`) in the same initramfs as nginx. A transfer with no progress for "
            f"{r['stall_s']:g} s counts as failed.\n\n")
    rows = []
    for net, svcs in r["nets"].items():
        for name, s in svcs.items():
            rows.append([net, name, s["kind"], *[fmt(s[d]["mbit_s"], 1, 0) for d in dirs],
                         ", ".join(str(s[d]["failed"]) for d in dirs)])
    text += _table(["network", "service", "kind", *[f"{d} (Mbit/s)" for d in dirs], "failed runs"], rows)
    return text + "\n" + _notes(r)


def opt_section(r: dict) -> str:
    rows = []
    for lvl in ("O0", "O1", "O2", "O3"):
        rows.append([f"-{lvl}", fmt(r["guest"]["seconds"][lvl], 1, 3), f"{r['guest']['ratio_to_O2'][lvl]:.2f}",
                     fmt(r["host"]["seconds"][lvl], 1, 3), f"{r['host']['ratio_to_O2'][lvl]:.2f}"])
    text = (f"`{r['program']}` ({r['guest']['rounds']} rounds) built at each level, {r['runs']} runs "
            f"(interleaved). *guest*: booted, accelerator {r['accel']}; *host*: `--target host`, a Linux "
            "process. Seconds between its start and done lines; ratio = time / time at -O2. The "
            f"checksum ({r['checksum']}) is the same at every level.\n\n")
    text += _table(["level", "guest (s)", "guest ratio", "host (s)", "host ratio"], rows)
    h = r.get("http", {})
    if "rps" in h:
        text += "\n" + _table(["level", f"{h['service']} {h['load']} requests/s", "ratio to -O2"],
                              [[f"-{lvl}", fmt(h["rps"][lvl], 1, 0), _ratio(h["ratio_to_O2"][lvl])]
                               for lvl in ("O0", "O1", "O2", "O3")])
    elif "skipped" in h:
        text += f"\n- HTTP at each level skipped: {h['skipped']}\n"
    return text + "\n" + _notes(h)


def nic_section(r: dict) -> str:
    rows = []
    wk = [k for k in next(iter(r["nics"].values())) if k.startswith("udp_w") and k != "udp_w1"]
    for name, s in r["nics"].items():
        w = s[wk[0]] if wk else {}
        tcp = s.get("tcp", {})
        rows.append([name, fmt(s["udp_w1"]["per_second"], 1, 0), fmt(s["udp_w1"]["p50_us"], 1, 1),
                     fmt(s["udp_w1"]["p99_us"], 1, 1), fmt(w.get("per_second"), 1, 0),
                     str(s["udp_w1"]["lost"] + w.get("lost", 0)),
                     *[fmt(tcp.get(d, {}).get("mbit_s"), 1, 0) for d in ("host->guest", "guest->host")],
                     fmt(s.get("http_keepalive_c32_rps"), 1, 0)])
    window = wk[0][5:] if wk else "?"
    text = (f"`{r['service']}` on each NIC, {r['duration_s']:g} s per load, {r['runs']} runs (interleaved), "
            f"accelerator {r['accel']}: UDP echo round trips from the host through `-p`, one datagram in "
            f"flight (latency in us) and {window} in flight. *lost*: datagrams with no echo within 0.5 s, "
            "summed over the runs. *TCP*: `kaa/bench/programs/tcp_bulk.py`, bulk Mbit/s each way (as in the "
            "tcp section). *HTTP*: the Kaa HTTP service under wrk -t2 -c32, keep-alive.\n\n")
    text += _table(["NIC", "round trips/s (1)", "p50 (us)", "p99 (us)", f"round trips/s ({window})", "lost",
                    "TCP host->guest (Mbit/s)", "TCP guest->host (Mbit/s)", "HTTP keep-alive req/s"], rows)
    if "http" in r:
        text += f"\n- HTTP on each NIC skipped: {r['http']['skipped']}\n"
    return text + "\n" + _notes(r)


SECTIONS = {"boot": ("Boot: QEMU start to first answer", boot_section),
            "size": ("Image size", size_section),
            "memory": ("Least memory", memory_section),
            "http": ("HTTP: requests/s and latency", http_section),
            "tcp": ("TCP: bulk throughput", tcp_section),
            "opt": ("Compiler levels: -O0 to -O3", opt_section),
            "nic": ("NIC: virtio-net against e1000", nic_section)}


# --- Plots -----------------------------------------------------------------------------

def _bars(ax, labels: list[str], summaries: list[dict | None], scale: float = 1.0,
          colors: list[str] | None = None, fmt_: str = "{:,.0f}") -> None:
    """Bars at the medians, labelled, with error bars from min to max."""
    med, lo, hi = _spread(summaries, scale)
    bars = ax.bar(labels, med, yerr=[lo, hi], capsize=4, color=colors)
    ax.bar_label(bars, [fmt_.format(m) for m in med], padding=2, fontsize=8)


def _spread(summaries: list[dict | None], scale: float = 1.0) -> tuple[list[float], list[float], list[float]]:
    """(medians, median - min, max - median) of summaries; zeros where nothing was measured."""
    med, lo, hi = [], [], []
    for s in summaries:
        if not s or s.get("median") is None:
            med.append(0.0), lo.append(0.0), hi.append(0.0)
            continue
        m = s["median"] * scale
        med.append(m)
        lo.append(m - s["min"] * scale)
        hi.append(s["max"] * scale - m)
    return med, lo, hi


def _grouped(ax, groups: list[str], series: dict[str, list[dict | None]], linux: set[str] = frozenset()) -> None:
    """Each series' bars side by side in every group: medians, labelled, with min-max error bars."""
    width = 0.8 / max(1, len(series))
    for i, (label, summaries) in enumerate(series.items()):
        med, lo, hi = _spread(summaries)
        xs = [j + i * width for j in range(len(groups))]
        color = f"C{3 + i}" if label in linux else f"C{i}"
        bars = ax.bar(xs, med, width, yerr=[lo, hi], capsize=3, label=label, color=color)
        ax.bar_label(bars, [f"{m:,.0f}" if s and s.get("median") is not None else "failed"
                            for m, s in zip(med, summaries)], padding=2, fontsize=7)
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(groups))], groups)
    ax.legend(fontsize=7)


def _plot_boot(plt, r: dict):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    names = list(r["services"])
    _bars(ax, names, [r["services"][n]["answer_s"] for n in names], 1e3,
          colors=["C3" if r["services"][n]["kind"] == "linux" else "C0" for n in names])
    ax.set_ylabel("ms, QEMU start → first answer")
    ax.set_yscale("log")
    return fig


def _plot_size(plt, r: dict):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = [n for n, s in r["kaa"].items() if "file_bytes" in s]
    vals = [r["kaa"][n]["load_bytes"] for n in labels]
    if "linux" in r:
        labels.append("linux vmlinux+initramfs")
        vals.append(r["linux"]["total_load_bytes"])
    bars = ax.bar(labels, vals, color=["C0"] * (len(labels) - ("linux" in r)) + ["C3"] * ("linux" in r))
    ax.bar_label(bars, [f"{v / 1024:,.0f} KiB" for v in vals], padding=2, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("bytes loaded into the guest")
    ax.tick_params(axis="x", labelsize=8)
    return fig


def _plot_memory(plt, r: dict):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    names = [n for n, s in r["services"].items() if s.get("least_mib")]
    bars = ax.bar(names, [r["services"][n]["least_mib"] for n in names],
                  color=["C3" if r["services"][n]["kind"] == "linux" else "C0" for n in names])
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_ylabel("least --memory (MiB)")
    return fig


def _plot_http(plt, r: dict):
    return _plot_per_network(plt, r, list(r.get("loads", [])), "rps", "requests/s", 6.5)


def _plot_tcp(plt, r: dict):
    return _plot_per_network(plt, r, list(r.get("directions", [])), "mbit_s", "Mbit/s", 5)


def _plot_per_network(plt, r: dict, columns: list, key: str, ylabel: str, width: float):
    """One panel per network (user, tap): each service's figure `key` for each column."""
    nets = [n for n, svcs in r.get("nets", {}).items() if svcs]
    if not nets:
        return None
    fig, axes = plt.subplots(1, len(nets), figsize=(width * len(nets), 4), squeeze=False)
    for ax, net in zip(axes[0], nets):
        svcs = r["nets"][net]
        _grouped(ax, columns, {k: [s[c][key] for c in columns] for k, s in svcs.items()},
                 linux={k for k, s in svcs.items() if s["kind"] == "linux"})
        ax.set_ylabel(ylabel)
        ax.set_title(f"{net} networking", fontsize=10)
    return fig


def _plot_opt(plt, r: dict):
    fig, ax = plt.subplots(figsize=(7, 3.6))
    lv = ["O0", "O1", "O2", "O3"]
    series = {"guest (TCG)": [r["guest"]["ratio_to_O2"][x] for x in lv],
              "host": [r["host"]["ratio_to_O2"][x] for x in lv]}
    if "ratio_to_O2" in r.get("http", {}):      # requests/s ratio, inverted so that higher is slower too
        series["HTTP (time per request)"] = [1 / v if v else 0 for v in (r["http"]["ratio_to_O2"][x] for x in lv)]
    width = 0.8 / len(series)
    for i, (label, vals) in enumerate(series.items()):
        ax.bar([j + i * width for j in range(4)], [v or 0 for v in vals], width, label=label)
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(4)], [f"-{x}" for x in lv])
    ax.set_ylabel("time / time at -O2")
    ax.legend(fontsize=8)
    return fig


def _plot_nic(plt, r: dict):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    names = list(r["nics"])
    _bars(ax1, [n.replace(" (", "\n(") for n in names], [r["nics"][n]["udp_w1"]["per_second"] for n in names])
    ax1.set_ylabel("UDP echo round trips/s (1 in flight)")
    dirs = ("host->guest", "guest->host")
    _grouped(ax2, list(dirs), {n: [r["nics"][n].get("tcp", {}).get(d, {}).get("mbit_s") for d in dirs]
                               for n in names})
    ax2.set_ylabel("TCP bulk Mbit/s")
    return fig


PLOTS = {"boot": _plot_boot, "size": _plot_size, "memory": _plot_memory, "http": _plot_http,
         "tcp": _plot_tcp, "opt": _plot_opt, "nic": _plot_nic}


def plot(name: str, r: dict, out: Path) -> bool:
    """Draw benchmark name's plot into out (a PNG); False when there is nothing to draw."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = PLOTS[name](plt, r) if name in PLOTS else None
    if fig is None:
        return False
    try:
        fig.suptitle(SECTIONS[name][0])
        fig.tight_layout()
        fig.savefig(out, dpi=100)
        return True
    finally:
        plt.close(fig)


# --- The report ------------------------------------------------------------------------

def write(results: dict[str, dict], out_dir: Path = OUT_DIR) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    store = out_dir / "results.json"
    merged: dict = {}
    if store.exists():
        try:
            merged = json.loads(store.read_text())
        except json.JSONDecodeError:
            merged = {}
    env = environment()
    for name, r in results.items():
        merged[name] = {**r, "environment": env}
    store.write_text(json.dumps(merged, indent=1) + "\n")

    try:
        import matplotlib  # noqa: F401
        plots_ok, plot_note = True, ""
    except ImportError:
        plots_ok = False
        plot_note = ("\n> Plots were skipped: matplotlib is not installed "
                     "(`pip install matplotlib`). The tables below are complete.\n")

    md = ["# Kaa benchmarks\n\n",
          "Written by `kaa bench ... --report` (code in `kaa/bench/`; raw figures in "
          "[results.json](results.json)). Every figure is the median of several runs with min-max in "
          "brackets; each comparison ran interleaved in one invocation. The Linux baseline is Debian's "
          "kernel booted through PVH from its vmlinux, with busybox and Debian's nginx in an initramfs "
          "(`kaa/bench/linux.py`), under the same QEMU flags as Kaa.\n\n", plot_note]
    for name in ORDER:
        if name not in merged:
            continue
        r = merged[name]
        title, render = SECTIONS[name]
        e = r.get("environment", {})
        md.append(f"## {title}\n\n")
        load = r.get("host_load_1min")
        load_text = f" · host load {load[0]:g} → {load[1]:g}" if load else ""
        if r.get("wall_s") is not None:
            load_text += f" · took {r['wall_s']:,.0f} s"
        md.append(f"<sub>`kaa bench {name}` · {e.get('date', '?')} · commit {e.get('commit', '?')} · "
                  f"{e.get('cpu', '?')}, {e.get('cores', '?')} cores · {e.get('qemu', '?')}{load_text}</sub>\n\n")
        try:
            md.append(render(r))
        except (KeyError, TypeError, StopIteration) as ex:
            md.append(f"(could not render: {ex!r}; see results.json)\n\n")
        if plots_ok:
            png = out_dir / f"{name}.png"
            try:
                if plot(name, r, png):
                    md.append(f"![{name}]({png.name})\n\n")
            except (KeyError, TypeError, ValueError) as ex:
                md.append(f"(plot failed: {ex!r})\n\n")
    path = out_dir / "README.md"
    path.write_text("".join(md))
    return path
