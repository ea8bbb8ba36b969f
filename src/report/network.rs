//! An [`Explanation`] drawn as an SVG network diagram.
//!
//! Services are boxes, coloured by load over capacity, with their kind, capacity, offered
//! load and arrivals a day; flows are arrows labelled with their share of the patients leaving
//! and patients a day (readmissions dashed); arrows from above bring arrivals from outside and
//! short arrows leave for exits. The layout is deterministic: services in layers by their
//! distance (in moves) from the entry services, services nobody reaches in a last layer, and
//! within each layer ordered to reduce crossings by barycentre sweeps (each service placed at
//! the mean position of its neighbours in the layer before, then after), ties kept in id
//! order.

use super::chart::Svg;
use super::explanation::{amount, capacity, figure, ratio};
use super::html::escape;
use crate::explain::{Explanation, FlowKind, Pressure};
use crate::{Error, ServiceId};
use std::fmt::Write;
use std::path::{Path, PathBuf};

const BOX_WIDTH: f64 = 200.0;
const BOX_HEIGHT: f64 = 76.0;
const GAP_X: f64 = 110.0;
const GAP_Y: f64 = 130.0;
const MARGIN: f64 = 30.0;
/// Room above the first layer for the arrows from outside.
const TOP: f64 = 70.0;
/// Room below the last layer for exits and the legend.
const BOTTOM: f64 = 150.0;
/// Room right of the last box for its exit arrow and label.
const EXIT_ROOM: f64 = 80.0;
/// Space between the lanes of flows drawn back up the diagram.
const LANE: f64 = 14.0;
/// Room for the labels of flows drawn back up the diagram.
const LABEL_ROOM: f64 = 190.0;
/// Barycentre sweeps (each down then up).
const SWEEPS: usize = 4;

/// Box outline colours by pressure: the diagram's data colours.
fn colours(p: Pressure) -> (&'static str, &'static str) {
    match p {
        Pressure::Fine => ("#59A14F", "#E3F1DF"),
        Pressure::High => ("#F28E2B", "#FDEBD3"),
        Pressure::Unstable => ("#E15759", "#F9DADA"),
        Pressure::Unreached => ("#9D9D9D", "#F1F1F1"),
    }
}
const ROUTE: &str = "#4E5D6C";
const READMISSION: &str = "#8C6BB1";

/// Layers of service indices, each ordered, as described in the module docs.
pub(crate) fn layers(e: &Explanation) -> Vec<Vec<usize>> {
    let n = e.services().len();
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut led_to = vec![false; n];
    for f in e.flows() {
        if let Some(to) = f.to
            && to != f.from
        {
            next[f.from.index()].push(to.index());
            led_to[to.index()] = true;
        }
    }
    // Breadth-first from the entry services no other service leads to (all of them if every
    // one is led to): an entry that others feed, like a ward taking electives and admissions
    // from the emergency department, sits below them.
    let entries: Vec<usize> = e
        .entries()
        .iter()
        .flat_map(|entry| std::iter::once(entry.service).chain(entry.step_up.iter().copied()))
        .map(ServiceId::index)
        .collect();
    let mut frontier: Vec<usize> = entries.iter().copied().filter(|&s| !led_to[s]).collect();
    if frontier.is_empty() {
        frontier = entries;
    }
    frontier.sort_unstable();
    frontier.dedup();
    let mut layer: Vec<Option<usize>> = vec![None; n];
    for &s in &frontier {
        layer[s] = Some(0);
    }
    let mut depth = 0;
    while !frontier.is_empty() {
        depth += 1;
        let mut reached = Vec::new();
        for &s in &frontier {
            for &t in &next[s] {
                if layer[t].is_none() {
                    layer[t] = Some(depth);
                    reached.push(t);
                }
            }
        }
        reached.sort_unstable();
        frontier = reached;
    }
    // Services with arrivals the search missed (reached only through one it missed) go first.
    let layer: Vec<usize> = layer.into_iter().map(|l| l.unwrap_or(0)).collect();
    let reached = |s: usize| e.services()[s].arrivals_per_day > 0.0;
    let deepest = (0..n)
        .filter(|&s| reached(s))
        .map(|s| layer[s] + 1)
        .max()
        .unwrap_or(0);
    let unreached = (0..n).any(|s| !reached(s));
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); deepest + usize::from(unreached)];
    for s in 0..n {
        layers[if reached(s) { layer[s] } else { deepest }].push(s);
    }
    // Neighbours by any flow, either way.
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for f in e.flows() {
        if let Some(to) = f.to
            && to != f.from
        {
            neighbours[f.from.index()].push(to.index());
            neighbours[to.index()].push(f.from.index());
        }
    }
    for _ in 0..SWEEPS {
        for l in 1..layers.len() {
            order_by(&mut layers, l, l - 1, &neighbours);
        }
        for l in (0..layers.len().saturating_sub(1)).rev() {
            order_by(&mut layers, l, l + 1, &neighbours);
        }
    }
    layers
}

