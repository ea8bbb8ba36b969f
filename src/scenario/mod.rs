//! Scenario folders: reading and validating CSV files into a [`Model`](crate::Model).
//!
//! (Format reference: to be written with the loader.)

mod error;

pub use error::{ScenarioError, ScenarioErrors};

use crate::Model;
use std::path::Path;

/// Loads and validates the scenario folder at `dir`.
pub(crate) fn load(dir: &Path) -> Result<Model, ScenarioErrors> {
    Err(ScenarioErrors(vec![ScenarioError::Io {
        path: dir.to_path_buf(),
        message: "loader not written yet".into(),
    }]))
}
