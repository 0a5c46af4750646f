//! Checks of the repository itself, so `cargo test` is the one entry point (rust-analyzer's
//! tidy habit): docs exist and are current, sources say why they exist, nothing is left half-done.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    xtask::project_root()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_xtask_module_opens_with_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("xtask/src"), &mut files);
    let missing: Vec<_> = files
        .iter()
        .filter(|path| !path.ends_with("main.rs"))
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` comment saying why they exist: {missing:?}"
    );
}

#[test]
fn no_unfinished_work_markers_or_debug_prints() {
    let mut files = Vec::new();
    for dir in ["xtask/src", "tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    let markers = [
        concat!("TO", "DO"),
        concat!("FIX", "ME"),
        concat!("dbg", "!("),
        concat!("todo", "!("),
    ];
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for marker in markers {
            assert!(
                !text.contains(marker),
                "{} contains {marker}",
                path.display()
            );
        }
    }
}

#[test]
fn the_readme_names_every_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    xtask::cli::run(
        ["--help"],
        &mut xtask::console::Console::new(&mut out, &mut err),
    );
    let help = String::from_utf8(out).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|command| *command != "help")
        .collect();
    assert!(commands.len() >= 6, "{help}");
    for command in commands {
        assert!(
            readme.contains(&format!("cargo xtask {command}")),
            "README.md does not mention `cargo xtask {command}`"
        );
    }
}

#[test]
fn the_readme_gives_the_two_commands_and_ci_runs_them() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(readme.contains("cargo xtask verify ") && readme.contains("cargo test --workspace"));
    assert!(ci.contains("cargo test --workspace") && ci.contains("cargo xtask verify --offline"));
}

#[test]
fn architecture_names_every_top_level_module() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let lib = std::fs::read_to_string(root().join("xtask/src/lib.rs")).unwrap();
    for module in lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
    {
        assert!(
            architecture.contains(&format!("`{module}")),
            "ARCHITECTURE.md does not mention `{module}`"
        );
    }
}

#[test]
fn the_changelog_has_the_release_that_guide_yaml_names() {
    let guide = xtask::model::load::load_guide(&root()).unwrap();
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## [{}]", guide.guide.release)),
        "CHANGELOG.md has no entry for release {}",
        guide.guide.release
    );
}

#[test]
fn pull_requests_run_what_ci_runs() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    assert!(
        workflow.contains("pull_request:"),
        "the workflow must run on pull requests"
    );
    assert!(
        workflow.contains("bash .ci/run"),
        "the workflow must run .ci/run itself"
    );
    assert!(
        workflow.contains("persist-credentials: false"),
        "the checkout keeps no token on disk"
    );
}

/// Every action of every workflow is pinned to a full commit, every job names its permissions,
/// and every cargo command that builds what is checked or published is locked (`cargo xtask`
/// is, through its alias). zizmor, run by .ci/run, checks the rest.
#[test]
fn workflows_pin_actions_and_grant_each_job_only_what_it_needs() {
    let alias = std::fs::read_to_string(root().join(".cargo/config.toml")).unwrap();
    assert!(alias.contains("xtask = \"run --locked "), "{alias}");
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.contains("zizmor --offline .github/workflows"), "{ci}");
    for entry in std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .flatten()
    {
        let workflow = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().to_string();
        assert!(
            workflow.contains("\npermissions: {}\n"),
            "{name}: no permissions for the workflow as a whole"
        );
        for line in workflow.lines().filter(|l| {
            l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:")
        }) {
            let reference = line.split('@').nth(1).unwrap_or("");
            let sha = reference.split_whitespace().next().unwrap_or("");
            assert!(
                sha.len() == 40
                    && sha.bytes().all(|b| b.is_ascii_hexdigit())
                    && line.contains("# v"),
                "{name}: `{}` is not pinned to a full commit with its tag in a comment",
                line.trim()
            );
        }
        for line in workflow
            .lines()
            .filter(|l| l.contains("cargo ") && !l.trim_start().starts_with('#'))
        {
            assert!(
                line.contains("cargo xtask") || line.contains("--locked"),
                "{name}: `{}` is not locked",
                line.trim()
            );
        }
    }
}

#[test]
fn the_weekly_sources_workflow_reports_and_proposes_dates() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/sources.yml")).unwrap();
    assert!(workflow.contains("schedule:"));
    assert!(workflow.contains("cargo xtask sources --no-cache --stamp --format json"));
    assert!(workflow.contains("gh issue create") && workflow.contains("gh issue edit"));
    assert!(workflow.contains("gh pr create"));
    assert!(
        workflow.contains("mkdir -p target/sources-report"),
        "the report folder exists on a clean checkout"
    );
    // The job that fetches pages only reads; the one that writes runs no code of the repository.
    let read = &workflow[workflow.find("  read:").unwrap()..workflow.find("  report:").unwrap()];
    assert!(
        read.contains("permissions:\n      contents: read\n"),
        "{read}"
    );
    assert!(!read.contains("write"), "{read}");
    let report = &workflow[workflow.find("  report:").unwrap()..];
    assert!(
        !report
            .lines()
            .any(|line| line.trim_start().starts_with("cargo ") || line.contains("run: cargo")),
        "{report}"
    );
    assert!(
        report.contains("jq -r -f .github/sources-issue.jq"),
        "{report}"
    );
}

