//! `cargo bench -p controller --bench exo`: cost of one exo control step (one leg: stance
//! estimator + PCHIP + clamp) in f64 and f32 on the host, and of decoding + validating a blob
//! (header, postcard, checks, 1001-point dry run).

use controller::blob::{self, DeviceClass, ExoParamsV1, Limits, ProfileParams, Provenance};
use controller::exo::{ExoController, ExoKind};
use controller::float::Real;
use std::hint::black_box;
use std::time::Instant;

fn loads(n: usize) -> Vec<f64> {
    // 0.7 s stance / 0.4 s swing at 1 kHz.
    (0..n)
        .map(|i| {
            let t = i % 1100;
            if t < 700 {
                0.12 + (core::f64::consts::PI * (t as f64 + 0.5) / 700.0).sin()
            } else {
                0.02
            }
        })
        .collect()
}

fn step_ns<T: Real>(kind: ExoKind, p: &[f64]) -> f64 {
    let p: Vec<T> = p.iter().map(|&v| T::c(v)).collect();
    let mut exo = ExoController::<T>::new(kind, &p, T::c(100.0), false).expect("valid profile");
    let l: Vec<T> = loads(110_000).into_iter().map(T::c).collect();
    let dt = T::c(0.001);
    let start = Instant::now();
    let mut acc = T::zero();
    for _ in 0..10 {
        for &x in &l {
            acc = acc + exo.step(black_box(x), dt);
        }
    }
    black_box(acc);
    start.elapsed().as_nanos() as f64 / (10 * l.len()) as f64
}

fn main() {
    let four = [0.5, 0.467, 0.9, 0.075];
    let six = [
        0.0625, 0.125, 0.25, 0.5, 0.25, 0.125, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
    ];
    println!(
        "exo/step 4-param f64: {:.1} ns",
        step_ns::<f64>(ExoKind::FourParam, &four)
    );
    println!(
        "exo/step 4-param f32: {:.1} ns",
        step_ns::<f32>(ExoKind::FourParam, &four)
    );
    println!(
        "exo/step 6-point f64: {:.1} ns",
        step_ns::<f64>(ExoKind::NPoint(6), &six)
    );
    println!(
        "exo/step 6-point f32: {:.1} ns",
        step_ns::<f32>(ExoKind::NPoint(6), &six)
    );
    let p = ExoParamsV1 {
        max_torque: 100.0,
        profile: ProfileParams::FourParam([0.5, 0.467, 0.9, 0.075]),
        provenance: Provenance::default(),
    };
    let mut buf = [0u8; blob::MAX_BLOB_LEN];
    let len = blob::encode(DeviceClass::Dephy, &p, &mut buf).expect("encode");
    let limits = Limits {
        device: Some(DeviceClass::Dephy),
        max_torque: 100.0,
    };
    let n = 2000;
    let start = Instant::now();
    for _ in 0..n {
        black_box(blob::decode(black_box(&buf[..len]), &limits).is_ok());
    }
    println!(
        "blob/decode+validate 4-param: {:.2} us",
        start.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
