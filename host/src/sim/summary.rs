//! Builds a [`SimModel`] from a compiled-MuJoCo model summary (`model_summary_<MODEL>.json`)
//! and the foot contact geometry (`foot_contact_geometry.json`) of the reference folder.
//!
//! Bodies without joints and the arm bodies (joints with damping >= 1000, welded in effect) are
//! merged into their parent with their pose at the `stand` keyframe; sites, hulls and touch
//! boxes on merged bodies are re-expressed in the frame of the body they were merged into.

use super::model::*;
use super::muscle::MuscleParams;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("{file}: {what}")]
pub struct BuildError {
    pub file: String,
    pub what: String,
}

type M3 = [[f64; 3]; 3];

fn quat_mat(q: &[f64]) -> M3 {
    let n = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).sqrt();
    let (w, x, y, z) = (q[0] / n, q[1] / n, q[2] / n, q[3] / n);
    [
        [1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y - w * z), 2.0 * (x * z + w * y)],
        [2.0 * (x * y + w * z), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z - w * x)],
        [2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y)],
    ]
}
fn mm(a: &M3, b: &M3) -> M3 {
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        }
    }
    r
}
fn mv(a: &M3, v: &[f64]) -> [f64; 3] {
    [
        a[0][0] * v[0] + a[0][1] * v[1] + a[0][2] * v[2],
        a[1][0] * v[0] + a[1][1] * v[1] + a[1][2] * v[2],
        a[2][0] * v[0] + a[2][1] * v[1] + a[2][2] * v[2],
    ]
}
fn axis_angle(ax: &[f64], t: f64) -> M3 {
    let (s, c) = ((t / 2.0).sin(), (t / 2.0).cos());
    quat_mat(&[c, ax[0] * s, ax[1] * s, ax[2] * s])
}
const I3: M3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}
fn fv(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().map(f).collect()).unwrap_or_default()
}
fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

/// Where an original body lives in the simulator: sim body and pose in its frame.
#[derive(Clone, Copy)]
struct Place {
    body: usize,
    pos: [f64; 3],
    rot: M3,
}

