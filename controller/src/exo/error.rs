//! Why an exo parameter slice does not give a usable profile.

use super::pchip::PchipError;

/// One reason per failure. Every one of them makes the original's episode cost 1.2e6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileError {
    /// The slice has the wrong number of values for the profile kind.
    WrongLength,
    /// More n-point knots than [`super::MAX_POINTS`].
    TooManyPoints,
    /// A parameter is NaN or infinite.
    NonFinite,
    /// `max_torque` is negative, NaN or infinite.
    BadMaxTorque,
    /// 4-param: peak time below 50 % of stance.
    PeakTimeBelow50,
    /// 4-param: peak time beyond 100 % of stance.
    PeakTimeAbove100,
    /// 4-param: rise not in (0, peak time).
    RiseOutOfRange,
    /// 4-param: fall not in (0, 100 - peak time).
    FallOutOfRange,
    /// n-point: a torque fraction outside [0.01, 1].
    TorqueOutOfRange,
    /// n-point: a normalised time below 0.
    TimeNegative,
    /// n-point: a normalised time above 1.
    TimeAbove100,
    /// The knot abscissae are not strictly increasing (the original raises ValueError).
    KnotsNotIncreasing,
    /// Any other interpolation failure.
    Spline(PchipError),
}

impl ProfileError {
    /// The original's validity message for the failures its check reports, else a description.
    pub fn message(&self) -> &'static str {
        match self {
            Self::WrongLength => "wrong number of exo parameters",
            Self::TooManyPoints => "too many n-point knots",
            Self::NonFinite => "exo parameter is NaN or infinite",
            Self::BadMaxTorque => "max_torque must be finite and >= 0",
            Self::PeakTimeBelow50 => "Peak time less than 50% of stance phase.",
            Self::PeakTimeAbove100 => "Peak time exceeds 100% of stance phase.",
            Self::RiseOutOfRange => "Rise time must be between 0 and peak time.",
            Self::FallOutOfRange => "Fall time must be within remaining stance after peak.",
            Self::TorqueOutOfRange => "Torque values cannot exceed maximum torque",
            Self::TimeNegative => "Time points cannot be negative.",
            Self::TimeAbove100 => "Time points cannot exceed 100 percent of stance phase.",
            Self::KnotsNotIncreasing => "knot times must be strictly increasing",
            Self::Spline(PchipError::TooFewKnots) => "fewer than 2 knots",
            Self::Spline(PchipError::TooManyKnots) => "too many knots",
            Self::Spline(PchipError::NonFinite) => "knot is NaN or infinite",
            Self::Spline(PchipError::NotIncreasing) => "knot times must be strictly increasing",
        }
    }
}

impl core::fmt::Display for ProfileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}
