//! A small chart of one measure over several years ("school on a page"
//! for governors), drawn as vector items inside one chunk.
//!
//! Grouped bars for a handful of years; lines once there are too many
//! years for bars to stay legible. A missing or suppressed figure is a gap:
//! no bar, and a line that stops and starts again, never a zero. The
//! vertical scale always includes zero so bars are not exaggerated.

use crate::document::Chart;

use super::layout::{Item, Stroke, TextLine};
use super::lines::{break_lines, place, unbroken, Align, Piece};
use super::metrics::{Fonts, Measure};
use super::style::{self, Rgb, TextStyle};
use super::TypesetError;

/// More categories than this are drawn as lines.
const MOST_BARS: usize = 6;
/// Share of each category's band the bars of a group take up.
const GROUP_SHARE: f32 = 0.72;

/// The items of `chart` in a box `width` wide at `x`, `style::CHART_HEIGHT`
/// tall, its top at 0.
pub fn draw(chart: &Chart, fonts: &Fonts, x: f32, width: f32) -> Result<Vec<Item>, TypesetError> {
    let mut items = Vec::new();
    let label = style::CHART_LABEL;
    let as_lines = chart.categories.len() > MOST_BARS;

    // Title.
    let title = fonts.clean(&chart.title, style::CHART_TITLE.weight)?;
    let mut y = 0.0;
    let title_style = style::CHART_TITLE;
    for line in break_lines(
        &[Piece {
            text: &title,
            weight: title_style.weight,
        }],
        title_style.size,
        width,
        fonts,
    ) {
        let placed = place(&line, Align::Left, width);
        items.push(text(
            x,
            y + fonts.baseline(title_style.size, title_style.leading),
            title_style,
            placed.fragments,
        ));
        y += title_style.leading;
    }

    // Legend: a swatch and the series name, as many to a row as fit.
    y += 3.0;
    let swatch = 7.0;
    let mut cursor = x;
    for (s, series) in chart.series.iter().enumerate() {
        let name = fonts.clean(&series.name, label.weight)?;
        let name_width = fonts.width(&name, label.weight, label.size);
        let entry = swatch + 4.0 + name_width;
        if cursor > x && cursor + entry > x + width {
            cursor = x;
            y += label.leading;
        }
        let colour = colour(s);
        let mid = y + label.leading / 2.0;
        if as_lines {
            items.push(Item::Path {
                points: vec![(cursor, mid), (cursor + swatch, mid)],
                stroke: Stroke {
                    color: colour,
                    width: 1.5,
                },
            });
            items.push(Item::Dot {
                x: cursor + swatch / 2.0,
                y: mid,
                radius: 1.8,
                fill: colour,
            });
        } else {
            items.push(Item::Rect {
                x: cursor,
                y: mid - swatch / 2.0,
                width: swatch,
                height: swatch,
                fill: Some(colour),
                stroke: None,
            });
        }
        items.push(anchored(
            fonts,
            &name,
            label,
            cursor + swatch + 4.0,
            y + fonts.baseline(label.size, label.leading),
            Align::Left,
        ));
        cursor += entry + 12.0;
    }
    y += label.leading;

    // Scale and plot area.
    let values: Vec<f64> = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let scale = Scale::fit(&values);
    let ticks = scale.ticks();
    let unit = fonts.clean(&chart.unit, label.weight)?;
    let tick_labels: Vec<String> = ticks.iter().map(|t| scale.format(*t, &unit)).collect();
    let label_width = tick_labels
        .iter()
        .map(|t| fonts.width(t, label.weight, label.size))
        .fold(0.0, f32::max);
    let plot_left = x + label_width + 6.0;
    let plot_right = x + width;
    let plot_top = y + 8.0;
    let plot_bottom = style::CHART_HEIGHT - label.leading - 6.0;
    let to_y = |v: f64| {
        let share = ((v - scale.low) / (scale.high - scale.low)) as f32;
        plot_bottom - share * (plot_bottom - plot_top)
    };

    for (tick, text) in ticks.iter().zip(&tick_labels) {
        let ty = to_y(*tick);
        items.push(Item::Path {
            points: vec![(plot_left, ty), (plot_right, ty)],
            stroke: Stroke {
                color: style::GRID,
                width: 0.5,
            },
        });
        items.push(anchored(
            fonts,
            text,
            label,
            plot_left - 4.0,
            ty + label.size * 0.35,
            Align::Right,
        ));
    }

    // Categories along the foot, and the data above them.
    let count = chart.categories.len().max(1);
    let band = (plot_right - plot_left) / count as f32;
    for (c, category) in chart.categories.iter().enumerate() {
        let centre = plot_left + band * (c as f32 + 0.5);
        let category = fonts.clean(category, label.weight)?;
        let baseline = plot_bottom + 4.0 + fonts.baseline(label.size, label.leading);
        items.push(anchored(
            fonts,
            &category,
            label,
            centre,
            baseline,
            Align::Centre,
        ));
    }
    let zero = to_y(0.0);
    if values.is_empty() {
        let middle = (plot_top + plot_bottom) / 2.0;
        items.push(anchored(
            fonts,
            "No figures to show",
            label,
            (plot_left + plot_right) / 2.0,
            middle,
            Align::Centre,
        ));
    } else if as_lines {
        for (s, series) in chart.series.iter().enumerate() {
            let colour = colour(s);
            let points: Vec<Option<(f32, f32)>> = series
                .values
                .iter()
                .take(count)
                .enumerate()
                .map(|(c, v)| {
                    v.filter(|v| v.is_finite())
                        .map(|v| (plot_left + band * (c as f32 + 0.5), to_y(v)))
                })
                .collect();
            for run in points.split(Option::is_none) {
                let run: Vec<(f32, f32)> = run.iter().flatten().copied().collect();
                if run.len() > 1 {
                    items.push(Item::Path {
                        points: run.clone(),
                        stroke: Stroke {
                            color: colour,
                            width: 1.5,
                        },
                    });
                }
                items.extend(run.iter().map(|&(x, y)| Item::Dot {
                    x,
                    y,
                    radius: 1.8,
                    fill: colour,
                }));
            }
        }
    } else {
        let series_count = chart.series.len().max(1);
        let bar = band * GROUP_SHARE / series_count as f32;
        for (s, series) in chart.series.iter().enumerate() {
            for (c, value) in series.values.iter().take(count).enumerate() {
                let Some(value) = value.filter(|v| v.is_finite()) else {
                    continue;
                };
                let left =
                    plot_left + band * c as f32 + band * (1.0 - GROUP_SHARE) / 2.0 + bar * s as f32;
                let top = to_y(value).min(zero);
                let height = (to_y(value) - zero).abs();
                items.push(Item::Rect {
                    x: left + 0.5,
                    y: top,
                    width: bar - 1.0,
                    height,
                    fill: Some(colour(s)),
                    stroke: None,
                });
            }
        }
    }
    // The zero line over the bars' feet.
    items.push(Item::Path {
        points: vec![(plot_left, zero), (plot_right, zero)],
        stroke: Stroke {
            color: style::MUTED,
            width: 0.75,
        },
    });
    Ok(items)
}

