//! Builds a value from the events [`super::plain::read`] vetted, by the rules serde_yaml
//! builds it by from the same libyaml events, so that a record is parsed once rather
//! than once to vet it and again to build it.
//!
//! Only the plain data a record may hold arrives here (no anchors, aliases or tags).
//! Anything this builder does not take (a type mismatch, a missing field, a value out
//! of range: any error) it gives up on, and serde_yaml builds the document instead, to
//! say what is wrong in its own words. So the two can differ only in a value built
//! where both succeed, which the property tests compare.

use super::events::{Event, Kind};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;
use std::iter::Peekable;
use std::num::ParseIntError;

/// `events` built into a `T`, or `None` where serde_yaml must build it.
pub fn build<T: DeserializeOwned>(events: Vec<Event>) -> Option<T> {
    let mut builder = Builder {
        events: events.into_iter().peekable(),
    };
    let value = T::deserialize(&mut builder).ok()?;
    builder.events.next().is_none().then_some(value)
}

/// Why the builder gave up; serde_yaml says it better.
#[derive(Debug)]
struct GaveUp;

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_yaml")
    }
}

impl std::error::Error for GaveUp {}

impl de::Error for GaveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GaveUp
    }
}

type Result<T> = std::result::Result<T, GaveUp>;

/// Deserializer methods `names` that do what the method `as_` does.
macro_rules! read_as {
    ($as_:ident: $($name:ident)*) => {$(
        fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.$as_(visitor)
        }
    )*};
}

struct Builder {
    events: Peekable<std::vec::IntoIter<Event>>,
}

impl Builder {
    /// What a record never holds: serde_yaml says what it makes of it.
    fn give_up<'de, V: Visitor<'de>>(&mut self, _: V) -> Result<V::Value> {
        Err(GaveUp)
    }

    fn next(&mut self) -> Result<Kind> {
        self.events.next().map(|e| e.kind).ok_or(GaveUp)
    }

    fn peek(&mut self) -> Result<&Kind> {
        self.events.peek().map(|e| &e.kind).ok_or(GaveUp)
    }

    /// The next scalar, written plain, or nothing.
    fn plain(&mut self) -> Result<String> {
        match self.next()? {
            Kind::Scalar { value, plain: true } => Ok(value),
            _ => Err(GaveUp),
        }
    }

    /// The items of the sequence or mapping that comes next (`opens` knows its start),
    /// given to `visit`. An empty plain scalar stands for an empty one, as serde_yaml
    /// reads `components:` with nothing after it.
    fn items<T>(
        &mut self,
        opens: fn(&Kind) -> bool,
        visit: impl FnOnce(Items) -> Result<T>,
    ) -> Result<T> {
        let kind = self.next()?;
        if matches!(&kind, Kind::Scalar { value, plain: true } if value.is_empty()) {
            return visit(Items {
                builder: self,
                empty: true,
            });
        }
        if !opens(&kind) {
            return Err(GaveUp);
        }
        let value = visit(Items {
            builder: self,
            empty: false,
        })?;
        match self.next()? {
            Kind::End => Ok(value),
            _ => Err(GaveUp),
        }
    }
}

fn opens_sequence(kind: &Kind) -> bool {
    matches!(kind, Kind::SequenceStart)
}

fn opens_mapping(kind: &Kind) -> bool {
    matches!(kind, Kind::MappingStart)
}

/// A plain scalar YAML reads as null.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits after a leading zero (`007`): text in YAML 1.2, not a number.
fn zero_led_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

type Radix<T> = fn(&str, u32) -> std::result::Result<T, ParseIntError>;

const PREFIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

/// `text` without a leading `+`; `None` when another sign follows that one.
fn without_plus(text: &str) -> Option<&str> {
    match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => None,
        Some(rest) => Some(rest),
        None => Some(text),
    }
}

/// A whole number in base 16, 8 or 2 after its prefix (`0x1F`), with no sign after it.
fn prefixed<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let (prefix, radix) = PREFIXES.iter().find(|(p, _)| text.starts_with(p))?;
    let digits = &text[prefix.len()..];
    if digits.starts_with(['+', '-']) {
        return None;
    }
    parse(digits, *radix).ok()
}

