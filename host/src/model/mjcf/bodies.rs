//! The body tree: bodies, joints, geoms, sites and inertia (explicit or from the geoms).

use super::defaults::Attrs;
use super::frame::{orientation, z2quat};
use super::xml::El;
use super::{hull, inertia, Ctx};
use crate::model::math::{self, M3, Q, V3};
use crate::model::{Body, Geom, Hull, Joint, JointType, ModelError, Role, Shape, Site, SiteShape};

/// The flattened tree in MuJoCo order (bodies depth-first; joints, geoms and sites by body).
pub struct Tree {
    pub bodies: Vec<Body>,
    pub joints: Vec<Joint>,
    pub geoms: Vec<Geom>,
    pub sites: Vec<Site>,
}

struct Raw {
    body: Body,
    joints: Vec<Joint>,
    geoms: Vec<(Geom, Option<GeomMass>)>,
    sites: Vec<Site>,
    explicit_inertial: bool,
    el_where: String,
}

/// Mass properties of a geom in the body frame (for bodies without `<inertial>`).
#[derive(Clone, Copy)]
struct GeomMass {
    mass: f64,
    com: V3,
    /// Inertia about the CoM in the body frame.
    inertia: M3,
}

pub fn read_worldbody(root: &El, ctx: &mut Ctx) -> Result<Tree, ModelError> {
    let world = Body {
        name: "world".into(),
        parent: 0,
        pos: [0.0; 3],
        quat: math::QID,
        mass: 0.0,
        inertia: [0.0; 3],
        ipos: [0.0; 3],
        iquat: math::QID,
        joints: Vec::new(),
    };
    let mut raws = vec![Raw {
        body: world,
        joints: Vec::new(),
        geoms: Vec::new(),
        sites: Vec::new(),
        explicit_inertial: true,
        el_where: "worldbody".into(),
    }];
    for wb in root.kids("worldbody") {
        for c in &wb.children {
            match c.tag.as_str() {
                "geom" => {
                    let g = geom(c, 0, None, ctx)?;
                    raws[0].geoms.push(g);
                }
                "site" => {
                    let s = site(c, 0, None, ctx)?;
                    raws[0].sites.push(s);
                }
                "body" => body(c, 0, None, ctx, &mut raws)?,
                "joint" | "freejoint" | "inertial" => {
                    return Err(c.err("not allowed in <worldbody>"))
                }
                _ => {}
            }
        }
    }
    // names must be unique per kind
    let mut seen = std::collections::HashSet::new();
    for r in &raws {
        if !seen.insert(r.body.name.clone()) {
            return Err(ModelError::invalid(
                "",
                format!("{}: repeated body name '{}'", r.el_where, r.body.name),
            ));
        }
    }
    let mut tree = Tree {
        bodies: Vec::new(),
        joints: Vec::new(),
        geoms: Vec::new(),
        sites: Vec::new(),
    };
    for mut r in raws {
        if !r.explicit_inertial {
            infer_inertia(&mut r)?;
        }
        let first = tree.joints.len();
        r.body.joints = (first..first + r.joints.len()).collect();
        tree.joints.extend(r.joints);
        tree.geoms.extend(r.geoms.into_iter().map(|g| g.0));
        tree.sites.extend(r.sites);
        tree.bodies.push(r.body);
    }
    Ok(tree)
}

