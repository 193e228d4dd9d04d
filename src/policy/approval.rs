//! Which roles must approve a change, and where its approvals stand.

use super::quorum::Quorum;
use super::{Need, Policy, DEFAULT_APPROVER_ROLE};
use crate::model::record::same_email;
use crate::model::record::Approval;
use crate::model::RiskLevel;
use crate::model::{digest, ChangeRecord, Decision};
use std::fmt;

/// Why a change needs no approver at all, if it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Waiver {
    /// The class is pre-approved (standard changes).
    PreApproved,
    /// The risk level is one the policy auto-approves (seed 002: low risk).
    AutoApproved,
}

/// Where a record's approvals stand under the policy, against its current content.
#[derive(Debug, Clone)]
pub struct ApprovalState<'a> {
    pub waiver: Option<Waiver>,
    /// Each required entry (the class's, plus those its risk level, author and impact
    /// areas add) with the approvals that count towards it.
    pub standings: Vec<Standing<'a>>,
    /// Approvals given to the content as it is now.
    pub current: Vec<&'a Approval>,
    /// Approvals given to content that has since changed.
    pub stale: Vec<&'a Approval>,
    /// Current approvals that do not count towards a requirement, and why.
    pub discounted: Vec<(&'a Approval, String)>,
    /// A declared risk level below the derived one that no risk authority has
    /// accepted, `(declared, derived)`: the roles above are the derived level's.
    pub unaccepted: Option<(RiskLevel, RiskLevel)>,
}

impl ApprovalState<'_> {
    pub fn is_complete(&self) -> bool {
        self.standings.iter().all(Standing::is_met)
    }

    /// The requirements not yet met, each with what it has so far, for messages.
    pub fn missing(&self) -> Vec<String> {
        (self.standings.iter())
            .filter(|s| !s.is_met())
            .map(Standing::to_string)
            .collect()
    }
}

/// One required entry and the current approvals that count towards it.
#[derive(Debug, Clone)]
pub struct Standing<'a> {
    pub need: Quorum,
    pub by: Vec<&'a Approval>,
}

impl Standing<'_> {
    pub fn is_met(&self) -> bool {
        self.by.len() >= self.need.count
    }

    /// Whether `email` already counts towards it: a quorum counts each person once.
    pub fn counts(&self, email: &str) -> bool {
        self.by.iter().any(|a| same_email(&a.by, email))
    }
}

/// `cab`, or with approvals but short of its count, `2 of cab: 1 of 2 (lee@x)`.
impl fmt::Display for Standing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.need)?;
        if self.by.is_empty() || self.is_met() {
            return Ok(());
        }
        let who: Vec<&str> = self.by.iter().map(|a| a.by.as_str()).collect();
        let (n, of) = (self.by.len(), self.need.count);
        write!(f, ": {n} of {of} ({})", who.join(", "))
    }
}

/// Required roles for `record`, or why none are. Roles its author's role calls for
/// (`[approvals.by_author]`) and those its declared impact areas call for
/// (`[approvals.by_impact]`) are never waived. The risk level is the one that counts
/// ([`Policy::risk_level`]); above the class's `max_risk` it waives nothing, and when
/// the class and that level then name nobody, the risk authority (else `approver`) is
/// owed.
pub fn requirement(record: &ChangeRecord, policy: &Policy) -> (Option<Waiver>, Vec<Quorum>) {
    let rules = policy.class(record.class);
    let never_waived: Vec<Quorum> = policy
        .approvals
        .by_author
        .iter()
        .filter(|(role, _)| policy.is_member(role, record.author_email()))
        .flat_map(|(_, roles)| roles.iter().cloned())
        .chain(policy.roles_by_impact(record))
        .collect();
    let level = policy.risk_level(record);
    let over_cap = level.zip(rules.max_risk).is_some_and(|(l, cap)| l > cap);
    let waiver = if over_cap {
        None
    } else if rules.pre_approved {
        Some(Waiver::PreApproved)
    } else if level.is_some_and(|l| rules.auto_approve.contains(&l)) {
        Some(Waiver::AutoApproved)
    } else {
        None
    };
    if waiver.is_some() {
        return (
            waiver.filter(|_| never_waived.is_empty()),
            each_once(never_waived),
        );
    }
    let risk_roles = level.and_then(|l| rules.by_risk.get(&l)).cloned();
    let mut owed: Vec<Quorum> = rules
        .approvals
        .into_iter()
        .chain(risk_roles.into_iter().flatten())
        .collect();
    if owed.is_empty() && over_cap {
        owed = match policy.risk.authority.as_slice() {
            [] => vec![Quorum::one(DEFAULT_APPROVER_ROLE)],
            authority => authority.iter().map(|r| Quorum::one(r)).collect(),
        };
    }
    (None, each_once(owed.into_iter().chain(never_waived)))
}