/// A negative whole number in base 16, 8 or 2 (`-0x1F`).
fn negative_prefixed<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let rest = text.strip_prefix('-')?;
    let (prefix, radix) = PREFIXES.iter().find(|(p, _)| rest.starts_with(p))?;
    parse(&format!("-{}", &rest[prefix.len()..]), *radix).ok()
}

// In the three readers of whole numbers below, text with a base prefix that does not
// parse falls through to base 10, which refuses it too.

fn unsigned<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let rest = text.strip_prefix('+').unwrap_or(text);
    if let Some(n) = prefixed(rest, parse) {
        return Some(n);
    }
    if rest.starts_with(['+', '-']) || zero_led_digits(text) {
        return None;
    }
    parse(rest, 10).ok()
}

fn signed<T>(text: &str, parse: Radix<T>) -> Option<T> {
    let rest = without_plus(text)?;
    if let Some(n) = prefixed(rest, parse).or_else(|| negative_prefixed(text, parse)) {
        return Some(n);
    }
    if zero_led_digits(text) {
        return None;
    }
    parse(rest, 10).ok()
}

fn negative<T>(text: &str, parse: Radix<T>) -> Option<T> {
    if let Some(n) = negative_prefixed(text, parse) {
        return Some(n);
    }
    if zero_led_digits(text) {
        return None;
    }
    parse(text, 10).ok()
}

