//! The 51 reflex parameters of the 2-D controller: names, scales and offsets
//! (`../shared/spec/original.md` section 2.4), and their physical values.

use crate::float::Real;

/// Unit of a table entry: angles are given in degrees and converted with π/180.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Physical value = p·scale·π/180 + offset·π/180 (rad, rad/m or rad/(m/s)).
    Deg,
    /// Physical value = p·scale (gains, thresholds).
    Raw,
}

/// One row of the scale/offset table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The original's name (`cp_keys`).
    pub name: &'static str,
    pub scale: f64,
    pub offset: f64,
    pub unit: Unit,
}

const fn deg(name: &'static str, scale: f64, offset: f64) -> ParamSpec {
    ParamSpec {
        name,
        scale,
        offset,
        unit: Unit::Deg,
    }
}
const fn raw(name: &'static str, scale: f64) -> ParamSpec {
    ParamSpec {
        name,
        scale,
        offset: 0.0,
        unit: Unit::Raw,
    }
}

/// The 51 reflex parameters in vector order.
pub const REFLEX_TABLE: [ParamSpec; 51] = [
    deg("theta_tgt", 10.0, 0.0),
    deg("alpha_0", 20.0, 55.0),
    deg("alpha_delta", 10.0, 0.0),
    deg("C_d", 2.0, 0.0),
    deg("C_v", 2.0, 0.0),
    raw("Tr_St_sup", 1.0),
    raw("Tr_Sw", 1.5),
    deg("knee_tgt", 15.0, 160.0),
    deg("knee_sw_tgt", 20.0, 100.0),
    deg("knee_off_st", 10.0, 165.0),
    deg("ankle_tgt", 20.0, 60.0),
    deg("mtp_tgt", 10.0, 35.0),
    raw("1_GLU_FG", 0.2),
    raw("1_VAS_FG", 2.0),
    raw("1_SOL_FG", 1.9),
    raw("1_FDL_FG", 1.1),
    raw("2_HAM_FG", 0.5),
    raw("2_VAS_BFSH_PG", 1.2),
    raw("2_BFSH_PG", 1.2),
    raw("2_GAS_FG", 1.0),
    raw("3_HFL_Th", 0.6),
    raw("3_HFL_d_Th", 0.3),
    raw("3_GLU_Th", 0.5),
    raw("3_GLU_d_Th", 0.1),
    raw("3_HAM_GLU_SG", 1.0),
    raw("4_HFL_C_GLU_PG", 0.1),
    raw("4_HFL_C_HAM_PG", 0.1),
    raw("4_GLU_C_HFL_PG", 0.1),
    raw("4_GLU_C_RF_PG", 0.1),
    raw("4_HAM_GLU_PG", 0.1),
    raw("5_TA_PG", 1.1),
    raw("5_TA_SOL_FG", 0.4),
    raw("5_EDL_PG", 1.1),
    raw("5_EDL_FDL_FG", 0.4),
    raw("6_HFL_RF_PG", 1.5),
    raw("6_HFL_RF_VG", 0.15),
    raw("6_GLU_HAM_PG", 0.5),
    raw("6_GLU_HAM_VG", 0.05),
    raw("7_BFSH_RF_VG", 0.5),
    raw("7_BFSH_PG", 0.2),
    raw("8_RF_VG", 0.1),
    raw("8_BFSH_PG", 1.0),
    raw("8_BFSH_VG", 2.5),
    raw("9_HAM_PG", 1.0),
    raw("9_BFSH_HAM_SG", 3.0),
    raw("9_BFSH_HAM_Thr", 0.65),
    raw("9_GAS_HAM_SG", 2.0),
    raw("9_GAS_HAM_Thr", 0.65),
    raw("10_HFL_PG", 0.4),
    raw("10_GLU_PG", 0.4),
    raw("10_VAS_PG", 0.3),
];

/// Physical value of a table entry for normalised value `p`, evaluated in the original's
/// operation order (`p*scale*pi/180 + offset*pi/180`) so that f64 results are bit-identical.
#[inline]
pub fn physical<R: Real>(spec: &ParamSpec, p: R) -> R {
    match spec.unit {
        Unit::Raw => p * R::c(spec.scale),
        Unit::Deg => {
            let pi = R::PI();
            let v = p * R::c(spec.scale) * pi / R::c(180.0);
            if spec.offset == 0.0 {
                v
            } else {
                v + R::c(spec.offset) * pi / R::c(180.0)
            }
        }
    }
}

