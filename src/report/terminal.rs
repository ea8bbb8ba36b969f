//! The printed report's layout for a terminal of [`COLUMNS`] columns: long lines wrapped, and
//! a table too wide for one screen split into blocks of columns, each repeating the first
//! ones.

use std::fmt;

/// The widest printed line (in characters) of the comparison and the warnings.
pub(crate) const COLUMNS: usize = 100;

/// Writes `text` as lines of at most [`COLUMNS`] characters, breaking at spaces where it can
/// (a word longer than a line is cut), the lines after the first indented by `indent` spaces.
pub(crate) fn write_wrapped(f: &mut fmt::Formatter<'_>, text: &str, indent: usize) -> fmt::Result {
    for line in wrap(text, COLUMNS, indent) {
        writeln!(f, "{line}")?;
    }
    Ok(())
}

/// `text` in lines of at most `width` characters (see [`write_wrapped`]); runs of spaces
/// between words print as one.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let indent = indent.min(width / 2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    // No word on the line yet.
    let mut fresh = true;
    for word in text.split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while !rest.is_empty() {
            let space = usize::from(!fresh);
            if len + space + rest.len() <= width {
                line.push_str(&" ".repeat(space));
                line.extend(&rest);
                len += space + rest.len();
                fresh = false;
                break;
            }
            let room = width.saturating_sub(len + space);
            if fresh || (rest.len() > width - indent && room > 0) {
                // A word longer than a line: fill what is left of this one with its start,
                // broken after a '_' or '-' in its second half where there is one.
                let cut = (room / 2 + 1..room)
                    .rev()
                    .find(|&i| matches!(rest[i - 1], '_' | '-'))
                    .unwrap_or(room);
                line.push_str(&" ".repeat(space));
                line.extend(rest.drain(..cut));
            }
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            len = indent;
            fresh = true;
        }
    }
    if !fresh || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A table of a label column and numeric columns under named headings, to print in
/// [`COLUMNS`] columns: columns that do not fit beside each other go into further blocks,
/// each with the label column and the first `repeat` columns again; headings wrap within their
/// column; labels too long to leave room for a column go on a line of their own.
pub(crate) struct Table {
    /// The label column's heading.
    pub label_heading: String,
    /// Each column's heading; each of its lines starts a new line.
    pub headings: Vec<String>,
    /// Each row: its label and one cell per column.
    pub rows: Vec<(String, Vec<String>)>,
    /// How many leading columns every block repeats.
    pub repeat: usize,
}

impl Table {
    /// Writes the table in blocks of at most [`COLUMNS`] characters a line.
    pub(crate) fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chars = |s: &String| s.chars().count();
        // A column's width is its widest cell, or its heading's widest line up to 20
        // characters (a longer one wraps to fit).
        let widths: Vec<usize> = (0..self.headings.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|(_, cells)| chars(&cells[c]))
                    .chain(self.headings[c].lines().map(|l| l.chars().count().min(20)))
                    .max()
                    .unwrap_or(12)
                    .min(COLUMNS - 4)
            })
            .collect();
        let label = self
            .rows
            .iter()
            .map(|(l, _)| chars(l))
            .chain([chars(&self.label_heading)])
            .max()
            .unwrap_or(0);
        let repeated: usize = widths[..self.repeat].iter().map(|w| w + 2).sum();
        let widest = widths[self.repeat..]
            .iter()
            .map(|w| w + 2)
            .max()
            .unwrap_or(0);
        // Labels beside the numbers when one column still fits, else on their own lines.
        let inline = label + repeated + widest <= COLUMNS;
        let lead = if inline { label } else { 0 };
        let mut blocks: Vec<Vec<usize>> = Vec::new();
        let mut used = COLUMNS;
        for (c, width) in widths.iter().enumerate().skip(self.repeat) {
            if used + width + 2 > COLUMNS {
                blocks.push((0..self.repeat).collect());
                used = lead + repeated;
            }
            blocks.last_mut().expect("pushed above").push(c);
            used += width + 2;
        }
        if blocks.is_empty() {
            blocks.push((0..self.repeat).collect());
        }
        for (b, block) in blocks.iter().enumerate() {
            if b > 0 {
                writeln!(f)?;
            }
            let wrapped: Vec<Vec<String>> = block
                .iter()
                .map(|&c| {
                    self.headings[c]
                        .lines()
                        .flat_map(|l| wrap(l, widths[c], 0))
                        .collect()
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for i in 0..height {
                let mut line = String::new();
                if inline {
                    // The label heading sits on the last heading line.
                    let text = if i + 1 == height {
                        self.label_heading.as_str()
                    } else {
                        ""
                    };
                    line.push_str(&format!("{text:<lead$}"));
                }
                for (&c, heading) in block.iter().zip(&wrapped) {
                    // Headings sit on their last lines, over the numbers.
                    let offset = height - heading.len();
                    let text = if i >= offset {
                        heading[i - offset].as_str()
                    } else {
                        ""
                    };
                    line.push_str(&format!("  {text:>w$}", w = widths[c]));
                }
                writeln!(f, "{}", line.trim_end())?;
            }
            if !inline {
                writeln!(f, "{}:", self.label_heading)?;
            }
            for (row_label, cells) in &self.rows {
                let mut line = String::new();
                if inline {
                    line.push_str(&format!("{row_label:<lead$}"));
                } else {
                    for l in wrap(row_label, COLUMNS, 2) {
                        writeln!(f, "{l}")?;
                    }
                }
                for &c in block {
                    line.push_str(&format!("  {:>w$}", cells[c], w = widths[c]));
                }
                writeln!(f, "{}", line.trim_end())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_breaks_at_spaces_and_cuts_only_long_words() {
        assert_eq!(wrap("a bb ccc", 4, 0), ["a bb", "ccc"]);
        assert_eq!(wrap("a bb ccc", 5, 2), ["a bb", "  ccc"]);
        assert_eq!(wrap("abcdefgh", 3, 0), ["abc", "def", "gh"]);
        assert_eq!(wrap("ab_cdefgh", 6, 0), ["ab_cde", "fgh"]);
        assert_eq!(wrap("abcd_efgh", 6, 0), ["abcd_", "efgh"]);
        assert_eq!(wrap("", 10, 0), [""]);
        assert_eq!(wrap("x − y ± z", 5, 0), ["x − y", "± z"]);
        for line in wrap(&"word ".repeat(100), 30, 4) {
            assert!(line.chars().count() <= 30, "{line}");
        }
        for line in wrap(&"w".repeat(100), 30, 4) {
            assert!(line.chars().count() <= 30, "{line}");
        }
    }
}
