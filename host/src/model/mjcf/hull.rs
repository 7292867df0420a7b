//! The convex hull of a mesh exactly as MuJoCo 3.3.3's compiler builds it (`mjCMesh::MakeGraph`):
//! qhull with the options `qhull Qt` on the mesh's vertices (float32 file values as doubles, in
//! file order after merging repeated vertices, before any transformation), then
//!
//! - hull vertices in qhull's vertex-list order (`FORALLvertices`),
//! - for every hull vertex its neighbours: the facets around it in `vertex->neighbors` order and,
//!   for each, the facet's other vertices in `facet->vertices` order, each neighbour once,
//! - triangles in qhull's facet-list order (`FORALLfacets`), the facet's vertices with the first
//!   two swapped when the facet has `toporient` set.
//!
//! The plane–mesh collision depends on these orders (hill climbing from hull vertex 0 to the
//! deepest vertex, then up to two neighbours in graph order), so they are part of the model.
//! qhull comes from the `qhull-sys-enhanced` crate, which bundles the same qhull release
//! (`2020.2.r 2023/01/02`) that MuJoCo 3.3.3 is built with.

use qhull_sys_enhanced as qh;
use std::ffi::{c_char, c_void, CStr};

/// MuJoCo's convex-hull graph of a point set (`mesh_graph`), with local vertex ids.
#[derive(Debug, Clone, PartialEq)]
pub struct HullGraph {
    /// Input point index of every hull vertex (`vert_globalid`), in graph order.
    pub points: Vec<usize>,
    /// Neighbours of every hull vertex (`edge_localid`), as hull vertex indices.
    pub neighbors: Vec<Vec<u32>>,
    /// Triangles (`face_globalid`) as hull vertex indices, outward.
    pub faces: Vec<[u32; 3]>,
}

const QH_OPTIONS: &CStr = c"qhull Qt";

/// Everything the qhull calls run inside the error handler need; no Rust destructors live
/// there, since a qhull error leaves that code through `longjmp`.
struct Run {
    qh: *mut qh::qhT,
    points: *mut f64,
    npoints: i32,
    options: *mut c_char,
}

extern "C" {
    // in qhull's poly_r.h, which the crate's bindings leave out
    fn qh_vertexneighbors(qh: *mut qh::qhT);
}

extern "C" fn build(data: *mut c_void) {
    // SAFETY: `data` is the `Run` that `hull_graph` passes and keeps alive across this call.
    unsafe {
        let r = &*(data as *const Run);
        qh::qh_initflags(r.qh, r.options);
        qh::qh_init_B(r.qh, r.points, r.npoints, 3, 0);
        qh::qh_qhull(r.qh);
        qh::qh_triangulate(r.qh);
        qh_vertexneighbors(r.qh);
    }
}

/// Iterates a qhull set (`FOREACHsetelement_`): its elements up to the first null pointer.
///
/// # Safety
/// `set` is null or a valid qhull set of `T` pointers that outlives the iteration.
unsafe fn set_elements<T>(set: *mut qh::setT) -> impl Iterator<Item = *mut T> {
    let first: *const qh::setelemT = if set.is_null() {
        std::ptr::null()
    } else {
        std::ptr::addr_of!((*set).e).cast()
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        if first.is_null() {
            return None;
        }
        let p = (*first.add(i)).p as *mut T;
        i += 1;
        (!p.is_null()).then_some(p)
    })
}

/// MuJoCo's hull graph of `points` (at least 4, not all coplanar); `Err` with qhull's reason
/// (its message goes to stderr) when qhull fails.
pub fn hull_graph(points: &[[f64; 3]]) -> Result<HullGraph, String> {
    if points.len() < 4 {
        return Err(format!(
            "{} vertices: a convex hull needs at least 4",
            points.len()
        ));
    }
    let npoints = i32::try_from(points.len()).map_err(|_| "too many vertices".to_string())?;
    let mut coords: Vec<f64> = points.iter().flatten().copied().collect();
    let mut options: Vec<u8> = QH_OPTIONS.to_bytes_with_nul().to_vec();
    let mut state = std::mem::MaybeUninit::<qh::qhT>::zeroed();
    let qhp = state.as_mut_ptr();
    // SAFETY: the qhT lives in `state` until the end of this function; qh_zero initialises it,
    // qh_init_A sets it up with the standard streams; `coords` and `options` outlive every qhull
    // call (qh_init_B is told the points are not qhull's to free); the building calls run under
    // the crate's setjmp handler; qhull's memory is released before returning on every path.
    unsafe {
        let err = qh::qhull_sys__stderr();
        qh::qh_zero(qhp, err);
        qh::qh_init_A(
            qhp,
            qh::qhull_sys__stdin(),
            qh::qhull_sys__stdout(),
            err,
            0,
            std::ptr::null_mut(),
        );
        let mut run = Run {
            qh: qhp,
            points: coords.as_mut_ptr(),
            npoints,
            options: options.as_mut_ptr().cast(),
        };
        let status = qh::qhull_sys__try_on_qh(qhp, Some(build), (&mut run as *mut Run).cast());
        let result = if status == 0 {
            read_graph(qhp, points.len())
        } else {
            Err(format!("qhull failed with exit code {status}"))
        };
        qh::qh_freeqhull(qhp, 0);
        let (mut curlong, mut totlong) = (0, 0);
        qh::qh_memfreeshort(qhp, &mut curlong, &mut totlong);
        result
    }
}

