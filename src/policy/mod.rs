//! `.changes.toml`: the team's change policy (SPEC §2.3).
//!
//! Every key has a default, so a missing or empty file is a valid policy. Unknown keys
//! are errors with their location, because a misspelt key would otherwise quietly
//! loosen the policy.

pub mod acceptance;
pub mod approval;
pub mod duration;
pub mod emergency;
pub mod fields;
pub mod gates;
pub mod impact;
pub mod links;
pub mod moves;
pub mod notes;
pub mod preset;
pub mod quorum;
pub mod recurring;
pub mod requirement;
pub mod review;
pub mod risk;
pub mod target;
pub mod windows;
pub mod zone;

use crate::error::Failure;
use crate::model::{Class, RiskLevel};
use anyhow::Result;
use duration::PolicyDuration;
use gates::GateTable;
use moves::MoveRoles;
use quorum::Quorum;
use risk::RiskPolicy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use windows::Windows;
use zone::Zone;

/// The policy file's name at the repository root.
pub const FILE_NAME: &str = ".changes.toml";

/// Every policy key, documented: what `chg init --example` prints.
pub const EXAMPLE: &str = include_str!("../../.changes.example.toml");

/// Where the signers file is unless `[approvals] signers` says otherwise.
pub const DEFAULT_SIGNERS: &str = ".changes.signers";

/// `pattern` compiled, once per process for the first few patterns: a check reads
/// the policy of the work tree and of history, validating and using the same patterns
/// each time, and the reference pattern's Unicode classes take a millisecond to compile.
fn compiled(pattern: &str) -> Result<regex::Regex, regex::Error> {
    static KNOWN: Mutex<Vec<(String, regex::Regex)>> = Mutex::new(Vec::new());
    let known = || KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, regex)) = known().iter().find(|(text, _)| text == pattern) {
        return Ok(regex.clone());
    }
    let regex = regex::Regex::new(pattern)?;
    // Each version of a policy in history may bring its own: the first few are kept,
    // and later ones compiled where they are used, as before.
    let mut known = known();
    if known.len() < 16 {
        known.push((pattern.to_owned(), regex.clone()));
    }
    Ok(regex)
}

/// Role that means "anyone": every class approval defaults to it.
pub const DEFAULT_APPROVER_ROLE: &str = "approver";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    pub changes: ChangesSection,
    /// Role name → members (emails); `"*"` means anyone. Merged over the default
    /// roles (`approver`, `release-manager`, both anyone), so defining one role does
    /// not silently remove the others the defaults refer to.
    pub roles: BTreeMap<String, Vec<String>>,
    pub classes: Classes,
    /// Move → the roles that may make it (seed 002 §9.3, seed 004 §5.4, §5.6); a move
    /// left out is open to anyone. See [`moves`].
    pub moves: MoveRoles,
    pub risk: RiskPolicy,
    pub approvals: ApprovalPolicy,
    pub commits: CommitPolicy,
    pub adr: AdrPolicy,
    pub windows: Windows,
    pub deployments: DeploymentPolicy,
    pub freeze: FreezePolicy,
    /// `[post_review]`: reviews owed whatever the class (seed 000 §10).
    pub post_review: PostReviewPolicy,
    pub metrics: target::MetricsPolicy,
    pub notes: notes::NotesPolicy,
    /// `[links]`: kind of reference → URL template (`jira = "https://…/browse/{id}"`).
    pub links: BTreeMap<String, links::UrlTemplate>,
    /// `[fields.<name>]`: the fields a team adds to its records.
    pub fields: BTreeMap<String, fields::Declared>,
    /// Rule code → severity override.
    pub rules: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChangesSection {
    pub dir: String,
    pub id_prefix: String,
    pub id_digits: usize,
    pub timezone: Zone,
    /// History before this commit is not enforced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Classes of change under which the policy (and the signers file) may change:
    /// a commit that edits them must name an approved change of one of these.
    pub policy_classes: Vec<Class>,
}

impl Default for ChangesSection {
    fn default() -> Self {
        ChangesSection {
            dir: ".changes".into(),
            id_prefix: "CHG".into(),
            id_digits: 4,
            timezone: Zone::default(),
            baseline: None,
            policy_classes: vec![Class::Normal, Class::Major],
        }
    }
}

