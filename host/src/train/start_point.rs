//! The start vector of a run: `--param_path DIR|FILE` (the `*_BestLast.txt`, else `*_Best.txt`,
//! of a myoreflex or MyoAssist results folder) fitted to this run's parameter layout, or x0.

use std::path::{Path, PathBuf};

use controller::params::{Layout, N_HUMAN};

/// The start vector cannot be read or does not fit.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("no *_BestLast.txt or *_Best.txt in {0}; pass a results folder or a parameter file")]
    NoneFound(PathBuf),
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error(transparent)]
    Param(#[from] crate::io::IoError),
    #[error("{path} holds {got} parameters, but this run needs {need} ({N_HUMAN} human{exo}); a file with {N_HUMAN} values or one of another exo layout is also accepted")]
    Count {
        path: PathBuf,
        got: usize,
        need: usize,
        exo: String,
    },
}

/// The parameter file `path` names: the file itself, or in a folder the first (by name)
/// `*_BestLast.txt`, else `*_Best.txt`.
pub fn find(path: &Path) -> Result<PathBuf, StartError> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| StartError::Read(path.to_path_buf(), e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for suffix in ["_BestLast.txt", "_Best.txt"] {
        if let Some(p) = names.iter().find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        }) {
            return Ok(p.clone());
        }
    }
    Err(StartError::NoneFound(path.to_path_buf()))
}

/// What happened to the exo slice of a loaded vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExoSlice {
    /// Same layout: carried over.
    Kept,
    /// A human-only (77) vector, or one of another exo layout: this run's exo defaults appended.
    Defaults,
    /// No exo in this run; an exo slice in the file was dropped.
    Dropped,
    /// `--myoassist_parity`: reset to the defaults as the original always does.
    Reset,
}

/// Reads `path` and fits it to `layout`, then clips it to the bounds.
pub fn load(
    path: &Path,
    layout: &Layout,
    parity: bool,
) -> Result<(Vec<f64>, PathBuf, ExoSlice), StartError> {
    let file = find(path)?;
    let v = crate::io::read_params(&file)?;
    let need = layout.len();
    let exo_of = |len: usize| -> bool { len > N_HUMAN && len != need };
    let (mut x, how) = if v.len() == need {
        (v, ExoSlice::Kept)
    } else if v.len() == N_HUMAN || (layout.exo_len() > 0 && exo_of(v.len())) {
        let mut x = v[..N_HUMAN].to_vec();
        x.extend(layout.exo_range().map(|i| layout.x0(i).unwrap_or(0.5)));
        (x, ExoSlice::Defaults)
    } else if layout.exo_len() == 0 && v.len() > N_HUMAN {
        (v[..N_HUMAN].to_vec(), ExoSlice::Dropped)
    } else {
        let exo = if layout.exo_len() > 0 {
            format!(" + {} exo", layout.exo_len())
        } else {
            String::new()
        };
        return Err(StartError::Count {
            path: file,
            got: v.len(),
            need,
            exo,
        });
    };
    let mut how = how;
    if parity && layout.exo_len() > 0 && how == ExoSlice::Kept {
        for i in layout.exo_range() {
            x[i] = layout.x0(i).unwrap_or(x[i]);
        }
        how = ExoSlice::Reset;
    }
    for (i, xi) in x.iter_mut().enumerate() {
        if let Some((lo, hi)) = layout.bound(i) {
            *xi = xi.max(lo).min(hi);
        }
    }
    Ok((x, file, how))
}

/// x0 of a new run.
pub fn default_x0(layout: &Layout) -> Vec<f64> {
    layout.x0_iter().collect()
}
