//! The report's charts: what each chart shows, taken from the results as plain values, and
//! how it is drawn as SVG with plotters.
//!
//! Each chart is a pair: a data function ([`occupancy`], [`delays`], [`wait_histograms`],
//! [`forest`], [`money`], [`money_forest`], [`objective_charts`]) that returns plain structs, which the unit tests
//! check against the results, and a `render_*` function that draws them. A new chart is one
//! more such pair and one more figure in `html.rs`.
//!
//! Every `render_*` function returns an [`Svg`] that names the colours of its data marks and
//! how many marks it drew at least, so the report's render check can tell a chart with data
//! from an empty frame of axes.

mod fit;
mod objective;
mod risk;

pub(crate) use fit::{render_distribution, render_quantiles, stay_chart};
pub(crate) use objective::{objective_charts, render_objective};
pub(crate) use risk::{render_surplus_spread, spread_size, surplus_spread};

use super::{ALL_YEARS, Report, Scope, quantile};
use crate::{DailyRecord, DelayReason, Model, ReplicationResult, ServiceKind, Summary};
use chrono::{Datelike, Days, Months, NaiveDate};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::iter::once;
use std::ops::Range;

/// What drawing a chart can fail with (plotters' drawing errors, boxed).
pub(crate) type DrawError = Box<dyn std::error::Error + Send + Sync>;

/// Mean line of a series, and its band.
const MEAN: RGBColor = RGBColor(31, 119, 180);
/// Capacity, thresholds.
const LIMIT: RGBColor = RGBColor(214, 39, 40);
/// Bars.
const BAR: RGBColor = RGBColor(76, 120, 168);
/// Histogram bins beyond the threshold.
const OVER: RGBColor = RGBColor(228, 87, 86);
/// Confidence-interval whiskers.
const WHISKER: RGBColor = RGBColor(40, 40, 40);
/// One colour per variant in the forest plot (Tableau 10 without the greys).
const VARIANTS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

const FONT: &str = "sans-serif";
const TITLE_SIZE: u32 = 22;
const LABEL_SIZE: u32 = 16;
const NOTE_SIZE: u32 = 15;

/// Size of one occupancy chart (they are shown as small multiples, two to a row).
pub(crate) const OCCUPANCY_SIZE: (u32, u32) = (600, 340);
/// Size of the bar charts and histograms.
pub(crate) const WIDE_SIZE: (u32, u32) = (800, 400);

/// A chart drawn as SVG, ready to inline in HTML.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Svg {
    /// The `<svg>` element.
    pub(crate) markup: String,
    /// The colours of its data marks, as `#RRGGBB` the way plotters writes them.
    pub(crate) data_colours: Vec<String>,
    /// How many data marks it draws at least (besides its legend).
    pub(crate) data_marks: usize,
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Appends the digits `int` to `out` with a comma between each group of three: "12345" →
/// "12,345".
pub(crate) fn push_grouped(out: &mut String, int: &str) {
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
}

/// Formats a count with thousands separators: 12345.6 → "12,346".
pub(crate) fn thousands(x: f64) -> String {
    let rounded = x.round();
    let mut out = String::new();
    push_grouped(&mut out, &format!("{}", rounded.abs() as u64));
    if rounded < 0.0 {
        format!("−{out}")
    } else {
        out
    }
}

/// A numeric axis with ticks exactly where the chart puts them (month starts, one per bar or
/// row). plotters' own `with_key_points` on an `f64` range cannot take a label formatter.
#[derive(Debug, Clone)]
struct Ticked {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        Ticked { range, ticks }
    }
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let share = if span == 0.0 {
            0.0
        } else {
            (value - self.range.start) / span
        };
        limit.0 + (f64::from(limit.1 - limit.0) * share + 1e-3).floor() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A value axis: its range, ticks at round numbers and the decimals that tell them apart.
///
/// Built for any data, degenerate included: a range that is empty (all values equal, all
/// zero, or no finite value at all) is widened to one with distinct ticks, so an axis never
/// labels two ticks alike ("0 0 1 1", "−£1 −£1 £0") and never writes NaN. Non-finite values
/// are ignored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    /// The drawn range.
    pub(crate) range: Range<f64>,
    /// Tick positions inside it, in steps of `step`.
    pub(crate) ticks: Vec<f64>,
    /// The distance between ticks (1, 2 or 5 times a power of ten).
    pub(crate) step: f64,
    /// Decimals that write every tick differently.
    pub(crate) decimals: usize,
}

/// The finite (least, greatest) of `values`, or `None` when none is finite.
fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

impl Scale {
    /// An axis from 0 up for a quantity that cannot be negative (places, patients, bed-days,
    /// shares), with room above the largest of `values`; 0 to 1 when every value is 0 or
    /// none is finite.
    pub(crate) fn from_zero(values: impl IntoIterator<Item = f64>, most: usize) -> Scale {
        let top = extent(values).map_or(0.0, |(_, hi)| hi.max(0.0));
        let top = if top > 0.0 { top * 1.12 } else { 1.0 };
        Scale::over(0.0, top, most, 0.0)
    }

    /// An axis for differences: it holds 0 and `values`, with a margin either side; when
    /// every value is 0 (or none is finite), −`unit` to `unit` (the smallest difference
    /// worth a tick, e.g. £1; 0 for none, then −1 to 1).
    pub(crate) fn around_zero(
        values: impl IntoIterator<Item = f64>,
        most: usize,
        unit: f64,
    ) -> Scale {
        let (lo, hi) = extent(values).unwrap_or((0.0, 0.0));
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        let span = hi - lo;
        if span <= 0.0 {
            let u = if unit > 0.0 { unit } else { 1.0 };
            return Scale::over(-u, u, most, unit);
        }
        let pad = span * 0.08;
        Scale::over(lo - pad, hi + pad, most, unit)
    }

    /// Ticks at round numbers over `lo..hi` (widened when empty), at most `most` of them
    /// (at least two), no closer than `least_step` when that is positive.
    pub(crate) fn over(lo: f64, hi: f64, most: usize, least_step: f64) -> Scale {
        let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
            (lo.min(hi), lo.max(hi))
        } else {
            (0.0, 1.0)
        };
        if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
            // One value: a range around it (or 0 to 1 for zero).
            let v = lo;
            let half = if v == 0.0 { 0.5 } else { v.abs() * 0.1 };
            let half = half.max(least_step);
            (lo, hi) = if v == 0.0 && least_step <= 0.0 {
                (0.0, 1.0)
            } else {
                (v - half, v + half)
            };
        }
        let most = most.max(2);
        let rough = (hi - lo) / (most - 1) as f64;
        let magnitude = 10f64.powf(rough.log10().floor());
        let mut step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|&s| s >= rough * (1.0 - 1e-9))
            .unwrap_or(10.0 * magnitude);
        if least_step > 0.0 && step < least_step {
            step = least_step;
        }
        let first = (lo / step - 1e-9).ceil() as i64;
        let last = (hi / step + 1e-9).floor() as i64;
        let ticks: Vec<f64> = (first..=last)
            .map(|i| {
                let t = i as f64 * step;
                if t == 0.0 { 0.0 } else { t }
            })
            .collect();
        let decimals = if step >= 1.0 {
            0
        } else {
            (-(step.log10() + 1e-9).floor()).max(0.0) as usize
        };
        Scale {
            range: lo..hi,
            ticks,
            step,
            decimals,
        }
    }

    /// The axis for plotters.
    fn axis(&self) -> Ticked {
        Ticked::new(self.range.clone(), self.ticks.clone())
    }

    /// A tick's label: grouped by thousands, with the scale's decimals; `signed` puts "+"
    /// before values above zero. Zero is "0" (never "−0").
    pub(crate) fn label(&self, v: f64, signed: bool) -> String {
        number_text(v, self.decimals, signed)
    }
}

/// `x` with `decimals` decimals, grouped by thousands, "−" for negative values and, with
/// `signed`, "+" for positive ones; anything that rounds to zero is "0" ("0.0"…).
pub(crate) fn number_text(x: f64, decimals: usize, signed: bool) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::new();
    if !zero {
        if x < 0.0 {
            out.push('−');
        } else if signed {
            out.push('+');
        }
    }
    push_grouped(&mut out, int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A legend entry's symbol.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// A filled square (areas, bars).
    Swatch(ShapeStyle),
    /// A short horizontal line.
    Line(ShapeStyle),
    /// A short dashed horizontal line.
    Dashed(ShapeStyle),
    /// A short vertical line (an interval whisker).
    Whisker(ShapeStyle),
    /// A dot, filled or hollow, in a colour.
    Dot(RGBColor, bool),
}

/// The key in a colour one step off its series' colour: the same to the eye, but the page's
/// render check counts only elements in the exact data colours, so a chart whose data were
/// missing would not pass on its legend alone.
fn legend_tint(key: Key) -> Key {
    let off = |c: RGBAColor| RGBAColor(c.0, c.1, c.2 ^ 1, c.3);
    let style = |s: ShapeStyle| ShapeStyle {
        color: off(s.color),
        ..s
    };
    match key {
        Key::Swatch(s) => Key::Swatch(style(s)),
        Key::Line(s) => Key::Line(style(s)),
        Key::Dashed(s) => Key::Dashed(style(s)),
        Key::Whisker(s) => Key::Whisker(style(s)),
        Key::Dot(c, filled) => Key::Dot(RGBColor(c.0, c.1, c.2 ^ 1), filled),
    }
}

/// Draws `title` at the top of `root` and returns the area under it, less a strip for the
/// legend row ([`legend_row`]).
fn titled<'a>(
    root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    title: &str,
) -> Result<DrawingArea<SVGBackend<'a>, plotters::coord::Shift>, DrawError> {
    let area = root.titled(title, (FONT, TITLE_SIZE).into_font())?;
    Ok(area.margin(24, 0, 0, 0))
}

/// Draws a legend as one row of (symbol, label) just above the plotting area, from its left
/// edge, so it never covers data. The chart reserves the room with [`titled`].
fn legend_row(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    plot: (Range<i32>, Range<i32>),
    items: &[(Key, String)],
) -> Result<(), DrawError> {
    legend_at(root, (plot.0.start + 4, plot.1.start - 16), items)
}

/// The rows a legend of `items` takes from `x` when it wraps at `width` pixels.
fn legend_rows(x: i32, width: i32, items: &[(Key, String)]) -> u32 {
    let mut rows = 1;
    let mut at = x;
    for (_, label) in items {
        let w = legend_width(label);
        if at > x && at + w > width {
            rows += 1;
            at = x;
        }
        at += w;
    }
    rows
}

/// The pixels one legend item takes: symbol, label (about 7 pixels a character at the
/// legend's font) and a gap.
fn legend_width(label: &str) -> i32 {
    22 + 7 * label.chars().count() as i32 + 20
}

/// Draws a legend from `(x, y)` (the middle of its first row), wrapping to a new row 22
/// pixels lower when the next item would pass the right edge of `root`.
fn legend_at(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    (x0, y0): (i32, i32),
    items: &[(Key, String)],
) -> Result<(), DrawError> {
    let width = root.dim_in_pixel().0 as i32 - 8;
    let (mut x, mut y) = (x0, y0);
    let font = (FONT, NOTE_SIZE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (key, label) in items {
        if x > x0 && x + legend_width(label) > width {
            x = x0;
            y += 22;
        }
        match legend_tint(*key) {
            Key::Swatch(style) => {
                root.draw(&Rectangle::new([(x, y - 6), (x + 16, y + 6)], style))?
            }
            Key::Line(style) => root.draw(&PathElement::new(vec![(x, y), (x + 16, y)], style))?,
            Key::Dashed(style) => {
                root.draw(&PathElement::new(vec![(x, y), (x + 6, y)], style))?;
                root.draw(&PathElement::new(vec![(x + 10, y), (x + 16, y)], style))?;
            }
            Key::Whisker(style) => {
                root.draw(&PathElement::new(
                    vec![(x + 8, y - 7), (x + 8, y + 7)],
                    style,
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 4, y - 7), (x + 12, y - 7)],
                    style,
                ))?;
                root.draw(&PathElement::new(
                    vec![(x + 4, y + 7), (x + 12, y + 7)],
                    style,
                ))?;
            }
            Key::Dot(colour, filled) => {
                let fill = if filled {
                    colour.filled()
                } else {
                    WHITE.filled()
                };
                root.draw(&Circle::new((x + 8, y), 5, fill))?;
                root.draw(&Circle::new((x + 8, y), 5, colour.stroke_width(2)))?;
            }
        }
        root.draw(&Text::new(label.clone(), (x + 22, y), font.clone()))?;
        x += legend_width(label);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Occupancy over time.

/// Daily occupancy of one service across replications, with its capacity over time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OccupancyChart {
    /// The service's name.
    pub(crate) service: String,
    /// Day numbers (day `d` covers `[d, d + 1)` days from the start).
    pub(crate) days: Vec<u32>,
    /// Mean across replications of the day's mean occupancy.
    pub(crate) mean: Vec<f64>,
    /// 10th percentile across replications.
    pub(crate) p10: Vec<f64>,
    /// 90th percentile across replications.
    pub(crate) p90: Vec<f64>,
    /// The capacity as a step line: (day, places) corners from day 0 to the horizon.
    pub(crate) capacity: Vec<(f64, f64)>,
    /// The scenario's first day.
    pub(crate) start_date: NaiveDate,
    /// End of the warm-up, days.
    pub(crate) warmup_days: f64,
    /// End of the run, days.
    pub(crate) horizon_days: f64,
    /// Replications behind each point.
    pub(crate) replications: usize,
}

/// One occupancy chart per service of `model`, from the daily series of `reps`; empty when
/// the daily series was not recorded (the scenario's `daily_series` setting is off).
pub(crate) fn occupancy(model: &Model, reps: &[ReplicationResult]) -> Vec<OccupancyChart> {
    let settings = model.settings();
    (0..model.services().len())
        .map_while(|s| {
            let d = daily(reps, s, Measure::Occupancy)?;
            Some(OccupancyChart {
                service: model.services()[s].name().to_string(),
                days: d.days,
                mean: d.mean,
                p10: d.p10,
                p90: d.p90,
                capacity: capacity_steps(model, s),
                start_date: settings.start_date,
                warmup_days: settings.warmup_days,
                horizon_days: settings.horizon_days,
                replications: reps.len(),
            })
        })
        .collect()
}