/// Orders layer `l` by the mean position of each service's neighbours in layer `by`; a
/// service with none there keeps its position. Stable, so ties keep their order.
fn order_by(layers: &mut [Vec<usize>], l: usize, by: usize, neighbours: &[Vec<usize>]) {
    let position = |s: usize| layers[by].iter().position(|&t| t == s);
    let keyed: Vec<(f64, usize)> = layers[l]
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let at: Vec<f64> = neighbours[s]
                .iter()
                .filter_map(|&t| position(t))
                .map(|p| p as f64)
                .collect();
            let key = if at.is_empty() {
                i as f64
            } else {
                at.iter().sum::<f64>() / at.len() as f64
            };
            (key, s)
        })
        .collect();
    let mut keyed = keyed;
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    layers[l] = keyed.into_iter().map(|(_, s)| s).collect();
}

/// A number for SVG coordinates.
fn c(x: f64) -> String {
    format!("{x:.1}")
}

/// The name cut to fit the box.
fn fit(name: &str, most: usize) -> String {
    if name.chars().count() <= most {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(most - 1).collect();
        format!("{cut}…")
    }
}

/// The diagram, with the colours of its service boxes for the report's render check, and its
/// width in pixels.
pub(crate) fn diagram(e: &Explanation) -> (Svg, u32) {
    let layers = layers(e);
    let widest = layers.iter().map(Vec::len).max().unwrap_or(1).max(2) as f64;
    let content = 2.0 * MARGIN + widest * BOX_WIDTH + (widest - 1.0) * GAP_X;
    let height = TOP + layers.len() as f64 * (BOX_HEIGHT + GAP_Y) - GAP_Y + BOTTOM;
    // Top-left corner of each service's box.
    let mut at = vec![(0.0, 0.0); e.services().len()];
    for (l, layer) in layers.iter().enumerate() {
        let row = layer.len() as f64 * BOX_WIDTH + (layer.len() as f64 - 1.0) * GAP_X;
        let left = (content - row) / 2.0;
        for (i, &s) in layer.iter().enumerate() {
            at[s] = (
                left + i as f64 * (BOX_WIDTH + GAP_X),
                TOP + l as f64 * (BOX_HEIGHT + GAP_Y),
            );
        }
    }
    // Flows back up the diagram run through a gutter on the right, each in its own lane,
    // their labels beyond the lanes.
    let upward: Vec<usize> = e
        .flows()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.to.is_some_and(|t| at[t.index()].1 < at[f.from.index()].1))
        .map(|(k, _)| k)
        .collect();
    let lanes = content + EXIT_ROOM;
    let labels_x = lanes + 20.0 + LANE * upward.len() as f64;
    let width = if upward.is_empty() {
        lanes
    } else {
        labels_x + LABEL_ROOM
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">",
        w = c(width),
        h = c(height)
    );
    let _ = writeln!(
        out,
        "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#FFFFFF\"/>",
        c(width),
        c(height)
    );
    // Arrivals from outside: above the middle of the box in the first layer; lower down,
    // at its left, out of the way of flows arriving from above.
    for entry in e.entries() {
        let (x, y) = at[entry.service.index()];
        let total = entry.streams_per_day + entry.electives_per_day;
        let label = format!("{} a day from outside", figure(total));
        let cx = if y <= TOP {
            let cx = x + BOX_WIDTH / 2.0;
            text(&mut out, (cx, y - 54.0), "middle", &label, "#222");
            cx
        } else {
            let cx = x + 16.0;
            text(&mut out, (cx - 6.0, y - 24.0), "end", &label, "#222");
            cx
        };
        arrow(&mut out, (cx, y - 48.0), (cx, y), ROUTE, false);
        for &s in &entry.step_up {
            let (sx, sy) = at[s.index()];
            let from = (cx + 20.0, y - 30.0);
            arrow(
                &mut out,
                from,
                (sx + BOX_WIDTH / 2.0 - 20.0, sy),
                ROUTE,
                true,
            );
        }
    }
    // Flows: between services, then exits.
    let routes_out = |s: usize| {
        let mut v: Vec<usize> = e
            .flows()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.from.index() == s && f.to.is_some_and(|t| t.index() != s))
            .map(|(k, _)| k)
            .collect();
        v.sort_by(|&a, &b| {
            let x = |k: usize| at[e.flows()[k].to.map_or(0, ServiceId::index)].0;
            x(a).total_cmp(&x(b))
        });
        v
    };
    let routes_in = |s: usize| {
        let mut v: Vec<usize> = e
            .flows()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.to.is_some_and(|t| t.index() == s) && f.from.index() != s)
            .map(|(k, _)| k)
            .collect();
        v.sort_by(|&a, &b| {
            let x = |k: usize| at[e.flows()[k].from.index()].0;
            x(a).total_cmp(&x(b))
        });
        v
    };
    let mut start = vec![(0.0, 0.0); e.flows().len()];
    let mut end = vec![(0.0, 0.0); e.flows().len()];
    for (s, &(x, y)) in at.iter().enumerate() {
        let outs = routes_out(s);
        for (i, &k) in outs.iter().enumerate() {
            let share = (i + 1) as f64 / (outs.len() + 1) as f64;
            start[k] = (x + BOX_WIDTH * share, y + BOX_HEIGHT);
        }
        let ins = routes_in(s);
        for (i, &k) in ins.iter().enumerate() {
            let share = (i + 1) as f64 / (ins.len() + 1) as f64;
            end[k] = (x + BOX_WIDTH * share, y);
        }
    }
    let mut label_ys: Vec<f64> = Vec::new();
    for (k, f) in e.flows().iter().enumerate() {
        let colour = match f.kind {
            FlowKind::Route => ROUTE,
            FlowKind::Readmission => READMISSION,
        };
        let dashed = f.kind == FlowKind::Readmission;
        let label = format!("{:.0}% · {}/d", f.probability * 100.0, figure(f.per_day));
        let (x, y) = at[f.from.index()];
        match f.to {
            None => {
                // Out to the right, into the gap beside the box.
                let from = (x + BOX_WIDTH, y + BOX_HEIGHT / 2.0);
                let to = (x + BOX_WIDTH + 30.0, y + BOX_HEIGHT / 2.0);
                arrow(&mut out, from, to, colour, dashed);
                let share = format!("exit {:.0}%", f.probability * 100.0);
                text(&mut out, (to.0 + 4.0, to.1 - 2.0), "start", &share, "#444");
                let per_day = format!("{}/d", figure(f.per_day));
                text(
                    &mut out,
                    (to.0 + 4.0, to.1 + 12.0),
                    "start",
                    &per_day,
                    "#444",
                );
            }
            Some(to) if to == f.from => {
                // A new stay in the same place: a loop on the box's left side.
                let (lx, ly) = (x, y + BOX_HEIGHT / 2.0);
                curve(
                    &mut out,
                    &[
                        (lx, ly - 12.0),
                        (lx - 40.0, ly - 30.0),
                        (lx - 40.0, ly + 30.0),
                        (lx, ly + 12.0),
                    ],
                    colour,
                    dashed,
                );
                text(&mut out, (lx - 44.0, ly + 4.0), "end", &label, colour);
            }
            Some(target) => {
                let (from, to) = (start[k], end[k]);
                let target_y = at[target.index()].1;
                if target_y > y {
                    arrow(&mut out, from, to, colour, dashed);
                    let middle = (
                        from.0 + (to.0 - from.0) * 0.45,
                        from.1 + (to.1 - from.1) * 0.45,
                    );
                    text(
                        &mut out,
                        (middle.0 + 4.0, middle.1),
                        "start",
                        &label,
                        colour,
                    );
                } else if target_y == y {
                    // Across the layer: an arc dipping below the boxes, deeper the further it
                    // goes so that arcs nest.
                    let (tx, _) = at[target.index()];
                    let right = tx > x;
                    let sx = x + BOX_WIDTH * if right { 0.8 } else { 0.2 };
                    let ex = tx + BOX_WIDTH * if right { 0.2 } else { 0.8 };
                    let sy = y + BOX_HEIGHT;
                    let span = ((tx - x).abs() / (BOX_WIDTH + GAP_X)).round();
                    let dip = 30.0 + 22.0 * span + if right { 0.0 } else { 11.0 };
                    curve(
                        &mut out,
                        &[(sx, sy), (sx, sy + dip), (ex, sy + dip), (ex, sy)],
                        colour,
                        dashed,
                    );
                    text(
                        &mut out,
                        ((sx + ex) / 2.0, sy + 0.75 * dip + 13.0),
                        "middle",
                        &label,
                        colour,
                    );
                } else {
                    // Back to an earlier layer: through its lane in the gutter.
                    let lane = upward.iter().position(|&u| u == k).unwrap_or(0);
                    let bend = lanes + 20.0 + LANE * lane as f64;
                    let nudge = 6.0 * (lane % 3) as f64;
                    let (sx, sy) = (x + BOX_WIDTH, y + BOX_HEIGHT * 0.7 + nudge);
                    let (tx, ty) = at[target.index()];
                    let (tx, ty) = (tx + BOX_WIDTH, ty + BOX_HEIGHT * 0.2 + nudge);
                    polyline(
                        &mut out,
                        &[(sx, sy), (bend, sy), (bend, ty), (tx, ty)],
                        colour,
                        dashed,
                    );
                    let mut label_y = (sy + ty) / 2.0;
                    while label_ys.iter().any(|&u: &f64| (u - label_y).abs() < 15.0) {
                        label_y += 15.0;
                    }
                    label_ys.push(label_y);
                    let _ = writeln!(
                        out,
                        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"0.5\" stroke-dasharray=\"1,2\"/>",
                        c(bend),
                        c(label_y - 4.0),
                        c(labels_x - 2.0),
                        c(label_y - 4.0)
                    );
                    let to_name = &e.services()[target.index()].name;
                    let kind = if dashed { "readmitted to" } else { "to" };
                    text(
                        &mut out,
                        (labels_x, label_y),
                        "start",
                        &fit(&format!("{kind} {to_name}: {label}"), 30),
                        colour,
                    );
                }
            }
        }
    }
    // Service boxes.
    let mut colours_used: Vec<String> = Vec::new();
    for s in e.services() {
        let (x, y) = at[s.service.index()];
        let (stroke, fill) = colours(s.pressure());
        if !colours_used.iter().any(|u| u == stroke) {
            colours_used.push(stroke.to_owned());
        }
        let _ = writeln!(
            out,
            "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
            escape(&format!(
                "{} ({}): {}",
                s.name,
                s.kind.as_str(),
                s.pressure().as_str()
            )),
            c(x),
            c(y),
            c(BOX_WIDTH),
            c(BOX_HEIGHT)
        );
        let lines = [
            (fit(&s.name, 26), "bold"),
            (
                format!("{} · capacity {}", s.kind.as_str(), capacity(s)),
                "normal",
            ),
            (
                format!("load {} ({})", amount(s.offered_load, s.unit), ratio(s)),
                "normal",
            ),
            (format!("{} a day", figure(s.arrivals_per_day)), "normal"),
        ];
        for (i, (line, weight)) in lines.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"{weight}\" fill=\"#222\">{}</text>",
                c(x + BOX_WIDTH / 2.0),
                c(y + 17.0 + 17.0 * i as f64),
                escape(&fit(line, 30))
            );
        }
        out.push_str("</g>\n");
    }
    // Legend.
    let y = height - 28.0;
    let mut x = MARGIN;
    for (p, label) in [
        (Pressure::Fine, "load under 0.85 of capacity"),
        (Pressure::High, "0.85 to 1"),
        (Pressure::Unstable, "1 or more: queue grows without bound"),
        (Pressure::Unreached, "nobody reaches it"),
    ] {
        let (stroke, fill) = colours(p);
        // One colour step off the boxes' outlines, as every chart's legend, so that the
        // report's render check counts only the services drawn.
        let stroke = legend_tint(stroke);
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>",
            c(x),
            c(y - 11.0)
        );
        text(&mut out, (x + 20.0, y), "start", label, "#222");
        x += 30.0 + 6.5 * label.chars().count() as f64;
    }
    out.push_str("</svg>\n");
    let svg = Svg {
        markup: out,
        data_colours: colours_used,
        data_marks: e.services().len(),
    };
    (svg, width.ceil() as u32)
}

