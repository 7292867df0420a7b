//! Spinal phase state machine of one leg (`../shared/spec/original.md` section 2.6).

use crate::float::Real;

/// The 11 phase flags of one leg, in the original's dictionary order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Phases {
    /// Stance.
    pub ph_st: bool,
    /// Stance with the other leg in swing (single support).
    pub ph_st_csw: bool,
    /// Stance, swing initiation commanded (pre-swing).
    pub ph_st_sw0: bool,
    /// Stance, no swing initiation.
    pub ph_st_st: bool,
    /// Swing.
    pub ph_sw: bool,
    /// Swing sub-phases: 1 flex knee, 2 hold knee, 3 stop leg, 4 hold leg.
    pub sw1: bool,
    pub sw2: bool,
    pub sw3: bool,
    pub sw4: bool,
    pub sw1_flag: bool,
    pub sw2_flag: bool,
}

/// Column names of the flags (reference `out_<s>_<flag>` columns), in [`Phases::as_array`] order.
pub const PHASE_NAMES: [&str; 11] = [
    "ph_st",
    "ph_st_csw",
    "ph_st_sw0",
    "ph_st_st",
    "ph_sw",
    "ph_sw_sw_1",
    "ph_sw_sw_2",
    "ph_sw_sw_3",
    "ph_sw_sw_4",
    "sw_1_flag",
    "sw_2_flag",
];

/// The delayed signals one phase update reads.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PhaseInputs<R> {
    pub contact_ipsi: bool,
    pub contact_contra: bool,
    pub swing_init: bool,
    pub phi_knee: R,
    pub alpha: R,
    pub dalpha: R,
    pub alpha_tgt: R,
    pub alpha_delta: R,
    pub knee_sw_tgt: R,
}

impl Phases {
    /// All flags in [`PHASE_NAMES`] order.
    pub const fn as_array(&self) -> [bool; 11] {
        [
            self.ph_st,
            self.ph_st_csw,
            self.ph_st_sw0,
            self.ph_st_st,
            self.ph_sw,
            self.sw1,
            self.sw2,
            self.sw3,
            self.sw4,
            self.sw1_flag,
            self.sw2_flag,
        ]
    }

    /// Initial flags of the stance leg of a walking keyframe.
    pub const fn initial_stance() -> Self {
        Phases {
            ph_st: true,
            ph_st_csw: false,
            ph_st_sw0: false,
            ph_st_st: false,
            ph_sw: false,
            sw1: false,
            sw2: false,
            sw3: false,
            sw4: false,
            sw1_flag: false,
            sw2_flag: false,
        }
    }

    /// Initial flags of the swing leg of a walking keyframe (early swing).
    pub const fn initial_swing() -> Self {
        Phases {
            ph_st: false,
            ph_st_csw: false,
            ph_st_sw0: false,
            ph_st_st: false,
            ph_sw: true,
            sw1: true,
            sw2: false,
            sw3: false,
            sw4: false,
            sw1_flag: true,
            sw2_flag: false,
        }
    }

    /// One update; `in_contact` is the leg's contact memory, updated at the end.
    pub(crate) fn update<R: Real>(&mut self, in_contact: &mut bool, s: &PhaseInputs<R>) {
        // 1. touchdown
        if !*in_contact && s.contact_ipsi {
            self.ph_st = true;
            self.ph_sw = false;
            self.sw1 = false;
            self.sw2 = false;
            self.sw3 = false;
            self.sw4 = false;
            self.sw2_flag = false;
            self.sw1_flag = false;
        }
        // 2. stance sub-phases
        if self.ph_st {
            self.ph_st_csw = !s.contact_contra;
            self.ph_st_sw0 = s.swing_init;
            self.ph_st_st = !self.ph_st_sw0;
        }
        // 3. lift-off
        if *in_contact && !s.contact_ipsi {
            self.ph_st = false;
            self.ph_st_csw = false;
            self.ph_st_sw0 = false;
            self.ph_st_st = false;
            self.ph_sw = true;
            self.sw1 = true;
            self.sw1_flag = true;
        }
        // 4. swing sub-phases
        if self.ph_sw {
            if self.sw1 {
                if s.phi_knee <= s.knee_sw_tgt {
                    self.sw1 = false;
                    self.sw2 = true;
                    self.sw2_flag = true;
                }
            } else {
                if self.sw2 && s.alpha <= s.alpha_tgt {
                    self.sw2 = false;
                }
                if s.alpha <= s.alpha_tgt + s.alpha_delta {
                    self.sw3 = true;
                }
                if s.dalpha >= R::zero() && self.sw2_flag {
                    self.sw4 = true;
                }
            }
        }
        // 5. contact memory
        *in_contact = s.contact_ipsi;
    }
}
