//! The app-password detector measured on both sides: the share of random app passwords it
//! catches in each shape they are shown in (target ≥ 99.5 %), and its false alarms on the whole
//! guide and on an English word list of long words (Debian's `wamerican`, installed here when
//! missing; target zero).

use std::path::Path;

use super::Row;
use crate::checks::secrets;
use crate::model::book::SourceFile;
use crate::model::GuideTree;

const SAMPLES: usize = 10_000;
const WORD_LIST: &str = "/usr/share/dict/american-english";

/// The ways Microsoft's sign-in pages and people write an app password.
const SHAPES: [(&str, &str); 3] = [
    ("sixteen letters", ""),
    ("four groups of four, spaces", " "),
    ("four groups of four, dashes", "-"),
];

pub fn run(root: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut rng = fastrand::Rng::with_seed(2026);
    for (shape, separator) in SHAPES {
        let mut caught = 0;
        for _ in 0..SAMPLES {
            let letters: String = (0..16).map(|_| char::from(b'a' + rng.u8(0..26))).collect();
            let shown = if separator.is_empty() {
                letters
            } else {
                letters
                    .as_bytes()
                    .chunks(4)
                    .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                    .collect::<Vec<_>>()
                    .join(separator)
            };
            let file = SourceFile {
                path: "sample.md".into(),
                text: format!("Copy the app password {shown} into the Password field.\n"),
            };
            if secrets::check(&file)
                .iter()
                .any(|d| d.message.contains("looks like an app password"))
            {
                caught += 1;
            }
        }
        let share = caught as f64 * 100.0 / SAMPLES as f64;
        rows.push(Row::new(
            format!("app passwords caught: {SAMPLES} random, {shape}"),
            format!("{share:.2} %"),
            "≥ 99.5 %",
            format!("{caught} of {SAMPLES}"),
            share >= 99.5,
        ));
    }
    rows.push(false_alarms_in_the_guide(root));
    rows.push(false_alarms_in_english());
    rows
}

fn false_alarms_in_the_guide(root: &Path) -> Row {
    const WHAT: &str = "credential false alarms in the whole guide";
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(_) => return Row::failed(WHAT, "the guide does not load"),
    };
    let yaml = SourceFile {
        path: "guide.yaml".into(),
        text: tree.yaml.text.clone(),
    };
    let files: Vec<&SourceFile> = crate::checks::markdown_sources(&tree)
        .chain(tree.snippets.iter())
        .chain([&yaml])
        .collect();
    let alarms: Vec<String> = files
        .iter()
        .flat_map(|file| secrets::check(file))
        .map(|d| d.message)
        .collect();
    Row::new(
        WHAT,
        alarms.len().to_string(),
        "0",
        format!("{} files; {}", files.len(), alarms.join("; ")),
        alarms.is_empty(),
    )
}

fn false_alarms_in_english() -> Row {
    const WHAT: &str = "app-password false alarms on English long words (wamerican)";
    if !Path::new(WORD_LIST).is_file() {
        install_word_list();
    }
    let Ok(list) = std::fs::read_to_string(WORD_LIST) else {
        return Row::failed(
            WHAT,
            format!(
                "{WORD_LIST} is missing and could not be installed (apt-get install wamerican)"
            ),
        );
    };
    let long: Vec<String> = list
        .lines()
        .filter(|w| w.chars().count() >= 12 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase)
        .collect();
    let sixteen_or_more = long.iter().filter(|w| w.len() >= 16).count();
    let file = SourceFile {
        path: WORD_LIST.into(),
        text: long.join("\n"),
    };
    let alarms: Vec<String> = secrets::check(&file)
        .into_iter()
        .filter(|d| d.message.contains("app password"))
        .map(|d| d.message)
        .collect();
    Row::new(
        WHAT,
        alarms.len().to_string(),
        "0",
        format!(
            "{} words of 12+ letters ({sixteen_or_more} of 16+){}",
            long.len(),
            if alarms.is_empty() {
                String::new()
            } else {
                format!(": {}", alarms.join("; "))
            }
        ),
        alarms.is_empty(),
    )
}

/// Debian's word list, for the benchmark only (never on the test path).
fn install_word_list() {
    let mut command = if is_root() {
        std::process::Command::new("apt-get")
    } else {
        let mut sudo = std::process::Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    let _ = command
        .args(["install", "-y", "-qq", "wamerican"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}
