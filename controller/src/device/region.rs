//! The parameter blob as the firmware finds it in its flash region.

use super::{Device, Limits, Reason};
use crate::blob::{self, Blob, DeviceClass, Header, HEADER_LEN, MAX_BLOB_LEN};

/// The blob bytes at the start of a parameter region: as many bytes as the header announces
/// (never past the region, never more than one byte past the largest blob, so an oversized
/// length is still reported by the blob check). Erased flash (first word all 0xFF, or all 0
/// as QEMU's memory starts) is `Reason::BlobMissing`.
pub fn blob_in_region(region: &[u8]) -> Result<&[u8], Reason> {
    let head = &region[..region.len().min(HEADER_LEN)];
    if head.len() < 4 || head[..4].iter().all(|&b| b == 0xFF) || head[..4].iter().all(|&b| b == 0) {
        return Err(Reason::BlobMissing);
    }
    let len = Header::read(head).map_or(head.len(), |h| {
        HEADER_LEN.saturating_add(h.payload_len as usize)
    });
    Ok(&region[..len.min(region.len()).min(MAX_BLOB_LEN + 1)])
}

impl Device<f32> {
    /// The device for a parameter region: the blob's profile if it passes every check of
    /// [`blob::decode`] for this build's device class and torque limit, otherwise a zero-torque
    /// device. Also returns the decoded blob or the reason, for the boot log.
    pub fn from_region(
        region: &[u8],
        class: DeviceClass,
        limits: Limits<f32>,
        dt: f32,
    ) -> (Self, Result<Blob, Reason>) {
        let check = blob::Limits {
            device: Some(class),
            max_torque: limits.max_torque,
        };
        let decoded = blob_in_region(region).and_then(|bytes| {
            blob::decode(bytes, &check).map_err(|r| Reason::BlobInvalid(r.code()))
        });
        let device = match &decoded {
            Ok(b) => Device::new(b.profile, limits, dt),
            Err(r) => Device::rejected(*r, limits, dt),
        };
        (device, decoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::{ExoParamsV1, ProfileParams, Provenance};
    use crate::device::State;

    fn blob() -> ([u8; MAX_BLOB_LEN], usize) {
        let params = ExoParamsV1 {
            max_torque: 30.0,
            profile: ProfileParams::FourParam([0.5, 0.467, 0.90, 0.075]),
            provenance: Provenance::default(),
        };
        let mut buf = [0u8; MAX_BLOB_LEN];
        let len = blob::encode(DeviceClass::Dephy, &params, &mut buf).unwrap();
        (buf, len)
    }

    fn load(region: &[u8]) -> Result<Blob, Reason> {
        Device::from_region(
            region,
            DeviceClass::Dephy,
            Limits::for_max_torque(30.0),
            0.001,
        )
        .1
    }

    #[test]
    fn erased_regions_are_missing() {
        assert_eq!(load(&[0xFF; 256]).unwrap_err(), Reason::BlobMissing);
        assert_eq!(load(&[0; 256]).unwrap_err(), Reason::BlobMissing);
        assert_eq!(load(&[]).unwrap_err(), Reason::BlobMissing);
    }

    #[test]
    fn valid_blob_in_a_larger_region() {
        let (buf, len) = blob();
        let mut region = [0xFFu8; 1024];
        region[..len].copy_from_slice(&buf[..len]);
        assert!(load(&region).is_ok());
    }

    #[test]
    fn damaged_blobs_give_their_reason_and_zero_torque() {
        let (buf, len) = blob();
        let mut region = [0xFFu8; 1024];
        region[..len].copy_from_slice(&buf[..len]);
        region[len - 1] ^= 1;
        assert_eq!(
            load(&region).unwrap_err(),
            Reason::BlobInvalid(blob::Reason::PayloadCrc.code())
        );
        // a truncated write leaves erased flash where the payload should be: CRC mismatch
        let mut region = [0xFFu8; 1024];
        region[..len - 3].copy_from_slice(&buf[..len - 3]);
        assert_eq!(
            load(&region).unwrap_err(),
            Reason::BlobInvalid(blob::Reason::PayloadCrc.code())
        );
        // the header alone at the very end of a region
        assert_eq!(
            load(&buf[..HEADER_LEN + 2]).unwrap_err(),
            Reason::BlobInvalid(blob::Reason::Truncated.code())
        );
        // another device's blob
        let (mut dev, r) = Device::from_region(
            &buf[..len],
            DeviceClass::Tutorial,
            Limits::for_max_torque(100.0),
            0.001,
        );
        assert_eq!(
            r.unwrap_err(),
            Reason::BlobInvalid(blob::Reason::WrongDevice.code())
        );
        let c = dev.step(Some(&Default::default()), false);
        assert_eq!((c.state, c.torque), (State::Fault, [0.0, 0.0]));
        // a profile above this device's limit
        assert_eq!(
            Device::from_region(
                &buf[..len],
                DeviceClass::Dephy,
                Limits::for_max_torque(10.0),
                0.001
            )
            .1
            .unwrap_err(),
            Reason::BlobInvalid(blob::Reason::DryRunOverLimit.code())
        );
    }
}
