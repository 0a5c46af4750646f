//! Writing files so that a crash or a full disk never leaves one half-written.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to a temporary file beside `path`, then renames it over `path`.
/// The original's permissions are kept; a read-only file is refused before anything is written.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let permissions = match std::fs::metadata(path) {
        Ok(metadata) if metadata.permissions().readonly() => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{} is read-only", path.display()),
            ));
        }
        Ok(metadata) => Some(metadata.permissions()),
        Err(_) => None,
    };
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(contents)?;
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}
