//! Closed vocabularies of the record format (classes, states, risk words ...).
//!
//! One macro writes each enum with its YAML spelling, so the serde name, `FromStr`,
//! `Display` and the list shown in error messages can never disagree.

/// Declares an enum whose variants are spelled in records and on the command line
/// exactly as given, e.g. `RolledBack = "rolled-back"`.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident, $noun:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the order the format lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What this vocabulary is called in messages ("class", "status" ...).
            pub const NOUN: &'static str = $noun;
            /// How each value is spelled, in the order of [`Self::ALL`].
            pub const SPELLINGS: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "`{s}` is not a known {}; expected one of: {}",
                        $noun,
                        Self::SPELLINGS.join(", ")
                    )),
                }
            }
        }
    };
}

keyword_enum!(
    /// How a change is classified (ITIL): decides approvals and duties.
    Class, "class" {
        Standard = "standard",
        Normal = "normal",
        Major = "major",
        Emergency = "emergency",
    }
);

keyword_enum!(
    /// Where a change stands in its lifecycle (SPEC §3).
    Status, "status" {
        Draft = "draft",
        Submitted = "submitted",
        Assessed = "assessed",
        Approved = "approved",
        Rejected = "rejected",
        Scheduled = "scheduled",
        Implementing = "implementing",
        Deployed = "deployed",
        Verified = "verified",
        RolledBack = "rolled-back",
        Closed = "closed",
        Cancelled = "cancelled",
    }
);

keyword_enum!(
    /// Risk level, declared or derived by the policy's method; ordered low to critical.
    RiskLevel, "risk level" {
        Low = "low",
        Medium = "medium",
        High = "high",
        Critical = "critical",
    }
);

keyword_enum!(
    /// ISO 31000 likelihood, the rows of the risk matrix.
    Likelihood, "likelihood" {
        Rare = "rare",
        Unlikely = "unlikely",
        Possible = "possible",
        Likely = "likely",
        AlmostCertain = "almost-certain",
    }
);

keyword_enum!(
    /// ISO 31000 impact, the columns of the risk matrix.
    Impact, "impact" {
        Negligible = "negligible",
        Minor = "minor",
        Moderate = "moderate",
        Major = "major",
        Catastrophic = "catastrophic",
    }
);

keyword_enum!(
    /// What is done about a change's risk (seed 002 §5.3, ISO 31000).
    Treatment, "risk treatment" {
        Accept = "accept",
        Mitigate = "mitigate",
        Avoid = "avoid",
        Transfer = "transfer",
    }
);

keyword_enum!(
    /// How hard the rollback is (seed 002 §15.3).
    Complexity, "rollback complexity" {
        Easy = "easy",
        Moderate = "moderate",
        Hard = "hard",
    }
);

keyword_enum!(
    /// Outcome of a post-implementation review.
    ReviewOutcome, "review outcome" {
        Achieved = "achieved",
        Partially = "partially",
        NotAchieved = "not-achieved",
    }
);

keyword_enum!(
    /// Outcome of one deployment.
    DeployOutcome, "deployment outcome" {
        Success = "success",
        Failed = "failed",
    }
);

keyword_enum!(
    /// A lifecycle move, named by the `chg` command that makes it.
    Move, "move" {
        Submit = "submit",
        Assess = "assess",
        Approve = "approve",
        Reject = "reject",
        Revise = "revise",
        Schedule = "schedule",
        Start = "start",
        Deploy = "deploy",
        Verify = "verify",
        Rollback = "rollback",
        Review = "review",
        Close = "close",
        Cancel = "cancel",
    }
);

keyword_enum!(
    /// What an approver decided.
    Decision, "decision" {
        Approved = "approved",
        Rejected = "rejected",
    }
);

impl Decision {
    /// The command that records it: `approve`, `reject`.
    pub fn command(self) -> &'static str {
        match self {
            Decision::Approved => "approve",
            Decision::Rejected => "reject",
        }
    }
}

impl Likelihood {
    /// Row index in the risk matrix, 0 = rare.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl Impact {
    /// Column index in the risk matrix, 0 = negligible.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_round_trips_for_every_value() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), *s);
        }
        assert_eq!(
            "almost-certain".parse::<Likelihood>().unwrap(),
            Likelihood::AlmostCertain
        );
    }

    #[test]
    fn unknown_word_lists_the_known_ones() {
        let err = "sometimes".parse::<Likelihood>().unwrap_err();
        assert!(err.contains("not a known likelihood"), "{err}");
        assert!(
            err.contains("rare, unlikely, possible, likely, almost-certain"),
            "{err}"
        );
    }
}