/// `[classes.<class>]`, one table per class; keys left out take that class's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Classes {
    pub standard: ClassPolicy,
    pub normal: ClassPolicy,
    pub major: ClassPolicy,
    pub emergency: ClassPolicy,
}

/// A class's table as written; [`Policy::class`] fills in the defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPolicy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<Quorum>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_approved: Option<bool>,
    /// The highest risk level the class's pre-approval or auto-approval covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_risk: Option<RiskLevel>,
    /// Roles whose members may authorise an emergency change (`emergency.authorized_by`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time: Option<PolicyDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_review: Option<PostReview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_within: Option<PolicyDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrospective_within: Option<PolicyDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_review_within: Option<PolicyDuration>,
    /// Replaces `[approvals] auto_approve` for this class (`[]`: never auto-approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_approve: Option<Vec<RiskLevel>>,
    /// Replaces `[approvals.by_risk]` for this class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_risk: Option<BTreeMap<RiskLevel, Vec<Quorum>>>,
    /// Approval SLA for this class whatever the risk level (seed 003 has no levels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_sla: Option<PolicyDuration>,
    /// Review fields that must be filled (`outcome` always is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_requires: Option<Vec<String>>,
    /// Review fields a rolled-back change's review must fill besides (seed 001
    /// §10.4 rollback documentation); a rolled-back change owes a review once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_requires_on_rollback: Option<Vec<String>>,
    /// How long after deployment a change may be verified at the earliest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_after: Option<PolicyDuration>,
    /// How soon after work on a change began its record must exist (seed 001 §6.4:
    /// "Within 24 hours: Document the emergency change").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_within: Option<PolicyDuration>,
    /// How long a rolled-back change is watched before it may be closed (seed 002
    /// §15.2: monitoring after a rollback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_after_rollback: Option<PolicyDuration>,
    /// Entries replacing `[moves]` entries of the same key for this class.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub moves: MoveRoles,
    /// Move → what must be on the record when it is made. See [`gates`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gates: GateTable,
    /// Risk level → gates added for changes at that level (seed 001 §8.1).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gates_by_risk: BTreeMap<RiskLevel, GateTable>,
    /// The day (on the policy's clock) this class's gates were adopted: moves made
    /// before it owe them nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gates_since: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PostReview {
    Required,
    Optional,
    /// Owed only by a change that was rolled back (seed 001 §10.4).
    OnRollback,
}

/// A class's rules with every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRules {
    pub requires: Vec<String>,
    pub approvals: Vec<Quorum>,
    pub pre_approved: bool,
    pub max_risk: Option<RiskLevel>,
    pub authorizers: Vec<String>,
    pub lead_time: Option<PolicyDuration>,
    pub post_review: PostReview,
    pub approval_within: Option<PolicyDuration>,
    pub retrospective_within: Option<PolicyDuration>,
    pub post_review_within: Option<PolicyDuration>,
    pub auto_approve: Vec<RiskLevel>,
    pub by_risk: BTreeMap<RiskLevel, Vec<Quorum>>,
    pub approval_sla: Option<PolicyDuration>,
    pub review_requires: Vec<String>,
    pub review_requires_on_rollback: Vec<String>,
    pub verify_after: Option<PolicyDuration>,
    pub record_within: Option<PolicyDuration>,
    pub monitor_after_rollback: Option<PolicyDuration>,
}

