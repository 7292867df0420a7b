//! The part of myoreflex that runs identically on the host and on the exoskeleton MCU.
//!
//! `no_std`, no allocation, generic over the float type (`f64` on the host, `f32` on the
//! firmware). All transcendental math goes through `libm` (via `num-traits`' libm backend) so
//! that the host can reproduce the firmware bit for bit in `f32`.
#![no_std]
#![forbid(unsafe_code)]

pub mod blob;
pub mod boards;
pub mod device;
pub mod exo;
pub mod float;
pub mod link;
pub mod muscles;
pub mod params;
pub mod reflex;
