//! The native planar simulator: MuJoCo's muscle, the planar multibody with MuJoCo's soft
//! constraints (couplings, joint limits, contacts), the Euler integrator and the native
//! [`crate::engine::Engine`].

pub mod bench;
pub mod build;
pub mod constraint;
pub mod contact;
pub mod engine;
pub mod kinematics;
pub mod light;
pub mod linalg;
pub mod mat3;
pub mod mechanics;
pub mod mjconst;
pub mod model;
pub mod muscle;
pub mod planar;
pub mod sim;
pub mod solver;
pub mod support;
pub mod tendon;
pub mod tree;
pub mod warmstart;

#[cfg(test)]
pub(crate) mod replay;
#[cfg(test)]
mod support_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod variant_tests;

#[cfg(test)]
pub(crate) mod fixtures;
