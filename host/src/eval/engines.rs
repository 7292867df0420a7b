//! `--engine native|mujoco`: builds the engine a run asked for.

use super::EvalError;
use crate::config::RunConfig;
use crate::engine::Engine;
use std::path::PathBuf;

/// The MJCF file of the run's model: `--model_path`, else the MyoAssist file of `--model` in the
/// reference folder's `models/` copy.
pub fn model_file(cfg: &RunConfig) -> Result<PathBuf, EvalError> {
    if let Some(p) = &cfg.model_path {
        return Ok(PathBuf::from(p));
    }
    let dir = crate::model::mjcf_files::reference_models_dir();
    crate::model::mjcf_files::model_file(&dir, &cfg.model)
        .ok_or_else(|| EvalError::Config(format!("model `{}` needs --model_path", cfg.model)))
}

/// A fresh engine for the run (`cfg.engine`).
pub fn make(cfg: &RunConfig) -> Result<Box<dyn Engine>, EvalError> {
    match cfg.engine.as_str() {
        "mujoco" => mujoco(cfg),
        "native" => native(cfg),
        other => Err(EvalError::Config(format!(
            "unknown engine `{other}` (native|mujoco)"
        ))),
    }
}

/// The native simulator, built from the shipped model file of `--model` (`--model_path` is a
/// MuJoCo file and only used by `--engine mujoco`).
fn native(cfg: &RunConfig) -> Result<Box<dyn Engine>, EvalError> {
    let model = crate::sim::bench::shipped_model(&cfg.model)
        .map_err(|e| EvalError::Engine(format!("native model `{}`: {e}", cfg.model)))?;
    let e = crate::sim::engine::NativeEngine::new(model)
        .map_err(|e| EvalError::Engine(e.to_string()))?;
    Ok(Box::new(e))
}

#[cfg(feature = "mujoco")]
fn mujoco(cfg: &RunConfig) -> Result<Box<dyn Engine>, EvalError> {
    let path = model_file(cfg)?;
    if !path.is_file() {
        return Err(EvalError::Engine(format!(
            "model file {} not found (set --model_path)",
            path.display()
        )));
    }
    let e = crate::mujoco::MujocoEngine::load(&path)
        .map_err(|e| EvalError::Engine(format!("{}: {e}", path.display())))?;
    Ok(Box::new(e))
}

#[cfg(not(feature = "mujoco"))]
fn mujoco(_cfg: &RunConfig) -> Result<Box<dyn Engine>, EvalError> {
    Err(EvalError::Engine(
        "this build has no MuJoCo engine: rebuild with `--features mujoco` after scripts/get-mujoco".into(),
    ))
}
