//! Where the reference fixtures measured from the original system live.

use std::path::PathBuf;

/// Environment variable that points at the reference folder.
pub const ENV: &str = "MYOREFLEX_REFERENCE";

/// The reference folder: `$MYOREFLEX_REFERENCE`, else `../shared/reference` relative to the
/// workspace root (found from this crate's manifest directory at build time).
pub fn dir() -> PathBuf {
    if let Some(p) = std::env::var_os(ENV) {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference")
}
