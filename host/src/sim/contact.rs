//! Ground contact: MuJoCo's plane–convex collision (`mjc_PlaneConvex`: the deepest hull vertex
//! by hill climbing over the hull graph from vertex 0 ([`super::support`]), then up to two more
//! hull neighbours of it within the margin, in graph order, at least 0.3·rbound from the first
//! contact), the contact frame (`mju_makeFrame`) and the touch sensor's ray test.

use super::kinematics::Kin;
use super::mat3::cross;
use super::model::{Hull, SimModel, TouchSite};
use super::planar::dot;
use super::support::SupportCache;

pub const MAX_CONTACTS: usize = 48;
const MAX_PLANE_MESH: usize = 3;
const TOL_PLANE_MESH: f64 = 0.3;

/// One contact between the ground plane (geom 1) and a hull (geom 2).
#[derive(Clone, Copy, Debug, Default)]
pub struct Contact {
    pub hull: usize,
    pub body: usize,
    /// Contact point (midway between the surfaces), in P.
    pub pos: [f64; 3],
    /// Signed distance (negative = penetration).
    pub dist: f64,
    /// The hull vertex it comes from.
    pub vertex: usize,
}

/// The ground plane in P coordinates: unit normal and contact tangents (MuJoCo frame rows).
#[derive(Clone, Copy, Debug)]
pub struct Plane {
    pub normal: [f64; 3],
    pub t1: [f64; 3],
    pub t2: [f64; 3],
    /// Normal and tangents in the world frame (for reporting forces).
    pub normal_w: [f64; 3],
    pub t1_w: [f64; 3],
    pub t2_w: [f64; 3],
}

impl Plane {
    /// A plane through the world origin rising at `slope_deg` along +x.
    pub fn new(m: &SimModel, slope_deg: f64) -> Plane {
        let a = slope_deg.to_radians();
        let n = [-a.sin(), 0.0, a.cos()];
        // mju_makeFrame: y axis (0,1,0) unless the normal is too close to it
        let mut t1 = if n[1].abs() < 0.5 {
            [0.0, 1.0, 0.0]
        } else {
            [0.0, 0.0, 1.0]
        };
        let d = n[0] * t1[0] + n[1] * t1[1] + n[2] * t1[2];
        t1 = [t1[0] - d * n[0], t1[1] - d * n[1], t1[2] - d * n[2]];
        let l = (t1[0] * t1[0] + t1[1] * t1[1] + t1[2] * t1[2]).sqrt();
        t1 = [t1[0] / l, t1[1] / l, t1[2] / l];
        let t2 = cross(n, t1);
        let r = &m.plane_rot;
        let to_p = |w: [f64; 3]| {
            [
                r[0][0] * w[0] + r[1][0] * w[1] + r[2][0] * w[2],
                r[0][1] * w[0] + r[1][1] * w[1] + r[2][1] * w[2],
                r[0][2] * w[0] + r[1][2] * w[1] + r[2][2] * w[2],
            ]
        };
        Plane {
            normal: to_p(n),
            t1: to_p(t1),
            t2: to_p(t2),
            normal_w: n,
            t1_w: t1,
            t2_w: t2,
        }
    }
}

/// Collides every hull with the plane; returns the number of contacts written. `cache` holds
/// the last deepest-vertex search of every hull (any history gives the same contacts).
pub fn collide(
    m: &SimModel,
    k: &Kin,
    plane: &Plane,
    cache: &mut SupportCache,
    out: &mut [Contact; MAX_CONTACTS],
) -> usize {
    let mut n = 0;
    for (h, hull) in m.hulls.iter().enumerate() {
        n += collide_hull(h, hull, k, plane, cache, &mut out[n..]);
        if n >= MAX_CONTACTS - MAX_PLANE_MESH {
            break;
        }
    }
    n
}