/// Reads the graph out of a finished qhull run (`mjCMesh::MakeGraph` after `qh_vertexneighbors`).
///
/// # Safety
/// `qhp` holds a triangulated hull of `npoints` points with vertex neighbours.
unsafe fn read_graph(qhp: *mut qh::qhT, npoints: usize) -> Result<HullGraph, String> {
    let point_id = |p: *mut f64| -> Result<usize, String> {
        let id = qh::qh_pointid(qhp, p);
        usize::try_from(id)
            .ok()
            .filter(|&i| i < npoints)
            .ok_or_else(|| format!("qhull returned point id {id} outside the mesh"))
    };
    let q = &*qhp;
    let mut points = Vec::new();
    let mut global_nb: Vec<Vec<usize>> = Vec::new();
    let mut v = q.vertex_list;
    while !v.is_null() && !(*v).next.is_null() {
        let pid = point_id((*v).point)?;
        let mut nb: Vec<usize> = Vec::new();
        for f in set_elements::<qh::facetT>((*v).neighbors) {
            let mut count = 0;
            for w in set_elements::<qh::vertexT>((*f).vertices) {
                count += 1;
                let pid1 = point_id((*w).point)?;
                if pid1 != pid && !nb.contains(&pid1) {
                    nb.push(pid1);
                }
            }
            if count != 3 {
                return Err("qhull returned a facet that is not a triangle".into());
            }
        }
        points.push(pid);
        global_nb.push(nb);
        v = (*v).next;
    }
    let local = |pid: usize| -> Result<u32, String> {
        points
            .iter()
            .position(|&p| p == pid)
            .map(|i| i as u32)
            .ok_or_else(|| format!("point {pid} is not a hull vertex"))
    };
    let neighbors = global_nb
        .iter()
        .map(|nb| nb.iter().map(|&p| local(p)).collect())
        .collect::<Result<Vec<Vec<u32>>, String>>()?;
    let mut faces = Vec::new();
    let mut f = q.facet_list;
    while !f.is_null() && !(*f).next.is_null() {
        let order: [usize; 3] = if (*f).toporient() != 0 {
            [1, 0, 2]
        } else {
            [0, 1, 2]
        };
        let mut tri = [0u32; 3];
        let mut count = 0;
        for w in set_elements::<qh::vertexT>((*f).vertices) {
            if count >= 3 {
                return Err("qhull returned a facet that is not a triangle".into());
            }
            tri[order[count]] = local(point_id((*w).point)?)?;
            count += 1;
        }
        if count != 3 {
            return Err("qhull returned a facet that is not a triangle".into());
        }
        faces.push(tri);
        f = (*f).next;
    }
    let edges: usize = neighbors.iter().map(Vec::len).sum();
    if q.num_vertices as usize != points.len()
        || q.num_facets as usize != faces.len()
        || edges != 3 * faces.len()
    {
        return Err("qhull's hull is not a closed triangulated surface".into());
    }
    Ok(HullGraph {
        points,
        neighbors,
        faces,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cube_graph_is_closed_and_outward() {
        let mut p = Vec::new();
        for i in 0..8 {
            p.push([(i & 1) as f64, ((i >> 1) & 1) as f64, ((i >> 2) & 1) as f64]);
        }
        p.push([0.5, 0.5, 0.5]); // inside
        let g = hull_graph(&p).unwrap();
        assert_eq!(g.points.len(), 8);
        assert!(!g.points.contains(&8));
        assert_eq!(g.faces.len(), 12);
        for t in &g.faces {
            let v: Vec<[f64; 3]> = t.iter().map(|&i| p[g.points[i as usize]]).collect();
            let a = [v[1][0] - v[0][0], v[1][1] - v[0][1], v[1][2] - v[0][2]];
            let b = [v[2][0] - v[0][0], v[2][1] - v[0][1], v[2][2] - v[0][2]];
            let n = [
                a[1] * b[2] - a[2] * b[1],
                a[2] * b[0] - a[0] * b[2],
                a[0] * b[1] - a[1] * b[0],
            ];
            let c = [v[0][0] - 0.5, v[0][1] - 0.5, v[0][2] - 0.5];
            assert!(
                n[0] * c[0] + n[1] * c[1] + n[2] * c[2] > 0.0,
                "inward face {t:?}"
            );
        }
        for (i, nb) in g.neighbors.iter().enumerate() {
            assert!(nb.len() >= 3 && !nb.contains(&(i as u32)));
        }
    }

    #[test]
    fn flat_and_tiny_inputs_are_errors() {
        assert!(hull_graph(&[[0.0; 3]; 3]).is_err());
        let flat = [
            [0.0, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [0.0, 1.0, 0.0],
            [1.0, 1.0, 0.0],
        ];
        assert!(hull_graph(&flat).is_err());
    }
}
