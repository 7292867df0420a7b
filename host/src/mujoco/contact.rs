//! Contact forces as the reference recordings report them: world-frame force vectors per body
//! and the vertical ground reaction force on the model.

use super::sys::MjData;

/// World-frame force of contact `i` acting on its `geom2` body (the `geom1` body gets the
/// opposite): `frameᵀ · (normal, tangent1, tangent2)`.
pub fn contact_world_force(data: &MjData, i: usize) -> [f64; 3] {
    let f = data.contact_force(i);
    let Some(c) = data.contacts().get(i) else {
        return [0.0; 3];
    };
    let fr = &c.frame;
    let mut out = [0.0; 3];
    for (k, o) in out.iter_mut().enumerate() {
        *o = fr[k] * f[0] + fr[3 + k] * f[1] + fr[6 + k] * f[2];
    }
    out
}

/// Per body: the summed world-frame contact force acting on it and the number of its contacts
/// that are in the constraint problem (`efc_address >= 0`). Indexed by body id.
pub fn body_contact_forces(data: &MjData) -> Vec<([f64; 3], usize)> {
    let m = data.model();
    let geom_body = m.geom_bodyid();
    let mut out = vec![([0.0; 3], 0usize); m.nbody()];
    for (i, c) in data.contacts().iter().enumerate() {
        if c.efc_address < 0 {
            continue;
        }
        let f = contact_world_force(data, i);
        for (g, sign) in [(c.geom[0], -1.0), (c.geom[1], 1.0)] {
            let Some(&b) = usize::try_from(g).ok().and_then(|g| geom_body.get(g)) else {
                continue;
            };
            let Some(slot) = usize::try_from(b).ok().and_then(|b| out.get_mut(b)) else {
                continue;
            };
            for (acc, fk) in slot.0.iter_mut().zip(f) {
                *acc += sign * fk;
            }
            slot.1 += 1;
        }
    }
    out
}

/// Vertical force of all ground contacts acting on the model, N. Ground = any geom on a body
/// welded to the world (the `ground` body with the plane, the terrain heightfield).
pub fn ground_force_z(data: &MjData) -> f64 {
    let m = data.model();
    let (geom_body, weld) = (m.geom_bodyid(), m.body_weldid());
    let body_of = |g: i32| {
        let b = usize::try_from(g)
            .ok()
            .and_then(|g| geom_body.get(g))
            .and_then(|&b| usize::try_from(b).ok())?;
        // 0 = static (welded to the world), else the body id
        Some(if weld.get(b) == Some(&0) { 0 } else { b.max(1) })
    };
    let mut total = 0.0;
    for (i, c) in data.contacts().iter().enumerate() {
        if c.efc_address < 0 {
            continue;
        }
        let (b1, b2) = (body_of(c.geom[0]), body_of(c.geom[1]));
        let sign = match (b1, b2) {
            (Some(0), Some(b)) if b != 0 => 1.0,
            (Some(b), Some(0)) if b != 0 => -1.0,
            _ => continue,
        };
        total += sign * contact_world_force(data, i)[2];
    }
    total
}
