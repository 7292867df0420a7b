//! A readable description of a blob: header fields, then the payload or the reject reason.

use controller::blob::{self, Blob, DeviceClass, Header, Limits, ProfileParams, Reason};
use controller::exo::ExoKind;
use std::fmt::Write;

/// Describes `bytes`: the header fields (when there are enough bytes), then the decoded
/// payload, knots and dry-run peak. Returns the text and the decode result.
pub fn describe(bytes: &[u8], limits: &Limits) -> (String, Result<Blob, Reason>) {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "size            {} bytes (largest possible {})",
        bytes.len(),
        blob::MAX_BLOB_LEN
    );
    if let Some(h) = Header::read(bytes) {
        header(&mut s, &h, bytes);
    }
    let result = blob::decode(bytes, limits);
    match &result {
        Ok(b) => payload(&mut s, b),
        Err(r) => {
            let _ = writeln!(s, "status          REJECTED: {r}");
        }
    }
    (s, result)
}

fn header(s: &mut String, h: &Header, bytes: &[u8]) {
    let magic = String::from_utf8_lossy(&h.magic).into_owned();
    let device = DeviceClass::from_code(h.device_class)
        .map(|d| d.name())
        .unwrap_or("unknown");
    let conv = match blob::SplineConvention::from_code(h.spline_convention) {
        Some(blob::SplineConvention::MyoAssistPctStance) => "MyoAssist % stance, PCHIP",
        None => "unknown",
    };
    let kind = match blob::PayloadKind::from_code(h.payload_kind) {
        Some(blob::PayloadKind::ExoProfile) => "exo profile",
        None => "unknown",
    };
    let crc_ok = |stored: u32, computed: u32| if stored == computed { "ok" } else { "MISMATCH" };
    let payload = bytes.get(blob::HEADER_LEN..).unwrap_or(&[]);
    let _ = writeln!(s, "magic           {magic:?}");
    let _ = writeln!(s, "header version  {}", h.header_version);
    let _ = writeln!(s, "payload kind    {} ({kind})", h.payload_kind);
    let _ = writeln!(
        s,
        "payload length  {} bytes ({} present)",
        h.payload_len,
        payload.len()
    );
    let _ = writeln!(s, "device class    {} ({device})", h.device_class);
    let _ = writeln!(s, "spline conv.    {} ({conv})", h.spline_convention);
    let pc = blob::crc32(payload);
    let _ = writeln!(
        s,
        "payload crc32   {:08x} ({})",
        h.payload_crc,
        crc_ok(h.payload_crc, pc)
    );
    let hc = Header::computed_crc(bytes);
    let _ = writeln!(
        s,
        "header crc32    {:08x} ({})",
        h.header_crc,
        crc_ok(h.header_crc, hc)
    );
}

fn payload(s: &mut String, b: &Blob) {
    let p = &b.params;
    let _ = writeln!(s, "payload         V1");
    let _ = writeln!(s, "max_torque      {} N m", p.max_torque);
    match &p.profile {
        ProfileParams::FourParam([t, r, pk, f]) => {
            let _ = writeln!(s, "profile         4-parameter (use_4param_spline)");
            let _ = writeln!(
                s,
                "  peak torque   {t} (x max_torque = {} N m)",
                t * p.max_torque
            );
            let _ = writeln!(s, "  rise          {r} ({} % stance)", r * 100.0);
            let _ = writeln!(s, "  peak time     {pk} ({} % stance)", pk * 100.0);
            let _ = writeln!(s, "  fall          {f} ({} % stance)", f * 100.0);
        }
        ProfileParams::NPoint { n, torques, times } => {
            let n = *n as usize;
            let _ = writeln!(s, "profile         {n}-point (n_points {n})");
            let _ = writeln!(s, "  torques       {:?}", &torques[..n.min(torques.len())]);
            let _ = writeln!(s, "  times         {:?}", &times[..n.min(times.len())]);
        }
    }
    let k = b.profile.spline().knots();
    let _ = writeln!(s, "knots % stance  {:?}", k.x());
    let _ = writeln!(s, "knots N m       {:?}", k.y());
    let _ = writeln!(s, "dry-run peak    {} N m", b.peak_torque);
    let pv = &p.provenance;
    let _ = writeln!(
        s,
        "source          {} parameters, file crc32 {:08x}",
        pv.param_count, pv.source_crc32
    );
    let _ = writeln!(
        s,
        "created         unix {} by myoreflex {}.{}.{}",
        pv.created_unix, pv.tool_version[0], pv.tool_version[1], pv.tool_version[2]
    );
    let _ = writeln!(s, "status          OK ({})", kind_name(p.profile.kind()));
}

fn kind_name(k: ExoKind) -> String {
    match k {
        ExoKind::FourParam => "4-parameter profile".into(),
        ExoKind::NPoint(n) => format!("{n}-point profile"),
    }
}
