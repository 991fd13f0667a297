//! Refusals of a whole file: not a zip, the end record, the directory's place and
//! count, ZIP64 and other disks. Each file is written by this layer, then damaged in
//! one place.

use super::{
    CENTRAL, END, LOCAL, base, damaged, get_u32, read_zip, refused, set_u16, set_u32, update_u32,
    with,
};
use crate::portable::zip::read::{self, Damage, Directory, Refusal};

#[test]
fn the_base_file_reads_and_its_places_are_as_described() {
    let file = base();
    assert_eq!(file.len(), END + 22);
    assert_eq!(get_u32(&file, END + 16) as usize, CENTRAL[0]);
    assert_eq!(get_u32(&file, CENTRAL[1] + 42) as usize, LOCAL[1]);
    assert_eq!(&file[LOCAL[1]..LOCAL[1] + 4], b"PK\x03\x04");
    assert_eq!(read_zip(&file).unwrap().len(), 2);
}

#[test]
fn what_is_not_a_zip_is_said_so() {
    let mut state: u32 = 12345;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    assert!(!random.windows(4).any(|w| w == b"PK\x05\x06"));
    let mut short = b"PK\x05\x06".to_vec();
    short.resize(21, 0);
    let cut = base()[..END + 21].to_vec();
    for file in [random, Vec::new(), short, vec![0; 22], cut] {
        assert_eq!(refused(&file), Refusal::NotAZip, "{} bytes", file.len());
    }
}

#[test]
fn the_end_record_must_reach_exactly_the_end_of_the_file() {
    assert_eq!(
        damaged(&with(|f| set_u16(f, END + 20, 10))),
        Damage::EndRecordBeyondFile
    );
    assert_eq!(
        damaged(&with(|f| f.extend_from_slice(b"junk"))),
        Damage::BytesAfterEndRecord
    );
    // A comment is fine, even one holding a signature of its own.
    let comment = b"PK\x05\x06 is not an end record here";
    let commented = with(|f| {
        set_u16(f, END + 20, comment.len() as u16);
        f.extend_from_slice(comment);
    });
    assert_eq!(read_zip(&commented).unwrap().len(), 2);
    let tail = base();
    assert_eq!(
        read::find_end(&tail, 10),
        Err(Refusal::Damaged(Damage::TailLongerThanFile))
    );
}

#[test]
fn the_directory_must_lie_within_the_file_before_the_end_record() {
    let beyond = with(|f| set_u32(f, END + 16, 10_000));
    assert_eq!(damaged(&beyond), Damage::DirectoryOutsideFile);
    let into_end = with(|f| update_u32(f, END + 12, |size| size + 1));
    assert_eq!(damaged(&into_end), Damage::DirectoryOutsideFile);
    // Checked again with the bytes given: against the file's length and their own.
    let file = base();
    let directory = Directory {
        offset: CENTRAL[0] as u64,
        size: 102,
        entries: 2,
    };
    let central = &file[CENTRAL[0]..END];
    assert_eq!(
        read::read_directory(central, &directory, 182),
        Err(Damage::DirectoryOutsideFile.into())
    );
    assert_eq!(
        read::read_directory(&central[1..], &directory, 205),
        Err(Damage::DirectoryLengthMismatch.into())
    );
    assert_eq!(
        read::read_directory(central, &directory, 205)
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_entry_counts_must_agree_with_each_other_and_the_directory() {
    let count = |here: u16, total: u16| {
        with(|f| {
            set_u16(f, END + 8, here);
            set_u16(f, END + 10, total);
        })
    };
    for (here, total) in [(3, 3), (1, 1), (0, 0), (1, 2), (2, 3)] {
        assert_eq!(
            damaged(&count(here, total)),
            Damage::EntryCountMismatch,
            "{here} {total}"
        );
    }
}

#[test]
fn zip64_is_refused_by_its_sentinels_and_locator() {
    let sentinels: [(usize, bool); 10] = [
        (END + 4, false),
        (END + 6, false),
        (END + 8, false),
        (END + 10, false),
        (END + 12, true),
        (END + 16, true),
        (CENTRAL[0] + 20, true),
        (CENTRAL[0] + 24, true),
        (CENTRAL[0] + 34, false),
        (CENTRAL[1] + 42, true),
    ];
    for (at, wide) in sentinels {
        let file = with(|f| {
            if wide {
                set_u32(f, at, u32::MAX)
            } else {
                set_u16(f, at, u16::MAX)
            }
        });
        assert_eq!(refused(&file), Refusal::Zip64, "field at {at}");
    }
    let mut local_sentinel = base();
    set_u32(&mut local_sentinel, LOCAL[0] + 18, u32::MAX);
    assert_eq!(refused(&local_sentinel), Refusal::Zip64);
    // A ZIP64 locator between the directory and the end record.
    let mut located = base();
    let mut locator = b"PK\x06\x07".to_vec();
    locator.resize(20, 0);
    located.splice(END..END, locator);
    assert_eq!(refused(&located), Refusal::Zip64);
}

#[test]
fn other_disks_are_refused() {
    for at in [END + 4, END + 6, CENTRAL[1] + 34] {
        assert_eq!(
            refused(&with(|f| set_u16(f, at, 1))),
            Refusal::MultiDisk,
            "field at {at}"
        );
    }
}
