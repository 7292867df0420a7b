//! The optimisation (cost) types of the original and their names.

/// Cost type, selected by one of the mutually exclusive cost flags (`-kine`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CostType {
    Effort,
    EffKnee,
    Velocity,
    VelGrf,
    Classic,
    Kine,
    KineGrf,
    Combined,
    KineGrfMusc,
    VelMusc,
    VelMuscGrf,
}

impl CostType {
    /// Every type, in the order of the original's flag list.
    pub const ALL: [CostType; 11] = [
        CostType::Effort,
        CostType::EffKnee,
        CostType::Velocity,
        CostType::VelGrf,
        CostType::Classic,
        CostType::Kine,
        CostType::KineGrf,
        CostType::Combined,
        CostType::KineGrfMusc,
        CostType::VelMusc,
        CostType::VelMuscGrf,
    ];

    /// The original's internal name (`optim_type`), used in trial names and in the reference
    /// files' `totals`: `Effort`, `Eff_Knee`, `Velocity`, `Vel_grf`, `Classic`, `Kine`,
    /// `Kine_grf`, `Combined`, `Kine_grf_musc`, `vel_musc`, `vel_musc_grf`.
    pub fn long_name(self) -> &'static str {
        match self {
            CostType::Effort => "Effort",
            CostType::EffKnee => "Eff_Knee",
            CostType::Velocity => "Velocity",
            CostType::VelGrf => "Vel_grf",
            CostType::Classic => "Classic",
            CostType::Kine => "Kine",
            CostType::KineGrf => "Kine_grf",
            CostType::Combined => "Combined",
            CostType::KineGrfMusc => "Kine_grf_musc",
            CostType::VelMusc => "vel_musc",
            CostType::VelMuscGrf => "vel_musc_grf",
        }
    }

    /// The config key / long flag that selects it (`kinematics` for `-kine`).
    pub fn key(self) -> &'static str {
        crate::config::keys::COST_KEYS[self as usize]
    }

    /// Parses the original's internal name.
    pub fn from_long_name(s: &str) -> Option<CostType> {
        CostType::ALL.into_iter().find(|c| c.long_name() == s)
    }

    /// Parses a config key (`kinematics`).
    pub fn from_key(s: &str) -> Option<CostType> {
        CostType::ALL.into_iter().find(|c| c.key() == s)
    }
}
