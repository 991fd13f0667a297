//! The archive's budget: which tasks' images go when a new task's do not fit.
//!
//! The budget is counted from the stored images' own sizes (kept with each image),
//! never by asking the browser for an estimate in a loop. An image several tasks use
//! (the same local input sent again) is counted once and freed only with the last
//! task that uses it. The oldest unpinned tasks go first; a pinned task is never
//! removed to make room. When even removing every unpinned task would not make room,
//! nothing is removed: the new task is not kept, and says why.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// One kept task as the budget sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldTask {
    /// The task's local id.
    pub id: String,
    /// Kept whatever the budget (the person pinned it).
    pub pinned: bool,
    /// When its images were kept (ms since the epoch): the oldest go first.
    pub kept_at_ms: f64,
    /// The keys of the images it uses.
    pub images: Vec<String>,
}

/// What the archive holds: the tasks and the size of every image they use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Holdings {
    pub tasks: Vec<HeldTask>,
    /// Bytes of each stored image, by key.
    pub sizes: HashMap<String, u64>,
}

/// Why a new task's images cannot be kept within the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoesNotFit {
    /// Bytes the new images need.
    pub needed: u64,
    /// Bytes that removing every unpinned task would leave free.
    pub available: u64,
}

impl Holdings {
    /// Bytes held: every stored image once.
    pub fn total(&self) -> u64 {
        self.sizes.values().copied().fold(0, u64::saturating_add)
    }

    /// The tasks to remove, oldest first, so that a task using `incoming` images
    /// (key and size; those already stored cost nothing more) fits in `budget` bytes.
    pub fn make_room(
        &self,
        incoming: &[(String, u64)],
        budget: u64,
    ) -> Result<Vec<String>, DoesNotFit> {
        let mut users: HashMap<&str, usize> = HashMap::new();
        for task in &self.tasks {
            for image in &task.images {
                *users.entry(image.as_str()).or_default() += 1;
            }
        }
        // The new task uses its images too, so an old task sharing one frees nothing.
        let mut needed = 0u64;
        for (key, size) in incoming {
            if !self.sizes.contains_key(key) {
                needed = needed.saturating_add(*size);
            }
            *users.entry(key.as_str()).or_default() += 1;
        }
        let mut held = self.total();
        let mut removable: Vec<&HeldTask> = self.tasks.iter().filter(|task| !task.pinned).collect();
        removable.sort_by(|a, b| a.kept_at_ms.total_cmp(&b.kept_at_ms));
        let mut removed = Vec::new();
        for task in removable {
            if held.saturating_add(needed) <= budget {
                break;
            }
            for image in &task.images {
                if let Some(count) = users.get_mut(image.as_str()) {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        held = held.saturating_sub(self.sizes.get(image).copied().unwrap_or(0));
                    }
                }
            }
            removed.push(task.id.clone());
        }
        if held.saturating_add(needed) <= budget {
            Ok(removed)
        } else {
            Err(DoesNotFit {
                needed,
                available: budget.saturating_sub(held),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, pinned: bool, kept_at_ms: f64, images: &[&str]) -> HeldTask {
        HeldTask {
            id: id.to_owned(),
            pinned,
            kept_at_ms,
            images: images.iter().map(|key| (*key).to_owned()).collect(),
        }
    }

    fn holdings(tasks: Vec<HeldTask>, sizes: &[(&str, u64)]) -> Holdings {
        Holdings {
            tasks,
            sizes: sizes
                .iter()
                .map(|(key, size)| ((*key).to_owned(), *size))
                .collect(),
        }
    }

    fn incoming(images: &[(&str, u64)]) -> Vec<(String, u64)> {
        images
            .iter()
            .map(|(key, size)| ((*key).to_owned(), *size))
            .collect()
    }

    #[test]
    fn what_fits_removes_nothing() {
        let held = holdings(vec![task("a", false, 1.0, &["r:a"])], &[("r:a", 40)]);
        assert_eq!(held.make_room(&incoming(&[("r:b", 60)]), 100), Ok(vec![]));
    }

    #[test]
    fn the_oldest_unpinned_go_first_and_only_as_many_as_needed() {
        let held = holdings(
            vec![
                task("new", false, 3.0, &["r:new"]),
                task("old", false, 1.0, &["r:old"]),
                task("pinned", true, 0.0, &["r:pinned"]),
                task("middle", false, 2.0, &["r:middle"]),
            ],
            &[
                ("r:new", 30),
                ("r:old", 30),
                ("r:pinned", 30),
                ("r:middle", 30),
            ],
        );
        // 120 held + 50 new in 120: two must go, the oldest unpinned ones.
        assert_eq!(
            held.make_room(&incoming(&[("r:x", 50)]), 120),
            Ok(vec!["old".to_owned(), "middle".to_owned()])
        );
    }

    #[test]
    fn a_shared_image_is_counted_once_and_freed_with_its_last_user() {
        let held = holdings(
            vec![
                task("a", false, 1.0, &["in:cat", "r:a"]),
                task("b", false, 2.0, &["in:cat", "r:b"]),
            ],
            &[("in:cat", 100), ("r:a", 10), ("r:b", 10)],
        );
        assert_eq!(held.total(), 120);
        // Removing `a` frees only its result (b still uses the input): 10 bytes.
        assert_eq!(
            held.make_room(&incoming(&[("r:c", 10)]), 120),
            Ok(vec!["a".to_owned()])
        );
        // Needing more, both go and the input with them.
        assert_eq!(
            held.make_room(&incoming(&[("r:c", 100)]), 120),
            Ok(vec!["a".to_owned(), "b".to_owned()])
        );
    }

    #[test]
    fn an_input_already_stored_costs_nothing_and_is_not_freed_for_its_new_user() {
        let held = holdings(vec![task("a", false, 1.0, &["in:cat"])], &[("in:cat", 100)]);
        // The new task sends the same input again: only its result is new.
        assert_eq!(
            held.make_room(&incoming(&[("in:cat", 100), ("r:b", 20)]), 120),
            Ok(vec![])
        );
        // Removing `a` would not free the input the new task uses, so it cannot help.
        assert_eq!(
            held.make_room(&incoming(&[("in:cat", 100), ("r:b", 30)]), 120),
            Err(DoesNotFit {
                needed: 30,
                available: 20
            })
        );
    }

    #[test]
    fn pins_are_never_removed_and_nothing_goes_for_a_task_that_cannot_fit() {
        let held = holdings(
            vec![
                task("pinned", true, 1.0, &["r:p"]),
                task("old", false, 2.0, &["r:o"]),
            ],
            &[("r:p", 80), ("r:o", 10)],
        );
        assert_eq!(
            held.make_room(&incoming(&[("r:x", 50)]), 100),
            Err(DoesNotFit {
                needed: 50,
                available: 20
            })
        );
    }
}
