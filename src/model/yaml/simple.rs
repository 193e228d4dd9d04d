//! A reader of the YAML records are written in — block mappings and lists, flow
//! collections on one line, plain and quoted scalars on one line, literal blocks — that
//! gives the events libyaml gives for them, several times faster. It takes nothing it
//! is unsure of: for any other shape, and for every syntax error, it gives `None`, and
//! libyaml reads the document instead.
//!
//! What it reads holds no fault [`super::plain`] looks for: a document with a tag,
//! anchor, alias, repeated key or deep nesting is left to libyaml too.
//!
//! Places are 1-based lines and columns in characters, as libyaml counts them; an
//! `End` gets none (0, 0): nothing reads where a list or mapping ends.

use super::events::{Event, Kind};

/// Deeper than a record nests. Past it libyaml reads the document, and the nesting
/// limit is reported from its events.
const MAX_DEPTH: usize = 8;

/// libyaml takes a key only where its colon is within 1,024 bytes of its start.
const MAX_KEY: usize = 1000;

/// More keys than a record's mappings hold: a mapping past it is left to libyaml, so
/// that finding a repeated key stays a short scan.
const MAX_KEYS: usize = 64;

/// The events of the nodes of `text`, a single document that is a block mapping at the
/// first column; `None` where libyaml must read it.
pub fn events(text: &str) -> Option<Vec<Event>> {
    if !printable(text) {
        return None;
    }
    let mut reader = Reader {
        lines: text.split_inclusive('\n').collect(),
        at: 0,
        depth: 0,
        keys: Vec::new(),
        events: Vec::new(),
        counted: Counted::default(),
    };
    let first = reader.next_content()?;
    if indent(reader.body(first)) != 0 {
        return None;
    }
    reader.map(0, None)?;
    Some(reader.events)
}

/// Whether `text` holds only characters libyaml reads and none it treats specially
/// outside the shapes read here: tabs, carriage returns and the Unicode line breaks,
/// a byte order mark (anywhere: libyaml skips one at the start of a line), control
/// characters, U+FFFE and U+FFFF.
fn printable(text: &str) -> bool {
    let b = text.as_bytes();
    // `text` is UTF-8: a lead byte is followed by the continuation bytes indexed here.
    b.iter().enumerate().all(|(i, &c)| match c {
        b'\n' | 0x20..=0x7e => true,
        // U+0080 to U+009F, U+0085 (a line break) among them.
        0xc2 => b[i + 1] >= 0xa0,
        // U+2028 and U+2029, line and paragraph separators.
        0xe2 => !(b[i + 1] == 0x80 && matches!(b[i + 2], 0xa8 | 0xa9)),
        // U+FEFF, U+FFFE, U+FFFF.
        0xef => !matches!((b[i + 1], b[i + 2]), (0xbb, 0xbf) | (0xbf, 0xbe | 0xbf)),
        0x80..=0xff => true,
        _ => false,
    })
}

/// The spaces a line (or what is left of it) starts with.
fn indent(body: &str) -> usize {
    body.len() - body.trim_start_matches(' ').len()
}

/// Whether a line's content (past its indent) opens a list item.
fn is_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Whether what follows a node on its line is nothing, or a comment after a space.
fn ends_line(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

/// A plain key and what follows its colon, where `content` starts with one: letters,
/// digits and `_./-`, starting with a letter, digit or `_`, then `:` and a space or
/// the end of the line.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let colon = content.find(':')?;
    let (key, after) = (&content[..colon], &content[colon + 1..]);
    let first = key.bytes().next()?;
    let fits = (first.is_ascii_alphanumeric() || first == b'_')
        && key.len() <= MAX_KEY
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'));
    (fits && (after.is_empty() || after.starts_with(' '))).then_some((key, after))
}

