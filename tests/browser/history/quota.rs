//! A full storage quota is reported, never fatal, and keeps the previous history.

use super::*;

#[wasm_bindgen_test]
async fn a_full_quota_is_reported_not_fatal() {
    let store = fresh().await;
    store.save(&[done(1, 1)]).expect("a small history fits");
    let before = raw();

    // Fill what is left of the origin's quota: the largest filler chunks that fit,
    // halving down to 1 KB, all sliced from one string built once.
    let storage = storage();
    let big = "x".repeat(8 * 1024 * 1024);
    let mut chunk = big.len();
    let mut fillers = 0;
    let mut hit_quota = false;
    while chunk >= 1024 && fillers < 64 {
        match storage.set_item(&format!("filler-{fillers}"), &big[..chunk]) {
            Ok(()) => fillers += 1,
            Err(_) => {
                hit_quota = true;
                chunk /= 2;
            }
        }
    }
    // 50 records of about 700 bytes each cannot fit in under 1 KB.
    let mut crowd: Vec<TaskRecord> = (0..50).rev().map(|n| done(n, 2)).collect();
    for record in &mut crowd {
        record.prompt = "p".repeat(600);
    }
    let outcome = store.save(&crowd);
    let after = raw();
    for n in 0..fillers {
        storage
            .remove_item(&format!("filler-{n}"))
            .expect("remove filler");
    }

    assert!(hit_quota, "the browser never refused a write");
    assert_eq!(outcome, Err(StorageProblem::QuotaExceeded));
    assert_eq!(after, before, "the previous history stays");
    store.save(&crowd).expect("fits again once there is room");
}
