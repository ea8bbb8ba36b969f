//! The optimisation's page, `optimisation.html`: per variant the choice and its
//! constraints, a chart of the objective against each decision, and every configuration
//! evaluated; self-contained like the run report.

use super::{Figure, Section, document, escape, now_utc, push, slug};
use crate::Summary;
use crate::optimise::Outcome;
use crate::report::chart::{self, DrawError};
use crate::report::optimisation::text::{
    constraint_text, effort_text, guarantee_text, objective_text, one_sided_name,
};
use crate::report::optimisation::{
    OptimisationReport, Style, constraint_style, decision_decimals, feasibility_name,
    infeasible_lines, is_money, objective_is_money, percent, phase_name, ranked, values_text,
    verdict_name,
};

/// The whole page.
pub(crate) fn page(report: &OptimisationReport<'_>) -> Result<String, DrawError> {
    let mut ids: Vec<String> = Vec::new();
    let sections = report
        .outcomes()
        .iter()
        .enumerate()
        .map(|(o, outcome)| variant_section(report, o, outcome, &mut ids))
        .collect::<Result<Vec<_>, _>>()?;
    let title = format!("careflow optimisation: {}", report.scenario());
    let names: Vec<String> = report
        .outcomes()
        .iter()
        .map(|o| format!("<code>{}</code>", escape(&o.variant)))
        .collect();
    let mut header = format!(
        "<p class=\"meta\"><strong>Capacity planned under {} variant{}</strong>: {}.</p>\n",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    );
    push(
        &mut header,
        format_args!(
            "<p class=\"meta\">Generated {} by careflow {}.</p>\n",
            now_utc(),
            env!("CARGO_PKG_VERSION")
        ),
    );
    let footer = format!(
        "Made by careflow {} from the scenario folder <code>{}</code> with its <code>decisions.csv</code> and <code>objectives.csv</code>. Means across replications; intervals are Student-t intervals across replications; differences are paired, replication by replication, on common random numbers. The method, its guarantee and its assumptions: the documentation of <code>careflow::optimise</code>.",
        env!("CARGO_PKG_VERSION"),
        escape(report.scenario())
    );
    Ok(document(&title, &header, &sections, &footer))
}

/// `text` with its first letter upper-case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A name for an element id, unique on the page: `taken` holds the ids given so far.
fn unique_id(base: String, taken: &mut Vec<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    taken.push(id.clone());
    id
}

fn variant_section(
    report: &OptimisationReport<'_>,
    o: usize,
    outcome: &Outcome,
    ids: &mut Vec<String>,
) -> Result<Section, DrawError> {
    let problem = &outcome.problem;
    let money = objective_is_money(problem);
    let mut section = Section {
        id: unique_id(format!("variant-{}", slug(&outcome.variant)), ids),
        title: format!("Under {}", outcome.variant),
        ..Section::default()
    };
    let body = &mut section.body;
    push(
        body,
        format_args!(
            "<p class=\"meta\">Objective: {}.</p>\n<p class=\"meta\">{}</p>\n",
            escape(&objective_text(problem)),
            escape(&capitalised(&effort_text(outcome)))
        ),
    );
    match outcome.chosen {
        None => {
            let details: String = infeasible_lines(outcome)
                .iter()
                .map(|l| format!("<li>{}</li>", escape(l)))
                .collect();
            push(
                body,
                format_args!(
                    "<div class=\"note\"><strong>No configuration was shown to meet every constraint</strong> with the required confidence:<ul>{details}</ul></div>\n"
                ),
            )
        }
        Some(chosen) => {
            let evaluation = &outcome.evaluations[chosen];
            push(
                body,
                format_args!(
                    "<p><strong>Chosen: {}</strong>, objective {} over {} replications of the selection.</p>\n",
                    escape(&values_text(problem, &evaluation.values)),
                    escape(
                        &Style::of(money, &evaluation.objective, &[])
                            .summary(&evaluation.objective, false)
                    ),
                    chart::thousands(f64::from(evaluation.replications))
                ),
            );
            push(
                body,
                format_args!(
                    "<p{}>Guarantee: {}</p>\n",
                    if outcome.guarantee_met() {
                        ""
                    } else {
                        " class=\"note\""
                    },
                    escape(&guarantee_text(outcome))
                ),
            );
            body.push_str(&choice_table(report, o, outcome, chosen));
            body.push_str(&constraint_table(outcome, chosen));
        }
    }
    if o > 0 {
        body.push_str("<p>The charts are drawn as for the first variant.</p>\n");
    } else {
        push(
            body,
            format_args!(
                "<p>Each chart gives the objective against one decision's value for every configuration evaluated (a finalist with its selection replications): configurations that share the value differ in the other decisions and stand side by side, lowest objective first. A dot is the mean across replications, its whisker the {}% confidence interval; <strong>filled blue</strong>: shown to meet every constraint; <strong>hollow red</strong>: shown to fail one; <strong>grey</strong>: not shown either way with the replications spent (treated as not feasible). The chosen configuration is ringed in black. Green shading marks the values at which some configuration was shown feasible, and the green line joins the best feasible objective at each value.</p>\n",
                percent(problem.objective.confidence)
            ),
        );
    }
    for c in chart::objective_charts(outcome) {
        let svg = chart::render_objective(&c)?;
        section.figures.push(Figure {
            id: unique_id(
                format!(
                    "chart-objective-{}-{}",
                    slug(&outcome.variant),
                    slug(&c.decision)
                ),
                ids,
            ),
            caption: format!(
                "{}: the objective against <code>{}</code>, {} configurations.",
                escape(&outcome.variant),
                escape(&c.decision),
                chart::thousands(c.points.len() as f64)
            ),
            svg,
            max_width: Some(chart::WIDE_SIZE.0),
        });
    }
    section.after = evaluations_table(report, o, outcome);
    Ok(section)
}

