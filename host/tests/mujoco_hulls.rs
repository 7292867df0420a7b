//! The importer's convex hulls against MuJoCo's compiled `mesh_graph`: for every mesh geom of
//! every variant MuJoCo can load, the same hull vertices (same order, same positions), the same
//! neighbour lists and the same triangles, in MuJoCo's order.

#![cfg(feature = "mujoco")]

use myoreflex::model::{math, mjcf, Shape};
use myoreflex::mujoco::{models, MjModel};

const MJ_GEOM_MESH: i32 = 7;

#[test]
fn mujoco_hull_graphs_match_import() {
    let dir = models::reference_models_dir();
    let mut meshes = 0;
    let mut worst: f64 = 0.0;
    // HMEDI and OSL_A miss a mesh file upstream: MuJoCo cannot load them
    for name in ["baseline", "tutorial", "humotech", "dephy", "openexo"] {
        let path = models::model_file(&dir, name).expect("known model");
        let mj = MjModel::from_xml(&path).expect("MuJoCo loads the model");
        let ours = mjcf::import(&path).expect("import");
        assert_eq!(ours.geoms.len(), mj.geom_type().len(), "{name}: geom count");
        for (g, geom) in ours.geoms.iter().enumerate() {
            let Shape::Mesh { hull, .. } = &geom.shape else {
                assert_ne!(mj.geom_type()[g], MJ_GEOM_MESH, "{name}: geom {g} type");
                continue;
            };
            assert_eq!(mj.geom_type()[g], MJ_GEOM_MESH, "{name}: geom {g} type");
            let h = hull
                .as_ref()
                .expect("every mesh of these variants has a hull");
            let mesh = mj.geom_dataid()[g] as usize;
            let adr = mj.mesh_graphadr()[mesh];
            assert!(adr >= 0, "{name}: mesh of geom {g} has no graph in MuJoCo");
            let graph = &mj.mesh_graph()[adr as usize..];
            let (nv, nf) = (graph[0] as usize, graph[1] as usize);
            let edgeadr = &graph[2..2 + nv];
            let globalid = &graph[2 + nv..2 + 2 * nv];
            let edges = &graph[2 + 2 * nv..2 + 3 * nv + 3 * nf];
            let faces = &graph[2 + 3 * nv + 3 * nf..2 + 3 * nv + 6 * nf];
            let what = format!("{name}: geom {g} `{}`", geom.name);
            assert_eq!(h.vertices.len(), nv, "{what}: vertex count");
            assert_eq!(h.faces.len(), nf, "{what}: face count");
            for i in 0..nv {
                let start = edgeadr[i] as usize;
                let theirs: Vec<u32> = edges[start..]
                    .iter()
                    .take_while(|&&e| e >= 0)
                    .map(|&e| e as u32)
                    .collect();
                assert_eq!(h.neighbors[i], theirs, "{what}: neighbours of vertex {i}");
            }
            let local = |gid: i32| {
                globalid
                    .iter()
                    .position(|&x| x == gid)
                    .expect("hull vertex")
            };
            for (k, t) in h.faces.iter().enumerate() {
                let theirs = [
                    local(faces[3 * k]),
                    local(faces[3 * k + 1]),
                    local(faces[3 * k + 2]),
                ];
                assert_eq!(t.map(|v| v as usize), theirs, "{what}: face {k}");
            }
            // positions: MuJoCo's float32 vertex in the geom frame, taken to the body frame
            let vert = &mj.mesh_vert()[3 * mj.mesh_vertadr()[mesh] as usize..];
            let gp = &mj.geom_pos()[3 * g..3 * g + 3];
            let gq = &mj.geom_quat()[4 * g..4 * g + 4];
            let r = math::qmat(&[gq[0], gq[1], gq[2], gq[3]]);
            for (i, &gid) in globalid.iter().enumerate() {
                let v = &vert[3 * gid as usize..3 * gid as usize + 3];
                let body = math::add(
                    &[gp[0], gp[1], gp[2]],
                    &math::mv(&r, &[v[0] as f64, v[1] as f64, v[2] as f64]),
                );
                let d = math::norm(&math::sub(&body, &h.vertices[i]));
                worst = worst.max(d);
            }
            meshes += 1;
        }
    }
    eprintln!("{meshes} mesh hulls in MuJoCo's order; worst vertex distance {worst:e} m");
    assert!(meshes > 100, "only {meshes} meshes compared");
    // ulps: both sides take MuJoCo's float32 vertex to the body frame, with their own rounding
    assert!(worst <= 1e-14, "hull vertices differ by {worst} m");
}
