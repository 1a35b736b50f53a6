//! Charts as server-rendered SVG, written by hand: a line chart of counts over time and a
//! horizontal bar chart. No JavaScript, no chart crate, nothing fetched by the browser.
//!
//! Each chart is an `<svg role="img">` labelled by its `<title>` and `<desc>`, with its axis
//! and bar labels as real text; every data point carries a `<title>` with its value, and the
//! pages put the same values in a table beside the chart. All text is escaped.

use std::fmt::Write as _;

use super::html::Esc;

const WIDTH: f64 = 720.0;

/// One line of a [`line_chart`]: a name for the legend and one value per label.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Series<'a> {
    /// Shown in the legend and in each point's title.
    pub(crate) name: &'a str,
    /// One value per x label.
    pub(crate) values: &'a [u64],
    /// The stroke colour.
    pub(crate) color: &'static str,
    /// A dash pattern, so the lines differ without colour too (`""`: solid).
    pub(crate) dash: &'static str,
}

/// The smallest "nice" step (1, 2 or 5 times a power of ten) of which four make at least
/// `max`: the y axis ends on a round number with four labelled grid lines.
fn nice_step(max: u64) -> u64 {
    let target = max.div_ceil(4).max(1);
    let mut power = 1_u64;
    loop {
        for factor in [1, 2, 5] {
            let step = power.saturating_mul(factor);
            if step >= target {
                return step;
            }
        }
        if power > u64::MAX / 10 {
            return u64::MAX / 4;
        }
        power *= 10;
    }
}

/// Opens an accessible `<svg>`: the `<title>` and `<desc>` a screen reader announces.
fn open(out: &mut String, id: &str, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"system-ui,sans-serif\" font-size=\"12\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        Esc(title),
        Esc(desc)
    );
}

