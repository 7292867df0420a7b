//! The command-line side of the config: `--config NAME|PATH` plus one flag per key, shared by
//! `train` and `eval` (`#[command(flatten)] cfg: ConfigArgs`). Built from the key table, so the
//! flags and the file keys can never drift apart.

use super::keys::{self, Kind, KEYS};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use serde_json::Value;
use std::ffi::OsString;

/// `--config` and the per-key overrides given on the command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigArgs {
    /// Config name (`training_configs/NAME.json|.sh|.bat`) or path.
    pub config: Option<String>,
    /// Keys given as flags, already type- and range-checked.
    pub overrides: Vec<(String, Value)>,
}

impl ConfigArgs {
    /// Loads the config with the overrides applied.
    pub fn load(&self) -> Result<super::RunConfig, super::ConfigError> {
        super::load(self.config.as_deref(), &self.overrides)
    }
}

/// Rewrites the original's single-dash long flags (`-kine`, `-eff`, `-clu`, ...) into their
/// `--key` form so that clap can parse them. Call on `std::env::args_os()` before parsing.
pub fn normalize_argv<I: IntoIterator<Item = OsString>>(args: I) -> Vec<OsString> {
    args.into_iter()
        .map(|a| match a.to_str().and_then(keys::find_short) {
            Some(k) => OsString::from(format!("--{}", k.name)),
            None => a,
        })
        .collect()
}

impl Args for ConfigArgs {
    fn augment_args(cmd: Command) -> Command {
        let mut cmd = cmd.arg(
            Arg::new("config")
                .long("config")
                .value_name("NAME|PATH")
                .help("run configuration: training_configs/NAME.json (or .sh/.bat), or a path")
                .help_heading("Configuration"),
        );
        for k in KEYS {
            let mut a = Arg::new(k.name)
                .long(k.name)
                .help(k.help)
                .help_heading("Config keys (override the file)");
            a = match k.kind {
                Kind::Bool => a
                    .num_args(0..=1)
                    .default_missing_value("true")
                    .value_name("BOOL"),
                Kind::FloatList => a
                    .num_args(1..)
                    .allow_hyphen_values(true)
                    .value_name("X")
                    .action(ArgAction::Append),
                Kind::Int { .. } | Kind::Float { .. } => {
                    a.num_args(1).allow_hyphen_values(true).value_name("N")
                }
                Kind::Text | Kind::Choice(_) => a.num_args(1).value_name("VALUE"),
            };
            if let Some(s) = k.short {
                a = a.long_help(format!("{} (also `{s}`)", k.help));
            }
            cmd = cmd.arg(a);
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ConfigArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut out = ConfigArgs {
            config: m.get_one::<String>("config").cloned(),
            overrides: Vec::new(),
        };
        for k in KEYS {
            let Some(vals) = m.get_many::<String>(k.name) else {
                continue;
            };
            let word = vals.cloned().collect::<Vec<_>>().join(" ");
            let v = keys::parse_word(k, &word).map_err(|msg| {
                clap::Error::raw(
                    clap::error::ErrorKind::ValueValidation,
                    format!("invalid value for --{}: {msg}\n", k.name),
                )
            })?;
            out.overrides.push((k.name.to_string(), v));
        }
        Ok(out)
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Parser, Debug)]
    struct T {
        #[command(flatten)]
        cfg: ConfigArgs,
    }

    fn parse(args: &[&str]) -> Result<T, clap::Error> {
        use clap::Parser;
        T::try_parse_from(normalize_argv(
            std::iter::once("t")
                .chain(args.iter().copied())
                .map(OsString::from),
        ))
    }

    #[test]
    fn flags_become_checked_overrides() {
        let t = parse(&[
            "--config",
            "debug",
            "--maxiter",
            "3",
            "-eff",
            "--fixed_exo",
            "--tgt_slope",
            "-5",
        ])
        .unwrap();
        assert_eq!(t.cfg.config.as_deref(), Some("debug"));
        assert_eq!(
            t.cfg.overrides,
            vec![
                ("tgt_slope".to_string(), serde_json::json!(-5.0)),
                ("effort".to_string(), Value::Bool(true)),
                ("fixed_exo".to_string(), Value::Bool(true)),
                ("maxiter".to_string(), Value::from(3)),
            ]
        );
        let e = parse(&["--popsize", "-4"]).unwrap_err().to_string();
        assert!(e.contains("--popsize") && e.contains("out of range"), "{e}");
        let e = parse(&["--popsize", "many"]).unwrap_err().to_string();
        assert!(e.contains("expected an integer"), "{e}");
    }
}
