//! The float abstraction shared by every module of the controller.

/// Float type the controller is generic over: `f32` (firmware) or `f64` (host).
///
/// `num_traits::Float` with the `libm` backend, so no `std` and identical results on every target.
pub trait Real:
    num_traits::Float + num_traits::FloatConst + core::fmt::Debug + Default + 'static
{
    /// Converts an `f64` constant (parameter tables, scales) into this type.
    #[inline]
    fn c(x: f64) -> Self {
        <Self as num_traits::NumCast>::from(x).unwrap_or_else(Self::nan)
    }
    /// Widens to `f64` (for logging and comparison).
    #[inline]
    fn f64(self) -> f64 {
        num_traits::ToPrimitive::to_f64(&self).unwrap_or(f64::NAN)
    }
}

impl Real for f32 {}
impl Real for f64 {}
