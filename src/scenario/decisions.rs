//! `decisions.csv` and `objectives.csv`: a capacity-planning problem
//! ([`Problem`](crate::optimise::Problem)) over the scenario's cells.

use super::ScenarioErrors;
use crate::optimise::Problem;
use std::path::Path;

/// Reads and checks the problem of the scenario folder at `dir`.
pub(crate) fn load_problem(dir: &Path) -> Result<Problem, ScenarioErrors> {
    let _ = dir;
    todo!("helper: decisions.csv and objectives.csv")
}
