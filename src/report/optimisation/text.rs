//! The printed summary of an optimisation and the progress line, at most 100 columns wide.

use super::{
    OptimisationReport, Style, bound_parts, infeasible_lines, measure_label, objective_is_money,
    percent, values_text,
};
use crate::optimise::{Bound, Outcome, Phase, Problem, Progress, Sense};
use crate::report::chart;
use std::fmt;

/// The widest a printed line is.
const WIDTH: usize = 100;

/// Breaks `text` into lines of at most [`WIDTH`] characters at spaces, the first indented by
/// `indent` spaces and the rest by `indent + 2`; a word longer than a line is cut.
fn wrap(text: &str, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent);
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let room = WIDTH.saturating_sub(line.chars().count() + usize::from(!empty));
            if word.len() <= room {
                if !empty {
                    line.push(' ');
                }
                line.extend(&word);
                empty = false;
                break;
            }
            if !empty {
                lines.push(std::mem::replace(&mut line, " ".repeat(indent + 2)));
                empty = true;
                continue;
            }
            // A word longer than a whole line: cut it.
            let rest = word.split_off(room);
            line.extend(&word);
            lines.push(std::mem::replace(&mut line, " ".repeat(indent + 2)));
            word = rest;
        }
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The objective in words: `minimise finance capacity_costs + 300 × service acute
/// delayed_bed_days`.
pub(crate) fn objective_text(problem: &Problem) -> String {
    let objective = &problem.objective;
    let mut out = super::sense_name(objective.sense).to_string();
    for (i, t) in objective.terms.iter().enumerate() {
        let w = t.weight.abs();
        let sign = match (i, t.weight < 0.0) {
            (0, false) => " ",
            (0, true) => " −",
            (_, false) => " + ",
            (_, true) => " − ",
        };
        out.push_str(sign);
        if w != 1.0 {
            out.push_str(&chart::number_text(w, super::exact_decimals(w), false));
            out.push_str(" × ");
        }
        out.push_str(&measure_label(&t.measure));
    }
    out
}

/// A constraint as written: `entry ed share_over_threshold ≤ 0.24`.
pub(crate) fn constraint_text(problem: &Problem, c: usize) -> String {
    let constraint = &problem.constraints[c];
    let (_, bound) = bound_parts(constraint.bound);
    let operator = match constraint.bound {
        Bound::AtMost(_) => "≤",
        Bound::AtLeast(_) => "≥",
    };
    format!(
        "{} {operator} {}",
        measure_label(&constraint.measure),
        super::given_text(super::is_money(&constraint.measure), bound)
    )
}

/// `upper` for a bound from above, `lower` for one from below.
pub(crate) fn one_sided_name(bound: Bound) -> &'static str {
    match bound {
        Bound::AtMost(_) => "upper",
        Bound::AtLeast(_) => "lower",
    }
}

/// The guarantee in one sentence, or why it does not hold.
pub(crate) fn guarantee_text(outcome: &Outcome) -> String {
    let objective = &outcome.problem.objective;
    if outcome.chosen.is_none() {
        return "no configuration was chosen, so there is no guarantee.".into();
    }
    if !outcome.guarantee_met() {
        return "not met: the selection's second stage reached its most replications (--max-replications) before every finalist had the replications the procedure asks for, so the choice is the best on the replications run, without the stated probability; raise the most replications for the guarantee.".into();
    }
    let delta = super::given_text(objective_is_money(&outcome.problem), objective.indifference);
    let constraints = if outcome.problem.constraints.is_empty() {
        ""
    } else {
        "meets every constraint and "
    };
    let best = match objective.sense {
        Sense::Minimise => "lowest",
        Sense::Maximise => "highest",
    };
    let g = &outcome.guarantee;
    if g.probability <= 0.0 {
        return format!(
            "none overall: the objective's confidence ({}%) less each constraint's risk leaves no probability to promise; with probability at least {}% every finalist shown feasible is feasible. Raise the confidences in objectives.csv for a promise about the choice.",
            percent(objective.confidence),
            percent(g.feasibility.max(0.0))
        );
    }
    let split = if outcome.problem.constraints.is_empty() {
        String::new()
    } else {
        format!(
            "{}% from the objective's confidence less each constraint's risk; ",
            percent(objective.confidence)
        )
    };
    format!(
        "with probability at least {}% the chosen configuration {constraints}has an objective within {delta} of the {best} among the finalists shown feasible ({split}assuming normally distributed replication means; see careflow::optimise::selection).",
        percent(g.probability)
    )
}