/// A chart of `series` over `labels` (bins of time, oldest first), with a legend, four y grid
/// lines and at most eight x labels: bars side by side for up to [`MAX_BAR_BINS`] bins, lines
/// past that. With no label at all it says so in text.
pub(crate) fn line_chart(
    out: &mut String,
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[Series<'_>],
) {
    const HEIGHT: f64 = 280.0;
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 36.0;
    const BOTTOM: f64 = 44.0;
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    open(out, id, HEIGHT, title, desc);
    if labels.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#57606a\">No message sent yet</text></svg>",
            WIDTH / 2.0,
            HEIGHT / 2.0
        );
        return;
    }
    let max = series
        .iter()
        .flat_map(|line| line.values.iter().copied())
        .max()
        .unwrap_or(0);
    let step = nice_step(max);
    let top_value = step.saturating_mul(4) as f64;
    let y_of = |value: u64| TOP + plot_height - value as f64 / top_value * plot_height;
    let bins = labels.len() as f64;
    let x_of = |index: usize| LEFT + (index as f64 + 0.5) * plot_width / bins;

    // Grid and y labels.
    for tick in 0..=4_u64 {
        let value = step.saturating_mul(tick);
        let y = y_of(value);
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d0d7de\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#57606a\">{value}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    // X labels: at most eight, evenly spaced, the last bin always labelled.
    let every = labels.len().div_ceil(8);
    for (index, label) in labels.iter().enumerate() {
        if index % every == 0 || index + 1 == labels.len() {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#57606a\">{}</text>",
                x_of(index),
                HEIGHT - BOTTOM + 18.0,
                Esc(label)
            );
        }
    }
    // Legend, as text, above the plot.
    let mut legend_x = LEFT;
    for line in series {
        let _ = write!(
            out,
            "<line x1=\"{legend_x:.1}\" x2=\"{:.1}\" y1=\"14\" y2=\"14\" stroke=\"{}\" \
             stroke-width=\"2.5\" stroke-dasharray=\"{}\"/>\
             <text x=\"{:.1}\" y=\"18\">{}</text>",
            legend_x + 24.0,
            line.color,
            line.dash,
            legend_x + 30.0,
            Esc(line.name)
        );
        legend_x += 40.0 + 7.5 * line.name.chars().count() as f64;
    }
    if labels.len() <= MAX_BAR_BINS {
        grouped_bars(out, labels, series, plot_width / bins, &x_of, &y_of);
        out.push_str("</svg>");
        return;
    }
    // The lines, then a point with its value per bin.
    for line in series {
        let _ = write!(
            out,
            "<g aria-label=\"{}\"><polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" \
             stroke-dasharray=\"{}\" points=\"",
            Esc(line.name),
            line.color,
            line.dash
        );
        for (index, value) in line.values.iter().enumerate().take(labels.len()) {
            let _ = write!(out, "{:.1},{:.1} ", x_of(index), y_of(*value));
        }
        out.push_str("\"/>");
        for (index, (value, label)) in line.values.iter().zip(labels).enumerate() {
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{}\">\
                 <title>{}, {}: {value}</title></circle>",
                x_of(index),
                y_of(*value),
                line.color,
                Esc(line.name),
                Esc(label)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
}

/// Up to this many bins, a time chart draws bars side by side per bin (a few bins read better
/// as bars than as a line between three points); past it, lines.
const MAX_BAR_BINS: usize = 16;

/// Up to this many bins, each bar has its value written above it.
const MAX_VALUE_BINS: usize = 8;

/// The bars of [`line_chart`] with few bins: one group per bin, one bar per series.
fn grouped_bars(
    out: &mut String,
    labels: &[String],
    series: &[Series<'_>],
    bin_width: f64,
    x_of: &dyn Fn(usize) -> f64,
    y_of: &dyn Fn(u64) -> f64,
) {
    let bar = bin_width * 0.8 / series.len().max(1) as f64;
    let baseline = y_of(0);
    for (position, line) in series.iter().enumerate() {
        let _ = write!(out, "<g aria-label=\"{}\">", Esc(line.name));
        for (index, (value, label)) in line.values.iter().zip(labels).enumerate() {
            let x = x_of(index) - bin_width * 0.4 + bar * position as f64;
            let top = y_of(*value);
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\">\
                 <title>{}, {}: {value}</title></rect>",
                (bar - 1.0).max(1.0),
                baseline - top,
                line.color,
                Esc(line.name),
                Esc(label)
            );
            if labels.len() <= MAX_VALUE_BINS {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{value}</text>",
                    x + bar / 2.0,
                    top - 4.0
                );
            }
        }
        out.push_str("</g>");
    }
}

/// Longest label shown in full beside a bar (the `<title>` keeps all of it).
const LABEL_CHARS: usize = 26;

