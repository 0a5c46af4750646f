//! After set-up: the answers generated from `problems:`, per edition. Snapshots of every
//! edition's answers, its message index and the administrators' checks; every problem's
//! anchor in every edition's built page, and every index link landing on one; drift on a
//! problem's menu path reported at its file, line and column; and bad references refused at
//! load with `guide.yaml:LINE:COL`.

mod common;

use std::collections::BTreeSet;

use common::repository_guide;
use xtask::model::load::parse_guide;
use xtask::model::schema::EditionStatus;
use xtask::troubleshooting::{answer_here, answers, messages};

#[test]
fn every_edition_has_snapshotted_answers_and_index() {
    assert_snapshots_of!("troubleshooting");
}

#[test]
fn the_editions_readers_follow_answer_at_least_thirty_problems_with_their_own_menus() {
    let guide = repository_guide();
    assert!(
        guide.problems.len() >= 30,
        "{} problems",
        guide.problems.len()
    );
    for edition in guide
        .editions
        .iter()
        .filter(|e| e.status == EditionStatus::Current)
    {
        let page = answers(&guide, edition);
        for problem in &guide.problems {
            assert!(answer_here(edition, problem));
            for step in problem.steps.iter().filter_map(|s| s.menu.as_deref()) {
                let (path, key) = edition.menu(step).unwrap();
                let shown = format!(
                    "**{}**<!-- setting: {key} -->",
                    path.join(" → ").replace('&', "&amp;")
                );
                assert!(
                    page.contains(&shown),
                    "{}: {} lacks {shown}",
                    edition.id,
                    problem.id
                );
            }
        }
    }
    // The two current editions print different menus for the same answer.
    let current = answers(&guide, &guide.editions[0]);
    let older = answers(&guide, &guide.editions[1]);
    assert!(current.contains("Settings → Apps → Calendar"));
    assert!(!older.contains("Settings → Apps → Calendar"));
    assert!(older.contains("Settings → Calendar"));
}

/// The values of attribute `name` on every element of a built page, in document order.
fn attribute_values(html: &std::path::Path, name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(html).unwrap();
    xtask::html::start_tags(&text)
        .into_iter()
        .filter_map(|tag| {
            tag.attributes
                .into_iter()
                .find(|(attribute, _)| attribute == name)
                .map(|(_, value)| value)
        })
        .collect()
}

/// The ids of every element of a built page.
fn ids_of(html: &std::path::Path) -> BTreeSet<String> {
    attribute_values(html, "id").into_iter().collect()
}

#[test]
fn every_problem_has_its_anchor_in_every_edition_and_every_index_link_lands_on_one() {
    let guide = repository_guide();
    let (_tree, html) = common::built_repository_guide();
    for edition in &guide.editions {
        let page = html.join(&edition.dir).join("troubleshooting.html");
        let ids = ids_of(&page);
        for problem in &guide.problems {
            assert!(
                ids.contains(&problem.id),
                "{}: no #{} in {}",
                edition.id,
                problem.id,
                page.display()
            );
        }
        // The index: every message is a link to an anchor that exists on this edition's page.
        let index = std::fs::read_to_string(html.join(&edition.dir).join("messages.html")).unwrap();
        let mut links = 0;
        for tag in xtask::html::start_tags(&index) {
            let Some((_, href)) = tag.attributes.iter().find(|(n, _)| n == "href") else {
                continue;
            };
            if let Some(anchor) = href.strip_prefix("troubleshooting.html#") {
                assert!(ids.contains(anchor), "{}: #{anchor} missing", edition.id);
                links += 1;
            }
        }
        let messages: usize = guide.problems.iter().map(|p| p.messages.len()).sum();
        assert_eq!(links, messages, "{}: one link per message", edition.id);
    }
    // The section that became an answer: its old address is sent to an anchor that exists.
    for dir in ["current", "ios-14-17"] {
        let page = html.join(dir).join("troubleshooting.html");
        let map = attribute_values(&page, "data-map")
            .into_iter()
            .next()
            .expect("a moved-section map");
        let map: serde_json::Value = serde_json::from_str(&map).unwrap();
        let target = map["#the-microsoft-sign-in-page-keeps-coming-back"]
            .as_str()
            .unwrap();
        let anchor = target.strip_prefix("troubleshooting.html#").unwrap();
        assert!(ids_of(&page).contains(anchor), "{dir}: {target}");
    }
}

#[test]
fn the_index_is_alphabetical_and_shows_each_message_exactly() {
    let guide = repository_guide();
    let index = messages(&guide);
    let shown: Vec<String> = index
        .lines()
        .filter_map(|line| line.strip_prefix("- [“"))
        .map(|rest| rest.split("”](").next().unwrap().to_lowercase())
        .collect();
    let mut sorted = shown.clone();
    sorted.sort_by_key(|text| {
        text.trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_string()
    });
    assert_eq!(shown, sorted);
    assert!(!shown.is_empty());
}

#[test]
fn a_legacy_edition_answers_where_it_has_the_menus_and_points_to_the_current_answer_otherwise() {
    let guide = repository_guide();
    let legacy = guide
        .editions
        .iter()
        .find(|e| e.status == EditionStatus::Legacy)
        .unwrap();
    let page = answers(&guide, legacy);
    // The legacy answers print the legacy menus, never the current ones.
    common::assert_legacy_answers_or_points(
        &page,
        "troubleshooting.md",
        guide
            .problems
            .iter()
            .map(|p| (p.id.as_str(), answer_here(legacy, p))),
    );
}

