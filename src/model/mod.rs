//! The change register's data: records, IDs, vocabularies. Pure: no I/O, no git.

mod keyword;

pub mod digest;
pub mod field_value;
pub mod freeze;
pub mod id;
pub mod identity;
pub mod lifecycle;
pub mod record;
pub mod reference;
pub mod timestamp;
mod trailer;
pub mod yaml;

pub use id::{ChangeId, ChangeKey};
pub use identity::Identity;
pub use keyword::{
    Class, Complexity, Decision, DeployOutcome, Impact, Likelihood, Move, ReviewOutcome, RiskLevel,
    Status, Treatment,
};
pub use record::ChangeRecord;
pub use timestamp::Timestamp;
