#!/usr/bin/env python3
"""Measures chg against its performance targets and prints one Markdown table.

Each row times a chg command against a git baseline on the same repository, in the
same run, interleaved (so a noisy moment on a shared machine hits both alike), and
compares the medians with the row's target:

  row       workload (repository)                               target
  first     chg check --no-cache, 100k commits (--repo)          <= 1.5x git log, memory <= git log's
  first-1m  chg check --no-cache, 1M commits (--big-repo)        <= 2x git log, memory <= git log's
  flat      chg check --no-cache, 100k, flat (--flat-repo)       <= 3x git log
  cached    chg check with its cache, --repo and --big-repo      <= 0.9x git log
  range     chg check --no-cache --range HEAD~1000..HEAD (--repo) <= 5x git log of the range, <= 150 ms
  prepush   chg hook run pre-push, 1 commit pushed (--big-repo)  <= 50 ms (git log of the range beside it)
  hooks     chg hook run pre-commit / commit-msg (--big-repo)    <= 30 ms each
  reports   chg audit / chg metrics, cached (--repo)             no target; not in the default rows

The checks run `chg check --format json`; the baseline is `git log --format=%H%n%B`.
The repository of the new layout is fanned out (.changes/<YYYY>/<BUCKET>/<ID>.yaml);
the workload column names the layout the repository really has, so running the new
layout's rows on a flat repository is visible in the table.

usage: run.py [--rows first,first-1m,flat,cached,range,prepush,hooks] [--runs 5]
              [--big-runs 1] [--repo DIR] [--big-repo DIR] [--flat-repo DIR]
  --rows      which rows to measure, comma-separated (default: all but reports)
  --runs      timed runs of each command per row, median reported (default 5);
              each command then runs once more, untimed, for its memory
  --big-runs  runs of the first check at 1M, minutes each (default 1)
  --repo      100k commits, new layout (default $BENCH_DIR/repo-100000-fanned)
  --big-repo  1M commits, new layout (default $BENCH_DIR/repo-1000000-fanned)
  --flat-repo 100k commits, flat layout (default $BENCH_DIR/repo-100000)
$BENCH_DIR defaults to /tmp/chg-bench. A default repository that is missing is made
with generate.py; chg is built in release mode first. The hooks run in scratch
clones (objects hard-linked), so no benchmark repository's history or files change;
checks only write chg's cache under .git/chg. `cached` runs one check first, which
fills the cache; `prepush` runs the hook once untimed in its fresh clone, for the
same reason. The first check of a row also prints its findings by rule (a P005
finding would mean generate.py's digest has drifted from chg's).

Memory is the peak resident set of the whole process tree, because chg does its
reading in `git rev-list` and `git cat-file` children running beside it. It is
measured in one more run of each command, after the timed ones: watching takes a
core's worth of time now and then, which slows a command that keeps both cores busy
(chg, by about 4 %) and not one that leaves one free (git log), so a watched run is
never timed. wait4's ru_maxrss is not the tree's peak: Linux reports the largest
single process of the tree, not their sum. So while the watched run goes, a thread
samples /proc every 50 ms, finds the processes descended from it and keeps each
one's own high-water mark (VmHWM: a spike between samples is kept, only growth in a
process's last 50 ms can be missed); the figure is the largest sum of the marks of
the processes alive at one sample, or ru_maxrss when larger (a child too brief to be
sampled). Processes that follow one another (chg reads a long history with one git
child after another) are not added up; processes alive together are, each at its own
peak, and the sum of their peaks is at least the peak of their sum, so chg's figure
errs high, never low: a "memory <= git log's" target met here is met. A child of chg
that has not yet become the git it starts shares chg's memory, and is counted only
once it has. git log runs alone, and its figure is exact.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BENCH_DIR = os.environ.get("BENCH_DIR", "/tmp/chg-bench")
GIT_LOG = ["git", "log", "--format=%H%n%B"]
SAMPLE_SECONDS = 0.05
ROWS = ("first", "first-1m", "flat", "cached", "range", "prepush", "hooks", "reports")
DEFAULT_ROWS = ROWS[:-1]


def children_of(pids):
    """The processes whose parent is in `pids`, from a scan of /proc."""
    found = set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                # The command name may hold spaces; the parent's pid follows the state.
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid in pids:
            found.add(int(name))
    return found


def high_water(pid):
    """A process's own peak resident set so far, in KiB (0 once it has exited)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def executable(pid):
    """The program a process runs, or None once it has exited."""
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def sample_tree(root, stop, peaks, worst):
    """Until `stop` is set, keeps in `peaks` each process of `root`'s tree's VmHWM,
    and in `worst[0]` the largest sum of the marks of the processes alive together.
    A child still running `root`'s program has not yet become the git it starts: it
    shares `root`'s memory and reports it as its own, so it is not counted until it
    does (its pid is the git's)."""
    tree = {root}
    program = executable(root)
    while True:
        tree |= children_of(tree)
        alive = []
        for pid in tree:
            if pid != root and executable(pid) == program:
                continue
            mark = high_water(pid)
            if mark:
                alive.append(pid)
            peaks[pid] = max(peaks.get(pid, 0), mark)
        worst[0] = max(worst[0], sum(peaks[pid] for pid in alive))
        if stop.wait(SAMPLE_SECONDS):
            return


