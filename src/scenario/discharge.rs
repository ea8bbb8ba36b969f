//! `discharge.csv`: the (class, service) pairs whose patients leave by a discharge rule, with
//! its model and the duration of the needs assessment; and the rules built from it,
//! `pathways.csv` and `pathway_changes.csv`.

use super::arrivals::{A_CLASS, A_SERVICE};
use super::ids::Ids;
use super::pathway_changes;
use super::pathways;
use super::routes::{self, Routes};
use super::source::Source;
use super::stays::{self, Observations};
use super::table::{Column, Field, Presence, Table};
use super::{ScenarioError, ScenarioErrors};
use crate::{Destination, DischargeModel, DischargeRule, LengthOfStay, PathwayServices, ServiceId};

pub(crate) const FILE: &str = "discharge.csv";

/// How many discharge pathways there are: 0 to 3.
pub(crate) const PATHWAYS: usize = 4;

/// The columns of `discharge.csv` before its distribution columns.
const KEY_COLUMNS: [Column; 3] = [
    Column::required("class"),
    Column::required("service"),
    Column::required("model"),
];

const MODELS: [(&str, DischargeModel); 2] = [
    ("assess_in_hospital", DischargeModel::AssessInHospital),
    ("discharge_to_assess", DischargeModel::DischargeToAssess),
];

/// A service that a rule's patients go on to, with the row that sends them there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Onward {
    pub(crate) service: ServiceId,
    /// `pathways.csv` or `pathway_changes.csv`.
    pub(crate) file: &'static str,
    pub(crate) line: u64,
}

/// The discharge rules, indexed `class * services + service` as in [`Model`](crate::Model).
#[derive(Debug)]
pub(crate) struct Discharge {
    /// The line of each cell's row in `discharge.csv`, valid or not: such a cell's routes are
    /// replaced by its rule.
    pub(crate) given: Vec<Option<u64>>,
    /// The rule of each cell whose rows in all three files are valid.
    pub(crate) rules: Vec<Option<DischargeRule>>,
    /// For each rule built, the services its patients may go on to (the destinations of the
    /// pathways they may be predicted or found to need), in the order found.
    pub(crate) onward: Vec<Vec<Onward>>,
}

/// The problem with a row of `pathways.csv` or `pathway_changes.csv` for a (class, service)
/// that has no row in `discharge.csv`; `field` is its `service` cell.
pub(crate) fn no_rule(field: Field<'_>, class: &str, service: &str) -> ScenarioError {
    field.inconsistent(format!(
        "no discharge rule for class '{class}' at service '{service}' in {FILE}"
    ))
}

