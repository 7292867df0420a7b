//! Fixed little-endian records for running the reflex law over recorded inputs on the device
//! (the QEMU reflex test, later the HIL link): a setup record, then one sensor record in and one
//! output record out per control step. Booleans travel as f32 0/1 in sensor records.

use super::frame::{get_f32s, put_f32s};
use crate::muscles::N_MUSCLES;
use crate::params::pose::PoseKey;
use crate::params::reflex_table::ReflexParams;
use crate::reflex::{DelayMode, LegSensors, Output, Phases, ResetState, Sensors};

/// Reflex parameters in a setup record.
pub const N_PARAMS: usize = 51;
/// f32 values per leg in a sensor record.
const LEG_VALUES: usize = 18;
/// Bytes of a `Sensors<f32>` record: theta, dtheta, pelvis_pos_x, pelvis_vel_x, then per leg
/// (right first) load_ipsi, load_contra, contact_ipsi, contact_contra, talus_contra_pos_x,
/// talus_contra_vel_x, phi_hip, dphi_hip, phi_knee, dphi_knee, phi_ankle, phi_mtp, f_glu, f_ham,
/// f_vas, f_gas, f_sol, f_fdl.
pub const SENSORS_RECORD: usize = 4 * (4 + 2 * LEG_VALUES);
/// Bytes of a setup record: delayed u8, pose u8 (0 walk_left, 1 walk_right), 2 zero bytes,
/// the 51 physical reflex parameters, the 51 physical parameters of the initial alpha_tgt
/// lines, the reset sample (a sensor record), the initial activations (right 11, left 11).
pub const SETUP_RECORD: usize = 4 + 4 * 2 * N_PARAMS + SENSORS_RECORD + 4 * 2 * N_MUSCLES;
/// Bytes of an output record: the 22 stimulations (right first), then per leg the 11 phase
/// flags as u16 bits (bit k = `Phases::as_array()[k]`), a u8 (bit 0 swing_init, bit 1
/// in_contact), a zero byte, alpha_tgt and hip_tgt as f32.
pub const OUTPUT_RECORD: usize = 4 * 2 * N_MUSCLES + 2 * 12;

/// How the reflex controller starts: mode, parameters, reset state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReflexSetup {
    pub mode: DelayMode,
    pub params: ReflexParams<f32>,
    pub buffer_params: ReflexParams<f32>,
    pub init: ResetState<f32>,
}

fn leg_values(l: &LegSensors<f32>) -> [f32; LEG_VALUES] {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    [
        l.load_ipsi,
        l.load_contra,
        b(l.contact_ipsi),
        b(l.contact_contra),
        l.talus_contra_pos_x,
        l.talus_contra_vel_x,
        l.phi_hip,
        l.dphi_hip,
        l.phi_knee,
        l.dphi_knee,
        l.phi_ankle,
        l.phi_mtp,
        l.f_glu,
        l.f_ham,
        l.f_vas,
        l.f_gas,
        l.f_sol,
        l.f_fdl,
    ]
}

fn leg_from(v: &[f32; LEG_VALUES]) -> LegSensors<f32> {
    LegSensors {
        load_ipsi: v[0],
        load_contra: v[1],
        contact_ipsi: v[2] != 0.0,
        contact_contra: v[3] != 0.0,
        talus_contra_pos_x: v[4],
        talus_contra_vel_x: v[5],
        phi_hip: v[6],
        dphi_hip: v[7],
        phi_knee: v[8],
        dphi_knee: v[9],
        phi_ankle: v[10],
        phi_mtp: v[11],
        f_glu: v[12],
        f_ham: v[13],
        f_vas: v[14],
        f_gas: v[15],
        f_sol: v[16],
        f_fdl: v[17],
    }
}

/// Writes a sensor record into `out` (at least [`SENSORS_RECORD`] bytes).
pub fn write_sensors(s: &Sensors<f32>, out: &mut [u8]) {
    let mut at = 0;
    put_f32s(
        out,
        &mut at,
        &[s.theta, s.dtheta, s.pelvis_pos_x, s.pelvis_vel_x],
    );
    for l in &s.leg {
        put_f32s(out, &mut at, &leg_values(l));
    }
}