fn collide_hull(
    h: usize,
    hull: &Hull,
    k: &Kin,
    plane: &Plane,
    cache: &mut SupportCache,
    out: &mut [Contact],
) -> usize {
    let f = &k.frame[hull.body];
    // normal in the body frame (rotation about z only)
    let nb = [
        f.c * plane.normal[0] + f.s * plane.normal[1],
        -f.s * plane.normal[0] + f.c * plane.normal[1],
        plane.normal[2],
    ];
    let base = dot(&plane.normal, &f.o);
    // bounding sphere far above the plane: no contact
    if dot(&plane.normal, &f.point(&hull.center)) - hull.rbound > hull.margin {
        return 0;
    }
    let Some((best, bestd)) = cache.deepest(h, &hull.verts, &hull.graph, &nb) else {
        return 0;
    };
    let dist = base + bestd;
    if dist > hull.margin {
        return 0;
    }
    let n = &plane.normal;
    let p = f.point(&hull.verts[best]);
    let first = [
        p[0] - 0.5 * dist * n[0],
        p[1] - 0.5 * dist * n[1],
        p[2] - 0.5 * dist * n[2],
    ];
    out[0] = Contact {
        hull: h,
        body: hull.body,
        pos: first,
        dist,
        vertex: best,
    };
    let mut count = 1;
    for &i in hull.graph.neighbors(best) {
        let i = i as usize;
        if count >= MAX_PLANE_MESH {
            break;
        }
        let d = base + dot(&nb, &hull.verts[i]);
        if d < hull.margin {
            let p = f.point(&hull.verts[i]);
            let dd = [(p[0] - first[0]), (p[1] - first[1]), (p[2] - first[2])];
            if dot(&dd, &dd).sqrt() < TOL_PLANE_MESH * hull.rbound {
                continue;
            }
            out[count] = Contact {
                hull: h,
                body: hull.body,
                pos: [
                    p[0] - 0.5 * d * n[0],
                    p[1] - 0.5 * d * n[1],
                    p[2] - 0.5 * d * n[2],
                ],
                dist: d,
                vertex: i,
            };
            count += 1;
        }
    }
    count
}

/// MuJoCo 3.3.3 touch: does the ray from `origin` along `dir` (both in P) hit the site box?
pub fn ray_hits_box(site: &TouchSite, k: &Kin, origin: &[f64; 3], dir: &[f64; 3]) -> bool {
    let f = &k.frame[site.body];
    let c = f.point(&site.pos);
    // to body frame, then to box frame
    let rel = [origin[0] - c[0], origin[1] - c[1], origin[2] - c[2]];
    let ob = [
        f.c * rel[0] + f.s * rel[1],
        -f.s * rel[0] + f.c * rel[1],
        rel[2],
    ];
    let db = [
        f.c * dir[0] + f.s * dir[1],
        -f.s * dir[0] + f.c * dir[1],
        dir[2],
    ];
    let r = &site.rot;
    let o = [
        r[0][0] * ob[0] + r[1][0] * ob[1] + r[2][0] * ob[2],
        r[0][1] * ob[0] + r[1][1] * ob[1] + r[2][1] * ob[2],
        r[0][2] * ob[0] + r[1][2] * ob[1] + r[2][2] * ob[2],
    ];
    let d = [
        r[0][0] * db[0] + r[1][0] * db[1] + r[2][0] * db[2],
        r[0][1] * db[0] + r[1][1] * db[1] + r[2][1] * db[2],
        r[0][2] * db[0] + r[1][2] * db[1] + r[2][2] * db[2],
    ];
    let (mut tmin, mut tmax) = (f64::NEG_INFINITY, f64::INFINITY);
    for a in 0..3 {
        if d[a].abs() < 1e-15 {
            if o[a].abs() > site.half[a] {
                return false;
            }
        } else {
            let t1 = (-site.half[a] - o[a]) / d[a];
            let t2 = (site.half[a] - o[a]) / d[a];
            tmin = tmin.max(t1.min(t2));
            tmax = tmax.min(t1.max(t2));
        }
    }
    tmax >= tmin.max(0.0)
}
