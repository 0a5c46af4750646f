//! Day to day: the everyday questions generated from `day_to_day:`, per edition. Snapshots of
//! every edition's chapter; the side-by-side table (at least ten rows, each linking to an answer
//! that exists on every edition's built page); the editions' own menus in the steps; the legacy
//! edition's answers-or-pointers rule; a hand-edited menu reported at its line; and bad data
//! refused at `guide.yaml:LINE:COL`.

mod common;

use std::collections::BTreeSet;

use common::repository_guide;
use xtask::day_to_day::{chapter, NOT_SAID};
use xtask::model::load::parse_guide;
use xtask::model::schema::{Can, EditionStatus};
use xtask::troubleshooting::steps_answerable;

#[test]
fn every_edition_has_a_snapshotted_day_to_day_chapter() {
    assert_snapshots_of!("day_to_day");
}

/// The rows of the side-by-side table: (link target, the three cells).
fn table_rows(page: &str) -> Vec<(String, [String; 3])> {
    page.lines()
        .filter(|line| line.starts_with("| [") && line.ends_with(" |"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let target = cells[0]
                .rsplit_once("](#")
                .map(|(_, rest)| rest.trim_end_matches(')').to_string())
                .unwrap_or_default();
            let cell = |i: usize| cells[i].trim().to_string();
            (target, [cell(1), cell(2), cell(3)])
        })
        .collect()
}

#[test]
fn the_table_has_a_row_per_question_that_matches_its_answer() {
    let guide = repository_guide();
    assert!(guide.day_to_day.len() >= 15, "{}", guide.day_to_day.len());
    for edition in &guide.editions {
        let page = chapter(&guide, edition);
        let rows = table_rows(&page);
        assert!(rows.len() >= 10, "{}: {} rows", edition.id, rows.len());
        assert_eq!(rows.len(), guide.day_to_day.len(), "{}", edition.id);
        for (question, (target, cells)) in guide.day_to_day.iter().zip(&rows) {
            assert_eq!(target, &question.id);
            let expected = question
                .cells()
                .map(|(_, cell)| cell.can.cell().to_string());
            assert_eq!(cells, &expected, "{}", question.id);
            assert!(page.contains(&format!("{{#{}}}", question.id)));
        }
    }
    // Some of every kind of cell, so the table is something a reader can decide from.
    let all: Vec<Can> = guide
        .day_to_day
        .iter()
        .flat_map(|q| q.cells().map(|(_, cell)| cell.can))
        .collect();
    for can in [Can::Yes, Can::No, Can::Partly, Can::NotSaid] {
        assert!(all.contains(&can), "{can:?}");
    }
}

#[test]
fn a_cell_no_page_speaks_to_says_so_and_a_cell_that_speaks_cites_its_fact() {
    let guide = repository_guide();
    let page = chapter(&guide, &guide.editions[0]);
    for question in &guide.day_to_day {
        for (app, cell) in question.cells() {
            let marker = format!("<!-- fact: day_to_day.{}.{app}.text -->", question.id);
            assert_eq!(
                page.contains(&marker),
                cell.can != Can::NotSaid,
                "{} {app}",
                question.id
            );
        }
    }
    assert!(page.contains(NOT_SAID));
}

#[test]
fn the_editions_readers_follow_print_their_own_menus() {
    let guide = repository_guide();
    let followed: Vec<_> = guide
        .editions
        .iter()
        .filter(|e| e.status == EditionStatus::Current)
        .collect();
    let mut menus = 0;
    for edition in &followed {
        let page = chapter(&guide, edition);
        for question in &guide.day_to_day {
            for menu in question.steps.iter().filter_map(|s| s.menu.as_deref()) {
                let (path, key) = edition.menu(menu).unwrap();
                let shown = format!(
                    "**{}**<!-- setting: {key} -->",
                    path.join(" → ").replace('&', "&amp;")
                );
                assert!(page.contains(&shown), "{}: {shown}", edition.id);
                menus += 1;
            }
        }
    }
    assert!(menus >= 2 * followed.len(), "{menus}");
    let current = chapter(&guide, followed[0]);
    let older = chapter(&guide, followed[1]);
    assert!(current.contains("Settings → Apps → Calendar**"));
    assert!(!older.contains("Settings → Apps → Calendar"));
    assert!(older.contains("Settings → Calendar**"));
}

#[test]
fn a_legacy_edition_answers_where_it_has_the_menus_and_points_to_the_current_answer_otherwise() {
    let guide = repository_guide();
    let legacy = guide
        .editions
        .iter()
        .find(|e| e.status == EditionStatus::Legacy)
        .unwrap();
    let page = chapter(&guide, legacy);
    common::assert_legacy_answers_or_points(
        &page,
        "day-to-day.md",
        guide
            .day_to_day
            .iter()
            .map(|q| (q.id.as_str(), steps_answerable(legacy, &q.steps))),
    );
}

