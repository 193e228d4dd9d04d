//! What a record changed outside the lifecycle verbs must still satisfy, whether a
//! person edited the file (`chg edit`) or a script set fields by name (`chg set`).

use super::{accept_edit, Actor};
use crate::model::{ChangeId, ChangeRecord};
use crate::policy::emergency::authorized_by;
use crate::policy::Policy;

/// Why a changed record may not be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The record does not hold together (a renamed change, a broken history, the
    /// approved content of a started change): an input error.
    Invalid(String),
    /// The policy refuses what it says (someone who may not authorise an emergency).
    Refused(String),
}

/// Vets `after`, the record `id` changed from `before` (`None` when the old text
/// did not parse). On success, returns what the change did to the lifecycle, if
/// anything: an approved or scheduled change whose approvals went stale is submitted
/// again.
pub fn vet(
    id: &ChangeId,
    before: Option<&ChangeRecord>,
    after: &mut ChangeRecord,
    policy: &Policy,
    actor: &Actor,
) -> Result<Option<String>, Rejection> {
    if &after.id != id {
        return Err(Rejection::Invalid(format!(
            "the id was changed to {}; an edit cannot rename a change",
            after.id
        )));
    }
    // A name the record already held is left to rule P011: a change elsewhere
    // must not be refused for it.
    let earlier = before.map_or(&[][..], authorized_by);
    if let Some(problem) = policy.refused_authorisers(after.class, authorized_by(after), earlier) {
        return Err(Rejection::Refused(format!(
            "emergency.authorized_by: {problem}"
        )));
    }
    // As above, a problem the record already had is left to rule R010.
    let held = before.map(|b| policy.undeclared(b)).unwrap_or_default();
    let new: Vec<String> = (policy.undeclared(after).into_iter())
        .filter(|p| !held.contains(p))
        .collect();
    if !new.is_empty() {
        return Err(Rejection::Invalid(new.join("; ")));
    }
    accept_edit(before, after, policy, actor).map_err(Rejection::Invalid)
}
