//! `myoreflex hil`: the firmware in the loop of a simulated episode (lockstep over a link).

use crate::config::args::ConfigArgs;
use crate::eval::stats;
use crate::hil::{self, session::Fault, LinkKind};
use anyhow::{bail, Context};
use clap::Parser;
use controller::boards;
use controller::params::Layout;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    after_help = "Example: myoreflex hil --firmware firmware/target/thumbv7em-none-eabihf/release/myoreflex-fw-qemu \\\n  \
--params results/preoptimized/exo_4param_1_25/myorfl_Kine_2D_1_25_2026Dec06_0750_None_Best.txt \\\n  \
--config results/preoptimized/exo_4param_1_25/e4q_1206_0750.json --sim_time 6 --json\n\n\
Train exo gaits with --exo_device qemu (or stm32) so they survive the board's 3-stance gating.\n\n\
--link rtt flashes the image (firmware + blob) through a debug probe, resets the board into link mode and\n\
talks over RTT; it needs a build with the `probe` cargo feature: cargo build --release -p myoreflex --features probe"
)]
pub struct Args {
    #[command(flatten)]
    pub cfg: ConfigArgs,
    /// Firmware ELF (QEMU link: the mps2-an386 build `myoreflex-fw-qemu`).
    #[arg(long, value_name = "ELF")]
    pub firmware: PathBuf,
    /// Parameter file (`_Best.txt`) or a blob made by `export`.
    #[arg(long, value_name = "FILE|BLOB")]
    pub params: PathBuf,
    /// qemu (default), serial:PORT, or rtt.
    #[arg(long, default_value = "qemu", value_name = "qemu|serial:PORT|rtt")]
    pub link: String,
    /// RTT link: probe-rs chip name of the board.
    #[arg(long, default_value = hil::STM32_CHIP)]
    pub chip: String,
    /// RTT link: debug probe `VID:PID[:SERIAL]` in hex (default: the first one probe-rs finds).
    #[arg(long, value_name = "VID:PID[:SERIAL]")]
    pub probe: Option<String>,
    /// Device class of the firmware's board (default: tutorial for qemu/serial, dephy for rtt).
    #[arg(long)]
    pub device: Option<String>,
    /// Torque limit of the firmware's board, N m (default: 100 for qemu/serial, 30 for rtt).
    #[arg(long)]
    pub device_limit: Option<f64>,
    /// Inject link faults: drop|corrupt|delay:STEP:N (repeatable), e.g. `delay:3000:30`.
    #[arg(long, value_name = "KIND:STEP:N")]
    pub inject: Vec<String>,
    /// Folder for the flash image, the raw defmt stream and QEMU's stderr (default: a temp folder).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: Args) -> anyhow::Result<()> {
    let cfg = a.cfg.load()?;
    let layout = Layout::from_flags(cfg.exo_on, cfg.use_4param_spline, cfg.n_points)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let link: LinkKind = a
        .link
        .parse()
        .map_err(|e: String| anyhow::anyhow!("--link {e}"))?;
    let faults = a
        .inject
        .iter()
        .map(|s| s.parse::<Fault>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("--inject {e}"))?;
    let board = match link {
        LinkKind::Rtt => boards::STM32F4,
        _ => boards::QEMU,
    };
    let (default_device, default_limit) = (board.device, board.max_torque_nm);
    if link == LinkKind::Qemu && (a.device.is_some() || a.device_limit.is_some()) {
        bail!(
            "--device/--device-limit: the QEMU firmware is built for device {}, {} N m; drop these options or use --link serial:PORT|rtt",
            boards::QEMU.device.name(),
            boards::QEMU.max_torque_nm
        );
    }
    let device = match &a.device {
        Some(n) => hil::device_class("--device", n).map_err(anyhow::Error::msg)?,
        None => default_device,
    };
    let device_limit = a.device_limit.unwrap_or(default_limit);
    let blob = hil::blob_for(&a.params, &cfg, device, device_limit)?;
    // the human part of the episode needs the parameter vector: a text file only
    let params = crate::io::read_params(&a.params).with_context(|| {
        format!(
            "{}: hil needs the parameter text file (the human parameters drive the simulation)",
            a.params.display()
        )
    })?;
    if params.len() != layout.len() {
        bail!(
            "{}: {} parameters, but config `{}` needs {} (77 human + {} exo); check --config/--use_4param_spline/--n_points",
            a.params.display(),
            params.len(),
            cfg.name,
            layout.len(),
            layout.exo_len()
        );
    }
    let tmp = std::env::temp_dir().join(format!("myoreflex-hil-{}", std::process::id()));
    let work_dir = a.work_dir.clone().unwrap_or_else(|| tmp.clone());
    let o = hil::Options {
        firmware: a.firmware.clone(),
        blob,
        link,
        faults,
        work_dir,
        device,
        device_limit,
        chip: a.chip.clone(),
        probe: a.probe.clone(),
    };
    let r = hil::run(&cfg, &params, &o)?;
    if a.work_dir.is_none() && r.log.is_ok() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    let settings = crate::eval::EpisodeSettings::from_config(&cfg)?;
    let st = stats::gait_stats(&r.evaluation.episode, settings.dt());
    let t = &r.tally;
    let speed = if r.wall_s > 0.0 {
        r.sim_s / r.wall_s
    } else {
        0.0
    };
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            format!(
                "step {}: {:?} ({}, 0x{:02x})",
                e.step,
                e.state,
                e.reason.name(),
                e.reason.code()
            )
        })
        .collect();
    if a.json {
        let v = json!({
            "walked_s": st.walked_s,
            "cost": r.evaluation.cost.total,
            "frames": t.frames,
            "frame_errors": t.frame_errors,
            "device_rx_errors": t.device_rx_errors,
            "host_refused": t.host_refused,
            "max_torque_diff_nm": t.max_torque_diff_nm,
            "mismatched_steps": t.mismatched_steps,
            "assist_steps": t.assist_steps,
            "peak_torque_nm": t.peak_torque_nm,
            "final_state": t.final_state.map(|(s, _)| format!("{s:?}")),
            "final_reason": t.final_state.map(|(_, r)| r.code()),
            "events": events,
            "sim_s": r.sim_s,
            "sim_s_per_wall_s": speed,
            "link_ms_per_step": if t.frames > 0 { 1e3 * t.link_wall_s / f64::from(t.frames) } else { 0.0 },
            "sensor_frame_bytes": t.sensor_frame_len,
            "command_frame_bytes": t.command_frame_len,
            "ended": r.evaluation.episode.ended,
            "firmware_exit": r.exit_code,
            "flashed": r.flashed.iter().map(|w| json!({"part": w.name, "addr": w.addr, "bytes": w.len, "crc32": w.crc})).collect::<Vec<_>>(),
            "log": r.log.as_ref().map_or_else(|e| vec![e.clone()], |l| l.clone()),
        });
        println!("{v}");
        return Ok(());
    }
    println!(
        "hil: {} over {} ({} steps, {:.2} s simulated in {:.2} s wall: {:.2} sim s per wall s; link {:.2} ms per step)",
        cfg.name,
        a.link,
        t.frames,
        r.sim_s,
        r.wall_s,
        speed,
        if t.frames > 0 { 1e3 * t.link_wall_s / f64::from(t.frames) } else { 0.0 }
    );
    println!(
        "gait: walked {:.2} s, {:.3} m at {:.3} m/s; cost {:.6}{}",
        st.walked_s,
        st.distance_m,
        st.speed_mps,
        r.evaluation.cost.total,
        r.evaluation
            .episode
            .ended
            .as_ref()
            .map_or(String::new(), |e| format!(" (ended: {e})"))
    );
    println!(
        "torque: worst |firmware - host f32| {} N m, {} of {} steps differ, {} steps with torque, peak {:.3} N m",
        t.max_torque_diff_nm, t.mismatched_steps, t.frames, t.assist_steps, t.peak_torque_nm
    );
    println!(
        "frames: {} errors ({} refused by the device, {} by the host); sensor frame {} B, command frame {} B on the wire",
        t.frame_errors, t.device_rx_errors, t.host_refused, t.sensor_frame_len, t.command_frame_len
    );
    for w in &r.flashed {
        println!("flashed: {w}");
    }
    for e in &events {
        println!("device: {e}");
    }
    match &r.log {
        Ok(lines) => {
            println!("firmware log (defmt, timestamp = control step):");
            for l in lines {
                println!("  {l}");
            }
        }
        Err(e) => println!("firmware log: {e}"),
    }
    Ok(())
}
