//! Errors of loading, validating and importing models.

use std::path::PathBuf;

/// Why a model could not be loaded or imported. Every variant names the file and the element.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a valid model file: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: {msg}")]
    Invalid { path: PathBuf, msg: String },
    #[error("unknown model '{name}' (choose one of: {choices})")]
    UnknownName { name: String, choices: String },
}

impl ModelError {
    /// A validation/import error about `path`.
    pub fn invalid(path: impl Into<PathBuf>, msg: impl Into<String>) -> Self {
        ModelError::Invalid {
            path: path.into(),
            msg: msg.into(),
        }
    }
}
