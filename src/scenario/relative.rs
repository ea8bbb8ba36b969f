//! Relative override values (`+40`, `-10`, `+10%`, `-10%`, `*0.9`): a change to the baseline's
//! number, computed in exact decimal arithmetic so that `420` `+10%` is `462`, not
//! `462.00000000000006`, and an integer cell stays an integer exactly when the result is one.

use std::fmt;

/// The syntax of a relative value, for messages.
pub(crate) const SYNTAX: &str = "an absolute value, or a change relative to the baseline: \
    +N or -N (add or subtract), +N% or -N% (a percentage of the baseline), or *N (multiply), \
    N a decimal number";

/// The most significant digits a number in a relative value (or the cell it changes) may have:
/// enough for any count or amount of money, few enough that every product fits exactly.
pub(crate) const MAX_DIGITS: u32 = 18;
/// The largest decimal exponent careflow computes with; beyond it a value is not a sensible
/// model input and would not survive the round trip through `f64` text.
pub(crate) const MAX_EXPONENT: i32 = 60;

/// A change to the baseline's number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Change {
    /// `+N` or `-N`: add `N` (negative for `-`).
    Add(Decimal),
    /// `+N%` or `-N%`: add `N` percent of the baseline (negative for `-`).
    Percent(Decimal),
    /// `*N`: multiply by `N`.
    Scale(Decimal),
}

/// Why a relative value could not be applied to its cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    /// The value looks relative (starts with `+`, `-` or `*`) but is not well formed.
    Malformed,
    /// The baseline cell is empty: there is nothing to change.
    EmptyBaseline,
    /// The baseline cell holds no number (text such as `unlimited` or `fifo`).
    NotANumber,
    /// The baseline or the operand has more digits or a larger exponent than careflow computes
    /// with exactly, or the result does.
    OutOfRange,
}

impl Change {
    /// The change `text` writes, `None` if `text` is an absolute value (it does not start with
    /// `+`, `-` or `*`).
    pub(crate) fn parse(text: &str) -> Option<Result<Change, Failure>> {
        let (op, rest) = match text.as_bytes().first()? {
            b'+' => ('+', &text[1..]),
            b'-' => ('-', &text[1..]),
            b'*' => ('*', &text[1..]),
            _ => return None,
        };
        let (percent, digits) = match rest.strip_suffix('%') {
            Some(d) if op != '*' => (true, d),
            Some(_) => return Some(Err(Failure::Malformed)),
            None => (false, rest),
        };
        let Some(n) = Decimal::parse(digits) else {
            return Some(Err(Failure::Malformed));
        };
        let Some(n) = n else {
            return Some(Err(Failure::OutOfRange));
        };
        let n = if op == '-' { n.negate() } else { n };
        Some(Ok(match (op, percent) {
            ('*', _) => Change::Scale(n),
            (_, true) => Change::Percent(n),
            _ => Change::Add(n),
        }))
    }

    /// The text of the cell after the change to `baseline`, the cell's text in the scenario.
    pub(crate) fn apply(self, baseline: &str) -> Result<String, Failure> {
        if baseline.is_empty() {
            return Err(Failure::EmptyBaseline);
        }
        let base = match Decimal::parse(baseline.strip_prefix('+').unwrap_or(baseline)) {
            Some(Some(b)) => b,
            Some(None) => return Err(Failure::OutOfRange),
            None => match baseline.strip_prefix('-').map(Decimal::parse) {
                Some(Some(Some(b))) => b.negate(),
                Some(Some(None)) => return Err(Failure::OutOfRange),
                _ => return Err(Failure::NotANumber),
            },
        };
        let result = match self {
            Change::Add(n) => base.add(n),
            Change::Percent(n) => base.mul(n).map(|p| p.shift(-2)).and_then(|p| base.add(p)),
            Change::Scale(n) => base.mul(n),
        };
        result
            .filter(|r| r.exponent.abs() <= MAX_EXPONENT)
            .map(|r| r.to_string())
            .ok_or(Failure::OutOfRange)
    }
}

/// An exact decimal `mantissa × 10^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    mantissa: i128,
    exponent: i32,
}

