//! `myoreflex model import <file.xml> --out <model.json>`: convert a MyoAssist 22-muscle 2-D
//! MJCF into the project's model format.

use crate::model::{mjcf, Model};
use anyhow::Context;
use clap::{Args as ClapArgs, Subcommand};
use std::path::PathBuf;

/// Work with model files.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    pub command: ModelCommand,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Import a MyoAssist 22-muscle 2-D MJCF file (e.g. myoLeg22_2D_BASELINE.xml).
    Import {
        /// The MJCF file.
        file: PathBuf,
        /// Where to write the model file (JSON).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        ModelCommand::Import { file, out } => {
            let m = mjcf::import(&file).with_context(|| format!("importing {}", file.display()))?;
            for w in &m.warnings {
                eprintln!("warning: {w}");
            }
            m.save_json(&out)?;
            eprintln!(
                "{}: {} bodies, {} joints ({} independent), {} couplings, {} actuators, {} geoms -> {}",
                m.name,
                m.bodies.len(),
                m.joints.len(),
                m.independent_joints().len(),
                m.couplings.len(),
                m.actuators.len(),
                m.geoms.len(),
                out.display()
            );
            Ok(())
        }
    }
}

/// Loads the model chosen by `--model NAME` (a shipped variant) or `--model_path FILE` (an MJCF
/// of the family or a model file in the project's format); `--model_path` wins.
pub fn load(model: Option<&str>, model_path: Option<&std::path::Path>) -> anyhow::Result<Model> {
    Ok(crate::model::select(model, model_path)?)
}