/// In the built site: every question's anchor on every edition's page, every row of the table a
/// link to one of them, each start page linking to the table, and each question's cross-link to
/// an answer landing on the troubleshooting page's anchor.
#[test]
fn every_row_links_to_an_answer_on_every_built_edition() {
    let guide = repository_guide();
    let (_tree, html) = common::built_repository_guide();
    for edition in &guide.editions {
        let page = html.join(&edition.dir).join("day-to-day.html");
        let ids = common::ids_of(&page);
        assert!(ids.contains("calendar-or-outlook"), "{}", edition.id);
        let text = std::fs::read_to_string(&page).unwrap();
        let mut linked = BTreeSet::new();
        for tag in xtask::html::start_tags(&text) {
            let Some((_, href)) = tag.attributes.iter().find(|(n, _)| n == "href") else {
                continue;
            };
            if let Some(anchor) = href.strip_prefix('#') {
                if guide.day_to_day.iter().any(|q| q.id == anchor) {
                    linked.insert(anchor.to_string());
                }
                assert!(ids.contains(anchor), "{}: #{anchor}", edition.id);
            }
            if let Some(anchor) = href.strip_prefix("troubleshooting.html#") {
                let answers = common::ids_of(&html.join(&edition.dir).join("troubleshooting.html"));
                assert!(answers.contains(anchor), "{}: {href}", edition.id);
            }
        }
        assert_eq!(linked.len(), guide.day_to_day.len(), "{}", edition.id);
        for question in &guide.day_to_day {
            assert!(
                ids.contains(&question.id),
                "{}: #{}",
                edition.id,
                question.id
            );
        }
    }
    for dir in ["current", "ios-14-17"] {
        let start = std::fs::read_to_string(html.join(dir).join("index.html")).unwrap();
        assert!(
            start.contains("href=\"day-to-day.html#calendar-or-outlook\""),
            "{dir}"
        );
    }
}

/// A generated menu path edited by hand is reported once, by the snippets check, at its line.
#[test]
fn a_hand_edited_menu_is_reported_at_its_line() {
    common::assert_hand_edited_menu_reported_once(
        "snippets/ios-14-17/day-to-day.md",
        "<!-- setting: editions.ios-14-17.menus.calendar_settings -->",
        "Settings → Kalender",
        "Settings → Calendar",
    );
}

#[test]
fn bad_questions_are_refused_at_their_place_in_guide_yaml() {
    let yaml = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
    let questions = yaml.find("\nday_to_day:\n").unwrap();
    let (head, tail) = yaml.split_at(questions);
    let in_questions = |from: &str, to: &str| format!("{head}{}", tail.replacen(from, to, 1));
    let line_of = |text: &str, needle: &str| {
        let offset = questions + text[questions..].find(needle).unwrap();
        text[..offset].matches('\n').count() + 1
    };
    let cases = [
        (
            in_questions("        see: ", "        see: nowhere-"),
            "nowhere-",
            "is not another problem",
        ),
        (
            in_questions(
                "      - menu: calendar_settings",
                "      - menu: no_such_menu",
            ),
            "no_such_menu",
            "does not define",
        ),
        (
            in_questions(
                "    outlook_app:\n      can: not-said\n",
                "    outlook_app:\n      can: not-said\n      text: Surely.\n",
            ),
            "can: not-said\n      text: Surely.",
            "gives a text",
        ),
        (
            in_questions(
                "    iphone:\n      can: yes\n      text: ",
                "    iphone:\n      can: yes\n      txet: ",
            ),
            "txet",
            "unknown field",
        ),
        (
            in_questions("  - id: automatic-replies\n", "  - id: calendar-hidden\n"),
            "calendar-hidden\n    question",
            "already a problem",
        ),
        (
            in_questions("  - id: rooms\n", "  - id: alerts\n"),
            "alerts\n    question: Do meeting",
            "two day_to_day have the id",
        ),
    ];
    for (broken, needle, message) in cases {
        let error = parse_guide(&broken).expect_err(message);
        let shown = format!("{error:?}");
        assert!(shown.contains(message), "{message}: {shown}");
        let at = error.location.as_ref().expect("a place in guide.yaml");
        assert_eq!(at.line, line_of(&broken, needle), "{message}: {shown}");
        assert!(at.column > 0, "{shown}");
    }
    // A cell that says something must say what.
    let broken = format!(
        "{head}{}",
        tail.replacen(
            "    outlook_app:\n      can: not-said\n",
            "    outlook_app:\n      can: yes\n",
            1
        )
    );
    let error = parse_guide(&broken).expect_err("a yes without text");
    assert!(format!("{error:?}").contains("gives no text"), "{error:?}");
}
