//! The optimisation's chart: the objective against one decision's value for every
//! configuration evaluated, with the feasible range and the chosen configuration marked.

use super::{
    DrawError, FONT, Key, LABEL_SIZE, LIMIT, MEAN, NOTE_SIZE, Scale, Svg, Ticked, WIDE_SIZE, hex,
    legend_at, legend_rows, money_ticks, number_text, titled,
};
use crate::Summary;
use crate::optimise::{Feasibility, Outcome, Sense};
use crate::report::optimisation::{decision_decimals, objective_is_money};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::iter::once;

/// Configurations not shown feasible nor infeasible.
const UNDECIDED: RGBColor = RGBColor(150, 150, 150);
/// The ranges of values with a feasible configuration, and the best feasible objective at
/// each value.
const FEASIBLE: RGBColor = RGBColor(44, 160, 44);
/// The ring round the chosen configuration.
const CHOSEN: RGBColor = RGBColor(0, 0, 0);
/// The height of a legend row, as `legend_at` wraps them.
const LEGEND_ROW: i32 = 22;
/// Most decision values that each get a tick of their own.
const MOST_TICKS: usize = 15;

/// One configuration in a chart: the decision's value there and the objective.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectivePoint {
    /// The decision's value.
    pub(crate) value: f64,
    /// The objective's mean and interval over the configuration's replications (its
    /// selection replications for a finalist, else its search replications).
    pub(crate) objective: Summary,
    /// Whether it was shown to meet every constraint.
    pub(crate) feasibility: Feasibility,
    /// Whether it is the chosen configuration.
    pub(crate) chosen: bool,
}

/// The objective against one decision, for one variant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectiveChart {
    /// The variant.
    pub(crate) variant: String,
    /// The decision's name.
    pub(crate) decision: String,
    /// The decision's least and greatest values and its step.
    pub(crate) min: f64,
    pub(crate) max: f64,
    pub(crate) step: f64,
    /// How many values the decision takes.
    pub(crate) levels: usize,
    /// Decimals of the decision's values.
    pub(crate) decimals: usize,
    /// Every configuration evaluated, once.
    pub(crate) points: Vec<ObjectivePoint>,
    /// The ranges of the decision's values (runs of neighbouring values, half a step either
    /// side) at which some configuration was shown feasible.
    pub(crate) feasible: Vec<(f64, f64)>,
    /// The best feasible objective mean at each value with a feasible configuration, by
    /// value.
    pub(crate) best: Vec<(f64, f64)>,
    /// Whether the objective is in pounds.
    pub(crate) money: bool,
}

/// One chart per decision of `outcome`: each configuration evaluated once (a finalist with
/// its selection replications, which replace its search replications).
pub(crate) fn objective_charts(outcome: &Outcome) -> Vec<ObjectiveChart> {
    let mut latest: Vec<usize> = Vec::new();
    for (e, evaluation) in outcome.evaluations.iter().enumerate() {
        match latest
            .iter_mut()
            .find(|l| outcome.evaluations[**l].values == evaluation.values)
        {
            Some(l) => *l = e,
            None => latest.push(e),
        }
    }
    let chosen_values = outcome.chosen.map(|c| &outcome.evaluations[c].values);
    let problem = &outcome.problem;
    problem
        .decisions
        .iter()
        .enumerate()
        .map(|(d, decision)| {
            let points: Vec<ObjectivePoint> = latest
                .iter()
                .map(|&e| {
                    let ev = &outcome.evaluations[e];
                    ObjectivePoint {
                        value: ev.values[d],
                        objective: ev.objective,
                        feasibility: ev.feasibility,
                        chosen: chosen_values == Some(&ev.values),
                    }
                })
                .collect();
            let mut best: Vec<(f64, f64)> = Vec::new();
            for p in points
                .iter()
                .filter(|p| p.feasibility == Feasibility::Feasible)
            {
                let mean = p.objective.mean;
                match best.iter_mut().find(|(v, _)| *v == p.value) {
                    Some((_, b)) => {
                        *b = match problem.objective.sense {
                            Sense::Minimise => b.min(mean),
                            Sense::Maximise => b.max(mean),
                        }
                    }
                    None => best.push((p.value, mean)),
                }
            }
            best.sort_by(|a, b| a.0.total_cmp(&b.0));
            let half = decision.step / 2.0;
            let mut feasible: Vec<(f64, f64)> = Vec::new();
            for &(v, _) in &best {
                match feasible.last_mut() {
                    // The next value along: one range.
                    Some((_, hi)) if v - *hi <= decision.step * 0.51 => *hi = v + half,
                    _ => feasible.push((v - half, v + half)),
                }
            }
            ObjectiveChart {
                variant: outcome.variant.clone(),
                decision: decision.name.clone(),
                min: decision.min,
                max: decision.max,
                step: decision.step,
                levels: decision.levels(),
                decimals: decision_decimals(decision),
                points,
                feasible,
                best,
                money: objective_is_money(problem),
            }
        })
        .collect()
}

