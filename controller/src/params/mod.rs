//! The parameter vector of the 2-D 22-muscle controller, exactly as the original lays it out
//! (`../shared/spec/original.md` section 2.8):
//!
//! | indices | content |
//! |---|---|
//! | 0..51 | the 51 reflex parameters ([`reflex_table`]) |
//! | 51..59 | 8 pose parameters ([`pose`]): pelvis_tilt, hip r/l, knee r/l, ankle r/l, vel_pelvis_tx |
//! | 59..77 | 18 initial activations (GLU HFL HAM RF BFSH GAS SOL VAS TA, right then left) |
//! | 77..81 | 4-parameter exo (peak torque, rise, peak time, fall; [`crate::exo`]), or |
//! | 77..77+2n | n-point exo (n torques, then n times) |
//!
//! CMA-ES works on these normalised values; the physical value of a reflex parameter is
//! `p·scale + offset` ([`reflex_table::REFLEX_TABLE`]). Bounds and x0 come from [`Layout`].

pub mod bounds;
pub mod pose;
pub mod reflex_table;

use core::ops::Range;

/// Number of reflex parameters of the 2-D controller.
pub const N_REFLEX: usize = 51;
/// Number of pose parameters (joint angles and initial forward velocity).
pub const N_POSE: usize = 8;
/// Number of initial-activation parameters (9 muscles per leg).
pub const N_INIT_ACT: usize = 18;
/// Number of human parameters: 51 + 8 + 18.
pub const N_HUMAN: usize = N_REFLEX + N_POSE + N_INIT_ACT;
/// Largest n of the n-point exo the layout accepts (keeps fixed-size buffers bounded).
pub const MAX_NPOINT: usize = 32;
/// Largest parameter vector any layout produces.
pub const MAX_LEN: usize = N_HUMAN + 2 * MAX_NPOINT;

/// Index range of the reflex parameters.
pub const REFLEX_RANGE: Range<usize> = 0..N_REFLEX;
/// Index range of the pose parameters.
pub const POSE_RANGE: Range<usize> = N_REFLEX..N_REFLEX + N_POSE;
/// Index range of the initial activations.
pub const INIT_ACT_RANGE: Range<usize> = N_REFLEX + N_POSE..N_HUMAN;

pub use crate::exo::ExoKind;
use crate::exo::{fourparam, npoint};

/// Errors of the parameter layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// `NPoint(n)` with n = 0 or n > [`MAX_NPOINT`].
    BadPointCount(usize),
    /// A vector whose length does not match the layout.
    WrongLength { expected: usize, got: usize },
}

impl core::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LayoutError::BadPointCount(n) => {
                write!(f, "n-point exo needs 1..={MAX_NPOINT} points, got {n}")
            }
            LayoutError::WrongLength { expected, got } => {
                write!(f, "expected {expected} parameters, got {got}")
            }
        }
    }
}

/// The layout of one run's parameter vector: the 77 human values plus the exo slice
/// (`None` = no exo).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Layout {
    pub exo: Option<ExoKind>,
}

impl Layout {
    /// A layout, checking the n-point count.
    pub fn new(exo: Option<ExoKind>) -> Result<Self, LayoutError> {
        if let Some(ExoKind::NPoint(n)) = exo {
            if n == 0 || n > MAX_NPOINT {
                return Err(LayoutError::BadPointCount(n));
            }
        }
        Ok(Layout { exo })
    }

    /// The layout a run with these original flags uses (`--ExoOn`, `--use_4param_spline`,
    /// `--n_points`).
    pub fn from_flags(
        exo_on: bool,
        use_4param_spline: bool,
        n_points: usize,
    ) -> Result<Self, LayoutError> {
        match (exo_on, use_4param_spline) {
            (false, _) => Layout::new(None),
            (true, true) => Layout::new(Some(ExoKind::FourParam)),
            (true, false) => Layout::new(Some(ExoKind::NPoint(n_points))),
        }
    }

    /// Number of exo values.
    pub const fn exo_len(&self) -> usize {
        match self.exo {
            None => 0,
            Some(ExoKind::FourParam) => fourparam::LEN,
            Some(ExoKind::NPoint(n)) => 2 * n,
        }
    }

    /// Total vector length.
    pub const fn len(&self) -> usize {
        N_HUMAN + self.exo_len()
    }

