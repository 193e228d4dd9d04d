//! Tags: which name a commit, and the newest one a commit's history holds, for
//! release notes "since the last tag".

use super::Git;
use git2::{DescribeFormatOptions, DescribeOptions};

impl Git {
    /// The tags that point at `commit` (peeled through annotated tags), sorted.
    pub fn tags_at(&self, commit: &str) -> Vec<String> {
        let Ok(names) = self.repo.tag_names(None) else {
            return Vec::new();
        };
        let mut at = Vec::new();
        for name in names.iter().flatten().flatten() {
            if self.tag_commit(name).as_deref() == Some(commit) {
                at.push(name.to_string());
            }
        }
        at.sort();
        at
    }

    /// Whether `name` is a tag (rather than a branch or another revision).
    pub fn is_tag(&self, name: &str) -> bool {
        self.tag_commit(name).is_some()
    }

    /// The nearest tag in the history of `commit`'s first parent: the release before
    /// `commit`, which a tag on `commit` itself is not. `None` when there is none.
    pub fn last_tag_before(&self, commit: &str) -> Option<String> {
        let parent = self
            .repo
            .find_commit(commit.parse().ok()?)
            .ok()?
            .parent(0)
            .ok()?;
        let mut options = DescribeOptions::new();
        options.describe_tags();
        let described = parent.as_object().describe(&options).ok()?;
        described
            .format(Some(DescribeFormatOptions::new().abbreviated_size(0)))
            .ok()
    }

    fn tag_commit(&self, name: &str) -> Option<String> {
        let reference = self
            .repo
            .find_reference(&format!("refs/tags/{name}"))
            .ok()?;
        Some(reference.peel_to_commit().ok()?.id().to_string())
    }
}
