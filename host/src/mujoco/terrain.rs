//! The terrain MyoAssist sets up at env creation (`myoLeg_reflex.setupTerrain`,
//! `../shared/spec/original.md` 4.2): flat ground hides the heightfield geom `terrain` at
//! z = -10; a slope fills the 100 x 500 heightfield with a linear ramp over its last 449
//! columns (so the effective grade is about 22 % of the nominal one) and makes it collidable.
//! Without `--myoassist_parity` a slope is instead the ground plane itself, tilted to the
//! nominal grade about a line through the world origin (`ResetSpec::original_heightfield`).

use super::sys::{MjModel, Obj};

/// Columns of the heightfield the ramp fills (the last ones).
const RAMP_COLUMNS: usize = 449;
/// Ramp length parameter of the original (`np.linspace(0, 20, 449)`).
const RAMP_RUN: f64 = 20.0;

/// The ramp for `--tgt_slope` degrees (non-zero).
#[derive(Clone, Debug, PartialEq)]
pub struct Ramp {
    /// Heightfield elevation (`hfield_size[2]`), m.
    pub top: f64,
    /// Height offset the reset puts the lowest heel/toe site at, m.
    pub height_offset: f64,
    /// Normalised column heights (0..1) for all 500 columns, as float32 like `hfield_data`.
    pub columns: Vec<f32>,
}

/// `np.linspace(0, stop, n)` with numpy's operation order.
fn linspace(stop: f64, n: usize) -> Vec<f64> {
    let step = stop / (n - 1) as f64;
    let mut y: Vec<f64> = (0..n).map(|i| i as f64 * step).collect();
    if let Some(last) = y.last_mut() {
        *last = stop;
    }
    y
}

/// The original's ramp for a non-zero slope in degrees.
pub fn ramp(slope_deg: f64, ncol: usize) -> Ramp {
    let t = (slope_deg.abs() * (std::f64::consts::PI / 180.0)).tan();
    let mut s: Vec<f64> = linspace(RAMP_RUN, RAMP_COLUMNS)
        .into_iter()
        .map(|v| v * t)
        .collect();
    let (top, height_offset) = if slope_deg < 0.0 {
        s.reverse();
        (s[0], s[0] - 0.005)
    } else {
        (s[RAMP_COLUMNS - 1], s[0])
    };
    let (lo, hi) = s
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let start = ncol.saturating_sub(RAMP_COLUMNS);
    let mut columns = vec![0.0f32; ncol];
    for (c, v) in columns[start..].iter_mut().zip(&s) {
        *c = ((v - lo) / (hi - lo)) as f32;
    }
    if slope_deg < 0.0 {
        for c in &mut columns[start.saturating_sub(3)..start] {
            *c = 1.0;
        }
    }
    Ramp {
        top,
        height_offset,
        columns,
    }
}

/// The start height offset for a slope (0 on flat ground): what `ResetSpec::height_offset`
/// must be for the original's reset.
pub fn height_offset(slope_deg: f64) -> f64 {
    if slope_deg == 0.0 {
        0.0
    } else {
        ramp(slope_deg, 500).height_offset
    }
}

/// `a ⊗ b` for quaternions (w, x, y, z).
fn qmul(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
        a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
        a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
        a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
    ]
}

/// `v` rotated by the unit quaternion `q`.
fn qrot(q: [f64; 4], v: [f64; 3]) -> [f64; 3] {
    let p = qmul(
        qmul(q, [0.0, v[0], v[1], v[2]]),
        [q[0], -q[1], -q[2], -q[3]],
    );
    [p[1], p[2], p[3]]
}

/// The terrain state as loaded, to restore flat ground after a slope.
#[derive(Clone, Debug)]
pub struct Terrain {
    /// Ground plane geom, its body's world pose and its loaded pose in the body.
    plane: Option<(usize, [f64; 3], [f64; 4], [f64; 3], [f64; 4])>,
    geom: Option<usize>,
    hfield: Option<usize>,
    loaded_size: [f64; 4],
    loaded_data: Vec<f32>,
    loaded_rgba_alpha: f32,
    loaded_contype: [i32; 2],
    current: Option<(f64, bool)>,
}

