//! Why a blob was rejected: one code per failure, stable numbers (logged by the firmware,
//! printed by `myoreflex export --inspect`).

/// Reject reason. The numeric code (`as u8`) never changes meaning; new reasons get new codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Reason {
    /// Fewer bytes than the fixed header.
    TooShort = 1,
    /// The first 4 bytes are not [`super::MAGIC`].
    BadMagic = 2,
    /// Header layout version not supported by this decoder.
    UnsupportedHeaderVersion = 3,
    /// The header CRC does not match the header bytes.
    HeaderCrc = 4,
    /// Payload kind not known to this decoder.
    UnknownPayloadKind = 5,
    /// Device class code not known to this decoder.
    UnknownDevice = 6,
    /// The blob was made for another device than the one this firmware drives.
    WrongDevice = 7,
    /// Spline convention not known to this decoder.
    UnknownSplineConvention = 8,
    /// The header announces more payload than [`super::MAX_PAYLOAD_LEN`].
    PayloadTooLong = 9,
    /// Fewer bytes than header + announced payload.
    Truncated = 10,
    /// More bytes than header + announced payload.
    TrailingBytes = 11,
    /// The payload CRC does not match the payload bytes.
    PayloadCrc = 12,
    /// Payload format version (the versioned enum's variant) not supported.
    UnsupportedPayloadVersion = 13,
    /// The payload does not decode (postcard error).
    Decode = 14,
    /// The payload decodes but leaves bytes unused.
    PayloadTrailing = 15,
    /// A float in the payload is NaN or infinite.
    NonFinite = 16,
    /// `max_torque` is not in (0, [`super::MAX_TORQUE_BOUND`]].
    MaxTorqueOutOfBounds = 17,
    /// n-point count is 0 or above [`crate::exo::MAX_POINTS`].
    PointCountOutOfBounds = 18,
    /// Unused n-point array entries are not zero.
    UnusedNotZero = 19,
    /// A normalised torque is outside its bounds ([0, 1]; n-point [0.01, 1]).
    TorqueOutOfBounds = 20,
    /// A normalised time is outside [0, 1].
    TimeOutOfBounds = 21,
    /// 4-param peak time outside [50, 100] % stance.
    PeakTimeOutOfRange = 22,
    /// 4-param rise not in (0, peak time).
    RiseOutOfRange = 23,
    /// 4-param fall not in (0, 100 - peak time).
    FallOutOfRange = 24,
    /// Knot times do not strictly increase.
    KnotsNotIncreasing = 25,
    /// The dry run of the profile produced a NaN or infinite torque.
    DryRunNonFinite = 26,
    /// The dry run of the profile exceeds the device torque limit given by the caller.
    DryRunOverLimit = 27,
    /// The caller's device torque limit is not a positive finite number (a firmware bug).
    BadLimits = 28,
    /// The output buffer is too small to encode the blob (host side).
    BufferTooSmall = 29,
}

impl Reason {
    /// Every reason, in code order.
    pub const ALL: [Reason; 29] = [
        Self::TooShort,
        Self::BadMagic,
        Self::UnsupportedHeaderVersion,
        Self::HeaderCrc,
        Self::UnknownPayloadKind,
        Self::UnknownDevice,
        Self::WrongDevice,
        Self::UnknownSplineConvention,
        Self::PayloadTooLong,
        Self::Truncated,
        Self::TrailingBytes,
        Self::PayloadCrc,
        Self::UnsupportedPayloadVersion,
        Self::Decode,
        Self::PayloadTrailing,
        Self::NonFinite,
        Self::MaxTorqueOutOfBounds,
        Self::PointCountOutOfBounds,
        Self::UnusedNotZero,
        Self::TorqueOutOfBounds,
        Self::TimeOutOfBounds,
        Self::PeakTimeOutOfRange,
        Self::RiseOutOfRange,
        Self::FallOutOfRange,
        Self::KnotsNotIncreasing,
        Self::DryRunNonFinite,
        Self::DryRunOverLimit,
        Self::BadLimits,
        Self::BufferTooSmall,
    ];

    /// The stable numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The reason for a code, if it is one.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }

    /// Short identifier (`snake_case`), for logs and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::BadMagic => "bad_magic",
            Self::UnsupportedHeaderVersion => "unsupported_header_version",
            Self::HeaderCrc => "header_crc",
            Self::UnknownPayloadKind => "unknown_payload_kind",
            Self::UnknownDevice => "unknown_device",
            Self::WrongDevice => "wrong_device",
            Self::UnknownSplineConvention => "unknown_spline_convention",
            Self::PayloadTooLong => "payload_too_long",
            Self::Truncated => "truncated",
            Self::TrailingBytes => "trailing_bytes",
            Self::PayloadCrc => "payload_crc",
            Self::UnsupportedPayloadVersion => "unsupported_payload_version",
            Self::Decode => "decode",
            Self::PayloadTrailing => "payload_trailing",
            Self::NonFinite => "non_finite",
            Self::MaxTorqueOutOfBounds => "max_torque_out_of_bounds",
            Self::PointCountOutOfBounds => "point_count_out_of_bounds",
            Self::UnusedNotZero => "unused_not_zero",
            Self::TorqueOutOfBounds => "torque_out_of_bounds",
            Self::TimeOutOfBounds => "time_out_of_bounds",
            Self::PeakTimeOutOfRange => "peak_time_out_of_range",
            Self::RiseOutOfRange => "rise_out_of_range",
            Self::FallOutOfRange => "fall_out_of_range",
            Self::KnotsNotIncreasing => "knots_not_increasing",
            Self::DryRunNonFinite => "dry_run_non_finite",
            Self::DryRunOverLimit => "dry_run_over_limit",
            Self::BadLimits => "bad_limits",
            Self::BufferTooSmall => "buffer_too_small",
        }
    }
}

impl core::fmt::Display for Reason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} (code {})", self.name(), self.code())
    }
}
