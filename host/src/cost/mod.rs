//! The staged cost of the original (`../shared/spec/original.md` section 5): step events, the
//! stride window, symmetry, velocity, GRF, effort, kinematics and EMG against the shipped
//! reference curves, failure tiers, every cost type, and the cost dictionary.
//!
//! The cost needs no engine: it reads the per-step [`StepRecord`]s of an episode. The recorded
//! cases of `../shared/reference/cost_*` are reproduced to 1e-9 (tests below).

pub mod bands;
pub mod components;
pub mod evaluate;
pub mod events;
pub mod interp;
pub mod record;
pub mod reference;
pub mod report;
pub mod types;
pub mod weights;

pub use evaluate::{evaluate, CostOutcome, CostSettings, EpisodeInfo, Tier, INVALID_COST};
pub use record::StepRecord;
pub use types::CostType;
pub use weights::CostWeights;

#[cfg(test)]
mod fixtures;
