#!/usr/bin/env python3
"""CPU and resident memory per platform process, sampled from /proc once a second (Linux), to see what limits a benchmark.

  bench/cpu-by-process.py sample ORCHESTRATOR_PID > cpu.csv   # pgrep -f 'dcp start-apiserver'      # until Ctrl-C / SIGTERM
  bench/cpu-by-process.py sample NAME=VALUE > cpu.csv         # every process whose environment holds NAME=VALUE (./bench.sh)
  bench/cpu-by-process.py summarize cpu.csv HH:MM:SS HH:MM:SS  # mean % of one core per process, in that UTC window

Groups every descendant of the orchestrator (Aspire's DCP, which the AppHost behind run.sh starts) by what it is: each .NET service by its .dll (replicas
by pid), postgres (all backends together), redis, rabbitmq, maildev; plus each bench harness (AuthPlatform.Bench.dll, by pid),
"other": everything else on the machine (another build or test run, the kernel), and the time the hypervisor gave
to other guests ("stolen"). 100 % is one core; the machine's total is cores x 100 %. rss_mb is the group's resident
memory (the sum over its processes) at the sample.
"""
import csv
import datetime
import os
import signal
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 1048576


def children_map():
    kids, info = {}, {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/statm") as f:
                resident = int(f.read().split()[1])
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ppid, ticks = int(fields[1]), int(fields[11]) + int(fields[12])
        info[int(pid)] = (cmd, ticks, resident)
        kids.setdefault(ppid, []).append(int(pid))
    return kids, info


def group_of(pid, cmd):
    for word in cmd.split():
        if word.endswith(".dll"):
            name = os.path.basename(word)[:-4]
            return f"{name}[{pid}]" if name == "Mfa" else name
    for key, name in (("Aspire.Dashboard", "dashboard"), ("/dcp ", "orchestrator (dcp)"), ("dcpctrl", "orchestrator (dcp)"),
                      ("postgres", "postgres"), ("redis", "redis"), ("beam", "rabbitmq"), ("erl", "rabbitmq"),
                      ("epmd", "rabbitmq"), ("maildev", "maildev")):
        if key in cmd:
            return name
    return "orchestrator and other"


def machine_ticks():
    """(busy, stolen): all CPU time but idle, iowait and steal; and steal, the time the hypervisor gave elsewhere."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    steal = parts[7] if len(parts) > 7 else 0
    return sum(parts[:8]) - parts[3] - parts[4] - steal, steal


def marked(marker):
    """The processes whose environment holds the marker (everything run.sh started inherits what it was given)."""
    needle = marker.encode() + b"\0"
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if needle in f.read() + b"\0":
                        pids.append(int(pid))
            except OSError:
                pass
    return pids


def sample(launcher, marker=None):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    out = csv.writer(sys.stdout)
    out.writerow(["utc", "group", "cpu_percent", "rss_mb"])
    previous, previous_total, previous_steal, previous_time = None, None, None, None
    try:
        while not stop:
            kids, info = children_map()
            ticks, rss = {}, {}
            todo = marked(marker) if marker else [launcher]
            seen = set()
            while todo:
                pid = todo.pop()
                if pid in seen:
                    continue
                seen.add(pid)
                if pid in info:
                    group = "Launcher" if pid == launcher else group_of(pid, info[pid][0])
                    ticks[group] = ticks.get(group, 0) + info[pid][1]
                    rss[group] = rss.get(group, 0) + info[pid][2]
                todo.extend(kids.get(pid, []))
            for pid, (cmd, t, _) in info.items():
                if "AuthPlatform.Bench.dll" in cmd and not cmd.startswith("timeout"):
                    group = f"bench harness[{pid}]"  # by pid: another harness run at the same time shows apart
                    ticks[group] = ticks.get(group, 0) + t
            now, (total, steal) = time.monotonic(), machine_ticks()
            if previous is not None:
                seconds = now - previous_time
                stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S")
                known = 0.0
                for group, t in sorted(ticks.items()):
                    percent = max(0, t - previous.get(group, t)) / TICKS / seconds * 100
                    known += percent
                    out.writerow([stamp, group, f"{percent:.1f}", f"{rss.get(group, 0) * PAGE_MB:.0f}" if group in rss else ""])
                out.writerow([stamp, "other", f"{max(0.0, (total - previous_total) / TICKS / seconds * 100 - known):.1f}", ""])
                out.writerow([stamp, "(stolen by the hypervisor)", f"{(steal - previous_steal) / TICKS / seconds * 100:.1f}", ""])
                sys.stdout.flush()
            previous, previous_total, previous_steal, previous_time = ticks, total, steal, now
            time.sleep(1)
    except KeyboardInterrupt:
        pass


def window_means(rows, start, end, group_of_row=lambda group: group):
    """Mean % of one core per group over the one-second samples in [start, end] (UTC HH:MM:SS); groups may be merged."""
    sums, seconds = {}, set()
    for row in rows:
        if start <= row["utc"] <= end:
            seconds.add(row["utc"])
            group = group_of_row(row["group"])
            sums[group] = sums.get(group, 0.0) + float(row["cpu_percent"])
    n = max(1, len(seconds))
    return len(seconds), {group: total / n for group, total in sums.items()}


def summarize(path, start, end):
    with open(path) as f:
        samples, means = window_means(csv.DictReader(f), start, end)
    print(f"{max(1, samples)} one-second samples, {start}-{end} UTC; mean % of one core:")
    for group, mean in sorted(means.items(), key=lambda kv: -kv[1]):
        print(f"  {group:<28} {mean:6.1f}")
    print(f"  {'(all but stolen)':<28} {sum(v for g, v in means.items() if not g.startswith('(')):6.1f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "sample" and "=" in sys.argv[2]:
        sample(None, sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "sample":
        sample(int(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "summarize":
        summarize(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
