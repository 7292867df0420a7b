//! Stance/swing detector and stance-duration estimator of the original exo controllers
//! (`../shared/spec/original.md` section 3.1), one instance per leg.

use crate::float::Real;

/// Normalised vertical load above which the leg is in stance (strict `>`).
pub const LOAD_THRESHOLD: f64 = 0.1;
/// A stance must last longer than this (s) to be stored.
pub const MIN_STANCE: f64 = 0.035;
/// Average stance duration (s) used until 3 stances were stored.
pub const INITIAL_AVG_STANCE: f64 = 0.6;
/// Number of stance durations averaged.
pub const STORED_STANCES: usize = 3;

/// Gait state of one leg.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GaitState {
    /// Load above the threshold.
    Stance,
    /// Load at or below the threshold (also NaN).
    Swing,
}

/// Stance timer and running mean of the last three stance durations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StanceEstimator<T: Real> {
    state: GaitState,
    /// Time since the current (or last) stance began; held during swing.
    stance_time: T,
    avg_stance: T,
    /// Ring of the last stored durations, `stored` of them valid, next write at `next`.
    durations: [T; STORED_STANCES],
    stored: usize,
    next: usize,
    /// Completed stances stored since reset (saturating), for validity gating.
    strides: u32,
}

impl<T: Real> Default for StanceEstimator<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Real> StanceEstimator<T> {
    /// Initial state: swing, timer 0, average 0.6 s, nothing stored.
    pub fn new() -> Self {
        Self {
            state: GaitState::Swing,
            stance_time: T::zero(),
            avg_stance: T::c(INITIAL_AVG_STANCE),
            durations: [T::zero(); STORED_STANCES],
            stored: 0,
            next: 0,
            strides: 0,
        }
    }

    /// One control step with that leg's normalised vertical load; `dt` is the control step (s).
    pub fn update(&mut self, load: T, dt: T) {
        let stance = load > T::c(LOAD_THRESHOLD);
        if stance {
            if self.state == GaitState::Swing {
                self.stance_time = T::zero();
            }
            self.stance_time = self.stance_time + dt;
            self.state = GaitState::Stance;
        } else {
            if self.state == GaitState::Stance && self.stance_time > T::c(MIN_STANCE) {
                self.store(self.stance_time);
            }
            self.state = GaitState::Swing;
        }
    }

    fn store(&mut self, duration: T) {
        self.durations[self.next] = duration;
        self.next = (self.next + 1) % STORED_STANCES;
        self.stored = (self.stored + 1).min(STORED_STANCES);
        self.strides = self.strides.saturating_add(1);
        if self.stored == STORED_STANCES {
            // Oldest first, summed left to right as Python's sum / numpy's mean of 3 values.
            let mut sum = T::zero();
            for i in 0..STORED_STANCES {
                sum = sum + self.durations[(self.next + i) % STORED_STANCES];
            }
            self.avg_stance = sum / T::c(STORED_STANCES as f64);
        }
    }

    /// Stance percentage clip(T / avg * 100, 0, 100); 0 if that is NaN.
    pub fn stance_pct(&self) -> T {
        // (T / avg) * 100, in this order as the original (bit-exact against the recordings).
        let s = self.stance_time / self.avg_stance * T::c(100.0);
        let hundred = T::c(100.0);
        if s.is_nan() || s < T::zero() {
            T::zero()
        } else if s > hundred {
            hundred
        } else {
            s
        }
    }

    /// Current state.
    pub fn state(&self) -> GaitState {
        self.state
    }

    /// The stance timer (s).
    pub fn stance_time(&self) -> T {
        self.stance_time
    }

    /// The average stance duration (s).
    pub fn avg_stance(&self) -> T {
        self.avg_stance
    }

    /// How many stance durations are stored (0..=3).
    pub fn n_stored(&self) -> usize {
        self.stored
    }

    /// Stances stored since reset (saturating); firmware gates assistance on it.
    pub fn strides(&self) -> u32 {
        self.strides
    }
}
