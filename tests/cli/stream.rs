//! A long history is read by a `git` process beside the check: the findings of a
//! first check, which reads every commit that way, are the findings of checks that
//! read the same commits a few at a time.

use crate::common::{outcome, refused, TestRepo, Who};

const ADA: Who = ("Ada Lovelace", "ada@example.com");
const LEE: Who = ("Lee Chen", "lee@example.com");

const POLICY: &str = "[roles]\napprover = [\"lee@example.com\"]\n\
[classes.normal]\nrequires = [\"description\", \"rollback.plan\"]\napprovals = [\"approver\"]\n\
[commits]\nreference = \"required\"\nexempt = [\"docs/**\"]\n";

fn check(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = outcome(&mut repo.chg(&all));
    assert!(code <= 1, "chg check failed: {err}");
    out
}

/// A repository whose first commit, at `when`, adopts the policy.
fn adopted(when: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(".changes.toml", POLICY);
    repo.commit_all_as(when, ADA, "Adopt chg");
    repo
}

/// A history past the number of commits read one at a time, with findings of
/// several rules; `after` runs after each of its last 300 commits.
fn long_history(mut after: impl FnMut(&TestRepo, u32)) -> TestRepo {
    let repo = adopted("2026-11-02T09:00:00Z");
    let one = repo.complete_change("Add the column", "normal");
    let two = repo.complete_change("Drop the table", "normal");
    repo.commit_all_as(
        "2026-11-02T09:30:00Z",
        ADA,
        &format!("Propose {one} and {two}"),
    );
    repo.chg_committed("2026-11-02T10:00:00Z", ADA, &["submit", &one], "Submit");
    repo.chg_committed("2026-11-02T10:30:00Z", LEE, &["approve", &one], "Approve");
    // Lee's approval of the second, committed by Ada: nothing proves Lee gave it.
    repo.chg_at("2026-11-02T11:00:00Z", ADA.0, ADA.1, &["submit", &two])
        .assert()
        .success();
    repo.chg_at("2026-11-02T11:00:00Z", LEE.0, LEE.1, &["approve", &two])
        .assert()
        .success();
    repo.commit_all_as("2026-11-02T11:00:00Z", ADA, "Approve the second");
    // Past the number of commits read one at a time, with work that names each
    // change, names none, or names one that does not exist; an author with an
    // unusual name; a message in another encoding; a branch merged back.
    for n in 0..300u32 {
        let when = format!(
            "2026-11-{:02}T{:02}:{:02}:00Z",
            3 + n / 60,
            9 + n % 60 / 10,
            n % 10
        );
        let (file, message) = match n % 5 {
            0 => (
                Some("src/a.rs"),
                format!("Work {n} on caf\u{e9}\n\nChange: {one}"),
            ),
            1 => (Some("src/b.rs"), format!("Work {n}\n\nChange: {two}")),
            2 => (Some("src/c.rs"), format!("Untracked work {n}")),
            3 => (
                Some("src/d.rs"),
                format!("Work {n}\n\nChange: CHG-2026-0099"),
            ),
            _ => (None, format!("Note {n}")),
        };
        if let Some(file) = file {
            repo.write(file, &format!("// {n}\n"));
            repo.git_at(&when, &["add", file]);
        }
        let commit = ["commit", "-q", "--allow-empty", "-m", &message];
        match n {
            100 => repo.git_at(
                &when,
                &[&["-c", "i18n.commitEncoding=ISO-8859-1"], &commit[..]].concat(),
            ),
            150 => repo.git_at(
                &when,
                &[&["-c", "user.name= \"Eve, the <odd> one\" "], &commit[..]].concat(),
            ),
            200 => {
                repo.git_at(&when, &["checkout", "-qb", "side"]);
                repo.write("src/side.rs", "// side\n");
                repo.commit_all_as(&when, LEE, &format!("Side work\n\nChange: {one}"));
                repo.git_at(&when, &["checkout", "-q", "-"]);
                repo.merge_at(&when, "side", "Merge the side");
                String::new()
            }
            _ => repo.git_at(&when, &commit),
        };
        after(&repo, n);
    }
    repo
}