/// A generated answer edited by hand is reported once, by the snippets check, at its line and
/// with the diff; `--fix` never edits a generated file, and says to regenerate it.
#[test]
fn a_hand_edited_answer_is_reported_once_and_never_fixed_by_hand() {
    let (tree, path, edited) = common::assert_hand_edited_menu_reported_once(
        "snippets/ios-14-17/problems.md",
        "<!-- setting: editions.ios-14-17.accounts_path -->",
        "Settings → Calendars",
        "Settings → Mail → Accounts",
    );
    let (_, fixed) = common::verify(tree.path(), &["--no-build", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        edited,
        "--fix left it"
    );
    assert!(
        fixed.contains("--fix never edits them: run `cargo xtask snippets`"),
        "{fixed}"
    );
}

#[test]
fn bad_references_are_refused_at_their_place_in_guide_yaml() {
    let yaml = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
    let first_menu = yaml.find("      - menu: accounts_path\n").unwrap();
    let cases = [
        (
            yaml.replacen(
                "      - menu: accounts_path\n",
                "      - menu: no_such_menu\n",
                1,
            ),
            "does not define",
            "no_such_menu",
        ),
        (
            yaml.replacen("    kind: ", "    kind: nonsense-", 1),
            "which problem_kinds does not list",
            "nonsense-",
        ),
        (
            yaml.replacen("        see: ", "        see: nowhere-", 1),
            "is not another problem",
            "nowhere-",
        ),
        (
            yaml.replacen("    admin: ", "    admin: nobody-", 1),
            "which admin_checks does not list",
            "nobody-",
        ),
    ];
    for (broken, message, needle) in cases {
        let error = parse_guide(&broken).expect_err(message);
        let shown = format!("{error:?}");
        assert!(shown.contains(message), "{shown}");
        let offset = broken.find(needle).unwrap();
        let line = broken[..offset].matches('\n').count() + 1;
        let at = error.location.as_ref().expect("a place in guide.yaml");
        assert_eq!(at.line, line, "{message}: {shown}");
    }
    assert!(first_menu > 0);
    // A problem id becomes an anchor: markup in it is refused, not escaped.
    let problems_at = yaml.find("\nproblems:\n").unwrap();
    let id_at = problems_at + yaml[problems_at..].find("  - id: ").unwrap() + "  - id: ".len();
    let rest = &yaml[id_at + yaml[id_at..].find('\n').unwrap()..];
    let broken = format!("{}\"x onclick=alert(1)\"{rest}", &yaml[..id_at]);
    let error = parse_guide(&broken).expect_err("an unsafe id");
    assert!(
        format!("{error:?}").contains("must be lowercase"),
        "{error:?}"
    );
}

#[test]
fn ids_repeated_or_colliding_and_answers_without_steps_or_a_message_for_it_are_refused() {
    let yaml = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
    let line_of = |text: &str, offset: usize| text[..offset].matches('\n').count() + 1;
    let mut cases: Vec<(String, usize, &str)> = Vec::new();
    // The same problem id twice: the second is reported.
    let broken = yaml.replacen(
        "  - id: calendar-hidden\n",
        "  - id: old-events-missing\n",
        1,
    );
    let second = broken.rfind("  - id: old-events-missing\n").unwrap();
    cases.push((
        broken.clone(),
        line_of(&broken, second),
        "two problems have the id",
    ));
    // A kind named like a problem: both would be the same anchor.
    let broken = yaml.replacen(
        "  - id: missing\n    title: Events missing",
        "  - id: calendar-hidden\n    title: Events missing",
        1,
    );
    let problem = broken.rfind("  - id: calendar-hidden\n").unwrap();
    cases.push((
        broken.clone(),
        line_of(&broken, problem),
        "is both a problem kind and a problem",
    ));
    // IT must fix it, but nothing says what to tell IT.
    let start = yaml.find("  - id: everyone-stopped-at-once\n").unwrap();
    let tell = start + yaml[start..].find("    tell_it: ").unwrap();
    let end = tell + yaml[tell..].find('\n').unwrap() + 1;
    let broken = format!("{}{}", &yaml[..tell], &yaml[end..]);
    let fixed_by = start + broken[start..].find("    fixed_by: ").unwrap();
    cases.push((
        broken.clone(),
        line_of(&broken, fixed_by),
        "does not say what to tell them",
    ));
    // An answer with no steps.
    let start = yaml.find("  - id: attachments-missing\n").unwrap();
    let steps = start + yaml[start..].find("    steps:\n").unwrap();
    let next = steps + yaml[steps..].find("\n  - id: ").unwrap() + 1;
    let broken = format!("{}    steps: []\n{}", &yaml[..steps], &yaml[next..]);
    cases.push((broken.clone(), line_of(&broken, start), "has no steps"));
    // A menu name that is not a plain setting-key segment.
    let broken = yaml.replacen(
        "      calendar_sync: [Settings, Apps,",
        "      calendar_path: [Settings, Apps,",
        1,
    );
    let edition = broken.find("  - id: current\n").unwrap();
    cases.push((
        broken.clone(),
        line_of(&broken, edition),
        "not end in _path",
    ));
    for (broken, line, message) in cases {
        let error = parse_guide(&broken).expect_err(message);
        let shown = format!("{error:?}");
        assert!(shown.contains(message), "{message}: {shown}");
        let at = error.location.as_ref().expect("a place in guide.yaml");
        assert_eq!(at.line, line, "{message}: {shown}");
        assert!(at.column > 0, "{shown}");
    }
}
