//! The simulator: state, MuJoCo's forward pass (kinematics, inertia, tendons, muscles,
//! passive and bias forces, collision, constraints, sensors) and its Euler step with implicit
//! joint damping: (M + h·D)·a = f_smooth + f_constraint, v += h·a, q += h·v, act += h·act_dot.

use super::constraint::{Row, RowConstants, RowKind, MAX_ROWS};
use super::contact::{collide, ray_hits_box, Contact, Plane, MAX_CONTACTS};
use super::kinematics::{bias_forces, column, forward, inertias, Inertias, Kin};
use super::light::articulated_solve;
use super::mechanics::Mechanics;
use super::model::{SimModel, MAX_DOF, MAX_HULL};
use super::planar::{dot, wrench};
use super::solver::Solver;
use super::support::SupportCache;
use super::tendon::Segment;
use super::warmstart::Warmstart;

pub const MAX_MUSCLE: usize = 24;

/// Why a step failed.
#[derive(Debug, Clone, PartialEq)]
pub enum StepError {
    NotFinite,
    NotPositiveDefinite,
}

pub struct Sim {
    pub model: SimModel,
    pub plane: Plane,
    pub time: f64,
    pub q: [f64; MAX_DOF],
    pub v: [f64; MAX_DOF],
    pub act: [f64; MAX_MUSCLE],
    pub ctrl: [f64; MAX_MUSCLE],
    pub exo_ctrl: [f64; 2],
    /// Switches (for tests): gravity, contacts, limits, couplings, damping, muscles.
    pub flags: Flags,
    /// DOFs held fixed (zero velocity and acceleration), e.g. the pelvis in the swing test.
    pub locked: [bool; MAX_DOF],
    // forward-pass results
    pub kin: Kin,
    /// The bodies' inertias (the mass matrix in factored form, see [`super::light`]).
    pub inertias: Inertias,
    pub qfrc_bias: [f64; MAX_DOF],
    /// Smooth forces without the exo torques (damping, bias, muscles).
    qfrc_passive: [f64; MAX_DOF],
    pub qfrc_smooth: [f64; MAX_DOF],
    pub qfrc_constraint: [f64; MAX_DOF],
    pub qacc: [f64; MAX_DOF],
    pub ten_len: [f64; MAX_MUSCLE],
    pub ten_vel: [f64; MAX_MUSCLE],
    pub ten_j: [[f64; MAX_DOF]; MAX_MUSCLE],
    /// Scratch space of the muscle path geometry.
    segments: Vec<Segment>,
    pub muscle_force: [f64; MAX_MUSCLE],
    pub act_dot: [f64; MAX_MUSCLE],
    pub contacts: [Contact; MAX_CONTACTS],
    pub ncon: usize,
    /// The last deepest-vertex search of every hull (skips searches that would repeat it).
    supports: Box<SupportCache>,
    rows: Box<[Row; MAX_ROWS]>,
    pub nrows: usize,
    pub efc_force: [f64; MAX_ROWS],
    solver: Solver,
    row_constants: RowConstants,
    /// The solver's first guess of the active set (from the last step's, by constraint).
    warmstart: Warmstart,
    guess: [i8; MAX_ROWS],
    /// What the last completed forward pass was computed from.
    inputs: Box<Inputs>,
    inputs_valid: bool,
    /// Touch sensors (N), in `model.touch` order.
    pub touch: [f64; 8],
    /// Limit torque per DOF (Jᵀ f over limit rows).
    pub limit_torque: [f64; MAX_DOF],
    /// World-frame contact force acting on each hull's body, and the number of its contacts.
    pub hull_force: [[f64; 3]; MAX_HULL],
    pub hull_ncon: [usize; MAX_HULL],
    /// Vertical force of all ground contacts, N.
    pub grf_z: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flags {
    pub gravity: bool,
    pub contact: bool,
    pub limit: bool,
    pub equality: bool,
    pub damping: bool,
    pub muscles: bool,
}

impl Default for Flags {
    fn default() -> Self {
        Flags {
            gravity: true,
            contact: true,
            limit: true,
            equality: true,
            damping: true,
            muscles: true,
        }
    }
}

/// The inputs of a forward pass besides the model (whose time step is included): the state,
/// the exo controls (the muscle controls only set the activation rates), switches, locks and
/// the ground plane.
#[derive(Clone, Debug, PartialEq)]
struct Inputs {
    q: [f64; MAX_DOF],
    v: [f64; MAX_DOF],
    act: [f64; MAX_MUSCLE],
    exo: [f64; 2],
    flags: Flags,
    locked: [bool; MAX_DOF],
    plane: [f64; 3],
    timestep: f64,
}

impl Inputs {
    fn new() -> Inputs {
        Inputs {
            q: [f64::NAN; MAX_DOF],
            v: [f64::NAN; MAX_DOF],
            act: [f64::NAN; MAX_MUSCLE],
            exo: [f64::NAN; 2],
            flags: Flags::default(),
            locked: [false; MAX_DOF],
            plane: [f64::NAN; 3],
            timestep: f64::NAN,
        }
    }