fn body(
    el: &El,
    parent: usize,
    childclass: Option<&str>,
    ctx: &mut Ctx,
    raws: &mut Vec<Raw>,
) -> Result<(), ModelError> {
    let a = Attrs::plain(el);
    let name = a.need("name")?.to_string();
    let cc = el.attr("childclass").or(childclass).map(str::to_string);
    let id = raws.len();
    let mut raw = Raw {
        body: Body {
            name,
            parent,
            pos: a.vec("pos", [0.0; 3])?,
            quat: orientation(&a, &ctx.units)?,
            mass: 0.0,
            inertia: [0.0; 3],
            ipos: [0.0; 3],
            iquat: math::QID,
            joints: Vec::new(),
        },
        joints: Vec::new(),
        geoms: Vec::new(),
        sites: Vec::new(),
        explicit_inertial: false,
        el_where: el.whereis(),
    };
    raws.push(placeholder());
    let mut children = Vec::new();
    for c in &el.children {
        match c.tag.as_str() {
            "inertial" => {
                let ia = Attrs::plain(c);
                raw.body.mass = ia.f64("mass", 0.0)?;
                raw.body.ipos = ia.vec("pos", [0.0; 3])?;
                if ia.has("fullinertia") {
                    let f = ia.exact::<6>("fullinertia")?.unwrap_or([0.0; 6]);
                    let m = [f[0], f[3], f[4], f[3], f[1], f[5], f[4], f[5], f[2]];
                    let (vals, q) = inertia::eig3(&m);
                    raw.body.inertia = vals;
                    raw.body.iquat = math::qmul(&orientation(&ia, &ctx.units)?, &q);
                } else {
                    raw.body.inertia = ia
                        .exact::<3>("diaginertia")?
                        .ok_or_else(|| c.err("needs diaginertia or fullinertia"))?;
                    raw.body.iquat = orientation(&ia, &ctx.units)?;
                }
                if raw.body.mass < 0.0 || raw.body.inertia.iter().any(|&x| x < 0.0) {
                    return Err(c.err("mass and inertia must not be negative"));
                }
                raw.explicit_inertial = true;
            }
            "joint" => {
                let j = joint(c, id, cc.as_deref(), ctx)?;
                raw.joints.push(j);
            }
            "freejoint" => {
                return Err(c.err(
                    "wrong joint type: free joints are not supported (planar hinge/slide model)",
                ))
            }
            "geom" => {
                let g = geom(c, id, cc.as_deref(), ctx)?;
                raw.geoms.push(g);
            }
            "site" => {
                let s = site(c, id, cc.as_deref(), ctx)?;
                raw.sites.push(s);
            }
            "body" => children.push(c),
            _ => {}
        }
    }
    raws[id] = raw;
    for c in children {
        body(c, id, cc.as_deref(), ctx, raws)?;
    }
    Ok(())
}

fn placeholder() -> Raw {
    Raw {
        body: Body {
            name: String::new(),
            parent: 0,
            pos: [0.0; 3],
            quat: math::QID,
            mass: 0.0,
            inertia: [0.0; 3],
            ipos: [0.0; 3],
            iquat: math::QID,
            joints: Vec::new(),
        },
        joints: Vec::new(),
        geoms: Vec::new(),
        sites: Vec::new(),
        explicit_inertial: true,
        el_where: String::new(),
    }
}

fn joint(el: &El, body: usize, cc: Option<&str>, ctx: &Ctx) -> Result<Joint, ModelError> {
    let a = ctx.defs.attrs(el, cc)?;
    let name = a.need("name")?.to_string();
    let jtype = match a.str("type").unwrap_or("hinge") {
        "hinge" => JointType::Hinge,
        "slide" => JointType::Slide,
        t => {
            return Err(el.err(format!(
                "wrong joint type '{t}': only hinge and slide joints are supported"
            )))
        }
    };
    let conv = |x: f64| {
        if jtype == JointType::Hinge {
            ctx.units.angle(x)
        } else {
            x
        }
    };
    let range_given = a.has("range");
    let r = a.vec("range", [0.0, 0.0])?;
    let limited = a
        .tristate("limited")?
        .unwrap_or(ctx.autolimits && range_given);
    if limited && r[0] >= r[1] {
        return Err(el.err(format!(
            "limited joint needs range[0] < range[1], got {r:?}"
        )));
    }
    let axis = a.vec("axis", [0.0, 0.0, 1.0])?;
    if math::norm(&axis) < 1e-10 {
        return Err(el.err("axis must not be zero"));
    }
    Ok(Joint {
        name,
        body,
        jtype,
        pos: a.vec("pos", [0.0; 3])?,
        axis: math::normalize(&axis),
        role: Role::Independent,
        limited,
        range: [conv(r[0]), conv(r[1])],
        damping: a.f64("damping", 0.0)?,
        armature: a.f64("armature", 0.0)?,
        stiffness: a.f64("stiffness", 0.0)?,
        springref: conv(a.f64("springref", 0.0)?),
        frictionloss: a.f64("frictionloss", 0.0)?,
        solref_limit: a.vec("solreflimit", [0.02, 1.0])?,
        solimp_limit: a.vec("solimplimit", [0.9, 0.95, 0.001, 0.5, 2.0])?,
        margin: a.f64("margin", 0.0)?,
        qpos0: conv(a.f64("ref", 0.0)?),
        weld_value: 0.0,
    })
}

