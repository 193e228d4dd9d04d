//! Who chg takes you for, and which roles of the policy that makes you.

use super::Check;
use crate::context::Context;
use crate::error::failure_of;

const NAME: &str = "identity";

pub fn check(ctx: &Context) -> Check {
    let who = match ctx.identity() {
        Ok(who) => who,
        Err(e) => {
            let fix = failure_of(&e)
                .map(|f| f.hints.join(" and "))
                .filter(|hints| !hints.is_empty())
                .unwrap_or_else(|| "git config user.email \"you@example.com\"".into());
            return Check::problem(NAME, e.to_string(), fix);
        }
    };
    let roles: Vec<&str> = (ctx.policy.roles.keys())
        .filter(|role| ctx.policy.is_member(role, &who.email))
        .map(String::as_str)
        .collect();
    match roles.as_slice() {
        [] => Check::warning(
            NAME,
            format!(
                "{} is in no role of {}: chg refuses you the approvals and moves the policy gives to a role",
                who.email,
                crate::policy::FILE_NAME
            ),
            format!(
                "if {} lists you under another address, `git config user.email <that address>`",
                crate::policy::FILE_NAME
            ),
        ),
        [one] => Check::ok(NAME, format!("{}: in role {one}", who.email)),
        many => Check::ok(NAME, format!("{}: in roles {}", who.email, many.join(", "))),
    }
}
