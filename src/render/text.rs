//! Text from records, freezes and commit messages is anyone's: whoever opens a pull
//! request writes it. Before it reaches a terminal, a table or a spreadsheet it
//! passes through here, so that what a reviewer sees is what the file says.

use std::borrow::Cow;
use std::fmt;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls and DEL (they
/// move the cursor, hide or recolour text), line and paragraph separators, the
/// bidirectional marks and overrides that reorder what is shown, and the characters
/// that show as nothing (zero-width spaces and joiners, the soft hyphen, the byte
/// order mark), which disguise one text as another.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character that could hide or disguise what is printed spelled
/// out visibly: ESC as `\e`, tab as `\t`, CR as `\r`, any other as `\u{…}`. Newlines
/// stay, so that a multi-line description still reads as lines.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && hidden(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\u{1b}' => out.push_str("\\e"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Displays its text through [`escape`], for `format!` and status lines.
pub struct Shown<'a>(pub &'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

/// The cells of a table row, each through [`escape`].
pub fn escaped<const N: usize>(cells: [String; N]) -> [String; N] {
    cells.map(|c| escape(&c).into_owned())
}

/// A CSV cell a spreadsheet will not run as a formula: `=HYPERLINK(...)` in a title
/// must stay text. A leading quote makes any such cell plain text; a lone `-`, what
/// chg writes for "none", is text already.
pub fn inert(cell: &str) -> String {
    if cell != "-" && cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_spelled_out_and_newlines_kept() {
        assert_eq!(
            escape("Add index\u{1b}[8m; DROP TABLE audit_log\u{1b}[0m"),
            "Add index\\e[8m; DROP TABLE audit_log\\e[0m"
        );
        assert_eq!(escape("a\r\tb\u{7}\u{9b}"), "a\\r\\tb\\u{7}\\u{9b}");
        assert_eq!(
            escape("x\u{202e}y\u{2066}\u{2028}"),
            "x\\u{202e}y\\u{2066}\\u{2028}"
        );
        assert_eq!(escape("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(escape("line one\nline two"), "line one\nline two");
        assert!(matches!(escape("plain — text ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn formula_cells_become_text() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(cell), format!("'{cell}"));
        }
        assert_eq!(inert("Add index"), "Add index");
        assert_eq!(inert("-"), "-");
    }
}
