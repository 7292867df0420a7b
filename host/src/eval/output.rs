//! What an evaluation leaves on disk: the trajectory CSV, the `_Cost.txt` dictionary file and
//! SVG plots (joint angles against the reference gait cycle, vertical GRF, exo torque).

use super::episode::EpisodeSettings;
use super::Evaluation;
use crate::cost::{events, interp::resample100, record::ANGLE_NAMES, reference, report};
use crate::engine::{DOF_NAMES, MUSCLE_NAMES};
use crate::io::{csv_table::Cell, write_atomic, CsvWriter};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Writing an output failed; names the file.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {msg}")]
pub struct OutputError {
    pub path: String,
    pub msg: String,
}

fn err(path: &Path, e: impl std::fmt::Display) -> OutputError {
    OutputError {
        path: path.display().to_string(),
        msg: e.to_string(),
    }
}

/// The per-step trajectory as CSV: time, the 11 DOFs, pelvis position, the 7 cost angles, GRF,
/// the new-step flag, exo torque and stance % per leg, muscle controls and activations.
pub fn trajectory_csv(ev: &Evaluation) -> String {
    let mut h: Vec<String> = vec!["time".into()];
    h.extend(DOF_NAMES.iter().map(|d| format!("q_{d}")));
    h.extend(["pelvis_x", "pelvis_y", "pelvis_z"].map(String::from));
    h.extend(ANGLE_NAMES.iter().map(|a| a.to_string()));
    h.extend(
        [
            "GRF_l",
            "GRF_r",
            "new_step",
            "exo_torque_r",
            "exo_torque_l",
            "stance_pct_r",
            "stance_pct_l",
        ]
        .map(String::from),
    );
    h.extend(MUSCLE_NAMES.iter().map(|m| format!("ctrl_{m}")));
    h.extend(MUSCLE_NAMES.iter().map(|m| format!("act_{m}")));
    let mut w = CsvWriter::new(&h);
    for (r, t) in ev.episode.records.iter().zip(&ev.episode.trace) {
        let mut row: Vec<Cell> = vec![Cell::F(r.sim_time)];
        row.extend(t.q.iter().map(|v| Cell::F(*v)));
        row.extend(r.pelvis.iter().map(|v| Cell::F(*v)));
        row.extend(r.angles.iter().map(|v| Cell::F(*v)));
        row.extend([
            Cell::F(r.grf[0]),
            Cell::F(r.grf[1]),
            Cell::I(i64::from(r.new_step)),
        ]);
        row.extend(
            t.exo_torque
                .iter()
                .chain(&t.stance_pct)
                .map(|v| Cell::F(*v)),
        );
        row.extend(t.ctrl.iter().chain(&r.act).map(|v| Cell::F(*v)));
        w.row(&row);
    }
    w.as_str().to_string()
}

/// Writes `<stem>_trajectory.csv`, `<stem>_Cost.txt` and the SVG plots into `dir` (created if
/// needed); returns the files written.
pub fn write_all(
    dir: &Path,
    stem: &str,
    ev: &Evaluation,
    s: &EpisodeSettings,
) -> Result<Vec<PathBuf>, OutputError> {
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    let mut out = Vec::new();
    let f = dir.join(format!("{stem}_trajectory.csv"));
    write_atomic(&f, trajectory_csv(ev).as_bytes()).map_err(|e| err(&f, e))?;
    out.push(f);
    let f = dir.join(format!("{stem}_Cost.txt"));
    write_atomic(&f, report::best_cost_txt(&ev.cost).as_bytes()).map_err(|e| err(&f, e))?;
    out.push(f);
    if !ev.episode.records.is_empty() {
        let f = dir.join(format!("{stem}_joint_angles.svg"));
        joint_angles_svg(&f, ev, s)?;
        out.push(f);
        let f = dir.join(format!("{stem}_grf.svg"));
        grf_svg(&f, ev)?;
        out.push(f);
        if s.layout.exo.is_some() {
            let f = dir.join(format!("{stem}_exo_torque.svg"));
            exo_svg(&f, ev)?;
            out.push(f);
        }
    }
    Ok(out)
}

/// Strides between consecutive left stance events (the cost window's when there is one, else
/// the last ten of the episode).
fn left_strides(ev: &Evaluation, s: &EpisodeSettings) -> Vec<(usize, usize)> {
    let r = &ev.episode.records;
    let window: Vec<usize> = match ev.cost.components.as_ref() {
        Some(c) => c
            .window
            .iter()
            .copied()
            .filter(|i| ev.cost.left_stances.contains(i))
            .collect(),
        None => {
            let evs = events::step_events(r, s.dt());
            let (l, _) = events::stance_feet(&evs, r);
            l.iter().rev().take(11).rev().copied().collect()
        }
    };
    window
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| b > a)
        .collect()
}

