//! Numeric CSV tables read by column name, possibly split into parts (`_part1.csv`,
//! `_part2.csv`, ... read in order, same header), and a CSV writer with exact floats.
//!
//! The format is the reference folder's: a header row of names, then rows of numbers separated
//! by commas (no quoting). Errors name the file, the line and the column.

use super::float_fmt::fmt_f64;
use super::{write_atomic, IoError};
use std::path::{Path, PathBuf};

/// A table of numbers, all parts concatenated.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvTable {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each with `headers.len()` values.
    pub rows: Vec<Vec<f64>>,
    /// Where each row came from (file, 1-based line), for messages.
    pub origin: Vec<(usize, usize)>,
    /// The files read, in order.
    pub files: Vec<PathBuf>,
}

impl CsvTable {
    /// Reads the parts in order. With `finite_only`, a NaN or infinite cell is an error.
    pub fn read_parts(paths: &[PathBuf], finite_only: bool) -> Result<CsvTable, IoError> {
        let mut t = CsvTable {
            headers: Vec::new(),
            rows: Vec::new(),
            origin: Vec::new(),
            files: Vec::new(),
        };
        if paths.is_empty() {
            return Err(IoError::file("<none>", "no input file given"));
        }
        for (k, p) in paths.iter().enumerate() {
            let text = std::fs::read_to_string(p).map_err(|e| IoError::io(p, e))?;
            t.files.push(p.clone());
            t.append_text(k, p, &text, finite_only)?;
        }
        Ok(t)
    }

    /// Reads one file.
    pub fn read(path: &Path, finite_only: bool) -> Result<CsvTable, IoError> {
        Self::read_parts(&[path.to_path_buf()], finite_only)
    }

    fn append_text(
        &mut self,
        file_idx: usize,
        path: &Path,
        text: &str,
        finite_only: bool,
    ) -> Result<(), IoError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, head)) = lines.next() else {
            return Err(IoError::file(
                path,
                "empty file (expected a header row of column names)",
            ));
        };
        let headers: Vec<String> = head.split(',').map(|h| h.trim().to_string()).collect();
        if headers.iter().any(|h| h.is_empty()) {
            return Err(IoError::line(
                path,
                1,
                "empty column name in the header row",
            ));
        }
        for (i, h) in headers.iter().enumerate() {
            if headers[..i].contains(h) {
                return Err(IoError::line(
                    path,
                    1,
                    format!("column `{h}` appears twice in the header row"),
                ));
            }
        }
        if self.headers.is_empty() {
            self.headers = headers;
        } else if self.headers != headers {
            return Err(IoError::line(
                path,
                1,
                format!(
                    "header differs from the first part's ({}); parts must have the same columns",
                    self.files[0].display()
                ),
            ));
        }
        let n = self.headers.len();
        for (i, line) in lines {
            let lineno = i + 1;
            let mut row = Vec::with_capacity(n);
            for (c, cell) in line.split(',').enumerate() {
                let cell = cell.trim();
                let name = self.headers.get(c).map(String::as_str).unwrap_or("?");
                if c >= n {
                    return Err(IoError::line(
                        path,
                        lineno,
                        format!("more than the header's {n} fields"),
                    ));
                }
                let v: f64 = cell.parse().map_err(|_| {
                    IoError::line(
                        path,
                        lineno,
                        format!("column `{name}`: `{cell}` is not a number"),
                    )
                })?;
                if finite_only && !v.is_finite() {
                    return Err(IoError::line(
                        path,
                        lineno,
                        format!("column `{name}` is {cell}; inputs must be finite"),
                    ));
                }
                row.push(v);
            }
            if row.len() != n {
                return Err(IoError::line(
                    path,
                    lineno,
                    format!("{} fields, the header has {n}", row.len()),
                ));
            }
            self.rows.push(row);
            self.origin.push((file_idx, lineno));
        }
        Ok(())
    }

    /// Index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Index of column `name`, or an error naming the file and the column.
    pub fn require(&self, name: &str) -> Result<usize, IoError> {
        self.col(name).ok_or_else(|| {
            IoError::line(
                self.files.first().cloned().unwrap_or_default(),
                1,
                format!("missing column `{name}`"),
            )
        })
    }

    /// Values of column `name`.
    pub fn column(&self, name: &str) -> Result<Vec<f64>, IoError> {
        let c = self.require(name)?;
        Ok(self.rows.iter().map(|r| r[c]).collect())
    }

    /// "file:line" of row `r`, for messages.
    pub fn where_is(&self, r: usize) -> (PathBuf, usize) {
        match self.origin.get(r) {
            Some(&(f, l)) => (self.files.get(f).cloned().unwrap_or_default(), l),
            None => (PathBuf::new(), 0),
        }
    }
}

/// Builds a CSV in memory (header + rows of exact floats) and writes it atomically.
#[derive(Clone, Debug, Default)]
pub struct CsvWriter {
    text: String,
    ncol: usize,
}

impl CsvWriter {
    /// A writer with this header.
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Self {
        let mut text = String::new();
        for (i, h) in headers.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(h.as_ref());
        }
        text.push('\n');
        CsvWriter {
            text,
            ncol: headers.len(),
        }
    }

    /// Appends a row (floats written with [`fmt_f64`], integers as integers).
    pub fn row(&mut self, values: &[Cell]) {
        debug_assert_eq!(values.len(), self.ncol);
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            match v {
                Cell::F(x) => self.text.push_str(&fmt_f64(*x)),
                Cell::I(k) => self.text.push_str(&k.to_string()),
            }
        }
        self.text.push('\n');
    }

    /// The CSV text so far.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Writes the file (temp + rename).
    pub fn write(&self, path: &Path) -> Result<(), IoError> {
        write_atomic(path, self.text.as_bytes())
    }
}

/// One output cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A float, written exactly.
    F(f64),
    /// An integer (flags, counters).
    I(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("myoreflex-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn parts_and_errors() {
        let a = tmp("a.csv", "x,y\n1,2\n3,4\n");
        let b = tmp("b.csv", "x,y\n5,-0.0\n");
        let t = CsvTable::read_parts(&[a.clone(), b.clone()], true).unwrap();
        assert_eq!(t.column("y").unwrap(), vec![2.0, 4.0, -0.0]);
        assert_eq!(t.where_is(2).1, 2);
        let e = t.require("z").unwrap_err().to_string();
        assert!(
            e.contains("a.csv") && e.contains("missing column `z`"),
            "{e}"
        );
        let c = tmp("c.csv", "x,y\n1,2\n3,nan\n");
        let e = CsvTable::read(&c, true).unwrap_err().to_string();
        assert!(e.contains("c.csv: line 3") && e.contains("`y`"), "{e}");
        assert!(CsvTable::read(&c, false).is_ok());
        let d = tmp("d.csv", "x,y\n1\n");
        assert!(CsvTable::read(&d, true)
            .unwrap_err()
            .to_string()
            .contains("line 2"));
        let e = tmp("e.csv", "x,z\n1,2\n");
        assert!(CsvTable::read_parts(&[a, e], true)
            .unwrap_err()
            .to_string()
            .contains("header differs"));
        let f = tmp("f.csv", "x,y\n1,abc\n");
        assert!(CsvTable::read(&f, true)
            .unwrap_err()
            .to_string()
            .contains("`abc` is not a number"));
    }

    #[test]
    fn writer() {
        let mut w = CsvWriter::new(&["a", "b"]);
        w.row(&[Cell::F(0.1), Cell::I(1)]);
        assert_eq!(w.as_str(), "a,b\n0.1,1\n");
    }
}