def measure(cmd, cwd, env, stdin=None, stdout=None, sampled=False):
    """Wall time, peak RSS (KiB) and exit code of one run; output discarded unless
    `stdout` is a file. Only a `sampled` run watches the process tree's memory (see
    the module's docstring); otherwise the peak is wait4's, the largest process's."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin or subprocess.DEVNULL,
                            stdout=stdout or subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop, peaks, worst = threading.Event(), {}, [0]
    sampler = threading.Thread(target=sample_tree, args=(proc.pid, stop, peaks, worst)) if sampled else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if sampler:
        stop.set()
        sampler.join()
    return elapsed, max(usage.ru_maxrss, worst[0]), os.waitstatus_to_exitcode(status)


def watched(commands, cwd, env, stdin=None):
    """One more run of each of `commands`, watched for its memory and not timed:
    {name: (peak KiB, exit code)}."""
    found = {}
    for name, cmd in commands.items():
        if stdin:
            stdin.seek(0)
        _, peak, code = measure(cmd, cwd, env, stdin=stdin, sampled=True)
        found[name] = (peak, code)
    return found


@dataclass
class Row:
    workload: str
    cwd: str
    chg: list
    base: list = None
    runs: int = 5
    max_ratio: float = None
    max_ms: float = None
    memory: bool = False
    stdin: bytes = None
    report_findings: bool = False
    # One untimed run first: it fills a fresh clone's cache, as earlier checks would have.
    warm_up: bool = False
    results: dict = field(default_factory=dict)

    def target(self):
        parts = [f"≤ {self.max_ratio:g}× git log"] if self.max_ratio else []
        parts += [f"≤ {self.max_ms:g} ms"] if self.max_ms else []
        parts += ["memory ≤ git log's"] if self.memory else []
        return ", ".join(parts) or "none"


def run_row(row, env):
    """Runs the row's commands, interleaved, and keeps (median s, peak KiB, exit codes):
    the median of the timed runs, the peak of one more run of each, watched."""
    commands = {"chg": row.chg} | ({"base": row.base} if row.base else {})
    runs = {name: [] for name in commands}
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile("w+") as out:
        stdin.write(row.stdin or b"")
        if row.warm_up:
            stdin.seek(0)
            elapsed, _, code = measure(row.chg, row.cwd, env, stdin=stdin)
            print(f"  untimed first run: {duration(elapsed)}, exit {code}", file=sys.stderr)
        for i in range(row.runs):
            for name, cmd in commands.items():
                stdin.seek(0)
                keep = out if name == "chg" and i == 0 and row.report_findings else None
                runs[name].append(measure(cmd, row.cwd, env, stdin=stdin, stdout=keep))
        memory = watched(commands, row.cwd, env, stdin=stdin)
        if row.report_findings:
            out.seek(0)
            try:
                findings = collections.Counter(f["rule"] for f in json.load(out)["findings"])
                print(f"  findings by rule: {dict(sorted(findings.items())) or 'none'}", file=sys.stderr)
            except (ValueError, KeyError):
                print("  the first check wrote no JSON report", file=sys.stderr)
    for name, got in runs.items():
        peak, code = memory[name]
        row.results[name] = (statistics.median(t for t, _, _ in got), peak,
                             sorted({c for _, _, c in got} | {code}))


def met(row):
    chg = row.results["chg"]
    base = row.results.get("base")
    if any(code not in (0, 1) for code in chg[2]):
        return f"error (exit {chg[2]})"
    if row.target() == "none":
        return "—"
    ok = (not row.max_ratio or chg[0] / base[0] <= row.max_ratio) \
        and (not row.max_ms or chg[0] * 1000 <= row.max_ms) \
        and (not row.memory or chg[1] <= base[1])
    return "yes" if ok else "no"


def duration(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows):
    lines = ["| workload | chg | baseline | ratio | memory chg/git | target | met? |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        chg, base = row.results["chg"], row.results.get("base")
        mib = f"{chg[1] / 1024:.0f} / {base[1] / 1024:.0f} MiB" if base else f"{chg[1] / 1024:.0f} MiB / —"
        lines.append(f"| {row.workload} | {duration(chg[0])} | {duration(base[0]) if base else '—'} | "
                     f"{f'{chg[0] / base[0]:.2f}×' if base else '—'} | {mib} | {row.target()} | {met(row)} |")
    return "\n".join(lines)


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def records(repo):
    """Paths of the register's records, flat or fanned out (freezes left out), oldest first."""
    base = os.path.join(repo, ".changes")
    found = [os.path.join(d, n) for d, dirs, names in os.walk(base)
             for n in names if n.endswith(".yaml") and os.path.relpath(d, base).split(os.sep)[0] != "freezes"]
    # CHG-2026-9999 comes before CHG-2026-10000: order by year, then sequence number.
    return sorted(found, key=lambda p: [int(part) for part in os.path.basename(p)[:-5].split("-")[1:]])


