//! The staged cost of the original (`../shared/spec/original.md` section 5).

pub mod types;

pub use types::CostType;
