//! `--model NAME` to the MyoAssist 22-muscle 2-D MJCF file names (used by the MuJoCo engine and `compare`).

use std::path::{Path, PathBuf};

/// `--model` values and their file names (as in MyoAssist's `models/22muscle_2D/`).
pub const MODELS: [(&str, &str); 7] = [
    ("baseline", "myoLeg22_2D_BASELINE.xml"),
    ("tutorial", "myoLeg22_2D_TUTORIAL.xml"),
    ("humotech", "myoLeg22_2D_HUMOTECH.xml"),
    ("dephy", "myoLeg22_2D_DEPHY.xml"),
    ("hmedi", "myoLeg22_2D_HMEDI.xml"),
    ("openexo", "myoLeg22_2D_OPENEXO.xml"),
    ("osl", "myoLeg22_2D_OSL_A.xml"),
];

/// The MJCF file of `--model NAME` inside `models_dir` (a folder laid out like MyoAssist's
/// `models/`, i.e. with a `22muscle_2D/` subfolder), or `None` for an unknown name.
pub fn model_file(models_dir: &Path, name: &str) -> Option<PathBuf> {
    let lower = name.to_ascii_lowercase();
    MODELS
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, f)| models_dir.join("22muscle_2D").join(f))
}

/// The reference copy of the MyoAssist models (`<reference>/models`).
pub fn reference_models_dir() -> PathBuf {
    crate::reference::dir().join("models")
}
