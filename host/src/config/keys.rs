//! The table of run-configuration keys: the original's flag names, their types and ranges.
//!
//! One entry per key of `python -m myoassist_reflex.train` (`../shared/spec/original.md` 1.2),
//! plus the JSON aliases of the users' guide (`exo_bool`, `sigma`) and our own additions
//! (`seed`, `cma_options`, `cost_weights`, `engine`, `myoassist_parity`). Config files, MyoAssist `.bat`/`.sh`
//! launchers and command-line flags are all checked against this one table.

use serde_json::Value;

/// What a key holds and which values are allowed.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Integer in `[min, max]`.
    Int { min: i64, max: i64 },
    /// Finite number in `[min, max]` (integers accepted).
    Float { min: f64, max: f64 },
    /// Free text.
    Text,
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// `true`/`false` (command-line: the flag alone means `true`).
    Bool,
    /// A list of numbers.
    FloatList,
}

/// One configuration key.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// Name in config files and as `--name` flag.
    pub name: &'static str,
    pub kind: Kind,
    /// The original's single-dash short flag, if any (`-kine`).
    pub short: Option<&'static str>,
    /// One line of help.
    pub help: &'static str,
}

/// Cost-type keys (mutually exclusive; at most one may be `true`).
pub const COST_KEYS: [&str; 11] = [
    "effort",
    "effort_knee",
    "velocity",
    "velocity_grf",
    "classic",
    "kinematics",
    "kinematics_grf",
    "combined",
    "kinematics_grf_musc",
    "vel_musc",
    "vel_musc_grf",
];

const MODELS: &[&str] = &[
    "baseline", "dephy", "hmedi", "humotech", "osl", "tutorial", "openexo", "custom",
];

const fn k(name: &'static str, kind: Kind, help: &'static str) -> Key {
    Key {
        name,
        kind,
        short: None,
        help,
    }
}
const fn s(name: &'static str, short: &'static str, help: &'static str) -> Key {
    Key {
        name,
        kind: Kind::Bool,
        short: Some(short),
        help,
    }
}
const BIG: i64 = 1 << 40;