/// The capacity of service `s` over the run as the corners of a step line: the base capacity
/// from day 0, changed at each of the calendar's changes for `s`, up to the horizon.
pub(crate) fn capacity_steps(model: &Model, s: usize) -> Vec<(f64, f64)> {
    let horizon = model.settings().horizon_days;
    let mut capacity = f64::from(model.services()[s].capacity());
    let mut corners = vec![(0.0, capacity)];
    for change in model
        .calendar()
        .iter()
        .filter(|c| c.service.index() == s && c.time < horizon)
    {
        let t = change.time.max(0.0);
        corners.push((t, capacity));
        capacity = f64::from(change.capacity);
        corners.push((t, capacity));
    }
    corners.push((horizon, capacity));
    corners
}

/// Month starts between `start` and `start + days`, as day numbers, spaced so that there are
/// at most `most` of them.
fn month_ticks(start: NaiveDate, days: f64, most: usize) -> Vec<f64> {
    let months = (days / 30.44).ceil().max(1.0) as usize;
    let step: u32 = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&step| months / (step as usize) < most)
        .unwrap_or(240);
    let mut month = start.with_day(1).unwrap_or(start);
    if month < start {
        month = month + Months::new(1);
    }
    let mut ticks = Vec::new();
    loop {
        let d = (month - start).num_days() as f64;
        if d > days {
            return ticks;
        }
        ticks.push(d);
        month = month + Months::new(step);
    }
}

fn date_label(start: NaiveDate, day: f64) -> String {
    let date = start + Days::new(day.round().max(0.0) as u64);
    date.format("%b %Y").to_string()
}

/// Draws one service's occupancy: mean line, 10–90% band, capacity line, warm-up shaded.
pub(crate) fn render_occupancy(c: &OccupancyChart, variant: &str) -> Result<Svg, DrawError> {
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, OCCUPANCY_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let scale = Scale::from_zero(
            c.p90
                .iter()
                .chain(c.capacity.iter().map(|(_, cap)| cap))
                .copied(),
            7,
        );
        let y_max = scale.range.end;
        let x_max = c.horizon_days.max(1.0);
        let ticks = month_ticks(c.start_date, x_max, 8);
        let start = c.start_date;
        let area = titled(&root, &format!("{} ({variant})", c.service))?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .margin_right(34)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(Ticked::new(0.0..x_max, ticks), scale.axis())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc("date")
            .y_desc("places occupied (daily mean)")
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|d| date_label(start, *d))
            .y_label_formatter(&|v| scale.label(*v, false))
            .draw()?;
        let warm = RGBColor(120, 120, 120).mix(0.12).filled();
        if c.warmup_days > 0.0 {
            chart.draw_series(once(Rectangle::new(
                [(0.0, 0.0), (c.warmup_days.min(x_max), y_max)],
                warm,
            )))?;
        }
        let mid = |d: u32| (f64::from(d) + 0.5).min(x_max);
        let band: Vec<(f64, f64)> = c
            .days
            .iter()
            .zip(&c.p90)
            .map(|(&d, &v)| (mid(d), v))
            .chain(c.days.iter().zip(&c.p10).rev().map(|(&d, &v)| (mid(d), v)))
            .collect();
        let band_style = MEAN.mix(0.25).filled();
        chart.draw_series(once(Polygon::new(band, band_style)))?;
        chart.draw_series(LineSeries::new(
            c.days.iter().zip(&c.mean).map(|(&d, &v)| (mid(d), v)),
            MEAN.stroke_width(2),
        ))?;
        chart.draw_series(LineSeries::new(
            c.capacity.iter().copied(),
            LIMIT.stroke_width(2),
        ))?;
        let mut items = vec![
            (
                Key::Line(MEAN.stroke_width(2)),
                format!("mean of {} replications", c.replications),
            ),
            (Key::Swatch(band_style), "10–90%".to_string()),
            (Key::Line(LIMIT.stroke_width(2)), "capacity".to_string()),
        ];
        if c.warmup_days > 0.0 {
            items.push((Key::Swatch(warm), "warm-up".to_string()));
        }
        legend_row(&root, chart.plotting_area().get_pixel_range(), &items)?;
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: vec![hex(MEAN), hex(LIMIT)],
        data_marks: 3,
    })
}

// ---------------------------------------------------------------------------------------------
// Daily series across variants: queues, delays and waits for funding; each variant's
// occupancy beside the baseline's.

/// A daily measure of a service (a field of [`DailyRecord`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Places occupied.
    Occupancy,
    /// Patients queueing for a place.
    Queue,
    /// Patients in the service's beds fit to move on but still there, for any reason (delayed
    /// discharges).
    Delayed,
    /// Of the delayed patients, those waiting for a local authority to fund their next care.
    AwaitingFunding,
}

impl Measure {
    /// The measures of the flow charts, in their order.
    pub(crate) const FLOW: [Measure; 3] =
        [Measure::Queue, Measure::Delayed, Measure::AwaitingFunding];

    fn of(self, d: &DailyRecord) -> f64 {
        match self {
            Measure::Occupancy => d.occupancy,
            Measure::Queue => d.queue,
            Measure::Delayed => d.delayed,
            Measure::AwaitingFunding => d.delayed_awaiting_funding,
        }
    }

    /// The measure in words, as a panel's title.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Measure::Occupancy => "places occupied",
            Measure::Queue => "patients queueing",
            Measure::Delayed => "delayed patients (any reason)",
            Measure::AwaitingFunding => "patients awaiting funding",
        }
    }
}

/// One variant's daily series of one measure at one service, across its replications.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Daily {
    /// Day numbers (day `d` covers `[d, d + 1)` days from the start).
    pub(crate) days: Vec<u32>,
    /// Mean across replications of the day's mean.
    pub(crate) mean: Vec<f64>,
    /// 10th percentile across replications.
    pub(crate) p10: Vec<f64>,
    /// 90th percentile across replications.
    pub(crate) p90: Vec<f64>,
}

impl Daily {
    /// Whether the measure was 0 every day in every replication.
    pub(crate) fn is_zero(&self) -> bool {
        self.mean.iter().chain(&self.p90).all(|&v| v == 0.0)
    }
}

/// The daily series of `measure` at service `s` across `reps` (as `daily.csv` has it);
/// `None` when it was not recorded (no replication, or the `daily_series` setting off).
pub(crate) fn daily(reps: &[ReplicationResult], s: usize, measure: Measure) -> Option<Daily> {
    if reps.is_empty() || reps.iter().any(|r| r.daily.is_empty()) {
        return None;
    }
    let series: Vec<Vec<&DailyRecord>> = reps
        .iter()
        .map(|r| r.daily.iter().filter(|d| d.service.index() == s).collect())
        .collect();
    let len = series.iter().map(Vec::len).min().unwrap_or(0);
    let mut d = Daily {
        days: Vec::with_capacity(len),
        mean: Vec::with_capacity(len),
        p10: Vec::with_capacity(len),
        p90: Vec::with_capacity(len),
    };
    let mut values = Vec::with_capacity(reps.len());
    for i in 0..len {
        values.clear();
        values.extend(series.iter().map(|rep| measure.of(rep[i])));
        d.days.push(series[0][i].day);
        d.mean
            .push(values.iter().sum::<f64>() / values.len() as f64);
        values.sort_by(f64::total_cmp);
        d.p10.push(quantile(&values, 0.1));
        d.p90.push(quantile(&values, 0.9));
    }
    Some(d)
}

/// The time axis shared by the daily charts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timeline {
    /// The scenario's first day.
    pub(crate) start_date: NaiveDate,
    /// End of the warm-up, days.
    pub(crate) warmup_days: f64,
    /// End of the run, days.
    pub(crate) horizon_days: f64,
    /// Replications behind each point.
    pub(crate) replications: usize,
}

impl Timeline {
    fn of(report: &Report<'_>) -> Self {
        let s = report.experiment.baseline().settings();
        Timeline {
            start_date: s.start_date,
            warmup_days: s.warmup_days,
            horizon_days: s.horizon_days,
            replications: report.result.replications(),
        }
    }
}

/// The variants with a daily series (all replications have one), with their index in the
/// report, baseline first.
fn variants_with_daily<'r>(report: &'r Report<'_>) -> Vec<(usize, &'r str)> {
    report
        .result
        .names
        .iter()
        .enumerate()
        .filter(|&(v, _)| {
            let reps = &report.result.results[v];
            !reps.is_empty() && reps.iter().all(|r| !r.daily.is_empty())
        })
        .map(|(v, name)| (v, name.as_str()))
        .collect()
}

/// The variants without a daily series (their scenario's `daily_series` setting is off).
pub(crate) fn variants_without_daily(report: &Report<'_>) -> Vec<String> {
    let with: Vec<usize> = variants_with_daily(report)
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    report
        .result
        .names
        .iter()
        .enumerate()
        .filter(|(v, _)| !with.contains(v))
        .map(|(_, n)| n.clone())
        .collect()
}

/// One measure of a flow chart: a line per variant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowPanel {
    /// The measure.
    pub(crate) measure: Measure,
    /// (variant, its series), the baseline first.
    pub(crate) lines: Vec<(String, Daily)>,
}

/// Queue, delayed patients and patients awaiting funding over time at one service, in the
/// baseline and each variant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FlowChart {
    /// The service.
    pub(crate) service: String,
    /// The measures that were not 0 throughout in every variant.
    pub(crate) panels: Vec<FlowPanel>,
    /// The measures that were 0 every day in every replication of every variant.
    pub(crate) quiet: Vec<Measure>,
    /// The time axis.
    pub(crate) timeline: Timeline,
}

/// One flow chart per service of the baseline, from the daily series of the baseline and of
/// each variant that has one (matched by service name); empty when the baseline has no
/// daily series.
pub(crate) fn flows(report: &Report<'_>) -> Vec<FlowChart> {
    let variants = variants_with_daily(report);
    if variants.first().is_none_or(|&(v, _)| v != 0) {
        return Vec::new();
    }
    let timeline = Timeline::of(report);
    report
        .experiment
        .baseline()
        .services()
        .iter()
        .map(|service| {
            let mut chart = FlowChart {
                service: service.name().to_string(),
                panels: Vec::new(),
                quiet: Vec::new(),
                timeline: timeline.clone(),
            };
            for measure in Measure::FLOW {
                let lines: Vec<(String, Daily)> = variants
                    .iter()
                    .filter_map(|&(v, name)| {
                        let model = &report.experiment.variants()[v].model;
                        let s = model.service_id(service.name())?.index();
                        Some((
                            name.to_string(),
                            daily(&report.result.results[v], s, measure)?,
                        ))
                    })
                    .collect();
                if lines.iter().all(|(_, d)| d.is_zero()) {
                    chart.quiet.push(measure);
                } else {
                    chart.panels.push(FlowPanel { measure, lines });
                }
            }
            chart
        })
        .collect()
}

/// One variant's occupancy of a service over time, and its capacity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VariantLine {
    /// The variant.
    pub(crate) variant: String,
    /// Its daily occupancy.
    pub(crate) occupancy: Daily,
    /// Its capacity as a step line ([`capacity_steps`]).
    pub(crate) capacity: Vec<(f64, f64)>,
}

/// Each variant's occupancy of one service beside the baseline's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OccupancyBeside {
    /// The service.
    pub(crate) service: String,
    /// The baseline.
    pub(crate) baseline: VariantLine,
    /// The other variants with a daily series, in the report's order.
    pub(crate) variants: Vec<VariantLine>,
    /// The time axis.
    pub(crate) timeline: Timeline,
}

/// One chart per service of the baseline: each variant's daily occupancy beside the
/// baseline's; empty without variants, or when the baseline or every variant lacks a daily
/// series.
pub(crate) fn occupancy_beside(report: &Report<'_>) -> Vec<OccupancyBeside> {
    let variants = variants_with_daily(report);
    if variants.len() < 2 || variants[0].0 != 0 {
        return Vec::new();
    }
    let timeline = Timeline::of(report);
    let line = |v: usize, name: &str, service: &str| {
        let model = &report.experiment.variants()[v].model;
        let s = model.service_id(service)?.index();
        Some(VariantLine {
            variant: name.to_string(),
            occupancy: daily(&report.result.results[v], s, Measure::Occupancy)?,
            capacity: capacity_steps(model, s),
        })
    };
    report
        .experiment
        .baseline()
        .services()
        .iter()
        .filter_map(|service| {
            Some(OccupancyBeside {
                service: service.name().to_string(),
                baseline: line(0, variants[0].1, service.name())?,
                variants: variants[1..]
                    .iter()
                    .filter_map(|&(v, name)| line(v, name, service.name()))
                    .collect(),
                timeline: timeline.clone(),
            })
        })
        .collect()
}

/// Keeps, of points in x order, the least and greatest y in each run of x `bucket` wide
/// (both, in x order, for a line; only the greatest or least for a band's upper or lower
/// edge): at a bucket no wider than a pixel the drawing looks the same, with far fewer
/// points.
fn thin(points: &[(f64, f64)], bucket: f64, keep: Keep) -> Vec<(f64, f64)> {
    if bucket <= 1.0 || points.len() < 4 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len() * 2 / bucket as usize + 4);
    let mut i = 0;
    while i < points.len() {
        let start = (points[i].0 / bucket).floor();
        let mut j = i;
        let (mut lo, mut hi) = (i, i);
        while j < points.len() && (points[j].0 / bucket).floor() == start {
            if points[j].1 < points[lo].1 {
                lo = j;
            }
            if points[j].1 > points[hi].1 {
                hi = j;
            }
            j += 1;
        }
        match keep {
            Keep::Max => out.push(points[hi]),
            Keep::Min => out.push(points[lo]),
            Keep::Both => {
                let (a, b) = (lo.min(hi), lo.max(hi));
                out.push(points[a]);
                if b != a {
                    out.push(points[b]);
                }
            }
        }
        i = j;
    }
    out
}

/// Which points [`thin`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    Both,
    Max,
    Min,
}

/// One series drawn in a time panel: its mean as a line, and its 10–90% band if `band`.
struct Trace<'a> {
    colour: RGBColor,
    series: &'a Daily,
    band: bool,
}

/// A capacity step line in a time panel.
struct Steps<'a> {
    corners: &'a [(f64, f64)],
    colour: RGBColor,
    dashed: bool,
}