    /// Whether `s` has the state these inputs hold (everything but the exo controls; NaN never
    /// compares equal: recomputed).
    fn same_state(&self, s: &Sim) -> bool {
        let (nv, nm) = (s.model.nv(), s.model.muscles.len());
        self.q[..nv] == s.q[..nv]
            && self.v[..nv] == s.v[..nv]
            && self.act[..nm] == s.act[..nm]
            && self.flags == s.flags
            && self.locked[..nv] == s.locked[..nv]
            && self.plane == s.plane.normal
            && self.timestep == s.model.timestep
    }
}

impl Sim {
    pub fn new(model: SimModel) -> Sim {
        let plane = Plane::new(&model, 0.0);
        let segments = vec![Segment::default(); model.tendons.segments()];
        Sim {
            model,
            plane,
            time: 0.0,
            q: [0.0; MAX_DOF],
            v: [0.0; MAX_DOF],
            act: [0.0; MAX_MUSCLE],
            ctrl: [0.0; MAX_MUSCLE],
            exo_ctrl: [0.0; 2],
            flags: Flags::default(),
            locked: [false; MAX_DOF],
            kin: Kin::default(),
            inertias: Inertias::default(),
            qfrc_bias: [0.0; MAX_DOF],
            qfrc_passive: [0.0; MAX_DOF],
            qfrc_smooth: [0.0; MAX_DOF],
            qfrc_constraint: [0.0; MAX_DOF],
            qacc: [0.0; MAX_DOF],
            ten_len: [0.0; MAX_MUSCLE],
            ten_vel: [0.0; MAX_MUSCLE],
            ten_j: [[0.0; MAX_DOF]; MAX_MUSCLE],
            segments,
            muscle_force: [0.0; MAX_MUSCLE],
            act_dot: [0.0; MAX_MUSCLE],
            contacts: [Contact::default(); MAX_CONTACTS],
            ncon: 0,
            supports: Box::default(),
            rows: Box::new([Row::default(); MAX_ROWS]),
            nrows: 0,
            efc_force: [0.0; MAX_ROWS],
            solver: Solver::default(),
            row_constants: RowConstants::default(),
            warmstart: Warmstart::default(),
            guess: [-1; MAX_ROWS],
            inputs: Box::new(Inputs::new()),
            inputs_valid: false,
            touch: [0.0; 8],
            limit_torque: [0.0; MAX_DOF],
            hull_force: [[0.0; 3]; MAX_HULL],
            hull_ncon: [0; MAX_HULL],
            grf_z: 0.0,
        }
    }

    /// Tries of the last constraint solve: active-set tries 1-3, or 4 and up for Newton steps.
    pub fn solver_iterations(&self) -> usize {
        self.solver.iterations
    }

