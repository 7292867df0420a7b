//! The parameter blob: round trips, one crafted blob per reason code, and no byte sequence
//! panics the decoder.

use controller::blob::{
    self, crc32, decode, encode, DeviceClass, ExoParamsV1, Limits, ProfileParams, Provenance,
    Reason, HEADER_LEN, MAX_BLOB_LEN, MAX_PAYLOAD_LEN,
};
use controller::exo::{ExoController, ExoKind, Profile, MAX_POINTS};
use proptest::prelude::*;

const LIMITS: Limits = Limits {
    device: None,
    max_torque: 100.0,
};

fn four(p: [f32; 4], max_torque: f32) -> ExoParamsV1 {
    ExoParamsV1 {
        max_torque,
        profile: ProfileParams::FourParam(p),
        provenance: Provenance::default(),
    }
}

fn npoint(c: &[f32], u: &[f32], max_torque: f32) -> ExoParamsV1 {
    let mut torques = [0.0; MAX_POINTS];
    let mut times = [0.0; MAX_POINTS];
    torques[..c.len()].copy_from_slice(c);
    times[..u.len()].copy_from_slice(u);
    ExoParamsV1 {
        max_torque,
        profile: ProfileParams::NPoint {
            n: c.len() as u8,
            torques,
            times,
        },
        provenance: Provenance::default(),
    }
}

fn bytes_of(device: DeviceClass, p: &ExoParamsV1) -> Vec<u8> {
    let mut buf = [0u8; MAX_BLOB_LEN];
    let len = encode(device, p, &mut buf).expect("encode");
    buf[..len].to_vec()
}

/// Recomputes both CRCs after a deliberate edit (so the edit, not the CRC, is what is caught).
fn fix_crcs(b: &mut [u8]) {
    let pc = crc32(&b[HEADER_LEN..]);
    b[16..20].copy_from_slice(&pc.to_le_bytes());
    let hc = crc32(&b[..20]);
    b[20..24].copy_from_slice(&hc.to_le_bytes());
}

fn default_blob() -> Vec<u8> {
    bytes_of(
        DeviceClass::Tutorial,
        &four([0.5, 0.467, 0.9, 0.075], 100.0),
    )
}

fn reason(b: &[u8], limits: &Limits) -> Reason {
    match decode(b, limits) {
        Ok(_) => panic!("accepted a malformed blob"),
        Err(r) => r,
    }
}

#[test]
fn round_trip_four_param_and_every_n() {
    let p = four([0.5, 0.467, 0.9, 0.075], 100.0);
    let b = decode(&bytes_of(DeviceClass::Dephy, &p), &LIMITS).expect("valid");
    assert_eq!(b.params, p);
    assert_eq!(b.device, DeviceClass::Dephy);
    assert_eq!(
        b.profile,
        Profile::new(
            ExoKind::FourParam,
            &[0.5f32, 0.467, 0.9, 0.075],
            100.0,
            false
        )
        .unwrap()
    );
    assert_eq!(b.peak_torque, 50.0);
    for n in 1..=MAX_POINTS {
        let mut slice = vec![0.0f32; 2 * n];
        ExoKind::NPoint(n).defaults(&mut slice).unwrap();
        let p = npoint(&slice[..n], &slice[n..], 10.0);
        let got = decode(&bytes_of(DeviceClass::Humotech, &p), &LIMITS);
        if n >= 12 {
            // The original's geometric x0 puts 0.5 / 2^6 < 0.01 on the first knot: invalid there too.
            assert_eq!(got.err(), Some(Reason::TorqueOutOfBounds), "n={n}");
            continue;
        }
        let b = got.unwrap_or_else(|r| panic!("n={n}: {r}"));
        assert_eq!(
            b.profile,
            Profile::new(ExoKind::NPoint(n), &slice, 10.0, false).unwrap()
        );
    }
}

#[test]
fn largest_payload_is_the_constant() {
    let mut p = npoint(&[1.0; MAX_POINTS], &[0.5; MAX_POINTS], 1000.0);
    p.provenance = Provenance {
        param_count: u16::MAX,
        source_crc32: u32::MAX,
        created_unix: u64::MAX,
        tool_version: [255; 3],
    };
    let b = bytes_of(DeviceClass::Dephy, &p);
    assert_eq!(b.len(), MAX_BLOB_LEN);
    assert_eq!(b.len() - HEADER_LEN, MAX_PAYLOAD_LEN);
    let mut small = [0u8; MAX_BLOB_LEN - 1];
    assert_eq!(
        encode(DeviceClass::Dephy, &p, &mut small),
        Err(Reason::BufferTooSmall)
    );
}

