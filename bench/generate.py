#!/usr/bin/env python3
"""Builds a synthetic repository for chg's benchmark with `git fast-import`.

Shape (after ../shared/PERF.md): N commits on main with ~2 % merges of short side
branches, a 400-file tree, 1-2 files changed per commit, messages of ~280 bytes,
~30 % of commits naming a change (half in the subject, half as a `Change:` trailer),
0.1 % with Latin-1 bytes, and N/20 change records under .changes/ (each created in a
commit of its own; every other one approved in a later commit). References name
approved changes, as a team working under chg does, but for one in a hundred that
names any change: the check has findings to report. The repository is then gc'd by
the machine's own git, as users' repositories are.

usage: generate.py --commits 100000 --out DIR [--seed 7] [--layout flat|fanned]

--layout chooses where each record file lives, through the whole history:
  flat    .changes/<ID>.yaml (the default)
  fanned  .changes/<YYYY>/<BUCKET>/<ID>.yaml, YYYY the ID's year and BUCKET its
          sequence digits with the last two as `xx` (CHG-2026-0123 -> 2026/01xx/)
Nothing else depends on the layout: the same --commits and --seed give the same
commits and record contents in either, so the two repositories hold one register.
"""
import argparse
import hashlib
import json
import os
import random
import subprocess
import sys

WORDS = ("asset owner risk tenant schema index cache billing report audit rollback "
         "migration deploy service queue token session export import config").split()


def digest(content):
    """chg's content digest (src/model/digest.rs): SHA-256 of the record as compact
    JSON in field order, with the status as draft. run.py reports any P005 finding,
    which would mean this has drifted from chg's."""
    canonical = dict(content, status="draft")
    data = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def record_path(rid, layout):
    """Where record `rid` is written in `layout` (see the module's docstring)."""
    if layout == "flat":
        return f".changes/{rid}.yaml"
    year, seq = rid.split("-")[-2:]
    return f".changes/{year}/{seq[:-2]}xx/{rid}.yaml"


def proposer(seq):
    """Who writes and proposes change `seq`: its author."""
    return f"Dev {seq % 50}", f"dev{seq % 50}@example.com"


def record(seq, status, approved):
    rid = f"CHG-2026-{seq:04d}"
    content = {
        "id": rid, "title": f"Change number {seq}", "class": "normal", "status": status,
        "created_at": "2026-01-01T00:00:00Z", "author": "{} <{}>".format(*proposer(seq)),
        "description": " ".join(random.choices(WORDS, k=40)) + "\n",
        "rationale": " ".join(random.choices(WORDS, k=12)),
        "components": [random.choice(WORDS), random.choice(WORDS)],
        "risk": {"likelihood": "possible", "impact": "minor"},
        "rollback": {"plan": "Revert the merge commit."},
        "test_plan": " ".join(random.choices(WORDS, k=10)),
    }
    # JSON is a subset of YAML: each field is written on one line as JSON.
    text = "".join(f"{key}: {json.dumps(value)}\n" for key, value in content.items())
    if approved:
        text += ("approvals:\n- role: approver\n  by: lead@example.com\n  at: 2026-01-02T00:00:00Z\n"
                 f"  decision: approved\n  digest: {digest(content)}\n")
    # Each move by the person who made it, committed by them (see `proposer`).
    moves = [("submitted", proposer(seq)[1])] + ([("approved", "lead@example.com")] if approved else [])
    text += "transitions:\n"
    prev = "draft"
    for m, by in moves:
        text += f"- from: {prev}\n  to: {m}\n  at: 2026-01-01T00:00:00Z\n  by: {by}\n"
        prev = m
    return rid, text.encode()


