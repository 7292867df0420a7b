//! What the reflex controller reads each control step (`../shared/spec/original.md` section
//! 2.2): trunk and pelvis signals, and per leg loads, contacts, Geyer joint angles and
//! normalised muscle forces.
//!
//! Only the signals the 2-D controller reads are here; the original's sensor dictionary also
//! holds frontal-plane values (`theta_f`, `dtheta_f`, y components) that only its 3-D branch uses.

use crate::float::Real;

/// Signals of one leg, as the original's `SENSOR_DATA[<s>_leg]`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LegSensors<R> {
    /// Normalised vertical load of this leg ((touch foot + toes) / body weight).
    pub load_ipsi: R,
    /// Load of the other leg.
    pub load_contra: R,
    /// `load_ipsi > 0.1`.
    pub contact_ipsi: bool,
    /// `load_contra > 0.1`.
    pub contact_contra: bool,
    /// Forward position of the contralateral talus (world, rotated by −yaw), m.
    pub talus_contra_pos_x: R,
    /// Forward velocity of the contralateral talus, m/s.
    pub talus_contra_vel_x: R,
    /// Geyer angles (extended = π), rad, and rates, rad/s.
    pub phi_hip: R,
    pub dphi_hip: R,
    pub phi_knee: R,
    pub dphi_knee: R,
    pub phi_ankle: R,
    pub phi_mtp: R,
    /// −actuator_force / F_max of glutmax, hamstrings, vasti, gastroc, soleus, fdl.
    pub f_glu: R,
    pub f_ham: R,
    pub f_vas: R,
    pub f_gas: R,
    pub f_sol: R,
    pub f_fdl: R,
}

/// Everything the controller reads at one control step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sensors<R> {
    /// Trunk pitch θ (pelvis quaternion pitch), rad.
    pub theta: R,
    /// Trunk pitch rate θ̇ (−ω_y of the torso, local frame), rad/s.
    pub dtheta: R,
    /// Pelvis forward position (rotated by −yaw), m.
    pub pelvis_pos_x: R,
    /// Pelvis forward velocity, m/s.
    pub pelvis_vel_x: R,
    /// Right leg, left leg.
    pub leg: [LegSensors<R>; 2],
}

/// Contact threshold of the original: contact is `load > 0.1` (strict).
pub const CONTACT_LOAD: f64 = 0.1;

impl<R: Real> Sensors<R> {
    /// The same sample in another float type (e.g. f64 log -> f32 firmware).
    pub fn cast<S: Real>(&self) -> Sensors<S> {
        let c = |x: R| S::c(x.f64());
        let leg = |l: &LegSensors<R>| LegSensors {
            load_ipsi: c(l.load_ipsi),
            load_contra: c(l.load_contra),
            contact_ipsi: l.contact_ipsi,
            contact_contra: l.contact_contra,
            talus_contra_pos_x: c(l.talus_contra_pos_x),
            talus_contra_vel_x: c(l.talus_contra_vel_x),
            phi_hip: c(l.phi_hip),
            dphi_hip: c(l.dphi_hip),
            phi_knee: c(l.phi_knee),
            dphi_knee: c(l.dphi_knee),
            phi_ankle: c(l.phi_ankle),
            phi_mtp: c(l.phi_mtp),
            f_glu: c(l.f_glu),
            f_ham: c(l.f_ham),
            f_vas: c(l.f_vas),
            f_gas: c(l.f_gas),
            f_sol: c(l.f_sol),
            f_fdl: c(l.f_fdl),
        };
        Sensors {
            theta: c(self.theta),
            dtheta: c(self.dtheta),
            pelvis_pos_x: c(self.pelvis_pos_x),
            pelvis_vel_x: c(self.pelvis_vel_x),
            leg: [leg(&self.leg[0]), leg(&self.leg[1])],
        }
    }

    /// Fills `load_contra`, `contact_ipsi` and `contact_contra` of both legs from their
    /// `load_ipsi`, as the original's interface does.
    pub fn derive_contacts(&mut self) {
        let th = R::c(CONTACT_LOAD);
        let loads = [self.leg[0].load_ipsi, self.leg[1].load_ipsi];
        for i in 0..2 {
            let c = 1 - i;
            self.leg[i].load_contra = loads[c];
            self.leg[i].contact_ipsi = loads[i] > th;
            self.leg[i].contact_contra = loads[c] > th;
        }
    }
}