/// The header cells of the decisions' columns.
fn decision_headers(outcome: &Outcome) -> String {
    outcome
        .problem
        .decisions
        .iter()
        .map(|d| format!("<th>{}</th>", escape(&d.name)))
        .collect()
}

/// The cells of a configuration's decision values.
fn decision_cells(outcome: &Outcome, values: &[f64]) -> String {
    outcome
        .problem
        .decisions
        .iter()
        .zip(values)
        .map(|(d, v)| {
            format!(
                "<td>{}</td>",
                chart::number_text(*v, decision_decimals(d), false)
            )
        })
        .collect()
}

/// The style of a column of summaries: their means and ends, and the narrowest interval.
fn column_style(money: bool, summaries: &[&Summary]) -> Style {
    let values: Vec<f64> = summaries
        .iter()
        .flat_map(|s| [s.mean, s.low(), s.high()])
        .collect();
    let spread = summaries
        .iter()
        .map(|s| s.high() - s.low())
        .filter(|w| *w > 0.0)
        .fold(f64::INFINITY, f64::min);
    Style::new(
        money,
        &values,
        if spread.is_finite() { spread } else { 0.0 },
    )
}

/// The chosen configuration and its runners-up, with the paired differences.
fn choice_table(
    report: &OptimisationReport<'_>,
    o: usize,
    outcome: &Outcome,
    chosen: usize,
) -> String {
    let money = objective_is_money(&outcome.problem);
    let level = percent(outcome.evaluations[chosen].objective.level);
    let mut out = format!(
        "<div class=\"wide\"><table class=\"choice\">\n<thead><tr><th class=\"text\">rank</th><th>configuration</th>{}<th>replications</th><th>objective ({level}% CI)</th><th>difference from the chosen</th></tr></thead>\n<tbody>\n",
        decision_headers(outcome)
    );
    for (rank, (e, difference)) in ranked(outcome, chosen).enumerate() {
        let ev = &outcome.evaluations[e];
        let difference = match difference {
            Some(d) => Style::of(money, d, &[]).summary(d, true),
            None => "chosen".to_string(),
        };
        push(
            &mut out,
            format_args!(
                "<tr><td class=\"text\">{}</td><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                rank + 1,
                report.configuration(o, e),
                decision_cells(outcome, &ev.values),
                chart::thousands(f64::from(ev.replications)),
                escape(&Style::of(money, &ev.objective, &[]).summary(&ev.objective, false)),
                escape(&difference)
            ),
        );
    }
    out.push_str("</tbody>\n</table></div>\n<p class=\"small\">The runners-up are the other finalists shown feasible, best first; a difference is runner-up − chosen in the objective, replication by replication over the selection&#39;s replications (common random numbers).</p>\n");
    out
}