    /// Sets the ground slope (degrees, uphill along +x).
    pub fn set_slope(&mut self, deg: f64) {
        self.plane = Plane::new(&self.model, deg);
    }

    /// Loads a full MuJoCo state (qpos, qvel of the original model, act).
    pub fn set_mujoco_state(&mut self, qpos: &[f64], qvel: &[f64], act: &[f64]) {
        self.warmstart.clear();
        for (i, d) in self.model.dofs.iter().enumerate() {
            self.q[i] = qpos.get(d.mj_adr).copied().unwrap_or(0.0);
            self.v[i] = qvel.get(d.mj_adr).copied().unwrap_or(0.0);
        }
        let nm = self.model.muscles.len();
        for i in 0..nm {
            self.act[i] = act.get(i).copied().unwrap_or(0.0);
        }
    }

    /// The forward pass at the current state and controls.
    pub fn forward(&mut self) -> Result<(), StepError> {
        // recompute only what changed since the last forward pass (the engine's observation
        // after a step and the next step's pass see the same state)
        let same_state = self.inputs_valid && self.inputs.same_state(self);
        let same_all = same_state && self.inputs.exo == self.exo_ctrl;
        self.inputs_valid = false;
        if !same_state {
            self.configuration();
        }
        for (i, mu) in self.model.muscles.iter().enumerate() {
            self.act_dot[i] = mu.params.act_dot(self.ctrl[i], self.act[i]);
        }
        if !same_all {
            self.dynamics()?;
        }
        self.remember_inputs();
        Ok(())
    }

    fn remember_inputs(&mut self) {
        let (nv, nm) = (self.model.nv(), self.model.muscles.len());
        let i = &mut self.inputs;
        i.q[..nv].copy_from_slice(&self.q[..nv]);
        i.v[..nv].copy_from_slice(&self.v[..nv]);
        i.act[..nm].copy_from_slice(&self.act[..nm]);
        i.exo = self.exo_ctrl;
        i.flags = self.flags;
        i.locked[..nv].copy_from_slice(&self.locked[..nv]);
        i.plane = self.plane.normal;
        i.timestep = self.model.timestep;
        self.inputs_valid = true;
    }

    /// Everything that depends on the state only: kinematics, muscle forces, inertias, the
    /// smooth forces without the exo torques, contacts and constraint rows.
    fn configuration(&mut self) {
        let m = &self.model;
        let nv = m.nv();
        let nm = m.muscles.len();
        forward(m, &self.q, &self.v, &mut self.kin);
        self.tendons();
        let m = &self.model;
        let g = if self.flags.gravity {
            m.gravity
        } else {
            [0.0; 3]
        };
        bias_forces(m, &self.kin, g, &mut self.qfrc_bias);
        if self.locked[..nv].contains(&true) {
            for j in 0..nv {
                if self.locked[j] {
                    self.kin.phi[j] = [0.0; 3];
                }
            }
        }
        inertias(m, &self.kin, &mut self.inertias);
        for j in 0..nv {
            if self.locked[j] && m.tree.light[j] {
                self.inertias.mll[j] = 1.0;
            }
        }
        for j in 0..nv {
            let damp = if self.flags.damping {
                m.dofs[j].damping
            } else {
                0.0
            };
            self.qfrc_passive[j] = -damp * self.v[j] - self.qfrc_bias[j];
        }
        for i in 0..nm {
            let f = self.muscle_force[i];
            if f != 0.0 {
                for &j in &m.muscles[i].dofs {
                    self.qfrc_passive[j] += self.ten_j[i][j] * f;
                }
            }
        }
        self.make_constraints();
    }