/// Reads `discharge.csv`, then `pathways.csv` (required if `discharge.csv` has rows) and
/// `pathway_changes.csv`, and builds the rules.
///
/// Problems are recorded in file order, each file's by line, with two cross-file checks put
/// where they belong: a route of a (class, service) that has a rule comes after the problems
/// already recorded (those of `routes.csv`, read just before), and a rule without pathways
/// comes with the problems of its row in `discharge.csv`.
///
/// `None` if `discharge.csv` as a whole cannot be used, or the classes or services are
/// unknown (their files could not be read). Without `routes` (whose file could not be read),
/// routes are not checked against rules.
pub(crate) fn read(
    source: &Source<'_>,
    classes: Option<&Ids>,
    services: Option<&Ids>,
    routes: Option<&Routes>,
    observations: &mut Observations,
    errors: &mut ScenarioErrors,
) -> Option<Discharge> {
    // Problems found later but listed earlier: (position in `errors`, problem).
    let mut late: Vec<(usize, ScenarioError)> = Vec::new();
    let routes_end = errors.count();
    let columns = stays::with_distribution_columns(&KEY_COLUMNS);
    let table = Table::read_in(source, FILE, &columns, Presence::Optional, errors);
    let n_services = services.map_or(0, Ids::len);
    let n_cells = classes.map_or(0, Ids::len) * n_services;
    let mut given: Vec<Option<u64>> = vec![None; n_cells];
    let mut parts: Vec<Option<(DischargeModel, LengthOfStay)>> = vec![None; n_cells];
    // For each rule row: its cell, where its problems end, and the problem if it has no
    // pathways.
    let mut without_pathways: Vec<(usize, usize, ScenarioError)> = Vec::new();
    // Whether every row was read and named a known class and service: only then does a cell
    // without a row have no rule.
    let mut complete = table.as_ref().is_some_and(Table::is_complete);
    let expected_model = "assess_in_hospital or discharge_to_assess";

    for row in table.iter().flat_map(Table::rows) {
        let class_field = row.field("class");
        let service_field = row.field("service");
        let class = classes.and_then(|ids| ids.resolve(class_field, A_CLASS, errors));
        let service = services.and_then(|ids| ids.resolve(service_field, A_SERVICE, errors));
        let (class_name, service_name) = (class_field.text(), service_field.text());
        let cell = match (class, service) {
            (Some(class), Some(service)) => {
                let cell = class as usize * n_services + service as usize;
                if let Some(first_line) = given[cell] {
                    errors.push(service_field.duplicate_entry(
                        format!("class '{class_name}' at service '{service_name}'"),
                        first_line,
                    ));
                    None
                } else {
                    given[cell] = Some(row.line());
                    Some(cell)
                }
            }
            _ => {
                complete = false;
                None
            }
        };
        let model = errors.keep(row.field("model").one_of(&MODELS, expected_model));
        let assessment = stays::distribution(source, row, observations, errors);
        let Some(cell) = cell else {
            continue;
        };
        without_pathways.push((
            cell,
            errors.count(),
            service_field.inconsistent(format!(
                "no pathways for class '{class_name}' at service '{service_name}' in {}",
                pathways::FILE
            )),
        ));
        if let (Some(model), Some(assessment)) = (model, assessment) {
            parts[cell] = Some((model, assessment));
        }
    }

    // A rule replaces the routes of its (class, service).
    if let (Some(routes), Some(classes), Some(services)) = (routes, classes, services) {
        let mut replaced: Vec<(u64, usize)> = (0..n_cells)
            .filter(|&cell| given[cell].is_some())
            .filter_map(|cell| routes.first_lines[cell].map(|line| (line, cell)))
            .collect();
        replaced.sort_unstable();
        for (line, cell) in replaced {
            let class = classes.name((cell / n_services) as u32);
            let service = services.name((cell % n_services) as u32);
            late.push((
                routes_end,
                ScenarioError::Inconsistent {
                    path: source.dir().join(routes::FILE),
                    line,
                    column: "service".to_owned(),
                    message: format!(
                        "class '{class}' at service '{service}' has a discharge rule in {FILE}, \
                         which replaces its routes"
                    ),
                },
            ));
        }
    }

    let has_rows = table.as_ref().is_some_and(|t| t.rows().next().is_some());
    let presence = if has_rows {
        Presence::Required
    } else {
        Presence::Optional
    };
    let rules = complete.then_some(given.as_slice());
    let pathways = pathways::read(source, classes, services, rules, presence, errors);
    if let Some(pathways) = pathways.as_ref().filter(|p| p.complete) {
        for (cell, end, error) in without_pathways {
            if pathways.first_lines[cell].is_none() {
                late.push((end, error));
            }
        }
    }
    let changes =
        pathway_changes::read(source, classes, services, rules, pathways.as_ref(), errors);

    // Each position was taken before anything was put in: put the last first.
    late.sort_by_key(|(at, _)| *at);
    for (at, error) in late.into_iter().rev() {
        errors.0.insert(at, error);
    }

    if table.is_none() || classes.is_none() || services.is_none() {
        return None;
    }
    let mut discharge = Discharge {
        given,
        rules: vec![None; n_cells],
        onward: vec![Vec::new(); n_cells],
    };
    let (Some(pathways), Some(changes)) = (pathways, changes) else {
        return Some(discharge);
    };
    for (cell, parts) in parts.into_iter().enumerate() {
        let Some((model, assessment)) = parts else {
            continue;
        };
        if !pathways.valid[cell] || pathways.first_lines[cell].is_none() || !changes.valid[cell] {
            continue;
        }
        let (rule, onward) = build(
            model,
            assessment,
            &pathways.cells[cell],
            &changes.cells[cell],
        );
        discharge.rules[cell] = Some(rule);
        discharge.onward[cell] = onward;
    }
    Some(discharge)
}

/// Builds one rule from its valid rows, whose probabilities sum to 1 (within rounding), and
/// lists the services its patients may go on to.
fn build(
    model: DischargeModel,
    assessment: LengthOfStay,
    pathways: &[Option<pathways::Pathway>; PATHWAYS],
    changes: &[[Option<pathway_changes::Change>; PATHWAYS]; PATHWAYS],
) -> (DischargeRule, Vec<Onward>) {
    let probabilities = pathways.map(|p| p.map_or(0.0, |p| p.probability));
    let services = pathways.map(|p| {
        p.map_or(
            PathwayServices {
                destination: Destination::Exit,
                interim: None,
            },
            |p| p.services,
        )
    });
    let actual: [[f64; PATHWAYS]; PATHWAYS] = std::array::from_fn(|predicted| {
        let rows = &changes[predicted];
        if rows.iter().all(Option::is_none) {
            // The assessment confirms the predicted pathway.
            std::array::from_fn(|actual| if actual >= predicted { 1.0 } else { 0.0 })
        } else {
            cumulative(rows.map(|c| c.map_or(0.0, |c| c.probability)))
        }
    });

    let mut onward: Vec<Onward> = Vec::new();
    let mut reach = |pathway: usize, file: &'static str, line: u64| {
        if let Destination::Service(service) = services[pathway].destination
            && !onward.iter().any(|o| o.service == service)
        {
            onward.push(Onward {
                service,
                file,
                line,
            });
        }
    };
    let possible = (0..PATHWAYS).filter(|&p| probabilities[p] > 0.0);
    for predicted in possible.clone() {
        let line = pathways[predicted]
            .expect("a pathway with positive probability has a row")
            .line;
        reach(predicted, pathways::FILE, line);
    }
    for predicted in possible {
        for (actual, change) in changes[predicted].iter().enumerate() {
            if let Some(change) = change.filter(|c| c.probability > 0.0) {
                reach(actual, pathway_changes::FILE, change.line);
            }
        }
    }

    let rule = DischargeRule {
        model,
        assessment,
        predicted: cumulative(probabilities),
        pathways: services,
        actual,
    };
    (rule, onward)
}

