//! Parameter files: one value per line (MyoAssist's `_Best.txt` / `_BestLast.txt`, written
//! with `%.18e`), readable by MyoAssist and by `--param_path`.

use super::float_fmt::fmt_e18;
use super::{write_atomic, IoError};
use std::path::Path;

/// Reads a parameter vector: one finite number per non-empty line (surrounding whitespace and
/// blank lines are ignored; `#` starts a comment line).
pub fn read_params(path: &Path) -> Result<Vec<f64>, IoError> {
    let text = std::fs::read_to_string(path).map_err(|e| IoError::io(path, e))?;
    parse_params(path, &text)
}

/// [`read_params`] on text already in memory (`path` is only used in messages).
pub fn parse_params(path: &Path, text: &str) -> Result<Vec<f64>, IoError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let v: f64 = line.parse().map_err(|_| {
            IoError::line(
                path,
                i + 1,
                format!("`{line}` is not a number (a parameter file holds one value per line)"),
            )
        })?;
        if !v.is_finite() {
            return Err(IoError::line(
                path,
                i + 1,
                format!(
                    "parameter {} is {line}; every parameter must be finite",
                    out.len()
                ),
            ));
        }
        out.push(v);
    }
    if out.is_empty() {
        return Err(IoError::file(
            path,
            "no parameters found (expected one value per line)",
        ));
    }
    Ok(out)
}

/// Writes a parameter vector in MyoAssist's format (`%.18e`, one per line).
pub fn write_params(path: &Path, x: &[f64]) -> Result<(), IoError> {
    let mut s = String::with_capacity(x.len() * 26);
    for v in x {
        s.push_str(&fmt_e18(*v));
        s.push('\n');
    }
    write_atomic(path, s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_errors() {
        let p = Path::new("x.txt");
        assert_eq!(parse_params(p, "1.0e+00\n 2\n\n").unwrap(), vec![1.0, 2.0]);
        let e = parse_params(p, "1\nabc\n").unwrap_err().to_string();
        assert!(e.contains("x.txt: line 2") && e.contains("abc"), "{e}");
        let e = parse_params(p, "1\nnan\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("finite"), "{e}");
        assert!(parse_params(p, "\n").is_err());
    }

    #[test]
    fn write_read_exact() {
        let dir = std::env::temp_dir().join(format!("myoreflex-params-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("p.txt");
        let x = [1.3456369051928756, -0.0, 5.667742002829811e-05, 1e-310];
        write_params(&f, &x).unwrap();
        let y = read_params(&f).unwrap();
        assert_eq!(
            x.map(f64::to_bits).to_vec(),
            y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
