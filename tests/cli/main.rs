//! Integration tests: the built `chg` binary on real temporary git repositories.

mod common;

mod approvals;
mod approve_commit;
mod audit;
mod bad_input;
mod cache;
mod check;
mod completions;
mod docs;
mod duties;
mod edit;
mod forgery;
mod freeze;
mod gates;
mod history;
mod hooks;
mod ids;
mod init;
mod integrity;
mod interactive;
mod lifecycle;
mod list_show;
mod log;
mod metrics;
mod new;
mod policy_keys;
mod preset_itil_four_class;
mod preset_pull_request;
mod preset_rfc;
mod preset_risk_matrix;
mod preset_risk_score;
mod risk_authority;
mod schema;
mod stray_files;
mod year;
