//! Header enumerations: device class, spline convention, payload kind.

/// The device a blob was tuned for (MyoAssist's model variants with an exo).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum DeviceClass {
    /// Dephy ExoBoot (ankle).
    Dephy = 1,
    /// Hurotics H-MEDI (hip, cable).
    Hmedi = 2,
    /// Humotech EXO-010 (ankle).
    Humotech = 3,
    /// MyoAssist tutorial exo (ankle).
    Tutorial = 4,
    /// OpenExo (ankle).
    OpenExo = 5,
}

impl DeviceClass {
    /// Every device class.
    pub const ALL: [DeviceClass; 5] = [
        Self::Dephy,
        Self::Hmedi,
        Self::Humotech,
        Self::Tutorial,
        Self::OpenExo,
    ];

    /// The header code.
    pub fn code(self) -> u16 {
        self as u16
    }

    /// The class for a header code.
    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.code() == code)
    }

    /// Lower-case name, as `--device` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dephy => "dephy",
            Self::Hmedi => "hmedi",
            Self::Humotech => "humotech",
            Self::Tutorial => "tutorial",
            Self::OpenExo => "openexo",
        }
    }

    /// The class for a `--device` name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.name() == name)
    }
}

/// How the profile parameters are to be read (`../shared/spec/embedded.md` section 0.2: "4
/// parameters" means different things in different codebases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum SplineConvention {
    /// MyoAssist: % of stance from the stance estimator, PCHIP through the original's knots,
    /// 4-param = (peak torque, rise duration, peak time, fall duration), n-point segment-binned.
    MyoAssistPctStance = 1,
}

impl SplineConvention {
    /// The header code.
    pub fn from_code(code: u16) -> Option<Self> {
        match code {
            1 => Some(Self::MyoAssistPctStance),
            _ => None,
        }
    }
}

/// What the payload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum PayloadKind {
    /// An exo torque profile ([`super::Payload`]).
    ExoProfile = 1,
}

impl PayloadKind {
    /// The header code.
    pub fn from_code(code: u16) -> Option<Self> {
        match code {
            1 => Some(Self::ExoProfile),
            _ => None,
        }
    }
}
