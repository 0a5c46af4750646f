//! Bad input a contributor or the world can produce: each gets a clear error with file, line
//! and column where there is one, and nothing is lost or half-written.

mod common;

use common::{diagnostic_lines, fixture, verify};

#[test]
fn non_utf8_bytes_in_a_chapter_name_their_position_and_exit_two() {
    let tree = fixture(&[]);
    let chapter = tree.path().join("book/current/index.md");
    let mut bytes = std::fs::read(&chapter).unwrap();
    let at = bytes.windows(4).position(|w| w == b"Then").unwrap();
    bytes[at + 2] = 0xfe;
    std::fs::write(&chapter, bytes).unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:4:3: error[book]: the file is not valid UTF-8"]
    );
}

#[test]
fn a_bom_keeps_lines_and_columns_right_and_survives_fix() {
    let tree = fixture(&["drifted-value"]);
    let chapter = tree.path().join("book/current/add-account.md");
    let with_bom = format!("\u{feff}{}", std::fs::read_to_string(&chapter).unwrap());
    std::fs::write(&chapter, &with_bom).unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("book/current/add-account.md:5:16: error[settings]"),
        "{output}"
    );
    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_eq!(code, 0, "{output}");
    let fixed = std::fs::read_to_string(&chapter).unwrap();
    assert_eq!(
        fixed,
        with_bom.replace("`outlook.office.com`", "`outlook.office365.com`")
    );
}

#[test]
fn crlf_chapters_report_the_same_lines_and_columns() {
    let tree = fixture(&["drifted-value"]);
    let chapter = tree.path().join("book/current/add-account.md");
    let crlf = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&chapter, crlf).unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        output.contains("book/current/add-account.md:5:16: error[settings]"),
        "{output}"
    );
    assert!(
        output.contains("5 | The server is `outlook.office.com`<!-- setting: service.exchange_server -->, found automatically.\n"),
        "no carriage return in the shown line:\n{output}"
    );
}

#[test]
fn an_include_that_escapes_the_repository_is_refused() {
    let tree = fixture(&["escaping-include"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        diagnostic_lines(&output).contains(
            &"book/current/add-account.md:5:1: error[include]: included file `../../../../../etc/hostname` points outside the repository".to_string()
        ),
        "{output}"
    );
}

#[test]
fn file_and_javascript_links_are_refused() {
    let tree = fixture(&[]);
    let chapter = tree.path().join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}See [the file](file:///etc/passwd).\n"),
    )
    .unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:5:5: error[urls]: link to a `file:` address; readers may only be sent to http(s) pages"]
    );
}

#[test]
fn a_fifty_megabyte_yaml_is_refused_without_reading_it() {
    let tree = fixture(&[]);
    let file = std::fs::File::create(tree.path().join("guide.yaml")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("guide.yaml:1:1: error[yaml]: guide.yaml is 52428800 bytes, more than the 4194304 this tool reads"), "{output}");
}

#[test]
fn a_marker_key_with_spaces_or_junk_is_an_unknown_key() {
    let tree = fixture(&[]);
    let chapter = tree.path().join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}Server: `x`<!-- setting: service exchange -->\n"),
    )
    .unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        output.contains("unknown setting `service exchange`"),
        "{output}"
    );
}
