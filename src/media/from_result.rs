//! Where an input image came from when it was a studio result ("Use as input"): the
//! task and the result's position, so a task records its parents and a result shows
//! how many edits were made from it.

use serde::{Deserialize, Serialize};

/// Result `index` (0-based) of the task with local id `record`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FromResult {
    pub record: String,
    pub index: usize,
}
