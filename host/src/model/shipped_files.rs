//! The model files shipped under `host/models/`, embedded in the binary
//! (regenerate them with `scripts/import-models`).

/// (`--model` name, file text).
pub const FILES: &[(&str, &str)] = &[
    ("baseline", include_str!("../../models/baseline.json")),
    ("dephy", include_str!("../../models/dephy.json")),
    ("hmedi", include_str!("../../models/hmedi.json")),
    ("humotech", include_str!("../../models/humotech.json")),
    ("tutorial", include_str!("../../models/tutorial.json")),
    ("openexo", include_str!("../../models/openexo.json")),
    ("osl", include_str!("../../models/osl.json")),
];