fn site(el: &El, body: usize, cc: Option<&str>, ctx: &Ctx) -> Result<Site, ModelError> {
    let a = ctx.defs.attrs(el, cc)?;
    let shape = match a.str("type").unwrap_or("sphere") {
        "sphere" => SiteShape::Sphere,
        "box" => SiteShape::Box,
        "capsule" => SiteShape::Capsule,
        "ellipsoid" => SiteShape::Ellipsoid,
        "cylinder" => SiteShape::Cylinder,
        t => return Err(el.err(format!("unknown site type '{t}'"))),
    };
    Ok(Site {
        name: a.need("name")?.to_string(),
        body,
        pos: a.vec("pos", [0.0; 3])?,
        quat: orientation(&a, &ctx.units)?,
        shape,
        size: a.vec("size", [0.005, 0.005, 0.005])?,
    })
}

fn geom(
    el: &El,
    body: usize,
    cc: Option<&str>,
    ctx: &mut Ctx,
) -> Result<(Geom, Option<GeomMass>), ModelError> {
    let a = ctx.defs.attrs(el, cc)?;
    let size = a.vec("size", [0.0; 3])?;
    let mut pos = a.vec("pos", [0.0; 3])?;
    let mut quat = orientation(&a, &ctx.units)?;
    let gtype = a.str("type").unwrap_or("sphere");
    let mut half_length = size[1];
    if let Some(ft) = a.exact::<6>("fromto")? {
        let (p0, p1) = ([ft[0], ft[1], ft[2]], [ft[3], ft[4], ft[5]]);
        let d = math::sub(&p1, &p0);
        pos = math::scale(&math::add(&p0, &p1), 0.5);
        quat = z2quat(&math::scale(&d, -1.0)); // MuJoCo: z from `to` towards `from`
        half_length = 0.5 * math::norm(&d);
    }
    let density = a.f64("density", 1000.0)?;
    let mut mass_props = None;
    let shape = match gtype {
        "plane" => Shape::Plane { size },
        "hfield" => {
            let h = a.need("hfield")?;
            let (size, nrow, ncol) = *ctx
                .hfields
                .get(h)
                .ok_or_else(|| el.err(format!("unknown hfield '{h}'")))?;
            Shape::Hfield { size, nrow, ncol }
        }
        "sphere" => Shape::Sphere { radius: size[0] },
        "box" => Shape::Box { half: size },
        "capsule" => Shape::Capsule {
            radius: size[0],
            half_length,
        },
        "cylinder" => Shape::Cylinder {
            radius: size[0],
            half_length,
        },
        "mesh" => {
            let mname = a.need("mesh")?;
            let asset = ctx
                .meshes
                .get(mname)
                .ok_or_else(|| el.err(format!("unknown mesh '{mname}'")))?;
            let file = asset.file.clone();
            let hull = match &asset.mesh {
                None => None,
                Some(m) => {
                    let verts: Vec<V3> = m
                        .vertices
                        .iter()
                        .map(|v| {
                            let s = [
                                v[0] * asset.scale[0],
                                v[1] * asset.scale[1],
                                v[2] * asset.scale[2],
                            ];
                            math::add(&pos, &math::qrot(&quat, &s))
                        })
                        .collect();
                    let mp = inertia::mesh(&verts, &m.faces);
                    let (_, iq) = inertia::eig3(&mp.inertia);
                    mass_props = Some(GeomMass {
                        mass: density * mp.volume,
                        com: mp.com,
                        inertia: scale9(&mp.inertia, density),
                    });
                    // MuJoCo's hull graph, from the file's vertices as they are
                    let graph = hull::hull_graph(&m.vertices)
                        .map_err(|why| el.err(format!("mesh '{mname}': no convex hull ({why})")))?;
                    // the geom frame becomes the mesh's inertial frame, as in MuJoCo
                    pos = mp.com;
                    quat = iq;
                    // MuJoCo stores the mesh in its inertial frame as float32: reproduce that
                    // rounding, then express the hull in the body frame
                    let r = math::qmat(&quat);
                    // geom_rbound: the norm of the largest |coordinate| per axis of all mesh
                    // vertices in the inertial frame (in double, before the float32 rounding)
                    let mut haabb = [0.0f64; 3];
                    for v in &verts {
                        let local = math::mtv(&r, &math::sub(v, &pos));
                        for k in 0..3 {
                            haabb[k] = haabb[k].max(local[k].abs());
                        }
                    }
                    let vertices = graph
                        .points
                        .iter()
                        .map(|&p| {
                            let local = math::mtv(&r, &math::sub(&verts[p], &pos));
                            let local = [
                                local[0] as f32 as f64,
                                local[1] as f32 as f64,
                                local[2] as f32 as f64,
                            ];
                            math::add(&pos, &math::mv(&r, &local))
                        })
                        .collect();
                    Some(Hull {
                        vertices,
                        faces: graph.faces,
                        neighbors: graph.neighbors,
                        rbound: math::norm(&haabb),
                    })
                }
            };
            Shape::Mesh {
                mesh: mname.to_string(),
                file,
                hull,
            }
        }
        t => return Err(el.err(format!("geom type '{t}' is not supported"))),
    };
    if mass_props.is_none() {
        mass_props = primitive_mass(&shape, density, &pos, &quat);
    }
    if let Some(m) = a.str("mass") {
        let mass: f64 = m
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| el.err("mass is not a finite number"))?;
        if let Some(mp) = mass_props.as_mut() {
            if mp.mass > 0.0 {
                mp.inertia = scale9(&mp.inertia, mass / mp.mass);
            }
            mp.mass = mass;
        }
    }
    let name = a.str("name").unwrap_or_default().to_string();
    let g = Geom {
        name,
        body,
        shape,
        pos,
        quat,
        contype: a.int("contype", 1)?.max(0) as u32,
        conaffinity: a.int("conaffinity", 1)?.max(0) as u32,
        condim: a.int("condim", 3)?.max(1) as u32,
        priority: a.int("priority", 0)? as i32,
        friction: a.vec("friction", [1.0, 0.005, 0.0001])?,
        solref: a.vec("solref", [0.02, 1.0])?,
        solimp: a.vec("solimp", [0.9, 0.95, 0.001, 0.5, 2.0])?,
        solmix: a.f64("solmix", 1.0)?,
        margin: a.f64("margin", 0.0)?,
        gap: a.f64("gap", 0.0)?,
        group: a.int("group", 0)? as i32,
    };
    Ok((g, mass_props))
}