pub fn build(summary_path: &Path, contact_path: &Path) -> Result<SimModel, BuildError> {
    let err = |p: &Path, w: String| BuildError { file: p.display().to_string(), what: w };
    let read = |p: &Path| -> Result<Value, BuildError> {
        let t = std::fs::read_to_string(p).map_err(|e| err(p, e.to_string()))?;
        serde_json::from_str(&t).map_err(|e| err(p, e.to_string()))
    };
    let sm = read(summary_path)?;
    let cg = read(contact_path)?;
    let e = |w: &str| err(summary_path, w.to_string());

    let jbody: Vec<&Value> = sm["bodies"].as_array().ok_or_else(|| e("no bodies"))?.iter().collect();
    let jjoint: Vec<&Value> = sm["joints"].as_array().ok_or_else(|| e("no joints"))?.iter().collect();
    let joints_by_name: HashMap<String, &Value> = jjoint.iter().map(|j| (s(&j["name"]), *j)).collect();
    let stand = sm["keyframes"]
        .as_array()
        .and_then(|k| k.iter().find(|k| k["name"] == "stand"))
        .ok_or_else(|| e("no keyframe `stand`"))?;
    let stand_q = fv(&stand["qpos"]);
    let body_idx: HashMap<String, usize> = jbody.iter().enumerate().map(|(i, b)| (s(&b["name"]), i)).collect();

    // which original bodies become simulator bodies
    let is_arm_joint = |j: &Value| f(&j["damping"]) >= 1000.0;
    let mut place: Vec<Option<Place>> = vec![None; jbody.len()];
    let mut bodies: Vec<Body> = Vec::new();
    let mut dofs: Vec<Dof> = Vec::new();
    let pelvis = *body_idx.get("pelvis").ok_or_else(|| e("missing body `pelvis`"))?;
    let pelvis_rot = quat_mat(&fv(&jbody[pelvis]["quat"]));
    let mut orig_of_sim: Vec<usize> = Vec::new();
    for (i, jb) in jbody.iter().enumerate() {
        if i < pelvis {
            continue;
        }
        let parent = body_idx.get(&s(&jb["parent"])).copied().unwrap_or(0);
        let jn: Vec<&Value> = jb["joints"]
            .as_array()
            .map(|a| a.iter().filter_map(|n| joints_by_name.get(&s(n)).copied()).collect())
            .unwrap_or_default();
        let own = i == pelvis || (!jn.is_empty() && !jn.iter().any(|j| is_arm_joint(j)));
        let pos = fv(&jb["pos"]);
        let q = fv(&jb["quat"]);
        if own {
            // parent place
            let (pb, ppos, prot) = if i == pelvis {
                (usize::MAX, [0.0; 3], I3)
            } else {
                let pp = place[parent].ok_or_else(|| e(&format!("body {} has no simulated parent", s(&jb["name"]))))?;
                (pp.body, pp.pos, pp.rot)
            };
            let (bpos, brot) = if i == pelvis { ([0.0; 3], I3) } else { (add(&ppos, &mv(&prot, &pos)), mm(&prot, &quat_mat(&q))) };
            // only rotations about z are planar
            if (brot[2][2] - 1.0).abs() > 1e-9 {
                return Err(e(&format!("body {} is rotated out of the sagittal plane", s(&jb["name"]))));
            }
            let angle = brot[1][0].atan2(brot[0][0]);
            let dof_start = dofs.len();
            for j in &jn {
                let ty = s(&j["type"]);
                let kind = match ty.as_str() {
                    "mjJNT_HINGE" => DofKind::Hinge,
                    "mjJNT_SLIDE" => DofKind::Slide,
                    other => return Err(e(&format!("joint {}: unsupported type {other}", s(&j["name"])))),
                };
                let axis = fv(&j["axis"]);
                if kind == DofKind::Hinge && (axis[2] - 1.0).abs() > 1e-9 {
                    return Err(e(&format!("joint {}: hinge axis must be the body z axis", s(&j["name"]))));
                }
                let sl = fv(&j["solref_limit"]);
                let si = fv(&j["solimp_limit"]);
                let range = fv(&j["range"]);
                dofs.push(Dof {
                    name: s(&j["name"]),
                    body: bodies.len(),
                    kind,
                    axis: [axis[0], axis[1], axis[2]],
                    anchor: { let p = fv(&j["pos"]); [p[0], p[1], p[2]] },
                    damping: f(&j["damping"]),
                    armature: f(&j["armature"]),
                    limited: j["limited"].as_bool().unwrap_or(false),
                    range: [range[0], range[1]],
                    solref_limit: [sl[0], sl[1]],
                    solimp_limit: [si[0], si[1], si[2], si[3], si[4]],
                    invweight0: 0.0,
                    mj_adr: j["qpos_index"].as_u64().unwrap_or(0) as usize,
                });
            }
            let ipos = fv(&jb["ipos"]);
            let irot = quat_mat(&fv(&jb["iquat"]));
            let idiag = fv(&jb["inertia_diag"]);
            let izz = (0..3).map(|k| irot[2][k] * irot[2][k] * idiag[k]).sum::<f64>();
            bodies.push(Body {
                name: s(&jb["name"]),
                parent: pb,
                pos: bpos,
                angle,
                mass: f(&jb["mass"]),
                com: [ipos[0], ipos[1], ipos[2]],
                izz,
                dof_start,
                dof_end: dofs.len(),
                invweight0: [0.0; 2],
            });
            orig_of_sim.push(i);
            place[i] = Some(Place { body: bodies.len() - 1, pos: [0.0; 3], rot: I3 });
        } else {
            // merge into the parent's simulator body at the `stand` pose
            let pp = place[parent].ok_or_else(|| e(&format!("body {} has no simulated parent", s(&jb["name"]))))?;
            let mut p = add(&pp.pos, &mv(&pp.rot, &pos));
            let mut r = mm(&pp.rot, &quat_mat(&q));
            for j in &jn {
                let ax = fv(&j["axis"]);
                let anc = fv(&j["pos"]);
                let adr = j["qpos_index"].as_u64().unwrap_or(0) as usize;
                let th = stand_q.get(adr).copied().unwrap_or(0.0);
                let a = add(&p, &mv(&r, &anc));
                r = mm(&r, &axis_angle(&ax, th));
                p = sub(&a, &mv(&r, &anc));
            }
            // lump mass and inertia
            let tb = &mut bodies[pp.body];
            let m2 = f(&jb["mass"]);
            if m2 > 0.0 {
                let ipos = fv(&jb["ipos"]);
                let c2 = add(&p, &mv(&r, &ipos));
                let irot = mm(&r, &quat_mat(&fv(&jb["iquat"])));
                let idiag = fv(&jb["inertia_diag"]);
                let izz2 = (0..3).map(|k| irot[2][k] * irot[2][k] * idiag[k]).sum::<f64>();
                let m1 = tb.mass;
                let c1 = tb.com;
                let mt = m1 + m2;
                let c = [(m1 * c1[0] + m2 * c2[0]) / mt, (m1 * c1[1] + m2 * c2[1]) / mt, (m1 * c1[2] + m2 * c2[2]) / mt];
                let d1 = (c1[0] - c[0]).powi(2) + (c1[1] - c[1]).powi(2);
                let d2 = (c2[0] - c[0]).powi(2) + (c2[1] - c[1]).powi(2);
                tb.izz = tb.izz + m1 * d1 + izz2 + m2 * d2;
                tb.mass = mt;
                tb.com = c;
            }
            place[i] = Some(Place { body: pp.body, pos: p, rot: r });
        }
    }
    let site_place = |body: &str, pos: &[f64]| -> Result<Site, BuildError> {
        let bi = *body_idx.get(body).ok_or_else(|| e(&format!("unknown body `{body}`")))?;
        let p = place[bi].ok_or_else(|| e(&format!("body `{body}` is not part of the simulated tree")))?;
        Ok(Site { body: p.body, pos: add(&p.pos, &mv(&p.rot, pos)) })
    };

    // couplings
    let dof_by_name: HashMap<String, usize> = dofs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let mut couplings = Vec::new();
    for q in sm["equality"].as_array().into_iter().flatten() {
        if q["type"] != "mjEQ_JOINT" || q["active"] == false {
            continue;
        }
        let d1 = *dof_by_name.get(&s(&q["joint1"])).ok_or_else(|| e(&format!("equality joint {}", q["joint1"])))?;
        let d2 = *dof_by_name.get(&s(&q["joint2"])).ok_or_else(|| e(&format!("equality joint {}", q["joint2"])))?;
        let p = fv(&q["polycoef"]);
        let sr = fv(&q["solref"]);
        let si = fv(&q["solimp"]);
        couplings.push(Coupling {
            dof1: d1,
            dof2: d2,
            polycoef: [p[0], p[1], p[2], p[3], p[4]],
            solref: [sr[0], sr[1]],
            solimp: [si[0], si[1], si[2], si[3], si[4]],
        });
    }

    // muscles and exo actuators
    let sites: HashMap<String, &Value> = sm["sites"].as_array().into_iter().flatten().map(|x| (s(&x["name"]), x)).collect();
    let tendons: HashMap<String, &Value> = sm["tendons"].as_array().into_iter().flatten().map(|x| (s(&x["name"]), x)).collect();
    let mut muscles = Vec::new();
    let mut exo = Vec::new();
    for a in sm["actuators"].as_array().into_iter().flatten() {
        let name = s(&a["name"]);
        if a["gaintype"] == "mjGAIN_MUSCLE" && a["trntype"] == "mjTRN_TENDON" && !name.starts_with("Exo") {
            let t = tendons.get(&s(&a["target"])).ok_or_else(|| e(&format!("actuator {name}: unknown tendon")))?;
            let mut path = Vec::new();
            for w in t["path"].as_array().into_iter().flatten() {
                let sn = s(&w["site"]);
                let st = sites.get(&sn).ok_or_else(|| e(&format!("tendon of {name}: unknown site {sn}")))?;
                path.push(site_place(&s(&st["body"]), &fv(&st["pos"]))?);
            }
            let lr = fv(&a["lengthrange"]);
            muscles.push(Muscle {
                name,
                path,
                params: MuscleParams::from_mujoco(&fv(&a["gainprm"]), &fv(&a["biasprm"]), &fv(&a["dynprm"]), [lr[0], lr[1]]),
                seg_dofs: Vec::new(),
                dofs: Vec::new(),
            });
        } else if a["trntype"] == "mjTRN_JOINT" {
            let dof = *dof_by_name.get(&s(&a["target"])).ok_or_else(|| e(&format!("actuator {name}: unknown joint")))?;
            let cr = fv(&a["ctrlrange"]);
            exo.push(ExoActuator { name, dof, gain: fv(&a["gainprm"])[0] * fv(&a["gear"])[0], ctrlrange: [cr[0], cr[1]] });
        }
    }

    // contact hulls (feet) and touch sensors
    let ce = |w: String| err(contact_path, w);
    let rbound: HashMap<String, f64> = sm["geoms"].as_array().into_iter().flatten().map(|g| (s(&g["name"]), f(&g["rbound"]))).collect();
    let mut hulls = Vec::new();
    let feet = cg["feet"].as_object().ok_or_else(|| ce("no feet".into()))?;
    let mut feet_names: Vec<&String> = feet.keys().collect();
    feet_names.sort();
    for fname in feet_names {
        let ft = &feet[fname];
        let body = s(&ft["body"]);
        let bi = *body_idx.get(&body).ok_or_else(|| ce(format!("unknown body {body}")))?;
        let pl = place[bi].ok_or_else(|| ce(format!("body {body} not simulated")))?;
        let verts: Vec<[f64; 3]> = ft["hull_vertices"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| add(&pl.pos, &mv(&pl.rot, &fv(v))))
            .collect();
        let mut nb: Vec<Vec<usize>> = vec![Vec::new(); verts.len()];
        for tri in ft["hull_faces"].as_array().into_iter().flatten() {
            let t: Vec<usize> = tri.as_array().into_iter().flatten().map(|x| x.as_u64().unwrap_or(0) as usize).collect();
            for k in 0..t.len() {
                let (a, b) = (t[k], t[(k + 1) % t.len()]);
                if a < verts.len() && b < verts.len() {
                    if !nb[a].contains(&b) {
                        nb[a].push(b);
                    }
                    if !nb[b].contains(&a) {
                        nb[b].push(a);
                    }
                }
            }
        }
        for n in nb.iter_mut() {
            n.sort_unstable();
        }
        let c = &ft["contact_with_ground_plane"];
        let sr = fv(&c["solref"]);
        let si = fv(&c["solimp"]);
        let geom = s(&ft["geom"]["geom"]);
        hulls.push(Hull {
            name: geom.clone(),
            body: pl.body,
            verts,
            neighbors: nb,
            rbound: rbound.get(&geom).copied().unwrap_or(0.0),
            margin: f(&c["margin"]),
            friction: fv(&c["friction"])[0],
            solref: [sr[0], sr[1]],
            solimp: [si[0], si[1], si[2], si[3], si[4]],
            group: bi,
            invweight0: 0.0,
        });
    }
    let mut touch = Vec::new();
    for t in cg["touch_sensors"].as_array().into_iter().flatten() {
        let body = s(&t["body"]);
        let bi = *body_idx.get(&body).ok_or_else(|| ce(format!("unknown body {body}")))?;
        let pl = place[bi].ok_or_else(|| ce(format!("body {body} not simulated")))?;
        let h = fv(&t["half_sizes"]);
        touch.push(TouchSite {
            name: s(&t["sensor"]),
            body: pl.body,
            pos: add(&pl.pos, &mv(&pl.rot, &fv(&t["pos"]))),
            rot: mm(&pl.rot, &quat_mat(&fv(&t["quat"]))),
            half: [h[0], h[1], h[2]],
            group: bi,
        });
    }
    let mut height_sites = Vec::new();
    for t in cg["height_reference_sites"].as_array().into_iter().flatten() {
        if s(&t["site"]).ends_with("_btm") {
            height_sites.push(site_place(&s(&t["body"]), &fv(&t["pos"]))?);
        }
    }
    let keyframes = sm["keyframes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| Keyframe { name: s(&k["name"]), qpos: fv(&k["qpos"]), qvel: fv(&k["qvel"]), act: fv(&k["act"]) })
        .collect();
    let gw = fv(&sm["option"]["gravity"]);
    let gravity = [
        pelvis_rot[0][0] * gw[0] + pelvis_rot[1][0] * gw[1] + pelvis_rot[2][0] * gw[2],
        pelvis_rot[0][1] * gw[0] + pelvis_rot[1][1] * gw[1] + pelvis_rot[2][1] * gw[2],
        pelvis_rot[0][2] * gw[0] + pelvis_rot[1][2] * gw[1] + pelvis_rot[2][2] * gw[2],
    ];
    let find_dof = |n: &str| dof_by_name.get(n).copied().ok_or_else(|| e(&format!("missing joint `{n}`")));
    let mut independent = [0usize; 11];
    for (i, n) in crate::engine::DOF_NAMES.iter().enumerate() {
        independent[i] = find_dof(n)?;
    }
    let sim_body = |n: &str| -> Result<usize, BuildError> {
        let bi = *body_idx.get(n).ok_or_else(|| e(&format!("missing body `{n}`")))?;
        Ok(place[bi].ok_or_else(|| e(&format!("body `{n}` not simulated")))?.body)
    };
    let mut anchor_dofs = [[0usize; 3]; 2];
    for (si, side) in ["r", "l"].iter().enumerate() {
        for (ji, jn) in ["hip_flexion", "knee_angle", "ankle_angle"].iter().enumerate() {
            anchor_dofs[si][ji] = find_dof(&format!("{jn}_{side}"))?;
        }
    }
    let mut model = SimModel {
        name: s(&sm["model"]),
        timestep: f(&sm["option"]["timestep"]),
        gravity,
        plane_rot: pelvis_rot,
        body_pelvis: sim_body("pelvis")?,
        body_torso: sim_body("torso")?,
        body_talus: [sim_body("talus_r")?, sim_body("talus_l")?],
        bodies,
        dofs,
        couplings,
        muscles,
        exo,
        hulls,
        touch,
        height_sites,
        keyframes,
        total_mass: f(&sm["total_mass"]),
        mj_nq: sm["sizes"]["nq"].as_u64().unwrap_or(0) as usize,
        independent,
        anchor_dofs,
        chains: Vec::new(),
    };
    model.finalize();
    if model.dofs.len() > MAX_DOF || model.bodies.len() > MAX_BODY || model.hulls.len() > MAX_HULL {
        return Err(e("model too large for the simulator's fixed-size arrays"));
    }
    super::invweight::compute(&mut model);
    // MuJoCo's own inverse weights on the full model (arms free), where available
    if let Some(w) = super::mjconst::compute(&sm) {
        for d in model.dofs.iter_mut() {
            if let Some(&x) = w.dof.get(&d.name) {
                d.invweight0 = x;
            }
        }
        for h in model.hulls.iter_mut() {
            if let Some(x) = jbody.get(h.group).and_then(|b| w.body.get(&s(&b["name"]))) {
                h.invweight0 = x[0];
            }
        }
    }
    let _ = orig_of_sim;
    Ok(model)
}

fn add(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn sub(a: &[f64; 3], b: &[f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