    /// Never empty (the human part is always there); for clippy's `len_without_is_empty`.
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// Index range of the exo slice (empty without exo).
    pub const fn exo_range(&self) -> Range<usize> {
        N_HUMAN..N_HUMAN + self.exo_len()
    }

    /// Index range of the n-point torques (empty unless n-point).
    pub const fn npoint_torque_range(&self) -> Range<usize> {
        match self.exo {
            Some(ExoKind::NPoint(n)) => N_HUMAN..N_HUMAN + n,
            _ => N_HUMAN..N_HUMAN,
        }
    }

    /// Index range of the n-point times (empty unless n-point).
    pub const fn npoint_time_range(&self) -> Range<usize> {
        match self.exo {
            Some(ExoKind::NPoint(n)) => N_HUMAN + n..N_HUMAN + 2 * n,
            _ => N_HUMAN..N_HUMAN,
        }
    }

    /// Checks a vector length against the layout.
    pub fn check_len(&self, got: usize) -> Result<(), LayoutError> {
        if got == self.len() {
            Ok(())
        } else {
            Err(LayoutError::WrongLength {
                expected: self.len(),
                got,
            })
        }
    }

    /// CMA bound of parameter `i` as the original implements it (`(lower, upper)`, possibly
    /// infinite), or `None` past the end. See [`bounds`] for the by-index quirk.
    pub fn bound(&self, i: usize) -> Option<(f64, f64)> {
        if i < N_HUMAN {
            Some(bounds::human_bound(i))
        } else if i < self.len() {
            Some((0.0, 1.0))
        } else {
            None
        }
    }

    /// All bounds in index order.
    pub fn bounds(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        (0..self.len()).filter_map(move |i| self.bound(i))
    }

    /// Initial value of parameter `i` for a new run, or `None` past the end: 1 clipped to the
    /// bounds, the exo slice overwritten by its defaults.
    pub fn x0(&self, i: usize) -> Option<f64> {
        if i >= self.len() {
            return None;
        }
        if i < N_HUMAN {
            let (lo, hi) = bounds::human_bound(i);
            return Some(1.0f64.max(lo).min(hi));
        }
        let k = i - N_HUMAN;
        match self.exo {
            None => None,
            Some(ExoKind::FourParam) => fourparam::DEFAULTS.get(k).copied(),
            Some(ExoKind::NPoint(n)) => Some(if k < n {
                npoint::default_torque(k, n)
            } else {
                npoint::DEFAULT_TIME
            }),
        }
    }

    /// x0 in index order.
    pub fn x0_iter(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.len()).filter_map(move |i| self.x0(i))
    }

    /// Writes x0 into `out` (which must have [`Layout::len`] elements).
    pub fn x0_into(&self, out: &mut [f64]) -> Result<(), LayoutError> {
        self.check_len(out.len())?;
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.x0(i).unwrap_or(1.0);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(Layout::new(None).unwrap().len(), 77);
        assert_eq!(Layout::new(Some(ExoKind::FourParam)).unwrap().len(), 81);
        assert_eq!(Layout::new(Some(ExoKind::NPoint(6))).unwrap().len(), 89);
        assert!(Layout::new(Some(ExoKind::NPoint(0))).is_err());
        assert_eq!(
            Layout::from_flags(true, false, 4).unwrap().exo_range(),
            77..85
        );
    }

    #[test]
    fn x0_defaults() {
        let l = Layout::new(Some(ExoKind::FourParam)).unwrap();
        let x: [f64; 81] = core::array::from_fn(|i| l.x0(i).unwrap());
        assert!(x[..77].iter().all(|&v| v == 1.0));
        assert_eq!(&x[77..], &fourparam::DEFAULTS);
        let l = Layout::new(Some(ExoKind::NPoint(4))).unwrap();
        let t: [f64; 8] = core::array::from_fn(|i| l.x0(77 + i).unwrap());
        assert_eq!(t, [0.125, 0.25, 0.5, 0.25, 0.5, 0.5, 0.5, 0.5]);
        let l = Layout::new(Some(ExoKind::NPoint(6))).unwrap();
        let t: [f64; 6] = core::array::from_fn(|i| l.x0(77 + i).unwrap());
        assert_eq!(t, [0.0625, 0.125, 0.25, 0.5, 0.25, 0.125]);
        assert_eq!(l.x0(89), None);
    }
}
