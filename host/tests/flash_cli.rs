//! `myoreflex flash` (without --dry-run) and `hil --link rtt` through the binary, on a machine
//! without a debug probe: the errors that name what is missing (the probe, with the list of
//! probes probe-rs sees; the chip, with close names; the `probe` cargo feature in a build
//! without it), and the dry-run image, byte for byte. With `--features probe` these run the
//! probe-rs code up to the probe (`scripts/test.d/60-probe.sh`); without, the feature message.
//!
//! A synthetic firmware ELF (tests/support/elf.rs) stands in for the firmware build. If probe-rs
//! sees a probe, the tests that would reach it are skipped: they must never flash a real board.

mod support {
    pub mod elf;
}

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("myoreflex-flash-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myoreflex"))
        .args(args)
        .output()
        .expect("run myoreflex")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

/// The shipped profile is tuned for the tutorial model's 100 N m exo: encoded for that device
/// (the STM32 board's default, dephy at 30 N m, would refuse it).
const AS_TUTORIAL: &[&str] = &["--device", "tutorial", "--device-limit", "100"];

/// `myoreflex SUB OPT VALUE --firmware FW` with the shipped exo file and the tutorial config,
/// then `extra`.
fn with_firmware(sub: &str, opt: &str, value: &str, fw: &Path, extra: &[&str]) -> Output {
    let p = params();
    let mut args = vec![
        sub,
        opt,
        value,
        "--firmware",
        arg(fw),
        "--params",
        arg(&p),
        "--config",
        "tutorial",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `myoreflex flash --chip CHIP --firmware FW ...` (see [`with_firmware`]).
fn flash(fw: &Path, chip: &str, extra: &[&str]) -> Output {
    with_firmware("flash", "--chip", chip, fw, extra)
}

/// `myoreflex hil --link LINK --firmware FW ...` (see [`with_firmware`]).
fn hil(fw: &Path, link: &str, extra: &[&str]) -> Output {
    with_firmware("hil", "--link", link, fw, extra)
}

/// A short `hil --link rtt` run: the STM32 board is a 30 N m device, so the profile is tuned
/// with max_torque 30.
fn hil_rtt(fw: &Path) -> Output {
    hil(fw, "rtt", &["--max_torque", "30", "--sim_time", "0.1"])
}

/// A shipped 4-parameter exo file (tutorial config).
fn params() -> PathBuf {
    let dir = myoreflex::reference::dir().join("params/preoptimized/exo_4param_1_25ms");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("reference exo_4param_1_25ms folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with("_Best.txt"))
        .collect();
    files.sort();
    files.into_iter().next().expect("a _Best.txt file")
}

const TEXT_AT: u32 = 0x0800_0000;
const DATA_AT: u32 = 0x0800_1000;

fn text() -> Vec<u8> {
    (0..3000u32).map(|i| (i * 7 + 1) as u8).collect()
}

fn data() -> Vec<u8> {
    (0..100u32).map(|i| (i * 3) as u8).collect()
}

/// Firmware like the STM32F405 build: flash at 0x0800_0000, PARAMS at 0x080E_0000.
fn stm32_elf(dir: &Path) -> PathBuf {
    let p = dir.join("fw-stm32.elf");
    let bytes = support::elf::firmware_elf(
        &[(TEXT_AT, &text()), (DATA_AT, &data())],
        (0x080E_0000, 0x0810_0000),
        &[
            ("_SEGGER_RTT", 0x2000_0000),
            ("MYOREFLEX_LINK", 0x2000_1000),
        ],
    );
    std::fs::write(&p, bytes).expect("write ELF");
    p
}

/// probe-rs sees a probe: skip rather than touch real hardware with a synthetic image.
fn probe_attached() -> bool {
    #[cfg(feature = "probe")]
    {
        let seen = myoreflex::hil::probe::probe_list();
        if seen != "none" {
            eprintln!(
                "skipped: probe-rs sees a probe ({seen}); this test never flashes real hardware"
            );
            return true;
        }
    }
    false
}

const NO_FEATURE: &str = "this myoreflex is built without probe support; rebuild it with the `probe` cargo feature (cargo build --release -p myoreflex --features probe)";

#[test]
fn the_no_feature_message_is_the_one_both_commands_print() {
    assert_eq!(NO_FEATURE, myoreflex::hil::NO_PROBE);
}

#[test]
fn flash_without_a_probe_fails_listing_what_probe_rs_sees() {
    if probe_attached() {
        return;
    }
    let dir = tmp_dir("noprobe");
    let elf = stm32_elf(&dir);
    let o = flash(&elf, "STM32F405RGTx", AS_TUTORIAL);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    if cfg!(feature = "probe") {
        assert!(
            e.contains("error: probe: no debug probe found (probe-rs sees: none); connect an ST-Link, J-Link or CMSIS-DAP v2 probe"),
            "{e}"
        );
    } else {
        assert!(
            e.contains("error: cannot flash STM32F405RGTx (") && e.contains(NO_FEATURE),
            "{e}"
        );
    }
    // --probe names one that is not there: the same list
    let o = flash(
        &elf,
        "STM32F405RGTx",
        &[AS_TUTORIAL, &["--probe", "0483:3748:ABC"]].concat(),
    );
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    if cfg!(feature = "probe") {
        assert!(
            e.contains("cannot open the probe 0483:3748:ABC") && e.contains("probe-rs sees: none"),
            "{e}"
        );
    } else {
        assert!(e.contains(NO_FEATURE), "{e}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn flash_refuses_an_unknown_chip_with_close_names_and_a_foreign_image() {
    let dir = tmp_dir("chip");
    let elf = stm32_elf(&dir);
    let o = flash(&elf, "STM32F4O5RGTx", AS_TUTORIAL);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    if cfg!(feature = "probe") {
        assert!(e.contains("error: probe: --chip STM32F4O5RGTx: "), "{e}");
        assert!(
            e.contains("close names: ") && e.contains("STM32F405RGTx"),
            "{e}"
        );
    } else {
        assert!(e.contains(NO_FEATURE), "{e}");
    }
    // a firmware linked at 0 (the QEMU build) does not fit the STM32's flash: refused before
    // any probe is opened
    let qemu_like = dir.join("fw-qemu.elf");
    std::fs::write(
        &qemu_like,
        support::elf::firmware_elf(&[(0, &text())], (0xE0000, 0x100000), &[]),
    )
    .expect("write ELF");
    let o = flash(&qemu_like, "STM32F405RGTx", AS_TUTORIAL);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    if cfg!(feature = "probe") {
        assert!(
            e.contains("is not in the flash of STM32F405RGTx (0x08000000..0x08100000")
                && e.contains("is the firmware built for this chip?"),
            "{e}"
        );
    } else {
        assert!(e.contains(NO_FEATURE), "{e}");
    }
    // the QEMU model has no flash to program
    let o = flash(&qemu_like, "mps2-an386", AS_TUTORIAL);
    let e = stderr(&o);
    assert!(!o.status.success());
    assert!(e.contains("--chip mps2-an386 is the QEMU model: there is no flash to program; use --dry-run --out IMAGE"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The dry run is unchanged: segments at their offsets, 0xFF gaps, the exported blob at
/// PARAMS; `flash` (real) programs slices of this same image (unit tests in hil::flash).
#[test]
fn dry_run_image_is_the_segments_then_the_exported_blob() {
    let dir = tmp_dir("dry");
    let elf = stm32_elf(&dir);
    let p = params();
    let image = dir.join("image.bin");
    let blob = dir.join("x.blob");
    let o = flash(
        &elf,
        "STM32F405RGTx",
        &[AS_TUTORIAL, &["--dry-run", "--out", arg(&image)]].concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "export",
        "--params",
        arg(&p),
        "--config",
        "tutorial",
        "--device",
        "tutorial",
        "--out",
        arg(&blob),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = std::fs::read(&image).expect("image");
    let blob = std::fs::read(&blob).expect("blob");
    let mut want = vec![0xFFu8; 0xE0000];
    want[..3000].copy_from_slice(&text());
    want[0x1000..0x1000 + 100].copy_from_slice(&data());
    want.extend_from_slice(&blob);
    assert_eq!(img.len(), want.len());
    assert!(
        img == want,
        "dry-run image differs from segments + 0xFF + blob"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hil_over_rtt_without_a_probe_says_what_is_missing() {
    if probe_attached() {
        return;
    }
    let dir = tmp_dir("hilrtt");
    let elf = stm32_elf(&dir);
    let o = hil_rtt(&elf);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    if cfg!(feature = "probe") {
        assert!(
            e.contains("error: probe: no debug probe found (probe-rs sees: none)"),
            "{e}"
        );
    } else {
        assert!(
            e.contains(&format!(
                "--link rtt talks to a board through a debug probe: {NO_FEATURE}, or use --link qemu"
            )),
            "{e}"
        );
    }
    let o = hil(&elf, "qemu", &["--device", "dephy"]);
    assert!(stderr(&o)
        .contains("--device/--device-limit: the QEMU firmware is built for device tutorial"));
    let _ = std::fs::remove_dir_all(dir);
}

/// The real STM32F405 firmware (path in `MYOREFLEX_FW_STM32`, set by scripts/test.d/60-probe.sh
/// after 50-firmware.sh built it): its image fits the chip, it has the RTT link symbols, so
/// `flash` and `hil --link rtt` get as far as the probe.
#[test]
fn the_stm32_firmware_build_gets_as_far_as_the_probe() {
    let Some(elf) = std::env::var_os("MYOREFLEX_FW_STM32") else {
        eprintln!("skipped: MYOREFLEX_FW_STM32 not set (scripts/test.d/60-probe.sh sets it)");
        return;
    };
    if probe_attached() {
        return;
    }
    let elf = PathBuf::from(elf);
    let o = flash(&elf, "STM32F405RGTx", &["--max_torque", "30"]);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    let want = if cfg!(feature = "probe") {
        "no debug probe found (probe-rs sees: none)"
    } else {
        NO_FEATURE
    };
    assert!(e.contains(want), "{e}");
    let o = hil_rtt(&elf);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    assert!(e.contains(want), "{e}");
}

/// probe-rs' chip list: a known chip with its flash, unknown names with close names (a
/// lowercase x in probe-rs' names is a wildcard, so STM32F405RGTz would match STM32F405RGTx).
#[cfg(feature = "probe")]
#[test]
fn probe_chips_resolve_with_their_flash_and_unknown_ones_get_close_names() {
    use myoreflex::hil::probe::{chip, close_names};
    let c = chip("STM32F405RGTx").expect("STM32F405RGTx is in probe-rs' list");
    assert!(
        c.flash
            .iter()
            .any(|r| r.start == 0x0800_0000 && r.end >= 0x0810_0000),
        "{:?}",
        c.flash
    );
    let e = chip("STM32F4O5RGTx")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("--chip STM32F4O5RGTx")
            && e.contains("close names: ")
            && e.contains("STM32F405RGTx"),
        "{e}"
    );
    let e = chip("mps2-an386")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("--chip mps2-an386"), "{e}");
    let names = [
        "STM32F405RGTx",
        "STM32F407VGTx",
        "nRF52840_xxAA",
        "STM32F405OGYx",
    ]
    .into_iter()
    .map(String::from);
    assert_eq!(
        close_names("stm32f405", names.clone(), 6),
        vec!["STM32F405OGYx", "STM32F405RGTx", "STM32F407VGTx"]
    );
    assert_eq!(
        close_names("STM32F405RGTz", names.clone(), 6)[0],
        "STM32F405RGTx"
    );
    assert!(close_names("zzzz", names, 6).is_empty());
}

/// The image must lie in the chip's flash, checked before any probe is opened.
#[cfg(feature = "probe")]
#[test]
fn probe_refuses_an_image_for_another_board() {
    use myoreflex::hil::image::FirmwareElf;
    use myoreflex::hil::probe::{check_fits, chip};
    let c = chip("STM32F405RGTx").expect("STM32F405RGTx is in probe-rs' list");
    let blob = controller::blob::MAGIC.to_vec();
    let elf = |segments: &[(u32, &[u8])], params| {
        FirmwareElf::parse(support::elf::firmware_elf(segments, params, &[]))
            .expect("synthetic ELF")
    };
    let stm = elf(&[(TEXT_AT, &text())], (0x080E_0000, 0x0810_0000));
    let img = stm.image(&blob).expect("image");
    assert!(check_fits(&c, &img).is_ok());
    let qemu = elf(&[(0, &text())], (0xE0000, 0x100000));
    let img = qemu.image(&blob).expect("image");
    let e = check_fits(&c, &img)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("is not in the flash of STM32F405RGTx (0x08000000.."),
        "{e}"
    );
}
