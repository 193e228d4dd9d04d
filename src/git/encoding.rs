//! Commit messages in the encoding git was told to write them in: a commit made with
//! `i18n.commitEncoding` set holds its message in that encoding and names it in an
//! `encoding` header; git converts it for display, and so does chg.

use std::borrow::Cow;

/// `bytes` decoded from the encoding `label` names (`ISO-8859-1`, `Shift_JIS`...);
/// as UTF-8, lossily, when there is no label or chg does not know it.
pub fn decode(bytes: &[u8], label: Option<&str>) -> String {
    match label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes())) {
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        None => lossy(bytes).into_owned(),
    }
}

/// `bytes` as UTF-8, each invalid sequence replaced, as `String::from_utf8_lossy`
/// gives them; checked the fast way first, as nearly all that chg reads is valid
/// and the lossy reader goes a byte at a time.
pub fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// [`lossy`] of bytes chg owns: valid, they become the text without a copy.
pub fn lossy_owned(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{decode, lossy, lossy_owned};

    #[test]
    fn the_named_encoding_decodes_and_an_unknown_one_falls_back_to_utf8() {
        assert_eq!(decode(b"caf\xe9", Some("ISO-8859-1")), "café");
        assert_eq!(decode(b"caf\xc3\xa9", None), "café");
        assert_eq!(decode(b"caf\xc3\xa9", Some("no-such-encoding")), "café");
        assert_eq!(decode(b"caf\xe9", None), "caf\u{fffd}");
        for bytes in [&b"caf\xe9 \xf0\x9f"[..], b"caf\xc3\xa9"] {
            assert_eq!(lossy(bytes), String::from_utf8_lossy(bytes));
            assert_eq!(lossy_owned(bytes.to_vec()), String::from_utf8_lossy(bytes));
        }
    }
}
