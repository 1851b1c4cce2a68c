//! Writing the config file back: atomically, so a crash or a full disk never
//! leaves a half-written file where the user's config was; through a symlink
//! to its target (dotfile managers link the config), keeping the file's mode
//! (a config with positions may be 0600); and only over what was read, so a
//! file created or changed meanwhile (by the user, `opml import` or another
//! instance) is never overwritten.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What the file must still be for the write to go ahead.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Whatever is there (a fresh read just before).
    Anything,
    /// No file: the running config was the built-in default.
    Absent,
    /// Exactly this text: the running config was read from it.
    Text(String),
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} changed since it was read: nothing was written")]
    Changed(PathBuf),
    #[error("{0} was created meanwhile: nothing was written")]
    Created(PathBuf),
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// Writes `text` to `path` whatever it holds now.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    write_checked(path, text, &Expect::Anything).map_err(|e| match e {
        WriteError::Io(_, e) => e,
        other => std::io::Error::other(other.to_string()),
    })
}

/// The file a write lands in: a symlink's target, followed to the end.
fn target(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return path.to_path_buf();
    }
    match std::fs::canonicalize(path) {
        Ok(t) => t,
        // A dangling link: its target is created where it points.
        Err(_) => std::fs::read_link(path)
            .map(|t| match path.parent() {
                Some(dir) if t.is_relative() => dir.join(t),
                _ => t,
            })
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Writes `text` to a temporary file beside the target, syncs it, gives it the
/// old file's mode, checks that the file is still as `expect` says, then moves
/// it into place (and syncs the directory, so the rename itself survives a
/// crash). A file that must be absent is never replaced: the temporary file is
/// linked into place, which fails if anything is there.
pub fn write_checked(path: &Path, text: &str, expect: &Expect) -> Result<(), WriteError> {
    let path = target(path);
    let io = |e: std::io::Error| WriteError::Io(path.clone(), e);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::create_dir_all(&dir).map_err(io)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config.toml");
    let tmp = dir.join(format!(".{name}.tickwire-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        if let Ok(old) = std::fs::metadata(&path) {
            f.set_permissions(old.permissions()).map_err(io)?;
        }
        f.sync_all().map_err(io)?;
        match expect {
            Expect::Absent => {
                std::fs::hard_link(&tmp, &path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::AlreadyExists => WriteError::Created(path.clone()),
                    _ => io(e),
                })?;
                std::fs::remove_file(&tmp).map_err(io)?;
            }
            Expect::Text(was) => {
                let now = std::fs::read_to_string(&path).map_err(io)?;
                if &now != was {
                    return Err(WriteError::Changed(path.clone()));
                }
                std::fs::rename(&tmp, &path).map_err(io)?;
            }
            Expect::Anything => std::fs::rename(&tmp, &path).map_err(io)?,
        }
        std::fs::File::open(&dir).and_then(|d| d.sync_all()).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "old").unwrap();
        write_atomically(&p, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub").join("config.toml");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "old").unwrap();
        // A directory where the temporary file would go makes the create fail.
        let tmp = p
            .parent()
            .unwrap()
            .join(format!(".config.toml.tickwire-{}.tmp", std::process::id()));
        std::fs::create_dir(&tmp).unwrap();
        assert!(write_atomically(&p, "new").is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
    }

    #[test]
    fn a_file_created_meanwhile_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "the user's feeds").unwrap();
        let e = write_checked(&p, "default + edit", &Expect::Absent).unwrap_err();
        assert!(matches!(e, WriteError::Created(_)), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "the user's feeds");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
        let fresh = dir.path().join("new.toml");
        write_checked(&fresh, "made", &Expect::Absent).unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "made");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "read").unwrap();
        std::fs::write(&p, "changed outside").unwrap();
        let e = write_checked(&p, "edit", &Expect::Text("read".into())).unwrap_err();
        assert!(matches!(e, WriteError::Changed(_)), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "changed outside");
        write_checked(&p, "edit", &Expect::Text("changed outside".into())).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "edit");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_config_is_written_through_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dotfiles = dir.path().join("dotfiles");
        std::fs::create_dir(&dotfiles).unwrap();
        let real = dotfiles.join("tickwire.toml");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink("dotfiles/tickwire.toml", &link).unwrap();
        write_checked(&link, "new", &Expect::Text("old".into())).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
