//! Run configurations: `training_configs/*.json`, MyoAssist `.bat`/`.sh` launchers and
//! command-line flags, with the original's key names (`../shared/spec/original.md` 1.2-1.4,
//! `../shared/spec/seed-running-optimizations.md`).
//!
//! `--config NAME|PATH` picks a file; every key is also a flag of the same name that overrides
//! the file. Unknown keys, wrong types and out-of-range values are errors that name the key and
//! the file. [`RunConfig::saved_json`] holds only the keys that were set explicitly.
//!
//! ```no_run
//! let cfg = myoreflex::config::load(Some("debug"), &[("maxiter".into(), 5.into())]).unwrap();
//! assert_eq!(cfg.maxiter, Some(5));
//! ```

pub mod args;
pub mod keys;
pub mod launcher;

pub use args::ConfigArgs;

use crate::cost::CostType;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Where a setting came from, for error messages.
pub const CLI: &str = "the command line";

/// A configuration problem; every variant names the key (if any) and the source.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "unknown config `{name}`: no {name}.json/.sh/.bat in {searched}; available: {available}"
    )]
    NotFound {
        name: String,
        searched: String,
        available: String,
    },
    #[error("cannot read config {file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("config {file} is not a JSON object of keys: {msg}")]
    Json { file: String, msg: String },
    #[error("unknown key `{key}` in {file} (see `myoreflex train --help` for the keys)")]
    UnknownKey { key: String, file: String },
    #[error("key `{key}` in {file}: {msg}")]
    Invalid {
        key: String,
        file: String,
        msg: String,
    },
    #[error("{file}: {msg}")]
    Conflict { file: String, msg: String },
}

/// The settings of one run, with the original's defaults for keys nobody set.
#[derive(Clone, Debug, PartialEq)]
pub struct RunConfig {
    /// Config name: the file stem, or `cli` when no file was given.
    pub name: String,
    /// The file the config came from.
    pub source: Option<PathBuf>,
    /// Keys set explicitly (file, then command line), in order; what [`Self::saved_json`] writes.
    pub explicit: Vec<(String, Value)>,
    pub musc_model: String,
    pub model: String,
    pub model_path: Option<String>,
    pub sim_time: f64,
    pub pose_key: String,
    pub num_strides: usize,
    pub delayed: bool,
    pub optim_mode: String,
    pub reflex_mode: String,
    pub tgt_vel: f64,
    pub tgt_slope: f64,
    pub trunk_err_type: String,
    pub tgt_sym_th: f64,
    pub tgt_grf_th: f64,
    pub cost: CostType,
    pub exo_on: bool,
    pub use_4param_spline: bool,
    pub fixed_exo: bool,
    pub n_points: usize,
    pub max_torque: f64,
    pub popsize: Option<usize>,
    pub maxiter: Option<usize>,
    pub threads: Option<usize>,
    pub sigma: Option<f64>,
    pub sigma_gain: Option<f64>,
    pub run_suffix: Option<String>,
    pub cluster: bool,
    pub param_path: Option<String>,
    pub save_path: Option<String>,
    pub pickle_path: Option<String>,
    pub cma_options: Option<String>,
    /// `--cost_weights`: multipliers of the walking-tier cost terms (our addition).
    pub cost_weights: crate::cost::CostWeights,
    /// `--exo_device`: the board whose device layer the exo torques go through (our addition).
    pub exo_device: Option<(controller::blob::DeviceClass, f64)>,
    pub seed: Option<u64>,
    pub engine: String,
    pub myoassist_parity: bool,
}