/// The physical controller parameters (`cp` of the original), shared by both legs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReflexParams<R> {
    pub theta_tgt: R,
    pub alpha_0: R,
    pub alpha_delta: R,
    pub c_d: R,
    pub c_v: R,
    pub tr_st_sup: R,
    pub tr_sw: R,
    pub knee_tgt: R,
    pub knee_sw_tgt: R,
    pub knee_off_st: R,
    pub ankle_tgt: R,
    pub mtp_tgt: R,
    pub m1_glu_fg: R,
    pub m1_vas_fg: R,
    pub m1_sol_fg: R,
    pub m1_fdl_fg: R,
    pub m2_ham_fg: R,
    pub m2_vas_bfsh_pg: R,
    pub m2_bfsh_pg: R,
    pub m2_gas_fg: R,
    pub m3_hfl_th: R,
    pub m3_hfl_d_th: R,
    pub m3_glu_th: R,
    pub m3_glu_d_th: R,
    pub m3_ham_glu_sg: R,
    pub m4_hfl_c_glu_pg: R,
    pub m4_hfl_c_ham_pg: R,
    pub m4_glu_c_hfl_pg: R,
    pub m4_glu_c_rf_pg: R,
    pub m4_ham_glu_pg: R,
    pub m5_ta_pg: R,
    pub m5_ta_sol_fg: R,
    pub m5_edl_pg: R,
    pub m5_edl_fdl_fg: R,
    pub m6_hfl_rf_pg: R,
    pub m6_hfl_rf_vg: R,
    pub m6_glu_ham_pg: R,
    pub m6_glu_ham_vg: R,
    pub m7_bfsh_rf_vg: R,
    /// Present in the vector but unused by the laws (as in the original).
    pub m7_bfsh_pg: R,
    pub m8_rf_vg: R,
    pub m8_bfsh_pg: R,
    pub m8_bfsh_vg: R,
    pub m9_ham_pg: R,
    pub m9_bfsh_ham_sg: R,
    pub m9_bfsh_ham_thr: R,
    pub m9_gas_ham_sg: R,
    pub m9_gas_ham_thr: R,
    pub m10_hfl_pg: R,
    pub m10_glu_pg: R,
    pub m10_vas_pg: R,
}

impl<R: Real> ReflexParams<R> {
    /// Physical parameters from the 51 normalised values.
    pub fn from_normalized(p: &[R; 51]) -> Self {
        let v: [R; 51] = core::array::from_fn(|i| physical(&REFLEX_TABLE[i], p[i]));
        Self::from_physical(&v)
    }

    /// From physical values in table order (e.g. a recorded `cp` dictionary).
    pub fn from_physical(v: &[R; 51]) -> Self {
        ReflexParams {
            theta_tgt: v[0],
            alpha_0: v[1],
            alpha_delta: v[2],
            c_d: v[3],
            c_v: v[4],
            tr_st_sup: v[5],
            tr_sw: v[6],
            knee_tgt: v[7],
            knee_sw_tgt: v[8],
            knee_off_st: v[9],
            ankle_tgt: v[10],
            mtp_tgt: v[11],
            m1_glu_fg: v[12],
            m1_vas_fg: v[13],
            m1_sol_fg: v[14],
            m1_fdl_fg: v[15],
            m2_ham_fg: v[16],
            m2_vas_bfsh_pg: v[17],
            m2_bfsh_pg: v[18],
            m2_gas_fg: v[19],
            m3_hfl_th: v[20],
            m3_hfl_d_th: v[21],
            m3_glu_th: v[22],
            m3_glu_d_th: v[23],
            m3_ham_glu_sg: v[24],
            m4_hfl_c_glu_pg: v[25],
            m4_hfl_c_ham_pg: v[26],
            m4_glu_c_hfl_pg: v[27],
            m4_glu_c_rf_pg: v[28],
            m4_ham_glu_pg: v[29],
            m5_ta_pg: v[30],
            m5_ta_sol_fg: v[31],
            m5_edl_pg: v[32],
            m5_edl_fdl_fg: v[33],
            m6_hfl_rf_pg: v[34],
            m6_hfl_rf_vg: v[35],
            m6_glu_ham_pg: v[36],
            m6_glu_ham_vg: v[37],
            m7_bfsh_rf_vg: v[38],
            m7_bfsh_pg: v[39],
            m8_rf_vg: v[40],
            m8_bfsh_pg: v[41],
            m8_bfsh_vg: v[42],
            m9_ham_pg: v[43],
            m9_bfsh_ham_sg: v[44],
            m9_bfsh_ham_thr: v[45],
            m9_gas_ham_sg: v[46],
            m9_gas_ham_thr: v[47],
            m10_hfl_pg: v[48],
            m10_glu_pg: v[49],
            m10_vas_pg: v[50],
        }
    }

