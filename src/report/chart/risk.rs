//! The risk chart: each organisation's surplus in every replication, per variant, with the
//! deficit line at £0, so a reader sees which contract moves risk to whom; and each control
//! total's headroom the same way.

use super::super::risk_table::probability_text;
use super::{
    DrawError, FONT, Key, LABEL_SIZE, LIMIT, NOTE_SIZE, Scale, Svg, Ticked, WHISKER, hex,
    legend_at, legend_rows, money_ticks, variant_colour,
};
use crate::report::{ALL_YEARS, CONTROL_TOTAL_KPIS, Report, Risk};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::iter::once;

/// Pixels per panel.
const PANEL: (u32, u32) = (460, 300);
/// Most panels side by side.
const MOST_COLUMNS: usize = 2;
/// Pixels above the panels for the title and the legend, per legend row beyond the first.
const TOP: u32 = 70;
const LEGEND_ROW: u32 = 22;

/// One variant's values of the statistic, one per replication, in replication order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpreadColumn {
    /// Index of the variant in the report (the baseline is 0).
    pub(crate) variant: usize,
    /// The statistic in each replication, £.
    pub(crate) values: Vec<f64>,
    /// Their mean, £.
    pub(crate) mean: f64,
    /// Their spread: probability below £0 and the 5th and 95th percentiles.
    pub(crate) risk: Risk,
}

/// One panel: an organisation's surplus, or a control total's headroom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpreadPanel {
    /// The panel's title.
    pub(crate) title: String,
    /// Whether it shows a control total's headroom rather than an organisation's surplus.
    pub(crate) control_total: bool,
    /// One per variant, in the report's order.
    pub(crate) columns: Vec<SpreadColumn>,
}

/// The risk chart's data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SurplusSpread {
    /// The financial year (`2028-29`), or [`ALL_YEARS`] for the whole observation window.
    pub(crate) year: String,
    /// One per organisation with money, then one per control total.
    pub(crate) panels: Vec<SpreadPanel>,
    /// Replications per variant.
    pub(crate) replications: usize,
}