/// One panel of a grid of time series.
struct TimePanel<'a> {
    title: String,
    /// The title's colour (a step off a data colour: it is not a data mark).
    title_colour: RGBColor,
    y_desc: String,
    scale: Scale,
    traces: Vec<Trace<'a>>,
    steps: Vec<Steps<'a>>,
}

/// The colour of the variant at `index` in the report's variants (the baseline is 0).
fn variant_colour(index: usize) -> RGBColor {
    VARIANTS[index % VARIANTS.len()]
}

/// Capacity lines in the charts of variants.
const CAPACITY: RGBColor = RGBColor(60, 60, 60);

/// The layout of a grid of `n` time panels: (columns, rows) and the chart's size.
fn time_grid(
    n: usize,
    most_cols: usize,
    panel_height: u32,
    header: u32,
) -> ((usize, usize), (u32, u32)) {
    let cols = n.clamp(1, most_cols.max(1));
    let rows = n.div_ceil(cols).max(1);
    let width = match cols {
        1 => 600,
        2 => 1000,
        _ => 1100,
    };
    ((cols, rows), (width, header + panel_height * rows as u32))
}

/// Draws time panels as small multiples under one title and legend (wrapped to fit), each
/// panel on its own scale, the warm-up shaded, dates along the bottom; `cols` to a row.
fn draw_time_panels(
    title: &str,
    panels: &[TimePanel<'_>],
    cols: usize,
    panel_height: u32,
    timeline: &Timeline,
    legend: &[(Key, String)],
) -> Result<Svg, DrawError> {
    let ((cols, rows), (width, _)) = time_grid(panels.len(), cols, panel_height, 0);
    let header = 44 + 22 * legend_rows(16, width as i32 - 8, legend);
    let height = header + panel_height * rows as u32;
    let x_max = timeline.horizon_days.max(1.0);
    let start = timeline.start_date;
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        root.titled(title, (FONT, TITLE_SIZE).into_font())?;
        legend_at(&root, (16, 50), legend)?;
        let (_, body) = root.split_vertically(header);
        let cells = body.split_evenly((rows, cols));
        let panel_width = width / cols as u32;
        for (panel, cell) in panels.iter().zip(&cells) {
            let ticks = month_ticks(start, x_max, (panel_width as usize / 110).max(2));
            let caption = (FONT, LABEL_SIZE + 1)
                .into_font()
                .color(&legend_tint_colour(panel.title_colour));
            let mut chart = ChartBuilder::on(cell)
                .caption(&panel.title, caption)
                .margin(6)
                .margin_right(34)
                .x_label_area_size(30)
                .y_label_area_size(74)
                .build_cartesian_2d(Ticked::new(0.0..x_max, ticks), panel.scale.axis())?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(BLACK.mix(0.08))
                .y_desc(panel.y_desc.as_str())
                .label_style((FONT, NOTE_SIZE))
                .axis_desc_style((FONT, NOTE_SIZE))
                .x_label_formatter(&|d| date_label(start, *d))
                .y_label_formatter(&|v| panel.scale.label(*v, false))
                .draw()?;
            let y_max = panel.scale.range.end;
            if timeline.warmup_days > 0.0 {
                chart.draw_series(once(Rectangle::new(
                    [(0.0, 0.0), (timeline.warmup_days.min(x_max), y_max)],
                    RGBColor(120, 120, 120).mix(0.12).filled(),
                )))?;
            }
            // Points closer than a pixel are thinned out (the drawing is the same).
            let plot_width = chart.plotting_area().get_pixel_range().0.len().max(1);
            let bucket = x_max / plot_width as f64;
            let mid = |d: u32| (f64::from(d) + 0.5).min(x_max);
            let points = |values: &[f64], days: &[u32]| -> Vec<(f64, f64)> {
                days.iter()
                    .zip(values)
                    .map(|(&d, &v)| (mid(d), v))
                    .collect()
            };
            for t in panel.traces.iter().filter(|t| t.band) {
                let upper = thin(&points(&t.series.p90, &t.series.days), bucket, Keep::Max);
                let lower = thin(&points(&t.series.p10, &t.series.days), bucket, Keep::Min);
                let band: Vec<(f64, f64)> =
                    upper.into_iter().chain(lower.into_iter().rev()).collect();
                chart.draw_series(once(Polygon::new(band, t.colour.mix(0.2).filled())))?;
            }
            for s in &panel.steps {
                let style = s.colour.stroke_width(if s.dashed { 2 } else { 1 });
                if s.dashed {
                    chart.draw_series(DashedLineSeries::new(
                        s.corners.iter().copied(),
                        6,
                        4,
                        style,
                    ))?;
                } else {
                    chart.draw_series(LineSeries::new(s.corners.iter().copied(), style))?;
                }
            }
            for t in &panel.traces {
                let line = thin(&points(&t.series.mean, &t.series.days), bucket, Keep::Both);
                chart.draw_series(LineSeries::new(line, t.colour.stroke_width(2)))?;
            }
        }
        root.present()?;
    }
    let mut colours: Vec<String> = panels
        .iter()
        .flat_map(|p| &p.traces)
        .map(|t| hex(t.colour))
        .collect();
    colours.sort();
    colours.dedup();
    Ok(Svg {
        markup,
        data_colours: colours,
        data_marks: panels.iter().map(|p| p.traces.len()).sum(),
    })
}

/// `c` one step off, as legends and titles are drawn (see [`legend_tint`]).
fn legend_tint_colour(c: RGBColor) -> RGBColor {
    RGBColor(c.0, c.1, c.2 ^ 1)
}

/// The panels of a flow chart share one height.
const FLOW_PANEL_HEIGHT: u32 = 220;
/// The panels of the occupancy-beside charts share one height.
const BESIDE_PANEL_HEIGHT: u32 = 180;

/// Draws a flow chart: one panel per measure that was not 0 throughout, each on its own
/// scale, a line per variant (the report's colours: the baseline first); the 10–90% band of
/// the baseline's replications, and of the variant's too when there is one variant.
pub(crate) fn render_flow(c: &FlowChart, variants: &[String]) -> Result<Svg, DrawError> {
    let index = |name: &str| variants.iter().position(|v| v == name).unwrap_or(0);
    let lines = c.panels.first().map_or(0, |p| p.lines.len());
    let all_bands = lines <= 2;
    let panels: Vec<TimePanel<'_>> = c
        .panels
        .iter()
        .map(|p| TimePanel {
            title: p.measure.title().to_string(),
            title_colour: BLACK,
            y_desc: "patients (daily mean)".to_string(),
            scale: Scale::from_zero(
                p.lines
                    .iter()
                    .flat_map(|(_, d)| d.mean.iter().chain(&d.p90))
                    .copied(),
                6,
            ),
            // The baseline drawn last, on top: a variant that matches it cannot hide it.
            traces: p
                .lines
                .iter()
                .enumerate()
                .rev()
                .map(|(i, (name, d))| Trace {
                    colour: variant_colour(index(name)),
                    series: d,
                    band: i == 0 || all_bands,
                })
                .collect(),
            steps: Vec::new(),
        })
        .collect();
    let mut legend: Vec<(Key, String)> = c
        .panels
        .first()
        .map(|p| {
            p.lines
                .iter()
                .map(|(name, _)| {
                    (
                        Key::Line(variant_colour(index(name)).stroke_width(2)),
                        if c.panels[0].lines.len() == 1 {
                            format!("{name}: mean of {} replications", c.timeline.replications)
                        } else {
                            name.clone()
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let band_colour = variant_colour(0).mix(0.2).filled();
    legend.push((
        Key::Swatch(band_colour),
        if all_bands {
            "10–90% of replications".to_string()
        } else {
            "10–90% of the baseline's replications".to_string()
        },
    ));
    if c.timeline.warmup_days > 0.0 {
        legend.push((
            Key::Swatch(RGBColor(120, 120, 120).mix(0.12).filled()),
            "warm-up".to_string(),
        ));
    }
    draw_time_panels(
        &format!("{}: queues and delays", c.service),
        &panels,
        3,
        FLOW_PANEL_HEIGHT,
        &c.timeline,
        &legend,
    )
}

/// The size a flow chart is drawn at.
pub(crate) fn flow_size(c: &FlowChart) -> (u32, u32) {
    time_grid(c.panels.len(), 3, FLOW_PANEL_HEIGHT, 0).1
}

/// The size an occupancy-beside chart is drawn at.
pub(crate) fn beside_size(c: &OccupancyBeside) -> (u32, u32) {
    time_grid(c.variants.len(), 4, BESIDE_PANEL_HEIGHT, 0).1
}

/// Draws each variant's occupancy of a service beside the baseline's: one panel per variant,
/// all on one scale, with the baseline (its mean and 10–90% band, and its capacity) in every
/// panel and the variant over it in its colour (its capacity dashed where it differs).
pub(crate) fn render_beside(c: &OccupancyBeside, variants: &[String]) -> Result<Svg, DrawError> {
    let index = |name: &str| variants.iter().position(|v| v == name).unwrap_or(0);
    let all = once(&c.baseline).chain(&c.variants);
    let scale = Scale::from_zero(
        all.flat_map(|l| {
            l.occupancy
                .p90
                .iter()
                .chain(l.capacity.iter().map(|(_, cap)| cap))
                .copied()
        }),
        6,
    );
    let base_colour = variant_colour(0);
    let panels: Vec<TimePanel<'_>> = c
        .variants
        .iter()
        .map(|v| {
            let colour = variant_colour(index(&v.variant));
            let mut steps = vec![Steps {
                corners: &c.baseline.capacity,
                colour: CAPACITY,
                dashed: false,
            }];
            if v.capacity != c.baseline.capacity {
                steps.push(Steps {
                    corners: &v.capacity,
                    colour: CAPACITY,
                    dashed: true,
                });
            }
            TimePanel {
                title: v.variant.clone(),
                title_colour: colour,
                y_desc: "places occupied".to_string(),
                scale: scale.clone(),
                traces: vec![
                    Trace {
                        colour: base_colour,
                        series: &c.baseline.occupancy,
                        band: true,
                    },
                    Trace {
                        colour,
                        series: &v.occupancy,
                        band: true,
                    },
                ],
                steps,
            }
        })
        .collect();
    let mut legend = vec![
        (
            Key::Line(base_colour.stroke_width(2)),
            format!(
                "{} (each panel): mean of {} replications",
                c.baseline.variant, c.timeline.replications
            ),
        ),
        (
            Key::Line(BLACK.stroke_width(2)),
            "the panel's variant, in its title's colour".to_string(),
        ),
        (
            Key::Swatch(RGBColor(120, 120, 120).mix(0.2).filled()),
            "10–90% of replications".to_string(),
        ),
        (
            Key::Line(CAPACITY.stroke_width(1)),
            "capacity (baseline)".to_string(),
        ),
        (
            Key::Dashed(CAPACITY.stroke_width(2)),
            "capacity (variant, where it differs)".to_string(),
        ),
    ];
    if c.timeline.warmup_days > 0.0 {
        legend.push((
            Key::Swatch(RGBColor(120, 120, 120).mix(0.12).filled()),
            "warm-up".to_string(),
        ));
    }
    draw_time_panels(
        &format!("{}: occupancy beside {}", c.service, c.baseline.variant),
        &panels,
        4,
        BESIDE_PANEL_HEIGHT,
        &c.timeline,
        &legend,
    )
}

// ---------------------------------------------------------------------------------------------
// Delayed bed-days.

/// How delayed bed-days are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelayGrouping {
    /// By what the patients waited for: a place at a service (the one that was full), funding
    /// for a service, or their assessment in the bed (at the service holding it).
    Awaiting,
    /// By the service whose bed was held.
    HeldAt,
}

/// One bar with its interval.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    /// What the bar is (a service's name).
    pub(crate) label: String,
    /// Mean across replications and its confidence interval.
    pub(crate) summary: Summary,
}

/// Delayed bed-days, every reason included, per service holding the bed or per thing awaited
/// (as `by` says), summed per replication, summarised across `reps` at confidence `level`;
/// bars with no delay in any replication are left out. Held-at bars are in service order;
/// awaited bars are places by service, then funding by service, then assessments by service.
///
/// # Panics
///
/// If `reps` is empty or `level` is not strictly between 0 and 1 (as [`Summary::new`]).
pub(crate) fn delays(
    model: &Model,
    reps: &[ReplicationResult],
    by: DelayGrouping,
    level: f64,
) -> Vec<Bar> {
    let n = model.services().len();
    let name = |s: usize| model.services()[s].name();
    let labels: Vec<String> = match by {
        DelayGrouping::HeldAt => (0..n).map(|s| name(s).to_string()).collect(),
        DelayGrouping::Awaiting => (0..n)
            .map(|s| name(s).to_string())
            .chain((0..n).map(|s| format!("funding for {}", name(s))))
            .chain((0..n).map(|s| format!("assessment at {}", name(s))))
            .collect(),
    };
    let totals: Vec<Vec<f64>> = reps
        .iter()
        .map(|r| {
            let mut t = vec![0.0; labels.len()];
            match by {
                DelayGrouping::HeldAt => {
                    for (s, result) in r.services.iter().enumerate() {
                        t[s] = result.delayed_bed_days;
                    }
                }
                DelayGrouping::Awaiting => {
                    for d in &r.delays {
                        let layer = match d.reason {
                            DelayReason::Place => 0,
                            DelayReason::Funding => n,
                        };
                        t[layer + d.awaiting.index()] += d.bed_days;
                    }
                    for (s, result) in r.services.iter().enumerate() {
                        t[2 * n + s] = result.delayed_bed_days_awaiting_assessment;
                    }
                }
            }
            t
        })
        .collect();
    (0..labels.len())
        .filter(|&i| totals.iter().any(|t| t[i] > 0.0))
        .map(|i| {
            let values: Vec<f64> = totals.iter().map(|t| t[i]).collect();
            Bar {
                label: labels[i].clone(),
                summary: Summary::new(&values, level),
            }
        })
        .collect()
}

/// Draws bars with confidence-interval whiskers and the mean written above each bar.
pub(crate) fn render_bars(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    bars: &[Bar],
) -> Result<Svg, DrawError> {
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, WIDE_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let n = bars.len().max(1);
        let scale = Scale::from_zero(bars.iter().map(|b| b.summary.high().max(b.summary.mean)), 7);
        let y_max = scale.range.end;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let keys: Vec<f64> = (0..bars.len()).map(|i| i as f64).collect();
        let level = bars.first().map_or(0.95, |b| b.summary.level);
        let area = titled(&root, title)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .build_cartesian_2d(Ticked::new(-0.5..n as f64 - 0.5, keys), scale.axis())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|x| {
                labels
                    .get(x.round().max(0.0) as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            .y_label_formatter(&|v| scale.label(*v, false))
            .draw()?;
        let bar_style = BAR.filled();
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let x = i as f64;
            Rectangle::new([(x - 0.32, 0.0), (x + 0.32, b.summary.mean)], bar_style)
        }))?;
        let whisker = WHISKER.stroke_width(2);
        chart.draw_series(bars.iter().enumerate().flat_map(|(i, b)| {
            let (x, lo, hi) = (i as f64, b.summary.low().max(0.0), b.summary.high());
            [
                PathElement::new(vec![(x, lo), (x, hi)], whisker),
                PathElement::new(vec![(x - 0.08, lo), (x + 0.08, lo)], whisker),
                PathElement::new(vec![(x - 0.08, hi), (x + 0.08, hi)], whisker),
            ]
        }))?;
        let above = (FONT, NOTE_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            Text::new(
                thousands(b.summary.mean),
                (
                    i as f64,
                    b.summary.high().max(b.summary.mean) + y_max * 0.015,
                ),
                above.clone(),
            )
        }))?;
        let n_reps = bars.first().map_or(0, |b| b.summary.n);
        legend_row(
            &root,
            chart.plotting_area().get_pixel_range(),
            &[
                (
                    Key::Swatch(bar_style),
                    format!("mean of {n_reps} replications"),
                ),
                (
                    Key::Whisker(whisker),
                    format!("{}% confidence interval", (level * 100.0).round()),
                ),
            ],
        )?;
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: vec![hex(BAR)],
        data_marks: bars.len(),
    })
}

