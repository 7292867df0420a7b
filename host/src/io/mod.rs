//! Small readers and writers several stages share: parameter files (`_Best.txt`), numeric CSV
//! tables read by column name (optionally split in parts), exact float formatting, and
//! write-to-temp-then-rename.
//!
//! Every error names the file and, where there is one, the line and the column.

pub mod atomic;
pub mod csv_table;
pub mod float_fmt;
pub mod param_file;

pub use atomic::write_atomic;
pub use csv_table::{CsvTable, CsvWriter};
pub use float_fmt::fmt_f64;
pub use param_file::{read_params, write_params};

use std::path::PathBuf;

/// Errors of the readers and writers in this module.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: line {line}: {msg}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        msg: String,
    },
    #[error("{}: {msg}", path.display())]
    File { path: PathBuf, msg: String },
}

impl IoError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        IoError::Io {
            path: path.into(),
            source,
        }
    }
    pub(crate) fn line(path: impl Into<PathBuf>, line: usize, msg: impl Into<String>) -> Self {
        IoError::Line {
            path: path.into(),
            line,
            msg: msg.into(),
        }
    }
    pub(crate) fn file(path: impl Into<PathBuf>, msg: impl Into<String>) -> Self {
        IoError::File {
            path: path.into(),
            msg: msg.into(),
        }
    }
}
