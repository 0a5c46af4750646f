//! A reading record means reading: the digest covers what readers see (the prose marked with a
//! fact, not only guide.yaml), verify names the command that shows the fact side by side
//! instead of a line to paste, and `cargo xtask read` records only on a person's `yes`.

mod common;

use std::io::Cursor;
use std::path::Path;

use common::{copy_of_repository_guide, edit, verify, xtask_split};

const KEY: &str = "claims.eas_basic_auth_retired";
const SENTENCE: &str = "Exchange Online no longer accepts it, for Exchange ActiveSync (the iPhone's Exchange accounts) among others.";

fn not_read_since(output: &str) -> bool {
    output.contains(&format!(
        "`{KEY}` changed since it was read against its quotes"
    ))
}

#[test]
fn a_changed_marked_sentence_of_the_prose_needs_a_new_reading() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    let (code, output) = verify(root, &["--no-build"]);
    assert_eq!(code, 0, "{output}");
    // Broader prose under the same claim and quotes: the reading no longer holds.
    edit(&root.join("book/glossary.md"), |text| {
        assert!(text.contains(SENTENCE));
        text.replacen(
            "Exchange Online no longer accepts it,",
            "Nothing from Microsoft accepts it any more,",
            1,
        )
    });
    let (code, output) = verify(root, &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    assert!(not_read_since(&output), "{output}");
    // The hint names the command; no record is printed to paste.
    assert!(
        output.contains(&format!("cargo xtask read {KEY}")),
        "{output}"
    );
    assert!(
        !output.contains("= expected: read:"),
        "no record to paste: {output}"
    );
}

#[test]
fn read_shows_the_fact_side_by_side_and_never_records_without_a_terminal() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book/glossary.md"), |text| {
        text.replacen("no longer accepts it,", "no longer takes it,", 1)
    });
    let before = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    let printed = xtask_split(&["read", "--root", root.to_str().unwrap(), KEY]);
    assert_eq!(printed.code, 1, "{}{}", printed.stdout, printed.stderr);
    let out = &printed.stdout;
    assert!(out.contains("The claim:"), "{out}");
    assert!(out.contains("What the sources say:"), "{out}");
    assert!(
        out.contains("book/glossary.md:"),
        "the marked sentence, with its place: {out}"
    );
    assert!(out.contains("no longer takes it"), "{out}");
    assert!(out.contains("nothing is recorded"), "{out}");
    let after = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    assert_eq!(before, after, "nothing was written");
}

fn read_answering(root: &Path, answer: &str) -> (u8, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut input = Cursor::new(answer.as_bytes().to_vec());
    let code = {
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        xtask::reading::command(
            root,
            KEY,
            xtask::dates::today(),
            Some(&mut input),
            &mut console,
        )
    };
    (
        code,
        String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap(),
    )
}

#[test]
fn read_records_on_yes_only_and_verify_is_then_clean() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book/glossary.md"), |text| {
        text.replacen("no longer accepts it,", "no longer takes it,", 1)
    });
    let before = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    let (code, output) = read_answering(root, "y\n");
    assert_eq!(code, 1, "{output}");
    assert_eq!(
        before,
        std::fs::read_to_string(root.join("guide.yaml")).unwrap()
    );

    let (code, output) = read_answering(root, "yes\n");
    assert_eq!(code, 0, "{output}");
    let after = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "only the record's line: {changed:?}");
    assert!(changed[0]
        .1
        .contains(&format!("on: {}", xtask::dates::today())));
    let (code, output) = verify(root, &["--no-build"]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn read_adds_a_record_to_a_fact_never_read() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("guide.yaml"), |text| {
        let at = text.find(&format!("  - keys: [{KEY}]\n")).unwrap();
        let line_end = at + text[at..].find('\n').unwrap() + 1;
        let next_end = line_end + text[line_end..].find('\n').unwrap() + 1;
        assert!(text[line_end..next_end].trim_start().starts_with("read:"));
        format!("{}{}", &text[..line_end], &text[next_end..])
    });
    let (code, output) = verify(root, &["--no-build"]);
    assert!(
        output.contains(&format!("`{KEY}` has not been read")),
        "{output}"
    );
    assert_eq!(code, 1);
    let (code, output) = read_answering(root, "yes\n");
    assert_eq!(code, 0, "{output}");
    let (code, output) = verify(root, &["--no-build"]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn where_names_the_value_its_fact_and_every_place_that_shows_it() {
    let root = xtask::project_root();
    let printed = xtask_split(&[
        "where",
        "--root",
        root.to_str().unwrap(),
        "editions.current.accounts_path",
    ]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let out = &printed.stdout;
    assert!(
        out.contains(
            "editions.current.accounts_path = Settings → Apps → Calendar → Calendar Accounts"
        ),
        "{out}"
    );
    let yaml = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    let line = yaml[..yaml
        .find("accounts_path: [Settings, Apps, Calendar, Calendar Accounts]")
        .unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        out.contains(&format!("written at guide.yaml:{line}:")),
        "{out}"
    );
    assert!(out.contains("fact: "), "{out}");
    assert!(out.contains("snippets/current/problems.md:"), "{out}");
    let printed = xtask_split(&[
        "where",
        "--root",
        root.to_str().unwrap(),
        "editions.current.acounts_path",
    ]);
    assert_eq!(printed.code, 2);
    assert!(
        printed
            .stderr
            .contains("did you mean `editions.current.accounts_path`?"),
        "{}",
        printed.stderr
    );
}
