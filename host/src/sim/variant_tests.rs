//! Every shipped model variant compiles into the simulator (exo parts included), or fails
//! with an error that names what the simulator lacks.

use super::build::build;
use crate::model::{shipped, SHIPPED};

/// Variants the planar engine interface cannot run, with the part of the error that says why:
/// OSL_A is a transfemoral amputee with a powered prosthesis (no `ankle_angle_r`/`mtp_angle_r`,
/// while the engine interface has the 11 human DOFs).
const UNSUPPORTED: [(&str, &str); 1] = [("osl", "missing joint `ankle_angle_r`")];

#[test]
fn every_shipped_variant_builds_with_all_its_contact_hulls() {
    for (name, _) in SHIPPED {
        let m = shipped(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = build(&m);
        if let Some((_, why)) = UNSUPPORTED.iter().find(|u| u.0 == name) {
            let e = r
                .err()
                .unwrap_or_else(|| panic!("{name} now builds: remove it from UNSUPPORTED"));
            assert!(e.to_string().contains(why), "{name}: {e}");
            continue;
        }
        let sm = r.unwrap_or_else(|e| panic!("{name}: {e}"));
        // every mesh geom that can touch the plane is a hull (exo boot soles included)
        let meshes = m
            .geoms
            .iter()
            .filter(|g| matches!(&g.shape, crate::model::Shape::Mesh { hull: Some(_), .. }))
            .count();
        assert_eq!(sm.hulls.len(), meshes, "{name}: hulls");
        assert!(sm.hulls.len() <= super::model::MAX_HULL);
    }
}
