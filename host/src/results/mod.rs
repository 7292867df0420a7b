//! The results of a training run (`../shared/DESIGN.md` section 5): the run folder and trial
//! name, parameter and cost files with MyoAssist's names, the checkpoint, pycma-format
//! `outcmaes/` logs, the per-generation CSV and the SVG convergence plot.

pub mod checkpoint;
pub mod generations;
pub mod outcmaes;
pub mod plot;
pub mod run_dir;
pub mod stamp;

pub use checkpoint::{Checkpoint, CheckpointError};
pub use generations::GenRow;
pub use outcmaes::DatLogger;
pub use stamp::Stamp;
