//! `[links]`: the kinds of reference a record may carry to other systems (a ticket,
//! an incident, a pull request), each with the URL template that finds it there.
//!
//! The URL is always the policy's: a record gives only the reference, which is
//! percent-encoded into the template, so no record can point a reader elsewhere.

use super::Policy;
use crate::model::ChangeRecord;
use serde::{Deserialize, Serialize};

/// Where a template puts the reference.
const PLACEHOLDER: &str = "{id}";

/// An http(s) URL with `{id}` in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UrlTemplate(String);

impl TryFrom<String> for UrlTemplate {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let web = ["https://", "http://"]
            .iter()
            .any(|scheme| text.to_ascii_lowercase().starts_with(scheme));
        if !web {
            return Err(format!("`{text}` is not an http(s) URL"));
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("`{text}` has a space or a control character in it"));
        }
        if !text.contains(PLACEHOLDER) {
            return Err(format!(
                "`{text}` has no {PLACEHOLDER}, where the reference goes"
            ));
        }
        Ok(UrlTemplate(text))
    }
}

impl From<UrlTemplate> for String {
    fn from(t: UrlTemplate) -> String {
        t.0
    }
}

impl UrlTemplate {
    /// The URL of `reference`, percent-encoded so that it stays one path segment or
    /// query value whatever it holds.
    pub fn url(&self, reference: &str) -> String {
        self.0.replace(PLACEHOLDER, &encode(reference))
    }
}

/// Every byte but the unreserved ones (RFC 3986 §2.3) as `%XX`.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Refuses a kind that is not a lower-case word.
pub(super) fn validate_kind(kind: &str) -> Result<(), String> {
    if super::is_name(kind) {
        Ok(())
    } else {
        Err(format!(
            "links: `{kind}` is not a link kind: lower-case letters, digits, - and _"
        ))
    }
}

/// One link of a record, resolved through the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub kind: String,
    pub id: String,
    /// `None` when the policy no longer declares the kind.
    pub url: Option<String>,
}

/// `kind: id url`, as `chg show` and `chg audit` list a link.
impl std::fmt::Display for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.url {
            Some(url) => write!(f, "{}: {} {url}", self.kind, self.id),
            None => write!(
                f,
                "{}: {} (a kind the policy does not declare)",
                self.kind, self.id
            ),
        }
    }
}

impl Policy {
    /// An error naming the policy's kinds when `kind` is not one of them, or when the
    /// reference is empty or more than one line.
    pub fn check_link(&self, kind: &str, reference: &str) -> Result<(), String> {
        if !self.links.contains_key(kind) {
            let known: Vec<&str> = self.links.keys().map(String::as_str).collect();
            return Err(if known.is_empty() {
                format!("links.{kind}: the policy declares no kinds of link ([links])")
            } else {
                format!(
                    "links.{kind}: not a kind of link the policy declares; its kinds: {}",
                    known.join(", ")
                )
            });
        }
        if reference.trim().is_empty() || reference.contains(['\n', '\r']) {
            return Err(format!(
                "links.{kind}: a reference is one line of text, not empty"
            ));
        }
        Ok(())
    }

    /// `record`'s links, each with its URL.
    pub fn links_of(&self, record: &ChangeRecord) -> Vec<Resolved> {
        (record.links.iter())
            .map(|(kind, id)| Resolved {
                kind: kind.clone(),
                id: id.clone(),
                url: self.links.get(kind).map(|t| t.url(id)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Result<UrlTemplate, String> {
        UrlTemplate::try_from(text.to_string())
    }

    #[test]
    fn a_reference_is_encoded_into_its_template() {
        let t = template("https://example.atlassian.net/browse/{id}").unwrap();
        assert_eq!(t.url("OPS-1"), "https://example.atlassian.net/browse/OPS-1");
        assert_eq!(
            t.url("\"><script>/{id}?&\n"),
            "https://example.atlassian.net/browse/%22%3E%3Cscript%3E%2F%7Bid%7D%3F%26%0A"
        );
    }

    #[test]
    fn a_template_is_an_http_url_with_a_place_for_the_reference() {
        assert!(template("javascript:alert(1)/{id}")
            .unwrap_err()
            .contains("http(s)"));
        assert!(template("https://x/browse").unwrap_err().contains("{id}"));
        assert!(template("https://x/ {id}").unwrap_err().contains("space"));
        assert!(template("HTTP://x/{id}").is_ok());
    }
}
