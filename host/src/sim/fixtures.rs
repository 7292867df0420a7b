//! Test helpers: read the reference fixtures (`myoreflex::reference::dir()`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A CSV file as a header and rows of fields.
pub struct Csv {
    pub path: PathBuf,
    #[allow(dead_code)]
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    index: HashMap<String, usize>,
}

impl Csv {
    pub fn read(path: &Path) -> Csv {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        let header: Vec<String> = lines
            .next()
            .unwrap_or("")
            .split(',')
            .map(str::to_string)
            .collect();
        let rows = lines
            .filter(|l| !l.is_empty())
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        let index = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect();
        Csv {
            path: path.to_path_buf(),
            header,
            rows,
            index,
        }
    }
    pub fn col(&self, name: &str) -> usize {
        *self
            .index
            .get(name)
            .unwrap_or_else(|| panic!("{}: no column {name}", self.path.display()))
    }
    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }
    pub fn f(&self, row: usize, name: &str) -> f64 {
        let s = &self.rows[row][self.col(name)];
        s.parse()
            .unwrap_or_else(|_| panic!("{} row {row} {name}: `{s}`", self.path.display()))
    }
}

/// The reference files named `prefix*suffix`, sorted; none found fails the test.
pub fn glob(prefix: &str, suffix: &str) -> Vec<PathBuf> {
    let v = matching(prefix, suffix);
    assert!(
        !v.is_empty(),
        "no {prefix}*{suffix} in {} (set MYOREFLEX_REFERENCE to the reference folder)",
        crate::reference::dir().display()
    );
    v
}

/// The reference files named `prefix*suffix`, sorted (for optional companions of a case).
pub fn matching(prefix: &str, suffix: &str) -> Vec<PathBuf> {
    let dir = crate::reference::dir();
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with(prefix) && n.ends_with(suffix)
        })
        .collect();
    v.sort();
    v
}

pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fvec(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}
