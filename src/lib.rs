//! chg: a git-native change register.
//!
//! One YAML record per change under `.changes/`, a policy in `.changes.toml`. The
//! layers, from the inside out: [`model`] is the record format, pure data with no I/O;
//! [`policy`] reads `.changes.toml` and answers questions about a record under it
//! (derived risk, what is missing); [`store`] reads and writes records atomically and
//! allocates IDs; [`git`] is the only module that touches git2; [`render`] is the only
//! place that formats output; [`cli`] parses arguments and calls the rest, one thin
//! handler per subcommand. A [`context::Context`] carries the repository, policy and
//! clock into each handler, so nothing reads global state.

/// Implements `Serialize`/`Deserialize` through `Display`/`FromStr`, for the value
/// types that records and policies write as plain strings. The text is parsed while
/// the deserializer is on it, so that a bad value is reported at its own place.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_via_str {
    ($($t:ty),+) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::FromStrVisitor(std::marker::PhantomData))
            }
        }
    )+};
}

/// Reads a string into a `T` through `FromStr`, for [`serde_via_str`].
#[doc(hidden)]
pub struct FromStrVisitor<T>(pub std::marker::PhantomData<T>);

impl<T: std::str::FromStr<Err: std::fmt::Display>> serde::de::Visitor<'_> for FromStrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

pub mod adr;
pub mod audit;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod clock;
pub mod context;
pub mod doctor;
pub mod error;
pub mod followup;
pub mod git;
pub mod history;
pub mod hook;
pub mod metrics;
pub mod model;
pub mod notes;
pub mod policy;
pub mod progress;
pub mod render;
pub mod rules;
pub mod schedule;
pub mod schema;
pub mod store;
pub mod threads;
pub mod timeline;
pub mod untrusted;
pub mod view;
pub mod window;
pub mod workflow;
