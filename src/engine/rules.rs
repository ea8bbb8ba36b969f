//! Which rules a replication's engine is compiled for.
//!
//! Most of what the engine checks at every admission and departure belongs to rules a
//! scenario may not use: care budgets, money, outcome measures, services counted in hours or
//! visits, fallbacks, discharge rules, readmissions, patience, escalation. Each check is
//! cheap, but together they cost a tenth of a replication of a model that uses none of them.
//! So the engine is compiled twice: with every rule ([`AllRules`]), and with those checks
//! compiled out ([`CoreRules`]), chosen for each replication by [`uses_optional_rules`]. Both
//! give the same results on a model without the optional rules (a test runs both); the
//! second only gets there sooner.

use crate::CapacityUnit;
use crate::model::{Model, ServiceId};

/// The rules an engine is compiled for.
pub(crate) trait RuleSet {
    /// Whether the optional rules are compiled in; `false` only for [`CoreRules`].
    const ALL: bool;
}

/// Every rule: the engine for any scenario.
#[derive(Debug)]
pub(crate) enum AllRules {}

impl RuleSet for AllRules {
    const ALL: bool = true;
}

/// Only the core rules (arrivals, stays, routes, queues, waiting in a bed for the next
/// service, capacity calendars, warm-up, daily series): the engine for scenarios without any
/// optional rule.
#[derive(Debug)]
pub(crate) enum CoreRules {}

impl RuleSet for CoreRules {
    const ALL: bool = false;
}

/// Whether `model` uses any rule that [`CoreRules`] leaves out.
pub(crate) fn uses_optional_rules(model: &Model) -> bool {
    !model.finance().is_empty()
        || (0..model.organisations().len()).any(|o| {
            model
                .funding(crate::OrganisationId(o as u32))
                .is_some_and(|f| f.care_budget().is_some())
        })
        || !model.care_settings.is_empty()
        || model
            .services()
            .iter()
            .any(|s| s.unit() != CapacityUnit::Places)
        || model.discharge.iter().any(Option::is_some)
        || model.readmissions.iter().flatten().any(Option::is_some)
        || model.has_patience()
        || (0..model.services().len())
            .map(|i| ServiceId(i as u32))
            .any(|s| model.escalation(s).is_some() || model.fallbacks(s).is_some())
}

#[cfg(test)]
mod tests {
    use super::super::Replication;
    use super::*;
    use crate::event_log::NoRecorder;

    fn load(name: &str) -> Model {
        Model::load(format!("scenarios/{name}")).expect("bundled scenarios load")
    }

    /// The core engine gives, to the last digit, what the engine with every rule gives on the
    /// bundled scenarios that use no optional rule (it only skips checks that come to
    /// nothing there).
    #[test]
    fn the_core_engine_gives_what_the_full_engine_gives_where_no_optional_rule_is_used() {
        for name in [
            "peer_mmc",
            "peer_blocking",
            "peer_pathways",
            "erlang_b_ward",
            "erlang_c_ward",
            "baseline",
            "synthetic_extract",
        ] {
            let model = load(name);
            assert!(!uses_optional_rules(&model), "{name} uses no optional rule");
            for replication in 0..2 {
                let core =
                    Replication::<_, CoreRules>::new(&model, replication, NoRecorder, Vec::new())
                        .run(&mut Vec::new());
                let all =
                    Replication::<_, AllRules>::new(&model, replication, NoRecorder, Vec::new())
                        .run(&mut Vec::new());
                assert!(core.system.arrived > 0, "{name}: patients arrived");
                assert_eq!(
                    format!("{core:?}"),
                    format!("{all:?}"),
                    "{name} {replication}"
                );
            }
        }
    }

    #[test]
    fn scenarios_with_optional_rules_run_on_the_full_engine() {
        for name in [
            "capacity_plan",
            "contracts",
            "discharge_to_assess",
            "ipacs_bnssg",
            "ipacs_bnssg_acute",
            "outcome_payments",
        ] {
            assert!(uses_optional_rules(&load(name)), "{name}");
        }
    }

    /// A model with an optional rule is refused by the core engine, rather than run without
    /// the rule.
    #[test]
    #[should_panic(expected = "the core engine runs only models without optional rules")]
    fn the_core_engine_refuses_a_model_with_optional_rules() {
        let model = load("discharge_to_assess");
        Replication::<_, CoreRules>::new(&model, 0, NoRecorder, Vec::new());
    }
}