/// The risk chart of every variant in the report's headline year, straight from the
/// replications' values and [`Report::finance_risk`]; `None` when no money is booked.
pub(crate) fn surplus_spread(report: &Report<'_>) -> Option<SurplusSpread> {
    let year = report.headline_year()?.to_string();
    let subjects = report
        .ledger_organisations()
        .into_iter()
        .map(|o| (o, false, o.to_string()))
        .chain(
            report
                .control_totals()
                .into_iter()
                .map(|t| (t, true, format!("control total {t}: headroom"))),
        );
    let mut panels = Vec::new();
    for (subject, control_total, title) in subjects {
        let kpi = if control_total {
            CONTROL_TOTAL_KPIS[2]
        } else {
            "surplus"
        };
        let k = report.finance_index(&year, subject, kpi)?;
        let columns = report
            .result
            .names
            .iter()
            .enumerate()
            .map(|(v, name)| {
                Some(SpreadColumn {
                    variant: v,
                    values: report.values[v].iter().map(|r| r[k]).collect(),
                    mean: report.summaries[v][k].mean,
                    risk: *report.finance_risk(name, &year, subject, kpi)?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        panels.push(SpreadPanel {
            title,
            control_total,
            columns,
        });
    }
    Some(SurplusSpread {
        year,
        panels,
        replications: report.result.replications(),
    })
}

/// The chart's legend entries.
fn legend(variants: &[String]) -> Vec<(Key, String)> {
    let mut items: Vec<(Key, String)> = variants
        .iter()
        .enumerate()
        .map(|(v, name)| (Key::Dot(variant_colour(v), true), name.clone()))
        .collect();
    items.push((
        Key::Whisker(WHISKER.stroke_width(2)),
        "5th to 95th percentile, bar: mean".to_string(),
    ));
    items.push((
        Key::Line(LIMIT.stroke_width(2)),
        "£0: below, a deficit (a breach)".to_string(),
    ));
    items
}

/// The chart's size: panels two to a row under a title and legend.
pub(crate) fn spread_size(c: &SurplusSpread, variants: &[String]) -> (u32, u32) {
    let columns = c.panels.len().clamp(1, MOST_COLUMNS);
    let rows = c.panels.len().div_ceil(MOST_COLUMNS).max(1);
    let width = PANEL.0 * columns as u32;
    let legend = legend_rows(8, width as i32 - 8, &legend(variants));
    (
        width,
        TOP + LEGEND_ROW * (legend - 1) + PANEL.1 * rows as u32,
    )
}

/// Draws the risk chart: one panel per organisation (and control total), each on its own
/// scale holding £0; per variant a column of dots, one per replication (spread sideways by
/// replication so that equal values stay visible), its 5th to 95th percentile as a bar with
/// the mean across it, and the probability below £0 written over it.
pub(crate) fn render_surplus_spread(
    c: &SurplusSpread,
    variants: &[String],
) -> Result<Svg, DrawError> {
    let size = spread_size(c, variants);
    let items = legend(variants);
    let legend_height = LEGEND_ROW * (legend_rows(8, size.0 as i32 - 8, &items) - 1);
    let period = if c.year == ALL_YEARS {
        "all financial years observed".to_string()
    } else {
        format!("financial year {}", c.year)
    };
    let mut markup = String::new();
    let mut dots = 0;
    {
        let root = SVGBackend::with_string(&mut markup, size).into_drawing_area();
        root.fill(&WHITE)?;
        let what = if c.panels.iter().any(|p| p.control_total) {
            "Surplus (control totals: headroom)"
        } else {
            "Surplus"
        };
        let root = root.titled(
            &format!("{what} in each replication, {period}"),
            (FONT, 22).into_font(),
        )?;
        legend_at(&root, (12, 16), &items)?;
        let (_, panels_area) = root.split_vertically(TOP - 30 + legend_height);
        let rows = c.panels.len().div_ceil(MOST_COLUMNS).max(1);
        let columns = c.panels.len().clamp(1, MOST_COLUMNS);
        for (panel, area) in c
            .panels
            .iter()
            .zip(panels_area.split_evenly((rows, columns)))
        {
            dots += draw_panel(&area, panel)?;
        }
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: (0..variants.len())
            .map(|v| hex(variant_colour(v)))
            .collect(),
        data_marks: dots,
    })
}

/// Draws one panel; returns the dots drawn.
fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    panel: &SpreadPanel,
) -> Result<usize, DrawError> {
    let m = panel.columns.len().max(1);
    let values = panel.columns.iter().flat_map(|c| c.values.iter().copied());
    let (lo, hi) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // Room above for the probabilities.
    let pad = (hi - lo) * 0.08;
    let scale = Scale::over(lo - pad, hi + pad * 3.0, 6, 1.0);
    let (unit, y_label) = money_ticks(&scale, false);
    let x_range = -0.5..m as f64 - 0.5;
    let mut chart = ChartBuilder::on(area)
        .caption(&panel.title, (FONT, LABEL_SIZE))
        .margin(8)
        .margin_right(16)
        .x_label_area_size(8)
        .y_label_area_size(76)
        .build_cartesian_2d(Ticked::new(x_range.clone(), Vec::new()), scale.axis())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .y_desc(unit.name())
        .label_style((FONT, NOTE_SIZE))
        .axis_desc_style((FONT, NOTE_SIZE))
        .y_label_formatter(&|y| y_label(*y))
        .draw()?;
    chart.draw_series(once(PathElement::new(
        vec![(x_range.start, 0.0), (x_range.end, 0.0)],
        LIMIT.stroke_width(2),
    )))?;
    let mut dots = 0;
    for (i, column) in panel.columns.iter().enumerate() {
        let x = i as f64;
        let colour = variant_colour(column.variant);
        // Five lanes, by replication: deterministic, and equal values do not hide each other.
        chart.draw_series(column.values.iter().enumerate().map(|(r, &v)| {
            let lane = (r % 5) as f64 - 2.0;
            Circle::new((x - 0.12 + lane * 0.045, v), 3, colour.mix(0.6).filled())
        }))?;
        dots += column.values.len();
        let bar = WHISKER.stroke_width(2);
        let (p05, p95, right) = (column.risk.p05, column.risk.p95, x + 0.22);
        chart.draw_series([
            PathElement::new(vec![(right, p05), (right, p95)], bar),
            PathElement::new(vec![(right - 0.05, p05), (right + 0.05, p05)], bar),
            PathElement::new(vec![(right - 0.05, p95), (right + 0.05, p95)], bar),
            PathElement::new(
                vec![(right - 0.1, column.mean), (right + 0.1, column.mean)],
                BLACK.stroke_width(3),
            ),
        ])?;
        let font = (FONT, NOTE_SIZE)
            .into_font()
            .color(&BLACK)
            // Raised above its anchor, as values are (a tick label hangs below its axis).
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let text = probability_text(&column.risk);
        let short = text.split(' ').next().unwrap_or_default().to_string();
        chart.draw_series(once(Text::new(
            short,
            (
                x,
                scale.range.end - (scale.range.end - scale.range.start) * 0.06,
            ),
            font,
        )))?;
    }
    Ok(dots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Experiment, Plan, RunInfo};

    #[test]
    fn the_chart_holds_every_replication_of_every_variant() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/contracts");
        let mut experiment = Experiment::load(dir).expect("the bundled scenario loads");
        for v in experiment.variants_mut() {
            let s = v.model.settings_mut();
            s.horizon_days = 365.0;
            s.warmup_days = 35.0;
            s.daily_series = false;
        }
        let result = experiment.run(&Plan::replications(3));
        let info = RunInfo {
            scenario: "contracts".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        let c = surplus_spread(&report).expect("the scenario books money");
        assert_eq!(c.year, "2026-27");
        let titles: Vec<&str> = c.panels.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "acute_trust",
                "community_trust",
                "county_council",
                "care_homes_ltd",
                "icb",
                "control total nhs_system: headroom"
            ]
        );
        let variants = &result.names;
        for panel in &c.panels {
            assert_eq!(panel.columns.len(), variants.len());
            for column in &panel.columns {
                assert_eq!(column.values.len(), 3);
                let mut sorted = column.values.clone();
                sorted.sort_by(f64::total_cmp);
                // Type 7 with three values: 0.1 and 1.9 of the way along.
                let p05 = sorted[0] + 0.1 * (sorted[1] - sorted[0]);
                assert!((column.risk.p05 - p05).abs() <= 1e-6 * p05.abs().max(1.0));
                let below = column.values.iter().filter(|&&x| x < -0.005).count();
                assert_eq!(column.risk.below_zero, below);
            }
        }
        let acute = &c.panels[0].columns[0];
        let id = experiment
            .baseline()
            .organisation_id("acute_trust")
            .unwrap();
        let first = result.results[0][0].finance.years[0].organisations[id.index()].surplus();
        assert_eq!(acute.values[0], first);
        let svg = render_surplus_spread(&c, variants).unwrap();
        assert_eq!(svg.data_marks, 6 * variants.len() * 3);
        assert!(svg.markup.contains(&svg.data_colours[0]));
        assert_eq!(spread_size(&c, variants).0, 2 * PANEL.0);
    }
}
