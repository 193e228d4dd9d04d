//! Who signed a commit, as git itself verifies it: the `git` program checks each
//! signature against a signers file the caller supplies (OpenSSH allowed-signers
//! format), never against the keys, programs or files of whoever runs chg.

use super::Git;
use anyhow::{bail, Context as _, Result};
use std::collections::HashMap;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// What git says of a commit's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    /// A valid signature by a key the signers file lists for `signer` (the principal
    /// of its line, an email). The caller decides whether that is the right person.
    Good { signer: String },
    /// The signature does not match the commit: the commit was changed after signing.
    Bad,
    /// Signed, but by no key the signers file vouches for now: `why` says how.
    Untrusted { why: &'static str },
    /// No signature.
    Unsigned,
}

impl Signature {
    /// Reads git's `%G?` letter and `%GS` signer (see `git help log`).
    fn from_letter(letter: &str, signer: &str) -> Result<Signature> {
        Ok(match letter {
            "G" if !signer.is_empty() => Signature::Good {
                signer: signer.to_string(),
            },
            // Good, but no principal to name: nothing chg could hold anyone to.
            "G" => Signature::Untrusted {
                why: "the signers file names nobody for its key",
            },
            "B" => Signature::Bad,
            "U" => Signature::Untrusted {
                why: "its key is not in the signers file",
            },
            "X" => Signature::Untrusted {
                why: "the signature has expired",
            },
            "Y" => Signature::Untrusted {
                why: "its key has expired",
            },
            "R" => Signature::Untrusted {
                why: "its key has been revoked",
            },
            "E" => Signature::Untrusted {
                why: "git could not check it (not an SSH signature, or ssh-keygen is missing)",
            },
            "N" => Signature::Unsigned,
            other => bail!("git gave an unknown signature status `{other}`"),
        })
    }
}

/// Settings a user's or a repository's git config could point elsewhere (another
/// signers file, a revocation list, a program that always says "good"): each is
/// pinned on the command line, which wins over every config file.
const PINNED: &[&str] = &[
    "gpg.ssh.program=ssh-keygen",
    "gpg.ssh.revocationFile=",
    "gpg.program=gpg",
    "gpg.openpgp.program=gpg",
    "gpg.x509.program=gpgsm",
    "log.showSignature=false",
];

