//! Malformed blobs: the firmware must stay at zero torque from the first step, latch the blob
//! check's reason code and log it, for every way a blob can be damaged in flash.

use crate::check::{host_commands, region, same_commands, DEFAULT_DT, QEMU_DEVICE, QEMU_MAX_TORQUE};
use crate::inputs::{synthetic_walk, Tick};
use crate::{Ctx, Test};
use controller::blob::{self, crc32, DeviceClass, ExoParamsV1, Header, ProfileParams, Provenance, Reason as BlobReason, HEADER_LEN, MAX_BLOB_LEN};
use controller::device::{Device, Limits, Reason, State};

fn encode(class: DeviceClass, max_torque: f32, profile: ProfileParams) -> Vec<u8> {
    let p = ExoParamsV1 { max_torque, profile, provenance: Provenance::default() };
    let mut buf = [0u8; MAX_BLOB_LEN];
    let len = blob::encode(class, &p, &mut buf).unwrap_or(0);
    buf[..len].to_vec()
}

/// A valid blob for the QEMU device (4-param defaults, 80 N m).
pub fn good() -> Vec<u8> {
    encode(QEMU_DEVICE, 80.0, ProfileParams::FourParam([0.5, 0.467, 0.9, 0.075]))
}

/// Rewrites the header (and so its CRC) after `edit`.
fn with_header(mut b: Vec<u8>, edit: impl Fn(&mut Header)) -> Vec<u8> {
    if let Some(mut h) = Header::read(&b) {
        edit(&mut h);
        b[..HEADER_LEN].copy_from_slice(&h.to_bytes());
    }
    b
}

/// Edits the payload and fixes both CRCs, so only the payload check can object.
fn with_payload(mut b: Vec<u8>, edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut payload = b.split_off(HEADER_LEN);
    edit(&mut payload);
    let len = payload.len() as u32;
    let crc = crc32(&payload);
    b.extend_from_slice(&payload);
    with_header(b, |h| {
        h.payload_len = len;
        h.payload_crc = crc;
    })
}

/// (name, blob, the reason the firmware must report).
fn cases() -> Vec<(&'static str, Option<Vec<u8>>, Reason)> {
    let inv = |r: BlobReason| Reason::BlobInvalid(r.code());
    let g = good();
    let flip = |at: usize| {
        let mut b = good();
        b[at] ^= 0x01;
        b
    };
    let four = ProfileParams::FourParam;
    vec![
        ("missing", None, Reason::BlobMissing),
        ("bad_magic", Some(flip(0)), inv(BlobReason::BadMagic)),
        ("header_corrupted", Some(flip(12)), inv(BlobReason::HeaderCrc)),
        ("payload_corrupted", Some(flip(g.len() - 2)), inv(BlobReason::PayloadCrc)),
        // a write cut short leaves erased flash where the payload should be
        ("truncated", Some(g[..HEADER_LEN + 6].to_vec()), inv(BlobReason::PayloadCrc)),
        ("header_only", Some(g[..HEADER_LEN].to_vec()), inv(BlobReason::PayloadCrc)),
        ("wrong_header_version", Some(with_header(good(), |h| h.header_version = 2)), inv(BlobReason::UnsupportedHeaderVersion)),
        ("wrong_payload_version", Some(with_payload(good(), |p| p[0] = 1)), inv(BlobReason::UnsupportedPayloadVersion)),
        ("wrong_payload_kind", Some(with_header(good(), |h| h.payload_kind = 9)), inv(BlobReason::UnknownPayloadKind)),
        ("payload_too_long", Some(with_header(good(), |h| h.payload_len = 100_000)), inv(BlobReason::PayloadTooLong)),
        ("payload_garbage", Some(with_payload(good(), |p| p.truncate(3))), inv(BlobReason::Decode)),
        (
            "wrong_device",
            Some(encode(DeviceClass::Dephy, 30.0, four([0.5, 0.467, 0.9, 0.075]))),
            inv(BlobReason::WrongDevice),
        ),
        (
            "over_device_torque_limit",
            Some(encode(QEMU_DEVICE, 150.0, four([0.9, 0.467, 0.9, 0.075]))),
            inv(BlobReason::DryRunOverLimit),
        ),
        (
            "torque_out_of_bounds",
            Some(encode(QEMU_DEVICE, 80.0, four([1.5, 0.467, 0.9, 0.075]))),
            inv(BlobReason::TorqueOutOfBounds),
        ),
        (
            "peak_time_out_of_bounds",
            Some(encode(QEMU_DEVICE, 80.0, four([0.5, 0.2, 0.3, 0.075]))),
            inv(BlobReason::PeakTimeOutOfRange),
        ),
        ("non_finite", Some(encode(QEMU_DEVICE, f32::NAN, four([0.5, 0.467, 0.9, 0.075]))), inv(BlobReason::NonFinite)),
    ]
}