fn colour(series: usize) -> Rgb {
    style::SERIES[series % style::SERIES.len()]
}

fn text(x: f32, baseline: f32, ts: TextStyle, fragments: Vec<super::lines::Fragment>) -> Item {
    Item::Text(TextLine {
        x,
        baseline,
        size: ts.size,
        color: ts.color,
        fragments,
    })
}

/// A one-line label whose left edge, centre or right edge is at `x`.
fn anchored(
    fonts: &Fonts,
    label: &str,
    ts: TextStyle,
    x: f32,
    baseline: f32,
    align: Align,
) -> Item {
    let line = unbroken(
        &[Piece {
            text: label,
            weight: ts.weight,
        }],
        ts.size,
        fonts,
    );
    let placed = place(&line, Align::Left, line.width);
    let left = match align {
        Align::Right => x - line.width,
        Align::Centre => x - line.width / 2.0,
        Align::Left | Align::Justify => x,
    };
    text(left, baseline, ts, placed.fragments)
}

/// The vertical axis: from `low` to `high` in steps of `step`, all round
/// numbers, zero included.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale {
    low: f64,
    high: f64,
    step: f64,
}

impl Scale {
    fn fit(values: &[f64]) -> Self {
        let low = values.iter().copied().fold(0.0, f64::min);
        let mut high = values.iter().copied().fold(0.0, f64::max);
        if (high - low).abs() < f64::EPSILON {
            high = low + 1.0;
        }
        let rough = (high - low) / 5.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= rough * (1.0 - 1e-9))
            .unwrap_or(10.0 * magnitude);
        Self {
            low: (low / step).floor() * step,
            high: (high / step).ceil() * step,
            step,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let count = ((self.high - self.low) / self.step).round() as usize;
        (0..=count)
            .map(|i| self.low + i as f64 * self.step)
            .collect()
    }

