extern crate std;
use super::*;
use proptest::prelude::*;

fn sensor(seq: u32, v: f32) -> SensorMsg {
    SensorMsg {
        seq,
        load: [v, -v],
        ankle_angle: [0.1, -0.2],
        ankle_velocity: [1.5, f32::NAN],
        gyro: [0.0, 3.0],
    }
}

#[test]
fn host_and_device_messages_round_trip() {
    let mut out = [0u8; MAX_FRAME];
    let mut scratch = [0u8; MAX_FRAME];
    let m = HostMsg::Tick(sensor(7, 1.25));
    let n = encode(&m, &mut out).unwrap();
    assert_eq!(out[n - 1], 0);
    assert!(!out[..n - 1].contains(&0));
    let back: HostMsg = decode(&out[..n], &mut scratch).unwrap();
    // NaN != NaN: compare the bits
    let (HostMsg::Tick(a), HostMsg::Tick(b)) = (m, back) else {
        panic!("variant")
    };
    assert_eq!(a.ankle_velocity[1].to_bits(), b.ankle_velocity[1].to_bits());
    assert_eq!(a.load, b.load);
    for m in [HostMsg::Skip(3), HostMsg::End] {
        let n = encode(&m, &mut out).unwrap();
        assert_eq!(decode::<HostMsg>(&out[..n], &mut scratch), Ok(m));
    }
    let c = Command {
        seq: 9,
        state: State::Fault,
        reason: Reason::CommsTimeout,
        torque: [1.0, 2.0],
        profile: [3.0, 4.0],
        stance_pct: [5.0, 6.0],
    };
    let d = DeviceMsg::from_command(&c, 11, 2);
    let n = encode(&d, &mut out).unwrap();
    let back: DeviceMsg = decode(&out[..n], &mut scratch).unwrap();
    assert_eq!(back, d);
    assert_eq!(back.to_command(), Some(c));
}

#[test]
fn every_single_bit_flip_is_refused() {
    let mut out = [0u8; MAX_FRAME];
    let mut scratch = [0u8; MAX_FRAME];
    let n = encode(&HostMsg::Tick(sensor(1, 0.5)), &mut out).unwrap();
    for i in 0..n - 1 {
        for b in 0..8 {
            let mut f = out;
            f[i] ^= 1 << b;
            assert!(
                decode::<HostMsg>(&f[..n], &mut scratch).is_err(),
                "flip byte {i} bit {b} accepted"
            );
        }
    }
}

#[test]
fn deframer_splits_and_resyncs() {
    let mut out = [0u8; MAX_FRAME];
    let n = encode(&HostMsg::Skip(5), &mut out).unwrap();
    let mut stream = std::vec![0u8, 0];
    stream.extend_from_slice(&[7u8; 200]);
    stream.push(0);
    stream.extend_from_slice(&out[..n]);
    let mut d = Deframer::default();
    let mut got = std::vec::Vec::new();
    for b in stream {
        if let Some(r) = d.push(b) {
            let mut scratch = [0u8; MAX_FRAME];
            got.push(r.and_then(|f| decode::<HostMsg>(f, &mut scratch)));
        }
    }
    assert_eq!(
        got,
        std::vec![Err(FrameError::Overflow), Ok(HostMsg::Skip(5))]
    );
}

proptest! {
    #[test]
    fn no_byte_sequence_panics_the_decoders(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut scratch = [0u8; MAX_FRAME];
        let _ = decode::<HostMsg>(&bytes, &mut scratch);
        let _ = decode::<DeviceMsg>(&bytes, &mut scratch);
        let mut d = Deframer::default();
        for b in bytes {
            if let Some(Ok(f)) = d.push(b) {
                let mut s2 = [0u8; MAX_FRAME];
                let _ = decode::<HostMsg>(f, &mut s2);
            }
        }
    }

    #[test]
    fn any_sensor_message_round_trips(seq in any::<u32>(), v in proptest::array::uniform8(any::<u32>())) {
        let f = |i: usize| f32::from_bits(v[i]);
        let m = SensorMsg { seq, load: [f(0), f(1)], ankle_angle: [f(2), f(3)], ankle_velocity: [f(4), f(5)], gyro: [f(6), f(7)] };
        let mut out = [0u8; MAX_FRAME];
        let mut scratch = [0u8; MAX_FRAME];
        let n = encode(&HostMsg::Tick(m), &mut out).unwrap();
        let Ok(HostMsg::Tick(b)) = decode::<HostMsg>(&out[..n], &mut scratch) else { panic!("decode") };
        prop_assert_eq!(b.seq, seq);
        prop_assert_eq!(b.gyro[1].to_bits(), v[7]);
    }
}
