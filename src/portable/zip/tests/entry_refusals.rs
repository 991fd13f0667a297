//! Refusals of entries: their central and local headers, names and ranges. Each file
//! is written by this layer, then damaged in one place.

use super::{
    CENTRAL, END, LOCAL, base, damaged, get_u32, read_zip, refused, set_u16, set_u32, update_u16,
    update_u32, with, write_zip,
};
use crate::portable::zip::read::{self, CentralEntry, Damage, Directory, Refusal};

#[test]
fn central_headers_must_have_their_signature_and_fit() {
    assert_eq!(
        damaged(&with(|f| f[CENTRAL[1]] = b'Q')),
        Damage::BadCentralSignature
    );
    let shorter = with(|f| update_u32(f, END + 12, |size| size - 1));
    assert_eq!(damaged(&shorter), Damage::CentralHeaderTruncated);
    let long_comment = with(|f| set_u16(f, CENTRAL[1] + 32, 1));
    assert_eq!(damaged(&long_comment), Damage::CentralHeaderTruncated);
}

#[test]
fn encrypted_entries_are_refused() {
    for bit in [1, 1 << 6, 1 << 13] {
        let file = with(|f| update_u16(f, CENTRAL[1] + 8, |flags| flags | bit));
        assert_eq!(refused(&file), Refusal::Encrypted, "bit {bit}");
    }
    assert_eq!(
        refused(&with(|f| update_u16(f, LOCAL[0] + 6, |flags| flags | 1))),
        Refusal::Encrypted
    );
}

#[test]
fn entries_sharing_bytes_are_refused() {
    // Same data, so entry 1 agrees with entry 0's local header in everything.
    let twins = write_zip(&[("a.txt", b"hello"), ("b.txt", b"hello")]);
    assert!(read_zip(&twins).is_ok());
    let second_central = get_u32(&twins, twins.len() - 22 + 16) as usize + 46 + 5;
    let mut shared = twins.clone();
    set_u32(&mut shared, second_central + 42, 0);
    assert_eq!(damaged(&shared), Damage::Overlapping);
}

fn entry(header_offset: u64, compressed: u64) -> CentralEntry {
    CentralEntry {
        name: "a".into(),
        method: 0,
        flags: 0,
        crc32: 0,
        compressed,
        size: compressed,
        header_offset,
    }
}

#[test]
fn ranges_are_checked_in_any_order_from_local_header_to_data_end() {
    let directory = Directory {
        offset: 1000,
        size: 0,
        entries: 2,
    };
    let check = |ranges: &[(u64, &CentralEntry)]| read::check_ranges(ranges, &directory);
    let first = entry(0, 100); // spans [0, 131) with its start at 31
    let adjacent = entry(131, 10);
    let inside = entry(130, 10);
    let last = entry(949, 20); // [949, 1000)
    assert_eq!(check(&[(162, &adjacent), (31, &first)]), Ok(()));
    assert_eq!(check(&[(980, &last), (31, &first)]), Ok(()));
    assert_eq!(
        check(&[(161, &inside), (31, &first)]),
        Err(Damage::Overlapping.into())
    );
    assert_eq!(
        check(&[(31, &first), (31, &first)]),
        Err(Damage::Overlapping.into())
    );
    let empty = entry(0, 0);
    assert_eq!(
        check(&[(31, &empty), (31, &empty)]),
        Err(Damage::Overlapping.into())
    );
    let past = entry(949, 21);
    assert_eq!(
        check(&[(31, &first), (980, &past)]),
        Err(Damage::DataBeyondDirectory.into())
    );
    assert_eq!(check(&[]), Ok(()));
}

#[test]
fn local_headers_must_have_their_signature_and_agree_with_the_directory() {
    assert_eq!(
        damaged(&with(|f| f[LOCAL[1] + 3] = 9)),
        Damage::BadLocalSignature
    );
    let changes: [(usize, u32, bool); 6] = [
        (LOCAL[0] + 8, 8, false),  // method
        (LOCAL[0] + 26, 4, false), // name length
        (LOCAL[1] + 14, 1, true),  // CRC
        (LOCAL[1] + 18, 5, true),  // compressed size
        (LOCAL[1] + 22, 0, true),  // size, zero without a data descriptor
        (LOCAL[1] + 14, 0, true),  // CRC, zero without a data descriptor
    ];
    for (at, value, wide) in changes {
        let file = with(|f| {
            if wide {
                set_u32(f, at, value)
            } else {
                set_u16(f, at, value as u16)
            }
        });
        assert_eq!(damaged(&file), Damage::LocalHeaderMismatch, "field at {at}");
    }
    let file = base();
    let directory = read::find_end(&file, file.len() as u64).unwrap();
    let entries =
        read::read_directory(&file[CENTRAL[0]..END], &directory, file.len() as u64).unwrap();
    let truncated = read::data_start(&file[..29], &entries[0], &directory);
    assert_eq!(truncated, Err(Damage::LocalHeaderTruncated.into()));
    assert_eq!(
        read::data_start(&file[..30], &entries[0], &directory),
        Ok(35)
    );
}

#[test]
fn with_a_data_descriptor_the_local_values_may_be_zero_but_not_wrong() {
    let described = |crc: u32| {
        with(|f| {
            update_u16(f, LOCAL[1] + 6, |flags| flags | 1 << 3);
            set_u32(f, LOCAL[1] + 14, crc);
            set_u32(f, LOCAL[1] + 18, 0);
            set_u32(f, LOCAL[1] + 22, 0);
        })
    };
    let file = described(0);
    let read = read_zip(&file).unwrap();
    assert_eq!(read[1].1, b"world!");
    assert_eq!(damaged(&described(7)), Damage::LocalHeaderMismatch);
}

#[test]
fn data_must_end_before_the_directory() {
    let long_extra = with(|f| set_u16(f, LOCAL[1] + 28, 1000));
    assert_eq!(damaged(&long_extra), Damage::DataBeyondDirectory);
    // A local header that would not end before the directory: refused from the
    // directory alone, before anyone reads it.
    let header_in_directory = with(|f| set_u32(f, CENTRAL[1] + 42, CENTRAL[0] as u32 - 29));
    assert_eq!(
        damaged(&header_in_directory),
        Damage::LocalHeaderBeyondDirectory
    );
}

#[test]
fn names_must_be_utf8_whatever_the_flag_says() {
    let bad = with(|f| f[CENTRAL[1] + 46] = 0xff);
    assert_eq!(damaged(&bad), Damage::NameNotUtf8);
    let unflagged = |name_byte: u8| {
        with(|f| {
            set_u16(f, CENTRAL[1] + 8, 0);
            f[CENTRAL[1] + 46] = name_byte;
        })
    };
    assert_eq!(
        damaged(&unflagged(0x82)),
        Damage::NameNotUtf8,
        "CP437's é is not decoded"
    );
    assert_eq!(read_zip(&unflagged(b'c')).unwrap()[1].0.name, "c.txt");
}

#[test]
fn stored_entries_must_have_one_size() {
    let file = with(|f| set_u32(f, CENTRAL[0] + 20, 4));
    assert_eq!(damaged(&file), Damage::StoredSizeMismatch);
}