    /// The smooth forces with the exo torques, the constraint solve and the sensors.
    fn dynamics(&mut self) -> Result<(), StepError> {
        let m = &self.model;
        let nv = m.nv();
        self.qfrc_smooth[..nv].copy_from_slice(&self.qfrc_passive[..nv]);
        for (e, ex) in m.exo.iter().enumerate() {
            let c = self.exo_ctrl[e].clamp(ex.ctrlrange[0], ex.ctrlrange[1]);
            self.qfrc_smooth[ex.dof] += ex.gain * c;
        }
        for j in 0..nv {
            if self.locked[j] {
                self.qfrc_smooth[j] = 0.0;
            }
        }
        // constraints (the solver starts from the previous accelerations)
        let nr = self.nrows;
        let mech = Mechanics {
            tree: &self.model.tree,
            phi: &self.kin.phi,
            inertias: &self.inertias,
        };
        let nc = self.ncon;
        self.warmstart
            .guess(&self.rows[..nr], &self.contacts[..nc], &mut self.guess);
        if !self.solver.solve(
            &mech,
            &self.qfrc_smooth,
            &self.rows[..nr],
            &self.guess[..nr],
            &mut self.qacc,
            &mut self.efc_force,
        ) {
            return Err(StepError::NotPositiveDefinite);
        }
        self.warmstart
            .store(&self.rows[..nr], &self.contacts[..nc], self.solver.active());
        self.qfrc_constraint[..nv].fill(0.0);
        mech.add_row_forces(
            &self.rows[..nr],
            &self.efc_force[..nr],
            &mut self.qfrc_constraint,
        );
        self.sensors();
        if !self.qacc[..nv].iter().all(|x| x.is_finite()) {
            return Err(StepError::NotFinite);
        }
        Ok(())
    }

    /// Muscle-tendon lengths, moment arms (the tendon Jacobian), velocities, forces and
    /// activation rates.
    #[inline(never)]
    fn tendons(&mut self) {
        let m = &self.model;
        for (jrow, mu) in self.ten_j.iter_mut().zip(&m.muscles) {
            for &j in &mu.dofs {
                jrow[j] = 0.0;
            }
        }
        m.tendons.geometry(
            &self.kin,
            &mut self.segments,
            &mut self.ten_len,
            &mut self.ten_j,
        );
        for (i, mu) in m.muscles.iter().enumerate() {
            let mut vel = 0.0;
            for &j in &mu.dofs {
                vel += self.ten_j[i][j] * self.v[j];
            }
            self.ten_vel[i] = vel;
            self.muscle_force[i] = if self.flags.muscles {
                mu.curves.force(self.ten_len[i], vel, self.act[i])
            } else {
                0.0
            };
        }
    }