/// `#RRGGBB` with the lowest bit of its blue flipped, as
/// [`legend_tint_colour`](super::chart) does for the charts drawn with plotters.
fn legend_tint(hex: &str) -> String {
    let blue = u8::from_str_radix(&hex[5..7], 16).expect("the colours above are #RRGGBB");
    format!("{}{:02X}", &hex[..5], blue ^ 1)
}

/// The dash pattern attribute of a dashed (readmission) flow.
fn dash(dashed: bool) -> &'static str {
    if dashed {
        " stroke-dasharray=\"5,4\""
    } else {
        ""
    }
}

/// An arrowhead at `tip`, pointing away from `behind`. Drawn as a polygon rather than an SVG
/// marker, so that the page holds no `url(…)` reference.
fn head(out: &mut String, tip: (f64, f64), behind: (f64, f64), colour: &str) {
    let (dx, dy) = (tip.0 - behind.0, tip.1 - behind.1);
    let length = dx.hypot(dy);
    let (ux, uy) = if length > 0.0 {
        (dx / length, dy / length)
    } else {
        (0.0, 1.0)
    };
    let back = (tip.0 - 9.0 * ux, tip.1 - 9.0 * uy);
    let _ = writeln!(
        out,
        "<polygon points=\"{},{} {},{} {},{}\" fill=\"{colour}\"/>",
        c(tip.0),
        c(tip.1),
        c(back.0 - 4.0 * uy),
        c(back.1 + 4.0 * ux),
        c(back.0 + 4.0 * uy),
        c(back.1 - 4.0 * ux)
    );
}

