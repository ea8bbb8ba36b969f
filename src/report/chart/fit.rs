//! Charts of a fitted length of stay: the observed distribution (Kaplan–Meier, so stays
//! still open count) against the fitted one, and a Q–Q plot of the same.

use super::{
    DrawError, FONT, Key, LABEL_SIZE, LIMIT, MEAN, OCCUPANCY_SIZE, Scale, Svg, hex, legend_row,
    titled,
};
use crate::fit::{Chosen, StayFit};
use plotters::prelude::*;

/// Most points drawn of a curve (the SVG stays small; the shape is kept).
const MOST_POINTS: usize = 300;

/// One (class, service)'s stays, observed and fitted, as plain values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StayChart {
    /// `class at service`.
    pub(crate) title: String,
    /// What was fitted, e.g. `gamma` or `empirical`.
    pub(crate) fitted_name: String,
    /// The observed distribution function as a step path: (days, share ended by then).
    pub(crate) observed: Vec<(f64, f64)>,
    /// The fitted distribution function at evenly spaced days.
    pub(crate) fitted: Vec<(f64, f64)>,
    /// (fitted quantile, observed quantile) at each observed step.
    pub(crate) quantiles: Vec<(f64, f64)>,
}

/// The chart data of `fit`.
pub(crate) fn stay_chart(fit: &StayFit) -> StayChart {
    let stay = fit.stay();
    let cdf = |t: f64| 1.0 - stay.probability_above(t);
    let steps: Vec<(f64, f64)> = thin(&fit.kaplan_meier)
        .into_iter()
        .map(|(t, s)| (t, 1.0 - s))
        .collect();
    let x_max = steps.last().map_or(1.0, |&(t, _)| t).max(1e-9);
    let mut observed = vec![(0.0, 0.0)];
    for &(t, f) in &steps {
        let before = observed.last().expect("starts with a point").1;
        observed.push((t, before));
        observed.push((t, f));
    }
    let fitted = (0..=200)
        .map(|i| {
            let t = x_max * f64::from(i) / 200.0;
            (t, cdf(t))
        })
        .collect();
    // Quantiles at the middle of each step, so the last (share 1) is finite.
    let mut before = 0.0;
    let mut quantiles = Vec::new();
    for &(t, f) in &steps {
        let p = 0.5 * (before + f);
        before = f;
        if let Some(q) = quantile(&cdf, p) {
            quantiles.push((q, t));
        }
    }
    StayChart {
        title: format!("{} at {}", fit.class, fit.service),
        fitted_name: match (&fit.chosen, fit.best()) {
            (Chosen::Family(_), Some(b)) => b.family.as_str().to_owned(),
            _ => "empirical".to_owned(),
        },
        observed,
        fitted,
        quantiles,
    }
}

/// At most [`MOST_POINTS`] of `points`, evenly spread, the last kept.
fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() <= MOST_POINTS {
        return points.to_vec();
    }
    let step = points.len() as f64 / MOST_POINTS as f64;
    let mut out: Vec<(f64, f64)> = (0..MOST_POINTS)
        .map(|i| points[(i as f64 * step) as usize])
        .collect();
    out.push(*points.last().expect("not empty"));
    out
}

/// The smallest `x` with `cdf(x) >= p`, by bisection; `None` if beyond 10⁹ days.
fn quantile(cdf: &impl Fn(f64) -> f64, p: f64) -> Option<f64> {
    let mut high = 1.0;
    while cdf(high) < p {
        high *= 2.0;
        if high > 1e9 {
            return None;
        }
    }
    let mut low = 0.0;
    for _ in 0..60 {
        let mid = 0.5 * (low + high);
        if cdf(mid) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    Some(high)
}

/// The observed against the fitted distribution function.
pub(crate) fn render_distribution(c: &StayChart) -> Result<Svg, DrawError> {
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, OCCUPANCY_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let x = Scale::from_zero(c.observed.iter().map(|p| p.0), 7);
        let y = Scale::over(0.0, 1.0, 6, 0.0);
        let area = titled(&root, &c.title)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(x.axis(), y.axis())?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc("days")
            .y_desc("share of stays ended")
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|v| x.label(*v, false))
            .y_label_formatter(&|v| y.label(*v, false))
            .draw()?;
        chart.draw_series(LineSeries::new(
            c.observed.iter().copied(),
            MEAN.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            c.fitted.iter().copied(),
            LIMIT.stroke_width(2),
        ))?;
        let items = [
            (
                Key::Line(MEAN.stroke_width(2)),
                "observed (Kaplan–Meier)".to_owned(),
            ),
            (
                Key::Line(LIMIT.stroke_width(2)),
                format!("fitted: {}", c.fitted_name),
            ),
        ];
        legend_row(&root, chart.plotting_area().get_pixel_range(), &items)?;
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: vec![hex(MEAN), hex(LIMIT)],
        data_marks: 2,
    })
}

/// Observed against fitted quantiles, with the line they lie on when the fit is exact.
pub(crate) fn render_quantiles(c: &StayChart) -> Result<Svg, DrawError> {
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, OCCUPANCY_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let top = c
            .quantiles
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .fold(0.0, f64::max);
        let scale = Scale::from_zero([top], 7);
        let area = titled(&root, &format!("{} (Q–Q)", c.title))?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(scale.axis(), scale.axis())?;
        chart
            .configure_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc(format!("fitted quantile ({}), days", c.fitted_name))
            .y_desc("observed quantile, days")
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|v| scale.label(*v, false))
            .y_label_formatter(&|v| scale.label(*v, false))
            .draw()?;
        let end = scale.range.end;
        chart.draw_series(LineSeries::new(
            [(0.0, 0.0), (end, end)],
            LIMIT.stroke_width(2),
        ))?;
        chart.draw_series(
            c.quantiles
                .iter()
                .map(|&p| Circle::new(p, 3, MEAN.filled())),
        )?;
        let items = [
            (Key::Dot(MEAN, true), "stays".to_owned()),
            (
                Key::Line(LIMIT.stroke_width(2)),
                "observed = fitted".to_owned(),
            ),
        ];
        legend_row(&root, chart.plotting_area().get_pixel_range(), &items)?;
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: vec![hex(LIMIT), hex(MEAN)],
        data_marks: 1 + c.quantiles.len().min(1),
    })
}
