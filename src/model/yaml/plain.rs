//! Records are plain data: no anchors, aliases or tags, shallow nesting, each key once.
//! Checked on the events of the document, before it is built, in one pass that stops
//! at the first fault — so neither an alias that expands into gigabytes nor nesting
//! that costs a parser quadratic time is ever built.

use super::events::{Event, Events, Kind};
use super::simple;
use super::YamlError;
use std::collections::HashSet;

/// How deeply mappings and lists may nest. A record needs 3 (a list of maps in the
/// record's map, as `approvals`); the rest is room, far below what costs anything.
pub const MAX_DEPTH: usize = 16;

/// Refuses the first anchor, alias, tag, duplicate key or nesting past [`MAX_DEPTH`] in
/// `text`, at its place. Syntax errors are left to the parser that builds the document.
/// Gives the events of the nodes of `text` when it holds one document read to its end:
/// `None` for a syntax error or more documents than one, which serde_yaml reports in
/// its own words.
pub fn read(text: &str) -> Result<Option<Vec<Event>>, YamlError> {
    // What the simple reader reads has no fault.
    if let Some(nodes) = simple::events(text) {
        return Ok(Some(nodes));
    }
    let mut open: Vec<Node> = Vec::new();
    let (mut nodes, mut documents) = (Vec::new(), 0);
    let mut events = Events::new(text);
    for event in events.by_ref() {
        let fault = fault_in(&event, &mut open);
        if let Some(message) = fault {
            return Err(YamlError {
                message,
                line: Some(event.line),
                column: Some(event.column),
            });
        }
        match event.kind {
            Kind::Document => documents += 1,
            Kind::Other => {}
            _ => nodes.push(event),
        }
    }
    Ok((!events.failed() && documents == 1).then_some(nodes))
}

/// A mapping or list not yet closed.
pub(super) enum Node {
    List,
    /// A mapping: the keys seen, and whether the next node is a key.
    Map {
        keys: HashSet<String>,
        at_key: bool,
    },
}

/// What is wrong with `event`, given the nodes open around it (which it updates).
pub(super) fn fault_in(event: &Event, open: &mut Vec<Node>) -> Option<String> {
    if let Some(tag) = &event.tag {
        // libyaml resolves `!!str` to its full name; show it as it was written.
        let tag = match tag.strip_prefix("tag:yaml.org,2002:") {
            Some(name) => format!("!!{name}"),
            None => tag.clone(),
        };
        return Some(format!(
            "YAML tags (here `{tag}`) are not allowed in a record: records are plain data"
        ));
    }
    if event.anchored {
        return Some(
            "YAML anchors (&name) are not allowed in a record: records are plain data".into(),
        );
    }
    let key = match &event.kind {
        Kind::Alias => {
            return Some(
                "YAML aliases (*name) are not allowed in a record: records are plain data".into(),
            )
        }
        Kind::Document | Kind::Other => return None,
        Kind::End => {
            open.pop();
            return None;
        }
        Kind::Scalar { value, .. } => Some(value),
        Kind::SequenceStart | Kind::MappingStart => None,
    };
    if let Some(Node::Map { keys, at_key }) = open.last_mut() {
        if let (true, Some(key)) = (*at_key, key) {
            if !keys.insert(key.clone()) {
                return Some(format!("duplicate key `{key}`"));
            }
        }
        *at_key = !*at_key;
    }
    let node = match event.kind {
        Kind::SequenceStart => Node::List,
        Kind::MappingStart => Node::Map {
            keys: HashSet::new(),
            at_key: true,
        },
        _ => return None,
    };
    if open.len() == MAX_DEPTH {
        return Some(format!(
            "the YAML nests deeper than {MAX_DEPTH} levels, more than a record ever needs"
        ));
    }
    open.push(node);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str) -> Option<(usize, usize, String)> {
        read(text)
            .err()
            .map(|e| (e.line.unwrap(), e.column.unwrap(), e.message))
    }

    #[test]
    fn plain_data_passes() {
        let text = "id: X\napprovals:\n  - {role: a, by: b}\n  - role: c\nrisk: {factors: {a: 1}}\ntenants: [a, b]\n";
        assert_eq!(fault(text), None);
    }

    #[test]
    fn each_kind_of_fault_is_found_where_it_is() {
        let alias = fault("a: &x [1]\n").unwrap();
        assert_eq!((alias.0, alias.1), (1, 4));
        assert!(alias.2.contains("anchors"), "{alias:?}");
        let alias = fault("a: 1\nb: [x, *y]\n").unwrap();
        assert_eq!((alias.0, alias.1), (2, 8));
        assert!(alias.2.contains("aliases"), "{alias:?}");
        let tag = fault("a: 1\nb: !!str 2\n").unwrap();
        assert_eq!((tag.0, tag.1), (2, 4));
        assert!(tag.2.contains("`!!str`"), "{tag:?}");
        let dup = fault("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n").unwrap();
        assert_eq!(dup, (5, 3, "duplicate key `c`".into()));
    }

    #[test]
    fn the_same_key_in_different_maps_is_no_duplicate() {
        assert_eq!(fault("a: {k: 1}\nb: {k: 2}\nl: [{k: 1}, {k: 2}]\n"), None);
        // A value equal to a key is not a key.
        assert_eq!(fault("a: a\nb: a\n"), None);
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let ok = format!(
            "a: {}{}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(fault(&ok), None);
        let deep = format!("a: {}", "[".repeat(100_000));
        let (line, column, message) = fault(&deep).unwrap();
        assert_eq!((line, column), (1, 4 + MAX_DEPTH - 1));
        assert!(message.contains("deeper than 16"), "{message}");
    }

    #[test]
    fn syntax_errors_are_left_to_the_parser() {
        assert_eq!(fault("a: [1\nb: }\n"), None);
    }
}