impl Decimal {
    /// Parses an unsigned decimal such as `40`, `0.9`, `.5`, `12.` or `1e-3`. `None` if it is
    /// not one; `Some(None)` if it is but has too many digits or too large an exponent.
    fn parse(text: &str) -> Option<Option<Decimal>> {
        let (number, exponent) = match text.find(['e', 'E']) {
            Some(i) => {
                let e = &text[i + 1..];
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Saturate: a huge exponent is out of range, not malformed.
                (
                    &text[..i],
                    e.parse::<i32>().unwrap_or(if e.starts_with('-') {
                        i32::MIN
                    } else {
                        i32::MAX
                    }),
                )
            }
            None => (text, 0),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        let significant = digits.trim_end_matches('0');
        let trailing = (digits.len() - significant.len()) as i64;
        if significant.len() as u32 > MAX_DIGITS {
            return Some(None);
        }
        let mantissa: i128 = if significant.is_empty() {
            0
        } else {
            significant
                .parse()
                .expect("at most 18 ASCII digits fit in i128")
        };
        let exponent = i64::from(exponent) - fraction.len() as i64 + trailing;
        if mantissa == 0 {
            return Some(Some(Decimal {
                mantissa: 0,
                exponent: 0,
            }));
        }
        if exponent.abs() > i64::from(MAX_EXPONENT) {
            return Some(None);
        }
        Some(Some(Decimal {
            mantissa,
            exponent: exponent as i32,
        }))
    }

    fn negate(self) -> Decimal {
        Decimal {
            mantissa: -self.mantissa,
            ..self
        }
    }

    /// `self × 10^by`.
    fn shift(self, by: i32) -> Decimal {
        Decimal {
            exponent: self.exponent + by,
            ..self
        }
    }

    /// The sum, `None` if it does not fit.
    fn add(self, other: Decimal) -> Option<Decimal> {
        let exponent = self.exponent.min(other.exponent);
        let scale = |d: Decimal| {
            10i128
                .checked_pow((d.exponent - exponent) as u32)
                .and_then(|p| d.mantissa.checked_mul(p))
        };
        Some(
            Decimal {
                mantissa: scale(self)?.checked_add(scale(other)?)?,
                exponent,
            }
            .normalised(),
        )
    }

    /// The product, `None` if it does not fit.
    fn mul(self, other: Decimal) -> Option<Decimal> {
        Some(
            Decimal {
                mantissa: self.mantissa.checked_mul(other.mantissa)?,
                exponent: self.exponent + other.exponent,
            }
            .normalised(),
        )
    }

    /// The same value with no trailing zeros in the mantissa.
    fn normalised(mut self) -> Decimal {
        if self.mantissa == 0 {
            return Decimal {
                mantissa: 0,
                exponent: 0,
            };
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.exponent += 1;
        }
        self
    }
}

impl fmt::Display for Decimal {
    /// Plain decimal notation: `462`, `76.5`, `-15`, `0.001`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        if self.exponent >= 0 {
            return write!(f, "{sign}{digits}{}", "0".repeat(self.exponent as usize));
        }
        let point = self.exponent.unsigned_abs() as usize;
        if digits.len() > point {
            let (whole, fraction) = digits.split_at(digits.len() - point);
            write!(f, "{sign}{whole}.{fraction}")
        } else {
            write!(f, "{sign}0.{}{digits}", "0".repeat(point - digits.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(change: &str, baseline: &str) -> Result<String, Failure> {
        Change::parse(change)
            .expect("a relative value")?
            .apply(baseline)
    }

    #[test]
    fn absolute_values_are_not_relative() {
        for text in ["290", "unlimited", "", "0.5", "2026-12-01", "10%"] {
            assert!(Change::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn changes_are_exact() {
        assert_eq!(apply("+40", "420").unwrap(), "460");
        assert_eq!(apply("-10", "85").unwrap(), "75");
        assert_eq!(apply("+10%", "420").unwrap(), "462");
        assert_eq!(apply("-10%", "420").unwrap(), "378");
        assert_eq!(apply("*0.9", "85").unwrap(), "76.5");
        assert_eq!(apply("*0.9", "90").unwrap(), "81");
        assert_eq!(apply("*1.1", "0.3").unwrap(), "0.33");
        assert_eq!(apply("+0.05", "0.25").unwrap(), "0.3");
        assert_eq!(apply("-100", "85").unwrap(), "-15");
        assert_eq!(apply("+2.5%", "1e-3").unwrap(), "0.001025");
        assert_eq!(apply("*0", "85").unwrap(), "0");
        assert_eq!(apply("*2", "450000000").unwrap(), "900000000");
        assert_eq!(apply("+1", "+3").unwrap(), "4");
        assert_eq!(apply("+1", "-3").unwrap(), "-2");
        assert_eq!(apply("+.5", "1.").unwrap(), "1.5");
    }

    #[test]
    fn malformed_values_are_refused() {
        for text in [
            "+", "-", "*", "*x", "--3", "+-3", "++3", "*+2", "+%", "*10%", "+1e", "+e5", "+1.2.3",
            "+ 3", "+inf", "+NaN", "+1_000", "+3%%",
        ] {
            assert_eq!(Change::parse(text), Some(Err(Failure::Malformed)), "{text}");
        }
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert_eq!(Change::parse("+1e400"), Some(Err(Failure::OutOfRange)));
        assert_eq!(Change::parse("*1e-400"), Some(Err(Failure::OutOfRange)));
        assert_eq!(
            Change::parse("+1234567890123456789"),
            Some(Err(Failure::OutOfRange))
        );
        assert_eq!(apply("*1e40", "1e40"), Err(Failure::OutOfRange));
        assert_eq!(apply("+1", "1e99"), Err(Failure::OutOfRange));
    }

    #[test]
    fn the_baseline_must_be_a_number() {
        assert_eq!(apply("+10%", "fifo"), Err(Failure::NotANumber));
        assert_eq!(apply("+1", "unlimited"), Err(Failure::NotANumber));
        assert_eq!(apply("+1", "2026-12-01"), Err(Failure::NotANumber));
        assert_eq!(apply("+1", ""), Err(Failure::EmptyBaseline));
        assert_eq!(apply("+1", "--1"), Err(Failure::NotANumber));
    }
}