fn joint_angles_svg(path: &Path, ev: &Evaluation, s: &EpisodeSettings) -> Result<(), OutputError> {
    let e = |x: &dyn std::fmt::Display| err(path, x);
    let strides = left_strides(ev, s);
    let r = &ev.episode.records;
    let refk = reference::kinematics();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1200, 800)).into_drawing_area();
        root.fill(&WHITE).map_err(|x| e(&x))?;
        let panels = root.split_evenly((2, 4));
        for (c, area) in panels.iter().enumerate().take(7) {
            let curves: Vec<[f64; 100]> = strides
                .iter()
                .map(|&(a, b)| {
                    resample100(
                        &r[a..b]
                            .iter()
                            .map(|x| x.angles[c].to_degrees())
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            let all = curves
                .iter()
                .flatten()
                .copied()
                .chain((0..100).map(|p| refk[p][c].to_degrees()));
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
                (l.min(v), h.max(v))
            });
            let pad = ((hi - lo) * 0.1).max(1.0);
            let mut ch = ChartBuilder::on(area)
                .caption(format!("{} (deg)", ANGLE_NAMES[c]), ("sans-serif", 14))
                .margin(8)
                .x_label_area_size(25)
                .y_label_area_size(40)
                .build_cartesian_2d(0.0..100.0, (lo - pad)..(hi + pad))
                .map_err(|x| e(&x))?;
            ch.configure_mesh()
                .x_desc("% gait cycle")
                .draw()
                .map_err(|x| e(&x))?;
            for y in &curves {
                ch.draw_series(LineSeries::new(
                    y.iter().enumerate().map(|(p, v)| (p as f64, *v)),
                    &BLUE.mix(0.5),
                ))
                .map_err(|x| e(&x))?;
            }
            ch.draw_series(LineSeries::new(
                (0..100).map(|p| (p as f64, refk[p][c].to_degrees())),
                BLACK.stroke_width(2),
            ))
            .map_err(|x| e(&x))?;
        }
        if let Some(area) = panels.get(7) {
            area.draw(&Text::new(
                format!(
                    "black: reference; blue: {} simulated strides",
                    strides.len()
                ),
                (10, 30),
                ("sans-serif", 14),
            ))
            .map_err(|x| e(&x))?;
        }
        root.present().map_err(|x| e(&x))?;
    }
    write_atomic(path, svg.as_bytes()).map_err(|x| e(&x))
}

fn series_svg(
    path: &Path,
    title: &str,
    y_desc: &str,
    x: &[f64],
    ys: &[(&str, RGBColor, Vec<f64>)],
) -> Result<(), OutputError> {
    let e = |v: &dyn std::fmt::Display| err(path, v);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 450)).into_drawing_area();
        root.fill(&WHITE).map_err(|v| e(&v))?;
        let x0 = x.first().copied().unwrap_or(0.0);
        let x1 = x.last().copied().unwrap_or(1.0).max(x0 + 1e-3);
        let hi = ys
            .iter()
            .flat_map(|(_, _, y)| y.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .max(1e-3);
        let lo = ys
            .iter()
            .flat_map(|(_, _, y)| y.iter().copied())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::min);
        let mut ch = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(x0..x1, lo..hi * 1.05)
            .map_err(|v| e(&v))?;
        ch.configure_mesh()
            .x_desc("time (s)")
            .y_desc(y_desc)
            .draw()
            .map_err(|v| e(&v))?;
        for (name, color, y) in ys {
            let color = *color;
            ch.draw_series(LineSeries::new(
                x.iter().zip(y).map(|(a, b)| (*a, *b)),
                &color,
            ))
            .map_err(|v| e(&v))?
            .label(*name)
            .legend(move |(a, b)| PathElement::new(vec![(a, b), (a + 20, b)], color));
        }
        ch.configure_series_labels()
            .background_style(WHITE)
            .border_style(BLACK)
            .draw()
            .map_err(|v| e(&v))?;
        root.present().map_err(|v| e(&v))?;
    }
    write_atomic(path, svg.as_bytes()).map_err(|v| e(&v))
}

fn grf_svg(path: &Path, ev: &Evaluation) -> Result<(), OutputError> {
    let r = &ev.episode.records;
    let t: Vec<f64> = r.iter().map(|x| x.sim_time).collect();
    series_svg(
        path,
        "vertical ground reaction force",
        "BW",
        &t,
        &[
            ("left", BLUE, r.iter().map(|x| x.grf[0]).collect()),
            ("right", RED, r.iter().map(|x| x.grf[1]).collect()),
        ],
    )
}

fn exo_svg(path: &Path, ev: &Evaluation) -> Result<(), OutputError> {
    let tr = &ev.episode.trace;
    let t: Vec<f64> = tr.iter().map(|x| x.time).collect();
    series_svg(
        path,
        "exo torque",
        "N m",
        &t,
        &[
            ("right", RED, tr.iter().map(|x| x.exo_torque[0]).collect()),
            ("left", BLUE, tr.iter().map(|x| x.exo_torque[1]).collect()),
        ],
    )
}
