//! SVG convergence plot: best-ever, generation best and median cost (log scale) and the step
//! size over the evaluations.

use plotters::prelude::*;
use std::path::Path;

use super::generations::GenRow;

/// The plot could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the convergence plot {path}: {msg}")]
pub struct PlotError {
    pub path: String,
    pub msg: String,
}

fn pos(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else if v.is_finite() {
        1e-300
    } else {
        f64::MAX
    }
}

/// Draws `rows` into `path` (an `.svg` file; written through a temporary file).
pub fn convergence_svg(path: &Path, title: &str, rows: &[GenRow]) -> Result<(), PlotError> {
    let err = |e: &dyn std::fmt::Display| PlotError {
        path: path.display().to_string(),
        msg: e.to_string(),
    };
    if rows.is_empty() {
        return Ok(());
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 700)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (top, bottom) = root.split_vertically(450);
        let x_max = rows.last().map(|r| r.evaluations).unwrap_or(1).max(1) as f64;
        let costs: Vec<f64> = rows
            .iter()
            .flat_map(|r| [pos(r.best_ever), pos(r.best), pos(r.median)])
            .filter(|v| *v < f64::MAX)
            .collect();
        let lo = costs
            .iter()
            .cloned()
            .fold(f64::INFINITY, f64::min)
            .max(1e-300);
        let hi = costs.iter().cloned().fold(0.0, f64::max).max(lo * 10.0);
        let mut c = ChartBuilder::on(&top)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max, (lo / 2.0..hi * 2.0).log_scale())
            .map_err(|e| err(&e))?;
        c.configure_mesh()
            .x_desc("evaluations")
            .y_desc("cost")
            .draw()
            .map_err(|e| err(&e))?;
        let series: [(&str, RGBColor, fn(&GenRow) -> f64); 3] = [
            ("best ever", BLUE, |r| r.best_ever),
            ("generation best", GREEN, |r| r.best),
            ("generation median", RED, |r| r.median),
        ];
        for (name, color, f) in series {
            c.draw_series(LineSeries::new(
                rows.iter()
                    .map(|r| (r.evaluations as f64, pos(f(r)).min(hi * 2.0))),
                &color,
            ))
            .map_err(|e| err(&e))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
        }
        c.configure_series_labels()
            .background_style(WHITE)
            .border_style(BLACK)
            .draw()
            .map_err(|e| err(&e))?;
        let s_lo = rows
            .iter()
            .map(|r| pos(r.sigma))
            .fold(f64::INFINITY, f64::min);
        let s_hi = rows
            .iter()
            .map(|r| pos(r.sigma))
            .fold(0.0, f64::max)
            .max(s_lo * 10.0);
        let mut c2 = ChartBuilder::on(&bottom)
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max, (s_lo / 2.0..s_hi * 2.0).log_scale())
            .map_err(|e| err(&e))?;
        c2.configure_mesh()
            .x_desc("evaluations")
            .y_desc("sigma")
            .draw()
            .map_err(|e| err(&e))?;
        c2.draw_series(LineSeries::new(
            rows.iter().map(|r| (r.evaluations as f64, pos(r.sigma))),
            &BLACK,
        ))
        .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    crate::io::write_atomic(path, svg.as_bytes()).map_err(|e| err(&e))
}