// ---------------------------------------------------------------------------------------------
// Arrival-to-leaving times at emergency departments.

/// The distribution of arrival-to-leaving times at one entry service, all replications
/// together.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WaitHistogram {
    /// The service's name.
    pub(crate) service: String,
    /// Patients per 15-minute bin, summed over replications: bin `i` counts times in
    /// `[i/4, (i+1)/4)` hours; the last bin counts 24 hours or more.
    pub(crate) counts: Vec<u64>,
    /// Patients who left the service, summed over replications.
    pub(crate) patients: u64,
    /// Of those, how many took longer than the threshold.
    pub(crate) over_threshold: u64,
    /// Patients still at the service at the end of the run, summed over replications: they
    /// had not left, so the histogram does not count them.
    pub(crate) still_inside: u64,
    /// Of those, how many had already been there longer than the threshold.
    pub(crate) still_inside_over_threshold: u64,
    /// The scenario's wait threshold, hours.
    pub(crate) threshold_hours: f64,
    /// Replications summed.
    pub(crate) replications: usize,
}

impl WaitHistogram {
    /// What the histogram counts and what it leaves out, in words: "all 3 replications;
    /// not counted: 41 still in the department at the end (12 already over 4 h)".
    pub(crate) fn counted_text(&self) -> String {
        let reps = match self.replications {
            1 => "1 replication".to_string(),
            n => format!("all {n} replications"),
        };
        if self.still_inside == 0 {
            format!("{reps}; none still there at the end")
        } else {
            format!(
                "{reps}; not counted: {} still there at the end ({} already over {} h)",
                thousands(self.still_inside as f64),
                thousands(self.still_inside_over_threshold as f64),
                self.threshold_hours
            )
        }
    }

    /// Share of patients over the threshold (0 with no patients).
    pub(crate) fn share_over(&self) -> f64 {
        if self.patients == 0 {
            0.0
        } else {
            self.over_threshold as f64 / self.patients as f64
        }
    }
}

/// A histogram for each entry service of `model` that is an emergency department (the
/// 4-hour measure), from `reps`; in service order.
pub(crate) fn wait_histograms(model: &Model, reps: &[ReplicationResult]) -> Vec<WaitHistogram> {
    model
        .entry_services()
        .into_iter()
        .filter(|id| model.services()[id.index()].kind() == ServiceKind::EmergencyDepartment)
        .map(|id| {
            let mut h = WaitHistogram {
                service: model.services()[id.index()].name().to_string(),
                counts: Vec::new(),
                patients: 0,
                over_threshold: 0,
                still_inside: 0,
                still_inside_over_threshold: 0,
                threshold_hours: model.settings().wait_threshold_hours,
                replications: reps.len(),
            };
            for e in reps
                .iter()
                .flat_map(|r| &r.entries)
                .filter(|e| e.service == id)
            {
                if h.counts.len() < e.time_histogram.len() {
                    h.counts.resize(e.time_histogram.len(), 0);
                }
                for (total, &count) in h.counts.iter_mut().zip(&e.time_histogram) {
                    *total += count;
                }
                h.patients += e.patients;
                h.over_threshold += e.over_threshold;
                h.still_inside += e.still_inside;
                h.still_inside_over_threshold += e.still_inside_over_threshold;
            }
            h
        })
        .collect()
}

/// Draws the histogram as the share of patients per 15 minutes, bins past the threshold in
/// another colour, the threshold as a dashed line and the share over it written out.
pub(crate) fn render_histogram(h: &WaitHistogram) -> Result<Svg, DrawError> {
    let mut markup = String::new();
    let bins = h.counts.len().max(1);
    // Bins are drawn 15 minutes wide; the last ("24 h or more") is labelled as such.
    let x_max = bins as f64 / 4.0 + 0.25;
    let total = h.counts.iter().sum::<u64>().max(1) as f64;
    let shares: Vec<f64> = h.counts.iter().map(|&c| c as f64 / total * 100.0).collect();
    let scale = Scale::from_zero(shares.iter().map(|&v| v * 1.08), 7);
    let y_max = scale.range.end;
    let threshold = h.threshold_hours;
    {
        let root = SVGBackend::with_string(&mut markup, WIDE_SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let last = (bins - 1) as f64 / 4.0;
        let keys: Vec<f64> = (0..)
            .map(|i| f64::from(i) * 2.0)
            .take_while(|&x| x <= last)
            .collect();
        let area = titled(
            &root,
            &format!("{}: time from arrival to leaving", h.service),
        )?;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(24)
            .x_label_area_size(52)
            .y_label_area_size(64)
            .build_cartesian_2d(Ticked::new(0.0..x_max, keys), scale.axis())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.08))
            .x_desc("hours from arrival to leaving (15-minute bins; last bin: 24 h or more)")
            .y_desc("% of patients")
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, LABEL_SIZE))
            .x_label_formatter(&|x| {
                if *x >= last && bins > 1 {
                    format!("{x:.0}+")
                } else {
                    format!("{x:.0}")
                }
            })
            .y_label_formatter(&|v| scale.label(*v, false))
            .draw()?;
        let within = BAR.filled();
        let over = OVER.filled();
        let bin = |i: usize, v: f64| {
            let x = i as f64 / 4.0;
            Rectangle::new(
                [(x, 0.0), (x + 0.25, v)],
                if x < threshold { within } else { over },
            )
        };
        chart.draw_series(
            shares
                .iter()
                .enumerate()
                .filter(|&(_, &v)| v > 0.0)
                .map(|(i, &v)| bin(i, v)),
        )?;
        let line_x = threshold.min(x_max);
        chart.draw_series(DashedLineSeries::new(
            [(line_x, 0.0), (line_x, y_max)],
            6,
            4,
            LIMIT.stroke_width(2),
        ))?;
        let note = (FONT, LABEL_SIZE)
            .into_font()
            .color(&LIMIT)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let small = (FONT, NOTE_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Top));
        chart.draw_series(once(Text::new(
            format!(
                "{:.1}% over {threshold} h, of {} patients who left",
                h.share_over() * 100.0,
                thousands(h.patients as f64),
            ),
            (line_x + 0.3, y_max * 0.97),
            note,
        )))?;
        chart.draw_series(once(Text::new(
            h.counted_text(),
            (line_x + 0.3, y_max * 0.88),
            small,
        )))?;
        legend_row(
            &root,
            chart.plotting_area().get_pixel_range(),
            &[
                (Key::Swatch(within), format!("within {threshold} h")),
                (Key::Swatch(over), format!("over {threshold} h")),
                (
                    Key::Line(LIMIT.stroke_width(2)),
                    format!("{threshold}-hour threshold"),
                ),
            ],
        )?;
        root.present()?;
    }
    Ok(Svg {
        markup,
        data_colours: vec![hex(BAR), hex(OVER)],
        data_marks: h.counts.iter().filter(|&&c| c > 0).count().min(1),
    })
}

// ---------------------------------------------------------------------------------------------
// Policy comparison: forest plots, one panel per statistic.

/// One variant's paired difference from the baseline in one headline statistic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ForestRow {
    /// The statistic, as people read it, e.g. "acute: delayed bed-days".
    pub(crate) label: String,
    /// The variant.
    pub(crate) variant: String,
    /// The baseline's mean of the statistic.
    pub(crate) baseline_mean: f64,
    /// The paired difference variant − baseline ([`Report::comparison`]).
    pub(crate) difference: Summary,
    /// How the statistic is drawn: its unit and scale.
    pub(crate) unit: Unit,
}

/// The unit a statistic is drawn in: values are multiplied by `factor` and written with
/// `digits` decimals, e.g. a share as percentage points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Unit {
    /// The unit in words, for the axis: "bed-days", "percentage points", "£".
    pub(crate) name: &'static str,
    /// Multiplies the statistic's value into the unit.
    pub(crate) factor: f64,
    /// Decimals of a value written out.
    pub(crate) digits: usize,
}

impl Unit {
    const fn new(name: &'static str, factor: f64, digits: usize) -> Self {
        Unit {
            name,
            factor,
            digits,
        }
    }
}

/// Money, in pounds (written £k or £m by size).
pub(crate) const POUNDS: Unit = Unit::new("£", 1.0, 0);

impl ForestRow {
    /// The difference and its interval (mean, low, high) as percentages of the baseline
    /// mean; `None` when the baseline mean is 0.
    pub(crate) fn relative(&self) -> Option<(f64, f64, f64)> {
        let base = self.baseline_mean.abs();
        (base > 0.0).then(|| {
            let d = &self.difference;
            let pct = |x: f64| x / base * 100.0;
            (pct(d.mean), pct(d.low()), pct(d.high()))
        })
    }

    /// Whether the interval excludes 0.
    pub(crate) fn significant(&self) -> bool {
        self.difference
            .half_width
            .is_some_and(|h| self.difference.mean.abs() > h)
    }

    /// The mean difference in the row's unit with, where the baseline is not 0, the
    /// relative change: "+1,234 (+4.5%)", "+0.3 (baseline 0)"; money without the relative
    /// change; "no difference" when every replication's difference is 0.
    pub(crate) fn difference_text(&self) -> String {
        let d = &self.difference;
        if d.mean == 0.0 && d.sd == 0.0 {
            return "no difference".to_string();
        }
        if self.unit == POUNDS {
            // Not in %: a surplus near zero makes percentages meaningless.
            return money_text(d.mean, true);
        }
        let value = number_text(d.mean * self.unit.factor, self.unit.digits, true);
        match self.relative() {
            Some((pct, _, _)) => {
                let digits = if pct.abs() < 10.0 { 1 } else { 0 };
                format!("{value} ({}%)", number_text(pct, digits, true))
            }
            None => format!("{value} (baseline 0)"),
        }
    }
}

/// One headline statistic of the comparison: where it is in the report, its label and unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Headline {
    /// The statistic as people read it, e.g. "acute: delayed bed-days".
    pub(crate) label: String,
    /// The report scope: `system`, `service` or `entry`.
    pub(crate) scope: &'static str,
    /// The service (empty for the system).
    pub(crate) service: String,
    /// The statistic's name in the report.
    pub(crate) kpi: &'static str,
    /// Its unit.
    pub(crate) unit: Unit,
}

/// The headline statistics of the comparison: each emergency department's share over the
/// threshold, each acute-bed service's delayed bed-days and mean occupancy, and the system's
/// diverted arrivals; for a system with neither emergency department nor acute beds, every
/// service's mean occupancy and mean wait.
pub(crate) fn headline_kpis(model: &Model) -> Vec<Headline> {
    let mut kpis = Vec::new();
    let threshold = model.settings().wait_threshold_hours;
    let headline = |label: String, scope, service: &str, kpi, unit| Headline {
        label,
        scope,
        service: service.to_string(),
        kpi,
        unit,
    };
    for id in model.entry_services() {
        let s = &model.services()[id.index()];
        if s.kind() == ServiceKind::EmergencyDepartment {
            kpis.push(headline(
                format!("{}: share over {threshold} h", s.name()),
                "entry",
                s.name(),
                "share_over_threshold",
                Unit::new("percentage points", 100.0, 1),
            ));
        }
    }
    let occupancy = Unit::new("places", 1.0, 1);
    for s in model.services() {
        if s.kind() == ServiceKind::AcuteBed {
            let name = s.name();
            kpis.push(headline(
                format!("{name}: delayed bed-days"),
                "service",
                name,
                "delayed_bed_days",
                Unit::new("bed-days", 1.0, 0),
            ));
            kpis.push(headline(
                format!("{name}: mean occupancy"),
                "service",
                name,
                "mean_occupancy",
                occupancy,
            ));
        }
    }
    if kpis.is_empty() {
        for s in model.services() {
            let name = s.name();
            kpis.push(headline(
                format!("{name}: mean occupancy"),
                "service",
                name,
                "mean_occupancy",
                occupancy,
            ));
            kpis.push(headline(
                format!("{name}: mean wait"),
                "service",
                name,
                "mean_wait_days",
                Unit::new("days", 1.0, 2),
            ));
        }
    }
    kpis.push(headline(
        "system: diverted arrivals".to_string(),
        "system",
        "",
        "diverted",
        Unit::new("patients", 1.0, 0),
    ));
    kpis
}

/// The comparison's rows: for each headline statistic ([`headline_kpis`] of the baseline),
/// each variant's paired difference from the baseline, straight from
/// [`Report::comparison`]. Empty with no variants.
pub(crate) fn forest(report: &Report<'_>) -> Vec<ForestRow> {
    let names = &report.result.names;
    let Some(baseline) = names.first() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for h in headline_kpis(report.experiment.baseline()) {
        let Some(base) = report.summary(baseline, h.scope, &h.service, h.kpi) else {
            continue;
        };
        for variant in &names[1..] {
            if let Some(d) = report.comparison(variant, h.scope, &h.service, h.kpi) {
                rows.push(ForestRow {
                    label: h.label.clone(),
                    variant: variant.clone(),
                    baseline_mean: base.mean,
                    difference: *d,
                    unit: h.unit,
                });
            }
        }
    }
    rows
}

