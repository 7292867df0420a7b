//! The results folder of a run, `<save_path>_<MMDD_HHMM>/`, and the trial name that prefixes
//! every file in it, `myorfl_<Type>_<2D>_<vel>_<YYYYMonDD_HHMM>_<suffix>`.

use std::path::{Path, PathBuf};

use super::stamp::Stamp;
use crate::cost::report::py_repr;

/// The results folder could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot create the results folder {}: {source} (choose another --save_path or fix the permissions)", path.display())]
pub struct RunDirError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Creates `<save_path>_<stamp>/` (parents included). An existing folder is never reused: a
/// `_2`, `_3`, ... suffix is added, so earlier results stay untouched.
pub fn create(save_path: &str, stamp: &Stamp) -> Result<PathBuf, RunDirError> {
    let base = format!(
        "{}_{}",
        save_path.trim_end_matches(['/', '\\']),
        stamp.short()
    );
    for k in 1..1000 {
        let p = if k == 1 {
            PathBuf::from(&base)
        } else {
            PathBuf::from(format!("{base}_{k}"))
        };
        if let Some(parent) = p.parent().filter(|q| !q.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| RunDirError {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        match std::fs::create_dir(&p) {
            Ok(()) => {
                probe_writable(&p)?;
                return Ok(p);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(RunDirError { path: p, source }),
        }
    }
    Err(RunDirError {
        path: PathBuf::from(base),
        source: std::io::Error::other("too many runs in the same minute"),
    })
}

/// Checks that files can be written into `dir`.
pub fn probe_writable(dir: &Path) -> Result<(), RunDirError> {
    let probe = dir.join(".write_probe.tmp");
    std::fs::write(&probe, b"").map_err(|source| RunDirError {
        path: dir.to_path_buf(),
        source,
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// The original's trial name: `myorfl_Kine_2D_1_25_2025Aug11_1439_None`.
pub fn trial_name(
    cost_long_name: &str,
    three_d: bool,
    tgt_vel: f64,
    stamp: &Stamp,
    suffix: Option<&str>,
) -> String {
    format!(
        "myorfl_{}_{}_{}_{}_{}",
        cost_long_name,
        if three_d { "3D" } else { "2D" },
        py_repr(tgt_vel).replace('.', "_"),
        stamp.long(),
        suffix.unwrap_or("None")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unique_folders() {
        let s = Stamp::from_unix(1754923140);
        assert_eq!(
            trial_name("Kine", false, 1.25, &s, None),
            "myorfl_Kine_2D_1_25_2025Aug11_1439_None"
        );
        assert_eq!(
            trial_name("Effort", false, 1.0, &s, Some("a")),
            "myorfl_Effort_2D_1_0_2025Aug11_1439_a"
        );
        let root = std::env::temp_dir().join(format!("myoreflex-rundir-{}", std::process::id()));
        let save = root.join("results/debug");
        let a = create(save.to_str().unwrap(), &s).unwrap();
        let b = create(save.to_str().unwrap(), &s).unwrap();
        assert!(
            a.ends_with("debug_0811_1439") && b.ends_with("debug_0811_1439_2"),
            "{a:?} {b:?}"
        );
        std::fs::remove_dir_all(&root).ok();
    }
}