impl ClassRules {
    /// What chg does with no policy at all: standard changes are pre-approved; every
    /// other class needs a description, a rollback plan and one approver who is not
    /// the author; major and emergency changes owe a post-implementation review.
    /// Risk-driven approvals follow `[approvals]`.
    fn default_for(class: Class, approvals: &ApprovalPolicy) -> ClassRules {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let approver = vec![Quorum::one(DEFAULT_APPROVER_ROLE)];
        let base = ClassRules {
            requires: strings(&["description", "rollback.plan"]),
            approvals: approver,
            pre_approved: false,
            max_risk: None,
            authorizers: Vec::new(),
            lead_time: None,
            post_review: PostReview::Optional,
            approval_within: None,
            retrospective_within: None,
            post_review_within: None,
            auto_approve: approvals.auto_approve.clone(),
            by_risk: approvals.by_risk.clone(),
            approval_sla: None,
            review_requires: Vec::new(),
            review_requires_on_rollback: Vec::new(),
            verify_after: None,
            record_within: None,
            monitor_after_rollback: None,
        };
        match class {
            Class::Standard => ClassRules {
                requires: strings(&["description"]),
                approvals: Vec::new(),
                pre_approved: true,
                ..base
            },
            Class::Normal => base,
            Class::Major => ClassRules {
                requires: strings(&["description", "rationale", "rollback.plan", "test_plan"]),
                post_review: PostReview::Required,
                ..base
            },
            Class::Emergency => ClassRules {
                post_review: PostReview::Required,
                approval_within: Some(PolicyDuration::Elapsed(chrono::Duration::hours(24))),
                post_review_within: Some(PolicyDuration::Elapsed(chrono::Duration::hours(48))),
                ..base
            },
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verify {
    /// The commit that adds an entry must be authored by the person it names.
    #[default]
    CommitAuthor,
    /// ... and committed by them too: nobody commits it in their name.
    AuthorAndCommitter,
    /// ... and signed by a key the signers file lists for them.
    Signature,
    None,
}

impl Verify {
    /// How moves and deployments are proven: as approvals, except that signatures
    /// are asked of approvals alone (every move signed would be a signed commit for
    /// each `chg start`), so there the author and committer must both be the mover.
    pub fn for_moves(self) -> Verify {
        match self {
            Verify::Signature => Verify::AuthorAndCommitter,
            other => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApprovalPolicy {
    /// Authors of the record and of its commits cannot approve it.
    pub separation_of_duties: bool,
    /// One person cannot fill two required roles on the same change.
    pub distinct_approvers: bool,
    pub verify: Verify,
    /// Who holds which signing key (OpenSSH allowed-signers format), for
    /// `verify = "signature"`; protected like the policy.
    pub signers: String,
    /// Approval SLA per risk level, e.g. `{ low = "1bd" }` (seed 001 §4.4).
    pub sla: BTreeMap<RiskLevel, PolicyDuration>,
    /// Risk levels approved without anyone (seed 002: low risk auto-approved).
    pub auto_approve: Vec<RiskLevel>,
    /// Roles added to the class's approvals per risk level (seed 001's matrix).
    pub by_risk: BTreeMap<RiskLevel, Vec<Quorum>>,
    /// Whether an approval counts only with its rationale (seed 002 Gate 3).
    pub comment: Need,
    /// Role of the author → roles that must approve the change, with no waiver
    /// (seed 000 §11, seed 002 §10.3: an AI agent's changes are always reviewed).
    pub by_author: BTreeMap<String, Vec<Quorum>>,
    /// Impact area a change declares (`impact_areas`) → roles that must approve it,
    /// with no waiver (seed 000 §2.4 "Security Lead (if security-related)", seed 004
    /// §5.2 "Compliance Officer reviews if regulatory or privacy impact exists").
    pub by_impact: BTreeMap<String, Vec<Quorum>>,
}

/// `[post_review]`: post-implementation reviews owed whatever the change's class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostReviewPolicy {
    /// Impact areas whose changes owe a review from their first deployment (seed 000
    /// §10: "Security-related changes").
    pub by_impact: Vec<String>,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        ApprovalPolicy {
            separation_of_duties: true,
            distinct_approvers: true,
            verify: Verify::default(),
            signers: DEFAULT_SIGNERS.into(),
            sla: BTreeMap::new(),
            auto_approve: Vec::new(),
            by_risk: BTreeMap::new(),
            comment: Need::Optional,
            by_author: BTreeMap::new(),
            by_impact: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Need {
    Required,
    #[default]
    Optional,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CommitPolicy {
    /// Whether every commit must name a change (exempt paths aside).
    pub reference: Need,
    /// Regex for change IDs in messages; default derived from the ID prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Globs of paths whose commits need no reference.
    pub exempt: Vec<String>,
    /// Glob → what a commit touching it must reference.
    pub protected: BTreeMap<String, Protected>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Protected {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_class: Option<Class>,
    pub requires: Vec<String>,
    /// Roles that must approve the change a commit touching the path names (seed 001
    /// §4.3 "Database changes: 2 (including DBA)"); it comes to need them by its class,
    /// risk or declared impact areas.
    pub approvals: Vec<Quorum>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdrPolicy {
    /// Default: `.adr-dir` if present, else the first of doc/adr, docs/adr, docs/decisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    pub sections: Vec<String>,
    /// ADR statuses that count as accepted.
    pub accepted: Vec<String>,
}

impl Default for AdrPolicy {
    fn default() -> Self {
        AdrPolicy {
            dir: None,
            sections: ["Context", "Decision", "Consequences", "Alternatives"]
                .map(String::from)
                .to_vec(),
            accepted: vec!["accepted".into()],
        }
    }
}

/// `[deployments]`: what a recorded deployment must say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeploymentPolicy {
    /// Regex every deployment's `ref` must match: a release tag or build ID (seed 002
    /// §12.3 semantic versions, seed 004 §7 "unique tag or build ID").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_pattern: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FreezePolicy {
    /// No freeze may last longer (seed 000 §12: freezes are time-bound).
    pub max_duration: PolicyDuration,
    /// Classes allowed during a freeze unless it says otherwise.
    pub allow: Vec<Class>,
    /// The role allowed to declare and end freezes.
    pub role: String,
    /// Freezes that come back every month or quarter end (seed 001 §9.2).
    pub recurring: Vec<recurring::RecurringFreeze>,
}

impl Default for FreezePolicy {
    fn default() -> Self {
        FreezePolicy {
            max_duration: PolicyDuration::Elapsed(chrono::Duration::days(14)),
            allow: vec![Class::Emergency],
            role: "release-manager".into(),
            recurring: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Off,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Off => "off",
        })
    }
}

impl Policy {
    /// Parses and validates a policy document.
    pub fn from_toml(text: &str) -> Result<Policy, String> {
        let mut policy: Policy = toml::from_str(text).map_err(|e| e.to_string())?;
        // `./.changes/` and `.changes` are one directory; git paths have no `.` parts.
        // A leading `/` stays, for validation to refuse.
        let root = if policy.changes.dir.starts_with('/') {
            "/"
        } else {
            ""
        };
        let parts: Vec<_> = policy
            .changes
            .dir
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        policy.changes.dir = format!("{root}{}", parts.join("/"));
        for (role, members) in default_roles() {
            policy.roles.entry(role).or_insert(members);
        }
        policy.validate()?;
        Ok(policy)
    }

    /// Reads `.changes.toml` under `root`; a missing file is the default policy. Only a
    /// regular file of the work tree is read: a link could show another file's content
    /// in the error about it, and the records directory it names must be in the work
    /// tree too.
    pub fn load(root: &Path) -> Result<Policy> {
        crate::untrusted::require_inside(root, FILE_NAME)?;
        let text = match crate::untrusted::read_regular(&root.join(FILE_NAME)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Failure::input(format!("cannot read {FILE_NAME}: {e}")).into()),
        };
        let policy = Policy::from_toml(&text).map_err(|e| {
            Failure::input(format!("{FILE_NAME} is not a valid policy:\n{}", e.trim_end()))
                .hint(format!("`chg init --example` prints every key, documented; `chg init --force` writes a fresh {FILE_NAME}"))
        })?;
        crate::untrusted::require_inside(root, &policy.changes.dir)?;
        Ok(policy)
    }

    /// A class's table as written.
    fn written(&self, class: Class) -> &ClassPolicy {
        match class {
            Class::Standard => &self.classes.standard,
            Class::Normal => &self.classes.normal,
            Class::Major => &self.classes.major,
            Class::Emergency => &self.classes.emergency,
        }
    }

    /// The rules for one class, with that class's defaults for keys left out.
    pub fn class(&self, class: Class) -> ClassRules {
        let written = self.written(class);
        let d = ClassRules::default_for(class, &self.approvals);
        ClassRules {
            requires: written.requires.clone().unwrap_or(d.requires),
            approvals: written.approvals.clone().unwrap_or(d.approvals),
            pre_approved: written.pre_approved.unwrap_or(d.pre_approved),
            max_risk: written.max_risk.or(d.max_risk),
            authorizers: written.authorizers.clone().unwrap_or(d.authorizers),
            lead_time: written.lead_time.or(d.lead_time),
            post_review: written.post_review.unwrap_or(d.post_review),
            approval_within: written.approval_within.or(d.approval_within),
            retrospective_within: written.retrospective_within.or(d.retrospective_within),
            post_review_within: written.post_review_within.or(d.post_review_within),
            auto_approve: written.auto_approve.clone().unwrap_or(d.auto_approve),
            by_risk: written.by_risk.clone().unwrap_or(d.by_risk),
            approval_sla: written.approval_sla.or(d.approval_sla),
            review_requires: written.review_requires.clone().unwrap_or(d.review_requires),
            review_requires_on_rollback: (written.review_requires_on_rollback.clone())
                .unwrap_or(d.review_requires_on_rollback),
            verify_after: written.verify_after.or(d.verify_after),
            record_within: written.record_within.or(d.record_within),
            monitor_after_rollback: written.monitor_after_rollback.or(d.monitor_after_rollback),
        }
    }

    /// Whether rules read the paths a commit changes: where references are required
    /// (H002) or paths are protected (H003).
    pub fn reads_paths(&self) -> bool {
        self.commits.reference == Need::Required || !self.commits.protected.is_empty()
    }

    /// The regex that finds change IDs in commit messages.
    pub fn reference_pattern(&self) -> regex::Regex {
        // Validated when the policy was loaded.
        compiled(&self.reference_pattern_text()).expect("commits.pattern was validated on load")
    }

    fn reference_pattern_text(&self) -> String {
        crate::model::reference::pattern(
            &self.changes.id_prefix,
            self.changes.id_digits,
            self.commits.pattern.as_deref(),
        )
    }

    /// The regex deployments' references must match, if the policy sets one.
    pub fn deployment_ref_pattern(&self) -> Option<regex::Regex> {
        let pattern = self.deployments.ref_pattern.as_deref()?;
        Some(compiled(pattern).expect("deployments.ref_pattern was validated on load"))
    }

    /// The members of `role`, for messages.
    pub fn members_of(&self, role: &str) -> String {
        self.roles
            .get(role)
            .map(|m| m.join(", "))
            .unwrap_or_default()
    }

    /// Whether `email` is a member of `role` (`"*"` admits anyone).
    pub fn is_member(&self, role: &str, email: &str) -> bool {
        self.roles.get(role).is_some_and(|members| {
            members
                .iter()
                .any(|m| m == "*" || crate::model::record::same_email(m, email))
        })
    }

    fn validate(&self) -> Result<(), String> {
        let c = &self.changes;
        if c.dir.is_empty()
            || Path::new(&c.dir).is_absolute()
            || c.dir
                .split(['/', '\\'])
                .any(|part| part == ".." || part == ".git")
        {
            return Err(format!(
                "changes.dir: `{}` must be a relative path inside the repository",
                c.dir
            ));
        }
        if !crate::model::id::is_valid_prefix(&c.id_prefix) {
            return Err(format!("changes.id_prefix: `{}` must be upper-case letters and digits, starting with a letter (e.g. CHG, CR)", c.id_prefix));
        }
        if !(1..=9).contains(&c.id_digits) {
            return Err(format!(
                "changes.id_digits: {} must be between 1 and 9",
                c.id_digits
            ));
        }
        for class in Class::ALL {
            let rules = self.class(*class);
            self.check_quorums(&format!("classes.{class}.approvals"), &rules.approvals)?;
            for name in &rules.requires {
                requirement::validate(name, self)
                    .map_err(|e| format!("classes.{class}.requires: {e}"))?;
            }
            for (key, names) in [
                ("review_requires", &rules.review_requires),
                (
                    "review_requires_on_rollback",
                    &rules.review_requires_on_rollback,
                ),
            ] {
                for name in names {
                    review::validate(name).map_err(|e| format!("classes.{class}.{key}: {e}"))?;
                }
            }
            for (level, needs) in &rules.by_risk {
                self.check_quorums(&format!("classes.{class}.by_risk.{level}"), needs)?;
            }
            let written = self.written(*class);
            if written.authorizers.is_some() && *class != Class::Emergency {
                return Err(format!(
                    "classes.{class}.authorizers: only emergency changes are authorised; \
                     set it under [classes.emergency]"
                ));
            }
            for role in &rules.authorizers {
                self.check_role(&format!("classes.{class}.authorizers"), role)?;
            }
            moves::validate(self, &format!("classes.{class}.moves"), &written.moves)?;
            gates::validate(&format!("classes.{class}.gates"), &written.gates)?;
            for (level, table) in &written.gates_by_risk {
                gates::validate(&format!("classes.{class}.gates_by_risk.{level}"), table)?;
            }
        }
        moves::validate(self, "moves", &self.moves)?;
        for (level, needs) in &self.approvals.by_risk {
            self.check_quorums(&format!("approvals.by_risk.{level}"), needs)?;
        }
        for (author, needs) in &self.approvals.by_author {
            self.check_role("approvals.by_author", author)?;
            self.check_quorums(&format!("approvals.by_author.{author}"), needs)?;
        }
        for role in &self.risk.authority {
            self.check_role("risk.authority", role)?;
        }
        self.check_role("freeze.role", &self.freeze.role)?;
        for (i, r) in self.freeze.recurring.iter().enumerate() {
            r.validate(&format!("freeze.recurring[{i}]"), self.freeze.max_duration)?;
        }
        for (key, pattern) in [
            ("commits.pattern", &self.commits.pattern),
            ("deployments.ref_pattern", &self.deployments.ref_pattern),
        ] {
            if let Some(pattern) = pattern {
                compiled(pattern).map_err(|e| format!("{key}: not a valid regex: {e}"))?;
            }
        }
        // As read, beside the form of misshapen IDs (a group of that name clashes).
        compiled(&self.reference_pattern_text())
            .map_err(|e| format!("commits.pattern: not a usable regex: {e}"))?;
        let globs = self.commits.exempt.iter().map(|g| ("commits.exempt", g));
        for (key, glob) in globs.chain(
            self.commits
                .protected
                .keys()
                .map(|g| ("commits.protected", g)),
        ) {
            globset::Glob::new(glob)
                .map_err(|e| format!("{key}: `{glob}` is not a valid glob: {e}"))?;
        }
        for (glob, protected) in &self.commits.protected {
            for name in &protected.requires {
                requirement::validate(name, self)
                    .map_err(|e| format!("commits.protected.\"{glob}\".requires: {e}"))?;
            }
            let key = format!("commits.protected.\"{glob}\".approvals");
            self.check_quorums(&key, &protected.approvals)?;
        }
        for (area, needs) in &self.approvals.by_impact {
            impact::validate_name("approvals.by_impact", area)?;
            self.check_quorums(&format!("approvals.by_impact.{area}"), needs)?;
        }
        for area in &self.post_review.by_impact {
            impact::validate_name("post_review.by_impact", area)?;
        }
        for kind in self.links.keys() {
            links::validate_kind(kind)?;
        }
        for (name, declared) in &self.fields {
            declared.validate(name)?;
        }
        self.risk.validate()?;
        self.windows.validate()?;
        Ok(())
    }

    /// An error naming `key` when an entry of `needs` names a role not defined in
    /// `[roles]`, or asks for more distinct people than its roles list.
    fn check_quorums(&self, key: &str, needs: &[Quorum]) -> Result<(), String> {
        for need in needs {
            for role in &need.roles {
                self.check_role(key, role)?;
            }
            let members = || need.roles.iter().flat_map(|r| &self.roles[r]);
            if members().any(|m| m == "*") {
                continue;
            }
            let mut people: Vec<&String> = Vec::new();
            for member in members() {
                if !people
                    .iter()
                    .any(|p| crate::model::record::same_email(p, member))
                {
                    people.push(member);
                }
            }
            if people.len() < need.count {
                return Err(format!(
                    "{key}: `{need}` asks for {} people but its roles list {}: {}",
                    need.count,
                    people.len(),
                    people
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    }

    /// An error naming `key` when `role` is not defined in `[roles]`.
    pub fn check_role(&self, key: &str, role: &str) -> Result<(), String> {
        if self.roles.contains_key(role) {
            Ok(())
        } else {
            let known: Vec<&str> = self.roles.keys().map(String::as_str).collect();
            Err(format!(
                "{key}: role `{role}` is not defined in [roles] (defined: {})",
                known.join(", ")
            ))
        }
    }
}

/// Whether `name` can name something the policy declares (an impact area, a link kind,
/// a field): lower-case letters, digits, `-` and `_`, starting with a letter.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn default_roles() -> [(String, Vec<String>); 2] {
    [
        (DEFAULT_APPROVER_ROLE.to_string(), vec!["*".to_string()]),
        ("release-manager".to_string(), vec!["*".to_string()]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default_policy() {
        let p = Policy::from_toml("").unwrap();
        assert_eq!(p.changes.id_prefix, "CHG");
        assert!(p.class(Class::Standard).pre_approved);
        assert_eq!(p.class(Class::Major).post_review, PostReview::Required);
        assert!(p.is_member("approver", "anyone@example.com"));
    }

    #[test]
    fn a_partial_class_table_keeps_that_class_s_other_defaults() {
        let p = Policy::from_toml("[classes.major]\nlead_time = \"7d\"\n").unwrap();
        let major = p.class(Class::Major);
        assert_eq!(major.post_review, PostReview::Required);
        assert_eq!(major.lead_time.unwrap().to_string(), "1w");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line() {
        let err = Policy::from_toml("[changes]\nid_prefix = \"CR\"\nprefix = \"X\"\n").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("unknown field `prefix`"), "{err}");
    }

    /// Key paths of a TOML document, map keys included (`classes.major.lead_time`).
    fn key_paths(value: &toml::Value, prefix: &str, out: &mut Vec<String>) {
        if let toml::Value::Table(table) = value {
            for (key, v) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                key_paths(v, &path, out);
                out.push(path);
            }
        }
    }

    #[test]
    fn the_example_is_valid_and_shows_every_key() {
        let text = EXAMPLE;
        let policy = Policy::from_toml(text).unwrap();
        let written: toml::Value = toml::from_str(text).unwrap();
        let reread = toml::Value::try_from(&policy).unwrap();
        let (mut shown, mut known) = (Vec::new(), Vec::new());
        key_paths(&written, "", &mut shown);
        key_paths(&reread, "", &mut known);
        let absent: Vec<&String> = known.iter().filter(|k| !shown.contains(k)).collect();
        assert!(
            absent.is_empty(),
            "keys missing from .changes.example.toml: {absent:?}"
        );
    }

    #[test]
    fn references_and_values_are_checked() {
        for (toml, needle) in [
            (
                "[classes.normal]\napprovals = [\"cab\"]",
                "role `cab` is not defined",
            ),
            ("[classes.normal]\nrequires = [\"rollbak\"]", "not a field"),
            (
                "[changes]\ntimezone = \"Mars/Base\"",
                "not an IANA time zone",
            ),
            ("[changes]\ndir = \"../elsewhere\"", "inside the repository"),
            ("[changes]\ndir = \"/etc/changes\"", "inside the repository"),
            ("[changes]\nid_prefix = \"chg\"", "upper-case"),
            ("[classes.normal]\nlead_time = \"soon\"", "not a duration"),
            ("[commits]\npattern = \"(\"", "not a valid regex"),
            (
                "[windows]\nmonday = [{ from = \"10:00\", to = \"06:00\" }]",
                "`from` must be before `to`",
            ),
            ("[windows]\nfunday = []", "unknown field `funday`"),
            ("[rules]\nR001 = \"fatal\"", "unknown variant `fatal`"),
            (
                "[classes.major]\nreview_requires = [\"lesson\"]",
                "`lesson` is not a review field",
            ),
            (
                "[classes.emergency.by_risk]\nhigh = [\"cab\"]",
                "classes.emergency.by_risk.high: role `cab` is not defined",
            ),
            (
                "[classes.emergency.by_risk]\nhigh = [\"approver or cab\"]",
                "classes.emergency.by_risk.high: role `cab` is not defined",
            ),
            (
                "[roles]\ncab = [\"a@x\", \"A@x\"]\n[approvals.by_impact]\nsecurity = [\"2 of cab\"]",
                "approvals.by_impact.security: `2 of cab` asks for 2 people but its roles list 1: a@x",
            ),
            (
                "[commits.protected.\"db/**\"]\napprovals = [\"approver or\"]",
                "`approver or` ends with `or`",
            ),
            (
                "[classes.normal]\nauto_approve = [\"tiny\"]",
                "unknown variant `tiny`",
            ),
            (
                "[classes.normal]\nverify_after = \"a while\"",
                "not a duration",
            ),
            (
                "[classes.emergency]\nrecord_within = \"soon after\"",
                "not a duration",
            ),
            (
                "[approvals]\ncomment = \"always\"",
                "unknown variant `always`",
            ),
            (
                "[approvals.by_author]\nagent = [\"approver\"]",
                "approvals.by_author: role `agent` is not defined",
            ),
            (
                "[deployments]\nref_pattern = \"v(\"",
                "deployments.ref_pattern: not a valid regex",
            ),
            (
                "[windows]\nenvironment = [\"production\"]",
                "unknown field `environment`",
            ),
            ("[metrics]\nrollback_rate = \"3%\"", "not a rate target"),
            (
                "[moves]\nship = [\"approver\"]",
                "moves: `ship` is not a move; the moves are submit, assess, reject",
            ),
            (
                "[moves]\napprove = [\"approver\"]",
                "who approves is each class's `approvals`",
            ),
            (
                "[moves]\n\"close:production\" = [\"approver\"]",
                "only deployments are given per environment",
            ),
            (
                "[moves]\n\"deploy:\" = [\"approver\"]",
                "names no environment",
            ),
            (
                "[moves]\ndeploy = [\"devops\"]",
                "moves.deploy: role `devops` is not defined",
            ),
            ("[moves]\nclose = []", "moves.close: names nobody"),
            (
                "[classes.emergency.moves]\nstart = [\"change-manager\"]",
                "classes.emergency.moves.start: role `change-manager` is not defined",
            ),
            (
                "[roles]\nowner = [\"o@x\"]\n[moves]\nreview = [\"owner\"]",
                "also defines a role `owner`",
            ),
            (
                "[classes.normal.gates]\nship = [\"schedule\"]",
                "classes.normal.gates: `ship` is not a move",
            ),
            (
                "[classes.normal.gates]\nrollback = [\"schedule\"]",
                "`rollback` cannot be gated; gates hold start, deploy, verify, review, close",
            ),
            (
                "[classes.normal.gates]\n\"close:production\" = [\"schedule\"]",
                "only deployments are given per environment",
            ),
            (
                "[classes.major.gates]\ndeploy = [\"tests-passed\"]",
                "classes.major.gates.\"deploy\": `tests-passed` is not a gate item; use evidence:<kind>, deployed:<environment>",
            ),
            (
                "[classes.major.gates]\ndeploy = [\"deployed: \"]",
                "`deployed: ` names nothing, as in `deployed:staging`",
            ),
            (
                "[classes.normal.gates_by_risk.high]\nclose = [\"evidence:\"]",
                "classes.normal.gates_by_risk.high.\"close\": `evidence:` names nothing",
            ),
            (
                "[classes.normal.gates_by_risk.severe]\nclose = []",
                "unknown variant `severe`",
            ),
            (
                "[risk]\nauthority = [\"cab\"]",
                "risk.authority: role `cab` is not defined",
            ),
            (
                "[classes.standard]\nmax_risk = \"tiny\"",
                "unknown variant `tiny`",
            ),
            (
                "[classes.emergency]\nauthorizers = [\"cto\"]",
                "classes.emergency.authorizers: role `cto` is not defined",
            ),
            (
                "[classes.normal]\nauthorizers = [\"approver\"]",
                "classes.normal.authorizers: only emergency changes are authorised",
            ),
        ] {
            let err = Policy::from_toml(toml).unwrap_err();
            assert!(err.contains(needle), "{toml}: {err}");
        }
    }
}