def shape(repo):
    """`100k commits / 5k records, fanned layout` for a repository."""
    def size(n):
        n = round(n, 2 - len(str(n)))  # two significant digits: 4,999 records are 5k
        return f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e3 else str(n)
    found = records(repo)
    fanned = any(os.path.dirname(p) != os.path.join(repo, ".changes") for p in found)
    return (f"{size(int(git(repo, 'rev-list', '--count', 'HEAD')))} commits / {size(len(found))} records, "
            f"{'fanned' if fanned else 'flat'} layout")


def scratch_clone(repo, kind):
    scratch = f"{repo}-{kind}-scratch"
    subprocess.run(["rm", "-rf", scratch], check=True)
    subprocess.run(["git", "clone", "-q", repo, scratch], check=True)
    return scratch


def touch_source(scratch):
    source = os.path.join(scratch, "src", sorted(os.listdir(os.path.join(scratch, "src")))[0])
    with open(source, "a") as f:
        f.write("one more line\n")


def hook_scratch(repo):
    """A scratch clone of `repo` with a commit being made: the newest record changed and
    one source file changed, both staged, and the message of `git commit` naming the
    record's change. Its policy (in the working tree only) asks for references and
    protects src/**, so every check of the hooks runs."""
    scratch = scratch_clone(repo, "hook")
    record = records(scratch)[-1]
    with open(record, "a") as f:
        f.write('monitoring: "error rate on the dashboards"\n')
    touch_source(scratch)
    subprocess.run(["git", "add", "-A", ".changes", "src"], cwd=scratch, check=True)
    with open(os.path.join(scratch, ".changes.toml"), "a") as f:
        f.write('\n[commits]\nreference = "required"\n[commits.protected."src/**"]\nmin_class = "normal"\n')
    message = os.path.join(scratch, ".git", "COMMIT_EDITMSG")
    with open(message, "w") as f:
        f.write(f"Watch the error rate\n\nChange: {os.path.basename(record)[:-5]}\n"
                "# Please enter the commit message for your changes.\n")
    return scratch, message


def push_scratch(repo):
    """A scratch clone of `repo` with one commit on main that origin does not have,
    naming the newest approved change, and the line git gives pre-push to send it."""
    scratch = scratch_clone(repo, "push")
    approved = next(p for p in reversed(records(scratch)) if 'status: "approved"' in open(p).read())
    touch_source(scratch)
    subprocess.run(["git", "commit", "-qam", f"Tune the cache\n\nChange: {os.path.basename(approved)[:-5]}"],
                   cwd=scratch, check=True, env=dict(os.environ, GIT_AUTHOR_NAME="Dev 1", GIT_AUTHOR_EMAIL="dev1@example.com",
                                                     GIT_COMMITTER_NAME="Dev 1", GIT_COMMITTER_EMAIL="dev1@example.com"))
    local, remote = git(scratch, "rev-parse", "HEAD"), git(scratch, "rev-parse", "origin/main")
    return scratch, f"refs/heads/main {local} refs/heads/main {remote}\n".encode()


def repository(path, commits, layout):
    """`path`, made with generate.py first if it is a default repository not made yet."""
    if os.path.isdir(path):
        return path
    if os.path.dirname(path) != BENCH_DIR:
        sys.exit(f"run.py: no repository at {path}")
    os.makedirs(BENCH_DIR, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--commits", str(commits),
                    "--layout", layout, "--out", path], check=True)
    return path


def build():
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "chg")