impl Git {
    /// The signature of each of `commits` (full ids), checked by one run of git
    /// against `allowed_signers`: the content of the repository's signers file, in
    /// OpenSSH allowed-signers format (`ada@example.com namespaces="git" ssh-ed25519
    /// AAAA...`), as the caller read it from a tree. Only SSH signatures can be good:
    /// git gets an empty GnuPG home, so an OpenPGP signature is not checked against
    /// the keyring of whoever runs chg. The map is keyed by full commit id; an id
    /// git does not know is an error.
    pub fn signatures(
        &self,
        commits: &[String],
        allowed_signers: &[u8],
    ) -> Result<HashMap<String, Signature>> {
        if commits.is_empty() {
            return Ok(HashMap::new());
        }
        // git reads options from the same input (`--all`, `--not`): ids only.
        if let Some(odd) = commits
            .iter()
            .find(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            bail!("`{odd}` is not a commit id");
        }
        // Inside the git directory: never in the working tree, removed on drop.
        let dir = self.chg_dir();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let mut signers = tempfile::Builder::new()
            .prefix("allowed-signers-")
            .tempfile_in(&dir)
            .context("cannot write the signers file for git")?;
        signers
            .write_all(allowed_signers)
            .and_then(|()| signers.flush())
            .context("cannot write the signers file for git")?;
        let gnupg_home = tempfile::Builder::new()
            .prefix("gnupg-")
            .tempdir_in(&dir)
            .context("cannot make an empty GnuPG home for git")?;

        let mut git = Command::new("git");
        // The commits as they were written, not as a replace ref shows them: a
        // replacement would lend its signature to the commit it stands in for.
        git.arg("-C").arg(self.root()).arg("--no-replace-objects");
        for setting in PINNED {
            git.args(["-c", setting]);
        }
        git.arg("-c")
            .arg(format!(
                "gpg.ssh.allowedSignersFile={}",
                signers.path().display()
            ))
            .args([
                "log",
                "--no-walk",
                "--stdin",
                "-z",
                "--format=%H%x00%G?%x00%GS",
            ])
            // Settings passed through the environment would sit beside ours.
            .env_remove("GIT_CONFIG_PARAMETERS")
            .env_remove("GIT_CONFIG_COUNT")
            .env("GNUPGHOME", gnupg_home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = git.spawn().context("cannot run git")?;
        let input = commits.join("\n") + "\n";
        // Written from a thread: git may fill its output pipe before reading all ids.
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let out = child.wait_with_output().context("cannot run git")?;
        let written = writer.join().expect("the writer does not panic");
        // git's own complaint (an unknown id) says more than the pipe it closed.
        if !out.status.success() {
            bail!(
                "git log could not check signatures: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        written.context("cannot pass commit ids to git")?;
        parse(&String::from_utf8_lossy(&out.stdout))
    }
}

/// Reads `%H NUL %G? NUL %GS`, each commit ended by NUL (`-z`).
fn parse(out: &str) -> Result<HashMap<String, Signature>> {
    let fields: Vec<&str> = out.split('\0').collect();
    let mut map = HashMap::new();
    // A trailing NUL leaves one empty field after the last commit.
    for entry in fields.chunks(3).filter(|c| c != &[""]) {
        let [id, letter, signer] = entry else {
            bail!("git log gave signature lines chg cannot read");
        };
        map.insert(
            id.trim().to_string(),
            Signature::from_letter(letter, signer)?,
        );
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Runs `program` in `dir` with a scrubbed git environment; panics on failure.
    fn run(dir: &Path, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("HOME", dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ada Lovelace")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Lovelace")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn has_ssh_keygen() -> bool {
        Command::new("ssh-keygen")
            .arg("-?")
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    /// A key pair at `<dir>/<name>`; returns its public key line.
    fn key(dir: &Path, name: &str, comment: &str) -> String {
        let path = dir.join(name);
        let path = path.to_str().unwrap();
        run(
            dir,
            "ssh-keygen",
            &["-q", "-t", "ed25519", "-N", "", "-f", path, "-C", comment],
        );
        std::fs::read_to_string(format!("{path}.pub"))
            .unwrap()
            .trim()
            .to_string()
    }

    /// Commits a new file `name`, signed with the key at `key` if given; returns the id.
    fn commit(repo: &Path, name: &str, key: Option<&Path>) -> String {
        std::fs::write(repo.join(name), name).unwrap();
        run(repo, "git", &["add", name]);
        let signing = key.map(|k| format!("user.signingkey={}", k.display()));
        let mut args = vec![];
        if let Some(signing) = &signing {
            args.extend(["-c", "gpg.format=ssh", "-c", signing]);
        }
        args.extend(["commit", "-q", "-m", name]);
        if key.is_some() {
            args.push("-S");
        }
        run(repo, "git", &args);
        run(repo, "git", &["rev-parse", "HEAD"]).trim().to_string()
    }

    #[test]
    fn git_checks_each_signature_against_the_given_signers_only() {
        if !has_ssh_keygen() {
            eprintln!("skipped: ssh-keygen not found");
            return;
        }
        let keys = tempfile::tempdir().unwrap();
        let repo = tempfile::tempdir().unwrap();
        let (keys, repo) = (keys.path(), repo.path());
        let ada = key(keys, "ada", "ada@example.com");
        let eve = key(keys, "eve", "eve@example.com");
        run(repo, "git", &["init", "-q", "-b", "main"]);
        let by_ada = commit(repo, "a", Some(&keys.join("ada")));
        let unsigned = commit(repo, "b", None);
        let by_eve = commit(repo, "c", Some(&keys.join("eve")));
        // Ada's signed commit with another message: the signature is for other content.
        let original = run(repo, "git", &["cat-file", "commit", &by_ada]);
        let forged_text = original.replace("\n\na\n", "\n\nforged\n");
        assert_ne!(forged_text, original);
        std::fs::write(keys.join("forged"), forged_text).unwrap();
        let forged_file = keys.join("forged");
        let forged = run(
            repo,
            "git",
            &[
                "hash-object",
                "-t",
                "commit",
                "-w",
                forged_file.to_str().unwrap(),
            ],
        )
        .trim()
        .to_string();

        let git = Git::discover(repo).unwrap();
        let signers = format!("ada@example.com namespaces=\"git\" {ada}\n");
        let all = [&by_ada, &unsigned, &by_eve, &forged].map(|c| c.to_string());
        let found = git.signatures(&all, signers.as_bytes()).unwrap();
        assert_eq!(
            found[&by_ada],
            Signature::Good {
                signer: "ada@example.com".into()
            }
        );
        assert_eq!(found[&unsigned], Signature::Unsigned);
        assert!(
            matches!(found[&by_eve], Signature::Untrusted { .. }),
            "{:?}",
            found[&by_eve]
        );
        assert_eq!(found[&forged], Signature::Bad);
        assert_eq!(found.len(), 4);
        // A replace ref does not lend the unsigned commit Ada's signature.
        run(repo, "git", &["replace", &unsigned, &by_ada]);
        let found = git
            .signatures(std::slice::from_ref(&unsigned), signers.as_bytes())
            .unwrap();
        assert_eq!(found[&unsigned], Signature::Unsigned);

        // Eve's key listed for Lee: good, but the signer is Lee, never Ada.
        let signers = format!("lee@example.com namespaces=\"git\" {eve}\n");
        let found = git
            .signatures(std::slice::from_ref(&by_eve), signers.as_bytes())
            .unwrap();
        assert_eq!(
            found[&by_eve],
            Signature::Good {
                signer: "lee@example.com".into()
            }
        );
        // With no signers at all, nothing is good, whatever the user's git config says.
        let theirs = keys.join("their-signers");
        std::fs::write(&theirs, format!("ada@example.com {ada}\n")).unwrap();
        let theirs = theirs.display().to_string();
        run(
            repo,
            "git",
            &["config", "gpg.ssh.allowedSignersFile", &theirs],
        );
        let found = git.signatures(&all, b"").unwrap();
        assert!(found.values().all(|s| !matches!(s, Signature::Good { .. })));
        // The signers file and the GnuPG home are gone.
        let left: Vec<_> = std::fs::read_dir(git.chg_dir()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn an_unknown_commit_is_an_error_and_no_commits_run_nothing() {
        let repo = tempfile::tempdir().unwrap();
        run(repo.path(), "git", &["init", "-q", "-b", "main"]);
        commit(repo.path(), "a", None);
        let git = Git::discover(repo.path()).unwrap();
        assert!(git.signatures(&[], b"").unwrap().is_empty());
        let missing = "0123456789012345678901234567890123456789".to_string();
        let err = git.signatures(&[missing], b"").unwrap_err().to_string();
        assert!(err.contains("git log could not check signatures"), "{err}");
        let err = git.signatures(&["--all".into()], b"").unwrap_err();
        assert!(
            err.to_string().contains("`--all` is not a commit id"),
            "{err}"
        );
    }

    #[test]
    fn every_letter_git_documents_is_read() {
        for letter in ["B", "U", "X", "Y", "R", "E", "N"] {
            assert!(Signature::from_letter(letter, "").is_ok(), "{letter}");
        }
        assert!(matches!(
            Signature::from_letter("G", ""),
            Ok(Signature::Untrusted { .. })
        ));
        assert!(Signature::from_letter("?", "").is_err());
    }
}
