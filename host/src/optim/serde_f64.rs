//! Exact, JSON-safe serde for f64 values that may be infinite or NaN: finite values are
//! written as numbers (read back bit-exactly with serde_json's `float_roundtrip`), the others
//! as the strings "inf", "-inf" and "nan". Use with `#[serde(with = "serde_f64")]` or
//! `serde_f64::vec`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Repr {
    Num(f64),
    Text(String),
}

fn to_repr(x: f64) -> Repr {
    if x.is_finite() {
        Repr::Num(x)
    } else if x.is_nan() {
        Repr::Text("nan".into())
    } else if x > 0.0 {
        Repr::Text("inf".into())
    } else {
        Repr::Text("-inf".into())
    }
}

fn from_repr<E: serde::de::Error>(r: Repr) -> Result<f64, E> {
    match r {
        Repr::Num(x) => Ok(x),
        Repr::Text(s) => match s.as_str() {
            "inf" => Ok(f64::INFINITY),
            "-inf" => Ok(f64::NEG_INFINITY),
            "nan" => Ok(f64::NAN),
            other => Err(E::custom(format!(
                "expected a number, \"inf\", \"-inf\" or \"nan\", found \"{other}\""
            ))),
        },
    }
}

pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    to_repr(*x).serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    from_repr(Repr::deserialize(d)?)
}

/// The same for `Vec<f64>`.
pub mod vec {
    use super::*;

    pub fn serialize<S: Serializer>(x: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<Repr> = x.iter().map(|v| to_repr(*v)).collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<Repr>::deserialize(d)?
            .into_iter()
            .map(from_repr)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize)]
    struct T {
        #[serde(with = "super")]
        a: f64,
        #[serde(with = "super::vec")]
        v: Vec<f64>,
    }

    #[test]
    fn round_trip_is_bit_exact() {
        let mut rng = super::super::rng::Rng::new(3);
        let mut v: Vec<f64> = (0..2000)
            .map(|_| rng.normal() * 10f64.powi((rng.uniform() * 600.0) as i32 - 300))
            .collect();
        v.extend([
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1 + 0.2,
            f64::MIN_POSITIVE,
            5e-324,
            -0.0,
        ]);
        let t = T {
            a: f64::NAN,
            v: v.clone(),
        };
        let s = serde_json::to_string(&t).unwrap();
        let back: T = serde_json::from_str(&s).unwrap();
        assert!(back.a.is_nan());
        for (x, y) in v.iter().zip(&back.v) {
            assert_eq!(x.to_bits(), y.to_bits(), "{x} vs {y}");
        }
    }
}