#[test]
fn a_first_check_of_a_long_history_finds_what_checks_of_its_parts_found() {
    let repo = long_history(|repo, n| {
        // The cache filled a few commits at a time, each read on its own.
        if n % 40 == 39 {
            check(repo, &[]);
        }
    });
    let parts = check(&repo, &[]);
    let first = check(&repo, &["--no-cache"]);
    assert_eq!(first, parts);
    for rule in ["H001", "H002", "H004", "P004"] {
        assert!(
            first.contains(&format!("\"{rule}\"")),
            "{rule} missing from {first}"
        );
    }
}

/// The commit-graph file at `path` with each commit's data (its tree's id, its
/// parents' places in the file, its generation and time: 36 bytes) rewritten by
/// `edit`, as a stale or altered file would give them: `edit` has each commit's id
/// and data, in the file's order.
fn edit_commit_graph(path: &std::path::Path, edit: impl FnOnce(&mut [([u8; 20], [u8; 36])])) {
    let mut bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..4], b"CGPH");
    let chunk = |name: &[u8]| {
        let at = (0..bytes[6] as usize)
            .map(|n| 8 + n * 12)
            .find(|&at| &bytes[at..at + 4] == name)
            .unwrap();
        u64::from_be_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize
    };
    let (ids, data) = (chunk(b"OIDL"), chunk(b"CDAT"));
    let count = (data - ids) / 20;
    let mut entries: Vec<([u8; 20], [u8; 36])> = (0..count)
        .map(|n| {
            let id = bytes[ids + n * 20..][..20].try_into().unwrap();
            let commit = bytes[data + n * 36..][..36].try_into().unwrap();
            (id, commit)
        })
        .collect();
    edit(&mut entries);
    for (n, (_, commit)) in entries.iter().enumerate() {
        bytes[data + n * 36..][..36].copy_from_slice(commit);
    }
    // git writes it read-only.
    std::fs::remove_file(path).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// [`edit_commit_graph`] of the root trees alone: `edit` has each commit's id and
/// tree id.
fn edit_trees(path: &std::path::Path, edit: impl FnOnce(&mut [([u8; 20], [u8; 20])])) {
    edit_commit_graph(path, |entries| {
        let mut trees: Vec<([u8; 20], [u8; 20])> = (entries.iter())
            .map(|(id, data)| (*id, data[..20].try_into().unwrap()))
            .collect();
        edit(&mut trees);
        for ((_, data), (_, tree)) in entries.iter_mut().zip(trees) {
            data[..20].copy_from_slice(&tree);
        }
    });
}

/// A commit's id as the 20 bytes a commit-graph file holds.
fn id_bytes(repo: &TestRepo, rev: &str) -> [u8; 20] {
    let hex = repo.git(&["rev-parse", rev]);
    let hex = hex.trim();
    std::array::from_fn(|n| u8::from_str_radix(&hex[n * 2..n * 2 + 2], 16).unwrap())
}

