//! The exoskeleton side of the controller (`../shared/spec/original.md` section 3): a stance
//! estimator per leg, a torque profile over % stance (legacy 4-parameter or n-point, both
//! interpolated with SciPy-identical PCHIP), the clamp to [0, max_torque], the MuJoCo control
//! mapping, and a slew-rate limiter for the firmware.
//!
//! ```
//! use controller::exo::{ExoController, ExoKind};
//! let params = [0.5, 0.467, 0.90, 0.075];
//! let mut exo = ExoController::<f64>::new(ExoKind::FourParam, &params, 100.0, false).unwrap();
//! let torque = exo.step(0.8, 0.01); // one control step with this leg's normalised load
//! assert!(torque >= 0.0 && torque <= 100.0);
//! ```

mod controller;
mod error;
pub mod fourparam;
pub mod npoint;
pub mod pchip;
mod profile;
mod slew;
pub mod stance;

pub use controller::{mujoco_control, ExoController};
pub use error::ProfileError;
pub use pchip::{Knots, Pchip, PchipError, MAX_KNOTS, MAX_POINTS};
pub use profile::{ExoKind, Profile};
pub use slew::SlewLimiter;
pub use stance::{GaitState, StanceEstimator};
