//! The limits of a file without ZIP64, and the DOS time written in it.

use super::{read_zip, to_write};
use crate::portable::zip::write::{self, DosTime, EntryToWrite, MAX_ENTRIES, Part, TooLarge};

const TIME: DosTime = DosTime {
    date: 0x21,
    time: 0,
};

fn empty_entries(count: usize) -> Vec<EntryToWrite> {
    (0..count)
        .map(|_| EntryToWrite {
            name: "a".into(),
            bytes: 0,
            crc32: 0,
        })
        .collect()
}

#[test]
fn more_entries_than_the_end_record_counts_are_refused() {
    for count in [65_535, 65_536] {
        assert_eq!(
            write::layout(&empty_entries(count), TIME),
            Err(TooLarge::Entries { count })
        );
    }
}

#[test]
fn the_most_entries_are_written_and_read_back() {
    // Distinct names, none sharing a local header, all zero bytes.
    let names: Vec<String> = (0..MAX_ENTRIES).map(|index| format!("{index:x}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|name| (name.as_str(), &b""[..])).collect();
    let parts = write::layout(&to_write(&files), TIME).unwrap();
    let file = super::assemble(&parts, &files);
    let read = read_zip(&file).unwrap();
    assert_eq!(read.len(), MAX_ENTRIES);
    assert_eq!(read[MAX_ENTRIES - 1].0.name, "fffd");
}

#[test]
fn files_reaching_4_gib_are_refused_by_their_numbers_alone() {
    let one = |bytes: u64| {
        vec![EntryToWrite {
            name: "big.png".into(),
            bytes,
            crc32: 7,
        }]
    };
    // Headers: 30 + 46 + 2 * 7 name bytes + 22 for the end record.
    let overhead = 30 + 46 + 14 + 22;
    let largest = u64::from(u32::MAX) - overhead;
    assert_eq!(write::total_len(&one(largest)), u64::from(u32::MAX));
    let parts = write::layout(&one(largest), TIME).unwrap();
    let [Part::Bytes(_), Part::Entry(0), Part::Bytes(tail)] = parts.as_slice() else {
        panic!("{parts:?}")
    };
    let end = &tail[tail.len() - 22..];
    let directory_offset = u32::from_le_bytes(end[16..20].try_into().unwrap());
    assert_eq!(u64::from(directory_offset), 30 + 7 + largest);
    for bytes in [largest + 1, u64::from(u32::MAX), u64::MAX] {
        let total = write::total_len(&one(bytes));
        assert!(total > u64::from(u32::MAX));
        assert_eq!(
            write::layout(&one(bytes), TIME),
            Err(TooLarge::Bytes { total })
        );
    }
    // Entries each below the limit, together past it.
    let halves = [one(1 << 31), one(1 << 31)].concat();
    let total = write::total_len(&halves);
    assert_eq!(total, (1 << 32) + 2 * 90 + 22);
    assert_eq!(write::layout(&halves, TIME), Err(TooLarge::Bytes { total }));
}

#[test]
fn names_too_long_for_their_field_are_refused() {
    let mut entries = empty_entries(2);
    entries[1].name = "n".repeat(65_536);
    assert_eq!(
        write::layout(&entries, TIME),
        Err(TooLarge::Name {
            index: 1,
            len: 65_536
        })
    );
    entries[1].name.pop();
    assert!(write::layout(&entries, TIME).is_ok());
}

/// (year, month, day, hour, minute, second) of a DOS time.
fn parts_of(time: DosTime) -> (u16, u16, u16, u16, u16, u16) {
    let (date, clock) = (time.date, time.time);
    (
        1980 + (date >> 9),
        date >> 5 & 15,
        date & 31,
        clock >> 11,
        clock >> 5 & 63,
        (clock & 31) * 2,
    )
}

#[test]
fn unix_times_become_utc_dos_times() {
    let cases = [
        (1_710_510_331_000.0, (2024, 3, 15, 13, 45, 30)), // :31 rounds down to even
        (1_710_510_331_999.9, (2024, 3, 15, 13, 45, 30)),
        (1_709_251_198_000.0, (2024, 2, 29, 23, 59, 58)),
        (951_825_600_000.0, (2000, 2, 29, 12, 0, 0)),
        (4_107_542_400_000.0, (2100, 3, 1, 0, 0, 0)), // 2100 has no February 29
        (315_532_800_000.0, (1980, 1, 1, 0, 0, 0)),
    ];
    for (ms, expected) in cases {
        assert_eq!(parts_of(DosTime::from_unix_ms(ms)), expected, "{ms}");
    }
    let known = zip::DateTime::from_date_and_time(2024, 3, 15, 13, 45, 30).unwrap();
    let ours = DosTime::from_unix_ms(1_710_510_330_000.0);
    assert_eq!((ours.date, ours.time), (known.datepart(), known.timepart()));
}

#[test]
fn times_out_of_range_are_clamped_without_panic() {
    let first = DosTime {
        date: (1 << 5) | 1,
        time: 0,
    };
    for ms in [
        0.0,
        -1.0,
        -1e300,
        f64::NAN,
        f64::NEG_INFINITY,
        315_532_799_999.0,
    ] {
        assert_eq!(DosTime::from_unix_ms(ms), first, "{ms}");
    }
    let last = DosTime::from_unix_ms(f64::INFINITY);
    assert_eq!(parts_of(last), (2107, 12, 31, 23, 59, 58));
    for ms in [4_354_819_199_000.0, 4_354_819_200_000.0, 1e18, f64::MAX] {
        assert_eq!(DosTime::from_unix_ms(ms), last, "{ms}");
    }
}
