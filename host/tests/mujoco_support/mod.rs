//! Helpers shared by the MuJoCo engine tests: reading the reference CSV tables and JSON metas.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A CSV table of floats with a header (the reference files' format).
pub struct Table {
    pub columns: Vec<String>,
    pub index: HashMap<String, usize>,
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    /// Reads one CSV file (every cell a float; `nan`/`inf` allowed).
    pub fn read(path: &Path) -> Table {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut lines = text.lines();
        let header = lines
            .next()
            .unwrap_or_else(|| panic!("{} is empty", path.display()));
        let columns: Vec<String> = header.split(',').map(str::to_string).collect();
        let index = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let mut rows = Vec::new();
        for (n, line) in lines.enumerate() {
            if line.is_empty() {
                continue;
            }
            let row: Vec<f64> = line
                .split(',')
                .map(|c| {
                    if c.is_empty() {
                        f64::NAN
                    } else {
                        c.parse().unwrap_or_else(|_| {
                            panic!("{}:{}: bad number `{c}`", path.display(), n + 2)
                        })
                    }
                })
                .collect();
            assert_eq!(
                row.len(),
                columns.len(),
                "{}:{}: wrong number of cells",
                path.display(),
                n + 2
            );
            rows.push(row);
        }
        Table {
            columns,
            index,
            rows,
        }
    }

    /// Reads several parts with the same header, concatenated.
    pub fn read_parts(paths: &[PathBuf]) -> Table {
        let mut it = paths.iter();
        let first = it.next().expect("at least one part");
        let mut t = Table::read(first);
        for p in it {
            let next = Table::read(p);
            assert_eq!(
                next.columns,
                t.columns,
                "{}: header differs from {}",
                p.display(),
                first.display()
            );
            t.rows.extend(next.rows);
        }
        t
    }

    /// Column index by name.
    pub fn col(&self, name: &str) -> usize {
        *self
            .index
            .get(name)
            .unwrap_or_else(|| panic!("no column `{name}`"))
    }

    /// Value of column `name` in row `r`.
    pub fn get(&self, r: usize, name: &str) -> f64 {
        self.rows[r][self.col(name)]
    }
}

/// Every file in the reference folder whose name starts with `prefix` and ends with `suffix`,
/// sorted by name.
pub fn reference_files(prefix: &str, suffix: &str) -> Vec<PathBuf> {
    let dir = myoreflex::reference::dir();
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list the reference folder {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    out.sort();
    out
}

/// A JSON file.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A JSON number (or "nan"/"inf" string) as f64.
pub fn num(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        serde_json::Value::String(s) => s.parse().unwrap_or(f64::NAN),
        _ => panic!("not a number: {v}"),
    }
}

/// A JSON array of numbers.
pub fn nums(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(num)
        .collect()
}

/// A JSON array of strings.
pub fn strs(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("not a string: {s}"))
                .to_string()
        })
        .collect()
}

/// Bitwise equality that treats 0.0 and -0.0 alike (NaN equals NaN).
pub fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}
