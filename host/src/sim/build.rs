//! Compiles the project's [`Model`] (one MyoAssist variant) into the simulator's planar
//! [`SimModel`].
//!
//! Bodies without joints, and bodies whose joints are welded (the arms, frozen in the original
//! by 1e4 N·m·s damping), are merged into their parent at their `stand` pose; sites, hulls and
//! touch boxes on merged bodies are re-expressed in the frame they were merged into. The plane
//! frame P is the pelvis frame at qpos0 (the pelvis quaternion, with its ~2e-4 tilt, maps P to
//! the world). Joint inverse weights come from the full original model (see `mjconst`).

use super::mat3::{mm, mv, quat_mat, I3, M3};
use super::model::*;
use super::muscle::{MuscleCurves, MuscleParams};
use super::support::HullGraph;
use crate::model::{
    self as mdl, ActuatorKind, Bias, Dynamics, Gain, JointType, Model, Role, Shape, Transmission,
};

#[derive(Debug, thiserror::Error)]
#[error("{file}: {what}")]
pub struct BuildError {
    pub file: String,
    pub what: String,
}

fn add(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn sub(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
fn axis_angle(ax: &[f64; 3], t: f64) -> M3 {
    let (s, c) = ((t / 2.0).sin(), (t / 2.0).cos());
    quat_mat(&[c, ax[0] * s, ax[1] * s, ax[2] * s])
}

/// Where an original body lives in the simulator: sim body and pose in its frame.
#[derive(Clone, Copy)]
struct Place {
    body: usize,
    pos: [f64; 3],
    rot: M3,
}

pub fn build(m: &Model) -> Result<SimModel, BuildError> {
    let e = |w: String| BuildError {
        file: format!("model {}", m.name),
        what: w,
    };
    let pelvis = m
        .body("pelvis")
        .ok_or_else(|| e("missing body `pelvis`".into()))?;
    let pelvis_rot = quat_mat(&m.bodies[pelvis].quat);
    let mut place: Vec<Option<Place>> = vec![None; m.bodies.len()];
    let mut bodies: Vec<Body> = Vec::new();
    let mut dofs: Vec<Dof> = Vec::new();
    for (i, b) in m.bodies.iter().enumerate() {
        if i < pelvis {
            continue;
        }
        let welded = b.joints.iter().any(|&j| m.joints[j].role == Role::Welded);
        let own = i == pelvis || (!b.joints.is_empty() && !welded);
        let pp = if i == pelvis {
            Place {
                body: usize::MAX,
                pos: [0.0; 3],
                rot: I3,
            }
        } else {
            place[b.parent]
                .ok_or_else(|| e(format!("body `{}` is not below the pelvis", b.name)))?
        };
        if own {
            let (bpos, brot) = if i == pelvis {
                ([0.0; 3], I3)
            } else {
                (
                    add(&pp.pos, &mv(&pp.rot, &b.pos)),
                    mm(&pp.rot, &quat_mat(&b.quat)),
                )
            };
            if (brot[2][2] - 1.0).abs() > 1e-9 {
                return Err(e(format!(
                    "body `{}` is rotated out of the sagittal plane",
                    b.name
                )));
            }
            let dof_start = dofs.len();
            for &j in &b.joints {
                let jt = &m.joints[j];
                let kind = match jt.jtype {
                    JointType::Hinge => DofKind::Hinge,
                    JointType::Slide => DofKind::Slide,
                };
                if kind == DofKind::Hinge && (jt.axis[2] - 1.0).abs() > 1e-9 {
                    return Err(e(format!(
                        "joint `{}`: a hinge must turn about the body z axis",
                        jt.name
                    )));
                }
                dofs.push(Dof {
                    name: jt.name.clone(),
                    body: bodies.len(),
                    kind,
                    axis: jt.axis,
                    anchor: jt.pos,
                    damping: jt.damping,
                    armature: jt.armature,
                    limited: jt.limited,
                    range: jt.range,
                    solref_limit: jt.solref_limit,
                    solimp_limit: jt.solimp_limit,
                    invweight0: 0.0,
                    mj_adr: j,
                });
            }
            let irot = quat_mat(&b.iquat);
            let izz = (0..3)
                .map(|k| irot[2][k] * irot[2][k] * b.inertia[k])
                .sum::<f64>();
            bodies.push(Body {
                name: b.name.clone(),
                parent: pp.body,
                pos: bpos,
                angle: brot[1][0].atan2(brot[0][0]),
                mass: b.mass,
                com: b.ipos,
                izz,
                dof_start,
                dof_end: dofs.len(),
                invweight0: [0.0; 2],
            });
            place[i] = Some(Place {
                body: bodies.len() - 1,
                pos: [0.0; 3],
                rot: I3,
            });
        } else {
            // merge into the parent's simulator body at the `stand` pose of its joints
            let mut p = add(&pp.pos, &mv(&pp.rot, &b.pos));
            let mut r = mm(&pp.rot, &quat_mat(&b.quat));
            for &j in &b.joints {
                let jt = &m.joints[j];
                let th = jt.weld_value - jt.qpos0;
                match jt.jtype {
                    JointType::Hinge => {
                        let a = add(&p, &mv(&r, &jt.pos));
                        r = mm(&r, &axis_angle(&jt.axis, th));
                        p = sub(&a, &mv(&r, &jt.pos));
                    }
                    JointType::Slide => {
                        let ax = mv(&r, &jt.axis);
                        p = add(&p, &[ax[0] * th, ax[1] * th, ax[2] * th]);
                    }
                }
            }
            if b.mass > 0.0 {
                let tb = &mut bodies[pp.body];
                let c2 = add(&p, &mv(&r, &b.ipos));
                let irot = mm(&r, &quat_mat(&b.iquat));
                let izz2 = (0..3)
                    .map(|k| irot[2][k] * irot[2][k] * b.inertia[k])
                    .sum::<f64>();
                let (m1, m2) = (tb.mass, b.mass);
                let c1 = tb.com;
                let mt = m1 + m2;
                let c = [
                    (m1 * c1[0] + m2 * c2[0]) / mt,
                    (m1 * c1[1] + m2 * c2[1]) / mt,
                    (m1 * c1[2] + m2 * c2[2]) / mt,
                ];
                let d1 = (c1[0] - c[0]).powi(2) + (c1[1] - c[1]).powi(2);
                let d2 = (c2[0] - c[0]).powi(2) + (c2[1] - c[1]).powi(2);
                tb.izz = tb.izz + m1 * d1 + izz2 + m2 * d2;
                tb.mass = mt;
                tb.com = c;
            }
            place[i] = Some(Place {
                body: pp.body,
                pos: p,
                rot: r,
            });
        }
    }
    let at = |body: usize, pos: &[f64; 3]| -> Result<Site, BuildError> {
        let p = place[body]
            .ok_or_else(|| e(format!("body `{}` is not simulated", m.bodies[body].name)))?;
        Ok(Site {
            body: p.body,
            pos: add(&p.pos, &mv(&p.rot, pos)),
        })
    };
    let dof_of_joint = |j: usize| dofs.iter().position(|d| d.mj_adr == j);

    let mut couplings = Vec::new();
    for c in &m.couplings {
        let d1 = dof_of_joint(c.dependent).ok_or_else(|| {
            e(format!(
                "coupled joint `{}` is not simulated",
                m.joints[c.dependent].name
            ))
        })?;
        let d2 = dof_of_joint(c.driver).ok_or_else(|| {
            e(format!(
                "driver joint `{}` is not simulated",
                m.joints[c.driver].name
            ))
        })?;
        couplings.push(Coupling {
            dof1: d1,
            dof2: d2,
            polycoef: c.polycoef,
            solref: c.solref,
            solimp: c.solimp,
        });
    }

    let mut muscles = Vec::new();
    let mut exo = Vec::new();
    for a in &m.actuators {
        match (a.kind, a.transmission) {
            (ActuatorKind::Muscle, Transmission::Tendon(t)) => {
                let path = m.tendons[t]
                    .sites
                    .iter()
                    .map(|&s| at(m.sites[s].body, &m.sites[s].pos))
                    .collect::<Result<Vec<_>, _>>()?;
                let (tau_act, tau_deact) = match a.dynamics {
                    Dynamics::Muscle {
                        tau_act, tau_deact, ..
                    } => (tau_act, tau_deact),
                    Dynamics::None => {
                        return Err(e(format!("muscle `{}` has no activation dynamics", a.name)))
                    }
                };
                if !matches!(a.gain, Gain::Muscle(_)) || !matches!(a.bias, Bias::Muscle(_)) {
                    return Err(e(format!(
                        "muscle `{}` must have muscle gain and bias",
                        a.name
                    )));
                }
                let mut dynprm = a.dynprm;
                dynprm[0] = tau_act;
                dynprm[1] = tau_deact;
                let params =
                    MuscleParams::from_mujoco(&a.gainprm, &a.biasprm, &dynprm, a.lengthrange);
                muscles.push(Muscle {
                    name: a.name.clone(),
                    path,
                    params,
                    curves: MuscleCurves::new(&params),
                    dofs: Vec::new(),
                });
            }
            (ActuatorKind::Device, Transmission::Joint(j)) => {
                let dof = dof_of_joint(j)
                    .ok_or_else(|| e(format!("actuator `{}`: joint is not simulated", a.name)))?;
                let k = match a.gain {
                    Gain::Fixed { k } => k,
                    Gain::Muscle(_) => {
                        return Err(e(format!("actuator `{}`: unsupported gain", a.name)))
                    }
                };
                let range = if a.ctrllimited {
                    a.ctrlrange
                } else {
                    [f64::NEG_INFINITY, f64::INFINITY]
                };
                exo.push(ExoActuator {
                    name: a.name.clone(),
                    dof,
                    gain: k * a.gear,
                    ctrlrange: range,
                });
            }
            // tendon-driven devices (HMEDI cables) are not simulated yet
            _ => {}
        }
    }

    // ground contact: every hull that collides with the plane (explicit pair or dynamic)
    let plane = m
        .geoms
        .iter()
        .position(|g| matches!(g.shape, Shape::Plane { .. }))
        .ok_or_else(|| e("no ground plane".into()))?;
    let pg = &m.geoms[plane];
    let mut hulls = Vec::new();
    for (gi, g) in m.geoms.iter().enumerate() {
        let hull = match &g.shape {
            Shape::Mesh { hull: Some(h), .. } => h,
            _ => continue,
        };
        let Some(pl) = place[g.body] else { continue };
        let pair = m
            .contact_pairs
            .iter()
            .find(|p| (p.geom1 == plane && p.geom2 == gi) || (p.geom2 == plane && p.geom1 == gi));
        let (margin, friction, solref, solimp) = match pair {
            Some(p) => (p.margin - p.gap, p.friction[0], p.solref, p.solimp),
            None => {
                if (g.contype & pg.conaffinity) == 0 && (pg.contype & g.conaffinity) == 0 {
                    continue;
                }
                let w = if g.solmix + pg.solmix > 0.0 {
                    g.solmix / (g.solmix + pg.solmix)
                } else {
                    0.5
                };
                let mut sr = [0.0; 2];
                let mut si = [0.0; 5];
                for k in 0..2 {
                    sr[k] = w * g.solref[k] + (1.0 - w) * pg.solref[k];
                }
                for k in 0..5 {
                    si[k] = w * g.solimp[k] + (1.0 - w) * pg.solimp[k];
                }
                (
                    g.margin.max(pg.margin) - g.gap.max(pg.gap),
                    g.friction[0].max(pg.friction[0]),
                    sr,
                    si,
                )
            }
        };
        let verts: Vec<[f64; 3]> = hull
            .vertices
            .iter()
            .map(|v| add(&pl.pos, &mv(&pl.rot, v)))
            .collect();
        // MuJoCo's hull graph: hill climbing and extra contacts follow its neighbour order
        let graph = HullGraph::new(&verts, &hull.neighbors);
        hulls.push(Hull {
            name: g.name.clone(),
            body: pl.body,
            center: add(&pl.pos, &mv(&pl.rot, &g.pos)),
            verts,
            graph,
            rbound: hull.rbound,
            margin,
            friction,
            solref,
            solimp,
            group: g.body,
            invweight0: 0.0,
        });
    }
    let mut touch = Vec::new();
    for t in &m.touch_sensors {
        let st = &m.sites[t.site];
        let pl = place[st.body]
            .ok_or_else(|| e(format!("touch site `{}` is not simulated", st.name)))?;
        touch.push(TouchSite {
            name: t.name.clone(),
            body: pl.body,
            pos: add(&pl.pos, &mv(&pl.rot, &st.pos)),
            rot: mm(&pl.rot, &quat_mat(&st.quat)),
            half: st.size,
            group: st.body,
        });
    }
    let height_sites = m
        .sites
        .iter()
        .filter(|s| s.name.ends_with("_btm"))
        .map(|s| at(s.body, &s.pos))
        .collect::<Result<Vec<_>, _>>()?;
    let keyframes = m
        .keyframes
        .iter()
        .map(|k| Keyframe {
            name: k.name.clone(),
            qpos: k.qpos.clone(),
            qvel: k.qvel.clone(),
            act: k.act.clone(),
        })
        .collect();
    let g = m.gravity;
    let r = &pelvis_rot;
    let gravity = [
        r[0][0] * g[0] + r[1][0] * g[1] + r[2][0] * g[2],
        r[0][1] * g[0] + r[1][1] * g[1] + r[2][1] * g[2],
        r[0][2] * g[0] + r[1][2] * g[1] + r[2][2] * g[2],
    ];
    let find_dof = |n: &str| {
        dofs.iter()
            .position(|d| d.name == n)
            .ok_or_else(|| e(format!("missing joint `{n}`")))
    };
    let mut independent = [0usize; 11];
    for (i, n) in crate::engine::DOF_NAMES.iter().enumerate() {
        independent[i] = find_dof(n)?;
    }
    let sim_body = |n: &str| -> Result<usize, BuildError> {
        let bi = m.body(n).ok_or_else(|| e(format!("missing body `{n}`")))?;
        Ok(place[bi]
            .ok_or_else(|| e(format!("body `{n}` is not simulated")))?
            .body)
    };
    let obs_frame = |n: &str| -> Result<ObsFrame, BuildError> {
        let bi = m.body(n).ok_or_else(|| e(format!("missing body `{n}`")))?;
        let p = place[bi].ok_or_else(|| e(format!("body `{n}` is not simulated")))?;
        let b = &m.bodies[bi];
        Ok(ObsFrame {
            com: add(&p.pos, &mv(&p.rot, &b.ipos)),
            rot: mm(&p.rot, &quat_mat(&b.iquat)),
        })
    };
    let obs_inertial = [
        obs_frame("pelvis")?,
        obs_frame("torso")?,
        obs_frame("talus_r")?,
        obs_frame("talus_l")?,
    ];
    let mut anchor_dofs = [[0usize; 3]; 2];
    for (si, side) in ["r", "l"].iter().enumerate() {
        for (ji, jn) in ["hip_flexion", "knee_angle", "ankle_angle"]
            .iter()
            .enumerate()
        {
            anchor_dofs[si][ji] = find_dof(&format!("{jn}_{side}"))?;
        }
    }
    let mut model = SimModel {
        name: m.name.clone(),
        timestep: m.timestep,
        gravity,
        plane_rot: pelvis_rot,
        body_pelvis: sim_body("pelvis")?,
        body_torso: sim_body("torso")?,
        body_talus: [sim_body("talus_r")?, sim_body("talus_l")?],
        obs_inertial,
        bodies,
        dofs,
        couplings,
        muscles,
        exo,
        hulls,
        touch,
        height_sites,
        keyframes,
        total_mass: m.total_mass(),
        mj_nq: m.nq(),
        independent,
        anchor_dofs,
        chains: Vec::new(),
        tree: Default::default(),
        tendons: Default::default(),
    };
    if model.dofs.len() > MAX_DOF
        || model.bodies.len() > MAX_BODY
        || model.hulls.len() > MAX_HULL
        || model.muscles.len() > super::sim::MAX_MUSCLE
    {
        return Err(e(
            "model too large for the simulator's fixed-size arrays".into()
        ));
    }
    model.finalize().map_err(e)?;
    let w = super::mjconst::compute(m)
        .ok_or_else(|| e("the mass matrix at qpos0 is not positive definite".into()))?;
    for d in model.dofs.iter_mut() {
        d.invweight0 = w.dof[d.mj_adr];
    }
    for h in model.hulls.iter_mut() {
        h.invweight0 = w.body[h.group][0];
    }
    for (b, body) in model.bodies.iter_mut().enumerate() {
        let _ = b;
        body.invweight0 = [0.0; 2];
    }
    let _ = mdl::FORMAT_VERSION;
    Ok(model)
}