/// A straight arrow.
fn arrow(out: &mut String, from: (f64, f64), to: (f64, f64), colour: &str, dashed: bool) {
    polyline(out, &[from, to], colour, dashed);
}

/// An arrow through `points`.
fn polyline(out: &mut String, points: &[(f64, f64)], colour: &str, dashed: bool) {
    let d: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}{},{}", if i == 0 { "M" } else { "L" }, c(p.0), c(p.1)))
        .collect();
    path(out, &d.join(" "), colour, dashed);
    if let [.., behind, tip] = points {
        head(out, *tip, *behind, colour);
    }
}

/// An arrow along the cubic Bézier curve `[start, control, control, end]`.
fn curve(out: &mut String, p: &[(f64, f64); 4], colour: &str, dashed: bool) {
    let d = format!(
        "M{},{} C{},{} {},{} {},{}",
        c(p[0].0),
        c(p[0].1),
        c(p[1].0),
        c(p[1].1),
        c(p[2].0),
        c(p[2].1),
        c(p[3].0),
        c(p[3].1)
    );
    path(out, &d, colour, dashed);
    head(out, p[3], p[2], colour);
}

fn path(out: &mut String, d: &str, colour: &str, dashed: bool) {
    let _ = writeln!(
        out,
        "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{}/>",
        dash(dashed)
    );
}