/// How the lattice was searched and what it cost, in words.
pub(crate) fn effort_text(outcome: &Outcome) -> String {
    let distinct = |phase: Phase| {
        let mut seen: Vec<&[f64]> = Vec::new();
        for e in outcome.evaluations.iter().filter(|e| e.phase == phase) {
            if !seen.contains(&e.values.as_slice()) {
                seen.push(&e.values);
            }
        }
        seen.len()
    };
    let grid = outcome
        .problem
        .decisions
        .iter()
        .fold(1u128, |a, d| a.saturating_mul(d.levels() as u128));
    let searched = distinct(Phase::Search);
    let finalists = distinct(Phase::Selection);
    let how = if outcome.method == "exhaustive" {
        format!(
            "exhaustive search of {} configurations",
            chart::thousands(searched as f64)
        )
    } else {
        format!(
            "{} search: {} of the grid's {} configurations evaluated",
            outcome.method,
            chart::thousands(searched as f64),
            chart::thousands(grid as f64)
        )
    };
    let (all, used) = (outcome.exhaustive_replications, outcome.replications.max(1));
    let share = if all == 0 {
        String::new()
    } else if all >= 2 * used {
        format!(
            "; the same guarantee over every configuration of the grid would need {} ({} times as many)",
            chart::thousands(all as f64),
            chart::thousands((all as f64 / used as f64).round())
        )
    } else {
        format!(
            "; the same guarantee over every configuration of the grid would need {}",
            chart::thousands(all as f64)
        )
    };
    format!(
        "{how}, then selection among {} finalist{}; {} replications{share}; {:.1} s on {} thread{}.",
        finalists,
        if finalists == 1 { "" } else { "s" },
        chart::thousands(outcome.replications as f64),
        outcome.seconds,
        outcome.threads,
        if outcome.threads == 1 { "" } else { "s" }
    )
}

impl fmt::Display for OptimisationReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (o, outcome) in self.outcomes.iter().enumerate() {
            if o > 0 {
                writeln!(f)?;
            }
            for line in summary_lines(self.scenario(), outcome) {
                writeln!(f, "{line}")?;
            }
        }
        Ok(())
    }
}

/// The printed summary of one outcome, line by line.
fn summary_lines(scenario: &str, outcome: &Outcome) -> Vec<String> {
    let problem = &outcome.problem;
    let money = objective_is_money(problem);
    let mut lines = wrap(
        &format!(
            "{scenario}: capacity plan under variant '{}'",
            outcome.variant
        ),
        0,
    );
    lines.extend(wrap(&format!("objective: {}", objective_text(problem)), 2));
    lines.extend(wrap(&effort_text(outcome), 2));
    let Some(chosen) = outcome.chosen else {
        lines.extend(wrap(
            "no configuration was shown to meet every constraint with the required confidence:",
            2,
        ));
        for detail in infeasible_lines(outcome) {
            lines.extend(wrap(&format!("- {detail}"), 4));
        }
        return lines;
    };
    let evaluation = &outcome.evaluations[chosen];
    lines.extend(wrap(
        &format!(
            "chosen: {} ({} replications)",
            values_text(problem, &evaluation.values),
            chart::thousands(f64::from(evaluation.replications))
        ),
        2,
    ));
    let style = Style::of(money, &evaluation.objective, &[]);
    lines.extend(wrap(
        &format!("objective: {}", style.summary(&evaluation.objective, false)),
        4,
    ));
    for (c, (constraint, result)) in problem
        .constraints
        .iter()
        .zip(&evaluation.constraints)
        .enumerate()
    {
        let style = super::constraint_style(constraint, result);
        lines.extend(wrap(
            &format!(
                "{}: {}; {} confidence bound {}: {}",
                constraint_text(problem, c),
                style.summary(&result.summary, false),
                one_sided_name(constraint.bound),
                style.text(result.one_sided, false),
                super::verdict_name(result.verdict)
            ),
            4,
        ));
    }
    if !outcome.runners_up.is_empty() {
        lines.extend(wrap(
            "runners-up, and the paired difference from the chosen in the objective:",
            2,
        ));
        for r in &outcome.runners_up {
            let style = Style::of(money, &r.difference, &[]);
            lines.extend(wrap(
                &format!(
                    "{}: {}",
                    values_text(problem, &outcome.evaluations[r.evaluation].values),
                    style.summary(&r.difference, true)
                ),
                4,
            ));
        }
    }
    lines.extend(wrap(&format!("guarantee: {}", guarantee_text(outcome)), 2));
    lines
}

/// One line on an optimisation under way, for a progress bar: the phase, the replications
/// and configurations so far and the best configuration shown feasible so far, e.g. `search:
/// 340 replications, 34 configurations; best feasible £12.34m at community_beds 90, d2a_beds
/// 40`.
pub fn progress_text(problem: &Problem, progress: &Progress) -> String {
    let best = match &progress.best {
        Some((values, objective)) if objective.is_finite() => {
            let style = Style::new(objective_is_money(problem), &[*objective], 0.0);
            format!(
                "best feasible {} at {}",
                style.text(*objective, false),
                values_text(problem, values)
            )
        }
        _ => "none shown feasible yet".to_string(),
    };
    format!(
        "{}: {} replications, {} configurations; {best}",
        super::phase_name(progress.phase),
        chart::thousands(progress.replications as f64),
        chart::thousands(progress.evaluated as f64)
    )
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn lines_wrap_at_spaces_within_the_width_and_long_words_are_cut() {
        let text = "word ".repeat(40);
        let lines = wrap(&text, 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 100), "{lines:?}");
        assert!(lines[0].starts_with("  word") && lines[1].starts_with("    word"));
        assert_eq!(lines.concat().split_whitespace().count(), 40);
        let long = "x".repeat(250);
        let lines = wrap(&format!("a {long} b"), 0);
        assert!(lines.iter().all(|l| l.chars().count() <= 100), "{lines:?}");
        assert_eq!(lines.concat().chars().filter(|c| *c == 'x').count(), 250);
        assert_eq!(wrap("", 4), ["    "]);
    }
}