/// `items` in order, each once.
pub fn each_once<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The approvals that counted for `before` and went stale in `after`, its changed
/// content.
pub fn made_stale<'a>(
    before: &ChangeRecord,
    after: &'a ChangeRecord,
    policy: &Policy,
) -> Vec<&'a Approval> {
    let was = state(before, policy).current;
    let now = state(after, policy).stale;
    now.into_iter().filter(|a| was.contains(a)).collect()
}

pub fn state<'a>(record: &'a ChangeRecord, policy: &Policy) -> ApprovalState<'a> {
    state_digested(record, || digest::of(record), policy)
}

/// The approvals granted on `record`: those compared with its digest.
fn granted(record: &ChangeRecord) -> impl Iterator<Item = &Approval> {
    (record.approvals.iter()).filter(|a| a.decision == Decision::Approved)
}

/// Whether [`state`] of `record` asks its digest: only an approval granted is
/// compared with it.
pub fn asks_digest(record: &ChangeRecord) -> bool {
    granted(record).next().is_some()
}

/// [`state`] of a record whose content's digest `digest` gives (worked out already,
/// or when first asked): a record with no approval given never asks it.
pub fn state_digested<'a, D: AsRef<str>>(
    record: &'a ChangeRecord,
    digest: impl FnOnce() -> D,
    policy: &Policy,
) -> ApprovalState<'a> {
    let (waiver, required) = requirement(record, policy);
    let (current, stale): (Vec<&Approval>, Vec<&Approval>) = match asks_digest(record) {
        true => {
            let digest = digest();
            granted(record).partition(|a| a.digest.as_deref() == Some(digest.as_ref()))
        }
        false => Default::default(),
    };
    let mut standings: Vec<Standing> = (required.into_iter())
        .map(|need| Standing {
            need,
            by: Vec::new(),
        })
        .collect();
    let discounted = fill(&mut standings, &current, policy);
    ApprovalState {
        waiver,
        standings,
        current,
        stale,
        discounted,
        unaccepted: policy.risk_standing(record).unaccepted,
    }
}