/// The colour of a configuration's point: blue shown feasible, red shown infeasible, grey
/// undecided.
fn colour(f: Feasibility) -> RGBColor {
    match f {
        Feasibility::Feasible => MEAN,
        Feasibility::Infeasible => LIMIT,
        Feasibility::Undecided => UNDECIDED,
    }
}

/// `name` cut to `most` characters, with "…" where it was cut.
fn short(name: &str, most: usize) -> String {
    if name.chars().count() <= most {
        name.to_string()
    } else {
        name.chars().take(most - 1).chain(once('…')).collect()
    }
}

/// The horizontal offsets of the points, so that configurations sharing the decision's
/// value (differing in other decisions) stand side by side, lowest objective first, within
/// a third of a step either side of the value.
fn offsets(c: &ObjectiveChart) -> Vec<f64> {
    let mut offsets = vec![0.0; c.points.len()];
    let mut values: Vec<f64> = c.points.iter().map(|p| p.value).collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    for v in values {
        let mut group: Vec<usize> = (0..c.points.len())
            .filter(|&i| c.points[i].value == v)
            .collect();
        group.sort_by(|&a, &b| {
            c.points[a]
                .objective
                .mean
                .total_cmp(&c.points[b].objective.mean)
        });
        let k = group.len();
        if k > 1 {
            for (j, &i) in group.iter().enumerate() {
                offsets[i] = (j as f64 / (k - 1) as f64 - 0.5) * 0.6 * c.step;
            }
        }
    }
    offsets
}

