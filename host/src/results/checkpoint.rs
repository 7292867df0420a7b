//! The `--pickle_path` checkpoint: the whole CMA-ES state plus what the run needs to go on in
//! the same results folder, as versioned JSON (`<trial>_checkpoint.json`), written atomically
//! after every generation and when the run is interrupted.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

use super::generations::GenRow;
use crate::optim::CmaEs;

pub const FORMAT: &str = "myoreflex-cmaes-checkpoint";
pub const VERSION: u32 = 1;
pub const SUFFIX: &str = "_checkpoint.json";

/// Everything needed to continue a run exactly where it stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: String,
    pub version: u32,
    pub trial: String,
    /// The results folder the run writes into.
    pub run_dir: PathBuf,
    /// `MMDD_HHMM` of the run's start.
    pub stamp: String,
    /// The config name and its explicitly set keys (as saved beside the results).
    pub config_name: String,
    pub config: serde_json::Value,
    pub seed: u64,
    pub es: CmaEs,
    pub history: Vec<GenRow>,
}

/// A checkpoint that cannot be found, read or used.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("no checkpoint (*{SUFFIX}) in {0}; pass the results folder of a myoreflex run or the checkpoint file itself")]
    NoneFound(PathBuf),
    #[error("{0} holds several checkpoints ({1}); pass the file itself")]
    Several(PathBuf, String),
    #[error("{0} is a pycma pickle; myoreflex cannot read pycma state, pass a myoreflex *{SUFFIX} instead")]
    Pickle(PathBuf),
    #[error("cannot read checkpoint {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("checkpoint {0} is corrupt or not a myoreflex checkpoint ({1}); delete it or point --pickle_path at an intact one")]
    Corrupt(PathBuf, String),
    #[error("checkpoint {0} has format version {1}, this myoreflex reads version {VERSION}")]
    Version(PathBuf, u32),
    #[error("cannot write checkpoint {0}: {1}")]
    Write(PathBuf, String),
}

impl Checkpoint {
    /// The file name inside the run folder.
    pub fn path(&self) -> PathBuf {
        self.run_dir.join(format!("{}{SUFFIX}", self.trial))
    }

    /// Writes the checkpoint (temporary file, then rename).
    pub fn save(&self) -> Result<(), CheckpointError> {
        let path = self.path();
        let text = serde_json::to_string(self)
            .map_err(|e| CheckpointError::Write(path.clone(), e.to_string()))?;
        crate::io::write_atomic(&path, text.as_bytes())
            .map_err(|e| CheckpointError::Write(path, e.to_string()))
    }

    /// Loads `path`: a checkpoint file, or a folder holding exactly one.
    pub fn load(path: &Path) -> Result<Self, CheckpointError> {
        let file = find(path)?;
        let text =
            std::fs::read_to_string(&file).map_err(|e| CheckpointError::Read(file.clone(), e))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CheckpointError::Corrupt(file.clone(), e.to_string()))?;
        if v.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(CheckpointError::Corrupt(
                file,
                format!("missing \"format\": \"{FORMAT}\""),
            ));
        }
        let version = v.get("version").and_then(|x| x.as_u64()).unwrap_or(0) as u32;
        if version != VERSION {
            return Err(CheckpointError::Version(file, version));
        }
        let c: Checkpoint = serde_json::from_str(&text)
            .map_err(|e| CheckpointError::Corrupt(file.clone(), e.to_string()))?;
        c.es.check_consistency()
            .map_err(|e| CheckpointError::Corrupt(file.clone(), e))?;
        Ok(c)
    }
}

fn find(path: &Path) -> Result<PathBuf, CheckpointError> {
    if path.extension().and_then(|e| e.to_str()) == Some("pkl") {
        return Err(CheckpointError::Pickle(path.to_path_buf()));
    }
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let rd = std::fs::read_dir(path).map_err(|e| CheckpointError::Read(path.to_path_buf(), e))?;
    let mut found: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(SUFFIX))
        })
        .collect();
    found.sort();
    match found.len() {
        0 => Err(CheckpointError::NoneFound(path.to_path_buf())),
        1 => Ok(found.remove(0)),
        _ => Err(CheckpointError::Several(
            path.to_path_buf(),
            found
                .iter()
                .filter_map(|p| p.file_name()?.to_str().map(String::from))
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}
