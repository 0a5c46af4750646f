//! Two clones of the repository share one target folder (a global `CARGO_TARGET_DIR`), so one
//! xtask binary serves both. Each run must work on the clone it was started in: cargo tells the
//! binary which by `CARGO_MANIFEST_DIR` at run time, and without it the current folder decides.
//! A root baked in at compile time made `verify --fix` in one clone rewrite the other.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary cargo built for this package: the one both clones would run.
const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A clone: the base fixture guide with one drifted value, and an `xtask/` folder like the
/// repository's.
fn clone(parent: &Path, name: &str) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let root = parent.join(name);
    copy_tree(&fixtures.join("base"), &root);
    copy_tree(&fixtures.join("drifted-value"), &root);
    std::fs::create_dir_all(root.join("xtask")).unwrap();
    root
}

fn chapter(root: &Path) -> String {
    std::fs::read_to_string(root.join("book/current/add-account.md")).unwrap()
}

const DRIFTED: &str = "`outlook.office.com`";
const FIXED: &str = "`outlook.office365.com`";

#[test]
fn fix_in_one_clone_never_touches_the_other() {
    let parent = tempfile::tempdir().unwrap();
    let first = clone(parent.path(), "first");
    let second = clone(parent.path(), "second");

    // As `cargo xtask verify --fix` started in the first clone runs it.
    let status = Command::new(XTASK)
        .args(["verify", "--offline", "--no-build", "--fix"])
        .current_dir(&first)
        .env("CARGO_MANIFEST_DIR", first.join("xtask"))
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    assert!(chapter(&first).contains(FIXED));
    assert!(
        chapter(&second).contains(DRIFTED),
        "the second clone was changed"
    );

    // The binary run by hand inside the second clone works on the second clone.
    let status = Command::new(XTASK)
        .args(["verify", "--offline", "--no-build", "--fix"])
        .current_dir(second.join("book/current"))
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    assert!(chapter(&second).contains(FIXED));
}

#[test]
fn the_root_is_found_from_the_manifest_folder_or_the_current_folder() {
    let parent = tempfile::tempdir().unwrap();
    let first = clone(parent.path(), "first");
    let second = clone(parent.path(), "second");
    assert_eq!(
        xtask::project_root_from(Some(first.join("xtask")), Some(second.clone())),
        first
    );
    assert_eq!(xtask::project_root_from(Some(first.clone()), None), first);
    assert_eq!(
        xtask::project_root_from(None, Some(second.join("book/current"))),
        second
    );
}