    /// Physical values in table order (inverse of [`ReflexParams::from_physical`]).
    pub fn to_physical(&self) -> [R; 51] {
        [
            self.theta_tgt,
            self.alpha_0,
            self.alpha_delta,
            self.c_d,
            self.c_v,
            self.tr_st_sup,
            self.tr_sw,
            self.knee_tgt,
            self.knee_sw_tgt,
            self.knee_off_st,
            self.ankle_tgt,
            self.mtp_tgt,
            self.m1_glu_fg,
            self.m1_vas_fg,
            self.m1_sol_fg,
            self.m1_fdl_fg,
            self.m2_ham_fg,
            self.m2_vas_bfsh_pg,
            self.m2_bfsh_pg,
            self.m2_gas_fg,
            self.m3_hfl_th,
            self.m3_hfl_d_th,
            self.m3_glu_th,
            self.m3_glu_d_th,
            self.m3_ham_glu_sg,
            self.m4_hfl_c_glu_pg,
            self.m4_hfl_c_ham_pg,
            self.m4_glu_c_hfl_pg,
            self.m4_glu_c_rf_pg,
            self.m4_ham_glu_pg,
            self.m5_ta_pg,
            self.m5_ta_sol_fg,
            self.m5_edl_pg,
            self.m5_edl_fdl_fg,
            self.m6_hfl_rf_pg,
            self.m6_hfl_rf_vg,
            self.m6_glu_ham_pg,
            self.m6_glu_ham_vg,
            self.m7_bfsh_rf_vg,
            self.m7_bfsh_pg,
            self.m8_rf_vg,
            self.m8_bfsh_pg,
            self.m8_bfsh_vg,
            self.m9_ham_pg,
            self.m9_bfsh_ham_sg,
            self.m9_bfsh_ham_thr,
            self.m9_gas_ham_sg,
            self.m9_gas_ham_thr,
            self.m10_hfl_pg,
            self.m10_glu_pg,
            self.m10_vas_pg,
        ]
    }
}

impl<R: Real> Default for ReflexParams<R> {
    /// The controller's parameters before any vector is installed: all normalised values 1.
    fn default() -> Self {
        Self::from_normalized(&[R::one(); 51])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_original() {
        // cp_at_buffer_reset of the reference meta files (the all-ones defaults).
        let d = ReflexParams::<f64>::default();
        assert_eq!(d.theta_tgt, 0.17453292519943295);
        assert_eq!(d.alpha_0, 1.3089969389957472);
        assert_eq!(d.knee_tgt, 3.0543261909900767);
        assert_eq!(d.knee_off_st, 3.0543261909900763);
        assert_eq!(d.knee_sw_tgt, 2.0943951023931953);
        assert_eq!(d.ankle_tgt, 1.3962634015954636);
        assert_eq!(d.mtp_tgt, core::f64::consts::FRAC_PI_4); // 0.7853981633974483 in the meta files
        assert_eq!(d.c_d, 0.03490658503988659);
        assert_eq!(d.tr_sw, 1.5);
        assert_eq!(d.m7_bfsh_rf_vg, 0.5);
        assert_eq!(d.m7_bfsh_pg, 0.2);
        let names: [&str; 51] = core::array::from_fn(|i| REFLEX_TABLE[i].name);
        assert_eq!(names[38], "7_BFSH_RF_VG");
        assert_eq!(ReflexParams::from_physical(&d.to_physical()), d);
    }
}
