//! 3-D convex hull (incremental, exact orientation tests with a small relative tolerance).

use crate::model::math::{self, V3};
use crate::model::Hull;
use std::collections::HashMap;

struct Face {
    v: [usize; 3],
    n: V3,
    d: f64,
    alive: bool,
}

fn plane(p: &[V3], v: [usize; 3]) -> (V3, f64) {
    let n = math::normalize(&math::cross(
        &math::sub(&p[v[1]], &p[v[0]]),
        &math::sub(&p[v[2]], &p[v[0]]),
    ));
    (n, math::dot(&n, &p[v[0]]))
}

/// The convex hull of `points`: its vertices (a subset of the points, in input order) and
/// outward triangles. `None` if the points are (nearly) coplanar.
pub fn convex_hull(points: &[V3]) -> Option<Hull> {
    if points.len() < 4 {
        return None;
    }
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for p in points {
        for k in 0..3 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    let size = math::norm(&math::sub(&hi, &lo));
    let eps = 1e-12 * size.max(1e-300);

    // initial tetrahedron: extremes along x, farthest from that line, farthest from that plane
    let i0 = (0..points.len()).min_by(|&a, &b| points[a][0].total_cmp(&points[b][0]))?;
    let i1 = (0..points.len()).max_by(|&a, &b| {
        math::norm(&math::sub(&points[a], &points[i0]))
            .total_cmp(&math::norm(&math::sub(&points[b], &points[i0])))
    })?;
    let dir = math::normalize(&math::sub(&points[i1], &points[i0]));
    let line_dist = |i: usize| {
        let w = math::sub(&points[i], &points[i0]);
        math::norm(&math::cross(&w, &dir))
    };
    let i2 = (0..points.len()).max_by(|&a, &b| line_dist(a).total_cmp(&line_dist(b)))?;
    if line_dist(i2) <= eps {
        return None;
    }
    let (n0, d0) = plane(points, [i0, i1, i2]);
    let i3 = (0..points.len()).max_by(|&a, &b| {
        (math::dot(&n0, &points[a]) - d0)
            .abs()
            .total_cmp(&(math::dot(&n0, &points[b]) - d0).abs())
    })?;
    if (math::dot(&n0, &points[i3]) - d0).abs() <= eps {
        return None;
    }
    let inside = math::scale(
        &math::add(
            &math::add(&points[i0], &points[i1]),
            &math::add(&points[i2], &points[i3]),
        ),
        0.25,
    );

    let mut faces: Vec<Face> = Vec::new();
    let mut edges: HashMap<(usize, usize), usize> = HashMap::new();
    let add =
        |faces: &mut Vec<Face>, edges: &mut HashMap<(usize, usize), usize>, mut v: [usize; 3]| {
            let (mut n, mut d) = plane(points, v);
            if math::dot(&n, &inside) - d > 0.0 {
                v.swap(1, 2);
                let pl = plane(points, v);
                n = pl.0;
                d = pl.1;
            }
            let id = faces.len();
            for k in 0..3 {
                edges.insert((v[k], v[(k + 1) % 3]), id);
            }
            faces.push(Face {
                v,
                n,
                d,
                alive: true,
            });
        };
    for tri in [[i0, i1, i2], [i0, i1, i3], [i0, i2, i3], [i1, i2, i3]] {
        add(&mut faces, &mut edges, tri);
    }

    // far points first: most of the others then fall inside early
    let mut order: Vec<usize> = (0..points.len())
        .filter(|p| ![i0, i1, i2, i3].contains(p))
        .collect();
    let dist2 = |p: usize| {
        let d = math::sub(&points[p], &inside);
        math::dot(&d, &d)
    };
    order.sort_by(|&a, &b| dist2(b).total_cmp(&dist2(a)).then(a.cmp(&b)));
    let mut alive: Vec<usize> = (0..faces.len()).collect();
    let mut visible = Vec::new();
    for p in order {
        let pt = &points[p];
        visible.clear();
        for &f in &alive {
            let face = &faces[f];
            if math::dot(&face.n, pt) - face.d > eps {
                visible.push(f);
            }
        }
        if visible.is_empty() {
            continue;
        }
        let mut horizon = Vec::new();
        for &f in &visible {
            let v = faces[f].v;
            for k in 0..3 {
                let (a, b) = (v[k], v[(k + 1) % 3]);
                match edges.get(&(b, a)) {
                    Some(&g) if !visible.contains(&g) => horizon.push((a, b)),
                    _ => {}
                }
            }
        }
        for &f in &visible {
            faces[f].alive = false;
            let v = faces[f].v;
            for k in 0..3 {
                let e = (v[k], v[(k + 1) % 3]);
                if edges.get(&e) == Some(&f) {
                    edges.remove(&e);
                }
            }
        }
        for (a, b) in horizon {
            // keep the orientation of the removed visible face: (a, b, p) is outward
            let v = [a, b, p];
            let (n, d) = plane(points, v);
            let id = faces.len();
            for k in 0..3 {
                edges.insert((v[k], v[(k + 1) % 3]), id);
            }
            faces.push(Face {
                v,
                n,
                d,
                alive: true,
            });
            alive.push(id);
        }
        alive.retain(|&f| faces[f].alive);
    }

    let mut used: Vec<usize> = faces.iter().filter(|f| f.alive).flat_map(|f| f.v).collect();
    used.sort_unstable();
    used.dedup();
    let remap: HashMap<usize, u32> = used
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, i as u32))
        .collect();
    Some(Hull {
        vertices: used.iter().map(|&p| points[p]).collect(),
        faces: faces
            .iter()
            .filter(|f| f.alive)
            .map(|f| [remap[&f.v[0]], remap[&f.v[1]], remap[&f.v[2]]])
            .collect(),
    })
}
