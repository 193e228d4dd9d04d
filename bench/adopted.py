#!/usr/bin/env python3
"""Times chg on a real repository where it was adopted on top of a long history,
against `git log` on the same repository in the same run: the first check of a
clone (`--no-cache`), the everyday check (cached), and `chg log <ID>` both ways.

usage: adopted.py --repo DIR [--runs 5] [--change ID] [--policy-from-root]
DIR is a clone of any public repository. Unless it already has `.changes.toml`,
a scratch clone (DIR-adopted) is made and chg adopted in it as a team would: `chg
init`, `reference = "required"`, a protected path (`src/**`, so that the paths
every commit changes are read), one change and three commits naming it. With
--policy-from-root, the history is replayed instead (DIR-rooted, kept for later
runs) with such a policy in its root commit, so that every commit is judged and
the paths it changes are read. The repository given is never modified.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, measure, watched  # noqa: E402


def adopt(repo, chg):
    """A scratch clone of `repo` with chg adopted on top; returns it and its change."""
    scratch = repo.rstrip("/") + "-adopted"
    subprocess.run(["rm", "-rf", scratch], check=True)
    subprocess.run(["git", "clone", "-q", repo, scratch], check=True)
    git = lambda *a: subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *a], cwd=scratch, check=True)
    subprocess.run([chg, "init"], cwd=scratch, check=True, capture_output=True)
    policy = os.path.join(scratch, ".changes.toml")
    text = open(policy).read().replace('reference = "optional"', 'reference = "required"')
    text += '\n[commits.protected."src/**"]\nmin_class = "normal"\n'
    open(policy, "w").write(text)
    git("add", "-A")
    git("commit", "-q", "-m", "Adopt chg")
    env = dict(os.environ, GIT_AUTHOR_EMAIL="bench@example.com", GIT_AUTHOR_NAME="Bench")
    out = subprocess.run([chg, "new", "--no-input", "--class", "standard", "--title", "Bench", "--description", "d"],
                         cwd=scratch, env=env, check=True, capture_output=True, text=True).stdout
    change = out.split()[0]
    git("add", "-A")
    git("commit", "-q", "-m", f"Propose {change}")
    for n in range(3):
        with open(os.path.join(scratch, "README.md"), "a") as f:
            f.write(f"\n{n}\n")
        git("commit", "-q", "-am", f"Edit the README\n\nChange: {change}")
    return scratch, change


def rooted(repo, chg):
    """A replay of `repo`'s history (DIR-rooted) with the policy of `adopt` in its
    root commit, so that every commit is judged under reference = "required" and a
    protected path: the worst case, a policy as old as the history. Made with
    `git fast-export | git fast-import`; authors, dates and messages are kept."""
    scratch = repo.rstrip("/") + "-rooted"
    if os.path.isdir(scratch):
        return scratch
    # The policy `adopt` makes: `chg init`'s, references required, src/** protected.
    with tempfile.TemporaryDirectory() as blank:
        subprocess.run(["git", "init", "-q", blank], check=True)
        subprocess.run([chg, "init"], cwd=blank, check=True, capture_output=True)
        policy = open(os.path.join(blank, ".changes.toml"), "rb").read()
    policy = policy.replace(b'reference = "optional"', b'reference = "required"')
    policy += b'\n[commits.protected."src/**"]\nmin_class = "normal"\n'
    subprocess.run(["git", "init", "-q", scratch], check=True)
    export = subprocess.Popen(["git", "-C", repo, "fast-export", "--signed-tags=strip", "--all"], stdout=subprocess.PIPE)
    load = subprocess.Popen(["git", "-C", scratch, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    inp, out = export.stdout, load.stdin
    added, in_commit = False, False
    for line in iter(inp.readline, b""):
        out.write(line)
        if line.startswith(b"commit "):
            in_commit = True
        elif line.startswith(b"data "):
            out.write(inp.read(int(line[5:])))
            # The first commit's message is followed by its file changes: the
            # policy joins them.
            if in_commit and not added:
                out.write(b"M 100644 inline .changes.toml\ndata %d\n%s\n" % (len(policy), policy))
                added = True
            in_commit = False
    out.close()
    if export.wait() or load.wait():
        sys.exit("replaying the history failed")
    head = subprocess.run(["git", "-C", repo, "symbolic-ref", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "-C", scratch, "checkout", "-q", head], check=True)
    # Packed as a clone's history is, not as fast-import left it.
    subprocess.run(["git", "-C", scratch, "gc", "-q"], check=True)
    return scratch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--change")
    ap.add_argument("--policy-from-root", action="store_true")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    chg = os.path.join(target, "release", "chg")
    repo, change = args.repo, args.change
    env = dict(os.environ, CHG_NOW="2026-12-06T12:00:00Z", NO_COLOR="1")
    commands = {
        "git log --format=%H%n%B": ["git", "log", "--format=%H%n%B"],
        "chg check --no-cache": [chg, "check", "--format", "json", "--no-cache"],
        "chg check": [chg, "check", "--format", "json"],
    }
    if args.policy_from_root:
        repo = rooted(repo, chg)
    else:
        if not os.path.exists(os.path.join(repo, ".changes.toml")):
            repo, change = adopt(repo, chg)
        if not change:
            sys.exit("--change is needed for a repository that already has chg")
        commands[f"chg log {change} --no-cache"] = [chg, "log", change, "--no-cache"]
        commands[f"chg log {change}"] = [chg, "log", change]
    subprocess.run(commands["chg check"], cwd=repo, env=env, stdout=subprocess.DEVNULL)
    results = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            results[name].append(measure(cmd, repo, env))
    memory = watched(commands, repo, env)
    count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    print(f"repository: {repo} ({count} commits); {args.runs} runs each, interleaved, median")
    base = statistics.median(t for t, _, _ in results["git log --format=%H%n%B"])
    for name, runs in results.items():
        median = statistics.median(t for t, _, _ in runs)
        peak, code = memory[name]
        peak /= 1024
        codes = sorted({c for _, _, c in runs} | {code})
        print(f"  {name:<34} {median:7.3f} s  {median / base:6.2f}x git log   peak {peak:7.1f} MiB   exit {codes}")


if __name__ == "__main__":
    main()
