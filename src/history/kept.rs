//! Whether a task's images are kept in this browser (the archive, `crate::archive`),
//! as its record says, so every tab shows the same and a reload knows without asking
//! the database.

use serde::{Deserialize, Serialize};

use crate::archive::NotKept;

/// Where a task's images are, beyond their temporary links.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// Not kept (yet): a task not done, or done before the archive existed.
    #[default]
    No,
    /// Its results (and local inputs) are in the archive.
    Yes,
    /// They could not be kept, for this reason; the links still work until they
    /// expire.
    Refused(NotKept),
    /// They were kept, then removed to make room for newer ones.
    Removed,
}

impl Kept {
    /// True for [`Kept::No`], which a record does not write.
    pub fn is_no(&self) -> bool {
        *self == Kept::No
    }
}