impl Terrain {
    /// Records the loaded heightfield of `model` (geom `terrain`, if any).
    pub fn new(model: &MjModel) -> Self {
        let geom = model.id(Obj::Geom, "terrain");
        let hfield = geom.and_then(|g| usize::try_from(model.geom_dataid()[g]).ok());
        let plane = model.id(Obj::Geom, "ground-plane").map(|g| {
            let b = usize::try_from(model.geom_bodyid()[g]).unwrap_or(0);
            let v3 = |s: &[f64], i: usize| [s[3 * i], s[3 * i + 1], s[3 * i + 2]];
            let v4 = |s: &[f64], i: usize| [s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]];
            // the ground body is a direct child of the world (static), so its pose is its world pose
            (
                g,
                v3(model.body_pos(), b),
                v4(model.body_quat(), b),
                v3(model.geom_pos(), g),
                v4(model.geom_quat(), g),
            )
        });
        let mut t = Terrain {
            plane,
            geom,
            hfield,
            loaded_size: [0.0; 4],
            loaded_data: Vec::new(),
            loaded_rgba_alpha: 1.0,
            loaded_contype: [1, 1],
            current: None,
        };
        if let (Some(g), Some(h)) = (geom, hfield) {
            t.loaded_size
                .copy_from_slice(&model.hfield_size()[4 * h..4 * h + 4]);
            t.loaded_data = model.hfield_rows(h).to_vec();
            t.loaded_rgba_alpha = model.geom_rgba()[4 * g + 3];
            t.loaded_contype = [model.geom_contype()[g], model.geom_conaffinity()[g]];
        }
        t
    }

    /// Sets the terrain for `slope_deg` (0 = flat): the original's heightfield ramp when
    /// `original_heightfield`, else the ground plane tilted to the nominal slope. Does nothing
    /// when it is already set up that way.
    pub fn apply(&mut self, model: &mut MjModel, slope_deg: f64, original_heightfield: bool) {
        let want = (slope_deg, original_heightfield || slope_deg == 0.0);
        if self.current == Some(want) {
            return;
        }
        self.current = Some(want);
        let tilt = if want.1 { 0.0 } else { slope_deg };
        self.tilt_plane(model, tilt);
        let (Some(g), Some(h)) = (self.geom, self.hfield) else {
            return;
        };
        if slope_deg == 0.0 || !original_heightfield {
            // MyoSuite at env creation: heightfield hidden below the ground
            model.hfield_size_mut()[4 * h..4 * h + 4].copy_from_slice(&self.loaded_size);
            model.hfield_rows_mut(h).copy_from_slice(&self.loaded_data);
            model.geom_rgba_mut()[4 * g + 3] = self.loaded_rgba_alpha;
            model.geom_contype_mut()[g] = self.loaded_contype[0];
            model.geom_conaffinity_mut()[g] = self.loaded_contype[1];
            model.geom_pos_mut()[3 * g..3 * g + 3].copy_from_slice(&[0.0, 0.0, -10.0]);
        } else {
            let (nrow, ncol) = model.hfield_shape(h);
            let r = ramp(slope_deg, ncol);
            model.hfield_size_mut()[4 * h + 2] = r.top;
            let data = model.hfield_rows_mut(h);
            for row in 0..nrow {
                data[row * ncol..(row + 1) * ncol].copy_from_slice(&r.columns);
            }
            model.geom_rgba_mut()[4 * g + 3] = 1.0;
            model.geom_pos_mut()[3 * g..3 * g + 3].copy_from_slice(&[40.0, 0.0, -0.005]);
            model.geom_contype_mut()[g] = 1;
            model.geom_conaffinity_mut()[g] = 1;
        }
    }

    /// The ground plane as loaded (`deg` = 0), or tilted by `deg` about the world y axis
    /// through the world origin (uphill towards +x for `deg` > 0).
    fn tilt_plane(&self, model: &mut MjModel, deg: f64) {
        let Some((g, bpos, bquat, gpos, gquat)) = self.plane else {
            return;
        };
        let (pos, quat) = if deg == 0.0 {
            (gpos, gquat)
        } else {
            // world orientation: rotation about y by -deg maps the normal z to (-sin, 0, cos)
            let half = -deg.to_radians() * 0.5;
            let tilt = [half.cos(), 0.0, half.sin(), 0.0];
            let inv = [bquat[0], -bquat[1], -bquat[2], -bquat[3]];
            let quat = qmul(inv, tilt);
            // the plane passes through the world origin
            let pos = qrot(inv, [-bpos[0], -bpos[1], -bpos[2]]);
            (pos, quat)
        };
        model.geom_pos_mut()[3 * g..3 * g + 3].copy_from_slice(&pos);
        model.geom_quat_mut()[4 * g..4 * g + 4].copy_from_slice(&quat);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_matches_the_original_construction() {
        let r = ramp(10.0, 500);
        assert_eq!(r.columns.len(), 500);
        assert_eq!(r.columns[50], 0.0);
        assert_eq!(r.columns[51], 0.0);
        assert_eq!(r.columns[499], 1.0);
        assert!((r.top - 20.0 * 10f64.to_radians().tan()).abs() < 1e-12);
        assert_eq!(r.height_offset, 0.0);
        let d = ramp(-10.0, 500);
        assert_eq!(d.columns[51], 1.0);
        assert_eq!(d.columns[48], 1.0);
        assert_eq!(d.columns[47], 0.0);
        assert_eq!(d.columns[499], 0.0);
        assert!((d.height_offset - (d.top - 0.005)).abs() < 1e-15);
        assert_eq!(height_offset(0.0), 0.0);
    }
}