/// How a literal block ends: its last line break dropped, kept, or kept with the empty
/// lines after it.
#[derive(Clone, Copy, PartialEq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// A literal block's header after the `|`: its chomping and indentation indicators,
/// in either order, and nothing but spaces after them.
fn header(text: &str) -> Option<(Chomp, Option<usize>)> {
    let (mut chomp, mut step) = (None, None);
    let mut rest = text;
    while let Some(&c) = rest.as_bytes().first() {
        match c {
            b'-' | b'+' if chomp.is_none() => {
                chomp = Some(if c == b'-' { Chomp::Strip } else { Chomp::Keep })
            }
            b'1'..=b'9' if step.is_none() => step = Some(usize::from(c - b'0')),
            _ => break,
        }
        rest = &rest[1..];
    }
    rest.bytes()
        .all(|b| b == b' ')
        .then_some((chomp.unwrap_or(Chomp::Clip), step))
}

/// What a byte of a quoted scalar is.
enum Quoted {
    /// Itself.
    Text,
    /// The start of an escape: the character it stands for, and its length.
    Stands(char, usize),
    /// The closing quote.
    Ends,
}

/// The last place a column was counted at, so that counting along a line is linear.
#[derive(Default)]
struct Counted {
    line: usize,
    byte: usize,
    chars: usize,
}

struct Reader<'a> {
    /// The lines of the text, each with its line break (the last may have none).
    lines: Vec<&'a str>,
    /// The next line to read.
    at: usize,
    /// Lists and mappings open.
    depth: usize,
    /// The events of the keys of each mapping open, innermost last.
    keys: Vec<Vec<usize>>,
    events: Vec<Event>,
    counted: Counted,
}

