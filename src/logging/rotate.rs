//! A log file that does not grow for ever: past a size it becomes `NAME.1`, the
//! older ones move up to `NAME.KEEP`, and the oldest is dropped.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub struct Rotating {
    path: PathBuf,
    file: File,
    written: u64,
    max_bytes: u64,
    keep: usize,
}

impl Rotating {
    pub fn open(path: &Path, max_bytes: u64, keep: usize) -> io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let written = file.metadata()?.len();
        Ok(Self {
            path: path.to_path_buf(),
            file,
            written,
            max_bytes,
            keep: keep.max(1),
        })
    }

    fn numbered(&self, n: usize) -> PathBuf {
        let mut name = self.path.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }

    fn rotate(&mut self) -> io::Result<()> {
        self.file.flush()?;
        let _ = std::fs::remove_file(self.numbered(self.keep));
        for n in (1..self.keep).rev() {
            let from = self.numbered(n);
            if from.exists() {
                std::fs::rename(&from, self.numbered(n + 1))?;
            }
        }
        std::fs::rename(&self.path, self.numbered(1))?;
        self.file = OpenOptions::new().create(true).append(true).open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for Rotating {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // A line that does not fit starts a new file; a failed rotation keeps
        // writing where it was rather than lose the line.
        if self.written > 0
            && self.written + buf.len() as u64 > self.max_bytes
            && let Err(e) = self.rotate()
        {
            self.written = 0;
            let _ = writeln!(self.file, "log rotation failed: {e}");
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(dir: &Path) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().len(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn rotates_by_size_and_keeps_a_few_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.log");
        let mut log = Rotating::open(&path, 100, 3).unwrap();
        for i in 0..50 {
            writeln!(log, "line {i:02} of some forty bytes or so.....").unwrap();
        }
        let files = sizes(dir.path());
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["t.log", "t.log.1", "t.log.2", "t.log.3"]);
        assert!(files.iter().all(|(_, len)| *len <= 100), "{files:?}");
        let newest = std::fs::read_to_string(&path).unwrap();
        assert!(newest.contains("line 49"), "{newest}");
        let previous = std::fs::read_to_string(dir.path().join("t.log.1")).unwrap();
        assert!(previous.contains("line 47"), "{previous}");
    }

    #[test]
    fn an_existing_log_counts_towards_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.log");
        std::fs::write(&path, vec![b'x'; 90]).unwrap();
        let mut log = Rotating::open(&path, 100, 2).unwrap();
        writeln!(log, "this line does not fit in the ten bytes left").unwrap();
        assert_eq!(std::fs::metadata(dir.path().join("t.log.1")).unwrap().len(), 90);
    }
}
