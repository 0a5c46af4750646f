//! Writing files so that a crash or a full disk never leaves one half-written, and so that no
//! write goes through, or replaces, a symbolic link.

use std::io::Write;
use std::path::{Component, Path};

/// Writes `relative` under `root` atomically, refusing when any folder on the way below `root`
/// or the file itself is a symbolic link: a link in a pull request (`snippets/current ->
/// /somewhere`) must not turn a generated write into a write elsewhere, nor be replaced by a
/// plain file while the file it names stays as it was.
pub fn write_in(root: &Path, relative: &Path, contents: &[u8]) -> std::io::Result<()> {
    refuse_links_below(root, relative)?;
    write_atomically(&root.join(relative), contents)
}

/// An error when `relative` climbs out of `root` or passes through a symbolic link under it.
pub fn refuse_links_below(root: &Path, relative: &Path) -> std::io::Result<()> {
    let mut here = root.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => here.push(part),
            Component::CurDir => continue,
            _ => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "{} is not a plain path inside the repository",
                        relative.display()
                    ),
                ))
            }
        }
        if here
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(link_refused(&here));
        }
    }
    Ok(())
}

fn link_refused(path: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "{} is a symbolic link; nothing is written through or over one (replace it with the file itself)",
            path.display()
        ),
    )
}

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
/// The original's permissions are kept; a new file gets the permissions the umask gives any new
/// file (0644 with the usual 022), not the temporary file's private 0600. A read-only file, and
/// a symbolic link, are refused before anything is written.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let permissions = match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => return Err(link_refused(path)),
        Ok(metadata) if metadata.permissions().readonly() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{} is read-only", path.display()),
            ));
        }
        Ok(metadata) => Some(metadata.permissions()),
        Err(_) => None,
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        // The mode asked for at creation is masked by the umask, as for any new file.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(dir)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_on_the_way_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("snippets")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("snippets/current")).unwrap();
        let error = write_in(dir.path(), Path::new("snippets/current/steps.md"), b"x").unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert!(!elsewhere.path().join("steps.md").exists());
    }

    #[test]
    fn a_linked_file_is_neither_written_through_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.md"), "real").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("real.md"), dir.path().join("link.md")).unwrap();
        assert!(write_atomically(&dir.path().join("link.md"), b"new").is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("real.md")).unwrap(),
            "real"
        );
        assert!(dir
            .path()
            .join("link.md")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_umask_permissions_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // What the umask gives a plain new file here, whatever it is.
        std::fs::write(dir.path().join("plain"), b"").unwrap();
        let expected = std::fs::metadata(dir.path().join("plain"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        write_atomically(&dir.path().join("new"), b"x").unwrap();
        let mode = std::fs::metadata(dir.path().join("new"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, expected);
    }
}
