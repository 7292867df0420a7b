//! Write a whole file through a temporary sibling and a rename, so readers never see half a
//! file and a failed run leaves the old file in place.

use super::IoError;
use std::path::Path;

/// Writes `bytes` to `path` via `<path>.tmp` + rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| IoError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        IoError::io(path, e)
    })
}
