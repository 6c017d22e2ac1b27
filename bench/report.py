#!/usr/bin/env python3
"""./bench.sh's report: the harness's JSON rows (one file per flow) joined with the CPU samples of the platform.

  bench/report.py OUT_DIR     # reads OUT_DIR/flows/*.json and OUT_DIR/cpu.csv; writes OUT_DIR/report.md, report.json

CPU per request (ms) = a process group's mean CPU over the measured window / the window's requests per second.
Memory: each service's resident set in the quiet seconds before the first flow (idle, their median) and its peak
after them.
"""
import csv
import glob
import importlib.util
import json
import os
import sys

PLATFORM_EXCLUDED = ("other", "(stolen by the hypervisor)", "Launcher")


# The sampler's own window arithmetic (its file name has hyphens, so it is loaded by path).
_spec = importlib.util.spec_from_file_location("cpu_by_process", os.path.join(os.path.dirname(os.path.abspath(__file__)), "cpu-by-process.py"))
cpu_by_process = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cpu_by_process)


def merged_group(group):
    """One row for the harness and one for all MFA replicas."""
    if group.startswith("bench harness"):
        return "bench harness"
    if group.startswith("Mfa["):
        return "Mfa (all replicas)"
    return group


def cpu_by_group(samples, start, end):
    return cpu_by_process.window_means(samples, start, end, merged_group)[1]


def memory_by_process(samples, idle_end):
    """{process: (idle MB, peak MB under load)}, .NET services and gateway only (one row per MFA replica)."""
    idle, peak = {}, {}
    for row in samples:
        if not row.get("rss_mb") or row["group"] in PLATFORM_EXCLUDED or row["group"].startswith("bench harness"):
            continue
        group, mb = row["group"], int(row["rss_mb"])
        if idle_end and row["utc"] < idle_end:
            idle.setdefault(group, []).append(mb)
        else:
            peak[group] = max(mb, peak.get(group, 0))
    return {g: (sorted(idle[g])[len(idle[g]) // 2] if g in idle else None, peak.get(g))
            for g in sorted(set(idle) | set(peak)) if g[0].isupper() and g not in ("AppHost", "RelyingParty")}


def main(out):
    samples = []
    if os.path.exists(os.path.join(out, "cpu.csv")):
        with open(os.path.join(out, "cpu.csv")) as f:
            samples = list(csv.DictReader(f))
    with open(os.path.join(out, "run.json")) as f:
        run = json.load(f)
    flows = []
    for path in sorted(glob.glob(os.path.join(out, "flows", "*.json")), key=lambda p: run["flows"].index(os.path.basename(p)[:-5])
                       if os.path.basename(p)[:-5] in run["flows"] else 99):
        with open(path) as f:
            flow = json.load(f)
        for row in flow["rows"]:
            cpu = cpu_by_group(samples, row["start"], row["end"])
            platform = sum(v for g, v in cpu.items() if g not in PLATFORM_EXCLUDED and g != "bench harness")
            per_request = lambda percent: percent / 100 * 1000 / row["throughput"] if row["throughput"] else None
            row["cpuPercent"] = {g: round(v, 1) for g, v in sorted(cpu.items(), key=lambda kv: -kv[1])}
            row["platformCpuMsPerRequest"] = round(per_request(platform), 2) if row["throughput"] else None
            row["cpuMsPerRequest"] = {g: round(per_request(v), 3) for g, v in cpu.items()
                                      if g not in PLATFORM_EXCLUDED and g != "bench harness" and row["throughput"]}
        flows.append(flow)
    memory = memory_by_process(samples, run.get("idleEnd"))
    ceiling = None
    if os.path.exists(os.path.join(out, "ceiling.json")):
        with open(os.path.join(out, "ceiling.json")) as f:
            ceiling = json.load(f)
        ceiling["signIn"] = {f"{flow['flow']} × {row['concurrency']}": round(100 * row["throughput"] / ceiling["ceilingPerSecond"], 1)
                             for flow in flows if flow["flow"] in ("signin", "signin-totp") for row in flow["rows"]}
    report = {**run, "flows": flows, "memoryMb": {g: {"idle": i, "peak": p} for g, (i, p) in memory.items()}, "signInCeiling": ceiling}
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)

    lines = [
        "# AuthPlatform benchmark",
        "",
        f"- Command: `{run['command']}`",
        f"- Date: {run['date']} UTC; machine: {run['machine']}",
        f"- Build: {run['configuration']}, services as {run.get('environment', 'Development')}; logs at {run['logLevel']}; traces sampled `{run.get('traces', 'all')}`; metrics exported every {run.get('metricExportMs', 1000) / 1000:g} s; edge limits lifted; concurrency {run['concurrency']}, "
        f"{run['duration']} s measured per flow after {run['warmup']} s of warm-up",
        "",
        "| flow | concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | platform CPU ms/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for flow in flows:
        for row in flow["rows"]:
            errors = str(row["errors"]) if not row["errors"] else f"{row['errors']} ({', '.join(f'{k}: {v}' for k, v in row['errorsByKind'].items())})"
            cpu = "-" if row["platformCpuMsPerRequest"] is None else f"{row['platformCpuMsPerRequest']:.2f}"
            lines.append(f"| {flow['flow']} | {row['concurrency']} | {row['requests']} | {errors} | {row['throughput']:.1f} | "
                         f"{row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['max']:.1f} | {cpu} |")
    if ceiling:
        lines += ["", f"Sign-in ceiling, measured at {ceiling['utc']} UTC right before the first sign-in flow: {ceiling['cores']} cores ÷ "
                  f"{ceiling['hashMs']:.1f} ms (one hash on every core at once) = {ceiling['ceilingPerSecond']:.1f}/s; "
                  + ", ".join(f"{name} reached {percent:.1f} % of it" for name, percent in ceiling["signIn"].items()) + "."]
    lines += ["", "## CPU per request by process (ms)", ""]
    groups = sorted({g for flow in flows for row in flow["rows"] for g in row["cpuMsPerRequest"]})
    if groups:
        lines.append("| flow | " + " | ".join(groups) + " |")
        lines.append("|---|" + "---:|" * len(groups))
        for flow in flows:
            for row in flow["rows"]:
                lines.append(f"| {flow['flow']} | " + " | ".join(
                    f"{row['cpuMsPerRequest'][g]:.2f}" if g in row["cpuMsPerRequest"] else "-" for g in groups) + " |")
    lines += ["", "Mean CPU during each measured window, % of one core (the machine has "
              f"{run['cores']} cores; \"other\" is everything outside the platform and the harness):", ""]
    for flow in flows:
        for row in flow["rows"]:
            lines.append(f"- {flow['flow']} × {row['concurrency']} ({row['start']}–{row['end']}): "
                         + ", ".join(f"{g} {v}" for g, v in row["cpuPercent"].items()))
    if memory:
        lines += ["", "## Memory (resident set, MB)", "",
                  "Idle: the median over the quiet seconds before the first flow; peak: the highest sample after them (set-up and flows).", "",
                  "| process | idle | peak under load |", "|---|---:|---:|"]
        lines += [f"| {g} | {i if i is not None else '-'} | {p if p is not None else '-'} |" for g, (i, p) in memory.items()]
    notes = [n for flow in flows for n in flow.get("notes", [])]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
