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
    let words = words(&text);
    let mut at = 0;
    while at < words.len() {
        match phrases.iter().find(|p| words[at..].starts_with(p)) {
            Some(p) => at += p.len(),
            None => return true,
        }
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

/// For each `{` and `[` in `chars`, the index of the bracket of its kind that closes
/// it, counting nesting of that kind only; `None` when none does. Found in one pass
/// with a stack per kind: scanning ahead from every bracket would take time that
/// grows with the square of the text's length.
fn closings(chars: &[char]) -> Vec<Option<usize>> {
    let mut closes = vec![None; chars.len()];
    let (mut braces, mut squares) = (Vec::new(), Vec::new());
    for (k, &c) in chars.iter().enumerate() {
        let stack = match c {
            '{' | '}' => &mut braces,
            '[' | ']' => &mut squares,
            _ => continue,
        };
        if matches!(c, '{' | '[') {
            stack.push(k);
        } else if let Some(open) = stack.pop() {
            closes[open] = Some(k);
        }
    }
    closes
}

/// Takes out `{…}` and `[…]` placeholders; keeps links.
fn strip_placeholders(text: &str, references: &HashSet<String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let closes = closings(&chars);
    let mut out = String::with_capacity(text.len());
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let Some(end) = closes[k] else {
            out.push(c);
            k += 1;
            continue;
        };
        let label: String = chars[k + 1..end].iter().collect();
        let link = c == '['
            && (matches!(chars.get(end + 1), Some('(' | '['))
                || references.contains(&label.to_lowercase()));
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

    /// An ADR arrives by pull request and may be as large as any file chg reads: a
    /// mebibyte of unclosed brackets or of template words is judged in well under a
    /// second, not in time that grows with the square of its length.
    #[test]
    fn a_mebibyte_of_brackets_or_template_words_is_judged_in_linear_time() {
        let mib = crate::model::yaml::MAX_BYTES;
        for text in [
            "{".repeat(mib),
            "[".repeat(mib),
            "{[".repeat(mib / 2) + "x",
            "TBD ".repeat(mib / 4),
        ] {
            let start = std::time::Instant::now();
            let got = filled(&text);
            let took = start.elapsed();
            assert!(took.as_secs_f64() < 2.0, "{took:?} for {:?}…", &text[..8]);
            assert_eq!(got, text.ends_with('x'), "{:?}…", &text[..8]);
        }
    }
}
