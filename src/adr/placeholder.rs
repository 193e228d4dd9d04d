//! Whether text says something about a decision, or is only a template left unfilled.
//!
//! Text is filled when words remain once these are taken out: `<!-- … -->` comments;
//! `{…}` placeholders (nested, or wrapped over lines); `[…]` that is not a link (an
//! inline `[text](url)`, a `[text][ref]`, or a `[label]` defined below as
//! `[label]: url`); link definitions themselves; and the fixed words of the MADR,
//! adr-tools and log4brains templates ([`TEMPLATE_WORDS`]). Punctuation, bullets and
//! ellipses are not words, so an empty bullet is empty.

use std::collections::HashSet;

/// The templates' own words, taken out wherever they stand.
pub const TEMPLATE_WORDS: &[&str] = &[
    "chosen option",
    "good, because",
    "bad, because",
    "neutral, because",
    "because",
    "status",
    "date",
    "deciders",
    "decision-makers",
    "consulted",
    "informed",
    "technical story",
    "TBD",
    "TBC",
    "TODO",
    "n/a",
    // adr-tools' guidance under Context, Decision and Consequences.
    "The issue motivating this decision, and any context that influences or constrains the decision.",
    "The change that we're proposing or have agreed to implement.",
    "What becomes easier or more difficult to do and any risks introduced by the change that will need to be mitigated.",
];

/// Whether `text` holds words beyond the template's. `references` are the labels of
/// the document's link definitions, lower case.
pub fn is_filled(text: &str, references: &HashSet<String>) -> bool {
    let text = strip_comments(text);
    let text: String = text
        .lines()
        .filter(|l| definition(l).is_none())
        .collect::<Vec<_>>()
        .join("\n");
    let text = strip_placeholders(&text, references);
    let phrases: Vec<Vec<String>> = TEMPLATE_WORDS.iter().map(|p| words(p)).collect();
    let mut rest = words(&text);
    while !rest.is_empty() {
        match phrases.iter().find(|p| rest.starts_with(p)) {
            Some(p) => rest.drain(..p.len()),
            None => return true,
        };
    }
    false
}

/// The label of a link definition line, `[label]: url`, lower case.
pub fn definition(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (label, after) = rest.split_once("]:")?;
    (!label.is_empty() && !after.trim().is_empty()).then(|| label.to_lowercase())
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Removes `<!-- … -->` comments, which templates use for guidance.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// The byte index just past the bracket closing the one at `open`, counting nesting.
fn closing(chars: &[(usize, char)], open: usize, pair: (char, char)) -> Option<usize> {
    let mut depth = 0;
    for (k, &(_, c)) in chars.iter().enumerate().skip(open) {
        if c == pair.0 {
            depth += 1;
        } else if c == pair.1 {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Takes out `{…}` and `[…]` placeholders; keeps links.
fn strip_placeholders(text: &str, references: &HashSet<String>) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let pair = match c {
            '{' => ('{', '}'),
            '[' => ('[', ']'),
            _ => {
                out.push(c);
                k += 1;
                continue;
            }
        };
        let Some(end) = closing(&chars, k, pair) else {
            out.push(c);
            k += 1;
            continue;
        };
        let next = chars.get(end + 1).map(|&(_, c)| c);
        let label: String = chars[k + 1..end].iter().map(|&(_, c)| c).collect();
        let link = c == '['
            && (matches!(next, Some('(' | '[')) || references.contains(&label.to_lowercase()));
        if link {
            out.push_str(&label);
        }
        k = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(text: &str) -> bool {
        is_filled(text, &HashSet::new())
    }

    #[test]
    fn template_words_and_placeholders_are_not_content() {
        for text in [
            "Chosen option: \"{title of option 1}\", because {justification. e.g. {force}}.",
            "Chosen option: \"\", because",
            "* Good, because {argument a}\n* Bad, because {argument b}\n* …",
            "{Describe the context and problem statement,\nover two lines.}",
            "[Describe the context,\nover two lines.]",
            "STATUS",
            "* \n-\n* TBD",
            "<!-- This is an optional element. -->",
        ] {
            assert!(!filled(text), "{text:?}");
        }
    }

    #[test]
    fn links_and_prose_are_content() {
        assert!(filled("Chosen option: \"Bazel\", because it caches."));
        assert!(filled("* [Bazel](https://bazel.example)"));
        let refs = HashSet::from(["bazel".to_string()]);
        assert!(is_filled("* [Bazel]", &refs));
        assert!(!filled("* [Bazel]"));
    }
}
