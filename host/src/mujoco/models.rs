//! `--model NAME` to MJCF files: one table, in `model::mjcf_files`.

pub use crate::model::mjcf_files::*;
