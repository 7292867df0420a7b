//! CMA-ES following pycma 4.x with an ask/tell core, serializable state, BoundTransform bounds,
//! pycma's termination rules and parallel population evaluation.
//!
//! ```
//! use myoreflex::optim::{BoundTransform, CmaEs, CmaOptions};
//! let mut o = CmaOptions::default();
//! o.parse("seed:1,ftarget:1e-8").unwrap();
//! let mut es = CmaEs::new(&[1.0; 4], 0.5, None, BoundTransform::none(4), o).unwrap();
//! while es.stop().is_empty() {
//!     let xs = es.ask();
//!     let f: Vec<f64> = xs.iter().map(|x| x.iter().map(|v| v * v).sum()).collect();
//!     es.tell(&f).unwrap();
//! }
//! assert!(es.best().f <= 1e-8);
//! ```

pub mod batch;
pub mod bounds;
pub mod cma;
mod eigen;
pub mod history;
pub mod options;
pub mod rng;
pub mod serde_f64;
mod stop;
pub mod strategy;

pub use batch::{Evaluator, Objective};
pub use bounds::BoundTransform;
pub use cma::{CmaError, CmaEs};
pub use options::CmaOptions;