def message(n, refs):
    subject = f"{random.choice(WORDS).capitalize()} the {random.choice(WORDS)} {random.choice(WORDS)} ({n})"
    body = " ".join(random.choices(WORDS, k=36))
    trailer = ""
    if refs:
        if n % 2:
            subject = f"{refs}: {subject}"
        else:
            trailer = f"\n\nChange: {refs}"
    text = f"{subject}\n\n{body}{trailer}\n".encode()
    if random.random() < 0.001:
        text = text.replace(b"the", b"caf\xe9", 1)
    return text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--layout", choices=("flat", "fanned"), default="flat")
    args = ap.parse_args()
    random.seed(args.seed)
    os.makedirs(args.out, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    fi = subprocess.Popen(["git", "-C", args.out, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = fi.stdin
    mark = 0
    t = 1_700_000_000
    records = 0
    pending_approval = []
    # A team working under chg names approved changes; one reference in a hundred
    # names any change, approved or not, so the check has findings to report.
    approved_ids = []

    def reference():
        if not records or random.random() >= 0.3:
            return ""
        if approved_ids and random.random() < 0.99:
            seq = random.choice(approved_ids)
        else:
            seq = random.randint(1, records)
        return f"CHG-2026-{seq:04d}"

    main_tip = None

    def commit(ref, msg, files, parent, merge=None, who=None):
        nonlocal mark, t
        mark += 1
        t += 60
        name, email = who or (f"Dev {mark % 50}", f"dev{mark % 50}@example.com")
        out.write(f"commit {ref}\nmark :{mark}\n".encode())
        out.write(f"author {name} <{email}> {t} +0000\ncommitter {name} <{email}> {t} +0000\n".encode())
        out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
        if parent:
            out.write(f"from :{parent}\n".encode())
        if merge:
            out.write(f"merge :{merge}\n".encode())
        for path, data in files:
            out.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        return mark

    # A 400-file tree and the policy in the first commit.
    first = [(f"src/f{i:03d}.txt", f"file {i}\n".encode()) for i in range(400)]
    first.append((".changes.toml", b"[changes]\nid_prefix = \"CHG\"\n"))
    main_tip = commit("refs/heads/main", b"Initial tree\n", first, None)
    n = 1
    side_n = 0
    while n < args.commits:
        if n % 20 == 0 and records < args.commits // 20:
            records += 1
            approved = records % 2 == 0
            rid, text = record(records, "submitted", False)
            main_tip = commit("refs/heads/main", f"{rid}: propose\n".encode(), [(record_path(rid, args.layout), text)],
                              main_tip, who=proposer(records))
            if approved:
                pending_approval.append(records)
            n += 1
            continue
        if pending_approval and n % 20 == 10:
            seq = pending_approval.pop(0)
            approved_ids.append(seq)
            rid, text = record(seq, "approved", True)
            main_tip = commit("refs/heads/main", f"Approve {rid}\n".encode(), [(record_path(rid, args.layout), text)],
                              main_tip, who=("Lead", "lead@example.com"))
            n += 1
            continue
        if n % 50 == 25 and n + 3 < args.commits:
            # A side branch of 1-2 commits merged back with --no-ff: ~2 % merges.
            side_n += 1
            tip = main_tip
            for _ in range(random.randint(1, 2)):
                refs = reference()
                files = [(f"src/f{random.randrange(400):03d}.txt", f"side {n}\n".encode())]
                tip = commit(f"refs/heads/side{side_n % 4}", message(n, refs), files, tip)
                n += 1
            main_tip = commit("refs/heads/main", f"Merge branch side{side_n % 4}\n".encode(), [], main_tip, merge=tip)
            n += 1
            continue
        refs = reference()
        files = [(f"src/f{random.randrange(400):03d}.txt", f"change {n} {random.random()}\n".encode())
                 for _ in range(random.randint(1, 2))]
        main_tip = commit("refs/heads/main", message(n, refs), files, main_tip)
        n += 1
    out.close()
    if fi.wait() != 0:
        sys.exit("fast-import failed")
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    subprocess.run(["git", "-C", args.out, "gc", "--quiet"], check=True)
    print(f"{args.out}: {n} commits, {records} records", file=sys.stderr)


if __name__ == "__main__":
    main()
