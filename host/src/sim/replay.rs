//! Open-loop replay of the reference recordings (`dynamics_<tag>_meta.json` + parts): start
//! from a recorded full-state checkpoint, drive with the recorded controls, compare.

use super::fixtures::{fvec, json, Csv};
use super::sim::Sim;
use std::path::Path;

/// A recording: meta, model and all rows.
pub struct Recording {
    pub tag: String,
    pub meta: serde_json::Value,
    pub model: String,
    pub rows: Csv,
}

pub fn load(meta_path: &Path) -> Recording {
    let meta = json(meta_path);
    let dir = meta_path.parent().unwrap_or(Path::new("."));
    let mut rows: Option<Csv> = None;
    for f in meta["files"].as_array().into_iter().flatten() {
        let p = dir.join(f["file"].as_str().unwrap_or(""));
        let c = Csv::read(&p);
        match rows.as_mut() {
            None => rows = Some(c),
            Some(r) => r.rows.extend(c.rows),
        }
    }
    let tag = meta["tag"].as_str().unwrap_or("").to_string();
    let model = meta["model"].as_str().unwrap_or("BASELINE").to_uppercase();
    Recording {
        tag,
        meta,
        model,
        rows: rows.expect("recording without parts"),
    }
}

/// The shipped model file of a recording's model (`BASELINE`, `TUTORIAL`, ...).
pub fn model_for(model: &str) -> crate::model::Model {
    let name = crate::model::SHIPPED
        .iter()
        .find(|(_, variant)| variant.eq_ignore_ascii_case(model))
        .map(|(name, _)| *name)
        .unwrap_or_else(|| panic!("no shipped model for recording model `{model}`"));
    crate::model::shipped(name).unwrap_or_else(|e| panic!("{e}"))
}

/// The simulator of a recording's model, built from the shipped model file as `eval` builds it.
pub fn sim_for(model: &str) -> Sim {
    Sim::new(super::build::build(&model_for(model)).unwrap_or_else(|e| panic!("{e}")))
}

impl Recording {
    /// Sets the simulator to checkpoint `c` and the controls of its row; returns the row index.
    pub fn start(&self, sim: &mut Sim, c: &serde_json::Value) -> usize {
        let step = c["step"].as_u64().unwrap_or(0) as usize;
        sim.set_mujoco_state(&fvec(&c["qpos"]), &fvec(&c["qvel"]), &fvec(&c["act"]));
        sim.time = c["time"].as_f64().unwrap_or(0.0);
        let row = self.row_of_step(step);
        self.set_ctrl(sim, row);
        row
    }
    pub fn row_of_step(&self, step: usize) -> usize {
        let first = self.rows.f(0, "step") as usize;
        step - first
    }
    pub fn set_ctrl(&self, sim: &mut Sim, row: usize) {
        for i in 0..sim.model.muscles.len() {
            let name = format!("ctrl_{}", sim.model.muscles[i].name);
            sim.ctrl[i] = self.rows.f(row, &name);
        }
        for e in 0..sim.model.exo.len() {
            let name = format!("ctrl_{}", sim.model.exo[e].name);
            sim.exo_ctrl[e] = if self.rows.has(&name) {
                self.rows.f(row, &name)
            } else {
                0.0
            };
        }
    }
    pub fn checkpoints(&self) -> Vec<serde_json::Value> {
        self.meta["full_state_checkpoints"]["states"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}
