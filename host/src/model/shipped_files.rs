//! The model files shipped under `host/models/`, embedded in the binary
//! (regenerate them with `scripts/import-models`).

/// (`--model` name, file text).
pub const FILES: &[(&str, &str)] = &[];
