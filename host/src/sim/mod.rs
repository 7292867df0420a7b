//! The native planar simulator: MuJoCo's muscle, the planar multibody with MuJoCo's soft
//! constraints (couplings, joint limits, contacts), the Euler integrator and the native
//! [`crate::engine::Engine`].

pub mod muscle;

#[cfg(test)]
pub(crate) mod fixtures;
