//! Histories saved by earlier versions read unchanged: format 2 as the version before
//! the lenient size and the envelope's code wrote it (the format 1 fixture, migrated
//! and saved by that version), and format 1 itself.

use super::*;

const FORMAT_1: &str = include_str!("../../tests/fixtures/history-v1.json");
const FORMAT_2: &str = include_str!("../../tests/fixtures/history-v2.json");

#[test]
fn a_saved_format_2_history_reads_and_writes_back_byte_for_byte() {
    let (records, warning) = parse_history(FORMAT_2);
    assert_eq!(warning, None);
    let stored: Vec<serde_json::Value> = serde_json::from_str(FORMAT_2).unwrap();
    assert_eq!(records.len(), stored.len());
    assert_eq!(serialize_history(&records).unwrap(), FORMAT_2);
}

#[test]
fn both_formats_read_as_the_same_records() {
    let (from_format_1, warning) = parse_legacy_history(FORMAT_1);
    assert_eq!(warning, None);
    let (from_format_2, _) = parse_history(FORMAT_2);
    assert_eq!(from_format_1, from_format_2);
}

#[test]
fn a_size_that_is_not_one_is_kept_as_it_was_and_cannot_be_sent() {
    let (records, _) = parse_history(FORMAT_2);
    let odd: Vec<&TaskRecord> = records
        .iter()
        .filter(|record| matches!(record.size, RecordedSize::Unusable(_)))
        .collect();
    assert_eq!(odd.len(), 1, "the fixture holds one \"2K\"");
    let record = odd[0];
    assert_eq!(record.size, RecordedSize::Unusable("2K".into()));
    assert_eq!(record.to_request(Vec::new()).unwrap_err(), "2K");
    // Every other record gives back the request it was made from.
    for record in records.iter().filter(|r| r.id != record.id) {
        let request = record.to_request(Vec::new()).unwrap();
        assert_eq!(request.size.to_string(), record.size.to_string());
        assert_eq!(request.prompt, record.prompt);
        assert_eq!(
            (
                request.sequential_image_generation,
                request.sequential_image_generation_max_images,
                request.output_format,
            ),
            (record.sequential, record.max_images, record.output_format),
            "{}",
            record.id
        );
    }
}
