//! The optional MuJoCo engine (cargo feature `mujoco`): MuJoCo 3.3.3's C library from the PyPI
//! wheel (`scripts/get-mujoco`), bound through bindgen-generated FFI (`ffi`), wrapped in owning
//! safe types (`sys`), and exposed as [`MujocoEngine`], an [`crate::engine::Engine`] that steps
//! exactly as MyoSuite does, for bit-for-bit parity with MyoAssist.

pub mod compare;
pub mod contact;
mod engine;
mod ffi;
pub mod gait;
pub mod models;
pub mod sys;
pub mod terrain;

pub use engine::MujocoEngine;
pub use sys::{MjData, MjError, MjModel, Obj};