/// The rows grouped by statistic, in order of first appearance.
pub(crate) fn by_label(rows: &[ForestRow]) -> Vec<(&str, Vec<&ForestRow>)> {
    let mut groups: Vec<(&str, Vec<&ForestRow>)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|(label, _)| *label == r.label) {
            Some((_, group)) => group.push(r),
            None => groups.push((&r.label, vec![r])),
        }
    }
    groups
}

/// Tick labels for an axis in pounds: one unit (£, £k, £m) for the whole axis, chosen by its
/// largest end, and decimals enough to tell its ticks apart.
fn money_ticks(scale: &Scale, signed: bool) -> (MoneyUnit, impl Fn(f64) -> String + use<>) {
    let largest = scale.range.start.abs().max(scale.range.end.abs());
    let unit = MoneyUnit::for_amount(largest);
    let step = scale.step / unit.divisor;
    let digits = if step >= 1.0 {
        0
    } else {
        (-(step.log10() + 1e-9).floor()).max(0.0) as usize
    };
    (unit, move |x| unit.format(x, digits, signed))
}

/// Draws the comparison: one panel per headline statistic, each on its own scale in the
/// statistic's own unit (so that a large change in one does not flatten the others), one
/// line per variant: the mean difference as a dot (filled where the interval excludes 0),
/// the interval as whiskers, the mean written at the right with the change in % of the
/// baseline mean.
pub(crate) fn render_forest(rows: &[ForestRow], variants: &[String]) -> Result<Svg, DrawError> {
    let level = rows.first().map_or(0.95, |r| r.difference.level);
    let panels: Vec<ForestPanel<'_>> = by_label(rows)
        .into_iter()
        .map(|(label, group)| {
            let unit = group[0].unit;
            let base = group[0].baseline_mean * unit.factor;
            // No tick finer than the unit is written in (1 bed-day, 0.1 places).
            let scale = Scale::around_zero(
                group.iter().flat_map(|r| {
                    let d = &r.difference;
                    [d.mean, d.low(), d.high()].map(|x| x * unit.factor)
                }),
                6,
                10f64.powi(-(unit.digits as i32)),
            );
            let labels = scale.clone();
            ForestPanel {
                title: label.to_string(),
                x_desc: format!(
                    "change, {} (baseline {})",
                    unit.name,
                    number_text(base, unit.digits, false)
                ),
                lines: group
                    .iter()
                    .map(|r| ForestLine::of(r, unit.factor))
                    .collect(),
                scale,
                tick: Box::new(move |x| labels.label(x, true)),
            }
        })
        .collect();
    draw_forest_panels(
        "Policy comparison: change from the baseline (each statistic on its own scale)",
        &panels,
        variants,
        level,
    )
}

/// One line of a forest panel, in the panel's units.
#[derive(Debug, Clone)]
struct ForestLine<'a> {
    /// The variant: the line's label and colour.
    variant: &'a str,
    mean: f64,
    low: f64,
    high: f64,
    /// Whether the interval excludes 0 (a filled dot).
    significant: bool,
    /// Written at the right: the mean difference.
    text: String,
}

impl<'a> ForestLine<'a> {
    fn of(r: &'a ForestRow, factor: f64) -> Self {
        let d = &r.difference;
        ForestLine {
            variant: &r.variant,
            mean: d.mean * factor,
            low: d.low() * factor,
            high: d.high() * factor,
            significant: r.significant(),
            text: r.difference_text(),
        }
    }
}

/// One panel of a forest plot: a statistic (or an organisation), its lines and its axis.
struct ForestPanel<'a> {
    title: String,
    x_desc: String,
    lines: Vec<ForestLine<'a>>,
    scale: Scale,
    tick: Box<dyn Fn(f64) -> String + 'a>,
}

/// Pixels per line of a forest panel.
const FOREST_ROW: u32 = 24;
/// The widest a forest chart is drawn.
pub(crate) const FOREST_WIDTH: u32 = 1100;

/// The size of a grid of `panels` forest panels of `lines` lines each: two to a row (one
/// when there is only one).
fn forest_grid(panels: usize, lines: usize) -> ((usize, usize), (u32, u32)) {
    let cols = if panels > 1 { 2 } else { 1 };
    let rows = panels.div_ceil(cols).max(1);
    let panel_height = 96 + FOREST_ROW * lines.max(1) as u32;
    let width = if cols == 1 { 760 } else { FOREST_WIDTH };
    ((rows, cols), (width, 70 + panel_height * rows as u32))
}

/// The width a forest chart of `rows` is drawn at (its panels two to a row, or one).
pub(crate) fn forest_width(rows: &[ForestRow]) -> u32 {
    forest_grid(by_label(rows).len(), 1).1.0
}

/// Draws forest panels as small multiples, two to a row, under one title and legend: in each
/// panel one line per variant, the mean as a dot (filled where the interval excludes 0) and
/// the interval as whiskers in the variant's colour, a line at zero, the panel's own axis.
fn draw_forest_panels(
    title: &str,
    panels: &[ForestPanel<'_>],
    variants: &[String],
    level: f64,
) -> Result<Svg, DrawError> {
    let lines = panels.iter().map(|p| p.lines.len()).max().unwrap_or(1);
    let ((rows, cols), size) = forest_grid(panels.len(), lines);
    let colour = |variant: &str| {
        let i = variants.iter().position(|v| v == variant).unwrap_or(0);
        VARIANTS[i % VARIANTS.len()]
    };
    let longest = panels
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.variant.chars().count())
        .max()
        .unwrap_or(8);
    let label_area = (longest as u32 * 8 + 14).clamp(60, 220);
    let longest_text = panels
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(8);
    let text_area = (longest_text as u32 * 7 + 12).clamp(60, 200);
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, size).into_drawing_area();
        root.fill(&WHITE)?;
        let area = titled(&root, title)?;
        let grey = RGBColor(90, 90, 90);
        legend_at(
            &root,
            (16, 52),
            &[
                (Key::Dot(grey, true), "interval excludes 0".to_string()),
                (Key::Dot(grey, false), "interval includes 0".to_string()),
                (
                    Key::Whisker(grey.stroke_width(2)),
                    format!("{}% confidence interval", (level * 100.0).round()),
                ),
            ],
        )?;
        let cells = area.margin(24, 0, 0, 0).split_evenly((rows, cols));
        let right = (FONT, NOTE_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (panel, cell) in panels.iter().zip(&cells) {
            let n = lines;
            // Line 0 at the top.
            let y_of = |i: usize| (n - 1 - i) as f64;
            let keys: Vec<f64> = (0..panel.lines.len()).map(y_of).collect();
            let names: Vec<&str> = panel.lines.iter().map(|l| l.variant).collect();
            let mut chart = ChartBuilder::on(cell)
                .caption(&panel.title, (FONT, LABEL_SIZE + 1))
                .margin(8)
                .margin_right(text_area + 8)
                .x_label_area_size(46)
                .y_label_area_size(label_area)
                .build_cartesian_2d(panel.scale.axis(), Ticked::new(-0.6..n as f64 - 0.4, keys))?;
            chart
                .configure_mesh()
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(BLACK.mix(0.06))
                .x_desc(panel.x_desc.as_str())
                .label_style((FONT, NOTE_SIZE))
                .axis_desc_style((FONT, NOTE_SIZE))
                .y_label_formatter(&|y| {
                    let i = n as i64 - 1 - y.round() as i64;
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| names.get(i))
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                })
                .x_label_formatter(&|x| (panel.tick)(*x))
                .draw()?;
            let y_range = chart.y_range();
            chart.draw_series(once(PathElement::new(
                vec![(0.0, y_range.start), (0.0, y_range.end)],
                BLACK.stroke_width(1),
            )))?;
            chart.draw_series(panel.lines.iter().enumerate().flat_map(|(i, r)| {
                let y = y_of(i);
                let style = colour(r.variant).stroke_width(2);
                [
                    PathElement::new(vec![(r.low, y), (r.high, y)], style),
                    PathElement::new(vec![(r.low, y - 0.2), (r.low, y + 0.2)], style),
                    PathElement::new(vec![(r.high, y - 0.2), (r.high, y + 0.2)], style),
                ]
            }))?;
            chart.draw_series(panel.lines.iter().enumerate().map(|(i, r)| {
                let style = if r.significant {
                    colour(r.variant).filled()
                } else {
                    WHITE.filled()
                };
                Circle::new((r.mean, y_of(i)), 5, style)
            }))?;
            chart.draw_series(panel.lines.iter().enumerate().map(|(i, r)| {
                Circle::new((r.mean, y_of(i)), 5, colour(r.variant).stroke_width(2))
            }))?;
            // The mean difference, right of the plot.
            let x_right = chart.plotting_area().get_pixel_range().0.end + 8;
            for (i, r) in panel.lines.iter().enumerate() {
                let (_, y) = chart.backend_coord(&(panel.scale.range.start, y_of(i)));
                root.draw(&Text::new(r.text.clone(), (x_right, y), right.clone()))?;
            }
        }
        root.present()?;
    }
    let shown: Vec<&ForestLine<'_>> = panels.iter().flat_map(|p| &p.lines).collect();
    let mut colours: Vec<String> = shown.iter().map(|r| hex(colour(r.variant))).collect();
    colours.sort();
    colours.dedup();
    Ok(Svg {
        markup,
        data_colours: colours,
        data_marks: shown.len(),
    })
}
// ---------------------------------------------------------------------------------------------
// Money by organisation.

/// Income bars.
const INCOME: RGBColor = RGBColor(76, 120, 168);
/// Spending bars.
const SPENDING: RGBColor = RGBColor(228, 87, 86);
/// Surplus bars (a deficit is the same colour below zero).
const SURPLUS: RGBColor = RGBColor(89, 161, 79);

/// What amounts of money are written in: pounds, thousands or millions of pounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MoneyUnit {
    /// Pounds per unit: 1, 1,000 or 1,000,000.
    pub(crate) divisor: f64,
    /// Written after the number: "", "k" or "m".
    pub(crate) suffix: &'static str,
}

impl MoneyUnit {
    /// The unit that writes `amount` (its size, in pounds) with a few significant digits.
    pub(crate) fn for_amount(amount: f64) -> Self {
        let a = amount.abs();
        if a >= 999_500.0 {
            MoneyUnit {
                divisor: 1e6,
                suffix: "m",
            }
        } else if a >= 1_000.0 {
            MoneyUnit {
                divisor: 1e3,
                suffix: "k",
            }
        } else {
            MoneyUnit {
                divisor: 1.0,
                suffix: "",
            }
        }
    }

    /// The unit's name for a column or axis heading: "£m", "£k" or "£".
    pub(crate) fn name(self) -> String {
        format!("£{}", self.suffix)
    }

    /// `pounds` in this unit with `digits` decimals: "£1.23m", "−£350k"; with `signed`, a
    /// "+" before amounts above zero. Zero is "£0" whatever the unit.
    pub(crate) fn format(self, pounds: f64, digits: usize, signed: bool) -> String {
        let x = pounds / self.divisor;
        let text = format!("{:.*}", digits, x.abs());
        if text.bytes().all(|b| b == b'0' || b == b'.') {
            return "£0".to_string();
        }
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        if x < 0.0 {
            out.push('−');
        } else if signed {
            out.push('+');
        }
        out.push('£');
        push_grouped(&mut out, int);
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        out.push_str(self.suffix);
        out
    }
}

/// An amount of money written short, in the unit that suits its own size, with three or so
/// significant digits: £178.7m, −£2.22m, £350k, £10.9k, £3.46k, £512.
pub(crate) fn money_text(pounds: f64, signed: bool) -> String {
    let unit = MoneyUnit::for_amount(pounds);
    let scaled = (pounds / unit.divisor).abs();
    // Millions keep a decimal (£178.7m), thousands lose it from £100k.
    let digits = if unit.divisor == 1.0 || (unit.divisor == 1e3 && scaled >= 99.95) {
        0
    } else if scaled >= 9.995 {
        1
    } else {
        2
    };
    unit.format(pounds, digits, signed)
}

/// One organisation's income, spending and surplus in one financial year (or over all the
/// years observed), across replications.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MoneyRow {
    /// The organisation.
    pub(crate) organisation: String,
    /// Everything it received, £.
    pub(crate) income: Summary,
    /// Everything it paid, £ (a positive amount).
    pub(crate) spending: Summary,
    /// Income less spending, £ (negative: a deficit).
    pub(crate) surplus: Summary,
}

/// The money chart of one variant: each organisation's income, spending and surplus in the
/// report's headline year, and the whole system's totals.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MoneyChart {
    /// The variant.
    pub(crate) variant: String,
    /// The financial year (`2028-29`), or [`ALL_YEARS`] for the whole observation window.
    pub(crate) year: String,
    /// The financial years it covers, in date order (one unless `year` is [`ALL_YEARS`]).
    pub(crate) years: Vec<String>,
    /// Days of those years the run observed (from the variant's first replication's ledger).
    pub(crate) days_observed: f64,
    /// One per organisation with money, in output order.
    pub(crate) rows: Vec<MoneyRow>,
    /// The system's outside funding.
    pub(crate) system_funding: Summary,
    /// The system's surplus: outside funding less the providers' costs.
    pub(crate) system_surplus: Summary,
    /// Every payment between organisations summed over both sides: zero when money is
    /// conserved.
    pub(crate) unbalanced_transfers: Summary,
}

impl MoneyChart {
    /// The period in words: "financial year 2028-29", or "financial years 2026-27 to
    /// 2027-28".
    pub(crate) fn period(&self) -> String {
        match (self.years.first(), self.years.last()) {
            (Some(first), Some(last)) if self.years.len() > 1 => {
                format!("financial years {first} to {last}")
            }
            _ => format!("financial year {}", self.year),
        }
    }
}