pub fn tests() -> Vec<Test> {
    // a whole walk: a rejected blob must stay at zero torque even after plausible strides
    let ticks: Vec<Tick> = synthetic_walk();
    let mut out = Vec::new();
    for (name, blob, want) in cases() {
        let ticks = ticks.clone();
        out.push(Test::new(format!("blob_rejected/{name}"), move |ctx: &Ctx| rejected(ctx, name, blob.as_deref(), want, &ticks)));
    }
    let ticks = ticks.clone();
    out.push(Test::new("blob_accepted/control".to_string(), move |ctx: &Ctx| accepted(ctx, &ticks)));
    out
}

fn rejected(ctx: &Ctx, name: &str, blob: Option<&[u8]>, want: Reason, ticks: &[Tick]) -> Result<String, String> {
    // the host check sees the same region and must agree (so the case tests what it says)
    let (_, host) = Device::from_region(&region(blob), QEMU_DEVICE, Limits::for_max_torque(QEMU_MAX_TORQUE), DEFAULT_DT);
    if host.as_ref().err() != Some(&want) {
        return Err(format!("host check gives {:?}, the case expects {want:?}", host.map(|b| b.peak_torque)));
    }
    let out = ctx.run(&format!("blob_rejected/{name}"), blob, ticks, None, None)?;
    for (k, c) in out.commands.iter().enumerate() {
        if c.torque != [0.0, 0.0] || c.state != State::Fault || c.reason != want {
            return Err(format!("step {k}: {c:?}, want zero torque, Fault, {want:?}"));
        }
    }
    same_commands(&out.commands, &host_commands(blob, DEFAULT_DT, ticks))?;
    let code = format!("(reason 0x{:02x})", want.code());
    if !out.log.iter().any(|l| l.contains("ERROR") && l.contains(&code)) {
        return Err(format!("no ERROR line with {code} in the log: {:?}", out.log));
    }
    ctx.expected.log(&format!("blob_rejected/{name}"), &out.log)?;
    Ok(format!("{} steps at zero torque, reason 0x{:02x}", out.commands.len(), want.code()))
}

/// The unmodified blob of the same family is accepted and assists (the control experiment).
fn accepted(ctx: &Ctx, ticks: &[Tick]) -> Result<String, String> {
    let blob = good();
    let out = ctx.run("blob_accepted/control", Some(&blob), ticks, None, None)?;
    same_commands(&out.commands, &host_commands(Some(&blob), DEFAULT_DT, ticks))?;
    if !out.commands.iter().any(|c| c.state == State::Assist && c.torque[0] > 1.0) {
        return Err("the valid blob never assisted".into());
    }
    ctx.expected.log("blob_accepted/control", &out.log)?;
    let stack = out.log.iter().find_map(|l| l.split_once("INFO ").filter(|(_, r)| r.starts_with("stack")).map(|(_, r)| r.to_string()));
    Ok(format!("{} steps bit-exact, assists; {}", out.commands.len(), stack.unwrap_or_default()))
}