impl<'a> Reader<'a> {
    /// Line `i` without its line break.
    fn body(&self, i: usize) -> &'a str {
        let line = self.lines[i];
        line.strip_suffix('\n').unwrap_or(line)
    }

    /// The next line that holds a node, from [`Reader::at`] on, skipping blank and
    /// comment lines; it is not consumed.
    fn next_content(&mut self) -> Option<usize> {
        while self.at < self.lines.len() {
            let content = self.body(self.at).trim_start_matches(' ');
            if !content.is_empty() && !content.starts_with('#') {
                return Some(self.at);
            }
            self.at += 1;
        }
        None
    }

    /// Adds an event at byte `byte` of line `line`.
    fn push(&mut self, kind: Kind, line: usize, byte: usize) {
        let counted = &mut self.counted;
        if counted.line != line || counted.byte > byte {
            *counted = Counted {
                line,
                ..Counted::default()
            };
        }
        counted.chars += self.lines[line][counted.byte..byte].chars().count();
        counted.byte = byte;
        let column = counted.chars + 1;
        self.events.push(Event {
            kind,
            anchored: false,
            tag: None,
            line: line + 1,
            column,
        });
    }

    fn scalar(&mut self, value: String, plain: bool, line: usize, byte: usize) {
        self.push(Kind::Scalar { value, plain }, line, byte);
    }

    /// Takes the scalar just pushed as a key of the innermost mapping, unless that
    /// mapping has it already or holds too many to look.
    fn key(&mut self) -> Option<()> {
        let (events, keys) = (&self.events, self.keys.last_mut()?);
        // A list or mapping as a key is no scalar: libyaml reads those.
        let value = |i: usize| match &events[i].kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        };
        let new = events.len() - 1;
        let key = value(new)?;
        let repeated = keys.iter().any(|&k| value(k) == Some(key));
        (!repeated && keys.len() < MAX_KEYS).then_some(())?;
        keys.push(new);
        Some(())
    }

    /// Opens a list or mapping, if it is not too deep.
    fn open(&mut self, kind: Kind, line: usize, byte: usize) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_DEPTH).then_some(())?;
        if matches!(kind, Kind::MappingStart) {
            self.keys.push(Vec::new());
        }
        self.push(kind, line, byte);
        Some(())
    }

    /// Closes the innermost list or mapping.
    fn close(&mut self, map: bool) {
        self.depth -= 1;
        if map {
            self.keys.pop();
        }
        self.events.push(Event {
            kind: Kind::End,
            anchored: false,
            tag: None,
            line: 0,
            column: 0,
        });
    }

    /// A block mapping whose keys start at column `n`; its first key at byte `inline`
    /// of the current line when it is a list item's.
    fn map(&mut self, n: usize, inline: Option<usize>) -> Option<()> {
        let mut first = true;
        let mut inline = inline;
        loop {
            let (line, at) = match inline.take() {
                Some(at) => (self.at, at),
                None => match self.next_content() {
                    Some(line) if indent(self.body(line)) == n => (line, n),
                    Some(line) if indent(self.body(line)) > n => return None,
                    _ => break,
                },
            };
            let body = self.body(line);
            let (key, after) = split_key(&body[at..])?;
            if first {
                self.open(Kind::MappingStart, line, at)?;
                first = false;
            }
            self.scalar(key.to_owned(), true, line, at);
            self.key()?;
            let colon_end = at + key.len() + 1;
            let value_at = body.len() - after.trim_start_matches(' ').len();
            if ends_line(after) {
                self.at = line + 1;
                self.block_value(n, line, colon_end)?;
            } else {
                self.inline_value(line, value_at, Some(n))?;
            }
        }
        // Called only where a key is known to follow, so the mapping is open.
        self.close(true);
        Some(())
    }

    /// The value of a key with nothing after it on its line, in mapping at column `n`:
    /// a list, a mapping, or null (placed just after the key's colon, as libyaml does).
    fn block_value(&mut self, n: usize, line: usize, colon_end: usize) -> Option<()> {
        if let Some(next) = self.next_content() {
            let body = self.body(next);
            let (spaces, content) = (indent(body), body.trim_start_matches(' '));
            if spaces >= n && is_entry(content) {
                return self.list(spaces);
            }
            if spaces > n {
                return self.map(spaces, None);
            }
        }
        self.scalar(String::new(), true, line, colon_end);
        Some(())
    }

    /// A block list whose dashes are at column `m`.
    fn list(&mut self, m: usize) -> Option<()> {
        let mut first = true;
        while let Some(line) = self.next_content() {
            let body = self.body(line);
            match indent(body) {
                spaces if spaces < m => break,
                spaces if spaces > m => return None,
                _ => {}
            }
            if !body[m..].starts_with("- ") {
                break;
            }
            if first {
                self.open(Kind::SequenceStart, line, m)?;
                first = false;
            }
            let at = m + 1 + indent(&body[m + 1..]);
            let item = &body[at..];
            if item.is_empty() || item.starts_with('#') || is_entry(item) {
                return None;
            }
            let is_map = item.as_bytes()[0].is_ascii_alphanumeric() || item.starts_with('_');
            if is_map && split_key(item).is_some() {
                self.map(at, Some(at))?;
            } else {
                self.inline_value(line, at, None)?;
            }
        }
        if first {
            return None;
        }
        self.close(false);
        Some(())
    }

    /// The node that starts at byte `at` of `line` and ends on it; a literal block
    /// where `block` gives the column of the mapping it is a value in.
    fn inline_value(&mut self, line: usize, at: usize, block: Option<usize>) -> Option<()> {
        let body = self.body(line);
        let end = match body.as_bytes()[at] {
            b'|' => return self.literal(line, at, block?),
            b'"' => self.double(line, at)?,
            b'\'' => self.single(line, at)?,
            b'[' | b'{' => self.flow(line, at)?,
            _ => self.plain(line, at)?,
        };
        ends_line(&body[end..]).then_some(())?;
        self.at = line + 1;
        Some(())
    }

    /// A plain scalar in a block, to the end of its line or a comment; where it ends.
    fn plain(&mut self, line: usize, at: usize) -> Option<usize> {
        let text = &self.body(line)[at..];
        let bytes = text.as_bytes();
        let starts = match bytes[0] {
            b'-' => bytes.get(1).is_some_and(|&b| b != b' '),
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
            _ => true,
        };
        let end = text.find(" #").unwrap_or(text.len());
        let value = text[..end].trim_end_matches(' ');
        // A colon before a space or the end makes it a key, where libyaml allows none.
        if !starts || value.contains(": ") || value.ends_with(':') {
            return None;
        }
        self.scalar(value.to_owned(), true, line, at);
        Some(at + end)
    }

    /// A single-quoted scalar closed on its line; where it ends.
    fn single(&mut self, line: usize, at: usize) -> Option<usize> {
        self.quoted(line, at, |body, i| {
            Some(match body.as_bytes()[i..] {
                [b'\'', b'\'', ..] => Quoted::Stands('\'', 2),
                [b'\'', ..] => Quoted::Ends,
                _ => Quoted::Text,
            })
        })
    }

    /// A double-quoted scalar closed on its line; where it ends.
    fn double(&mut self, line: usize, at: usize) -> Option<usize> {
        self.quoted(line, at, |body, i| match body.as_bytes()[i] {
            b'"' => Some(Quoted::Ends),
            b'\\' => escape(body, i + 1).map(|(c, len)| Quoted::Stands(c, 1 + len)),
            _ => Some(Quoted::Text),
        })
    }

    /// A scalar quoted at byte `at` of `line` and closed on it, `read` saying what
    /// each byte of it is (`None` for what libyaml refuses); where it ends.
    fn quoted(
        &mut self,
        line: usize,
        at: usize,
        read: impl Fn(&str, usize) -> Option<Quoted>,
    ) -> Option<usize> {
        let body = self.body(line);
        let (mut value, mut start, mut i) = (String::new(), at + 1, at + 1);
        while i < body.len() {
            match read(body, i)? {
                Quoted::Text => i += 1,
                Quoted::Stands(c, len) => {
                    value.push_str(&body[start..i]);
                    value.push(c);
                    i += len;
                    start = i;
                }
                Quoted::Ends => {
                    value.push_str(&body[start..i]);
                    self.scalar(value, false, line, at);
                    return Some(i + 1);
                }
            }
        }
        // Not closed on its line.
        None
    }

    /// A flow list or mapping closed on its line, its scalars quoted or plain words;
    /// where it ends.
    fn flow(&mut self, line: usize, at: usize) -> Option<usize> {
        let body = self.body(line);
        let bytes = body.as_bytes();
        let is_map = bytes[at] == b'{';
        let close = if is_map { b'}' } else { b']' };
        let kind = if is_map {
            Kind::MappingStart
        } else {
            Kind::SequenceStart
        };
        self.open(kind, line, at)?;
        let mut i = at + 1;
        if bytes.get(i) != Some(&close) {
            loop {
                i += indent(&body[i..]);
                let start = i;
                i = self.flow_node(line, i)?;
                if is_map {
                    if i - start > MAX_KEY || !body[i..].starts_with(": ") {
                        return None;
                    }
                    self.key()?;
                    i = self.flow_node(line, i + 2 + indent(&body[i + 2..]))?;
                }
                i += indent(&body[i..]);
                match *bytes.get(i)? {
                    b',' => i += 1,
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        self.close(is_map);
        Some(i + 1)
    }

    fn flow_node(&mut self, line: usize, at: usize) -> Option<usize> {
        match *self.body(line).as_bytes().get(at)? {
            b'"' => self.double(line, at),
            b'\'' => self.single(line, at),
            b'[' | b'{' => self.flow(line, at),
            _ => self.word(line, at),
        }
    }

    /// A plain scalar in a flow collection: a word of letters, digits and `_.@/+-`,
    /// not starting with `@`, nor with `-` unless a digit follows.
    fn word(&mut self, line: usize, at: usize) -> Option<usize> {
        let text = &self.body(line)[at..];
        let bytes = text.as_bytes();
        let starts = match bytes[0] {
            b'-' => bytes.get(1).is_some_and(u8::is_ascii_digit),
            b'@' => false,
            _ => true,
        };
        let len = bytes
            .iter()
            .take_while(|&&b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'@' | b'/' | b'+' | b'-')
            })
            .count();
        (starts && len > 0).then_some(())?;
        self.scalar(text[..len].to_owned(), true, line, at);
        Some(at + len)
    }

    /// A literal block scalar whose `|` is at byte `at` of `line`, the value of a key
    /// of the mapping at column `n`; it ends at the first line indented less than
    /// its text.
    fn literal(&mut self, line: usize, at: usize, n: usize) -> Option<()> {
        let (chomp, step) = header(&self.body(line)[at + 1..])?;
        let mut indent_of_text = step.map(|d| n + d);
        let (mut parts, mut empty, mut terminated) = (Vec::new(), 0, true);
        let mut i = line + 1;
        while i < self.lines.len() {
            let body = self.body(i);
            if body.is_empty() {
                empty += 1;
                i += 1;
                continue;
            }
            let spaces = indent(body);
            // A line of spaces only is read by rules of its own; libyaml reads those.
            if spaces == body.len() {
                return None;
            }
            let needed = *indent_of_text.get_or_insert(spaces);
            if spaces < needed {
                break;
            }
            if needed <= n {
                return None;
            }
            parts.extend(std::iter::repeat_n("", empty));
            empty = 0;
            parts.push(&body[needed..]);
            terminated = self.lines[i].ends_with('\n');
            i += 1;
        }
        if parts.is_empty() {
            return None;
        }
        let mut value = parts.join("\n");
        if chomp != Chomp::Strip && terminated {
            value.push('\n');
        }
        if chomp == Chomp::Keep {
            value.extend(std::iter::repeat_n('\n', empty));
        }
        self.scalar(value, false, line, at);
        self.at = i;
        Some(())
    }
}

