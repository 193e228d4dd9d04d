//! Flags shared by several subcommands, and parsers for their values.

use super::values;
use crate::error::Failure;
use crate::model::record::{Evidence, Factor};
use crate::model::{Class, Impact, Likelihood, Treatment};
use crate::window::Window;
use crate::workflow::set::Assignment;
use std::str::FromStr;

/// The risk flags of `new` (and later `assess`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RiskFlags {
    /// Likelihood for the risk matrix: rare, unlikely, possible, likely, almost-certain.
    #[arg(long, value_parser = keyword::<Likelihood>,
        add = values::spellings(Likelihood::SPELLINGS))]
    pub likelihood: Option<Likelihood>,
    /// Impact for the risk matrix: negligible, minor, moderate, major, catastrophic.
    #[arg(long, value_parser = keyword::<Impact>,
        add = values::spellings(Impact::SPELLINGS))]
    pub impact: Option<Impact>,
    /// A risk factor scored 1-3, as NAME=N: systems, users, data, reversibility, security.
    #[arg(long = "factor", value_name = "NAME=N", value_parser = factor)]
    pub factors: Vec<(String, Factor)>,
    /// What is done about the risk: accept, mitigate, avoid, transfer.
    #[arg(long, value_parser = keyword::<Treatment>,
        add = values::spellings(Treatment::SPELLINGS))]
    pub treatment: Option<Treatment>,
    /// The controls that reduce the risk, or why none are needed (or @FILE).
    #[arg(long, value_parser = text)]
    pub mitigation: Option<String>,
}

/// Every field of a record that can be given on the command line.
/// Long text may come from a file: `--description @notes.md`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RecordFlags {
    /// One line saying what changes.
    #[arg(long, value_parser = title)]
    pub title: Option<String>,
    /// standard, normal, major or emergency.
    #[arg(long, value_parser = keyword::<Class>,
        add = values::spellings(Class::SPELLINGS))]
    pub class: Option<Class>,
    /// What changes and how (or @FILE).
    #[arg(long, value_parser = text)]
    pub description: Option<String>,
    /// Why the change is needed (or @FILE).
    #[arg(long, value_parser = text)]
    pub rationale: Option<String>,
    /// An affected component (repeatable).
    #[arg(long = "component", value_name = "NAME")]
    pub components: Vec<String>,
    /// An environment the change is deployed to (repeatable).
    #[arg(long = "env", value_name = "ENV", add = values::environments())]
    pub environments: Vec<String>,
    /// Who is responsible (default: you).
    #[arg(long, value_name = "EMAIL")]
    pub owner: Option<String>,
    /// When the change is due, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub target_date: Option<chrono::NaiveDate>,
    /// How to undo the change (or @FILE).
    #[arg(long = "rollback", value_name = "TEXT", value_parser = text)]
    pub rollback: Option<String>,
    /// A file the rollback needs, e.g. a down migration (repeatable).
    #[arg(long = "rollback-artifact", value_name = "PATH")]
    pub rollback_artifacts: Vec<String>,
    /// How the change is tested (or @FILE).
    #[arg(long, value_parser = text)]
    pub test_plan: Option<String>,
    /// What is watched after deployment (or @FILE).
    #[arg(long, value_parser = text)]
    pub monitoring: Option<String>,
    /// The steps to implement (or @FILE).
    #[arg(long, value_parser = text)]
    pub implementation_plan: Option<String>,
    /// An architecture decision record this change creates or updates (repeatable).
    #[arg(long = "adr", value_name = "PATH")]
    pub adrs: Vec<String>,
    /// Evidence as KIND=REF, e.g. staging-validation=https://ci/run/881 (repeatable).
    #[arg(long = "evidence", value_name = "KIND=REF", value_parser = evidence)]
    pub evidence: Vec<Evidence>,
    /// A link to another system as KIND=REFERENCE (e.g. jira=OPS-123), of a kind the
    /// policy's [links] declares; repeatable.
    #[arg(long = "link", value_name = "KIND=REFERENCE", value_parser = |s: &str| declared("links", s))]
    pub links: Vec<Assignment>,
    /// A field the policy's [fields] declares, as NAME=VALUE; repeatable.
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = |s: &str| declared("fields", s))]
    pub fields: Vec<Assignment>,
    /// The incident an emergency change answers.
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// Who authorised an emergency change before its record existed, e.g. verbally
    /// on the incident call (repeatable).
    #[arg(long = "authorized-by", value_name = "EMAIL")]
    pub authorized_by: Vec<String>,
    #[command(flatten)]
    pub risk: RiskFlags,
    #[command(flatten)]
    pub impact_areas: ImpactAreaFlags,
}

/// `--impact-area`, of `new` and `assess`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ImpactAreaFlags {
    /// An area the change affects, one the policy attaches duties to (repeatable), e.g.
    /// security: it may call for approvers ([approvals.by_impact]) or a review.
    #[arg(long = "impact-area", value_name = "AREA")]
    pub areas: Vec<String>,
}

impl ImpactAreaFlags {
    /// The areas, once each, refused (exit 2) unless the policy names every one.
    pub fn checked(&self, policy: &crate::policy::Policy) -> Result<Vec<String>, Failure> {
        policy
            .declared_areas(&self.areas)
            .map_err(|e| Failure::input(format!("--impact-area: {e}")))
    }
}

