#![no_main]
//! Any byte sequence: the decoder returns a blob or a reason, never panics; an accepted blob
//! never commands more than the limit.

use controller::blob::{decode, DeviceClass, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for device in [None, Some(DeviceClass::Dephy)] {
        let limits = Limits { device, max_torque: 40.0 };
        if let Ok(b) = decode(data, &limits) {
            assert!(b.peak_torque <= 40.0);
        }
    }
});