fn scale9(m: &M3, s: f64) -> M3 {
    let mut r = *m;
    r.iter_mut().for_each(|x| *x *= s);
    r
}

/// Mass properties of a primitive geom in the body frame.
fn primitive_mass(shape: &Shape, density: f64, pos: &V3, quat: &Q) -> Option<GeomMass> {
    use std::f64::consts::PI;
    let (vol, d) = match *shape {
        Shape::Sphere { radius: r } => {
            let v = 4.0 / 3.0 * PI * r * r * r;
            let i = 0.4 * r * r;
            (v, [i, i, i])
        }
        Shape::Box { half: h } => {
            let v = 8.0 * h[0] * h[1] * h[2];
            let (x, y, z) = (h[0] * h[0], h[1] * h[1], h[2] * h[2]);
            (v, [(y + z) / 3.0, (x + z) / 3.0, (x + y) / 3.0])
        }
        Shape::Cylinder {
            radius: r,
            half_length: h,
        } => {
            let v = PI * r * r * 2.0 * h;
            let ixx = (3.0 * r * r + 4.0 * h * h) / 12.0;
            (v, [ixx, ixx, 0.5 * r * r])
        }
        Shape::Capsule {
            radius: r,
            half_length: h,
        } => {
            // MuJoCo's capsule inertia: cylinder plus two displaced hemispheres
            let hh = 2.0 * h;
            let v = PI * r * r * hh + 4.0 / 3.0 * PI * r * r * r;
            let ms = 4.0 * r / (4.0 * r + 3.0 * hh);
            let mc = 1.0 - ms;
            let si = ms * 2.0 * r * r / 5.0;
            let ixx =
                mc * (3.0 * r * r + hh * hh) / 12.0 + si + ms * hh * (3.0 * r + 2.0 * hh) / 8.0;
            let izz = mc * r * r / 2.0 + si;
            (v, [ixx, ixx, izz])
        }
        _ => return None,
    };
    let mass = density * vol;
    let r = math::qmat(quat);
    let mut inertia = [0.0; 9];
    for i in 0..3 {
        for j in 0..3 {
            inertia[3 * i + j] = (0..3)
                .map(|k| r[3 * i + k] * d[k] * mass * r[3 * j + k])
                .sum();
        }
    }
    Some(GeomMass {
        mass,
        com: *pos,
        inertia,
    })
}