    #[inline(never)]
    fn make_constraints(&mut self) {
        if self.row_constants.timestep != self.model.timestep {
            self.row_constants = RowConstants::new(&self.model);
        }
        let m = &self.model;
        let consts = &self.row_constants;
        let nv = m.nv();
        let mut n = 0;
        // couplings
        if self.flags.equality {
            for (e, c) in m.couplings.iter().enumerate() {
                let x = self.q[c.dof2];
                let p = &c.polycoef;
                let val = p[0] + x * (p[1] + x * (p[2] + x * (p[3] + x * p[4])));
                let deriv = p[1] + x * (2.0 * p[2] + x * (3.0 * p[3] + x * 4.0 * p[4]));
                let pos = self.q[c.dof1] - val;
                let row = &mut self.rows[n];
                row.kind = RowKind::Equality;
                row.id = e;
                row.body = usize::MAX;
                row.idx[0] = c.dof1 as u8;
                row.val[0] = 1.0;
                row.idx[1] = c.dof2 as u8;
                row.val[1] = -deriv;
                row.nnz = 2;
                let (curve, k, b) = &consts.coupling[e];
                let imp = curve.at(pos, 0.0);
                let da = m.dofs[c.dof1].invweight0 + m.dofs[c.dof2].invweight0;
                let r = ((1.0 - imp) * da / imp).max(1e-15);
                let vel = self.v[c.dof1] - deriv * self.v[c.dof2];
                row.d = 1.0 / r;
                row.aref = -b * vel - k * imp * pos;
                n += 1;
            }
        }
        // joint limits
        if self.flags.limit {
            for (j, d) in m.dofs.iter().enumerate() {
                if !d.limited {
                    continue;
                }
                for side in [-1.0f64, 1.0] {
                    let lim = if side < 0.0 { d.range[0] } else { d.range[1] };
                    let dist = side * (lim - self.q[j]);
                    if dist < 0.0 && n < MAX_ROWS {
                        let row = &mut self.rows[n];
                        row.kind = RowKind::Limit;
                        row.id = j;
                        row.body = usize::MAX;
                        row.idx[0] = j as u8;
                        row.val[0] = -side;
                        row.nnz = 1;
                        let (curve, k, b) = &consts.limit[j];
                        let imp = curve.at(dist, 0.0);
                        let r = ((1.0 - imp) * d.invweight0 / imp).max(1e-15);
                        row.d = 1.0 / r;
                        row.aref = -b * (-side * self.v[j]) - k * imp * dist;
                        n += 1;
                    }
                }
            }
        }
        // contacts
        self.ncon = if self.flags.contact {
            collide(
                m,
                &self.kin,
                &self.plane,
                &mut self.supports,
                &mut self.contacts,
            )
        } else {
            0
        };
        let pl = self.plane;
        for ci in 0..self.ncon {
            if n + 4 > MAX_ROWS {
                self.ncon = ci;
                break;
            }
            let c = self.contacts[ci];
            let hull = &m.hulls[c.hull];
            let mu = hull.friction;
            let (curve, k, b) = &consts.hull[c.hull];
            let imp = curve.at(c.dist, hull.margin);
            let tran = hull.invweight0;
            let da = tran + mu * mu * tran;
            let r0 = ((1.0 - imp) * da / imp).max(1e-15);
            let rpy = 2.0 * mu * mu * r0;
            let ch = &m.chains[c.body];
            let composite = m.tree.planar_body[c.body];
            let dirs =
                [(pl.t1, 1.0), (pl.t1, -1.0), (pl.t2, 1.0), (pl.t2, -1.0)].map(|(t, sgn)| {
                    [
                        pl.normal[0] + sgn * mu * t[0],
                        pl.normal[1] + sgn * mu * t[1],
                        pl.normal[2] + sgn * mu * t[2],
                    ]
                });
            let mut vel = [0.0; 4];
            for (e, dirv) in dirs.iter().enumerate() {
                let row = &mut self.rows[n + e];
                row.kind = RowKind::Contact;
                row.id = ci;
                row.d = 1.0 / rpy;
                row.w = wrench(&c.pos, dirv);
                if composite {
                    row.body = c.body;
                    row.nnz = 0;
                    vel[e] = dot(&row.w, &self.kin.vsp[c.body]);
                } else {
                    row.body = usize::MAX;
                    row.nnz = ch.len();
                }
            }
            if !composite {
                for (k, &j) in ch.iter().enumerate() {
                    let (col, _) = column(m, &self.kin, j, &c.pos);
                    for (e, dirv) in dirs.iter().enumerate() {
                        let val = dot(dirv, &col);
                        let row = &mut self.rows[n + e];
                        row.idx[k] = j as u8;
                        row.val[k] = val;
                        vel[e] += val * self.v[j];
                    }
                }
            }
            for (e, v) in vel.iter().enumerate() {
                self.rows[n + e].aref = -b * v - k * imp * (c.dist - hull.margin);
            }
            n += 4;
        }
        if self.locked[..nv].contains(&true) {
            for row in &mut self.rows[..n] {
                for k in 0..row.nnz {
                    if self.locked[row.idx[k] as usize] {
                        row.val[k] = 0.0;
                    }
                }
            }
        }
        self.nrows = n;
    }