/// A horizontal bar chart: one labelled bar per entry, its value written after it. With no
/// entry at all it says `empty` in text.
pub(crate) fn bar_chart(
    out: &mut String,
    id: &str,
    title: &str,
    desc: &str,
    bars: &[(String, u64)],
    empty: &str,
) {
    const ROW: f64 = 26.0;
    const LABELS: f64 = 200.0;
    const VALUES: f64 = 70.0;
    let height = if bars.is_empty() {
        60.0
    } else {
        16.0 + ROW * bars.len() as f64
    };
    open(out, id, height, title, desc);
    if bars.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"34\" text-anchor=\"middle\" fill=\"#57606a\">{}</text></svg>",
            WIDTH / 2.0,
            Esc(empty)
        );
        return;
    }
    let max = bars
        .iter()
        .map(|(_, value)| *value)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let room = WIDTH - LABELS - VALUES;
    for (index, (label, value)) in bars.iter().enumerate() {
        let y = 8.0 + ROW * index as f64;
        let width = (*value as f64 / max * room).max(if *value > 0 { 1.0 } else { 0.0 });
        let shown: String = if label.chars().count() > LABEL_CHARS {
            label
                .chars()
                .take(LABEL_CHARS - 1)
                .chain(std::iter::once('…'))
                .collect()
        } else {
            label.clone()
        };
        let _ = write!(
            out,
            "<g><title>{label}: {value}</title>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABELS}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"#0969da\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{value}</text></g>",
            LABELS - 8.0,
            y + 16.0,
            Esc(&shown),
            y + 3.0,
            ROW - 8.0,
            LABELS + width + 6.0,
            y + 16.0,
            label = Esc(label),
        );
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_are_round_and_cover_the_maximum() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(3), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(5), 2);
        assert_eq!(nice_step(37), 10);
        assert_eq!(nice_step(1_000), 500);
        assert_eq!(nice_step(1_001), 500);
        assert_eq!(nice_step(2_001), 1_000);
        for max in [1, 7, 99, 12_345, 999_999_999, u64::MAX / 8] {
            assert!(nice_step(max).saturating_mul(4) >= max, "{max}");
        }
        assert!(nice_step(u64::MAX) > 0);
    }

    #[test]
    fn a_line_chart_is_labelled_and_escaped() {
        let mut out = String::new();
        let labels = ["12-07 <14h>".to_owned(), "12-07 15h".to_owned()];
        let sent = [3, 1];
        line_chart(
            &mut out,
            "t",
            "Over \"time\"",
            "desc & more",
            &labels,
            &[Series {
                name: "Sent",
                values: &sent,
                color: "#000",
                dash: "",
            }],
        );
        assert!(out.starts_with("<svg "));
        assert!(out.ends_with("</svg>"));
        assert!(out.contains("role=\"img\""));
        assert!(out.contains("<title id=\"t-title\">Over &quot;time&quot;</title>"));
        assert!(out.contains("<desc id=\"t-desc\">desc &amp; more</desc>"));
        assert!(out.contains("<title>Sent, 12-07 &lt;14h&gt;: 3</title>"));
        assert!(!out.contains("<14h>"));
        // Two bins: bars, with their values written above them.
        assert_eq!(out.matches("<rect").count(), 2);
        assert!(out.contains(">3</text>") && out.contains(">1</text>"));
    }

    #[test]
    fn many_bins_are_drawn_as_lines() {
        let mut out = String::new();
        let labels: Vec<String> = (0..20).map(|hour| format!("{hour:02}:00")).collect();
        let values: Vec<u64> = (0..20).collect();
        line_chart(
            &mut out,
            "t",
            "T",
            "D",
            &labels,
            &[Series {
                name: "Sent",
                values: &values,
                color: "#000",
                dash: "",
            }],
        );
        assert_eq!(out.matches("<polyline").count(), 1);
        assert_eq!(out.matches("<circle").count(), 20);
        assert!(out.contains("<title>Sent, 19:00: 19</title>"));
        // Eight x labels at most: every third bin, and the last.
        assert_eq!(out.matches(":00</text>").count(), 8);
    }

    #[test]
    fn an_empty_line_chart_says_so() {
        let mut out = String::new();
        line_chart(&mut out, "t", "T", "D", &[], &[]);
        assert!(out.contains("No message sent yet"));
        assert!(!out.contains("NaN"));
    }

    #[test]
    fn bars_scale_to_the_largest_and_write_their_values() {
        let mut out = String::new();
        let bars = [
            ("BE".to_owned(), 10),
            (
                "<img src=x onerror=alert(1)> and a very long label".to_owned(),
                5,
            ),
            ("FR".to_owned(), 0),
        ];
        bar_chart(
            &mut out,
            "c",
            "Countries",
            "Messages by country",
            &bars,
            "none",
        );
        assert!(out.contains("width=\"450.0\""), "{out}"); // 720 - 200 - 70
        assert!(out.contains("width=\"225.0\""), "{out}");
        assert!(out.contains("width=\"0.0\""), "{out}");
        assert!(out.contains(">10</text>"));
        assert!(!out.contains("<img"));
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt; and a very long label: 5"));
        assert!(out.contains('…'));
    }

    #[test]
    fn an_empty_bar_chart_says_so() {
        let mut out = String::new();
        bar_chart(&mut out, "c", "T", "D", &[], "No <failure>");
        assert!(out.contains("No &lt;failure&gt;"));
    }
}