/// Body inertia from its geoms (MuJoCo `inertiafromgeom="auto"` for bodies without
/// `<inertial>`), expressed in the principal frame.
fn infer_inertia(r: &mut Raw) -> Result<(), ModelError> {
    let parts: Vec<GeomMass> = r.geoms.iter().filter_map(|g| g.1).collect();
    if r.geoms
        .iter()
        .any(|g| matches!(&g.0.shape, Shape::Mesh { hull: None, .. }))
    {
        return Err(ModelError::invalid(
            "",
            format!(
                "{}: has no <inertial> and one of its mesh files is missing: cannot infer its mass",
                r.el_where
            ),
        ));
    }
    let mass: f64 = parts.iter().map(|p| p.mass).sum();
    if mass <= 0.0 {
        // massless body: MuJoCo puts the inertial frame at its first geom, or at the body
        // position (no geoms)
        r.body.mass = 0.0;
        match r.geoms.first() {
            Some((g, _)) => {
                r.body.ipos = g.pos;
                r.body.iquat = g.quat;
            }
            None => {
                r.body.ipos = r.body.pos;
                r.body.iquat = math::QID;
            }
        }
        return Ok(());
    }
    let mut com = [0.0; 3];
    for p in &parts {
        com = math::add(&com, &math::scale(&p.com, p.mass));
    }
    com = math::scale(&com, 1.0 / mass);
    let mut tensor = [0.0; 9];
    for p in &parts {
        let d = math::sub(&p.com, &com);
        let dd = math::dot(&d, &d);
        for i in 0..3 {
            for j in 0..3 {
                let delta = if i == j { dd } else { 0.0 };
                tensor[3 * i + j] += p.inertia[3 * i + j] + p.mass * (delta - d[i] * d[j]);
            }
        }
    }
    let (vals, q) = match (parts.len(), r.geoms.iter().find(|g| g.1.is_some())) {
        // one geom: MuJoCo keeps the geom's principal frame
        (1, Some((g, Some(_)))) => {
            let gm = parts[0];
            let rm = math::qmat(&g.quat);
            // principal moments = diag(Rᵀ I R)
            let mut vals = [0.0; 3];
            for (k, v) in vals.iter_mut().enumerate() {
                *v = (0..3)
                    .map(|i| {
                        (0..3)
                            .map(|j| rm[3 * i + k] * gm.inertia[3 * i + j] * rm[3 * j + k])
                            .sum::<f64>()
                    })
                    .sum();
            }
            (vals, g.quat)
        }
        _ => inertia::eig3(&tensor),
    };
    r.body.mass = mass;
    r.body.ipos = com;
    r.body.inertia = vals;
    r.body.iquat = q;
    Ok(())
}