def rows_for(name, args, chg, env, scratches):
    """The table rows `name` stands for."""
    check = [chg, "check", "--format", "json"]
    first = dict(chg=check + ["--no-cache"], base=GIT_LOG, report_findings=True)
    if name == "first":
        repo = repository(args.repo, 100_000, "fanned")
        return [Row(f"first check, {shape(repo)}", repo, runs=args.runs, max_ratio=1.5, memory=True, **first)]
    if name == "first-1m":
        repo = repository(args.big_repo, 1_000_000, "fanned")
        return [Row(f"first check, {shape(repo)}", repo, runs=args.big_runs, max_ratio=2, memory=True, **first)]
    if name == "flat":
        repo = repository(args.flat_repo, 100_000, "flat")
        return [Row(f"first check, {shape(repo)}", repo, runs=args.runs, max_ratio=3, **first)]
    if name == "cached":
        rows = []
        for repo in (repository(args.repo, 100_000, "fanned"), repository(args.big_repo, 1_000_000, "fanned")):
            # One check first fills the cache of what earlier checks read from history.
            start = time.perf_counter()
            subprocess.run(check, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"  filling or reading the cache of {repo}: {duration(time.perf_counter() - start)}", file=sys.stderr)
            rows.append(Row(f"cached check, {shape(repo)}", repo, check, GIT_LOG, runs=args.runs, max_ratio=0.9))
        return rows
    if name == "range":
        repo = repository(args.repo, 100_000, "fanned")
        since = git(repo, "rev-parse", "HEAD~1000")
        return [Row(f"`--range` of 1,000 commits, no cache, {shape(repo)}", repo,
                    check + ["--no-cache", "--range", f"{since}..HEAD"], GIT_LOG + [f"{since}..HEAD"],
                    runs=args.runs, max_ratio=5, max_ms=150, report_findings=True)]
    if name == "prepush":
        scratch, line = push_scratch(repository(args.big_repo, 1_000_000, "fanned"))
        scratches.append(scratch)
        url = git(scratch, "remote", "get-url", "origin")
        hook = [chg, "hook", "run", "pre-push", "origin", url]
        return [Row(f"pre-push of 1 commit, {shape(scratch)}", scratch, hook, GIT_LOG + ["origin/main..main"],
                    runs=args.runs, max_ms=50, stdin=line, warm_up=True)]
    if name == "hooks":
        scratch, message = hook_scratch(repository(args.big_repo, 1_000_000, "fanned"))
        scratches.append(scratch)
        return [Row(f"pre-commit, {shape(scratch)}", scratch, [chg, "hook", "run", "pre-commit"], runs=args.runs, max_ms=30),
                Row(f"commit-msg, {shape(scratch)}", scratch, [chg, "hook", "run", "commit-msg", message],
                    runs=args.runs, max_ms=30)]
    repo = repository(args.repo, 100_000, "fanned")
    return [Row(f"`chg audit --format json`, {shape(repo)}", repo, [chg, "audit", "--format", "json"], GIT_LOG, runs=args.runs),
            Row(f"`chg metrics --by quarter`, {shape(repo)}", repo, [chg, "metrics", "--by", "quarter"], GIT_LOG, runs=args.runs)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default=",".join(DEFAULT_ROWS))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--big-runs", type=int, default=1)
    ap.add_argument("--repo", default=os.path.join(BENCH_DIR, "repo-100000-fanned"))
    ap.add_argument("--big-repo", default=os.path.join(BENCH_DIR, "repo-1000000-fanned"))
    ap.add_argument("--flat-repo", default=os.path.join(BENCH_DIR, "repo-100000"))
    args = ap.parse_args()
    names = args.rows.split(",")
    if unknown := [n for n in names if n not in ROWS]:
        ap.error(f"unknown rows {unknown}; choose from {','.join(ROWS)}")
    for repo in ("repo", "big_repo", "flat_repo"):
        setattr(args, repo, os.path.abspath(getattr(args, repo)))

    chg = build()
    env = dict(os.environ, CHG_NOW="2026-11-21T10:00:00Z", NO_COLOR="1")
    measured, scratches = [], []
    try:
        for name in names:
            for row in rows_for(name, args, chg, env, scratches):
                print(f"{row.workload}: {row.runs} runs", file=sys.stderr)
                run_row(row, env)
                print(f"  exit codes: chg {row.results['chg'][2]}", file=sys.stderr)
                measured.append(row)
    finally:
        for scratch in scratches:
            subprocess.run(["rm", "-rf", scratch], check=True)
    print(table(measured))


if __name__ == "__main__":
    main()