/// Draws the chart: a point per configuration at its objective mean with its interval as a
/// whisker (feasible filled blue, infeasible hollow red, undecided grey), the chosen one
/// ringed in black, the ranges of values with a feasible configuration shaded green and the
/// best feasible objective at each value joined by a green line.
pub(crate) fn render_objective(c: &ObjectiveChart) -> Result<Svg, DrawError> {
    let level = c.points.first().map_or(0.95, |p| p.objective.level);
    let ends = c
        .points
        .iter()
        .flat_map(|p| [p.objective.low(), p.objective.high(), p.objective.mean]);
    let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = if hi > lo { (hi - lo) * 0.08 } else { 0.0 };
    let y = Scale::over(lo - pad, hi + pad, 7, 0.0);
    let (money_unit, money_tick) = money_ticks(&y, false);
    let y_label = |v: f64| {
        if c.money {
            money_tick(v)
        } else {
            y.label(v, false)
        }
    };
    let y_desc = if c.money {
        format!("objective, {}", money_unit.name())
    } else {
        "objective".to_string()
    };
    let half = c.step / 2.0;
    let x_range = (c.min - half)..(c.max + half);
    let (x_ticks, x_decimals) = if c.levels <= MOST_TICKS {
        let ticks = (0..c.levels).map(|k| c.min + k as f64 * c.step).collect();
        (ticks, c.decimals)
    } else {
        let scale = Scale::over(c.min, c.max, 9, c.step);
        (scale.ticks, c.decimals.max(scale.decimals))
    };
    let widest = y.ticks.iter().map(|&t| y_label(t).chars().count()).max();
    // The tick labels and, left of them, the axis description.
    let y_area = (widest.unwrap_or(4) as u32 * 9 + 36).clamp(64, 170);
    let offsets = offsets(c);
    let region = FEASIBLE.mix(0.12).filled();
    let count = |f: Feasibility| c.points.iter().filter(|p| p.feasibility == f).count();
    let mut items = Vec::new();
    for (f, name, filled) in [
        (Feasibility::Feasible, "feasible", true),
        (Feasibility::Infeasible, "infeasible", false),
        (Feasibility::Undecided, "undecided", true),
    ] {
        if count(f) > 0 {
            items.push((Key::Dot(colour(f), filled), name.to_string()));
        }
    }
    if c.points.iter().any(|p| p.chosen) {
        items.push((Key::Dot(CHOSEN, false), "chosen".to_string()));
    }
    if !c.feasible.is_empty() {
        items.push((Key::Swatch(region), "feasible range".to_string()));
        items.push((
            Key::Line(FEASIBLE.stroke_width(2)),
            "best feasible".to_string(),
        ));
    }
    items.push((
        Key::Whisker(BLACK.stroke_width(1)),
        format!("{}% CI", crate::report::optimisation::percent(level)),
    ));
    // The legend's rows stand above the plot: room for each row past the first.
    let left = 12 + y_area as i32 + 4;
    let rows = legend_rows(left, WIDE_SIZE.0 as i32 - 8, &items) as i32;
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, WIDE_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let area = titled(
            &root,
            &format!(
                "{}: objective by {}",
                short(&c.variant, 30),
                short(&c.decision, 40)
            ),
        )?;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_top(12 + LEGEND_ROW * (rows - 1))
            .margin_right(24)
            .x_label_area_size(52)
            .y_label_area_size(y_area)
            .build_cartesian_2d(Ticked::new(x_range, x_ticks), y.axis())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc(short(&c.decision, 60))
            .y_desc(y_desc)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|x| number_text(*x, x_decimals, false))
            .y_label_formatter(&|v| y_label(*v))
            .draw()?;
        chart.draw_series(
            c.feasible
                .iter()
                .map(|&(a, b)| Rectangle::new([(a, y.range.start), (b, y.range.end)], region)),
        )?;
        chart.draw_series(LineSeries::new(
            c.best.iter().copied(),
            FEASIBLE.stroke_width(2),
        ))?;
        // Infeasible first, feasible last: the points that matter are drawn on top.
        let mut order: Vec<usize> = (0..c.points.len()).collect();
        order.sort_by_key(|&i| match c.points[i].feasibility {
            Feasibility::Infeasible => 0,
            Feasibility::Undecided => 1,
            Feasibility::Feasible => 2,
        });
        chart.draw_series(order.iter().map(|&i| {
            let p = &c.points[i];
            let x = p.value + offsets[i];
            PathElement::new(
                vec![(x, p.objective.low()), (x, p.objective.high())],
                colour(p.feasibility).stroke_width(1),
            )
        }))?;
        chart.draw_series(order.iter().map(|&i| {
            let p = &c.points[i];
            let fill = match p.feasibility {
                Feasibility::Infeasible => WHITE.filled(),
                f => colour(f).filled(),
            };
            Circle::new((p.value + offsets[i], p.objective.mean), 4, fill)
        }))?;
        chart.draw_series(order.iter().map(|&i| {
            let p = &c.points[i];
            Circle::new(
                (p.value + offsets[i], p.objective.mean),
                4,
                colour(p.feasibility).stroke_width(2),
            )
        }))?;
        let label = (FONT, NOTE_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        for (i, p) in c.points.iter().enumerate().filter(|(_, p)| p.chosen) {
            let at = (p.value + offsets[i], p.objective.mean);
            chart.draw_series(once(Circle::new(at, 9, CHOSEN.stroke_width(2))))?;
            let (px, py) = chart.backend_coord(&at);
            root.draw(&Text::new("chosen", (px + 10, py - 8), label.clone()))?;
        }
        let plot = chart.plotting_area().get_pixel_range();
        legend_at(
            &root,
            (
                plot.0.start + 4,
                plot.1.start - 16 - LEGEND_ROW * (rows - 1),
            ),
            &items,
        )?;
        root.present()?;
    }
    let mut colours: Vec<String> = c
        .points
        .iter()
        .map(|p| hex(colour(p.feasibility)))
        .collect();
    colours.sort();
    colours.dedup();
    Ok(Svg {
        markup,
        data_colours: colours,
        data_marks: c.points.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::{Decision, Evaluation, Measure, Objective, Phase, Problem, Term};

    fn evaluation(values: Vec<f64>, phase: Phase, mean: f64, f: Feasibility) -> Evaluation {
        let objective = Summary::new(&[mean - 1.0, mean + 1.0], 0.95);
        Evaluation {
            values,
            phase,
            replications: 2,
            objective,
            terms: vec![objective],
            constraints: Vec::new(),
            feasibility: f,
        }
    }

    #[test]
    fn each_configuration_is_drawn_once_and_feasible_values_make_ranges() {
        let decision = |name: &str| Decision {
            name: name.into(),
            file: "services.csv".into(),
            row: name.into(),
            column: "capacity".into(),
            min: 10.0,
            max: 40.0,
            step: 10.0,
        };
        use Feasibility::*;
        let outcome = Outcome {
            variant: "baseline".into(),
            problem: Problem {
                decisions: vec![decision("a"), decision("b")],
                objective: Objective {
                    terms: vec![Term {
                        measure: Measure {
                            scope: "finance".into(),
                            subject: String::new(),
                            kpi: "capacity_costs".into(),
                        },
                        weight: 1.0,
                    }],
                    sense: Sense::Minimise,
                    indifference: 1.0,
                    confidence: 0.95,
                },
                constraints: Vec::new(),
            },
            method: "exhaustive",
            evaluations: vec![
                evaluation(vec![10.0, 10.0], Phase::Search, 5.0, Infeasible),
                evaluation(vec![20.0, 10.0], Phase::Search, 7.0, Feasible),
                evaluation(vec![20.0, 20.0], Phase::Search, 6.0, Feasible),
                evaluation(vec![40.0, 10.0], Phase::Search, 9.0, Feasible),
                evaluation(vec![20.0, 20.0], Phase::Selection, 6.5, Feasible),
            ],
            chosen: Some(4),
            runners_up: Vec::new(),
            guarantee: crate::optimise::Guarantee {
                probability: 0.9,
                feasibility: 0.95,
                indifference: 50_000.0,
                needed: 10,
                run: 10,
                met: true,
            },
            infeasible: None,
            replications: 10,
            exhaustive_replications: 20,
            seconds: 1.0,
            threads: 1,
        };
        let charts = objective_charts(&outcome);
        assert_eq!(charts.len(), 2);
        let a = &charts[0];
        assert_eq!(a.points.len(), 4, "the finalist once, with its selection");
        let finalist = a.points.iter().find(|p| p.chosen).unwrap();
        assert_eq!((finalist.value, finalist.objective.mean), (20.0, 6.5));
        // Values 20 and 40 are feasible, 30 was not evaluated: two ranges.
        assert_eq!(a.feasible, [(15.0, 25.0), (35.0, 45.0)]);
        assert_eq!(a.best, [(20.0, 6.5), (40.0, 9.0)]);
        assert_eq!(charts[1].feasible, [(5.0, 25.0)]);
        assert_eq!(charts[1].best, [(10.0, 7.0), (20.0, 6.5)]);
        let svg = render_objective(a).unwrap();
        assert_eq!(svg.data_marks, 4);
        assert_eq!(svg.data_colours, [hex(MEAN), hex(LIMIT)]);
        assert!(svg.markup.contains("\nchosen\n</text>"));
    }
}