#[test]
fn the_root_trees_of_a_commit_graph_file_are_taken_only_where_they_are_right() {
    let repo = long_history(|_, _| {});
    let before = check(&repo, &["--no-cache"]);
    // git's commit-graph file gives most commits' root trees; one committed after it
    // was written is listed as it would be without one.
    let graph = repo.path().join(".git/objects/info/commit-graph");
    repo.git(&["commit-graph", "write", "--reachable"]);
    let older = std::fs::read(&graph).unwrap();
    std::fs::remove_file(&graph).unwrap();
    repo.write("src/later.rs", "// later\n");
    repo.commit_all_as("2026-11-09T09:00:00Z", ADA, "Later work");
    // Documentation, which needs no change under this policy.
    repo.write("docs/later.md", "later\n");
    repo.commit_all_as("2026-11-09T09:30:00Z", ADA, "Later notes");
    let want = check(&repo, &["--no-cache"]);
    assert_ne!(
        want, before,
        "the later commit, which names no change, is judged"
    );
    std::fs::write(&graph, &older).unwrap();
    assert_eq!(check(&repo, &["--no-cache"]), want);
    std::fs::remove_file(&graph).unwrap();
    repo.git(&["commit-graph", "write", "--reachable"]);
    assert_eq!(check(&repo, &["--no-cache"]), want);
    // Trees it gives wrongly are not taken: each commit is judged by its own.
    edit_trees(&graph, |entries| {
        for pair in entries.chunks_exact_mut(2) {
            let other = pair[1].1;
            pair[1].1 = pair[0].1;
            pair[0].1 = other;
        }
    });
    assert_eq!(check(&repo, &["--no-cache"]), want);
    // Each commit given as its own tree, and the last one as its parent's too: git
    // is asked to compare commits where chg meant trees ("<commit> <commit>" would
    // say that the last commit, which only exempt paths allow, changes nothing).
    let (later, parent) = (id_bytes(&repo, "HEAD"), id_bytes(&repo, "HEAD~1"));
    // Written afresh: git would take what it needs from the file it replaces.
    std::fs::remove_file(&graph).unwrap();
    repo.git(&["commit-graph", "write", "--reachable"]);
    edit_trees(&graph, |entries| {
        for (id, tree) in entries.iter_mut() {
            *tree = if *id == parent { later } else { *id };
        }
    });
    assert_eq!(check(&repo, &["--no-cache"]), want);
    // Trees the repository lacks.
    edit_trees(&graph, |entries| {
        entries.iter_mut().for_each(|(_, tree)| *tree = [0x11; 20]);
    });
    assert_eq!(check(&repo, &["--no-cache"]), want);
    std::fs::write(&graph, b"CGPH not a commit-graph").unwrap();
    assert_eq!(check(&repo, &["--no-cache"]), want);
}

#[test]
fn a_commit_graph_file_that_hides_history_from_git_is_not_believed() {
    let repo = long_history(|_, _| {});
    let graph = repo.path().join(".git/objects/info/commit-graph");
    repo.git(&["commit-graph", "write", "--reachable"]);
    // The file says a commit of the last hundred has no parent: git's walks stop
    // there, and the changes' records, their approvals and most of the work
    // before it are no longer in the history git lists.
    let cut = repo.git(&["rev-parse", "HEAD~100"]);
    let cut = cut.trim();
    let id = id_bytes(&repo, "HEAD~100");
    edit_commit_graph(&graph, |entries| {
        let (_, data) = entries.iter_mut().find(|(at, _)| *at == id).unwrap();
        // No first parent, and no second: git's mark for none.
        data[20..28].copy_from_slice(&[0x70, 0, 0, 0, 0x70, 0, 0, 0]);
    });
    let count = |args: &[&str]| -> u32 { repo.git(args).trim().parse().unwrap() };
    let listed = count(&["rev-list", "--count", "HEAD"]);
    let all = count(&[
        "-c",
        "core.commitGraph=false",
        "rev-list",
        "--count",
        "HEAD",
    ]);
    assert!(
        listed < 110 && all > 300,
        "git itself walks {listed} of {all}"
    );
    // About a hundred commits are listed: libgit2 reads them, as it does any scope
    // too short for `git cat-file` (the merge below is read by `git cat-file`).
    // Without `--no-cache` too: the first check of a fresh clone has no cache.
    for args in [&["check", "--no-cache"][..], &["check"]] {
        let err = refused(&repo, repo.chg(args), 2, &cut[..10]);
        assert!(err.contains("commit-graph"), "{err}");
    }
    assert!(
        !repo.path().join(".git/chg/cache").exists(),
        "nothing read of the shortened history is kept"
    );
    let afresh = || {
        std::fs::remove_file(&graph).unwrap();
        repo.git(&["commit-graph", "write", "--reachable"]);
    };
    // A merge whose parents the file gives the other way round: git's mainline then
    // runs through the branch it merged, and the merge brings in the mainline.
    afresh();
    let merge = repo.git(&["rev-list", "--merges", "-n1", "HEAD"]);
    let merge = merge.trim();
    let id = id_bytes(&repo, merge);
    edit_commit_graph(&graph, |entries| {
        let (_, data) = entries.iter_mut().find(|(at, _)| *at == id).unwrap();
        let first: [u8; 4] = data[20..24].try_into().unwrap();
        data.copy_within(24..28, 20);
        data[24..28].copy_from_slice(&first);
    });
    let side = repo.git(&["rev-parse", &format!("{merge}^2")]);
    let listed = repo.git(&["rev-list", "--parents", "-n1", merge]);
    assert!(
        listed.split_whitespace().nth(1) == Some(side.trim()),
        "git itself follows the merged branch first: {listed}"
    );
    refused(&repo, repo.chg(&["check", "--no-cache"]), 2, &merge[..10]);
    // Written afresh, the file is believed again.
    afresh();
    check(&repo, &["--no-cache"]);
}