fn float(text: &str) -> Option<f64> {
    let rest = without_plus(text)?;
    if matches!(rest, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(text, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    rest.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A plain scalar as YAML's core schema reads it: null, a boolean, a number or text.
fn untagged<'de, V: Visitor<'de>>(text: String, visitor: V) -> Result<V::Value> {
    if is_null(&text) {
        return visitor.visit_unit();
    }
    if let Some(b) = boolean(&text) {
        return visitor.visit_bool(b);
    }
    if let Some(n) = unsigned(&text, u64::from_str_radix) {
        return visitor.visit_u64(n);
    }
    if let Some(n) = negative(&text, i64::from_str_radix) {
        return visitor.visit_i64(n);
    }
    if let Some(n) = unsigned(&text, u128::from_str_radix) {
        return visitor.visit_u128(n);
    }
    if let Some(n) = negative(&text, i128::from_str_radix) {
        return visitor.visit_i128(n);
    }
    if !zero_led_digits(&text) {
        if let Some(f) = float(&text) {
            return visitor.visit_f64(f);
        }
    }
    visitor.visit_string(text)
}

impl<'de> de::Deserializer<'de> for &mut Builder {
    type Error = GaveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek()? {
            Kind::SequenceStart => return self.deserialize_seq(visitor),
            Kind::MappingStart => return self.deserialize_map(visitor),
            _ => {}
        }
        match self.next()? {
            Kind::Scalar { value, plain: true } => untagged(value, visitor),
            Kind::Scalar { value, .. } => visitor.visit_string(value),
            _ => Err(GaveUp),
        }
    }

    // Narrower numbers are read as the widest, whose range the visitor checks; a
    // character and a name are read as text; bytes are never in a record.
    read_as!(deserialize_i64: deserialize_i8 deserialize_i16 deserialize_i32);
    read_as!(deserialize_u64: deserialize_u8 deserialize_u16 deserialize_u32);
    read_as!(deserialize_f64: deserialize_f32);
    read_as!(deserialize_str: deserialize_char deserialize_string deserialize_identifier);
    read_as!(give_up: deserialize_bytes deserialize_byte_buf);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_bool(boolean(&self.plain()?).ok_or(GaveUp)?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i64(signed(&self.plain()?, i64::from_str_radix).ok_or(GaveUp)?)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i128(signed(&self.plain()?, i128::from_str_radix).ok_or(GaveUp)?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(unsigned(&self.plain()?, u64::from_str_radix).ok_or(GaveUp)?)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u128(unsigned(&self.plain()?, u128::from_str_radix).ok_or(GaveUp)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(float(&self.plain()?).ok_or(GaveUp)?)
    }

    /// Any scalar is text, however it is written: `title: 12` is the title "12".
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.next()? {
            Kind::Scalar { value, .. } => visitor.visit_string(value),
            _ => Err(GaveUp),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let none = match self.peek()? {
            Kind::Scalar { value, plain } => *plain && is_null(value),
            Kind::SequenceStart | Kind::MappingStart => false,
            _ => return Err(GaveUp),
        };
        if none {
            self.next()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if is_null(&self.plain()?) {
            visitor.visit_unit()
        } else {
            Err(GaveUp)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.items(opens_sequence, |items| visitor.visit_seq(items))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.items(opens_mapping, |items| visitor.visit_map(items))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    /// A unit variant, written as its name (`class: normal`); any other shape is left
    /// to serde_yaml.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.next()? {
            Kind::Scalar { value, .. } => visitor.visit_enum(value.into_deserializer()),
            _ => Err(GaveUp),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let mut open = 0usize;
        loop {
            match self.next()? {
                Kind::SequenceStart | Kind::MappingStart => open += 1,
                Kind::End => open = open.checked_sub(1).ok_or(GaveUp)?,
                _ => {}
            }
            if open == 0 {
                return visitor.visit_unit();
            }
        }
    }
}

/// The items of an open sequence or mapping, up to its end; none when it is empty.
struct Items<'a> {
    builder: &'a mut Builder,
    empty: bool,
}

impl Items<'_> {
    /// The next item (or key) built by `seed`; none at the end.
    fn next<'de, T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.empty || matches!(self.builder.peek()?, Kind::End) {
            return Ok(None);
        }
        seed.deserialize(&mut *self.builder).map(Some)
    }
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = GaveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.next(seed)
    }
}

impl<'de> de::MapAccess<'de> for Items<'_> {
    type Error = GaveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        self.next(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.builder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::field_value::FieldValue;
    use crate::model::ChangeRecord;

    fn built<T: DeserializeOwned>(text: &str) -> Option<T> {
        build(super::super::plain::read(text).unwrap().unwrap())
    }

    /// The builder must take what records hold, or every record is parsed twice again.
    #[test]
    fn a_record_is_built_without_serde_yaml() {
        let text = "id: CHG-2026-0001\ntitle: '12'\nclass: normal\nstatus: approved\n\
            created_at: 2026-11-20T09:00:00Z\nauthor: Ada <ada@example.com>\n\
            description: |\n  Two\n  lines\ncomponents: [api]\nenvironments:\n\
            tenants: [a, b]\ntest_plan: ~\nrisk: {likelihood: likely, factors: {data: 2}}\n\
            fields: {cost: 12.5, ok: true, n: -3, code: '007', plain: 007}\n\
            approvals:\n- role: approver\n  by: lee@example.com\n  at: 2026-11-21T09:00:00Z\n  decision: approved\n  digest: abc\n";
        let record: ChangeRecord = built(text).expect("built");
        assert_eq!(record.title, "12");
        assert_eq!(record.description.as_deref(), Some("Two\nlines\n"));
        assert!(record.environments.is_empty() && record.test_plan.is_none());
        assert_eq!(record.fields["cost"], FieldValue::Decimal(12.5));
        assert_eq!(record.fields["ok"], FieldValue::Flag(true));
        assert_eq!(record.fields["n"], FieldValue::Whole(-3));
        assert_eq!(record.fields["code"], FieldValue::Text("007".into()));
        assert_eq!(record.fields["plain"], FieldValue::Text("007".into()));
        assert_eq!(record.approvals.len(), 1);
    }

    #[test]
    fn what_does_not_fit_is_left_to_serde_yaml() {
        // An unknown field, a missing one, a number where text is expected in a list.
        assert!(built::<ChangeRecord>("id: CHG-2026-0001\nnope: 1\n").is_none());
        assert!(built::<ChangeRecord>("id: CHG-2026-0001\n").is_none());
        assert!(built::<FieldValue>("[1]").is_none());
        assert!(built::<u8>("300").is_none());
        assert_eq!(built::<u8>("0x1F"), Some(31));
        assert_eq!(built::<i64>("-0o17"), Some(-15));
    }
}