#[test]
fn every_header_failure_has_its_code() {
    let good = default_blob();
    let edit = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = good.clone();
        f(&mut b);
        b
    };
    let cases: Vec<(Reason, Vec<u8>)> = vec![
        (Reason::TooShort, good[..HEADER_LEN - 1].to_vec()),
        (Reason::TooShort, vec![]),
        (Reason::BadMagic, edit(&|b| b[0] = b'X')),
        (
            Reason::UnsupportedHeaderVersion,
            edit(&|b| {
                b[4] = 2;
                fix_crcs(b)
            }),
        ),
        (Reason::HeaderCrc, edit(&|b| b[21] ^= 1)),
        (Reason::HeaderCrc, edit(&|b| b[12] = 3)),
        (
            Reason::UnknownPayloadKind,
            edit(&|b| {
                b[6] = 9;
                fix_crcs(b)
            }),
        ),
        (
            Reason::UnknownDevice,
            edit(&|b| {
                b[12] = 99;
                fix_crcs(b)
            }),
        ),
        (
            Reason::UnknownSplineConvention,
            edit(&|b| {
                b[14] = 2;
                fix_crcs(b)
            }),
        ),
        (
            Reason::PayloadTooLong,
            edit(&|b| {
                b[8..12].copy_from_slice(&1000u32.to_le_bytes());
                fix_crcs(b)
            }),
        ),
        (Reason::Truncated, good[..good.len() - 1].to_vec()),
        (Reason::Truncated, good[..HEADER_LEN].to_vec()),
        (Reason::TrailingBytes, edit(&|b| b.push(0))),
        (Reason::PayloadCrc, edit(&|b| b[HEADER_LEN + 3] ^= 0x40)),
        (
            Reason::UnsupportedPayloadVersion,
            edit(&|b| {
                b[HEADER_LEN] = 1;
                fix_crcs(b)
            }),
        ),
        (
            Reason::Decode,
            edit(&|b| {
                b[HEADER_LEN + 5] = 7;
                fix_crcs(b)
            }),
        ),
        (
            Reason::PayloadTrailing,
            edit(&|b| {
                b.push(0);
                let len = (b.len() - HEADER_LEN) as u32;
                b[8..12].copy_from_slice(&len.to_le_bytes());
                fix_crcs(b)
            }),
        ),
    ];
    for (want, b) in cases {
        assert_eq!(reason(&b, &LIMITS), want, "{b:?}");
    }
    let dephy_only = Limits {
        device: Some(DeviceClass::Dephy),
        max_torque: 100.0,
    };
    assert_eq!(reason(&good, &dephy_only), Reason::WrongDevice);
    let bad_limit = Limits {
        device: None,
        max_torque: f32::NAN,
    };
    assert_eq!(reason(&good, &bad_limit), Reason::BadLimits);
}

#[test]
fn every_payload_failure_has_its_code() {
    let ok = [0.5, 0.467, 0.9, 0.075];
    let with = |i: usize, v: f32| {
        let mut p = ok;
        p[i] = v;
        four(p, 100.0)
    };
    let mut unused = npoint(&[0.5, 0.5], &[0.5, 0.5], 10.0);
    if let ProfileParams::NPoint { torques, .. } = &mut unused.profile {
        torques[5] = 0.1;
    }
    let cases: Vec<(Reason, ExoParamsV1, f32)> = vec![
        (Reason::NonFinite, with(0, f32::NAN), 100.0),
        (Reason::NonFinite, with(2, f32::INFINITY), 100.0),
        (Reason::NonFinite, four(ok, f32::NAN), 100.0),
        (
            Reason::NonFinite,
            npoint(&[0.5, f32::NAN], &[0.5, 0.5], 10.0),
            100.0,
        ),
        (Reason::MaxTorqueOutOfBounds, four(ok, 0.0), 100.0),
        (Reason::MaxTorqueOutOfBounds, four(ok, -5.0), 100.0),
        (Reason::MaxTorqueOutOfBounds, four(ok, 2000.0), 5000.0),
        (Reason::PointCountOutOfBounds, npoint(&[], &[], 10.0), 100.0),
        (Reason::UnusedNotZero, unused, 100.0),
        (Reason::TorqueOutOfBounds, with(0, 1.5), 100.0),
        (Reason::TorqueOutOfBounds, with(0, -0.1), 100.0),
        (
            Reason::TorqueOutOfBounds,
            npoint(&[0.5, 0.005], &[0.5, 0.5], 10.0),
            100.0,
        ),
        (Reason::TimeOutOfBounds, with(3, 1.2), 100.0),
        (
            Reason::TimeOutOfBounds,
            npoint(&[0.5, 0.5], &[0.5, -0.1], 10.0),
            100.0,
        ),
        (Reason::PeakTimeOutOfRange, with(2, 0.4), 100.0),
        (Reason::RiseOutOfRange, with(1, 0.95), 100.0),
        (Reason::RiseOutOfRange, with(1, 0.0), 100.0),
        (Reason::FallOutOfRange, with(3, 0.2), 100.0),
        (
            Reason::KnotsNotIncreasing,
            npoint(&[0.5, 0.5], &[0.0, 0.5], 10.0),
            100.0,
        ),
        (
            Reason::KnotsNotIncreasing,
            npoint(&[0.5, 0.5], &[1.0, 0.0], 10.0),
            100.0,
        ),
        (Reason::DryRunOverLimit, four(ok, 100.0), 49.0),
    ];
    for (want, p, limit) in cases {
        let b = bytes_of(DeviceClass::Tutorial, &p);
        assert_eq!(
            reason(
                &b,
                &Limits {
                    device: None,
                    max_torque: limit
                }
            ),
            want,
            "{p:?}"
        );
    }
    // n above MAX_POINTS cannot be written through the typed API: patch the n byte.
    let mut b = bytes_of(DeviceClass::Tutorial, &npoint(&[0.5; 2], &[0.5; 2], 10.0));
    b[HEADER_LEN + 6] = (MAX_POINTS + 1) as u8;
    fix_crcs(&mut b);
    assert_eq!(reason(&b, &LIMITS), Reason::PointCountOutOfBounds);
    // The dry run's peak is exactly the limit: accepted.
    assert!(decode(
        &bytes_of(DeviceClass::Tutorial, &four(ok, 100.0)),
        &Limits {
            device: None,
            max_torque: 50.0
        }
    )
    .is_ok());
}

