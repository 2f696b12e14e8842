"""Where the test command's time goes: wall time, CPU time by part, and how fast the machine is.

Runs the README's test command (``python -m pytest``, or the pytest arguments given after
``--``) and reads every process's CPU time from /proc every 0.2 s while it runs. Prints, per
run: the wall time; the CPU seconds of each part of the suite (the browser tests' Chromium and
kernel, the kernels of nbval and the student copies, the pytest processes, ...); how much of
the machine's CPU the run kept busy; and a speed probe taken just before and just after (a
fixed pure-Python loop: on a shared virtual machine the same code can run 1.5x slower from one
minute to the next, and the suite's time with it; half a second of probe only hints at how fast
the machine ran in between).

What the figures say: when the run keeps the cores ~95 % busy, the suite is bound by the CPU
time it needs, and only work left undone shortens it (``CPU / cores`` is then about the wall
time); a part that takes many CPU seconds is a place to look.

Linux only (/proc). A process that ends between two readings loses up to 0.2 s of its last
CPU time, so the parts add up to a little less than the machine's busy time. Run from the
repository root:

    .venv/bin/python benchmarks/bench_test_suite.py [--runs 1] [-- -m "not browser"]
"""

import argparse
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
READ_EVERY = 0.2  # seconds between two readings of /proc
# The parts of the suite, known by their command lines: the first rule that matches names the part.
PARTS = (
    ("Chromium renderer (draws JupyterLab)", ("chromium", "--type=renderer")),
    ("Chromium, other processes", ("chromium",)),
    ("Playwright driver (node)", ("playwright/driver",)),
    ("JupyterLab server", ("jupyterlab.labapp",)),
    ("browser tests' kernel", ("ipykernel_launcher", "gdlib-lab-")),
    ("kernels from scratch (other)", ("ipykernel_launcher",)),
    ("pytest main process", ("-m pytest",)),  # before the next rules: its arguments may name any file
    ("pytest-xdist workers (and what they fork)", ("exec(eval(sys.stdin",)),
    ("forked kernels (nbval, student copies)", ("forked_kernels.py",)),
)
PROBE_LOOPS = 5_000_000


def probe():
    """Seconds for a fixed pure-Python loop: the machine's speed at this moment (lower is faster)."""
    start = time.perf_counter()
    total = 0
    for i in range(PROBE_LOOPS):
        total += i * i % 7
    return time.perf_counter() - start


def part_of(command):
    for name, words in PARTS:
        if all(word in command for word in words):
            return name
    return "other processes"


def processes():
    """{(pid, start time): (command line, CPU seconds so far)} for every process readable now; the
    start time tells a new process from an old one that had the same pid."""
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()  # fields 3, 4, ... of proc(5)
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        cpu = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        found[pid, fields[19]] = (command, cpu)
    return found


def busy_and_total():
    """The machine's CPU ticks so far: (busy, all), from /proc/stat's first line."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def measure(command):
    """Run ``command``; return (wall seconds, exit code, {part: CPU seconds}, busy fraction)."""
    before = {key: cpu for key, (_, cpu) in processes().items()}  # not counted: what ran before
    seen = {}  # (pid, start time) -> [command line, CPU seconds used during the run]
    me = str(os.getpid())
    busy0, total0 = busy_and_total()
    start = time.perf_counter()
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while run.poll() is None:
        for key, (line, cpu) in processes().items():
            if key[0] == me:  # this script's own readings
                continue
            used = cpu - before.get(key, 0.0)
            if line:  # kernel threads have none; a process that exec'd is named by its last one
                seen[key] = [line, max(used, seen.get(key, (None, used))[1])]
        time.sleep(READ_EVERY)
    wall = time.perf_counter() - start
    busy1, total1 = busy_and_total()
    parts = {}
    for line, used in seen.values():
        part = part_of(line)
        parts[part] = parts.get(part, 0.0) + used
    return wall, run.returncode, parts, (busy1 - busy0) / max(total1 - total0, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of the test command, one after another")
    parser.add_argument("pytest_args", nargs="*", help="after --: pytest's arguments instead of none")
    args = parser.parse_args()
    if not os.path.isdir("/proc/self"):
        sys.exit("bench_test_suite.py reads /proc: it runs on Linux only.")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.pytest_args]
    cores = os.cpu_count()
    print(f"command: {' '.join(command[1:])}\n{cores} cores")
    for number in range(1, args.runs + 1):
        before = probe()
        wall, code, parts, busy = measure(command)
        after = probe()
        total = sum(parts.values())
        print(f"\nrun {number}: {wall:.1f} s wall, exit code {code}; CPU kept {busy:.0%} busy; "
              f"speed probe {before:.2f} s before it, {after:.2f} s after (lower is faster)")
        for name, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"  {seconds:6.1f} CPU-s  {seconds / total:4.0%}  {name}")
        print(f"  {total:6.1f} CPU-s  in all; / {cores} cores = {total / cores:.1f} s")


if __name__ == "__main__":
    main()
