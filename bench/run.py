#!/usr/bin/env python3
"""Times `chg check` against `git log --format=%H%n%B` on the same repository, in
the same run, and prints the ratio of their medians and their peak memory: once
with the cache of earlier checks (the everyday case) and once without (a fresh
clone, or `--no-cache`). Then times the git hooks (`chg hook run ...`) on a commit
being made in a scratch clone, so the benchmark repository is never modified.

usage: run.py [--commits 100000] [--runs 5] [--repo DIR] [--skip-no-cache]
Builds chg in release mode and, unless --repo is given, generates the repository
with generate.py under $BENCH_DIR (default /tmp/chg-bench), reusing it if present.
When the repository has no cache yet, the first check (which fills it) is timed
once and reported too. --skip-no-cache leaves out the repeated runs without the
cache: at a million commits each is the length of that first check.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def measure(cmd, cwd, env):
    """Wall time and peak RSS (KiB) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, code


def hook_scratch(repo):
    """A scratch clone of `repo` (objects hard-linked) with a commit being made: one
    record changed and one source file changed, both staged, and the message of
    `git commit` naming the record's change. Its policy (in the working tree only)
    asks for references and protects src/**, so every check of the hooks runs."""
    scratch = repo + "-hook-scratch"
    subprocess.run(["rm", "-rf", scratch], check=True)
    subprocess.run(["git", "clone", "-q", repo, scratch], check=True)
    records = sorted(n for n in os.listdir(os.path.join(scratch, ".changes")) if n.endswith(".yaml"))
    change = records[-1][: -len(".yaml")]
    with open(os.path.join(scratch, ".changes", records[-1]), "a") as f:
        f.write('monitoring: "error rate on the dashboards"\n')
    source = os.path.join(scratch, "src", sorted(os.listdir(os.path.join(scratch, "src")))[0])
    with open(source, "a") as f:
        f.write("one more line\n")
    subprocess.run(["git", "add", "-A", ".changes", "src"], cwd=scratch, check=True)
    with open(os.path.join(scratch, ".changes.toml"), "a") as f:
        f.write('\n[commits]\nreference = "required"\n[commits.protected."src/**"]\nmin_class = "normal"\n')
    message = os.path.join(scratch, ".git", "COMMIT_EDITMSG")
    with open(message, "w") as f:
        f.write(f"Watch the error rate\n\nChange: {change}\n# Please enter the commit message for your changes.\n")
    return scratch, message


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repo")
    ap.add_argument("--skip-no-cache", action="store_true")
    args = ap.parse_args()

    repo = args.repo or os.path.join(os.environ.get("BENCH_DIR", "/tmp/chg-bench"), f"repo-{args.commits}")
    if not os.path.isdir(repo):
        os.makedirs(os.path.dirname(repo), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--commits", str(args.commits), "--out", repo], check=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    chg = os.path.join(target, "release", "chg")
    env = dict(os.environ, CHG_NOW="2026-11-21T10:00:00Z", NO_COLOR="1")

    commands = {
        "git log --format=%H%n%B": ["git", "log", "--format=%H%n%B"],
        # As a developer or a hook runs it again and again: what earlier checks read
        # from history is kept in .git/chg/cache, and only new commits are read.
        "chg check": [chg, "check", "--format", "json"],
        # As a fresh CI clone or a distrustful auditor runs it: everything from git.
        "chg check --no-cache": [chg, "check", "--format", "json", "--no-cache"],
        # An auditor's register and a change board's figures over the whole history.
        "chg audit --format json": [chg, "audit", "--format", "json"],
        "chg metrics --by quarter": [chg, "metrics", "--by", "quarter"],
    }
    if args.skip_no_cache:
        del commands["chg check --no-cache"]
    scratch, message = hook_scratch(repo)
    hooks = {
        "chg hook run pre-commit": [chg, "hook", "run", "pre-commit"],
        "chg hook run commit-msg": [chg, "hook", "run", "commit-msg", message],
    }
    where = dict.fromkeys(commands, repo) | dict.fromkeys(hooks, scratch)
    commands |= hooks
    # One check first, to fill the cache and to show what the check finds.
    cache = os.path.join(repo, ".git", "chg", "cache")
    filling = not (os.path.isdir(cache) and any(n.startswith("history-") for n in os.listdir(cache)))
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(commands["chg check"], cwd=repo, env=env, stdout=out)
        _, _, usage = os.wait4(proc.pid, 0)
        first = (time.perf_counter() - start, usage.ru_maxrss)
        out.seek(0)
        report = out.read()
    findings = collections.Counter(f["rule"] for f in json.loads(report)["findings"])
    print("findings by rule:", dict(sorted(findings.items())) or "none")
    results = {name: [] for name in commands}
    # Interleaved, so a noisy moment on a shared machine hits both alike.
    for _ in range(args.runs):
        for name, cmd in commands.items():
            results[name].append(measure(cmd, where[name], env))

    count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    records = len([n for n in os.listdir(os.path.join(repo, ".changes")) if n.endswith(".yaml")])
    print(f"repository: {repo} ({count} commits, {records} records); {args.runs} runs each, median")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(t for t, _, _ in runs)
        peak = max(rss for _, rss, _ in runs) / 1024
        codes = sorted({c for _, _, c in runs})
        if name in hooks:
            continue
        print(f"  {name:<26} {medians[name]:7.2f} s   peak {peak:7.1f} MiB   exit {codes}")
    if filling:
        print(f"  {'chg check, filling the cache':<26} {first[0]:7.2f} s   peak {first[1] / 1024:7.1f} MiB   (once, the first check of a clone)")
    base = medians["git log --format=%H%n%B"]
    for name in ("chg check", "chg check --no-cache"):
        if name in medians:
            print(f"ratio {name} / git log: {medians[name] / base:.2f}x (target 1.5x)")
    for name in ("chg audit --format json", "chg metrics --by quarter"):
        print(f"ratio {name} / git log: {medians[name] / base:.2f}x (no target)")
    print(f"hooks, on a commit staging one record and one source file in {scratch}:")
    for name in hooks:
        runs = results[name]
        peak = max(rss for _, rss, _ in runs) / 1024
        codes = sorted({c for _, _, c in runs})
        print(f"  {name:<26} {medians[name] * 1000:7.1f} ms  peak {peak:7.1f} MiB   exit {codes}  (target well under 100 ms)")
    subprocess.run(["rm", "-rf", scratch], check=True)


if __name__ == "__main__":
    main()