#[test]
fn a_commit_graph_file_that_moves_a_range_s_start_is_not_believed() {
    let repo = adopted("2026-11-02T09:00:00Z");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/a.rs", "// a\n");
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Work that names no change");
    repo.write("src/b.rs", "// b\n");
    repo.commit_all_as("2026-11-02T10:30:00Z", ADA, "More of it");
    // Documentation, which needs no change under this policy.
    repo.write("docs/notes.md", "notes\n");
    repo.commit_all_as("2026-11-02T11:00:00Z", ADA, "Notes");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("docs/main.md", "main\n");
    repo.commit_all_as("2026-11-02T12:00:00Z", ADA, "Notes on main");
    let range = ["check", "--no-cache", "--range", "main..feature"];
    let push = |repo: &TestRepo| {
        let mut hook = repo.chg(&["hook", "run", "pre-push", "origin"]);
        let tips = |rev: &str| repo.git(&["rev-parse", rev]).trim().to_owned();
        hook.write_stdin(format!(
            "refs/heads/feature {} refs/heads/feature {}\n",
            tips("feature"),
            tips("main")
        ));
        hook
    };
    let (code, _, _) = outcome(&mut repo.chg(&range));
    assert_eq!(code, 1, "the work that names no change is found");
    push(&repo).assert().code(1);
    // The file gives main's tip a second parent from the branch. Its second commit:
    // git then takes both of the branch's first commits for history main already
    // has, and lists only its last, which needs no change. Its tip: git lists none.
    let graph = repo.path().join(".git/objects/info/commit-graph");
    for (taken, left) in [("feature~1", 1), ("feature", 0)] {
        let _ = std::fs::remove_file(&graph);
        repo.git(&["commit-graph", "write", "--reachable"]);
        let (tip, id) = (id_bytes(&repo, "main"), id_bytes(&repo, taken));
        edit_commit_graph(&graph, |entries| {
            let at = entries.iter().position(|(c, _)| *c == id).unwrap() as u32;
            let (_, data) = entries.iter_mut().find(|(c, _)| *c == tip).unwrap();
            data[24..28].copy_from_slice(&at.to_be_bytes());
        });
        let listed = repo.git(&["rev-list", "feature", "--not", "main"]);
        assert_eq!(listed.lines().count(), left, "git itself lists {listed}");
        let taken = repo.git(&["rev-parse", taken]);
        for cmd in [repo.chg(&range), push(&repo)] {
            let err = refused(&repo, cmd, 2, &taken[..10]);
            assert!(err.contains("out of the check"), "{err}");
            assert!(err.contains("commit-graph"), "{err}");
        }
    }
    // Written afresh, the file is believed again.
    std::fs::remove_file(&graph).unwrap();
    repo.git(&["commit-graph", "write", "--reachable"]);
    let (code, _, _) = outcome(&mut repo.chg(&range));
    assert_eq!(code, 1);
    // A grafts file misleads git's walk the same way (git then leaves its
    // commit-graph file aside).
    let line = |rev: &str| repo.git(&["rev-parse", rev]).trim().to_owned();
    let graft = format!(
        "{} {} {}\n",
        line("main"),
        line("main~1"),
        line("feature~1")
    );
    repo.write(".git/info/grafts", &graft);
    let listed = repo.git(&["rev-list", "feature", "--not", "main"]);
    assert_eq!(listed.lines().count(), 1, "git itself lists {listed}");
    for cmd in [repo.chg(&range), push(&repo)] {
        let err = refused(&repo, cmd, 2, &line("feature~1")[..10]);
        assert!(err.contains("out of the check"), "{err}");
    }
}

