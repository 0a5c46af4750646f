//! Pictures of every step: one per step of every edition, generated from guide.yaml, snapshotted,
//! small, and changed by a change of the YAML exactly where the YAML shows.

mod common;

use common::repository_guide;
use xtask::model::load::parse_guide;
use xtask::pictures::pictures;
use xtask::snippets::generate;

#[test]
fn every_edition_has_one_snapshotted_picture_per_step() {
    let guide = repository_guide();
    for edition in &guide.editions {
        let drawn = pictures(edition);
        assert_eq!(drawn.len(), edition.steps.len(), "{}", edition.id);
    }
    assert_snapshots_of!("pictures");
}

#[test]
fn pictures_state_the_action_and_never_invent_rows() {
    let guide = repository_guide();
    let current = &guide.editions[0];
    let alts: Vec<String> = pictures(current).into_iter().map(|p| p.alt).collect();
    assert_eq!(alts[0], "Tap Calendar Accounts");
    assert_eq!(alts[1], "Tap Microsoft Exchange");
    assert_eq!(alts[2], "Fill in Email and Description");
    assert_eq!(alts[3], "Tap Sign In");
    assert_eq!(alts[5], "Turn on Calendars");
    let first = &pictures(current)[0].svg;
    // Compact: the row to tap is the only row, and no status bar; only the YAML's words are drawn.
    assert_eq!(first.matches("<rect class=\"k\"").count(), 1, "{first}");
    assert!(!first.contains("9:41"));
    for word in ["General", "Wi-Fi", "Bluetooth", "Configure Manually"] {
        assert!(!first.contains(word), "{word} is not in guide.yaml's path");
    }
    assert!(first.contains("<title>Tap Calendar Accounts</title>"));
    assert!(first.contains("prefers-color-scheme:dark"));
}

#[test]
fn each_picture_is_small() {
    let root = xtask::project_root();
    let files: Vec<String> = generate(&repository_guide())
        .into_iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "svg"))
        .map(|f| root.join(f.path).to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 19);
    let output = std::process::Command::new("python3")
        .args(["-c", "import gzip, sys\nfor f in sys.argv[1:]:\n    print(len(gzip.compress(open(f, 'rb').read(), 9)))"])
        .args(&files)
        .output()
        .expect("python3 runs");
    let sizes: Vec<usize> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(sizes.len(), files.len());
    assert!(
        sizes.iter().all(|&size| size <= 6 * 1024),
        "gzipped sizes: {sizes:?}"
    );
}

#[test]
fn renaming_one_menu_label_changes_exactly_the_pictures_that_show_it() {
    let yaml = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
    let before = generate(&parse_guide(&yaml).unwrap().guide);
    let renamed = yaml.replacen(
        "    steps:\n      - title: Open the list of calendar accounts\n        menu: [Settings, Apps, Calendar, Calendar Accounts]",
        "    steps:\n      - title: Open the list of calendar accounts\n        menu: [Settings, Apps, Calendar, Accounts]",
        1,
    );
    assert_ne!(yaml, renamed);
    let after = generate(&parse_guide(&renamed).unwrap().guide);
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a.contents != b.contents)
        .map(|(a, _)| a.path.display().to_string())
        .collect();
    // Step 1 taps the renamed row; step 2 starts on the screen it opens, so its "back" trail
    // names it too. Nothing else shows the label.
    assert_eq!(
        changed,
        [
            "snippets/current/steps.md",
            "snippets/current/step-1.svg",
            "snippets/current/step-2.svg"
        ]
    );
    let picture = &after
        .iter()
        .find(|f| f.path.ends_with("current/step-1.svg"))
        .unwrap()
        .contents;
    assert!(picture.contains(">Accounts</text>") && !picture.contains("Calendar Accounts"));
}

#[test]
fn a_stale_picture_fails_verify_and_snippets_check() {
    let tree = common::copy_of_repository_guide();
    let picture = tree.path().join("snippets/current/step-2.svg");
    let text = std::fs::read_to_string(&picture).unwrap();
    std::fs::write(&picture, text.replace("Microsoft Exchange", "Exchange")).unwrap();
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("snippets/current/step-2.svg:"), "{output}");
    let root = tree.path().to_str().unwrap();
    assert_eq!(common::xtask(&["snippets", "--check", "--root", root]).0, 1);
    assert_eq!(common::xtask(&["snippets", "--root", root]).0, 0);
    assert_eq!(std::fs::read_to_string(&picture).unwrap(), text);
}
