use super::*;

fn saved(name: &str, text: &str) -> SavedInstruction {
    SavedInstruction {
        name: name.to_owned(),
        text: text.to_owned(),
    }
}

#[test]
fn recent_instructions_are_newest_first_each_once_and_never_empty() {
    let prompts = [
        "Turn it into a watercolour",
        "  ",
        "Make the sky purple",
        "Turn it  into a watercolour\n",
        "",
        "把图2里的帽子戴到图1的人头上",
        "Make the sky purple",
    ];
    assert_eq!(
        recent(prompts),
        [
            "Turn it into a watercolour",
            "Make the sky purple",
            "把图2里的帽子戴到图1的人头上"
        ]
    );
}

#[test]
fn recent_instructions_stop_at_the_limit() {
    let prompts: Vec<String> = (0..50).map(|i| format!("edit {i}")).collect();
    let list = recent(prompts.iter().map(String::as_str));
    assert_eq!(list.len(), MAX_RECENT);
    assert_eq!(list.first().map(String::as_str), Some("edit 0"));
    assert_eq!(list.last().map(String::as_str), Some("edit 19"));
}

#[test]
fn a_saved_instruction_is_tidied_and_named_by_its_first_words_when_unnamed() {
    assert_eq!(
        SavedInstruction::vetted("  Watercolour \n look ", "  Turn it into a watercolour\n"),
        Some(saved("Watercolour look", "Turn it into a watercolour"))
    );
    let long =
        "Put the product from Image 2 on the table in Image 1, in soft light\nand keep the shadows";
    assert_eq!(
        SavedInstruction::vetted("", long).map(|s| s.name),
        Some("Put the product from Image 2 on the…".to_owned())
    );
    assert_eq!(
        default_name(&"水彩".repeat(30)).chars().count(),
        DEFAULT_NAME_CHARS + 1
    );
    assert_eq!(default_name("Short one\nsecond line"), "Short one");
    let long_name = "n".repeat(200);
    assert_eq!(
        SavedInstruction::vetted(&long_name, "x").map(|s| s.name.chars().count()),
        Some(MAX_NAME_CHARS + 1)
    );
}

#[test]
fn an_empty_or_overlong_instruction_cannot_be_saved() {
    assert_eq!(SavedInstruction::vetted("name", "  \n "), None);
    let over = "字".repeat(PROMPT_MAX_CHARS + 1);
    assert_eq!(SavedInstruction::vetted("name", &over), None);
    let at = "字".repeat(PROMPT_MAX_CHARS);
    assert!(SavedInstruction::vetted("name", &at).is_some());
}

#[test]
fn saving_puts_it_first_and_saving_the_same_text_renames_it() {
    let list = vec![saved("A", "first"), saved("B", "second")];
    let list = with_saved(&list, saved("C", "third")).unwrap();
    assert_eq!(
        list,
        [
            saved("C", "third"),
            saved("A", "first"),
            saved("B", "second")
        ]
    );
    let list = with_saved(&list, saved("Renamed", "second ")).unwrap();
    assert_eq!(
        list,
        [
            saved("Renamed", "second "),
            saved("C", "third"),
            saved("A", "first")
        ]
    );
}

#[test]
fn a_full_list_refuses_a_new_text_but_takes_a_rename() {
    let list: Vec<SavedInstruction> = (0..MAX_SAVED)
        .map(|i| saved(&format!("n{i}"), &format!("t{i}")))
        .collect();
    assert_eq!(with_saved(&list, saved("new", "new text")), Err(Full));
    let renamed = with_saved(&list, saved("renamed", "t5")).unwrap();
    assert_eq!(renamed.len(), MAX_SAVED);
    assert_eq!(renamed[0], saved("renamed", "t5"));
}

#[test]
fn removing_takes_only_that_text() {
    let list = vec![saved("A", "first"), saved("B", "second")];
    assert_eq!(without(&list, "first"), [saved("B", "second")]);
    assert_eq!(without(&list, "third"), list);
}

#[test]
fn an_import_adds_what_is_new_and_keeps_what_is_here() {
    let list = vec![saved("Mine", "first")];
    let incoming = vec![
        saved("Theirs", "first"),
        saved("B", "second"),
        saved("C", "second"),
    ];
    let (merged_list, added) = merged(&list, &incoming);
    assert_eq!(merged_list, [saved("Mine", "first"), saved("B", "second")]);
    assert_eq!(added, 1);
}

#[test]
fn an_import_stops_at_the_limit() {
    let list: Vec<SavedInstruction> = (0..MAX_SAVED - 1)
        .map(|i| saved("n", &format!("t{i}")))
        .collect();
    let (out, added) = merged(&list, &[saved("a", "new 1"), saved("b", "new 2")]);
    assert_eq!((out.len(), added), (MAX_SAVED, 1));
}

#[test]
fn an_empty_field_is_offered_everything_saved_first_without_repeats() {
    let saved_list = vec![saved("Watercolour", "Turn it into a watercolour")];
    let recent_list = vec![
        "Make the sky purple".to_owned(),
        "Turn it into a  watercolour".to_owned(),
    ];
    assert_eq!(
        suggestions("  ", &saved_list, &recent_list),
        [
            Suggestion::Saved(saved_list[0].clone()),
            Suggestion::Recent("Make the sky purple".to_owned()),
        ]
    );
}

#[test]
fn typing_filters_by_name_or_text_ignoring_case_and_spacing() {
    let saved_list = vec![
        saved("Watercolour", "Paint it softly"),
        saved("Night", "Make it night"),
    ];
    let recent_list = vec!["Turn the SKY purple".to_owned(), "水彩风格".to_owned()];
    let texts = |typed: &str| -> Vec<String> {
        suggestions(typed, &saved_list, &recent_list)
            .iter()
            .map(|s| s.text().to_owned())
            .collect()
    };
    assert_eq!(texts("WATER"), ["Paint it softly"]);
    assert_eq!(texts("it"), ["Paint it softly", "Make it night"]);
    assert_eq!(texts("the  sky"), ["Turn the SKY purple"]);
    assert_eq!(texts("水彩"), ["水彩风格"]);
    assert!(texts("nothing like this").is_empty());
}

#[test]
fn at_most_a_few_suggestions_are_listed() {
    let recent_list: Vec<String> = (0..MAX_RECENT).map(|i| format!("edit {i}")).collect();
    assert_eq!(suggestions("", &[], &recent_list).len(), MAX_SHOWN);
}

#[test]
fn stored_entries_are_read_one_by_one() {
    let json = r#"[
        {"name": "Good", "text": "Turn it into a watercolour"},
        {"name": 3, "text": "a number for a name"},
        "not an entry",
        {"name": "Empty", "text": "   "},
        {"name": "Again", "text": "Turn it into a watercolour"},
        {"name": "", "text": "Second", "later": true}
    ]"#;
    assert_eq!(
        read_stored(json),
        [
            saved("Good", "Turn it into a watercolour"),
            saved("Second", "Second")
        ]
    );
    assert!(read_stored("not json").is_empty());
    assert!(read_stored(r#"{"name": "x"}"#).is_empty());
}