impl Default for RunConfig {
    /// No file, no flags: the original's defaults (velocity cost, n_points 4, max_torque 10)
    /// and the shipped configs' common values for keys the original leaves unset.
    fn default() -> Self {
        RunConfig {
            name: "cli".into(),
            source: None,
            explicit: Vec::new(),
            musc_model: "22".into(),
            model: "baseline".into(),
            model_path: None,
            sim_time: 20.0,
            pose_key: "walk_left".into(),
            num_strides: 5,
            delayed: false,
            optim_mode: "single".into(),
            reflex_mode: "uni".into(),
            tgt_vel: 1.25,
            tgt_slope: 0.0,
            trunk_err_type: "ref_diff".into(),
            tgt_sym_th: 0.1,
            tgt_grf_th: 1.5,
            cost: CostType::Velocity,
            exo_on: false,
            use_4param_spline: false,
            fixed_exo: false,
            n_points: 4,
            max_torque: 10.0,
            popsize: None,
            maxiter: None,
            threads: None,
            sigma: None,
            sigma_gain: None,
            run_suffix: None,
            cluster: false,
            param_path: None,
            save_path: None,
            pickle_path: None,
            cma_options: None,
            cost_weights: Default::default(),
            exo_device: None,
            seed: None,
            engine: "native".into(),
            myoassist_parity: false,
        }
    }
}

/// Loads `name_or_path` (none: defaults only) and applies `overrides` (key, value) from the
/// command line on top.
pub fn load(
    name_or_path: Option<&str>,
    overrides: &[(String, Value)],
) -> Result<RunConfig, ConfigError> {
    let (name, source, mut entries) = match name_or_path {
        Some(n) => {
            let path = resolve(n)?;
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                file: file.clone(),
                source,
            })?;
            let entries = match path.extension().and_then(|e| e.to_str()) {
                Some("bat") | Some("sh") | Some("cmd") => {
                    parse_words(&launcher::command_words(&text), &file)?
                }
                _ => parse_json(&text, &file)?,
            };
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("config")
                .to_string();
            (stem, Some(path), entries)
        }
        None => ("cli".to_string(), None, Vec::new()),
    };
    let file = source
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| CLI.into());
    apply_overrides(&mut entries, overrides)?;
    build(name, source, entries, &file, overrides)
}

/// The config a `--pickle_path` checkpoint was made with: its explicitly set keys (`saved`, the
/// object the checkpoint stores; `label` names the checkpoint file in errors) with `overrides`
/// from the command line on top.
pub fn load_saved(
    name: &str,
    saved: &Value,
    label: &str,
    overrides: &[(String, Value)],
) -> Result<RunConfig, ConfigError> {
    let mut entries = parse_json(&saved.to_string(), label)?;
    apply_overrides(&mut entries, overrides)?;
    build(name.to_string(), None, entries, label, overrides)
}

/// Applies the command line's keys on top of a file's; a cost flag on the command line replaces
/// the file's cost flag.
fn apply_overrides(
    entries: &mut Vec<(String, Value)>,
    overrides: &[(String, Value)],
) -> Result<(), ConfigError> {
    let cli_cost = overrides
        .iter()
        .any(|(k, v)| keys::COST_KEYS.contains(&k.as_str()) && v == &Value::Bool(true));
    if cli_cost {
        entries.retain(|(k, _)| !keys::COST_KEYS.contains(&k.as_str()));
    }
    for (k, v) in overrides {
        let key = keys::find(k).ok_or_else(|| ConfigError::UnknownKey {
            key: k.clone(),
            file: CLI.into(),
        })?;
        let v = keys::check(key, v).map_err(|msg| ConfigError::Invalid {
            key: k.clone(),
            file: CLI.into(),
            msg,
        })?;
        match entries.iter_mut().find(|(ek, _)| ek == k) {
            Some(e) => e.1 = v,
            None => entries.push((k.clone(), v)),
        }
    }
    Ok(())
}

/// The directories searched for `training_configs/NAME.*`: the working directory, its parent,
/// and the project's own folder.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("training_configs"),
        PathBuf::from("../training_configs"),
    ];
    dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../training_configs"));
    dirs
}

