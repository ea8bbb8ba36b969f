//! The report as one self-contained HTML page: title, summary tables and the charts of
//! [`chart`](super::chart) inline as SVG. The page loads nothing from elsewhere and needs no
//! script to display; one small inline script checks, on load, that every chart was drawn
//! with data, for automated checks in a headless browser (`scripts/check_report.sh`).

mod fit;
mod optimisation;

pub(crate) use fit::page as fit_page;
pub(crate) use optimisation::page as optimisation_page;

use super::chart::{self, DelayGrouping, DrawError, Svg};
use super::risk_table::probability_text;
use super::{CARE_BUDGET_KPIS, DELAY_REASON_KPIS, Report, explanation, network, scaled};
use crate::Summary;
use crate::explain::Explanation;
use std::fmt::Write as _;

/// One chart on the page.
#[derive(Debug)]
struct Figure {
    /// The element id, `chart-…`.
    id: String,
    /// Text under the chart (HTML).
    caption: String,
    svg: Svg,
    /// The widest it is shown, pixels (its drawn width: never scaled up).
    max_width: Option<u32>,
}

/// A section of the page: a heading, notes (HTML) and figures.
#[derive(Debug, Default)]
struct Section {
    id: String,
    title: String,
    body: String,
    figures: Vec<Figure>,
    /// Figures as small multiples, two to a row.
    grid: bool,
    /// Notes and tables (HTML) after the figures.
    after: String,
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A name made safe for an element id: letters, digits, `-` and `_`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The whole page.
pub(crate) fn page(report: &Report<'_>) -> Result<String, DrawError> {
    let sections = [
        summary_section(report),
        Some(scenario_section(report)),
        occupancy_section(report)?,
        flow_section(report)?,
        delay_section(report)?,
        wait_section(report)?,
        money_section(report)?,
        comparison_section(report)?,
    ];
    let sections: Vec<Section> = sections.into_iter().flatten().collect();
    let title = format!("careflow report: {}", report.info.scenario);
    let footer = format!(
        "Made by careflow {} from the scenario folder <code>{}</code>. Means across replications; intervals are Student-t intervals across replications; paired differences are taken replication by replication.",
        env!("CARGO_PKG_VERSION"),
        escape(&report.info.scenario)
    );
    Ok(document(&title, &header_lines(report), &sections, &footer))
}

/// A self-contained page: `title`, the lines under it (`header`, HTML), a link to each
/// section, the sections with their figures, the `footer` (HTML) and the render check.
fn document(title: &str, header: &str, sections: &[Section], footer: &str) -> String {
    let charts: usize = sections.iter().map(|s| s.figures.len()).sum();
    let mut out = String::with_capacity(1 << 20);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    push(&mut out, format_args!("<title>{}</title>\n", escape(title)));
    push(&mut out, format_args!("<style>{STYLE}</style>\n</head>\n"));
    push(
        &mut out,
        format_args!("<body data-charts-expected=\"{charts}\">\n<header>\n"),
    );
    push(&mut out, format_args!("<h1>{}</h1>\n", escape(title)));
    out.push_str(header);
    out.push_str("<nav>");
    for s in sections {
        push(
            &mut out,
            format_args!("<a href=\"#{}\">{}</a>", s.id, escape(&s.title)),
        );
    }
    out.push_str("</nav>\n</header>\n");
    for s in sections {
        push(
            &mut out,
            format_args!(
                "<section id=\"{}\">\n<h2>{}</h2>\n{}",
                s.id,
                escape(&s.title),
                s.body
            ),
        );
        if !s.figures.is_empty() {
            out.push_str(if s.grid {
                "<div class=\"grid\">\n"
            } else {
                "<div class=\"figures\">\n"
            });
            for f in &s.figures {
                let style = f
                    .max_width
                    .map(|w| format!(" style=\"max-width:{w}px\""))
                    .unwrap_or_default();
                push(
                    &mut out,
                    format_args!(
                        "<figure class=\"chart\" id=\"{}\" data-colours=\"{}\" data-marks=\"{}\"{style}>\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                        f.id,
                        f.svg.data_colours.join(" "),
                        f.svg.data_marks,
                        f.svg.markup.trim(),
                        f.caption
                    ),
                );
            }
            out.push_str("</div>\n");
        }
        out.push_str(&s.after);
        out.push_str("</section>\n");
    }
    push(&mut out, format_args!("<footer>{footer}</footer>\n"));
    out.push_str("<pre id=\"render-check\" hidden></pre>\n");
    push(&mut out, format_args!("<script>{CHECK_SCRIPT}</script>\n"));
    out.push_str("</body>\n</html>\n");
    out
}

fn push(out: &mut String, args: std::fmt::Arguments<'_>) {
    out.write_fmt(args)
        .expect("writing to a String does not fail");
}

/// The lines under the title: what was run, over which dates, when the page was made.
fn header_lines(report: &Report<'_>) -> String {
    let model = report.experiment.baseline();
    let s = model.settings();
    let date = |days: f64| s.start_date + chrono::Days::new(days.max(0.0).floor() as u64);
    let observed = s.horizon_days - s.warmup_days;
    let seeds = match report.result.seeds {
        crate::Seeds::Common => "common random numbers",
        crate::Seeds::Independent => "independent seeds per variant",
    };
    let mut out = format!(
        "<p class=\"meta\"><strong>{} replications</strong> of {} days observed, {} to {}, after {} days of warm-up from {}; seed {}{}; {}% confidence intervals.</p>\n",
        report.result.replications(),
        chart::thousands(observed),
        date(s.warmup_days),
        date(s.horizon_days - 1.0),
        chart::thousands(s.warmup_days),
        s.start_date,
        s.seed,
        if report.result.names.len() > 1 {
            format!(", {seeds}")
        } else {
            String::new()
        },
        (report.info.level * 100.0).round(),
    );
    if report.result.names.len() > 1 {
        let variants: Vec<String> = report.result.names[1..]
            .iter()
            .map(|n| format!("<code>{}</code>", escape(n)))
            .collect();
        push(
            &mut out,
            format_args!(
                "<p class=\"meta\">Variants compared with <code>{}</code> (the scenario as written): {}.</p>\n",
                escape(&report.result.names[0]),
                variants.join(", ")
            ),
        );
    }
    let warnings = report.warnings();
    if !warnings.is_empty() {
        out.push_str("<div class=\"note warnings\"><strong>Warnings</strong><ul>\n");
        for w in &warnings {
            push(&mut out, format_args!("<li>{}</li>\n", escape(w)));
        }
        out.push_str("</ul></div>\n");
    }
    push(
        &mut out,
        format_args!(
            "<p class=\"meta\">Generated {} by careflow {}.</p>\n",
            now_utc(),
            env!("CARGO_PKG_VERSION")
        ),
    );
    out
}

fn now_utc() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| chrono::DateTime::from_timestamp(d.as_secs() as i64, 0))
        .map_or_else(
            || "(unknown time)".to_string(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        )
}