    #[inline(never)]
    fn sensors(&mut self) {
        let m = &self.model;
        let nv = m.nv();
        self.limit_torque[..nv].fill(0.0);
        for h in 0..m.hulls.len() {
            self.hull_force[h] = [0.0; 3];
            self.hull_ncon[h] = 0;
        }
        let nt = m.touch.len();
        self.touch[..nt].fill(0.0);
        self.grf_z = 0.0;
        let pl = self.plane;
        let mut ci_row = 0;
        for r in 0..self.nrows {
            let row = &self.rows[r];
            match row.kind {
                RowKind::Limit => {
                    self.limit_torque[row.id] += row.val[0] * self.efc_force[r];
                }
                RowKind::Contact => {
                    if r < ci_row {
                        continue;
                    }
                    // the 4 pyramid edges of this contact start at row r
                    ci_row = r + 4;
                    let f = &self.efc_force[r..r + 4];
                    let mu = m.hulls[self.contacts[row.id].hull].friction;
                    let fnorm = f[0] + f[1] + f[2] + f[3];
                    let ft1 = mu * (f[0] - f[1]);
                    let ft2 = mu * (f[2] - f[3]);
                    let c = self.contacts[row.id];
                    let w = [
                        pl.normal_w[0] * fnorm + pl.t1_w[0] * ft1 + pl.t2_w[0] * ft2,
                        pl.normal_w[1] * fnorm + pl.t1_w[1] * ft1 + pl.t2_w[1] * ft2,
                        pl.normal_w[2] * fnorm + pl.t1_w[2] * ft1 + pl.t2_w[2] * ft2,
                    ];
                    let bf = &mut self.hull_force[c.hull];
                    bf[0] += w[0];
                    bf[1] += w[1];
                    bf[2] += w[2];
                    self.hull_ncon[c.hull] += 1;
                    self.grf_z += w[2];
                    if fnorm > 0.0 {
                        // MuJoCo casts the ray along the contact normal, flipped when the
                        // sensor's body is the contact's second body: the mesh is geom2 of
                        // every plane contact, so the ray points into the ground
                        let down = [-pl.normal[0], -pl.normal[1], -pl.normal[2]];
                        let group = m.hulls[c.hull].group;
                        for (t, site) in m.touch.iter().enumerate() {
                            if site.group == group && ray_hits_box(site, &self.kin, &c.pos, &down) {
                                self.touch[t] += fnorm;
                            }
                        }
                    }
                }
                RowKind::Equality => {}
            }
        }
    }

    /// One Euler step (after `forward`).
    fn integrate(&mut self) -> Result<(), StepError> {
        let m = &self.model;
        let nv = m.nv();
        let h = m.timestep;
        // (M + h·D)·a = f by the articulated-body algorithm (a locked DOF gets pivot 1)
        let mut damp = [0.0; MAX_DOF];
        for ((dp, d), &locked) in damp.iter_mut().zip(&m.dofs).zip(&self.locked) {
            if self.flags.damping && !locked {
                *dp = h * d.damping;
            }
        }
        let mut a = [0.0; MAX_DOF];
        for ((ai, s), c) in a[..nv]
            .iter_mut()
            .zip(&self.qfrc_smooth)
            .zip(&self.qfrc_constraint)
        {
            *ai = s + c;
        }
        if !articulated_solve(
            &m.tree,
            &self.kin.phi,
            &self.inertias,
            &damp,
            &self.locked,
            &mut a,
        ) {
            return Err(StepError::NotPositiveDefinite);
        }
        for ((q, v), ai) in self.q[..nv].iter_mut().zip(&mut self.v).zip(&a) {
            *v += h * ai;
            *q += h * *v;
        }
        for i in 0..m.muscles.len() {
            self.act[i] += h * self.act_dot[i];
        }
        self.time += h;
        if !self.q[..nv]
            .iter()
            .chain(self.v[..nv].iter())
            .all(|x| x.is_finite())
        {
            return Err(StepError::NotFinite);
        }
        Ok(())
    }

    /// Forward pass and one Euler step of `timestep`.
    pub fn step(&mut self) -> Result<(), StepError> {
        self.forward()?;
        self.integrate()
    }
}