/// Every key, in the order the original's argument parser lists them.
pub const KEYS: &[Key] = &[
    k(
        "musc_model",
        Kind::Choice(&["22"]),
        "muscle model: 22 (the 2-D 22-muscle family; 26/80 are not supported)",
    ),
    k(
        "model",
        Kind::Choice(MODELS),
        "model variant (custom needs model_path)",
    ),
    k(
        "model_path",
        Kind::Text,
        "MJCF file of the MyoAssist 22-muscle 2-D family",
    ),
    k(
        "sim_time",
        Kind::Float {
            min: 1e-3,
            max: 3600.0,
        },
        "simulated seconds per episode",
    ),
    k(
        "pose_key",
        Kind::Choice(&["walk_left", "walk_right"]),
        "initial keyframe",
    ),
    k(
        "num_strides",
        Kind::Int { min: 1, max: 1000 },
        "strides N in the cost window",
    ),
    k(
        "delayed",
        Kind::Int { min: 0, max: 1 },
        "1: 1 kHz controller with neural delays; 0: 100 Hz, no delays",
    ),
    k(
        "optim_mode",
        Kind::Choice(&["single", "evaluate"]),
        "single (CMA-ES run) or evaluate (one episode)",
    ),
    k(
        "reflex_mode",
        Kind::Choice(&["uni", "ind"]),
        "reflex parameter sharing (both legs share one block for 22 muscles)",
    ),
    k(
        "tgt_vel",
        Kind::Float {
            min: 0.0,
            max: 10.0,
        },
        "target walking speed, m/s",
    ),
    k(
        "tgt_slope",
        Kind::Float {
            min: -45.0,
            max: 45.0,
        },
        "terrain slope, degrees",
    ),
    k(
        "trunk_err_type",
        Kind::Choice(&[
            "ref_diff",
            "zero_diff",
            "vel_square",
            "tgt_diff",
            "no_trunk",
        ]),
        "kept for compatibility; the cost always uses |trunk - reference|",
    ),
    k(
        "tgt_sym_th",
        Kind::Float { min: 0.0, max: 1e9 },
        "symmetry threshold of the gate",
    ),
    k(
        "tgt_grf_th",
        Kind::Float { min: 0.0, max: 1e9 },
        "GRF threshold in body weights",
    ),
    k(
        "optim_params",
        Kind::FloatList,
        "accepted and unused, as in the original",
    ),
    s("effort", "-eff", "cost: effort"),
    s("effort_knee", "-eff_knee", "cost: effort + knee pain"),
    s("velocity", "-vel", "cost: velocity gate only (the default)"),
    s(
        "velocity_grf",
        "-vel_grf",
        "cost: effort + GRF + trunk behind the velocity gate",
    ),
    s(
        "classic",
        "-class",
        "cost: effort + trunk behind the velocity gate (1000 x velocity)",
    ),
    s(
        "kinematics",
        "-kine",
        "cost: effort + kinematics + trunk behind the gate",
    ),
    s("kinematics_grf", "-kine_grf", "cost: -kine + GRF"),
    s(
        "combined",
        "-combined",
        "cost: effort + kinematics + trunk + GRF + 1000 x velocity behind the gate",
    ),
    s(
        "kinematics_grf_musc",
        "-kine_grf_musc",
        "cost: -kine_grf + EMG profile",
    ),
    s(
        "vel_musc",
        "-vel_musc",
        "cost: effort + EMG profile behind the velocity gate",
    ),
    s(
        "vel_musc_grf",
        "-vel_musc_grf",
        "cost: effort + trunk + GRF + EMG behind the velocity gate",
    ),
    k(
        "ExoOn",
        Kind::Int { min: 0, max: 1 },
        "1: exoskeleton on, exo parameters appended",
    ),
    k("exo_bool", Kind::Bool, "alias of ExoOn (true/false)"),
    k(
        "use_4param_spline",
        Kind::Bool,
        "legacy 4-parameter exo profile instead of the n-point spline",
    ),
    k(
        "fixed_exo",
        Kind::Bool,
        "4-parameter profile ignores its parameters (defaults)",
    ),
    k(
        "n_points",
        Kind::Int { min: 1, max: 64 },
        "n-point spline knots",
    ),
    k(
        "max_torque",
        Kind::Float {
            min: 0.0,
            max: 1000.0,
        },
        "exo torque scale, N m",
    ),
    k(
        "popsize",
        Kind::Int {
            min: 2,
            max: 1_000_000,
        },
        "CMA-ES population size",
    ),
    k(
        "maxiter",
        Kind::Int { min: 1, max: BIG },
        "CMA-ES generations",
    ),
    k(
        "threads",
        Kind::Int { min: 1, max: 4096 },
        "parallel evaluations",
    ),
    k(
        "sigma_gain",
        Kind::Float {
            min: 1e-12,
            max: 1e9,
        },
        "per-coordinate multiplier of sigma0",
    ),
    k(
        "sigma",
        Kind::Float {
            min: 1e-12,
            max: 1e9,
        },
        "initial step size sigma0 (default 0.01)",
    ),
    k("runSuffix", Kind::Text, "appended to the trial name"),
    s("cluster", "-clu", "cluster run (MPI build)"),
    k(
        "cost_print",
        Kind::Bool,
        "accepted and unused, as in the original",
    ),
    k(
        "param_path",
        Kind::Text,
        "folder (or file) with a _BestLast.txt/_Best.txt to start from",
    ),
    k("save_path", Kind::Text, "results folder stem"),
    k(
        "pickle_path",
        Kind::Text,
        "checkpoint (folder or file) to resume",
    ),
    k(
        "cma_options",
        Kind::Text,
        "\"tolfun:1e-9,tolx:1e-9,tolstagnation:150\"",
    ),
    k(
        "cost_weights",
        Kind::Text,
        "\"effort:10,trunk:5\": multiply walking-tier cost terms (effort, kinematic, trunk, grf, emg)",
    ),
    k(
        "exo_device",
        Kind::Text,
        "run the exo through the firmware's device layer (stance gating, clamp, slew) of a board: qemu, stm32 or CLASS:LIMIT",
    ),
    k(
        "seed",
        Kind::Int {
            min: 0,
            max: i64::MAX,
        },
        "random seed",
    ),
    k(
        "engine",
        Kind::Choice(&["native", "mujoco"]),
        "physics engine",
    ),
    k(
        "myoassist_parity",
        Kind::Bool,
        "restore every number-changing quirk of the original",
    ),
];