/// Names of the configs found in [`search_dirs`].
pub fn available() -> Vec<String> {
    let mut names: Vec<String> = search_dirs()
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            let ext = p.extension()?.to_str()?;
            matches!(ext, "json" | "bat" | "sh")
                .then(|| p.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn resolve(n: &str) -> Result<PathBuf, ConfigError> {
    let p = Path::new(n);
    if p.is_file() {
        return Ok(p.to_path_buf());
    }
    let looks_like_path = n.contains('/') || n.contains('\\') || p.extension().is_some();
    if !looks_like_path {
        for d in search_dirs() {
            for ext in ["json", "sh", "bat"] {
                let c = d.join(format!("{n}.{ext}"));
                if c.is_file() {
                    return Ok(c);
                }
            }
        }
    }
    Err(ConfigError::NotFound {
        name: n.to_string(),
        searched: if looks_like_path {
            n.to_string()
        } else {
            "training_configs/".into()
        },
        available: available().join(", "),
    })
}

/// Parses a JSON object, keeping the order of the keys and rejecting duplicates.
fn parse_json(text: &str, file: &str) -> Result<Vec<(String, Value)>, ConfigError> {
    struct Ordered(Vec<(String, Value)>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object of config keys")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<Ordered, A::Error> {
                    let mut out: Vec<(String, Value)> = Vec::new();
                    while let Some((k, v)) = m.next_entry::<String, Value>()? {
                        if out.iter().any(|(e, _)| *e == k) {
                            return Err(serde::de::Error::custom(format!(
                                "key `{k}` appears twice"
                            )));
                        }
                        out.push((k, v));
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    let o: Ordered = serde_json::from_str(text).map_err(|e| ConfigError::Json {
        file: file.into(),
        msg: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(o.0.len());
    for (k, v) in o.0 {
        let key = keys::find(&k).ok_or_else(|| ConfigError::UnknownKey {
            key: k.clone(),
            file: file.into(),
        })?;
        let v = keys::check(key, &v).map_err(|msg| ConfigError::Invalid {
            key: k.clone(),
            file: file.into(),
            msg,
        })?;
        out.push((k, v));
    }
    Ok(out)
}

/// Parses flag words (`--model tutorial -kine --popsize 8`) as in a launcher file.
pub fn parse_words(words: &[String], file: &str) -> Result<Vec<(String, Value)>, ConfigError> {
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let key = if let Some(long) = w.strip_prefix("--") {
            keys::find(long)
        } else {
            keys::find_short(w)
        }
        .ok_or_else(|| ConfigError::UnknownKey {
            key: w.trim_start_matches('-').to_string(),
            file: file.into(),
        })?;
        i += 1;
        let is_value = |s: &String| !s.starts_with('-') || s.parse::<f64>().is_ok();
        let v =
            match key.kind {
                keys::Kind::Bool => match words.get(i) {
                    Some(n) if matches!(n.as_str(), "true" | "false" | "True" | "False") => {
                        i += 1;
                        Value::Bool(n.eq_ignore_ascii_case("true"))
                    }
                    _ => Value::Bool(true),
                },
                keys::Kind::FloatList => {
                    let start = i;
                    while i < words.len() && is_value(&words[i]) {
                        i += 1;
                    }
                    keys::parse_word(key, &words[start..i].join(" ")).map_err(|msg| {
                        ConfigError::Invalid {
                            key: key.name.into(),
                            file: file.into(),
                            msg,
                        }
                    })?
                }
                _ => {
                    let n = words.get(i).filter(|n| is_value(n)).ok_or_else(|| {
                        ConfigError::Invalid {
                            key: key.name.into(),
                            file: file.into(),
                            msg: "missing value".into(),
                        }
                    })?;
                    i += 1;
                    keys::parse_word(key, n).map_err(|msg| ConfigError::Invalid {
                        key: key.name.into(),
                        file: file.into(),
                        msg,
                    })?
                }
            };
        match out.iter_mut().find(|(k, _)| k == key.name) {
            Some(e) => e.1 = v,
            None => out.push((key.name.to_string(), v)),
        }
    }
    Ok(out)
}

fn build(
    name: String,
    source: Option<PathBuf>,
    explicit: Vec<(String, Value)>,
    file: &str,
    cli: &[(String, Value)],
) -> Result<RunConfig, ConfigError> {
    // where a key's value came from, for its errors
    let origin = |k: &str| -> String {
        if cli.iter().any(|(o, _)| o == k) {
            CLI.into()
        } else {
            file.into()
        }
    };
    let mut c = RunConfig {
        name,
        source,
        ..RunConfig::default()
    };
    let costs: Vec<&str> = explicit
        .iter()
        .filter(|(k, v)| keys::COST_KEYS.contains(&k.as_str()) && *v == Value::Bool(true))
        .map(|(k, _)| k.as_str())
        .collect();
    if costs.len() > 1 {
        return Err(ConfigError::Conflict {
            file: file.into(),
            msg: format!(
                "cost flags {} are mutually exclusive; keep one",
                costs.join(" and ")
            ),
        });
    }
    if let Some(k) = costs.first() {
        c.cost = CostType::from_key(k).unwrap_or(CostType::Velocity);
    }
    let get = |k: &str| explicit.iter().find(|(e, _)| e == k).map(|(_, v)| v);
    let text = |k: &str| get(k).and_then(Value::as_str).map(String::from);
    let num = |k: &str| get(k).and_then(Value::as_f64);
    let int = |k: &str| get(k).and_then(Value::as_i64);
    let flag = |k: &str| get(k).and_then(Value::as_bool);
    if let Some(v) = text("musc_model") {
        c.musc_model = v;
    }
    if let Some(v) = text("model") {
        c.model = v;
    }
    c.model_path = text("model_path");
    if c.model == "custom" && c.model_path.is_none() {
        return Err(ConfigError::Invalid {
            key: "model".into(),
            file: origin("model"),
            msg: "`custom` needs model_path".into(),
        });
    }
    if let Some(v) = num("sim_time") {
        c.sim_time = v;
    }
    if let Some(v) = text("pose_key") {
        c.pose_key = v;
    }
    if let Some(v) = int("num_strides") {
        c.num_strides = v as usize;
    }
    if let Some(v) = int("delayed") {
        c.delayed = v == 1;
    }
    if let Some(v) = text("optim_mode") {
        c.optim_mode = v;
    }
    if let Some(v) = text("reflex_mode") {
        c.reflex_mode = v;
    }
    if let Some(v) = num("tgt_vel") {
        c.tgt_vel = v;
    }
    if let Some(v) = num("tgt_slope") {
        c.tgt_slope = v;
    }
    if let Some(v) = text("trunk_err_type") {
        c.trunk_err_type = v;
    }
    if let Some(v) = num("tgt_sym_th") {
        c.tgt_sym_th = v;
    }
    if let Some(v) = num("tgt_grf_th") {
        c.tgt_grf_th = v;
    }
    match (int("ExoOn"), flag("exo_bool")) {
        (Some(a), Some(b)) if (a == 1) != b => {
            return Err(ConfigError::Conflict {
                file: file.into(),
                msg: format!("ExoOn {a} contradicts exo_bool {b}; keep one"),
            })
        }
        (Some(a), _) => c.exo_on = a == 1,
        (None, Some(b)) => c.exo_on = b,
        (None, None) => {}
    }
    c.use_4param_spline = flag("use_4param_spline").unwrap_or(false);
    c.fixed_exo = flag("fixed_exo").unwrap_or(false);
    if let Some(v) = int("n_points") {
        c.n_points = v as usize;
    }
    if let Some(v) = num("max_torque") {
        c.max_torque = v;
    }
    c.popsize = int("popsize").map(|v| v as usize);
    c.maxiter = int("maxiter").map(|v| v as usize);
    c.threads = int("threads").map(|v| v as usize);
    c.sigma = num("sigma");
    c.sigma_gain = num("sigma_gain");
    c.run_suffix = text("runSuffix");
    c.cluster = flag("cluster").unwrap_or(false);
    c.param_path = text("param_path");
    c.save_path = text("save_path");
    c.pickle_path = text("pickle_path");
    c.cma_options = text("cma_options");
    if let Some(v) = text("cost_weights") {
        c.cost_weights =
            crate::cost::CostWeights::parse(&v).map_err(|msg| ConfigError::Invalid {
                key: "cost_weights".into(),
                file: origin("cost_weights"),
                msg,
            })?;
    }
    if let Some(v) = text("exo_device") {
        c.exo_device =
            Some(
                crate::hil::device_loop::parse_board(&v).map_err(|msg| ConfigError::Invalid {
                    key: "exo_device".into(),
                    file: origin("exo_device"),
                    msg,
                })?,
            );
    }
    if c.cost_weights.bands > 0.0
        && matches!(
            c.cost,
            CostType::Effort | CostType::EffKnee | CostType::Velocity
        )
    {
        return Err(ConfigError::Invalid {
            key: "cost_weights".into(),
            file: origin("cost_weights"),
            msg: format!(
                "`bands` adds to a gated walking tier, which the cost `{}` does not have (the default cost is velocity); choose a kinematics*, velocity_grf, vel_musc*, classic or combined cost, or drop bands",
                c.cost.key()
            ),
        });
    }
    if c.exo_device.is_some() && !c.exo_on {
        return Err(ConfigError::Invalid {
            key: "exo_device".into(),
            file: origin("exo_device"),
            msg: "the run has no exo (ExoOn 0), so no exo torque would go through the device; set --ExoOn 1 or drop exo_device".into(),
        });
    }
    if let Some((_, limit)) = c.exo_device.filter(|&(_, l)| c.max_torque > l) {
        return Err(ConfigError::Invalid {
            key: "exo_device".into(),
            file: origin("exo_device"),
            msg: format!(
                "max_torque {} exceeds the device's limit {limit} N m, so the firmware would reject every profile; lower --max_torque to {limit} or name a board with a higher limit (CLASS:LIMIT)",
                c.max_torque
            ),
        });
    }
    c.seed = int("seed").map(|v| v as u64);
    if let Some(v) = text("engine") {
        c.engine = v;
    }
    c.myoassist_parity = flag("myoassist_parity").unwrap_or(false);
    c.explicit = explicit;
    Ok(c)
}

impl RunConfig {
    /// The explicitly set keys as a pretty JSON object (what a results folder keeps).
    pub fn saved_json(&self) -> String {
        let mut s = String::from("{\n");
        for (i, (k, v)) in self.explicit.iter().enumerate() {
            let sep = if i + 1 < self.explicit.len() { "," } else { "" };
            s.push_str(&format!("    {}: {}{}\n", Value::String(k.clone()), v, sep));
        }
        s.push_str("}\n");
        s
    }

    /// The name the saved config gets: `basename(save_path)` as in the original, else the
    /// config name.
    pub fn saved_name(&self) -> String {
        self.save_path
            .as_deref()
            .and_then(|p| Path::new(p).file_name())
            .and_then(|n| n.to_str())
            .map(String::from)
            .unwrap_or_else(|| self.name.clone())
    }

    /// Writes `<saved_name>_<stamp>.json` into `dir` (temp file, then rename); returns its path.
    pub fn save(&self, dir: &Path, stamp: &str) -> std::io::Result<PathBuf> {
        let path = dir.join(format!("{}_{stamp}.json", self.saved_name()));
        let tmp = dir.join(format!(".{}_{stamp}.json.tmp", self.saved_name()));
        std::fs::write(&tmp, self.saved_json())?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }

    /// Number of exo parameters in the vector: 4 (4-parameter), 2n (n-point) or 0 (exo off).
    pub fn n_exo_params(&self) -> usize {
        match (self.exo_on, self.use_4param_spline) {
            (false, _) => 0,
            (true, true) => 4,
            (true, false) => 2 * self.n_points,
        }
    }

    /// Control step: 1 ms with delays, 10 ms without.
    pub fn ctrl_dt(&self) -> f64 {
        if self.delayed {
            0.001
        } else {
            0.01
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, text: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("myoreflex-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn every_shipped_config_loads() {
        let names = available();
        for n in [
            "baseline",
            "debug",
            "exo_4param",
            "exo_4param_kine",
            "exo_npoint",
            "exo_npoint_cont",
            "tutorial",
        ] {
            assert!(names.iter().any(|m| m == n), "missing {n}");
            let c = load(Some(n), &[]).unwrap();
            assert_eq!(c.cost, CostType::Kine, "{n}");
            assert_eq!(c.sigma_gain, Some(10.0));
        }
        let d = load(Some("debug"), &[]).unwrap();
        assert_eq!(
            (
                d.model.as_str(),
                d.exo_on,
                d.use_4param_spline,
                d.max_torque,
                d.popsize
            ),
            ("humotech", true, true, 100.0, Some(8))
        );
        assert_eq!(d.n_exo_params(), 4);
        let n = load(Some("exo_npoint"), &[]).unwrap();
        assert_eq!(n.n_exo_params(), 12);
    }

    #[test]
    fn overrides_replace_file_values_and_only_explicit_keys_are_saved() {
        let c = load(
            Some("debug"),
            &[
                ("maxiter".into(), Value::from(3)),
                ("effort".into(), Value::Bool(true)),
                ("seed".into(), Value::from(7)),
            ],
        )
        .unwrap();
        assert_eq!(c.maxiter, Some(3));
        assert_eq!(c.cost, CostType::Effort);
        assert_eq!(c.seed, Some(7));
        let saved: serde_json::Value = serde_json::from_str(&c.saved_json()).unwrap();
        assert_eq!(saved["maxiter"], 3);
        assert!(saved.get("kinematics").is_none());
        assert!(saved.get("n_points").is_none(), "defaults are not saved");
        let empty = load(None, &[("popsize".into(), Value::from(4))]).unwrap();
        assert_eq!(empty.saved_json(), "{\n    \"popsize\": 4\n}\n");
    }

    #[test]
    fn launcher_files_load_like_json() {
        let bat = tmp("t.bat", "@echo off\npython -m myoassist_reflex.train ^\n  --musc_model 22 ^\n  --model tutorial ^\n  -eff ^\n  --ExoOn 1 ^\n  --use_4param_spline ^\n  --max_torque 100.0 ^\n  --save_path results/t\n");
        let c = load(bat.to_str(), &[]).unwrap();
        assert_eq!(
            (
                c.model.as_str(),
                c.cost,
                c.exo_on,
                c.use_4param_spline,
                c.max_torque
            ),
            ("tutorial", CostType::Effort, true, true, 100.0)
        );
        assert_eq!(c.saved_name(), "t");
    }

    #[test]
    fn bad_configs_name_key_and_file() {
        let p = tmp("bad1.json", "{\"popsize\": 8, \"colour\": 1}");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(e.contains("`colour`") && e.contains("bad1.json"), "{e}");
        let p = tmp("bad2.json", "{\"popsize\": \"eight\"}");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(
            e.contains("`popsize`") && e.contains("bad2.json") && e.contains("integer"),
            "{e}"
        );
        let p = tmp("bad3.json", "{\"popsize\": -3}");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(e.contains("out of range"), "{e}");
        let p = tmp("bad4.json", "{\"kinematics\": true, \"effort\": true}");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(e.contains("mutually exclusive"), "{e}");
        let p = tmp("bad6.json", "{\"cost_weights\": \"effort:10,speed:2\"}");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(
            e.contains("`cost_weights`") && e.contains("bad6.json") && e.contains("`speed`"),
            "{e}"
        );
        let p = tmp("bad5.bat", "python train.py --model tutorial --wings 2\n");
        let e = load(p.to_str(), &[]).unwrap_err().to_string();
        assert!(e.contains("`wings`") && e.contains("bad5.bat"), "{e}");
        let e = load(Some("no_such_config"), &[]).unwrap_err().to_string();
        assert!(
            e.contains("no_such_config") && e.contains("baseline"),
            "{e}"
        );
        let e = load(None, &[("musc_model".into(), Value::from(26))])
            .unwrap_err()
            .to_string();
        assert!(e.contains("musc_model"), "{e}");
    }
}