/// `--since` and `--until`: the window a report covers.
#[derive(Debug, clap::Args)]
pub struct WindowFlags {
    /// Start of the window (RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD` on the
    /// policy's clock); open when not given.
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// End of the window; a bare date includes that whole day. Open when not given.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
}

impl WindowFlags {
    /// The window, read on the policy's clock.
    pub fn window(&self, policy: &crate::policy::Policy) -> Result<Window, Failure> {
        Window::parse(
            self.since.as_deref(),
            self.until.as_deref(),
            policy.changes.timezone.0,
        )
    }
}

/// A word from one of the record's vocabularies.
pub fn keyword<T: FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// An answer to a yes-or-no question.
pub fn yes_or_no(s: &str) -> Result<bool, String> {
    match s {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("`{s}` is not an answer; expected yes or no")),
    }
}

/// A title: one line, not empty.
pub fn title(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() || t.contains('\n') {
        Err("a title is one line of text".into())
    } else {
        Ok(t.to_string())
    }
}

/// Text, or the contents of a file when written `@path`.
pub fn text(s: &str) -> Result<String, String> {
    match s.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}")),
        None => Ok(s.to_string()),
    }
}

fn split_pair<'a>(s: &'a str, form: &str) -> Result<(&'a str, &'a str), String> {
    s.split_once('=')
        .map(|(k, v)| (k.trim(), v.trim()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| format!("`{s}` is not of the form {form}"))
}

fn factor(s: &str) -> Result<(String, Factor), String> {
    let (name, value) = split_pair(s, "NAME=N")?;
    if !crate::model::record::RiskFactors::NAMES.contains(&name) {
        return Err(format!(
            "`{name}` is not a risk factor; factors are: {}",
            crate::model::record::RiskFactors::NAMES.join(", ")
        ));
    }
    let n: u8 = value
        .parse()
        .map_err(|_| format!("`{value}` is not a score; factors are scored 1 to 3"))?;
    Ok((name.to_string(), Factor::try_from(n)?))
}

/// `KEY=VALUE` as the assignment `chg set` would make to `group.KEY`.
fn declared(group: &str, s: &str) -> Result<Assignment, String> {
    let (key, value) = split_pair(s, "KEY=VALUE")?;
    Ok(Assignment {
        field: format!("{group}.{key}"),
        append: false,
        value: value.to_string(),
    })
}

fn evidence(s: &str) -> Result<Evidence, String> {
    let (kind, reference) = split_pair(s, "KIND=REF")?;
    Ok(Evidence {
        kind: kind.to_string(),
        reference: reference.to_string(),
        note: None,
    })
}

impl RiskFlags {
    /// Whether no answer to the policy's risk questions (matrix or factors) was given.
    pub fn rates_nothing(&self) -> bool {
        self.likelihood.is_none() && self.impact.is_none() && self.factors.is_empty()
    }

    /// Whether no risk flag at all was given.
    pub fn is_empty(&self) -> bool {
        self.rates_nothing() && self.treatment.is_none() && self.mitigation.is_none()
    }

    /// Writes the given risk answers into an assessment, leaving the rest.
    pub fn apply_to(&self, risk: &mut crate::model::record::RiskAssessment) {
        if let Some(l) = self.likelihood {
            risk.likelihood = Some(l);
        }
        if let Some(i) = self.impact {
            risk.impact = Some(i);
        }
        for (name, value) in &self.factors {
            // Names were checked when the flag was parsed.
            risk.factors.set(name, *value);
        }
        if let Some(t) = self.treatment {
            risk.treatment = Some(t);
        }
        if self.mitigation.is_some() {
            risk.mitigation.clone_from(&self.mitigation);
        }
    }
}

impl RecordFlags {
    /// Writes every given flag into `record`; lists replace, text fields overwrite.
    pub fn apply_to(&self, record: &mut crate::model::ChangeRecord) {
        let set = |field: &mut Option<String>, value: &Option<String>| {
            if value.is_some() {
                field.clone_from(value);
            }
        };
        let set_list = |field: &mut Vec<String>, value: &Vec<String>| {
            if !value.is_empty() {
                field.clone_from(value);
            }
        };
        if let Some(title) = &self.title {
            record.title.clone_from(title);
        }
        if let Some(class) = self.class {
            record.class = class;
        }
        set(&mut record.description, &self.description);
        set(&mut record.rationale, &self.rationale);
        set(&mut record.owner, &self.owner);
        set(&mut record.rollback.plan, &self.rollback);
        set(&mut record.test_plan, &self.test_plan);
        set(&mut record.monitoring, &self.monitoring);
        set(&mut record.implementation_plan, &self.implementation_plan);
        set_list(&mut record.components, &self.components);
        set_list(&mut record.environments, &self.environments);
        set_list(&mut record.rollback.artifacts, &self.rollback_artifacts);
        set_list(&mut record.adrs, &self.adrs);
        if self.target_date.is_some() {
            record.target_date = self.target_date;
        }
        record.evidence.extend(self.evidence.iter().cloned());
        if self.incident.is_some() || !self.authorized_by.is_empty() {
            let emergency = record.emergency.get_or_insert_with(Default::default);
            if let Some(incident) = &self.incident {
                emergency.incident = Some(incident.clone());
            }
            emergency
                .authorized_by
                .extend(self.authorized_by.iter().cloned());
        }
        self.risk.apply_to(&mut record.risk);
    }
}