#[test]
fn commits_dated_out_of_order_are_not_taken_for_a_misled_walk() {
    let repo = adopted("2026-11-01T09:00:00Z");
    repo.write("docs/a.md", "a\n");
    repo.commit_all_as("2026-11-02T09:00:00Z", ADA, "Notes");
    let fork = repo.git(&["rev-parse", "HEAD"]);
    let fork = fork.trim();
    // main goes on with commits whose clock said 2000, and the branch with one
    // that said 1999: git's walks stop by commit dates, and a walk from the fork
    // point gives up before main's commits reach it.
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("docs/b.md", "b\n");
    repo.commit_all_as("1999-06-01T09:00:00Z", ADA, "More notes");
    repo.git(&["checkout", "-q", "main"]);
    for n in 0..10 {
        repo.write("docs/a.md", &format!("{n}\n"));
        repo.commit_all_as(&format!("2000-01-{:02}T09:00:00Z", n + 1), ADA, "Old notes");
    }
    repo.write("docs/a.md", "last\n");
    repo.commit_all_as("2026-11-06T09:00:00Z", ADA, "Latest notes");
    let walked = repo.git(&[
        "-c",
        "core.commitGraph=false",
        "rev-list",
        fork,
        "--not",
        "main",
    ]);
    assert!(walked.contains(fork), "git's walk from the fork: {walked}");
    let (code, _, err) =
        outcome(&mut repo.chg(&["check", "--no-cache", "--range", "main..feature"]));
    assert_eq!(code, 0, "{err}");
    // A new branch's push starts from every remote-tracking branch: main, and one
    // that never reaches the fork point.
    repo.git(&["update-ref", "refs/remotes/origin/main", "main"]);
    repo.git(&["update-ref", "refs/remotes/origin/old", "main~12"]);
    let feature = repo.git(&["rev-parse", "feature"]);
    let mut hook = repo.chg(&["hook", "run", "pre-push", "origin"]);
    hook.write_stdin(format!(
        "refs/heads/feature {} refs/heads/feature {}\n",
        feature.trim(),
        "0".repeat(40)
    ));
    let (code, _, err) = outcome(&mut hook);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_grafts_file_that_cuts_a_short_history_is_not_believed() {
    let repo = adopted("2026-11-02T09:00:00Z");
    repo.write("src/a.rs", "// a\n");
    repo.commit_all_as("2026-11-02T10:00:00Z", ADA, "Work that names no change");
    for n in 0..4 {
        repo.write("docs/notes.md", &format!("{n}\n"));
        repo.commit_all_as(&format!("2026-11-03T0{n}:00:00Z"), ADA, "Notes");
    }
    let (code, _, _) = outcome(&mut repo.chg(&["check", "--no-cache"]));
    assert_eq!(code, 1, "the work that names no change is found");
    // The grafts file says a commit after the work has no parent: git's walk stops
    // there, before the work.
    let cut = repo.git(&["rev-parse", "HEAD~2"]);
    repo.write(".git/info/grafts", &cut);
    let listed = repo.git(&["rev-list", "HEAD"]);
    assert_eq!(listed.lines().count(), 3, "git itself lists {listed}");
    let err = refused(&repo, repo.chg(&["check", "--no-cache"]), 2, &cut[..10]);
    assert!(err.contains("grafts"), "{err}");
}
