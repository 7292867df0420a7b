//! The 11 muscle groups per leg the 2-D reflex controller drives, and their MuJoCo actuators.

/// A muscle group of one leg (the original's `m_keys` without the 3-D HAB/HAD).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Muscle {
    Hfl,
    Glu,
    Ham,
    Rf,
    Vas,
    Bfsh,
    Gas,
    Sol,
    Ta,
    Fdl,
    Edl,
}

/// Number of muscle groups per leg.
pub const N_MUSCLES: usize = 11;

/// Output order of the controller (and of the reference `out_<s>_stim_<MUS>` columns).
pub const MUSCLES: [Muscle; N_MUSCLES] = [
    Muscle::Hfl,
    Muscle::Glu,
    Muscle::Ham,
    Muscle::Rf,
    Muscle::Vas,
    Muscle::Bfsh,
    Muscle::Gas,
    Muscle::Sol,
    Muscle::Ta,
    Muscle::Fdl,
    Muscle::Edl,
];

/// Legs, right first as in the original's arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    R = 0,
    L = 1,
}

impl Side {
    /// Both sides, right first.
    pub const BOTH: [Side; 2] = [Side::R, Side::L];
    /// Array index (0 = right, 1 = left).
    pub const fn idx(self) -> usize {
        self as usize
    }
    /// The other leg.
    pub const fn other(self) -> Side {
        match self {
            Side::R => Side::L,
            Side::L => Side::R,
        }
    }
    /// `r` or `l`, as in column names.
    pub const fn letter(self) -> &'static str {
        match self {
            Side::R => "r",
            Side::L => "l",
        }
    }
}

impl Muscle {
    /// Position in [`MUSCLES`].
    pub const fn idx(self) -> usize {
        self as usize
    }
    /// The original's group name (`HFL`, `GLU`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Muscle::Hfl => "HFL",
            Muscle::Glu => "GLU",
            Muscle::Ham => "HAM",
            Muscle::Rf => "RF",
            Muscle::Vas => "VAS",
            Muscle::Bfsh => "BFSH",
            Muscle::Gas => "GAS",
            Muscle::Sol => "SOL",
            Muscle::Ta => "TA",
            Muscle::Fdl => "FDL",
            Muscle::Edl => "EDL",
        }
    }
    /// The MuJoCo actuator base name (suffix `_r`/`_l`) of the 22-muscle 2-D models.
    pub const fn actuator(self) -> &'static str {
        match self {
            Muscle::Hfl => "iliopsoas",
            Muscle::Glu => "glutmax",
            Muscle::Ham => "hamstrings",
            Muscle::Rf => "rectfem",
            Muscle::Vas => "vasti",
            Muscle::Bfsh => "bifemsh",
            Muscle::Gas => "gastroc",
            Muscle::Sol => "soleus",
            Muscle::Ta => "tibant",
            Muscle::Fdl => "fdl",
            Muscle::Edl => "edl",
        }
    }
}

/// MuJoCo actuator order of the 22 muscles (`host::engine::MUSCLE_NAMES`): per side r then l,
/// hamstrings, bifemsh, edl, fdl, glutmax, iliopsoas, rectfem, vasti, gastroc, soleus, tibant
/// (as the compiled models list them; a host test checks the two tables agree).
pub const ACTUATOR_ORDER: [Muscle; N_MUSCLES] = [
    Muscle::Ham,
    Muscle::Bfsh,
    Muscle::Edl,
    Muscle::Fdl,
    Muscle::Glu,
    Muscle::Hfl,
    Muscle::Rf,
    Muscle::Vas,
    Muscle::Gas,
    Muscle::Sol,
    Muscle::Ta,
];
