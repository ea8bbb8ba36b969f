//! The fit report: what a scenario fitted from an extract of episodes rests on, as one
//! self-contained HTML page like the run report: the warnings, the arrival streams, each
//! (class, service)'s stays observed against fitted (distribution and Q–Q plot) with every
//! family's parameters and intervals, and the routes.

use super::{Figure, Section, document, escape, push, slug};
use crate::fit::{Estimate, ScenarioFit};
use crate::report::chart::{self, DrawError};

/// A number to four significant digits.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let digits = if x == 0.0 {
        0
    } else {
        (3 - x.abs().log10().floor() as i32).clamp(0, 8) as usize
    };
    format!("{x:.digits$}")
}

/// An estimate with its interval.
fn estimate(e: &Estimate) -> String {
    if e.low.is_finite() && e.high.is_finite() {
        format!("{} ({} to {})", short(e.value), short(e.low), short(e.high))
    } else {
        format!("{} (no interval)", short(e.value))
    }
}

/// The whole page.
pub(crate) fn page(fit: &ScenarioFit, source: &str) -> Result<String, DrawError> {
    let (start, end) = fit.window;
    let mut sections = Vec::new();

    let mut body = String::new();
    if fit.warnings.is_empty() {
        body.push_str("<p>None: every (class, service) and stream has at least 30 episodes, and every chosen family passes its check.</p>\n");
    } else {
        body.push_str("<ul>\n");
        for w in &fit.warnings {
            push(&mut body, format_args!("<li>{}</li>\n", escape(w)));
        }
        body.push_str("</ul>\n");
    }
    sections.push(Section {
        id: "warnings".into(),
        title: "Warnings".into(),
        body,
        ..Section::default()
    });

    let mut body = String::from(
        "<p>Poisson streams: arrivals a day with exact 95% intervals; a profile is written where Pearson's chi-square test rejects a flat one at the 1% level (p-values below; empty: too few arrivals to test).</p>\n<table>\n<tr><th>stream</th><th>class</th><th>service</th><th>arrivals</th><th>a day</th><th>p hours</th><th>p weekdays</th><th>p months</th></tr>\n",
    );
    let p = |x: Option<f64>, used: bool| {
        x.map_or(String::new(), |x| {
            format!("{}{}", short(x), if used { " (used)" } else { "" })
        })
    };
    for s in &fit.streams {
        push(
            &mut body,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&s.id),
                escape(&s.class),
                escape(&s.service),
                s.arrivals,
                estimate(&s.rate),
                p(s.hours_p, s.hours.is_some()),
                p(s.weekdays_p, s.weekdays.is_some()),
                p(s.months_p, s.months.is_some()),
            ),
        );
    }
    body.push_str("</table>\n");
    sections.push(Section {
        id: "arrivals".into(),
        title: "Arrival streams".into(),
        body,
        ..Section::default()
    });

    for f in &fit.stays {
        let c = chart::stay_chart(f);
        let id = format!("stays-{}-{}", slug(&f.class), slug(&f.service));
        let figures = vec![
            Figure {
                id: format!("chart-{id}-distribution"),
                caption: "Share of stays ended by each day: observed (Kaplan–Meier, counting stays still open) and fitted.".into(),
                svg: chart::render_distribution(&c)?,
                max_width: None,
            },
            Figure {
                id: format!("chart-{id}-qq"),
                caption: "Observed against fitted quantiles at each observed step: on the line where the fit is exact.".into(),
                svg: chart::render_quantiles(&c)?,
                max_width: None,
            },
        ];
        let mut after = format!(
            "<p>{} episodes: {} ended ({} of length 0, counted as under a minute), {} still open (censored).</p>\n<table>\n<tr><th>family</th><th>AIC</th><th>KS distance</th><th>mean, days</th><th>parameters (95% intervals)</th></tr>\n",
            f.episodes, f.ended, f.zero, f.censored
        );
        for (family, result) in &f.families {
            let chosen = f.best().is_some_and(|b| b.family == *family);
            let name = if chosen {
                format!("<strong>{} (chosen)</strong>", family.as_str())
            } else {
                family.as_str().to_owned()
            };
            match result {
                Ok(r) => {
                    let parameters: Vec<String> = r
                        .parameters
                        .iter()
                        .map(|(n, e)| format!("{n} {}", estimate(e)))
                        .collect();
                    push(
                        &mut after,
                        format_args!(
                            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            short(r.aic),
                            short(r.ks),
                            estimate(&r.mean),
                            parameters.join("; ")
                        ),
                    );
                }
                Err(why) => push(
                    &mut after,
                    format_args!(
                        "<tr><td>{name}</td><td colspan=\"4\">not fitted: {}</td></tr>\n",
                        escape(&format!("{why:?}"))
                    ),
                ),
            }
        }
        after.push_str("</table>\n");
        if f.best().is_none() {
            after.push_str(
                "<p>No family fitted well: the observed stays are resampled (empirical).</p>\n",
            );
        }
        sections.push(Section {
            id,
            title: format!("Stays: {} at {}", f.class, f.service),
            body: String::new(),
            figures,
            grid: true,
            after,
        });
    }

    let mut body = String::from(
        "<table>\n<tr><th>class</th><th>from</th><th>to</th><th>episodes</th><th>of</th><th>share (Wilson 95% interval)</th></tr>\n",
    );
    for r in &fit.routes {
        push(
            &mut body,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&r.class),
                escape(&r.service),
                escape(&r.next),
                r.count,
                r.total,
                estimate(&r.probability)
            ),
        );
    }
    body.push_str("</table>\n");
    sections.push(Section {
        id: "routes".into(),
        title: "Routes".into(),
        body,
        ..Section::default()
    });

    let title = "careflow fit report".to_owned();
    let header = format!(
        "<p>Fitted from <code>{}</code>: the extract from {start} to {end}; {} patients still in at its end.</p>\n",
        escape(source),
        fit.census.len()
    );
    let footer = format!(
        "Made by careflow {}. Lengths of stay by maximum likelihood with right-censoring (and left-truncation of stays in progress at the start); intervals from the observed information by the delta method; KS distance against the Kaplan–Meier estimate.",
        env!("CARGO_PKG_VERSION")
    );
    Ok(document(&title, &header, &sections, &footer))
}