/// The money chart of `variant`, straight from [`Report::finance`] in the report's headline
/// year; `None` when the scenario books no money (or `variant` is unknown).
pub(crate) fn money(report: &Report<'_>, variant: &str) -> Option<MoneyChart> {
    let year = report.headline_year()?.to_string();
    let mut years: Vec<String> = Vec::new();
    for k in report.keys.iter().filter(|k| k.scope == Scope::Finance) {
        if k.awaiting != ALL_YEARS && !years.contains(&k.awaiting) {
            years.push(k.awaiting.clone());
        }
    }
    years.sort();
    let v = report.variant_index(variant)?;
    let days_observed = report.result.results[v]
        .first()?
        .finance
        .years
        .iter()
        .filter(|y| year == ALL_YEARS || y.label == year)
        .map(|y| y.end - y.start)
        .sum();
    let get = |organisation: &str, kpi: &str| report.finance(variant, &year, organisation, kpi);
    let rows = report
        .ledger_organisations()
        .into_iter()
        .map(|organisation| {
            Some(MoneyRow {
                organisation: organisation.to_string(),
                income: *get(organisation, "income")?,
                spending: *get(organisation, "spending")?,
                surplus: *get(organisation, "surplus")?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(MoneyChart {
        variant: variant.to_string(),
        system_funding: *get("", "funding")?,
        system_surplus: *get("", "surplus")?,
        unbalanced_transfers: *get("", "unbalanced_transfers")?,
        year,
        years,
        days_observed,
        rows,
    })
}

/// The label of the whole system's line in the money forest plot.
pub(crate) const WHOLE_SYSTEM: &str = "whole system";

/// The money forest plot's rows: for each organisation, then the whole system
/// ([`WHOLE_SYSTEM`]), each variant's paired difference from the baseline in surplus in the
/// report's headline year, straight from [`Report::finance_comparison`]. Empty with no
/// variants or no money.
pub(crate) fn money_forest(report: &Report<'_>) -> Vec<ForestRow> {
    let names = &report.result.names;
    let (Some(baseline), Some(year)) = (names.first(), report.headline_year()) else {
        return Vec::new();
    };
    let subjects = report
        .ledger_organisations()
        .into_iter()
        .map(|o| (o, o))
        .chain(once(("", WHOLE_SYSTEM)));
    let mut rows = Vec::new();
    for (organisation, label) in subjects {
        let Some(base) = report.finance(baseline, year, organisation, "surplus") else {
            continue;
        };
        for variant in &names[1..] {
            if let Some(d) = report.finance_comparison(variant, year, organisation, "surplus") {
                rows.push(ForestRow {
                    label: label.to_string(),
                    variant: variant.clone(),
                    baseline_mean: base.mean,
                    difference: *d,
                    unit: POUNDS,
                });
            }
        }
    }
    rows
}

/// The mesh of a money panel: no vertical grid lines, organisations along x, pounds up y.
fn money_mesh(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<Ticked, Ticked>>,
    y_desc: String,
    x_label: &dyn Fn(&f64) -> String,
    y_label: &dyn Fn(f64) -> String,
) -> Result<(), DrawError> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.08))
        .y_desc(y_desc)
        .label_style((FONT, NOTE_SIZE))
        .axis_desc_style((FONT, LABEL_SIZE))
        .x_label_formatter(x_label)
        .y_label_formatter(&|y| y_label(*y))
        .draw()?;
    Ok(())
}

/// Draws the money forest plot: each variant's change in surplus from the baseline, in
/// pounds, with its interval; one panel per organisation and one for the whole system, all on
/// one scale so that the panels compare.
pub(crate) fn render_money_forest(
    rows: &[ForestRow],
    variants: &[String],
    period: &str,
) -> Result<Svg, DrawError> {
    let level = rows.first().map_or(0.95, |r| r.difference.level);
    let scale = Scale::around_zero(
        rows.iter().flat_map(|r| {
            let d = &r.difference;
            [d.mean, d.low(), d.high()]
        }),
        6,
        1.0,
    );
    let (unit, _) = money_ticks(&scale, true);
    let panels: Vec<ForestPanel<'_>> = by_label(rows)
        .into_iter()
        .map(|(label, group)| {
            let (_, tick) = money_ticks(&scale, true);
            ForestPanel {
                title: label.to_string(),
                x_desc: format!(
                    "change in surplus, {} (baseline {})",
                    unit.name(),
                    money_text(group[0].baseline_mean, false)
                ),
                lines: group.iter().map(|r| ForestLine::of(r, 1.0)).collect(),
                scale: scale.clone(),
                tick: Box::new(tick),
            }
        })
        .collect();
    draw_forest_panels(
        &format!("Surplus: change from the baseline, {period}"),
        &panels,
        variants,
        level,
    )
}

/// The size of a money chart: as wide as the other wide charts, wider with more than five
/// organisations so that their names do not run into each other; two panels tall.
pub(crate) fn money_size(c: &MoneyChart) -> (u32, u32) {
    (WIDE_SIZE.0.max(150 + 130 * c.rows.len() as u32), 640)
}

/// Draws one variant's money by organisation in two panels sharing the organisations: above,
/// income and spending side by side; below, the surplus on its own scale (it is small beside
/// them, and may be negative), its mean written by each bar. Means with interval whiskers.
pub(crate) fn render_money(c: &MoneyChart) -> Result<Svg, DrawError> {
    let n = c.rows.len().max(1);
    let size = money_size(c);
    let labels: Vec<String> = c.rows.iter().map(|r| r.organisation.clone()).collect();
    let keys: Vec<f64> = (0..c.rows.len()).map(|i| i as f64).collect();
    let x_range = -0.5..n as f64 - 0.5;
    let level = c.rows.first().map_or(0.95, |r| r.surplus.level);
    let n_reps = c.rows.first().map_or(0, |r| r.surplus.n);
    let label_of = |x: &f64| {
        labels
            .get(x.round().max(0.0) as usize)
            .cloned()
            .unwrap_or_default()
    };
    let whisker = WHISKER.stroke_width(2);
    let whiskers = |x: f64, s: &Summary| {
        let (lo, hi) = (s.low(), s.high());
        [
            PathElement::new(vec![(x, lo), (x, hi)], whisker),
            PathElement::new(vec![(x - 0.05, lo), (x + 0.05, lo)], whisker),
            PathElement::new(vec![(x - 0.05, hi), (x + 0.05, hi)], whisker),
        ]
    };
    let mut markup = String::new();
    {
        let root = SVGBackend::with_string(&mut markup, size).into_drawing_area();
        root.fill(&WHITE)?;
        let area = titled(
            &root,
            &format!("Money by organisation, {} ({})", c.period(), c.variant),
        )?;
        let (upper, lower) = area.split_vertically(330);

        // Income and spending.
        let scale = Scale::from_zero(
            c.rows
                .iter()
                .flat_map(|r| [r.income.high(), r.spending.high()]),
            7,
        );
        let (unit, y_label) = money_ticks(&scale, false);
        let mut chart = ChartBuilder::on(&upper)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(30)
            .y_label_area_size(84)
            .build_cartesian_2d(Ticked::new(x_range.clone(), keys.clone()), scale.axis())?;
        money_mesh(
            &mut chart,
            format!("income, spending ({})", unit.name()),
            &label_of,
            &y_label,
        )?;
        let (income, spending) = (INCOME.filled(), SPENDING.filled());
        chart.draw_series(c.rows.iter().enumerate().flat_map(|(i, r)| {
            let x = i as f64;
            [
                Rectangle::new([(x - 0.34, 0.0), (x - 0.02, r.income.mean)], income),
                Rectangle::new([(x + 0.02, 0.0), (x + 0.34, r.spending.mean)], spending),
            ]
        }))?;
        chart.draw_series(c.rows.iter().enumerate().flat_map(|(i, r)| {
            let x = i as f64;
            whiskers(x - 0.18, &r.income)
                .into_iter()
                .chain(whiskers(x + 0.18, &r.spending))
        }))?;
        legend_row(
            &root,
            chart.plotting_area().get_pixel_range(),
            &[
                (Key::Swatch(income), "income".to_string()),
                (Key::Swatch(spending), "spending".to_string()),
                (
                    Key::Swatch(SURPLUS.filled()),
                    "surplus (below; negative: deficit)".to_string(),
                ),
                (
                    Key::Whisker(whisker),
                    format!("{}% CI, {n_reps} replications", (level * 100.0).round()),
                ),
            ],
        )?;

        // Surplus, around zero.
        let (lo, hi) = c.rows.iter().fold((0.0_f64, 0.0_f64), |(lo, hi), r| {
            (
                lo.min(r.surplus.low()).min(r.surplus.mean),
                hi.max(r.surplus.high()).max(r.surplus.mean),
            )
        });
        let pad = (hi - lo) * 0.14;
        let scale = Scale::over(lo - pad, hi + pad, 7, 1.0);
        let (y_lo, y_hi) = (scale.range.start, scale.range.end);
        let (unit, y_label) = money_ticks(&scale, false);
        let mut chart = ChartBuilder::on(&lower)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(34)
            .y_label_area_size(84)
            .build_cartesian_2d(Ticked::new(x_range.clone(), keys), scale.axis())?;
        money_mesh(
            &mut chart,
            format!("surplus ({})", unit.name()),
            &label_of,
            &y_label,
        )?;
        chart.draw_series(once(PathElement::new(
            vec![(x_range.start, 0.0), (x_range.end, 0.0)],
            BLACK.stroke_width(1),
        )))?;
        let surplus = SURPLUS.filled();
        chart.draw_series(c.rows.iter().enumerate().map(|(i, r)| {
            let x = i as f64;
            Rectangle::new([(x - 0.2, 0.0), (x + 0.2, r.surplus.mean)], surplus)
        }))?;
        chart.draw_series(
            c.rows
                .iter()
                .enumerate()
                .flat_map(|(i, r)| whiskers(i as f64, &r.surplus)),
        )?;
        // The mean beside each bar, clear of its whisker: above the bar's top end when in
        // surplus, below when in deficit.
        let gap = (y_hi - y_lo) * 0.015;
        chart.draw_series(c.rows.iter().enumerate().map(|(i, r)| {
            let s = &r.surplus;
            let (y, v) = if s.mean >= 0.0 {
                (s.high().max(s.mean) + gap, VPos::Bottom)
            } else {
                (s.low().min(s.mean) - gap, VPos::Top)
            };
            let font = (FONT, NOTE_SIZE)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, v));
            Text::new(money_text(s.mean, false), (i as f64, y), font)
        }))?;
        root.present()?;
    }
    let bars = c
        .rows
        .iter()
        .flat_map(|r| [&r.income, &r.spending, &r.surplus])
        .filter(|s| s.mean != 0.0)
        .count();
    Ok(Svg {
        markup,
        data_colours: vec![hex(INCOME), hex(SPENDING), hex(SURPLUS)],
        data_marks: bars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Experiment, Plan, RunInfo};

    fn short_baseline(daily: bool) -> Experiment {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline");
        // The scenario's own variants (variants.csv) are left out: one variant, added here.
        let mut experiment = Experiment::new(Model::load(dir).expect("the bundled scenario loads"));
        let mut more = experiment.baseline().clone();
        let community = more
            .service_id("community")
            .expect("baseline has community");
        more.set_capacity(community, 106).expect("a valid capacity");
        experiment
            .add_variant("community_106", more)
            .expect("a new name");
        for v in experiment.variants_mut() {
            let s = v.model.settings_mut();
            s.horizon_days = 120.0;
            s.warmup_days = 40.0;
            s.daily_series = daily;
        }
        experiment
    }

    #[test]
    fn occupancy_band_is_the_mean_and_percentiles_of_the_replications() {
        let experiment = short_baseline(true);
        let result = experiment.run(&Plan::replications(4));
        let model = experiment.baseline();
        let reps = &result.results[0];
        let charts = occupancy(model, reps);
        assert_eq!(charts.len(), model.services().len());
        let acute = model.service_id("acute").unwrap().index();
        let chart = &charts[acute];
        assert_eq!(chart.service, "acute");
        assert_eq!(chart.days.len(), 120);
        for (i, &day) in chart.days.iter().enumerate() {
            let values: Vec<f64> = reps
                .iter()
                .map(|r| {
                    r.daily
                        .iter()
                        .find(|d| d.day == day && d.service.index() == acute)
                        .unwrap()
                        .occupancy
                })
                .collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            assert!((chart.mean[i] - mean).abs() < 1e-9, "day {day}");
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(min <= chart.p10[i] && chart.p10[i] <= chart.mean[i] + 1e-9);
            assert!(chart.mean[i] <= chart.p90[i] + 1e-9 && chart.p90[i] <= max);
        }
    }

    #[test]
    fn capacity_line_follows_the_calendar_and_averages_to_the_mean_capacity() {
        let mut model = Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/baseline"))
            .expect("the bundled scenario loads");
        // Keep the run long enough to cross a winter (escalation beds from 1 December).
        model.settings_mut().horizon_days = 400.0;
        model.settings_mut().warmup_days = 100.0;
        let acute = model.service_id("acute").unwrap().index();
        let steps = capacity_steps(&model, acute);
        assert_eq!(steps.first(), Some(&(0.0, 900.0)));
        assert!(steps.iter().any(|&(_, c)| c == 940.0), "{steps:?}");
        assert_eq!(steps.last().map(|s| s.0), Some(400.0));
        // Time-weighted mean capacity over the observation window, from the step line.
        let (w0, w1) = (100.0, 400.0);
        let area: f64 = steps
            .windows(2)
            .map(|p| {
                let (a, b) = (p[0].0.max(w0), p[1].0.min(w1));
                (b - a).max(0.0) * p[0].1
            })
            .sum();
        let reps = crate::run_replications(&model, 1);
        let expected = reps[0].services[acute].mean_capacity;
        assert!(
            (area / (w1 - w0) - expected).abs() < 1e-6,
            "{} vs {expected}",
            area / (w1 - w0)
        );
    }

    #[test]
    fn no_daily_series_means_no_occupancy_charts() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(2));
        assert!(occupancy(experiment.baseline(), &result.results[0]).is_empty());
    }

    #[test]
    fn delay_bars_sum_the_delays_of_each_replication() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(4));
        let model = experiment.baseline();
        let reps = &result.results[0];
        let by_holding = delays(model, reps, DelayGrouping::HeldAt, 0.95);
        let by_awaited = delays(model, reps, DelayGrouping::Awaiting, 0.95);
        assert!(!by_holding.is_empty() && !by_awaited.is_empty());
        for bar in &by_holding {
            // Delayed bed-days by holding service are the services' own delayed bed-days.
            let s = model.service_id(&bar.label).unwrap().index();
            let values: Vec<f64> = reps
                .iter()
                .map(|r| r.services[s].delayed_bed_days)
                .collect();
            let expected = Summary::new(&values, 0.95);
            assert!((bar.summary.mean - expected.mean).abs() < 1e-6 * expected.mean.max(1.0));
            assert_eq!(bar.summary.n, 4);
        }
        let total = |bars: &[Bar]| bars.iter().map(|b| b.summary.mean).sum::<f64>();
        let all: f64 = reps
            .iter()
            .flat_map(|r| &r.services)
            .map(|s| s.delayed_bed_days)
            .sum::<f64>()
            / reps.len() as f64;
        assert!((total(&by_holding) - all).abs() < 1e-6 * all);
        assert!((total(&by_awaited) - all).abs() < 1e-6 * all);
    }

    #[test]
    fn histogram_bins_sum_to_the_entry_patients() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(3));
        let model = experiment.baseline();
        let reps = &result.results[0];
        let histograms = wait_histograms(model, reps);
        assert_eq!(
            histograms.len(),
            1,
            "the baseline has one emergency department"
        );
        let h = &histograms[0];
        assert_eq!(h.service, "ed");
        let ed = model.service_id("ed").unwrap();
        let patients: u64 = reps
            .iter()
            .flat_map(|r| &r.entries)
            .filter(|e| e.service == ed)
            .map(|e| e.patients)
            .sum();
        assert!(patients > 0);
        assert_eq!(h.patients, patients);
        assert_eq!(h.counts.iter().sum::<u64>(), patients);
        assert_eq!(h.counts.len(), 97);
        // Bins from the threshold on are exactly the patients over it (4 h = bin 16).
        assert_eq!(h.counts[16..].iter().sum::<u64>(), h.over_threshold);
    }

    #[test]
    fn forest_rows_are_the_reports_comparisons() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(3));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        let rows = forest(&report);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "ed: share over 4 h",
                "acute: delayed bed-days",
                "acute: mean occupancy",
                "system: diverted arrivals"
            ]
        );
        for (row, h) in rows.iter().zip(headline_kpis(experiment.baseline())) {
            assert_eq!(row.variant, "community_106");
            assert_eq!(row.unit, h.unit);
            let d = report
                .comparison("community_106", h.scope, &h.service, h.kpi)
                .unwrap();
            assert_eq!(&row.difference, d);
            let base = report
                .summary("baseline", h.scope, &h.service, h.kpi)
                .unwrap();
            assert_eq!(row.baseline_mean, base.mean);
            if let Some((mean, low, high)) = row.relative() {
                assert!((mean - d.mean / base.mean.abs() * 100.0).abs() < 1e-9);
                assert!(low <= mean && mean <= high);
            }
        }
    }

    #[test]
    fn charts_render_as_svg_with_their_data_marks() {
        let experiment = short_baseline(true);
        let result = experiment.run(&Plan::replications(3));
        let model = experiment.baseline();
        let reps = &result.results[0];
        let occ = render_occupancy(&occupancy(model, reps)[2], "baseline").unwrap();
        assert!(occ.markup.starts_with("<svg"));
        assert!(occ.markup.contains("acute (baseline)"));
        assert!(occ.markup.contains("capacity"));
        let bars = delays(model, reps, DelayGrouping::Awaiting, 0.95);
        let svg = render_bars("t", "x", "y", &bars).unwrap();
        // One rectangle per bar in the exact data colour; the legend's swatch is a step off.
        let exact = format!("fill=\"{}\"", hex(BAR));
        assert_eq!(svg.markup.matches(&exact).count(), bars.len());
        assert_eq!(svg.data_marks, bars.len());
        let h = render_histogram(&wait_histograms(model, reps)[0]).unwrap();
        assert!(h.markup.contains("over 4 h"));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        let rows = forest(&report);
        let f = render_forest(&rows, &result.names).unwrap();
        // One panel per statistic, titled with it, each line labelled with its variant.
        assert!(f.markup.contains("acute: delayed bed-days"));
        assert_eq!(f.markup.matches(">\ncommunity_106\n<").count(), rows.len());
        assert!(f.markup.contains("change, bed-days (baseline "));
        assert_eq!(f.data_marks, rows.len());
    }

    /// The bundled contracts scenario (baseline and its eight variants), short: 135 days of
    /// warm-up, then 365 days observed across financial years 2026-27 and 2027-28.
    fn short_contracts() -> Experiment {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/contracts");
        let mut experiment = Experiment::load(dir).expect("the bundled scenario loads");
        for v in experiment.variants_mut() {
            let s = v.model.settings_mut();
            s.horizon_days = 500.0;
            s.warmup_days = 135.0;
            s.daily_series = false;
        }
        experiment
    }

    #[test]
    fn money_bars_and_forest_rows_are_the_reports_finance_summaries() {
        let experiment = short_contracts();
        let result = experiment.run(&Plan::replications(3));
        let info = RunInfo {
            scenario: "contracts".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        let chart = money(&report, "baseline").expect("the contracts scenario books money");
        // Two financial years observed: the chart shows them together.
        assert_eq!(chart.year, ALL_YEARS);
        assert_eq!(chart.years, ["2026-27", "2027-28"]);
        assert_eq!(chart.period(), "financial years 2026-27 to 2027-28");
        assert!((chart.days_observed - 365.0).abs() < 1e-9);
        let organisations: Vec<&str> = chart.rows.iter().map(|r| r.organisation.as_str()).collect();
        assert_eq!(organisations, report.ledger_organisations());
        assert_eq!(organisations.len(), 5);
        let get = |o: &str, kpi: &str| *report.finance("baseline", ALL_YEARS, o, kpi).unwrap();
        let mut surpluses = 0.0;
        for r in &chart.rows {
            let o = r.organisation.as_str();
            assert_eq!(r.income, get(o, "income"));
            assert_eq!(r.spending, get(o, "spending"));
            assert_eq!(r.surplus, get(o, "surplus"));
            assert_eq!(r.surplus.n, 3);
            let scale = r.income.mean.abs().max(1.0);
            assert!((r.income.mean - r.spending.mean - r.surplus.mean).abs() < 1e-6 * scale);
            surpluses += r.surplus.mean;
        }
        assert_eq!(chart.system_surplus, get("", "surplus"));
        assert_eq!(chart.system_funding, get("", "funding"));
        assert_eq!(chart.unbalanced_transfers, get("", "unbalanced_transfers"));
        // Payments between organisations cancel: the system's surplus is the sum of theirs.
        assert!(chart.unbalanced_transfers.mean.abs() < 1e-3);
        assert!((surpluses - chart.system_surplus.mean).abs() < 1e-3);

        let rows = money_forest(&report);
        let variants = &result.names[1..];
        assert_eq!(rows.len(), (organisations.len() + 1) * variants.len());
        let subjects: Vec<(&str, &str)> = organisations
            .iter()
            .map(|&o| (o, o))
            .chain(once(("", WHOLE_SYSTEM)))
            .collect();
        for (i, row) in rows.iter().enumerate() {
            let (organisation, label) = subjects[i / variants.len()];
            assert_eq!(row.label, label);
            assert_eq!(row.variant, variants[i % variants.len()]);
            let d = report
                .finance_comparison(&row.variant, ALL_YEARS, organisation, "surplus")
                .unwrap();
            assert_eq!(&row.difference, d);
            assert_eq!(row.baseline_mean, get(organisation, "surplus").mean);
        }
        // The block variant only changes who pays whom: the system's surplus is unchanged.
        let block = rows
            .iter()
            .find(|r| r.label == WHOLE_SYSTEM && r.variant == "block")
            .unwrap();
        assert!(block.difference.mean.abs() < 1e-3, "{block:?}");

        let svg = render_money(&chart).unwrap();
        assert!(svg.markup.starts_with("<svg"));
        assert!(
            svg.markup
                .contains("Money by organisation, financial years 2026-27 to 2027-28 (baseline)")
        );
        // One bar per organisation in each exact data colour; the legend's swatches are a
        // step off.
        for colour in [INCOME, SPENDING, SURPLUS] {
            let exact = format!("fill=\"{}\"", hex(colour));
            assert_eq!(
                svg.markup.matches(&exact).count(),
                chart.rows.len(),
                "{exact}"
            );
        }
        assert_eq!(svg.data_marks, 3 * chart.rows.len());
        assert_eq!(
            svg.markup.matches("county_council").count(),
            2,
            "both panels"
        );
        let f = render_money_forest(&rows, &result.names, &chart.period()).unwrap();
        assert!(
            f.markup.contains(">\nwhole system\n<"),
            "a panel for the whole system"
        );
        assert!(f.markup.contains("change in surplus, £m"));
        assert_eq!(f.data_marks, rows.len());
    }

    #[test]
    fn no_money_means_no_money_charts() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(2));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        assert_eq!(money(&report, "baseline"), None);
        assert!(money_forest(&report).is_empty());
    }

    #[test]
    fn money_is_written_short_in_pounds_thousands_or_millions() {
        assert_eq!(money_text(178_712_345.0, false), "£178.7m");
        assert_eq!(money_text(-2_219_771.0, false), "−£2.22m");
        assert_eq!(money_text(1_500_000.0, true), "+£1.50m");
        assert_eq!(money_text(999_700.0, false), "£1.00m");
        assert_eq!(money_text(350_400.0, false), "£350k");
        assert_eq!(money_text(-10_937.0, false), "−£10.9k");
        assert_eq!(money_text(512.4, false), "£512");
        assert_eq!(money_text(0.0, true), "£0");
        assert_eq!(money_text(-1e-9, false), "£0");
        let (unit, axis) = money_ticks(&Scale::around_zero([-15e6, 12e6], 6, 1.0), true);
        assert_eq!(unit.name(), "£m");
        assert_eq!(axis(5e6), "+£5m");
        assert_eq!(axis(-15e6), "−£15m");
        assert_eq!(axis(0.0), "£0");
        let (_, axis) = money_ticks(&Scale::from_zero([5.5e6], 7), false);
        assert_eq!(axis(2e6), "£2m");
        let (_, axis) = money_ticks(&Scale::from_zero([1.5e6], 7), false);
        assert_eq!(axis(2e5), "£0.2m");
        assert_eq!(
            money_ticks(&Scale::from_zero([1.2e9], 7), false).1(1.25e9),
            "£1,250m"
        );
        assert_eq!(MoneyUnit::for_amount(25_000.0).name(), "£k");
    }

    /// Every tick of `scale` written with its labels: distinct, in order, inside the range.
    fn assert_readable(scale: &Scale, signed: bool) -> Vec<String> {
        assert!(scale.range.start < scale.range.end, "{scale:?}");
        assert!(scale.ticks.len() >= 2, "{scale:?}");
        for t in &scale.ticks {
            assert!(t.is_finite() && scale.range.contains(t) || *t == scale.range.end);
        }
        let labels: Vec<String> = scale
            .ticks
            .iter()
            .map(|&t| scale.label(t, signed))
            .collect();
        for pair in labels.windows(2) {
            assert_ne!(pair[0], pair[1], "{labels:?} for {scale:?}");
        }
        for l in &labels {
            assert!(
                !l.contains("NaN") && !l.contains("inf") && l != "−0",
                "{labels:?}"
            );
        }
        labels
    }

    #[test]
    fn scales_of_degenerate_data_still_label_every_tick_differently() {
        // All zero: a quantity from zero gets 0 to 1, a difference −1 to 1.
        let zero = Scale::from_zero([0.0, 0.0, 0.0], 7);
        assert_eq!(zero.range, 0.0..1.0);
        assert_eq!(
            assert_readable(&zero, false),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        let diff = Scale::around_zero([0.0, -0.0], 6, 0.0);
        assert_eq!(
            assert_readable(&diff, true),
            ["−1.0", "−0.5", "0.0", "+0.5", "+1.0"]
        );
        // One value; tiny values; huge values; negative only.
        assert_readable(&Scale::from_zero([3.0], 7), false);
        assert_readable(&Scale::from_zero([1e-7], 7), false);
        assert_readable(&Scale::from_zero([4.2e9], 7), false);
        assert_readable(&Scale::around_zero([-7.0, -7.0], 6, 0.0), true);
        assert_readable(&Scale::around_zero([250.0], 6, 0.0), true);
        assert_readable(&Scale::over(5.0, 5.0, 6, 0.0), false);
        assert_readable(&Scale::over(-2.5, -2.5, 6, 0.0), false);
        // Non-finite values are ignored, and no finite value at all is like all zero.
        let nan = Scale::from_zero([f64::NAN, f64::INFINITY, 2.0, f64::NEG_INFINITY], 7);
        assert!(nan.range.end > 2.0 && nan.range.end < 3.0, "{nan:?}");
        assert_readable(&nan, false);
        assert_eq!(Scale::from_zero([f64::NAN], 7), zero);
        assert_eq!(Scale::from_zero(std::iter::empty(), 7), zero);
        assert_readable(&Scale::around_zero([f64::NAN], 6, 0.0), true);
        assert_readable(&Scale::over(f64::NAN, f64::INFINITY, 6, 0.0), false);
        // At most `most` ticks, at round steps.
        let s = Scale::from_zero([937.0], 7);
        assert!(s.ticks.len() <= 7);
        assert_eq!(s.step, 200.0);
        assert_eq!(assert_readable(&s, false)[5], "1,000");
        assert_eq!(Scale::from_zero([0.37], 7).decimals, 1);
        assert_eq!(Scale::from_zero([0.037], 7).decimals, 2);
    }

    #[test]
    fn money_axes_of_zero_differences_read_minus_one_zero_plus_one() {
        // Before: ticks at ±£0.5 written with no decimals, "−£1 −£1 £0 £1 £1".
        let scale = Scale::around_zero([0.0, 0.0, 0.0], 6, 1.0);
        let (unit, tick) = money_ticks(&scale, true);
        assert_eq!(unit.name(), "£");
        let labels: Vec<String> = scale.ticks.iter().map(|&t| tick(t)).collect();
        assert_eq!(labels, ["−£1", "£0", "+£1"]);
        // One organisation's difference of a few pounds, the rest none.
        let scale = Scale::around_zero([0.0, 3.4, 2.9, 4.1], 6, 1.0);
        let (_, tick) = money_ticks(&scale, true);
        let labels: Vec<String> = scale.ticks.iter().map(|&t| tick(t)).collect();
        for pair in labels.windows(2) {
            assert_ne!(pair[0], pair[1], "{labels:?}");
        }
        // Thousands: "£k" with decimals only where the step needs them.
        let scale = Scale::from_zero([2_300.0], 7);
        let (unit, tick) = money_ticks(&scale, false);
        assert_eq!(unit.name(), "£k");
        let labels: Vec<String> = scale.ticks.iter().map(|&t| tick(t)).collect();
        assert_eq!(labels, ["£0", "£0.5k", "£1.0k", "£1.5k", "£2.0k", "£2.5k"]);
    }

    #[test]
    fn numbers_are_written_without_minus_zero_or_nan() {
        assert_eq!(number_text(-0.04, 1, true), "0.0");
        assert_eq!(number_text(-0.0, 0, false), "0");
        assert_eq!(number_text(1234.56, 1, true), "+1,234.6");
        assert_eq!(number_text(-1234.56, 0, true), "−1,235");
        assert_eq!(number_text(f64::NAN, 2, false), "–");
        assert_eq!(number_text(f64::INFINITY, 2, false), "–");
    }

    #[test]
    fn thinning_keeps_the_extremes_of_each_pixel() {
        let points: Vec<(f64, f64)> = (0..1000)
            .map(|d| (f64::from(d) + 0.5, f64::from((d * 37) % 101)))
            .collect();
        let both = thin(&points, 10.0, Keep::Both);
        assert!(both.len() <= 200, "{}", both.len());
        for bucket in 0..100 {
            let inside: Vec<f64> = points[bucket * 10..bucket * 10 + 10]
                .iter()
                .map(|p| p.1)
                .collect();
            let kept: Vec<f64> = both
                .iter()
                .filter(|p| (p.0 / 10.0).floor() as usize == bucket)
                .map(|p| p.1)
                .collect();
            let max = inside.iter().copied().fold(f64::MIN, f64::max);
            let min = inside.iter().copied().fold(f64::MAX, f64::min);
            assert!(
                kept.contains(&max) && kept.contains(&min),
                "bucket {bucket}"
            );
        }
        // In x order, so the line does not double back.
        assert!(both.windows(2).all(|w| w[0].0 < w[1].0));
        let upper = thin(&points, 10.0, Keep::Max);
        let lower = thin(&points, 10.0, Keep::Min);
        assert_eq!((upper.len(), lower.len()), (100, 100));
        for (bucket, (hi, lo)) in upper.iter().zip(&lower).enumerate() {
            let inside = &points[bucket * 10..bucket * 10 + 10];
            assert!(inside.iter().all(|p| lo.1 <= p.1 && p.1 <= hi.1));
        }
        // A bucket under a day keeps every point.
        assert_eq!(thin(&points, 0.5, Keep::Both), points);
    }

    /// The short baseline with `variants` more variants (community beds), daily series on.
    fn many_variants(variants: u32) -> Experiment {
        let mut experiment = short_baseline(true);
        for i in 0..variants {
            let mut model = experiment.baseline().clone();
            let community = model.service_id("community").unwrap();
            model.set_capacity(community, 70 + 3 * i).unwrap();
            experiment
                .add_variant(&format!("community_{}", 70 + 3 * i), model)
                .unwrap();
        }
        experiment
    }

    #[test]
    fn flow_and_beside_charts_are_the_daily_series_of_every_variant() {
        let experiment = many_variants(1);
        let result = experiment.run(&Plan::replications(3));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        let flows = flows(&report);
        assert_eq!(flows.len(), experiment.baseline().services().len());
        for (s, chart) in flows.iter().enumerate() {
            // Every measure is a panel or quiet, never both, in order.
            let mut measures: Vec<Measure> = chart.panels.iter().map(|p| p.measure).collect();
            measures.extend(&chart.quiet);
            assert_eq!(measures.len(), 3, "{}", chart.service);
            for p in &chart.panels {
                let names: Vec<&str> = p.lines.iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(
                    names,
                    result.names.iter().map(String::as_str).collect::<Vec<_>>()
                );
                assert!(p.lines.iter().any(|(_, d)| !d.is_zero()));
                for (v, (_, d)) in p.lines.iter().enumerate() {
                    let reps = &result.results[v];
                    let day = d.days.len() / 2;
                    let values: Vec<f64> = reps
                        .iter()
                        .map(|r| {
                            let rec = r
                                .daily
                                .iter()
                                .find(|x| x.day == d.days[day] && x.service.index() == s)
                                .unwrap();
                            p.measure.of(rec)
                        })
                        .collect();
                    let mean = values.iter().sum::<f64>() / 3.0;
                    assert!((d.mean[day] - mean).abs() < 1e-9);
                }
            }
            for &m in &chart.quiet {
                for (v, reps) in result.results.iter().enumerate() {
                    let all_zero = reps
                        .iter()
                        .flat_map(|r| &r.daily)
                        .filter(|x| x.service.index() == s)
                        .all(|x| m.of(x) == 0.0);
                    assert!(all_zero, "{} {m:?} in {}", chart.service, result.names[v]);
                }
            }
        }
        // The baseline has no money: nobody waits for funding anywhere.
        assert!(
            flows
                .iter()
                .all(|c| c.quiet.contains(&Measure::AwaitingFunding))
        );
        // Patients queue at the emergency department and are delayed in acute beds.
        let acute = flows.iter().find(|c| c.service == "acute").unwrap();
        assert!(acute.panels.iter().any(|p| p.measure == Measure::Delayed));

        let beside = occupancy_beside(&report);
        assert_eq!(beside.len(), flows.len());
        let community = beside.iter().find(|c| c.service == "community").unwrap();
        assert_eq!(community.baseline.variant, "baseline");
        assert_eq!(community.variants.len(), 2);
        assert_eq!(
            community.baseline.occupancy,
            daily(&result.results[0], 3, Measure::Occupancy).unwrap()
        );
        // The variants' own capacities: 106 and 70 community beds against the baseline's 86.
        assert_eq!(community.baseline.capacity[0], (0.0, 86.0));
        assert_eq!(community.variants[0].capacity[0], (0.0, 106.0));
        assert_eq!(community.variants[1].capacity[0], (0.0, 70.0));
        let svg = render_beside(community, &result.names).unwrap();
        assert_eq!(svg.data_marks, 4, "two panels of two lines");
        assert!(svg.markup.contains("community_70"));
        let svg = render_flow(acute, &result.names).unwrap();
        assert_eq!(svg.data_marks, acute.panels.len() * 3);
        assert!(svg.markup.contains("delayed patients"));
    }

    #[test]
    fn without_daily_series_or_variants_there_are_no_flow_or_beside_charts() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(2));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        assert!(flows(&report).is_empty());
        assert!(occupancy_beside(&report).is_empty());
        assert_eq!(
            variants_without_daily(&report),
            ["baseline", "community_106"]
        );
        let one = Experiment::new(short_baseline(true).baseline().clone());
        let result = one.run(&Plan::replications(2));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&one, &result, info);
        assert!(
            occupancy_beside(&report).is_empty(),
            "no variant to set beside"
        );
        assert_eq!(flows(&report).len(), 7);
    }

    #[test]
    fn many_variants_make_more_rows_of_panels_not_taller_panels() {
        let experiment = many_variants(11);
        let result = experiment.run(&Plan::replications(2));
        let info = RunInfo {
            scenario: "baseline".into(),
            level: 0.95,
        };
        let report = Report::new(&experiment, &result, info);
        assert_eq!(result.names.len(), 13);
        let rows = forest(&report);
        assert_eq!(rows.len(), 4 * 12);
        let f = render_forest(&rows, &result.names).unwrap();
        assert_eq!(f.data_marks, rows.len());
        // Four statistics, two panels to a row, 12 lines each: two rows of panels.
        let (_, (w, h)) = forest_grid(4, 12);
        assert_eq!((w, h), (FOREST_WIDTH, 70 + 2 * (96 + 24 * 12)));
        assert!(f.markup.contains(&format!("height=\"{h}\"")));
        // Twelve variants beside the baseline: four to a row, three rows.
        let beside = occupancy_beside(&report);
        let acute = beside.iter().find(|c| c.service == "acute").unwrap();
        assert_eq!(acute.variants.len(), 12);
        assert_eq!(beside_size(acute), (1100, 3 * BESIDE_PANEL_HEIGHT));
        let svg = render_beside(acute, &result.names).unwrap();
        assert_eq!(svg.data_marks, 24);
        // Colours repeat after eight variants, so the panels are titled with their variant.
        for name in &result.names[1..] {
            assert!(svg.markup.contains(&format!(">\n{name}\n<")), "{name}");
        }
    }

    #[test]
    fn comparison_panels_write_zero_changes_and_zero_baselines_plainly() {
        let summary = |mean: f64, sd: f64| Summary {
            n: 3,
            mean,
            sd,
            half_width: Some(sd * 2.48),
            level: 0.95,
        };
        let row = |label: &str, variant: &str, base: f64, d: Summary, unit| ForestRow {
            label: label.into(),
            variant: variant.into(),
            baseline_mean: base,
            difference: d,
            unit,
        };
        let beds = Unit::new("bed-days", 1.0, 0);
        let rows = [
            row("a: delayed bed-days", "v1", 0.0, summary(0.0, 0.0), beds),
            row("a: delayed bed-days", "v2", 0.0, summary(12.0, 3.0), beds),
            row(
                "system: diverted arrivals",
                "v1",
                37.0,
                summary(1665.0, 900.0),
                beds,
            ),
            row(
                "system: diverted arrivals",
                "v2",
                37.0,
                summary(-37.0, 0.0),
                beds,
            ),
            row("money", "v1", 5e6, summary(0.0, 0.0), POUNDS),
            row("money", "v2", 5e6, summary(-2.3e6, 1e5), POUNDS),
        ];
        let texts: Vec<String> = rows.iter().map(ForestRow::difference_text).collect();
        assert_eq!(
            texts,
            [
                "no difference",
                "+12 (baseline 0)",
                "+1,665 (+4,500%)",
                "−37 (−100%)",
                "no difference",
                "−£2.30m"
            ]
        );
        let names: Vec<String> = ["base", "v1", "v2"].map(String::from).to_vec();
        let svg = render_forest(&rows[..4], &names).unwrap();
        assert!(!svg.markup.contains("NaN") && !svg.markup.contains("inf"));
        // Each statistic on its own scale: the +4,500% does not squash the bed-days.
        assert!(
            svg.markup.contains(">\n+2,000\n<"),
            "diverted ticks in patients' units"
        );
        assert!(
            svg.markup.contains(">\n+20\n<"),
            "bed-day ticks on their own scale"
        );
        // A panel where every difference is 0 still has distinct ticks.
        let zero = [rows[0].clone(), rows[4].clone()];
        let svg = render_forest(&zero, &names).unwrap();
        assert!(svg.markup.contains(">\n+1.0\n<") || svg.markup.contains(">\n+1\n<"));
        let money = render_money_forest(&rows[4..5], &names, "p").unwrap();
        for tick in ["−£1", "£0", "+£1"] {
            assert!(money.markup.contains(&format!(">\n{tick}\n<")), "{tick}");
        }
    }

    #[test]
    fn the_histogram_says_whom_it_counts_and_who_was_still_there() {
        let experiment = short_baseline(false);
        let result = experiment.run(&Plan::replications(3));
        let model = experiment.baseline();
        let h = &wait_histograms(model, &result.results[0])[0];
        let ed = model.service_id("ed").unwrap();
        let still: u64 = result.results[0]
            .iter()
            .flat_map(|r| &r.entries)
            .filter(|e| e.service == ed)
            .map(|e| e.still_inside)
            .sum();
        assert!(still > 0, "a busy department has patients in it at the end");
        assert_eq!(h.still_inside, still);
        assert!(h.still_inside_over_threshold <= h.still_inside);
        let text = h.counted_text();
        assert!(
            text.starts_with("all 3 replications; not counted: "),
            "{text}"
        );
        assert!(text.contains("still there at the end"));
        let svg = render_histogram(h).unwrap();
        assert!(svg.markup.contains("patients who left"));
        assert!(svg.markup.contains(&text));
        let empty = WaitHistogram {
            service: "ed".into(),
            counts: Vec::new(),
            patients: 0,
            over_threshold: 0,
            still_inside: 0,
            still_inside_over_threshold: 0,
            threshold_hours: 4.0,
            replications: 1,
        };
        assert_eq!(
            empty.counted_text(),
            "1 replication; none still there at the end"
        );
        let svg = render_histogram(&empty).unwrap();
        assert!(!svg.markup.contains("NaN"));
    }

    #[test]
    fn charts_of_all_zero_data_have_distinct_ticks_and_no_nan() {
        let experiment = short_baseline(true);
        let result = experiment.run(&Plan::replications(2));
        let model = experiment.baseline();
        let mut chart = occupancy(model, &result.results[0]).remove(0);
        for v in chart
            .mean
            .iter_mut()
            .chain(&mut chart.p10)
            .chain(&mut chart.p90)
        {
            *v = 0.0;
        }
        chart.capacity = vec![(0.0, 0.0), (chart.horizon_days, 0.0)];
        let svg = render_occupancy(&chart, "baseline").unwrap();
        for tick in ["0.0", "0.2", "1.0"] {
            assert!(svg.markup.contains(&format!(">\n{tick}\n<")), "{tick}");
        }
        chart.mean[3] = f64::NAN;
        chart.p90[4] = f64::INFINITY;
        let svg = render_occupancy(&chart, "baseline").unwrap();
        assert!(!svg.markup.contains("NaN") && !svg.markup.contains("inf"));
        let bars = [Bar {
            label: "acute".into(),
            summary: Summary::new(&[0.0, 0.0], 0.95),
        }];
        let svg = render_bars("t", "x", "y", &bars).unwrap();
        assert!(svg.markup.contains(">\n0.2\n<") && !svg.markup.contains("NaN"));
    }

    #[test]
    fn month_ticks_start_at_the_first_month_start() {
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(month_ticks(start, 100.0, 6), [0.0, 30.0, 61.0, 91.0]);
        let ticks = month_ticks(start, 1096.0, 6);
        assert!(ticks.len() <= 6 && ticks[0] == 0.0, "{ticks:?}");
        let mid = NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
        assert_eq!(month_ticks(mid, 40.0, 6), [16.0]);
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-999.0), "−999");
    }
}