/// The cumulative probabilities of `probabilities`, which are at least 0 and sum to 1 within
/// rounding: scaled to sum to exactly 1, with every entry from the last positive one on
/// exactly 1, so that a draw never picks a pathway of probability 0.
fn cumulative(probabilities: [f64; PATHWAYS]) -> [f64; PATHWAYS] {
    let total: f64 = probabilities.iter().sum();
    // Probabilities with no positive entry (or a sum far from 1) have been reported already,
    // and the rule built from them is never used; build something harmless all the same.
    let Some(last) = probabilities.iter().rposition(|&p| p > 0.0) else {
        return [1.0; PATHWAYS];
    };
    let mut sum = 0.0;
    std::array::from_fn(|i| {
        sum += probabilities[i];
        if i >= last { 1.0 } else { sum / total }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClassId;

    /// A ward whose patients leave by discharge to assess, with `pathways` and `changes` as
    /// the rows of `pathways.csv` and `pathway_changes.csv`.
    fn ward_rule(pathways: &str, changes: &str) -> DischargeRule {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "settings.csv",
                "key,value\nstart_date,2026-01-01\nhorizon_days,10\n",
            ),
            ("organisations.csv", "id,kind\ntrust,acute_trust\n"),
            (
                "services.csv",
                "id,kind,provider,capacity,queue_capacity\n\
                 ward,acute_bed,trust,10,unlimited\n\
                 unit,d2a_bed,trust,2,unlimited\n\
                 home,home_care,trust,5,unlimited\n",
            ),
            ("classes.csv", "id\nall\n"),
            (
                "arrivals.csv",
                "id,class,service,rate_per_day\nin,all,ward,1\n",
            ),
            (
                "los.csv",
                "class,service,distribution,mean\nall,ward,exponential,5\nall,home,exponential,20\n",
            ),
            ("routes.csv", "class,service,next,probability\n"),
            (
                "discharge.csv",
                "class,service,model,distribution,value\nall,ward,discharge_to_assess,fixed,2\n",
            ),
        ];
        for (name, contents) in files {
            std::fs::write(dir.path().join(name), contents).unwrap();
        }
        std::fs::write(
            dir.path().join("pathways.csv"),
            format!("class,service,pathway,probability,destination,interim\n{pathways}"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("pathway_changes.csv"),
            format!("class,service,predicted,actual,probability\n{changes}"),
        )
        .unwrap();
        let model = crate::scenario::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        model
            .discharge_rule(ClassId(0), model.service_id("ward").unwrap())
            .unwrap()
            .clone()
    }

    #[test]
    fn a_rule_holds_cumulative_probabilities_with_confirmed_pathways_by_default() {
        let rule = ward_rule(
            "all,ward,0,0.5,exit,\nall,ward,3,0.5,home,unit\n",
            "all,ward,3,0,0.25\nall,ward,3,3,0.75\n",
        );
        assert_eq!(rule.model, DischargeModel::DischargeToAssess);
        assert_eq!(rule.assessment, LengthOfStay::fixed(2.0).unwrap());
        assert_eq!(rule.predicted, [0.5, 0.5, 0.5, 1.0]);
        let home = PathwayServices {
            destination: Destination::Service(ServiceId(2)),
            interim: Some(ServiceId(1)),
        };
        let exit = PathwayServices {
            destination: Destination::Exit,
            interim: None,
        };
        assert_eq!(rule.pathways, [exit, exit, exit, home]);
        assert_eq!(
            rule.actual,
            [
                [1.0, 1.0, 1.0, 1.0],
                [0.0, 1.0, 1.0, 1.0],
                [0.0, 0.0, 1.0, 1.0],
                [0.25, 0.25, 0.25, 1.0],
            ]
        );
    }

    #[test]
    fn an_interim_service_needs_no_length_of_stay_but_a_destination_does() {
        // The unit has no row in los.csv: it is only ever an interim service.
        let rule = ward_rule("all,ward,1,1,home,unit\n", "");
        assert_eq!(rule.predicted, [0.0, 1.0, 1.0, 1.0]);
        assert_eq!(rule.actual[1], [0.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn cumulative_probabilities_end_at_exactly_1_from_the_last_possible_pathway() {
        assert_eq!(cumulative([0.25, 0.75, 0.0, 0.0]), [0.25, 1.0, 1.0, 1.0]);
        assert_eq!(cumulative([0.0, 0.0, 1.0, 0.0]), [0.0, 0.0, 1.0, 1.0]);
        let c = cumulative([0.1, 0.2, 0.0, 0.7 + 1e-12]);
        assert!(c[0] > 0.0 && c[1] < 1.0 && c[1] == c[2]);
        assert_eq!(c[3], 1.0);
    }
}
