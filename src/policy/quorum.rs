//! One entry of a list of roles that must approve: `"cab"` (one approval in that
//! role), `"cto or ciso"` (one approval in any of these roles) or `"2 of cab"` (that
//! many distinct people, each approving in one of the roles). Parsed when the policy
//! loads, so a misspelt entry is a configuration error, not a change nobody can
//! approve.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How many distinct people must approve, in which roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quorum {
    pub count: usize,
    /// Any of these; never empty, each once.
    pub roles: Vec<String>,
}

const FORMS: &str =
    "write a role (\"cab\"), any one of several (\"cto or ciso\") or a number of distinct people (\"2 of cab\", \"2 of cab or board\")";

impl Quorum {
    /// One approval in `role`.
    pub fn one(role: &str) -> Quorum {
        Quorum {
            count: 1,
            roles: vec![role.to_string()],
        }
    }

    pub fn parse(text: &str) -> Result<Quorum, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bad = |why: &str| format!("`{text}` {why}: {FORMS}");
        let (count, alternatives) = match words.as_slice() {
            [n, "of", rest @ ..] => match n.parse::<usize>() {
                Ok(0) => return Err(bad("asks for nobody")),
                Ok(n) => (n, rest),
                Err(_) => return Err(bad("does not start with a number")),
            },
            all => (1, all),
        };
        let mut roles: Vec<String> = Vec::new();
        for (i, word) in alternatives.iter().enumerate() {
            let want_role = i % 2 == 0;
            match (want_role, *word) {
                (true, "or" | "of") => {
                    return Err(bad(&format!("has `{word}` where a role belongs")))
                }
                (true, role) if role.parse::<usize>().is_ok() => {
                    return Err(bad(&format!("has `{role}` where a role belongs")))
                }
                (true, role) if roles.iter().any(|r| r == role) => {
                    return Err(bad(&format!("names `{role}` twice")))
                }
                (true, role) => roles.push(role.to_string()),
                (false, "or") => {}
                (false, _) => return Err(bad("joins roles with something other than `or`")),
            }
        }
        if roles.is_empty() {
            return Err(bad("names no role"));
        }
        if alternatives.len() % 2 == 0 {
            return Err(bad("ends with `or`"));
        }
        Ok(Quorum { count, roles })
    }

    /// Whether an approval in `role` counts towards this.
    pub fn admits(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Whether filling this also fills `other`: no fewer people, from no other roles.
    pub fn implies(&self, other: &Quorum) -> bool {
        self.count >= other.count && self.roles.iter().all(|r| other.admits(r))
    }
}

impl fmt::Display for Quorum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count > 1 {
            write!(f, "{} of ", self.count)?;
        }
        f.write_str(&self.roles.join(" or "))
    }
}

impl TryFrom<String> for Quorum {
    type Error = String;
    fn try_from(text: String) -> Result<Quorum, String> {
        Quorum::parse(&text)
    }
}

impl From<Quorum> for String {
    fn from(q: Quorum) -> String {
        q.to_string()
    }
}

/// Written as in a policy, in tests: `"2 of cab".into()`.
#[cfg(test)]
impl From<&str> for Quorum {
    fn from(text: &str) -> Quorum {
        Quorum::parse(text).expect("a well-formed requirement")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(count: usize, roles: &[&str]) -> Quorum {
        Quorum {
            count,
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn a_role_alternatives_and_a_count_parse_and_print_back() {
        for (text, want) in [
            ("cab", q(1, &["cab"])),
            ("cto or ciso", q(1, &["cto", "ciso"])),
            ("2 of cab", q(2, &["cab"])),
            ("2 of cab or board", q(2, &["cab", "board"])),
            ("1 of cab", q(1, &["cab"])),
        ] {
            let parsed = Quorum::parse(text).unwrap();
            assert_eq!(parsed, want, "{text}");
            assert_eq!(Quorum::parse(&parsed.to_string()).unwrap(), want);
        }
        assert_eq!(
            Quorum::parse("  2  of  cab ").unwrap().to_string(),
            "2 of cab"
        );
        assert_eq!(q(1, &["cab"]).to_string(), "cab");
    }

    #[test]
    fn malformed_entries_say_what_is_wrong_and_what_is_allowed() {
        for (text, why) in [
            ("", "names no role"),
            ("0 of cab", "asks for nobody"),
            ("two of cab", "does not start with a number"),
            ("cab or", "ends with `or`"),
            ("or cab", "has `or` where a role belongs"),
            ("2 of", "names no role"),
            ("cab and lead", "joins roles with something other than `or`"),
            ("cab lead", "joins roles with something other than `or`"),
            ("cab or cab", "names `cab` twice"),
            ("2 cab", "has `2` where a role belongs"),
            ("2", "has `2` where a role belongs"),
        ] {
            let err = Quorum::parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
            assert!(err.contains("\"2 of cab\""), "{text}: {err}");
        }
    }

    #[test]
    fn a_requirement_implies_one_it_fills() {
        let cab = q(1, &["cab"]);
        assert!(q(2, &["cab"]).implies(&cab));
        assert!(cab.implies(&q(1, &["cab", "lead"])));
        assert!(!q(1, &["cab", "lead"]).implies(&cab));
        assert!(!cab.implies(&q(2, &["cab"])));
    }
}
