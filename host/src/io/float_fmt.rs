//! Exact (shortest round-trip) float text.

/// Shortest text that parses back to exactly `x`: plain decimals for 1e-5 <= |x| < 1e16 and
/// integers, exponent form otherwise (`5.6e-5`), `inf`, `-inf`, `nan` like Python. `-0.0` keeps
/// its sign.
pub fn fmt_f64(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = x.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        format!("{x:e}")
    }
}

/// `%.18e` as C/NumPy write it (`1.345636905192875600e+00`), the MyoAssist parameter-file
/// format.
pub fn fmt_e18(x: f64) -> String {
    if !x.is_finite() {
        return fmt_f64(x);
    }
    let s = format!("{x:.18e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for &x in &[
            0.0,
            -0.0,
            1.0,
            0.1,
            1.0 / 3.0,
            5.667742002829811e-05,
            1e300,
            -2.5e-320,
            123456789.0,
            1e16,
        ] {
            let s = fmt_f64(x);
            let y: f64 = s.parse().unwrap();
            assert_eq!(x.to_bits(), y.to_bits(), "{x} -> {s}");
        }
        assert_eq!(fmt_f64(1.0), "1.0");
        assert_eq!(fmt_f64(-0.0), "-0.0");
        assert_eq!(fmt_e18(1.3456369051928756), "1.345636905192875599e+00");
        assert_eq!(fmt_e18(0.00014169355007074527), "1.416935500707452739e-04");
        assert_eq!(fmt_e18(1e100), "1.000000000000000016e+100");
    }
}