/// The chosen configuration's constraints: bound, mean with interval, one-sided bound and
/// verdict.
fn constraint_table(outcome: &Outcome, chosen: usize) -> String {
    let problem = &outcome.problem;
    if problem.constraints.is_empty() {
        return "<p class=\"small\">No constraints: the objective alone decides.</p>\n".into();
    }
    let evaluation = &outcome.evaluations[chosen];
    let mut out = String::from(
        "<table class=\"constraints\">\n<thead><tr><th>constraint</th><th>confidence</th><th>mean (CI)</th><th>one-sided bound</th><th class=\"text\">verdict</th></tr></thead>\n<tbody>\n",
    );
    for (c, (constraint, result)) in problem
        .constraints
        .iter()
        .zip(&evaluation.constraints)
        .enumerate()
    {
        let style = constraint_style(constraint, result);
        push(
            &mut out,
            format_args!(
                "<tr><td>{}</td><td>{}%</td><td>{}</td><td>{} {}</td><td class=\"text\">{}</td></tr>\n",
                escape(&constraint_text(problem, c)),
                percent(constraint.confidence),
                escape(&style.summary(&result.summary, false)),
                one_sided_name(constraint.bound),
                escape(&style.text(result.one_sided, false)),
                verdict_name(result.verdict)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n<p class=\"small\">A constraint holds when its one-sided confidence bound (upper for ≤, lower for ≥) is on the right side of the bound, and fails when the bound on the other side is on the wrong side.</p>\n");
    out
}

/// Every configuration evaluated, in both phases, in a folded table.
fn evaluations_table(report: &OptimisationReport<'_>, o: usize, outcome: &Outcome) -> String {
    let problem = &outcome.problem;
    let money = objective_is_money(problem);
    let objectives: Vec<&Summary> = outcome.evaluations.iter().map(|e| &e.objective).collect();
    let objective_style = column_style(money, &objectives);
    let constraint_styles: Vec<Style> = problem
        .constraints
        .iter()
        .enumerate()
        .map(|(c, constraint)| {
            let summaries: Vec<&Summary> = outcome
                .evaluations
                .iter()
                .map(|e| &e.constraints[c].summary)
                .collect();
            column_style(is_money(&constraint.measure), &summaries)
        })
        .collect();
    let mut out = format!(
        "<details><summary>Every configuration evaluated ({} evaluations)</summary>\n<div class=\"wide\"><table class=\"evaluations\">\n<thead><tr><th class=\"text\">phase</th><th>configuration</th>{}<th>replications</th><th>objective</th>",
        chart::thousands(outcome.evaluations.len() as f64),
        decision_headers(outcome)
    );
    for c in 0..problem.constraints.len() {
        push(
            &mut out,
            format_args!("<th>{}</th>", escape(&constraint_text(problem, c))),
        );
    }
    out.push_str("<th class=\"text\">feasible</th></tr></thead>\n<tbody>\n");
    for (e, ev) in outcome.evaluations.iter().enumerate() {
        let chosen = outcome.chosen == Some(e);
        push(
            &mut out,
            format_args!(
                "<tr{}><td class=\"text\">{}</td><td>{}</td>{}<td>{}</td><td>{}</td>",
                if chosen { " class=\"chosen\"" } else { "" },
                phase_name(ev.phase),
                report.configuration(o, e),
                decision_cells(outcome, &ev.values),
                chart::thousands(f64::from(ev.replications)),
                escape(&objective_style.summary(&ev.objective, false))
            ),
        );
        for (result, style) in ev.constraints.iter().zip(&constraint_styles) {
            push(
                &mut out,
                format_args!(
                    "<td>{}: {}</td>",
                    escape(&style.text(result.summary.mean, false)),
                    verdict_name(result.verdict)
                ),
            );
        }
        push(
            &mut out,
            format_args!(
                "<td class=\"text\">{}{}</td></tr>\n",
                feasibility_name(ev.feasibility),
                if chosen { " (chosen)" } else { "" }
            ),
        );
    }
    out.push_str("</tbody>\n</table></div>\n<p class=\"small\">The search&#39;s rows are on replications from 0; the selection&#39;s on fresh replications, so a finalist appears once in each phase. A constraint cell is the statistic&#39;s mean and whether the constraint was shown to hold.</p>\n</details>\n");
    out
}
