//! The archive's stores and indexes (listed in `db`'s documentation), and the upgrade
//! that makes them.

use idb::{Database, Error, IndexParams, KeyPath, ObjectStore, ObjectStoreParams};

/// The schema's version: raise it with every change to the stores or indexes, and
/// upgrade from each earlier one in [`upgrade`].
pub(super) const VERSION: u32 = 1;
pub(super) const BLOBS: &str = "blobs";
pub(super) const IMAGES: &str = "images";
pub(super) const TASKS: &str = "tasks";
pub(super) const BY_PIN_AND_AGE: &str = "by_pin_and_age";
pub(super) const RECORDS: &str = "records";
pub(super) const BY_TIME: &str = "by_time";

/// Creates the stores and indexes of [`VERSION`] (the first: nothing to migrate).
pub(super) fn upgrade(database: &Database) -> Result<(), Error> {
    let names = database.store_names();
    if !names.iter().any(|name| name == BLOBS) {
        database.create_object_store(BLOBS, ObjectStoreParams::new())?;
    }
    if !names.iter().any(|name| name == IMAGES) {
        let mut params = ObjectStoreParams::new();
        params.key_path(Some(KeyPath::new_single("key")));
        database.create_object_store(IMAGES, params)?;
    }
    if !names.iter().any(|name| name == RECORDS) {
        let mut params = ObjectStoreParams::new();
        params.key_path(Some(KeyPath::new_single("id")));
        let records: ObjectStore = database.create_object_store(RECORDS, params)?;
        records.create_index(
            BY_TIME,
            KeyPath::new_single("submitted_at"),
            Some(IndexParams::new()),
        )?;
    }
    if !names.iter().any(|name| name == TASKS) {
        let mut params = ObjectStoreParams::new();
        params.key_path(Some(KeyPath::new_single("id")));
        let tasks: ObjectStore = database.create_object_store(TASKS, params)?;
        tasks.create_index(
            BY_PIN_AND_AGE,
            KeyPath::new_array(["pinned", "kept_at"]),
            Some(IndexParams::new()),
        )?;
    }
    Ok(())
}
