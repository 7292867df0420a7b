//! myoreflex host library: configs, the parameter problem, the simulator engines, episodes,
//! costs, the CMA-ES optimizer, results and the command-line front end.
//!
//! One folder per stage of the pipeline (see `../shared/DESIGN.md` section 3):
//! `config -> problem -> optim -> eval -> cost -> results`, with `model` + `sim` (native engine)
//! and `mujoco` (optional engine) behind the [`engine::Engine`] trait.

pub mod cli;
pub mod cluster;
pub mod config;
pub mod cost;
pub mod engine;
pub mod eval;
pub mod export;
pub mod hil;
pub mod io;
pub mod model;
#[cfg(feature = "mujoco")]
pub mod mujoco;
pub mod optim;
pub mod reference;
pub mod replay;
pub mod results;
pub mod sim;
pub mod train;