/// Reads a sensor record (at least [`SENSORS_RECORD`] bytes).
pub fn read_sensors(r: &[u8]) -> Sensors<f32> {
    let mut at = 0;
    let [theta, dtheta, pelvis_pos_x, pelvis_vel_x] = get_f32s::<4>(r, &mut at);
    let right = get_f32s::<LEG_VALUES>(r, &mut at);
    let left = get_f32s::<LEG_VALUES>(r, &mut at);
    Sensors {
        theta,
        dtheta,
        pelvis_pos_x,
        pelvis_vel_x,
        leg: [leg_from(&right), leg_from(&left)],
    }
}

impl ReflexSetup {
    /// The setup record.
    pub fn to_record(&self) -> [u8; SETUP_RECORD] {
        let mut out = [0u8; SETUP_RECORD];
        out[0] = matches!(self.mode, DelayMode::Delayed) as u8;
        out[1] = matches!(self.init.pose, PoseKey::WalkRight) as u8;
        let mut at = 4;
        put_f32s(&mut out, &mut at, &self.params.to_physical());
        put_f32s(&mut out, &mut at, &self.buffer_params.to_physical());
        write_sensors(&self.init.sample, &mut out[at..]);
        at += SENSORS_RECORD;
        for leg in &self.init.act {
            put_f32s(&mut out, &mut at, leg);
        }
        out
    }

    /// Reads a setup record; `None` on an unknown mode or pose byte.
    pub fn from_record(r: &[u8; SETUP_RECORD]) -> Option<Self> {
        let mode = match r[0] {
            0 => DelayMode::NonDelayed,
            1 => DelayMode::Delayed,
            _ => return None,
        };
        let pose = match r[1] {
            0 => PoseKey::WalkLeft,
            1 => PoseKey::WalkRight,
            _ => return None,
        };
        let mut at = 4;
        let params = ReflexParams::from_physical(&get_f32s::<N_PARAMS>(r, &mut at));
        let buffer_params = ReflexParams::from_physical(&get_f32s::<N_PARAMS>(r, &mut at));
        let sample = read_sensors(&r[at..]);
        at += SENSORS_RECORD;
        let act = [
            get_f32s::<N_MUSCLES>(r, &mut at),
            get_f32s::<N_MUSCLES>(r, &mut at),
        ];
        Some(Self {
            mode,
            params,
            buffer_params,
            init: ResetState { pose, sample, act },
        })
    }
}

/// Writes an output record.
pub fn output_record(o: &Output<f32>) -> [u8; OUTPUT_RECORD] {
    let mut out = [0u8; OUTPUT_RECORD];
    let mut at = 0;
    for leg in &o.stim {
        put_f32s(&mut out, &mut at, leg);
    }
    for i in 0..2 {
        let bits = phase_bits(&o.phases[i]);
        out[at..at + 2].copy_from_slice(&bits.to_le_bytes());
        out[at + 2] = o.supra[i].swing_init as u8 | (o.in_contact[i] as u8) << 1;
        at += 4;
        put_f32s(
            &mut out,
            &mut at,
            &[o.supra[i].alpha_tgt, o.supra[i].hip_tgt],
        );
    }
    out
}

/// The phase flags as bits (bit k = `Phases::as_array()[k]`).
pub fn phase_bits(p: &Phases) -> u16 {
    p.as_array()
        .iter()
        .enumerate()
        .fold(0, |acc, (k, &f)| acc | (f as u16) << k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_and_sensors_round_trip() {
        let mut sample = Sensors::<f32> {
            theta: 0.1,
            dtheta: -0.2,
            pelvis_pos_x: 1.5,
            pelvis_vel_x: 1.2,
            ..Default::default()
        };
        sample.leg[1].contact_ipsi = true;
        sample.leg[0].f_fdl = 0.25;
        sample.leg[1].phi_mtp = 3.0;
        let mut params = ReflexParams::<f32>::default();
        params.alpha_delta = 0.3;
        let setup = ReflexSetup {
            mode: DelayMode::Delayed,
            params,
            buffer_params: ReflexParams::default(),
            init: ResetState {
                pose: PoseKey::WalkRight,
                sample,
                act: [[0.05; N_MUSCLES], [0.1; N_MUSCLES]],
            },
        };
        let back = ReflexSetup::from_record(&setup.to_record()).unwrap();
        assert_eq!(back.init, setup.init);
        assert_eq!(back.mode, setup.mode);
        assert_eq!(back.params.to_physical(), setup.params.to_physical());
        let mut rec = [0u8; SENSORS_RECORD];
        write_sensors(&sample, &mut rec);
        assert_eq!(read_sensors(&rec), sample);
    }
}
