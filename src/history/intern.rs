//! One shared copy of each email address in a history: a long history names a few
//! hundred people in hundreds of thousands of commits.

use serde::{Deserialize, Deserializer};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

/// An email address as held in a history.
pub type Email = Arc<str>;

thread_local! {
    static EMAILS: RefCell<HashSet<Email>> = RefCell::new(HashSet::new());
}

/// The shared copy of `email`.
pub fn email(email: &str) -> Email {
    EMAILS.with(|set| {
        let mut set = set.borrow_mut();
        if let Some(known) = set.get(email) {
            return known.clone();
        }
        let new: Email = Arc::from(email);
        set.insert(new.clone());
        new
    })
}

/// Reads an email into its shared copy (`#[serde(deserialize_with)]`).
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Email, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(d)?;
    Ok(email(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_addresses_share_one_copy() {
        let typed = String::from("lee@example.com");
        let (a, b) = (email("lee@example.com"), email(&typed));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &email("kim@example.com")));
    }
}