    fn format(&self, value: f64, unit: &str) -> String {
        // As many decimals as the step needs, the same for every tick.
        let decimals = (0..=4)
            .find(|d| {
                let scaled = self.step * 10f64.powi(*d);
                (scaled - scaled.round()).abs() < 1e-6
            })
            .unwrap_or(4) as usize;
        let value = if value.abs() < self.step * 1e-6 {
            0.0
        } else {
            value
        };
        format!("{value:.decimals$}{unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Series;

    fn fonts() -> Fonts {
        Fonts::load().expect("fonts")
    }

    fn chart(categories: usize, series: Vec<Vec<Option<f64>>>) -> Chart {
        Chart {
            title: "Pupils meeting the expected standard in reading".into(),
            unit: "%".into(),
            categories: (0..categories)
                .map(|i| format!("{}/{}", 2018 + i, 19 + i))
                .collect(),
            series: series
                .into_iter()
                .zip(["School", "Fenshire", "England"])
                .map(|(values, name)| Series {
                    name: name.into(),
                    values,
                })
                .collect(),
        }
    }

    fn texts(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Text(line) => Some(line.text()),
                _ => None,
            })
            .collect()
    }

    fn bars(items: &[Item]) -> usize {
        items
            .iter()
            .filter(|i| matches!(i, Item::Rect { height, .. } if *height > 7.5))
            .count()
    }

    #[test]
    fn scales_are_round_and_include_zero() {
        let close = |s: Scale, (low, high, step): (f64, f64, f64)| {
            assert!(
                (s.low - low).abs() < 1e-9
                    && (s.high - high).abs() < 1e-9
                    && (s.step - step).abs() < 1e-9,
                "{s:?}"
            )
        };
        close(Scale::fit(&[62.0, 78.0]), (0.0, 80.0, 20.0));
        close(Scale::fit(&[-0.55, 0.31]), (-0.6, 0.4, 0.2));
        close(Scale::fit(&[]), (0.0, 1.0, 0.2));
        let s = Scale::fit(&[12.0, 96.0]);
        assert_eq!(s.ticks().len(), 6, "{s:?}");
    }

    #[test]
    fn tick_labels_carry_the_unit_and_no_needless_decimals() {
        let s = Scale::fit(&[62.0, 78.0]);
        assert_eq!(s.format(40.0, "%"), "40%");
        let s = Scale::fit(&[-0.55, 0.31]);
        assert_eq!(s.format(-0.2, ""), "-0.2");
        assert_eq!(s.format(0.0, ""), "0.0");
        let s = Scale {
            low: 0.0,
            high: 1.0,
            step: 0.25,
        };
        assert_eq!(s.format(0.75, ""), "0.75");
    }