#[test]
fn reason_codes_are_unique_and_stable() {
    for (i, r) in Reason::ALL.iter().enumerate() {
        assert_eq!(r.code() as usize, i + 1);
        assert_eq!(Reason::from_code(r.code()), Some(*r));
    }
    assert_eq!(Reason::from_code(0), None);
}

fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => 0.0..1.0f32,
        1 => prop::sample::select(vec![0.0, 1.0, 0.01, -0.0, f32::NAN, f32::INFINITY, -1.0, 2.0]),
        1 => any::<f32>(),
    ]
}

fn any_params() -> impl Strategy<Value = ExoParamsV1> {
    let four = (prop::array::uniform4(any_f32()), any_f32()).prop_map(|(p, m)| four(p, m * 100.0));
    let np = (
        1usize..=MAX_POINTS,
        prop::collection::vec(any_f32(), 2 * MAX_POINTS),
        0.0..200.0f32,
    )
        .prop_map(|(n, v, m)| npoint(&v[..n], &v[MAX_POINTS..MAX_POINTS + n], m));
    prop_oneof![four, np]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2 * MAX_BLOB_LEN)) {
        let _ = decode(&bytes, &LIMITS);
        // Also behind a valid header, so the payload decoder sees the random bytes.
        let mut b = default_blob()[..HEADER_LEN].to_vec();
        b.extend_from_slice(&bytes);
        let len = (b.len() - HEADER_LEN) as u32;
        b[8..12].copy_from_slice(&len.to_le_bytes());
        fix_crcs(&mut b);
        let _ = decode(&b, &LIMITS);
    }

    #[test]
    fn mutated_blobs_never_panic(p in any_params(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4), cut in any::<usize>(), fix in any::<bool>()) {
        let mut b = bytes_of(DeviceClass::Dephy, &p);
        for (at, x) in flips {
            let i = at % b.len();
            b[i] ^= x;
        }
        if fix { fix_crcs(&mut b); }
        let _ = decode(&b, &LIMITS);
        let _ = decode(&b[..cut % (b.len() + 1)], &LIMITS);
    }

    #[test]
    fn accepted_blobs_are_safe(p in any_params(), limit in 1.0..150.0f32, loads in prop::collection::vec(0.0..1.5f32, 0..300)) {
        let b = bytes_of(DeviceClass::OpenExo, &p);
        if let Ok(d) = decode(&b, &Limits { device: Some(DeviceClass::OpenExo), max_torque: limit }) {
            prop_assert!(d.peak_torque <= limit);
            let mut exo = ExoController::from_profile(d.profile);
            for l in loads {
                let t = exo.step(l, 0.001);
                prop_assert!(t.is_finite() && t >= 0.0 && t <= limit && t <= d.params.max_torque);
            }
        }
    }
}

#[test]
fn crc_and_header_docs_agree() {
    let b = default_blob();
    let h = blob::Header::read(&b).unwrap();
    assert_eq!(h.magic, *b"MYOX");
    assert_eq!(h.payload_len as usize, b.len() - HEADER_LEN);
    assert_eq!(h.header_crc, crc32(&b[..20]));
}
