//! Writing the config file back: atomically, so a crash or a full disk never
//! leaves a half-written file where the user's config was.

use std::io::Write;
use std::path::Path;

/// Writes `text` to a temporary file beside `path`, syncs it, then renames it
/// over `path` (and syncs the directory, so the rename itself survives a crash).
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config.toml");
    let tmp = dir.join(format!(".{name}.tickwire-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
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
}