/// The character the escape at byte `at` of `body` (just past its `\`) stands for, and
/// how many bytes it takes; `None` for one libyaml refuses or that goes on to the next
/// line.
fn escape(body: &str, at: usize) -> Option<(char, usize)> {
    let c = match *body.as_bytes().get(at)? {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        kind @ (b'x' | b'u' | b'U') => {
            let digits = match kind {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = body.get(at + 1..at + 1 + digits)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, 1 + digits));
        }
        _ => return None,
    };
    Some((c, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::yaml::events::Events;
    use crate::model::yaml::plain;
    use proptest::prelude::*;

    /// What libyaml reads: the nodes' events of one document read to its end.
    fn libyaml(text: &str) -> Option<Vec<Event>> {
        let mut events = Events::new(text);
        let (mut nodes, mut documents) = (Vec::new(), 0);
        for event in events.by_ref() {
            match event.kind {
                Kind::Document => documents += 1,
                Kind::Other => {}
                _ => nodes.push(event),
            }
        }
        (!events.failed() && documents == 1).then_some(nodes)
    }

    /// An event as compared: its kind, value and place (none for an `End`).
    fn shown(event: &Event) -> String {
        match &event.kind {
            Kind::Scalar { value, plain } => {
                format!(
                    "{}:{} scalar {value:?} plain={plain}",
                    event.line, event.column
                )
            }
            Kind::SequenceStart => format!("{}:{} [", event.line, event.column),
            Kind::MappingStart => format!("{}:{} {{", event.line, event.column),
            Kind::End => "end".into(),
            Kind::Alias | Kind::Document | Kind::Other => "other".into(),
        }
    }

    /// Whether `text` is read as libyaml reads it, where it is read at all.
    fn read_alike(text: &str) -> Result<bool, String> {
        let Some(ours) = events(text) else {
            return Ok(false);
        };
        let Some(theirs) = libyaml(text) else {
            return Err(format!("read, where libyaml fails:\n{text}"));
        };
        let mut open = Vec::new();
        if let Some(fault) = theirs.iter().find_map(|e| plain::fault_in(e, &mut open)) {
            return Err(format!(
                "read, where its events have a fault ({fault}):\n{text}"
            ));
        }
        let (ours, theirs): (Vec<_>, Vec<_>) = (
            ours.iter().map(shown).collect(),
            theirs.iter().map(shown).collect(),
        );
        if ours != theirs {
            return Err(format!("{text}\nours:   {ours:#?}\nlibyaml: {theirs:#?}"));
        }
        Ok(true)
    }

    /// Pieces a record's YAML is made of, each with near misses that make it something
    /// else, chosen one time in four: a key, what follows a key, a block's header and
    /// its lines.
    type Pieces = (&'static [&'static str], &'static [&'static str]);
    const KEYS: Pieces = (
        &["id", "a", "b_c", "x.y", "k-1", "2026", "on", "_z"],
        &["a b", "-k", "\"q\"", "k:v", "é", "a", "id"],
    );
    const PLAIN: Pieces = (
        &[
            "x",
            "hello world",
            "a\u{a0}b",
            "\u{a0}",
            "😀 x",
            "x 😀",
            "a:b",
            "http://x.y/z",
            "-1",
            "a #c",
            "a#b",
            "true",
            "~",
            "null",
            "0x1F",
            "x]",
            "{a",
            "é",
            "日本 語",
            "'q'",
            "\"d\"",
            "a,b",
            "a  b",
            "trail  ",
            "2026-01-01T00:00:00Z",
            "x # c: d",
        ],
        &[
            "a: b", "- x", "-", "#c", "[x]", "é: x", "x:", "?x", ":x", "%x", "@x", "`x", "!x",
            "&a", "*a", ">", "---", "...",
        ],
    );
    const QUOTED: Pieces = (
        &[
            "'a'",
            "'it''s'",
            "''",
            "'a # b'",
            "\"a\"",
            "\"\"",
            "\"\\n\\t\\\\\\\"\"",
            "\"\\x41\\u00e9\\U0001F600\"",
            "\"é\\/\"",
            "\"\\N\\_\\L\\P\\0\\e\"",
            "\"a\" # c",
        ],
        &[
            "'x",
            "'a' b",
            "'a'#c",
            "\"\\ud800\"",
            "\"\\q\"",
            "\"a",
            "\"a\": b",
            "\"\\x4\"",
            "\"\\'\"",
        ],
    );
    const FLOW: Pieces = (
        &[
            "[]",
            "{}",
            "[a, b]",
            "[\"a\", 'b']",
            "{\"k\": \"v\", \"n\": 1}",
            "{k: v}",
            "[a,b]",
            "[[a], {b: c}]",
            "{a: [1, 2]}",
            "[é, \"日\"]",
            "{\"é\": \"x\"}",
            "[-1, +2, .5]",
            "[\"😀\", a]",
            "[\"a\"  , b]",
        ],
        &[
            "[a, ]",
            "[, a]",
            "[a b]",
            "[a:b]",
            "{a:b}",
            "[a",
            "[@x]",
            "[ a ]",
            "[a] x",
            "{a: b, }",
            "{a : b}",
            "{a: 1, a: 2}",
            "{\"a\": 1, \"\\x61\": 2}",
            "{[a]: b}",
            "[&a x]",
            "[!t x]",
        ],
    );
    const BLOCK: Pieces = (
        &["|", "|-", "|+", "|2", "|2-", "|-2", "|+1", "|  "],
        &["|0", "|--", "| # c", "|x"],
    );
    const TEXT: Pieces = (
        &["t", "  t", "", "# not a comment", "a: b", "- x", "é"],
        &["   "],
    );

    /// Builds a document from `choices`, one byte per decision.
    struct Doc<'c> {
        choices: std::slice::Iter<'c, u8>,
        out: String,
    }

    impl Doc<'_> {
        fn pick(&mut self, n: usize) -> usize {
            usize::from(*self.choices.next().unwrap_or(&0)) % n
        }

        fn one(&mut self, (good, odd): Pieces) -> &'static str {
            let from = if self.pick(4) == 0 { odd } else { good };
            from[self.pick(from.len())]
        }

        fn line(&mut self, indent: usize, text: &str) {
            self.out.push_str(&" ".repeat(indent));
            self.out.push_str(text);
            match self.pick(8) {
                0 => self.out.push_str("  # note"),
                1 => self.out.push(' '),
                _ => {}
            }
            self.out.push('\n');
            match self.pick(10) {
                0 => self.out.push('\n'),
                1 => {
                    let indent = " ".repeat(self.pick(6));
                    self.out.push_str(&format!("{indent}# comment\n"));
                }
                2 => self.out.push_str("  \n"),
                _ => {}
            }
        }

        fn map(&mut self, indent: usize, depth: usize, first_prefix: Option<String>) {
            let mut prefix = first_prefix;
            for _ in 0..1 + self.pick(3) {
                let key = self.one(KEYS).to_string();
                let (start, at) = match prefix.take() {
                    Some(p) => (p, 0),
                    None => (String::new(), indent),
                };
                self.entry(start, at, indent, &key, depth);
            }
        }

        fn entry(&mut self, start: String, at: usize, indent: usize, key: &str, depth: usize) {
            let head = format!("{start}{key}:");
            match self.pick(if depth > 3 { 5 } else { 8 }) {
                kind @ 0..=2 => {
                    let value = self.one([PLAIN, QUOTED, FLOW][kind]);
                    self.line(at, &format!("{head} {value}"));
                }
                3 => {
                    let header = self.one(BLOCK);
                    self.line(at, &format!("{head} {header}"));
                    let base = indent + 1 + self.pick(3);
                    for _ in 0..self.pick(4) {
                        let text = self.one(TEXT);
                        let extra = self.pick(3);
                        self.out
                            .push_str(&format!("{}{text}\n", " ".repeat(base + extra)));
                    }
                }
                4 => self.line(at, &head),
                5 => {
                    self.line(at, &head);
                    let inner = indent + 1 + self.pick(4);
                    self.map(inner, depth + 1, None);
                }
                _ => {
                    self.line(at, &head);
                    let dash = indent + self.pick(3);
                    self.list(dash, depth + 1);
                }
            }
        }

        fn list(&mut self, dash: usize, depth: usize) {
            for _ in 0..1 + self.pick(3) {
                let gap = " ".repeat(1 + self.pick(4) / 3);
                match self.pick(5) {
                    kind @ 0..=2 => {
                        let value = self.one([PLAIN, QUOTED, FLOW][kind]);
                        self.line(dash, &format!("-{gap}{value}"));
                    }
                    _ => {
                        let inner = dash + 1 + gap.len();
                        self.out.push_str(&" ".repeat(dash));
                        self.map(inner, depth + 1, Some(format!("-{gap}")));
                    }
                }
            }
        }
    }

    fn document(choices: &[u8]) -> String {
        let mut doc = Doc {
            choices: choices.iter(),
            out: String::new(),
        };
        if doc.pick(4) == 0 {
            doc.out
                .push_str("# yaml-language-server: $schema=schema.json\n");
        }
        doc.map(0, 0, None);
        doc.out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn documents_are_read_as_libyaml_reads_them(choices in prop::collection::vec(any::<u8>(), 0..160)) {
            read_alike(&document(&choices)).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn mutated_documents_are_read_as_libyaml_reads_them(
            choices in prop::collection::vec(any::<u8>(), 0..120),
            at in any::<prop::sample::Index>(),
            edit in prop::sample::select(vec!["", " ", ":", "#", "-", "'", "\"", "\\", "|", "[", "]", "\n", "\n  ", ": ", "é", "\t", "\r", "\u{85}", "\u{feff}", "&", "*", "!"]),
            cut in 0usize..3,
        ) {
            let text = document(&choices);
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) { at -= 1; }
            let end = (at + cut).min(text.len());
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap();
            let mutated = format!("{}{edit}{}", &text[..at], &text[end..]);
            read_alike(&mutated).map_err(TestCaseError::fail)?;
        }
    }

    #[test]
    fn most_generated_documents_are_read_here() {
        // The generator must reach this reader, not only libyaml.
        let read = (0..500u32)
            .filter(|seed| {
                let mut state = u64::from(*seed) + 1;
                let choices: Vec<u8> = (0..160)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (state >> 56) as u8
                    })
                    .collect();
                read_alike(&document(&choices)).unwrap()
            })
            .count();
        assert!(read > 100, "{read} of 500");
    }

    #[test]
    fn records_as_chg_writes_them_are_read_here() {
        let record = crate::model::record::sample(crate::model::Class::Normal);
        let mut record = record;
        record.description = Some("Two lines\nand a third: with a colon\n".into());
        record.title = "It's \"quoted\" # not a comment".into();
        let text = crate::model::yaml::to_string(&record);
        assert_eq!(read_alike(&text), Ok(true), "{text}");
        let generated = "id: \"CHG-2026-0003\"\ncomponents: [\"billing\", \"report\"]\nrisk: {\"likelihood\": \"possible\", \"impact\": \"minor\"}\ntransitions:\n- from: draft\n  to: submitted\n  at: 2026-01-01T00:00:00Z\n";
        assert_eq!(read_alike(generated), Ok(true));
    }

    #[test]
    fn what_libyaml_reads_by_rules_of_its_own_is_left_to_it() {
        for text in [
            "a: 1\r\nb: 2\r\n",
            "a:\tb\n",
            "a: x\n  continued\n",
            "--- \na: 1\n",
            "a: 1\n---\nb: 2\n",
            "  a: 1\n",
            "a: |\n  x\n   \n  y\n",
            "a: >\n  folded\n",
            "a: \"two\n  lines\"\n",
            "- a\n",
            "a: &x 1\n",
            "a: b\u{2028}c\n",
        ] {
            assert!(events(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn the_limits_it_keeps_are_left_to_libyaml_past_them() {
        let keys = |n: usize| (0..n).map(|k| format!("k{k}: {k}\n")).collect::<String>();
        assert_eq!(read_alike(&keys(MAX_KEYS)), Ok(true));
        assert_eq!(read_alike(&keys(MAX_KEYS + 1)), Ok(false));
        let flow = |n: usize| {
            let keys: Vec<String> = (0..n).map(|k| format!("k{k}: {k}")).collect();
            format!("a: {{{}}}\n", keys.join(", "))
        };
        assert_eq!(read_alike(&flow(MAX_KEYS)), Ok(true));
        assert_eq!(read_alike(&flow(MAX_KEYS + 1)), Ok(false));
        // The document's mapping is one level: seven levels read here, eight not.
        let nested = |levels: usize| {
            (0..levels)
                .map(|l| format!("{}k:\n", "  ".repeat(l)))
                .collect::<String>()
        };
        assert_eq!(read_alike(&nested(MAX_DEPTH - 1)), Ok(true));
        assert_eq!(read_alike(&nested(MAX_DEPTH)), Ok(false));
        let long = |len: usize| "k".repeat(len);
        for (len, read) in [(MAX_KEY, true), (MAX_KEY + 1, false), (1025, false)] {
            let block = format!("{}: 1\n", long(len));
            assert_eq!(read_alike(&block), Ok(read), "{len}");
            let flow = format!("a: {{{}: 1}}\n", long(len));
            assert_eq!(read_alike(&flow), Ok(read), "{len}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let text = "a: [\"日本\", b, {\"é\": c}]\n";
        let events = events(text).unwrap();
        let places: Vec<_> = events.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(read_alike(text), Ok(true));
        assert_eq!(places[4], (1, 11), "{places:?}");
    }
}