/// The issue the weekly job writes carries no mention, image, link or HTML from a fetched page.
#[test]
fn the_sources_issue_neutralises_fetched_text() {
    let Ok(jq) = std::process::Command::new("jq").arg("--version").output() else {
        eprintln!("jq is not installed; skipped");
        return;
    };
    assert!(jq.status.success());
    let json = serde_json::json!({"quotes": [{
        "key": "claims.x",
        "url": "https://learn.example/page",
        "outcome": "missing",
        "closest": "hi @octocat ![img](http://e.example/x.png) <img src=x onerror=alert(1)> [link](http://e.example) | cell \u{1b}[31m \u{202e}"
    }]});
    let mut child = std::process::Command::new("jq")
        .args(["-r", "-f"])
        .arg(root().join(".github/sources-issue.jq"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let row = String::from_utf8(output.stdout).unwrap();
    assert!(row.contains("@\u{200b}octocat"), "{row}");
    for raw in ['\u{1b}', '\u{202e}'] {
        assert!(!row.contains(raw), "{raw:?} in {row}");
    }
    // With every backslash-escaped character taken out, no markdown or HTML is left, and the
    // row has its four cells.
    let mut unescaped = String::new();
    let mut chars = row.trim_end().chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else {
            unescaped.push(c);
        }
    }
    for markup in ['<', '>', '[', ']', '(', ')', '!', '`'] {
        assert!(!unescaped.contains(markup), "{markup:?} in {unescaped}");
    }
    assert_eq!(
        unescaped.matches('|').count(),
        5,
        "four cells, no more: {row}"
    );
}

/// Every id the theme writes or its scripts look up is reserved (`xtask/src/reserved_ids.rs`),
/// so no generated anchor can take one.
#[test]
fn the_reserved_ids_name_every_id_of_the_theme() {
    let theme = xtask::project_root().join("theme");
    let mut found = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&theme).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (open, close) in [("id=\"", "\""), ("getElementById(\"", "\"")] {
            let mut rest = text.as_str();
            while let Some(at) = rest.find(open) {
                rest = &rest[at + open.len()..];
                let id = &rest[..rest.find(close).unwrap()];
                if !id.contains("{{") {
                    found.insert(id.to_string());
                }
            }
        }
    }
    assert!(found.contains("toc-list"), "{found:?}");
    for id in found {
        assert!(
            xtask::reserved_ids::is_reserved(&id),
            "theme id `{id}` is not in xtask/src/reserved_ids.rs"
        );
    }
}

/// The modules of xtask depend on each other in one direction: no module reaches, through
/// `crate::` or `super::` paths, a module that reaches it back (ARCHITECTURE.md's map stays a
/// map, and a newcomer can read a module without reading its callers first).
#[test]
fn the_module_map_has_no_circles() {
    let src = xtask::project_root().join("xtask/src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    // model/load.rs → "model::load"; model/mod.rs → "model"; lib.rs and main.rs → "".
    let module_of = |path: &std::path::Path| -> String {
        let relative = path.strip_prefix(&src).unwrap().with_extension("");
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .filter(|part| part != "mod" && part != "lib" && part != "main")
            .collect();
        parts.join("::")
    };
    let modules: std::collections::BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let word = regex::Regex::new(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)+)").unwrap();
    let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for file in &files {
        let from = module_of(file);
        let text = std::fs::read_to_string(file).unwrap();
        // Tests inside a file may reach anything.
        let text = text.split("#[cfg(test)]").next().unwrap();
        // Comments name modules without depending on them.
        let text: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .map(|line| format!("{line}\n"))
            .collect();
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs");
        for found in word.captures_iter(&text) {
            let base = if &found[1] == "crate" {
                String::new()
            } else {
                // super:: of model/load.rs is model; of model/mod.rs it is the crate.
                let mut parts: Vec<&str> = from.split("::").filter(|p| !p.is_empty()).collect();
                if !is_mod_file || !parts.is_empty() {
                    parts.pop();
                }
                parts.join("::")
            };
            let mut path = base;
            let mut target = String::new();
            for part in found[2].split("::").filter(|p| !p.is_empty()) {
                let next = if path.is_empty() {
                    part.to_string()
                } else {
                    format!("{path}::{part}")
                };
                if modules.contains(&next) {
                    target = next.clone();
                    path = next;
                } else {
                    break;
                }
            }
            let related = target.is_empty()
                || target == from
                || from.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{from}::"));
            if !related {
                edges.entry(from.clone()).or_default().insert(target);
            }
        }
    }
    // Any circle: a module that reaches itself.
    let mut circles = Vec::new();
    for start in edges.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = todo.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    circles.push(path.join(" → ") + " → " + start);
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    todo.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "module circles:\n{}",
        circles.join("\n")
    );
}