/// Looks a key up by name.
pub fn find(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// Looks a key up by its single-dash short flag (`-kine`).
pub fn find_short(flag: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.short == Some(flag))
}

/// Checks `v` against the key's type and range; returns the normalised value
/// (`musc_model` 22 -> "22") or a message saying what is wrong.
pub fn check(key: &Key, v: &Value) -> Result<Value, String> {
    match key.kind {
        Kind::Int { min, max } => {
            let i = match v {
                Value::Number(n) if n.is_i64() => n.as_i64().unwrap_or(0),
                Value::Number(n) if n.is_u64() => {
                    return Err(format!("{n} is out of range [{min}, {max}]"))
                }
                _ => return Err(format!("expected an integer, got {}", show(v))),
            };
            if i < min || i > max {
                return Err(format!("{i} is out of range [{min}, {max}]"));
            }
            Ok(Value::from(i))
        }
        Kind::Float { min, max } => {
            let x = v
                .as_f64()
                .ok_or_else(|| format!("expected a number, got {}", show(v)))?;
            if !x.is_finite() || x < min || x > max {
                return Err(format!("{x} is out of range [{min}, {max}]"));
            }
            Ok(v.clone())
        }
        Kind::Text => match v {
            Value::String(_) => Ok(v.clone()),
            _ => Err(format!("expected a string, got {}", show(v))),
        },
        Kind::Choice(words) => {
            let w = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => {
                    return Err(format!(
                        "expected one of {}, got {}",
                        words.join("|"),
                        show(v)
                    ))
                }
            };
            if words.contains(&w.as_str()) {
                Ok(Value::String(w))
            } else {
                Err(format!("`{w}` is not one of {}", words.join("|")))
            }
        }
        Kind::Bool => match v {
            Value::Bool(_) => Ok(v.clone()),
            _ => Err(format!("expected true or false, got {}", show(v))),
        },
        Kind::FloatList => match v {
            Value::Array(a) if a.iter().all(|x| x.as_f64().is_some_and(f64::is_finite)) => {
                Ok(v.clone())
            }
            _ => Err(format!("expected a list of numbers, got {}", show(v))),
        },
    }
}

/// Converts a command-line or launcher word into a value of the key's type.
pub fn parse_word(key: &Key, word: &str) -> Result<Value, String> {
    let v = match key.kind {
        Kind::Int { .. } => word
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("expected an integer, got `{word}`"))?,
        Kind::Float { .. } => {
            let x: f64 = word
                .parse()
                .map_err(|_| format!("expected a number, got `{word}`"))?;
            serde_json::Number::from_f64(x)
                .map(Value::Number)
                .ok_or_else(|| format!("`{word}` is not finite"))?
        }
        Kind::Bool => match word.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            _ => return Err(format!("expected true or false, got `{word}`")),
        },
        Kind::FloatList => {
            let mut out = Vec::new();
            for w in word.split([',', ' ']).filter(|w| !w.is_empty()) {
                let x: f64 = w
                    .parse()
                    .map_err(|_| format!("expected numbers, got `{w}`"))?;
                out.push(
                    serde_json::Number::from_f64(x)
                        .map(Value::Number)
                        .ok_or_else(|| format!("`{w}` is not finite"))?,
                );
            }
            Value::Array(out)
        }
        Kind::Text | Kind::Choice(_) => Value::String(word.to_string()),
    };
    check(key, &v)
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}