fn text(out: &mut String, at: (f64, f64), anchor: &str, content: &str, colour: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"{colour}\">{}</text>",
        c(at.0),
        c(at.1),
        escape(content)
    );
}

impl Explanation {
    /// The network as an SVG diagram (a complete `<svg>` element): services as boxes with
    /// their kind, capacity, offered load and arrivals a day, coloured by load over capacity;
    /// flows as arrows labelled with their share of leavers and patients a day, readmissions
    /// dashed; arrivals from outside and exits. The layout is deterministic: layers by
    /// distance from the entry services, ordered within each to reduce crossings.
    ///
    /// # Example
    ///
    /// ```
    /// use careflow::{Model, explain::Explanation};
    ///
    /// let explanation = Explanation::of(&Model::load("scenarios/peer_pathways")?)?;
    /// let svg = explanation.svg();
    /// assert!(svg.starts_with("<svg") && svg.contains(">home_care<"));
    /// # Ok::<(), careflow::Error>(())
    /// ```
    pub fn svg(&self) -> String {
        diagram(self).0.markup
    }

    /// Writes [`svg`](Self::svg) to `path` (creating its folder if needed), under a temporary
    /// name renamed when complete. Returns the path written.
    ///
    /// # Errors
    ///
    /// [`Error::Output`] if the file cannot be written.
    pub fn write_svg(&self, path: &Path) -> Result<PathBuf, Error> {
        super::output_file::write_atomically(path, self.svg().as_bytes())
    }
}