    #[test]
    fn a_grouped_bar_chart_has_one_bar_per_figure_and_a_gap_per_missing_one() {
        let fonts = fonts();
        let c = chart(
            3,
            vec![
                vec![Some(70.0), None, Some(78.0)],
                vec![Some(72.0), Some(74.0), Some(75.0)],
                vec![Some(73.0), Some(74.0), Some(74.0)],
            ],
        );
        let items = draw(&c, &fonts, 60.0, 450.0).expect("draws");
        assert_eq!(bars(&items), 8);
        let labels = texts(&items);
        for wanted in [
            "School", "Fenshire", "England", "2018/19", "2020/21", "80%", "0%",
        ] {
            assert!(
                labels.contains(&wanted.to_owned()),
                "{wanted} in {labels:?}"
            );
        }
    }

    #[test]
    fn many_years_are_drawn_as_lines_broken_where_a_figure_is_missing() {
        let fonts = fonts();
        let values = vec![
            Some(1.0),
            Some(2.0),
            Some(3.0),
            None,
            Some(2.0),
            Some(4.0),
            Some(5.0),
            Some(6.0),
        ];
        let items = draw(&chart(8, vec![values]), &fonts, 60.0, 450.0).expect("draws");
        let series_paths: Vec<usize> = items
            .iter()
            .filter_map(|i| match i {
                Item::Path { points, stroke }
                    if stroke.color == style::SERIES[0] && points.len() > 2 =>
                {
                    Some(points.len())
                }
                _ => None,
            })
            .collect();
        assert_eq!(series_paths, [3, 4], "one line before the gap, one after");
        let dots = items
            .iter()
            .filter(|i| matches!(i, Item::Dot { .. }))
            .count();
        assert_eq!(dots, 7 + 1, "a dot per figure and one in the legend");
        assert_eq!(bars(&items), 0);
    }

    #[test]
    fn everything_stays_inside_the_chart_box() {
        let fonts = fonts();
        let c = chart(
            5,
            vec![vec![Some(-3.0), Some(120.0), None, Some(0.0), Some(55.5)]],
        );
        let (x, width) = (60.0, 450.0);
        for item in draw(&c, &fonts, x, width).expect("draws") {
            let (left, right, top, bottom) = match &item {
                Item::Text(line) => {
                    let w: f32 = line
                        .fragments
                        .iter()
                        .map(|f| fonts.width(&f.text, f.weight, line.size))
                        .sum();
                    (
                        line.x,
                        line.x + w,
                        line.baseline - 0.75 * line.size,
                        line.baseline,
                    )
                }
                Item::Rect {
                    x,
                    y,
                    width,
                    height,
                    ..
                } => (*x, x + width, *y, y + height),
                Item::Path { points, .. } => (
                    points.iter().map(|p| p.0).fold(f32::MAX, f32::min),
                    points.iter().map(|p| p.0).fold(f32::MIN, f32::max),
                    points.iter().map(|p| p.1).fold(f32::MAX, f32::min),
                    points.iter().map(|p| p.1).fold(f32::MIN, f32::max),
                ),
                Item::Dot { x, y, radius, .. } => (x - radius, x + radius, y - radius, y + radius),
                Item::Logo { .. } => unreachable!("charts have no logo"),
            };
            assert!(left >= x - 0.01 && right <= x + width + 0.01, "{item:?}");
            assert!(
                top >= -0.01 && bottom <= style::CHART_HEIGHT + 0.01,
                "{item:?}"
            );
        }
    }

    #[test]
    fn a_chart_with_no_figures_says_so() {
        let fonts = fonts();
        let items =
            draw(&chart(3, vec![vec![None, None, None]]), &fonts, 60.0, 450.0).expect("draws");
        assert!(texts(&items).contains(&"No figures to show".to_owned()));
        assert_eq!(bars(&items), 0);
    }
}