/// `x` with `digits` decimals and thousands separators: 177449.2 → "177,449".
fn grouped(x: f64, digits: usize) -> String {
    let text = format!("{:.*}", digits, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('−');
    }
    chart::push_grouped(&mut out, int);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A mean ± half-width, numbers grouped by thousands.
fn interval_text(s: &Summary, digits: usize) -> String {
    match s.half_width {
        Some(h) => format!("{} ± {}", grouped(s.mean, digits), grouped(h, digits)),
        None => grouped(s.mean, digits),
    }
}

/// A table cell with a mean and its interval.
fn cell(s: &Summary, digits: usize) -> String {
    format!("<td>{}</td>", interval_text(s, digits))
}

fn summary_section(report: &Report<'_>) -> Option<Section> {
    let mut body = String::new();
    if report.result.names.len() > 1 {
        body.push_str(&comparison_table(report));
        body.push_str("<details><summary>The baseline in detail</summary>\n");
        body.push_str(&variant_tables(report, 0));
        body.push_str("</details>\n");
    } else {
        body.push_str(&variant_tables(report, 0));
    }
    Some(Section {
        id: "summary".into(),
        title: "Summary".into(),
        body,
        ..Section::default()
    })
}

/// The system, entry-service and service tables of variant `v` (means ± half-widths).
fn variant_tables(report: &Report<'_>, v: usize) -> String {
    let model = &report.experiment.variants()[v].model;
    let settings = model.settings();
    let name = &report.result.names[v];
    let get = |scope: &str, service: &str, kpi: &str| {
        report
            .summary(name, scope, service, kpi)
            .copied()
            .expect("every reported statistic is summarised")
    };
    let threshold = settings.wait_threshold_hours;
    let mut out = String::new();
    out.push_str("<table class=\"system\">\n<thead><tr><th>system</th><th>arrived</th><th>diverted</th><th>left</th><th>inside at start</th><th>inside at end</th></tr></thead>\n<tbody><tr><td>patients</td>");
    for kpi in [
        "arrived",
        "diverted",
        "left",
        "inside_at_start",
        "inside_at_end",
    ] {
        out.push_str(&cell(&get("system", "", kpi), 0));
    }
    out.push_str("</tr></tbody>\n</table>\n");

    let entries = model.entry_services();
    if !entries.is_empty() {
        push(
            &mut out,
            format_args!(
                "<table class=\"entries\">\n<thead><tr><th>entry service</th><th>patients</th><th>% over {threshold} h from arrival to leaving</th><th>mean time (h)</th></tr></thead>\n<tbody>\n"
            ),
        );
        for id in entries {
            let s = model.services()[id.index()].name();
            push(
                &mut out,
                format_args!(
                    "<tr><td>{}</td>{}{}{}</tr>\n",
                    escape(s),
                    cell(&get("entry", s, "patients"), 0),
                    cell(&scaled(&get("entry", s, "share_over_threshold"), 100.0), 1),
                    cell(&scaled(&get("entry", s, "mean_time_days"), 24.0), 2),
                ),
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }

    push(
        &mut out,
        format_args!(
            "<table class=\"services\">\n<thead><tr><th>service</th><th class=\"text\">kind</th><th>capacity</th><th>mean occupancy</th><th>utilisation %</th><th>mean wait (days)</th><th>waits &gt; {threshold} h</th><th>delayed bed-days</th><th>diverted</th></tr></thead>\n<tbody>\n"
        ),
    );
    for s in model.services() {
        let n = s.name();
        push(
            &mut out,
            format_args!(
                "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td>{}{}{}{}{}{}</tr>\n",
                escape(n),
                s.kind().as_str(),
                grouped(get("service", n, "mean_capacity").mean, 0),
                cell(&get("service", n, "mean_occupancy"), 1),
                cell(&scaled(&get("service", n, "utilisation"), 100.0), 1),
                cell(&get("service", n, "mean_wait_days"), 2),
                cell(&get("service", n, "long_waits"), 0),
                cell(&get("service", n, "delayed_bed_days"), 0),
                cell(&get("service", n, "diverted"), 0),
            ),
        );
    }
    push(
        &mut out,
        format_args!(
            "</tbody>\n</table>\n<p class=\"small\">Means across {} replications ± the half-width of the {}% confidence interval. Capacity is the time-weighted mean over the observed days (it follows the calendar). Waits run from wanting a place to getting it, blocked time in a bed elsewhere included; delayed bed-days are bed-days held by patients fit to move on who could not.</p>\n",
            report.result.replications(),
            (report.info.level * 100.0).round()
        ),
    );
    out
}

/// The comparison table: each headline statistic's baseline mean and each variant's paired
/// difference; bold where the interval excludes 0.
fn comparison_table(report: &Report<'_>) -> String {
    let names = &report.result.names;
    let variants: Vec<usize> = (1..names.len()).collect();
    // At most VARIANTS_PER_TABLE variants a table, so that the table fits a page's width;
    // each table repeats the statistic and the baseline.
    let mut out = String::new();
    for chunk in variants.chunks(VARIANTS_PER_TABLE) {
        out.push_str(&comparison_table_of(report, chunk));
    }
    push(
        &mut out,
        format_args!(
            "<p class=\"small\">Paired differences variant − baseline, replication by replication, ± the half-width of the {}% confidence interval; <strong>bold</strong>: the interval excludes 0.</p>\n",
            (report.info.level * 100.0).round()
        ),
    );
    out
}

/// The most variants one comparison table of the HTML report shows.
const VARIANTS_PER_TABLE: usize = 4;

/// One comparison table: the statistics, the baseline and the variants `variants`.
fn comparison_table_of(report: &Report<'_>, variants: &[usize]) -> String {
    let names = &report.result.names;
    let mut out = String::from(
        "<div class=\"wide\"><table class=\"comparison\">\n<thead><tr><th>statistic</th>",
    );
    push(
        &mut out,
        format_args!("<th>{} (mean)</th>", escape(&names[0])),
    );
    for name in variants.iter().map(|&v| &names[v]) {
        push(
            &mut out,
            format_args!(
                "<th>{}<br><span class=\"sub\">− {}</span></th>",
                escape(name),
                escape(&names[0])
            ),
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (label, k, digits) in report.comparison_rows() {
        push(
            &mut out,
            format_args!(
                "<tr><td>{}</td>{}",
                escape(&label),
                cell(&report.summaries[0][k], digits)
            ),
        );
        for &v in variants {
            let d = &report.comparisons[v][k];
            let significant = d.half_width.is_some_and(|h| d.mean.abs() > h);
            push(
                &mut out,
                format_args!(
                    "<td{}>{}</td>",
                    if significant { " class=\"sig\"" } else { "" },
                    interval_text(d, digits)
                ),
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The scenario at a glance: the network diagram and the expected demand of each service from
/// the traffic equations ([`Explanation`]), beside what the baseline's run measured.
fn scenario_section(report: &Report<'_>) -> Section {
    let model = report.experiment.baseline();
    let mut section = Section {
        id: "scenario".into(),
        title: "The scenario at a glance".into(),
        ..Section::default()
    };
    let explanation = match Explanation::of(model) {
        Ok(e) => e,
        Err(e) => {
            push(
                &mut section.body,
                format_args!(
                    "<p class=\"note\">The scenario's expected flows cannot be worked out: {}.</p>\n",
                    escape(&e.to_string())
                ),
            );
            return section;
        }
    };
    let variants = if report.result.names.len() > 1 {
        format!(" (<code>{}</code>)", escape(&report.result.names[0]))
    } else {
        String::new()
    };
    push(
        &mut section.body,
        format_args!(
            "<p>What the scenario{variants} asks of each service before any queueing, from the traffic equations: arrivals from outside at their mean rate over the observation window, routes, discharge pathways and readmissions. Offered load is arrivals × mean stay (hours a week at services counted in hours); at or above its capacity a service's queue grows without bound, above 0.85 of it waits and blocking are likely. Beside them, what the run measured: arrivals include those turned away, and occupancy falls short of the offered load where patients were turned away or waited elsewhere.</p>\n"
        ),
    );
    let (svg, width) = network::diagram(&explanation);
    section.figures.push(Figure {
        id: "chart-network".into(),
        caption: "Services coloured by offered load over capacity; arrows labelled with the share of patients leaving and patients a day (readmissions dashed).".into(),
        svg,
        max_width: Some(width),
    });
    let name = &report.result.names[0];
    let days = model.settings().horizon_days - model.settings().warmup_days;
    let measured =
        |service: &str, kpi: &str| report.summary(name, "service", service, kpi).copied();
    let mut table = String::from(
        "<div class=\"wide\"><table class=\"explanation\">\n<thead><tr><th>service</th><th class=\"text\">kind</th><th>capacity</th><th>expected arrivals a day</th><th>measured arrivals a day</th><th>mean stay (days)</th><th>offered load</th><th>measured mean occupancy</th><th>load ÷ capacity</th><th class=\"text\">flag</th></tr></thead>\n<tbody>\n",
    );
    for s in explanation.services() {
        let arrivals = measured(&s.name, "arrivals").map(|a| scaled(&a, 1.0 / days));
        let occupancy = if s.unit == crate::CapacityUnit::Hours {
            measured(&s.name, "mean_hours_used")
        } else {
            measured(&s.name, "mean_occupancy")
        };
        push(
            &mut table,
            format_args!(
                "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td>{}<td>{}</td><td class=\"text\">{}</td></tr>\n",
                escape(&s.name),
                s.kind.as_str(),
                escape(&explanation::capacity(s)),
                escape(&explanation::figure(s.arrivals_per_day)),
                arrivals.map_or_else(|| "<td></td>".into(), |a| cell(&a, 2)),
                s.mean_stay_days
                    .map_or_else(|| "-".into(), explanation::figure),
                escape(&explanation::amount(s.offered_load, s.unit)),
                occupancy.map_or_else(|| "<td></td>".into(), |o| cell(&o, 1)),
                escape(&explanation::ratio(s)),
                s.pressure().as_str(),
            ),
        );
    }
    table.push_str("</tbody>\n</table></div>\n");
    section.after.push_str(&table);
    let flags: Vec<String> = explanation
        .flagged()
        .filter_map(explanation::flag_text)
        .collect();
    let lists = [
        ("Flagged", flags),
        (
            "Contracts: who pays whom",
            explanation
                .contracts()
                .iter()
                .map(|c| format!("{} ({}): {}", c.name, c.kind.as_str(), c.summary))
                .collect(),
        ),
        ("Not counted", explanation.notes().to_vec()),
    ];
    for (heading, items) in lists {
        if items.is_empty() {
            continue;
        }
        push(
            &mut section.after,
            format_args!("<p><strong>{heading}</strong></p>\n<ul>\n"),
        );
        for item in items {
            push(
                &mut section.after,
                format_args!("<li>{}</li>\n", escape(&item)),
            );
        }
        section.after.push_str("</ul>\n");
    }
    section
}

fn occupancy_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let model = report.experiment.baseline();
    let name = &report.result.names[0];
    if report.result.names.len() > 1 {
        // With variants, each variant's panel holds the baseline too: the baseline's own
        // charts would only repeat it.
        if let Some(section) = beside_section(report)? {
            return Ok(Some(section));
        }
    }
    let charts = chart::occupancy(model, &report.result.results[0]);
    let mut section = Section {
        id: "occupancy".into(),
        title: "Occupancy over time".into(),
        grid: true,
        ..Section::default()
    };
    if charts.is_empty() {
        section.body = "<p class=\"note\">The daily series was not recorded (the scenario's <code>daily_series</code> setting is off in <code>settings.csv</code>), so there are no occupancy charts. Turn it on to see them.</p>\n".into();
        return Ok(Some(section));
    }
    push(
        &mut section.body,
        format_args!(
            "<p>Places occupied each day at each service{}: the line is the mean across {} replications, the band holds the middle 80% of replications (10th to 90th percentile), the red line is the capacity from <code>services.csv</code> and <code>calendar.csv</code>. The grey span is the warm-up, left out of every statistic.</p>\n",
            if report.result.names.len() > 1 {
                format!(" in <code>{}</code>", escape(name))
            } else {
                String::new()
            },
            report.result.replications()
        ),
    );
    for c in &charts {
        section.figures.push(Figure {
            id: format!("chart-occupancy-{}", slug(&c.service)),
            caption: format!(
                "{}: daily occupancy, {} replications.",
                escape(&c.service),
                c.replications
            ),
            svg: chart::render_occupancy(c, name)?,
            max_width: None,
        });
    }
    Ok(Some(section))
}

/// Why a daily chart is missing when the baseline has no daily series.
const NO_DAILY: &str = "The daily series was not recorded (the scenario's <code>daily_series</code> setting is off in <code>settings.csv</code>)";

/// A note naming the variants left out of the daily charts for want of a daily series.
fn missing_daily_note(report: &Report<'_>) -> String {
    let missing = chart::variants_without_daily(report);
    if missing.is_empty() {
        return String::new();
    }
    let names: Vec<String> = missing
        .iter()
        .map(|n| format!("<code>{}</code>", escape(n)))
        .collect();
    format!(
        "<p class=\"note\">Left out of these charts, because their daily series was not recorded (<code>daily_series</code> off): {}.</p>\n",
        names.join(", ")
    )
}

/// With variants: each variant's occupancy of each service beside the baseline's, in place
/// of the baseline's own occupancy charts; `None` when no variant has a daily series (the
/// baseline's charts, or the note why there are none, are shown instead).
fn beside_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let names = &report.result.names;
    let charts = chart::occupancy_beside(report);
    if charts.is_empty() {
        return Ok(None);
    }
    let mut section = Section {
        id: "occupancy".into(),
        title: "Occupancy over time".into(),
        ..Section::default()
    };
    push(
        &mut section.body,
        format_args!(
            "<p>Places occupied each day at each service in each variant (a panel per variant, in its colour) over <code>{}</code>'s (blue, in every panel): means across {} replications, the middle 80% of replications (10th to 90th percentile) shaded; the grey line is the baseline's capacity from <code>services.csv</code> and <code>calendar.csv</code>, dashed where the variant's differs. A service's panels share one scale. The grey span is the warm-up, left out of every statistic.</p>\n{}",
            escape(&names[0]),
            report.result.replications(),
            missing_daily_note(report)
        ),
    );
    for c in &charts {
        section.figures.push(Figure {
            id: format!("chart-occupancy-beside-{}", slug(&c.service)),
            caption: format!(
                "{}: daily occupancy of {} variant{} beside <code>{}</code>.",
                escape(&c.service),
                c.variants.len(),
                if c.variants.len() == 1 { "" } else { "s" },
                escape(&c.baseline.variant)
            ),
            svg: chart::render_beside(c, names)?,
            max_width: Some(chart::beside_size(c).0),
        });
    }
    Ok(Some(section))
}

/// Queue, delayed patients and patients awaiting funding over time, per service, in the
/// baseline and each variant.
fn flow_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let names = &report.result.names;
    let mut section = Section {
        id: "flow".into(),
        title: "Queues and delays over time".into(),
        ..Section::default()
    };
    let charts = chart::flows(report);
    if charts.is_empty() {
        push(
            &mut section.body,
            format_args!(
                "<p class=\"note\">{NO_DAILY}, so there are no charts of queues, delayed patients and patients awaiting funding over time. Turn it on to see them.</p>\n"
            ),
        );
        return Ok(Some(section));
    }
    let whose = if names.len() > 1 {
        format!(
            "in <code>{}</code> and each variant (a line each, in the colours of the comparison)",
            escape(&names[0])
        )
    } else {
        String::new()
    };
    push(
        &mut section.body,
        format_args!(
            "<p>Each day's mean number of patients queueing for a place at each service, of <strong>delayed</strong> patients (fit to move on, blocked in the service's beds for want of room onward) and of patients in its beds <strong>awaiting funding</strong> from a local authority for their next care{}{whose}: means across {} replications, the middle 80% of the baseline's replications shaded. Each panel has its own scale. A measure that was 0 every day of every replication has no panel.</p>\n{}",
            if whose.is_empty() { "" } else { ", " },
            report.result.replications(),
            missing_daily_note(report)
        ),
    );
    let quiet: Vec<String> = charts
        .iter()
        .filter(|c| c.panels.is_empty())
        .map(|c| format!("<code>{}</code>", escape(&c.service)))
        .collect();
    if !quiet.is_empty() {
        push(
            &mut section.body,
            format_args!(
                "<p class=\"small\">No chart for {}: nobody queued there, was delayed there or waited there for funding on any day of any replication.</p>\n",
                quiet.join(", ")
            ),
        );
    }
    for c in charts.iter().filter(|c| !c.panels.is_empty()) {
        let none: Vec<&str> = c.quiet.iter().map(|m| m.title()).collect();
        section.figures.push(Figure {
            id: format!("chart-flow-{}", slug(&c.service)),
            caption: format!(
                "{}: {} over time.{}",
                escape(&c.service),
                c.panels
                    .iter()
                    .map(|p| p.measure.title())
                    .collect::<Vec<_>>()
                    .join(", "),
                if none.is_empty() {
                    String::new()
                } else {
                    format!(" No panel for {}: 0 every day.", none.join(" or "))
                }
            ),
            svg: chart::render_flow(c, names)?,
            max_width: Some(chart::flow_size(c).0),
        });
    }
    Ok(Some(section))
}

fn delay_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let model = report.experiment.baseline();
    let reps = &report.result.results[0];
    let level = report.info.level;
    let pct = (level * 100.0).round();
    let window = chart::thousands(model.settings().horizon_days - model.settings().warmup_days);
    let mut section = Section {
        id: "delays".into(),
        title: "Delayed discharges".into(),
        ..Section::default()
    };
    let in_variant = if report.result.names.len() > 1 {
        format!(" (<code>{}</code>)", escape(&report.result.names[0]))
    } else {
        String::new()
    };
    let awaiting = chart::delays(model, reps, DelayGrouping::Awaiting, level);
    let held = chart::delays(model, reps, DelayGrouping::HeldAt, level);
    if awaiting.is_empty() {
        push(
            &mut section.body,
            format_args!(
                "<p class=\"note\">No patient was delayed in any replication{in_variant}: nobody fit to move on had to wait in a bed.</p>\n"
            ),
        );
        return Ok(Some(section));
    }
    push(
        &mut section.body,
        format_args!(
            "<p>Bed-days held by patients fit to move on who could not{in_variant}, over the {window}-day observation window, whatever they waited for: a place at the next service (the one that was full), a local authority's funding for it, or their needs assessment in the bed. By what they were waiting for and by the service whose bed they held. Bars are means across replications; whiskers are {pct}% confidence intervals.</p>\n"
        ),
    );
    section.body.push_str(&delay_reason_table(report));
    let y = format!("delayed bed-days in {window} days");
    section.figures.push(Figure {
        id: "chart-delays-awaiting".into(),
        caption:
            "Delayed bed-days by what was awaited: where the system is short of room, or of money."
                .into(),
        svg: chart::render_bars(
            "Delayed bed-days by what was awaited",
            "awaited: a place at a service, funding for it, or an assessment",
            &y,
            &awaiting,
        )?,
        max_width: Some(chart::WIDE_SIZE.0),
    });
    section.figures.push(Figure {
        id: "chart-delays-held".into(),
        caption: "Delayed bed-days by the service holding the bed: where the cost falls.".into(),
        svg: chart::render_bars(
            "Delayed bed-days by the service holding the bed",
            "service holding the bed",
            &y,
            &held,
        )?,
        max_width: Some(chart::WIDE_SIZE.0),
    });
    Ok(Some(section))
}

/// The split of each service's delayed bed-days by reason (baseline), when some patient
/// waited for more than a place; empty otherwise.
fn delay_reason_table(report: &Report<'_>) -> String {
    let services = report.delay_reasons();
    if services.is_empty() {
        return String::new();
    }
    let name = &report.result.names[0];
    let get = |service: &str, kpi: &str| {
        report
            .summary(name, "service", service, kpi)
            .expect("every reported statistic is summarised")
    };
    let mut out = String::from(
        "<table class=\"delay-reasons\">\n<thead><tr><th>service holding the bed</th><th>delayed bed-days</th><th>awaiting a place</th><th>awaiting funding</th><th>awaiting assessment</th></tr></thead>\n<tbody>\n",
    );
    for (service, _) in services {
        push(
            &mut out,
            format_args!(
                "<tr><td>{}</td>{}{}{}{}</tr>\n",
                escape(service),
                cell(get(service, "delayed_bed_days"), 0),
                cell(get(service, DELAY_REASON_KPIS[0]), 0),
                cell(get(service, DELAY_REASON_KPIS[1]), 0),
                cell(get(service, DELAY_REASON_KPIS[2]), 0),
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn wait_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let model = report.experiment.baseline();
    let histograms = chart::wait_histograms(model, &report.result.results[0]);
    let threshold = model.settings().wait_threshold_hours;
    let mut section = Section {
        id: "waits".into(),
        title: "Time in the emergency department".into(),
        ..Section::default()
    };
    if histograms.is_empty() {
        section.body = "<p class=\"note\">This scenario has no emergency department that patients arrive at (a service of kind <code>ed</code> in <code>services.csv</code> with an arrival stream), so there is no arrival-to-leaving chart.</p>\n".into();
        return Ok(Some(section));
    }
    push(
        &mut section.body,
        format_args!(
            "<p>Time from arrival to leaving{}, all replications' patients together, in 15-minute bins: the {threshold}-hour measure. It counts the patients who left in the observation window; patients still in the department when the run ended have no time yet and are not counted (each chart says how many there were). Bins past the threshold are red; the last bin holds every stay of 24 hours or more.</p>\n",
            if report.result.names.len() > 1 {
                format!(" in <code>{}</code>", escape(&report.result.names[0]))
            } else {
                String::new()
            }
        ),
    );
    for h in &histograms {
        section.figures.push(Figure {
            id: format!("chart-waits-{}", slug(&h.service)),
            caption: format!(
                "{}: {:.1}% of the {} patients who left spent over {threshold} hours from arrival to leaving ({}).",
                escape(&h.service),
                h.share_over() * 100.0,
                chart::thousands(h.patients as f64),
                escape(&h.counted_text())
            ),
            svg: chart::render_histogram(h)?,
            max_width: Some(chart::WIDE_SIZE.0),
        });
    }
    Ok(Some(section))
}

/// Money, when the scenario books any: the baseline's income, spending and surplus by
/// organisation (a table and a chart), and with variants each variant's change in surplus.
fn money_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    let names = &report.result.names;
    let Some(money) = chart::money(report, &names[0]) else {
        return Ok(None);
    };
    let pct = (report.info.level * 100.0).round();
    let period = money.period();
    let days = chart::thousands(money.days_observed);
    let whole = if money.years.len() > 1 {
        format!("over the whole observation window, {period} ({days} days observed)")
    } else {
        format!("in {period} ({days} days observed)")
    };
    let mut section = Section {
        id: "money".into(),
        title: "Money".into(),
        ..Section::default()
    };
    let in_variant = if names.len() > 1 {
        format!(" in <code>{}</code>", escape(&names[0]))
    } else {
        String::new()
    };
    push(
        &mut section.body,
        format_args!(
            "<p>Each organisation's money{in_variant} {whole}, in pounds: <strong>income</strong> is everything it received (funding from outside the system, and payments from other organisations under its contracts), <strong>spending</strong> everything it paid (the cost of the care it provides, and payments to other organisations), and <strong>surplus</strong> income less spending (below zero, a deficit). Means across {} replications ± the half-width of the {pct}% confidence interval.</p>\n",
            report.result.replications()
        ),
    );
    let largest = money
        .rows
        .iter()
        .flat_map(|r| [r.income.mean, r.spending.mean, r.surplus.mean])
        .chain([money.system_funding.mean, money.system_surplus.mean])
        .fold(0.0_f64, |a, b| a.max(b.abs()));
    let unit = chart::MoneyUnit::for_amount(largest);
    let digits = if unit.divisor == 1.0 { 0 } else { 2 };
    let money_cell = |s: &Summary| {
        let scaled = Summary {
            mean: s.mean / unit.divisor,
            sd: s.sd / unit.divisor,
            half_width: s.half_width.map(|h| h / unit.divisor),
            ..*s
        };
        cell(&scaled, digits)
    };
    push(
        &mut section.body,
        format_args!(
            "<table class=\"money\">\n<thead><tr><th>organisation</th><th>income ({u})</th><th>spending ({u})</th><th>surplus ({u})</th></tr></thead>\n<tbody>\n",
            u = unit.name()
        ),
    );
    for r in &money.rows {
        push(
            &mut section.body,
            format_args!(
                "<tr><td>{}</td>{}{}{}</tr>\n",
                escape(&r.organisation),
                money_cell(&r.income),
                money_cell(&r.spending),
                money_cell(&r.surplus)
            ),
        );
    }
    push(
        &mut section.body,
        format_args!(
            "<tr><td>{} (outside funding less providers&#39; costs)</td>{}<td></td>{}</tr>\n</tbody>\n</table>\n",
            chart::WHOLE_SYSTEM,
            money_cell(&money.system_funding),
            money_cell(&money.system_surplus)
        ),
    );
    push(
        &mut section.body,
        format_args!(
            "<p class=\"small\">Every payment between organisations is booked twice, as one&#39;s income and the other&#39;s spending, so payments between organisations net to zero in the system: summed over both sides they come to £{} (mean across replications; the <code>unbalanced_transfers</code> statistic of <code>finance.csv</code>), and the system&#39;s surplus, {}, is its outside funding less its providers&#39; costs. Contracts move money between organisations; only care and capacity change the system&#39;s total.</p>\n",
            grouped(money.unbalanced_transfers.mean, 0).trim_start_matches('−'),
            chart::money_text(money.system_surplus.mean, false)
        ),
    );
    section.body.push_str(&care_budget_table(report));
    section.figures.push(Figure {
        id: "chart-money".into(),
        caption: format!(
            "Income, spending and surplus by organisation{in_variant}, {}: means with {pct}% confidence intervals. The surplus is drawn on its own scale below.",
            escape(&period)
        ),
        svg: chart::render_money(&money)?,
        max_width: Some(chart::money_size(&money).0),
    });
    let rows = chart::money_forest(report);
    if !rows.is_empty() {
        push(
            &mut section.body,
            format_args!(
                "<p>The second chart gives each variant&#39;s change in surplus from <code>{}</code> {whole}, one panel per organisation and one for the whole system, all on one scale: the paired difference across replications in pounds (not %: a surplus near zero makes percentages meaningless), the dot its mean, the whiskers its {pct}% confidence interval (filled dot: the interval excludes 0). Right of the line, the organisation ends the period better off than in the baseline.</p>\n",
                escape(&names[0])
            ),
        );
        section.figures.push(Figure {
            id: "chart-money-forest".into(),
            caption: format!(
                "Change in surplus from the baseline by organisation, {}, £ (paired differences).",
                escape(&period)
            ),
            svg: chart::render_money_forest(&rows, names, &period)?,
            max_width: Some(chart::forest_width(&rows)),
        });
    }
    let Some(spread) = chart::surplus_spread(report) else {
        return Ok(Some(section));
    };
    let (risk_text, rough) = report.risk_preamble();
    push(
        &mut section.body,
        format_args!(
            "<p>Risk, not just means: the last chart shows each organisation&#39;s surplus {whole} in every one of the {} replications, per variant, with the line at £0 below which it ends in deficit; the figure over each column is the <strong>probability of deficit, over {} replications</strong>, and the bar spans the 5th to 95th percentiles with the mean across it. A contract that moves risk to an organisation widens its column or pushes it below the line. In full: {}. The interval of each probability and the probability of being worse off than under <code>{}</code> (paired by replication) are in <code>finance.csv</code> (<code>p_below_zero</code>, <code>difference_p_below_zero</code>) and the printed summary.</p>\n",
            spread.replications,
            spread.replications,
            escape(&risk_text),
            escape(&names[0])
        ),
    );
    if let Some(rough) = rough {
        push(
            &mut section.body,
            format_args!(
                "<div class=\"note warnings\"><strong>Warning</strong>: {}.</div>\n",
                escape(&rough)
            ),
        );
    }
    if !report.control_totals().is_empty() {
        push(
            &mut section.body,
            format_args!(
                "<p>Control totals are drawn as their headroom, the limit less the members&#39; spending (their costs and payments net of payments between them): below £0, a breach; the figure over each column is then the probability of a breach.</p>\n"
            ),
        );
    }
    section.body.push_str(&risk_table(report));
    section.figures.push(Figure {
        id: "chart-surplus-spread".into(),
        caption: format!(
            "Surplus by organisation in each replication, per variant, {}: dots one per replication, bar the 5th to 95th percentile, probability of deficit over each column.",
            escape(&period)
        ),
        svg: chart::render_surplus_spread(&spread, names)?,
        max_width: Some(chart::spread_size(&spread, names).0),
    });
    Ok(Some(section))
}

/// The probability of a deficit of each organisation (and of a breach of each control total)
/// in each financial year, per variant, with its interval; with variants, the probability of
/// being worse off than the baseline under it.
fn risk_table(report: &Report<'_>) -> String {
    let names = &report.result.names;
    let pct = (report.info.level * 100.0).round();
    let mut out = format!(
        "<p>Probability of deficit, over {} replications, with its {pct}% Wilson interval{}; for a control total, the probability of a breach.</p>\n<div class=\"wide\"><table class=\"risk\">\n<thead><tr><th>organisation</th><th class=\"text\">year</th>",
        report.result.replications(),
        if names.len() > 1 {
            " (below it, for each variant, the probability of being worse off than under the baseline, paired by replication)"
        } else {
            ""
        }
    );
    for name in names {
        push(&mut out, format_args!("<th>{}</th>", escape(name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let subjects = report
        .ledger_organisations()
        .into_iter()
        .map(|o| (o, "surplus", o.to_string()))
        .chain(report.control_totals().into_iter().map(|t| {
            (
                t,
                super::CONTROL_TOTAL_KPIS[2],
                format!("control total {t} (breach)"),
            )
        }));
    for (subject, kpi, label) in subjects {
        for year in report.financial_years() {
            push(
                &mut out,
                format_args!(
                    "<tr><td>{}</td><td class=\"text\">{}</td>",
                    escape(&label),
                    escape(year)
                ),
            );
            for name in names {
                let risk = report.finance_risk(name, year, subject, kpi);
                let worse = report
                    .finance_comparison_risk(name, year, subject, kpi)
                    .map(|r| {
                        format!(
                            "<br><span class=\"small\">worse off: {}</span>",
                            probability_text(r)
                        )
                    })
                    .unwrap_or_default();
                push(
                    &mut out,
                    format_args!(
                        "<td>{}{worse}</td>",
                        risk.map_or_else(String::new, probability_text)
                    ),
                );
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// Each local authority's care budget in each financial year observed: the baseline's
/// budget, committed and left, and what each variant had left; empty without care budgets.
fn care_budget_table(report: &Report<'_>) -> String {
    let organisations = report.care_budget_organisations();
    if organisations.is_empty() {
        return String::new();
    }
    let names = &report.result.names;
    let mut out = String::from(
        "<p>Care budgets: a local authority cannot overspend, so a package or placement its budget cannot commit to the year&#39;s end waits (delayed, awaiting funding). For each whole financial year, the budget, what was committed to packages and placements (at the year&#39;s end, what they cost; for the last year, to its end for those still running) and what was left, £.</p>\n<div class=\"wide\"><table class=\"care-budget\">\n<thead><tr><th>local authority</th><th class=\"text\">year</th><th>budget</th><th>committed</th><th>left</th>",
    );
    for variant in &names[1..] {
        push(
            &mut out,
            format_args!("<th>left in {}</th>", escape(variant)),
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for organisation in organisations {
        for year in report.financial_years() {
            let get = |variant: &str, kpi: &str| {
                report
                    .finance(variant, year, organisation, kpi)
                    .map_or_else(|| "<td></td>".to_string(), |s| cell(s, 0))
            };
            push(
                &mut out,
                format_args!(
                    "<tr><td>{}</td><td class=\"text\">{}</td>{}{}{}",
                    escape(organisation),
                    escape(year),
                    get(&names[0], CARE_BUDGET_KPIS[0]),
                    get(&names[0], CARE_BUDGET_KPIS[1]),
                    get(&names[0], CARE_BUDGET_KPIS[2]),
                ),
            );
            for variant in &names[1..] {
                out.push_str(&get(variant, CARE_BUDGET_KPIS[2]));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

fn comparison_section(report: &Report<'_>) -> Result<Option<Section>, DrawError> {
    if report.result.names.len() < 2 {
        return Ok(None);
    }
    let rows = chart::forest(report);
    let mut section = Section {
        id: "comparison".into(),
        title: "Policy comparison".into(),
        ..Section::default()
    };
    let pct = (report.info.level * 100.0).round();
    if rows.is_empty() {
        section.body = "<p class=\"note\">No headline statistic could be compared: the variants share none with the baseline.</p>\n".into();
        return Ok(Some(section));
    }
    push(
        &mut section.body,
        format_args!(
            "<p>Each variant's paired difference from <code>{}</code> in headline statistics, one panel per statistic, each on its own scale and in its own unit (so that a large change in one does not flatten the others; compare the panels by the numbers, not by the lengths); the dot is the mean difference across replications, the whiskers its {pct}% confidence interval (filled dot: the interval excludes 0). Left of the line is less than the baseline. At the right of each line, the mean difference and, where the baseline's mean is not 0, the change in % of it. The table above gives the same differences.</p>\n",
            escape(&report.result.names[0]),
        ),
    );
    let svg = chart::render_forest(&rows, &report.result.names)?;
    section.figures.push(Figure {
        id: "chart-forest".into(),
        caption: format!(
            "Paired differences from the baseline in {} headline statistics, each in its own unit, with {pct}% confidence intervals.",
            chart::by_label(&rows).len()
        ),
        svg,
        max_width: Some(chart::forest_width(&rows)),
    });
    Ok(Some(section))
}

const STYLE: &str = r#"
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;background:#fff;max-width:1240px;margin:0 auto;padding:20px 28px 40px;line-height:1.45}
h1{font-size:1.75em;margin:0 0 .25em}
h2{font-size:1.3em;margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #1f77b4}
p{max-width:960px}
.meta{color:#444;margin:.15em 0}
.small{font-size:.85em;color:#555}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:8px 12px}
nav{margin:.8em 0 0}
nav a{margin-right:1.2em;color:#1f5f99}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em;background:#f3f4f6;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;margin:.7em 0 1em;font-size:.9em;font-variant-numeric:tabular-nums}
th,td{padding:4px 10px;border-bottom:1px solid #e2e2e2;text-align:right;white-space:nowrap}
th{white-space:normal;vertical-align:bottom}
th .sub{font-weight:400;color:#555}
.wide{overflow-x:auto}
th:first-child,td:first-child,th.text,td.text{text-align:left}
thead th{background:#f1f4f8;border-bottom:2px solid #9aa5b1;font-weight:600}
td.sig{font-weight:700}
tr.chosen td{font-weight:700;background:#eef6ee}
details{margin:.5em 0 1em}
summary{cursor:pointer;color:#1f5f99}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px 22px}
figure.chart{margin:0 0 20px}
figure.chart svg{display:block;width:100%;height:auto;border:1px solid #e6e6e6}
figcaption{font-size:.85em;color:#555;margin-top:4px}
footer{margin-top:2.5em;font-size:.8em;color:#666;border-top:1px solid #ddd;padding-top:.6em}
@media print{figure.chart{break-inside:avoid}nav{display:none}}
"#;

/// Checks each chart on load: drawn at a real size, with at least its expected number of data
/// marks (elements in its data colours with a non-empty box). Writes the result to
/// `body[data-charts-ok]` ("ok/total") and `#render-check`, the page height to
/// `body[data-page-height]` and each chart's box on the page with its data colours to
/// `body[data-chart-boxes]` ("id x y width height colours;…"), so that
/// `scripts/check_report.sh` can also look for the data colours in a screenshot. The page does
/// not need it.
const CHECK_SCRIPT: &str = r#"
(function () {
  var figures = document.querySelectorAll('figure.chart');
  var ok = 0, lines = [], boxes = [];
  for (var i = 0; i < figures.length; i++) {
    var f = figures[i], svg = f.querySelector('svg');
    var colours = (f.getAttribute('data-colours') || '').split(' ').filter(Boolean);
    var need = parseInt(f.getAttribute('data-marks') || '1', 10);
    var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    var shapes = svg ? svg.querySelectorAll('path,rect,line,polyline,polygon,circle,text') : [];
    var marks = 0;
    for (var j = 0; j < shapes.length; j++) {
      var e = shapes[j], paint = (e.getAttribute('fill') || '') + ' ' + (e.getAttribute('stroke') || '');
      var coloured = colours.some(function (c) { return paint.indexOf(c) >= 0; });
      if (!coloured) continue;
      var b = e.getBBox();
      if (b.width > 0 || b.height > 0) marks++;
    }
    var good = box.width >= 200 && box.height >= 100 && shapes.length > 0 && marks >= Math.max(need, 1);
    if (good) ok++;
    boxes.push([f.id, Math.round(box.left + window.scrollX), Math.round(box.top + window.scrollY),
                Math.round(box.width), Math.round(box.height), colours.join(',')].join(' '));
    lines.push(f.id + ': ' + (good ? 'ok' : 'FAILED') + ' (' + Math.round(box.width) + 'x' + Math.round(box.height) + ' px, ' + shapes.length + ' shapes, ' + marks + ' data marks, ' + need + ' expected)');
  }
  document.body.setAttribute('data-charts-ok', ok + '/' + figures.length);
  document.body.setAttribute('data-page-height', String(Math.ceil(document.documentElement.scrollHeight)));
  document.body.setAttribute('data-chart-boxes', boxes.join(';'));
  document.getElementById('render-check').textContent = 'render check: ' + ok + '/' + figures.length + ' charts drawn\n' + lines.join('\n');
})();
"#;

#[cfg(test)]
mod tests {
    use super::{escape, grouped, slug};

    #[test]
    fn text_is_escaped_and_numbers_grouped() {
        assert_eq!(escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
        assert_eq!(slug("home care/ä"), "home_care__");
        assert_eq!(grouped(177449.4, 0), "177,449");
        assert_eq!(grouped(1844.66, 1), "1,844.7");
        assert_eq!(grouped(-2927.0, 0), "−2,927");
        assert_eq!(grouped(-0.0001, 2), "0.00");
        assert_eq!(grouped(0.3913, 4), "0.3913");
    }
}