/// Counts `current` approvals, earliest first, towards the `standings` not yet met
/// that admit their role (the one with the fewest alternatives first, so an approval
/// fills "ciso" before "cto or ciso"); returns those the policy does not count: one
/// without the rationale `[approvals] comment = "required"` asks for (seed 002 Gate
/// 3), a second from the same person towards one quorum, and, under
/// `distinct_approvers`, one from someone who already fills another requirement
/// (seed 001 §4.3: two reviewers are two people).
fn fill<'a>(
    standings: &mut [Standing<'a>],
    current: &[&'a Approval],
    policy: &Policy,
) -> Vec<(&'a Approval, String)> {
    let mut discounted = Vec::new();
    let mut in_order = current.to_vec();
    in_order.sort_by_key(|a| a.at);
    for a in in_order {
        let blank = a.comment.as_deref().is_none_or(|c| c.trim().is_empty());
        let open = |s: &Standing| s.need.admits(&a.role) && !s.is_met();
        if policy.approvals.comment == Need::Required && blank {
            discounted.push((a, "it gives no rationale (`--comment`)".to_string()));
            continue;
        }
        let Some(first) = standings.iter().position(open) else {
            continue;
        };
        let fresh = (0..standings.len())
            .filter(|&i| open(&standings[i]) && !standings[i].counts(&a.by))
            .min_by_key(|&i| standings[i].need.roles.len());
        let elsewhere =
            policy.approvals.distinct_approvers && standings.iter().any(|s| s.counts(&a.by));
        let why = match fresh {
            None => format!(
                "its approver already counts towards `{}`",
                standings[first].need
            ),
            Some(_) if elsewhere => "its approver already fills another role".to_string(),
            Some(i) => {
                standings[i].by.push(a);
                continue;
            }
        };
        discounted.push((a, why));
    }
    discounted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::record::approve;
    use crate::model::{Class, Impact, Likelihood};

    fn record(class: Class) -> ChangeRecord {
        let mut r = crate::model::record::sample(class);
        r.risk.likelihood = Some(Likelihood::Likely);
        r.risk.impact = Some(Impact::Major); // high
        r
    }

    const POLICY: &str = r#"
        [roles]
        lead = ["lee@x"]
        security = ["sam@x"]
        [classes.normal]
        approvals = ["lead"]
        [approvals]
        auto_approve = ["low"]
        [approvals.by_risk]
        high = ["security", "lead"]
    "#;

    #[test]
    fn required_roles_are_the_class_s_and_the_risk_level_s() {
        let policy = Policy::from_toml(POLICY).unwrap();
        assert_eq!(
            requirement(&record(Class::Normal), &policy),
            (None, vec!["lead".into(), "security".into()])
        );
        assert_eq!(
            requirement(&record(Class::Standard), &policy).0,
            Some(Waiver::PreApproved)
        );
        let mut low = record(Class::Normal);
        low.risk.likelihood = Some(Likelihood::Rare);
        low.risk.impact = Some(Impact::Minor);
        assert_eq!(
            requirement(&low, &policy),
            (Some(Waiver::AutoApproved), vec![])
        );
    }

    #[test]
    fn an_approval_goes_stale_when_the_content_changes() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = record(Class::Normal);
        for role in ["lead", "security"] {
            approve(&mut r, role, &format!("{role}@x"), None);
        }
        assert!(state(&r, &policy).is_complete());
        r.description = Some("edited after approval".into());
        let s = state(&r, &policy);
        assert_eq!(s.stale.len(), 2);
        assert_eq!(s.missing(), ["lead", "security"]);
    }

    #[test]
    fn one_person_in_two_roles_or_an_approval_without_rationale_does_not_count() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = record(Class::Normal);
        approve(&mut r, "lead", "lee@x", Some("fine"));
        approve(&mut r, "security", "lee@x", Some("fine"));
        let s = state(&r, &policy);
        assert_eq!(s.missing(), ["security"]);
        assert_eq!(s.discounted.len(), 1);
        let lenient = Policy::from_toml(
            &POLICY.replace("[approvals]", "[approvals]\ndistinct_approvers = false"),
        )
        .unwrap();
        assert!(state(&r, &lenient).is_complete());

        let strict = POLICY.replace("[approvals]", "[approvals]\ncomment = \"required\"");
        let strict = Policy::from_toml(&strict).unwrap();
        let mut r = record(Class::Normal);
        approve(&mut r, "lead", "lee@x", None);
        approve(
            &mut r,
            "security",
            "sam@x",
            Some("checked the threat model"),
        );
        assert_eq!(state(&r, &strict).missing(), ["lead"]);
    }

    #[test]
    fn a_class_can_replace_the_risk_driven_approvals() {
        let text = format!("{POLICY}[classes.emergency]\nauto_approve = []\napprovals = [\"lead\"]\n[classes.emergency.by_risk]\n");
        let policy = Policy::from_toml(&text).unwrap();
        let mut low = record(Class::Emergency);
        low.risk.likelihood = Some(Likelihood::Rare);
        low.risk.impact = Some(Impact::Minor);
        assert_eq!(requirement(&low, &policy), (None, vec!["lead".into()]));
        // High risk adds nobody to an emergency: its own by_risk table is empty.
        assert_eq!(
            requirement(&record(Class::Emergency), &policy),
            (None, vec!["lead".into()])
        );
        low.class = Class::Normal;
        assert_eq!(requirement(&low, &policy).0, Some(Waiver::AutoApproved));
    }

    #[test]
    fn a_declared_impact_area_calls_for_approvers_no_waiver_removes() {
        let text = POLICY.to_string() + "[approvals.by_impact]\nsecurity = [\"security\"]\n";
        let policy = Policy::from_toml(&text).unwrap();
        let mut r = record(Class::Standard);
        r.impact_areas = vec!["security".into()];
        assert_eq!(requirement(&r, &policy), (None, vec!["security".into()]));
    }

    #[test]
    fn an_author_s_role_can_call_for_approvers_no_waiver_removes() {
        let text = POLICY.replace("[roles]\n", "[roles]\n        agent = [\"bot@x\"]\n")
            + "[approvals.by_author]\nagent = [\"lead\"]\n";
        let policy = Policy::from_toml(&text).unwrap();
        let mut r = record(Class::Standard);
        assert_eq!(requirement(&r, &policy).0, Some(Waiver::PreApproved));
        r.author = "Foreman <bot@x>".into();
        assert_eq!(requirement(&r, &policy), (None, vec!["lead".into()]));
        r.class = Class::Normal;
        assert_eq!(
            requirement(&r, &policy),
            (None, vec!["lead".into(), "security".into()])
        );
    }

    #[test]
    fn a_requester_cannot_lower_the_level_approvals_are_owed_for() {
        let policy = Policy::from_toml(POLICY).unwrap();
        let mut r = record(Class::Normal);
        r.risk.level = Some(crate::model::RiskLevel::Low);
        r.risk.justification = Some("trust me".into());
        assert_eq!(
            requirement(&r, &policy),
            (None, vec!["lead".into(), "security".into()])
        );
        assert!(state(&r, &policy).unaccepted.is_some());
    }

    #[test]
    fn above_its_max_risk_a_pre_approved_class_owes_approvals() {
        let capped = format!("{POLICY}[classes.standard]\nmax_risk = \"low\"\n");
        let policy = Policy::from_toml(&capped).unwrap();
        // High: the class names nobody, the level adds its roles.
        assert_eq!(
            requirement(&record(Class::Standard), &policy),
            (None, vec!["security".into(), "lead".into()])
        );
        // Medium: nobody at all, so the risk authority, else `approver`.
        let mut medium = record(Class::Standard);
        medium.risk.likelihood = Some(Likelihood::Possible);
        medium.risk.impact = Some(Impact::Moderate);
        assert_eq!(
            requirement(&medium, &policy),
            (None, vec![DEFAULT_APPROVER_ROLE.into()])
        );
        let with_authority =
            Policy::from_toml(&format!("{capped}[risk]\nauthority = [\"lead\"]\n")).unwrap();
        assert_eq!(
            requirement(&medium, &with_authority),
            (None, vec!["lead".into()])
        );
        let mut low = medium;
        low.risk.likelihood = Some(Likelihood::Rare);
        low.risk.impact = Some(Impact::Minor);
        assert_eq!(
            requirement(&low, &policy),
            (Some(Waiver::PreApproved), vec![])
        );
    }

    const BOARD: &str = r#"
        [roles]
        cab = ["ada@x", "lee@x", "sam@x"]
        cto = ["cy@x"]
        ciso = ["ci@x"]
        [classes.normal]
        approvals = ["2 of cab", "cto or ciso"]
    "#;

    #[test]
    fn any_of_several_roles_is_filled_by_one_approval_in_either() {
        let policy = Policy::from_toml(BOARD).unwrap();
        for (role, who) in [("cto", "cy@x"), ("ciso", "ci@x")] {
            let mut r = record(Class::Normal);
            approve(&mut r, role, who, None);
            let s = state(&r, &policy);
            assert!(s.standings[1].is_met(), "{role}");
            assert_eq!(s.missing(), ["2 of cab"]);
        }
    }

    #[test]
    fn a_quorum_counts_distinct_people_and_says_how_far_it_got() {
        let policy = Policy::from_toml(BOARD).unwrap();
        let mut r = record(Class::Normal);
        approve(&mut r, "ciso", "ci@x", None);
        approve(&mut r, "cab", "lee@x", None);
        approve(&mut r, "cab", "LEE@x", None);
        let s = state(&r, &policy);
        assert_eq!(s.missing(), ["2 of cab: 1 of 2 (lee@x)"]);
        assert_eq!(s.discounted.len(), 1);
        assert!(s.discounted[0]
            .1
            .contains("already counts towards `2 of cab`"));
        approve(&mut r, "cab", "ada@x", None);
        assert!(state(&r, &policy).is_complete());
    }
}
