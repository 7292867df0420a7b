//! Joint roles (independent, coupled, welded) and the structural checks of the family.

use super::xml::El;
use crate::model::{JointType, Model, ModelError, Role};

/// Joints with at least this damping (N m s/rad) are treated as welded: the original freezes
/// the arms with damping 1e4.
pub const WELD_DAMPING: f64 = 1000.0;

/// Bodies every model of the family has.
const REQUIRED_BODIES: [&str; 9] = [
    "pelvis", "torso", "femur_r", "femur_l", "tibia_r", "tibia_l", "talus_l", "calcn_l", "toes_l",
];

/// Independent joints every model of the family has, with their type.
const REQUIRED_JOINTS: [(&str, JointType); 9] = [
    ("pelvis_tx", JointType::Slide),
    ("pelvis_ty", JointType::Slide),
    ("pelvis_tilt", JointType::Hinge),
    ("hip_flexion_r", JointType::Hinge),
    ("knee_angle_r", JointType::Hinge),
    ("hip_flexion_l", JointType::Hinge),
    ("knee_angle_l", JointType::Hinge),
    ("ankle_angle_l", JointType::Hinge),
    ("mtp_angle_l", JointType::Hinge),
];

pub fn assign(root: &El, m: &mut Model) -> Result<(), ModelError> {
    let file = root.file.as_path();
    for b in REQUIRED_BODIES {
        if m.body(b).is_none() {
            return Err(ModelError::invalid(
                file,
                format!("missing body '{b}' (every MyoAssist 22-muscle 2-D model has it)"),
            ));
        }
    }
    for (j, t) in REQUIRED_JOINTS {
        let Some(i) = m.joint(j) else {
            return Err(ModelError::invalid(file, format!("missing joint '{j}'")));
        };
        if m.joints[i].jtype != t {
            return Err(ModelError::invalid(
                file,
                format!(
                    "joint '{j}' has the wrong type {:?} (expected {t:?})",
                    m.joints[i].jtype
                ),
            ));
        }
    }
    let stand = m.keyframe("stand").map(|k| k.qpos.clone());
    for (i, j) in m.joints.iter_mut().enumerate() {
        if j.role == Role::Independent && j.damping >= WELD_DAMPING {
            j.role = Role::Welded;
        }
        j.weld_value = stand.as_ref().map(|q| q[i]).unwrap_or(j.qpos0);
    }
    for c in &m.couplings {
        if m.joints[c.driver].role != Role::Independent {
            return Err(ModelError::invalid(
                file,
                format!(
                    "coupling of '{}': its driver '{}' is not an independent joint",
                    m.joints[c.dependent].name, m.joints[c.driver].name
                ),
            ));
        }
    }
    Ok(())
}
