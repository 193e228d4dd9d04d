//! Integration tests: the built `chg` binary on real temporary git repositories.

mod common;

mod bad_input;
mod edit;
mod ids;
mod init;
mod interactive;
mod list_show;
mod new;
