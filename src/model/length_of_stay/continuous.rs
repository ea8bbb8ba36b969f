//! The continuous stay families as functions — distribution and survival functions, their
//! inverses, raw moments and size-biased forms — for what a plain draw cannot do: draw within
//! a range (truncation), draw a census patient's remaining stay given the days already spent,
//! and compute the moments of a truncated or rounded stay.
//!
//! Each probability is computed from the nearer tail (`P(X ≤ x)` below the median,
//! `P(X > x)` above it) and inverted from that tail, so that a range far out in either tail
//! keeps its relative precision instead of being the difference of two numbers near 1.

use statrs::function::erf::{erfc, erfc_inv};
use statrs::function::gamma::{gamma_ur, ln_gamma};

/// A probability measured from the nearer end of the distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tail {
    /// `P(X ≤ x) = p`.
    Below(f64),
    /// `P(X > x) = q`.
    Above(f64),
}

/// Gamma shapes above which its distribution function is Wilson–Hilferty's cube-root normal
/// approximation (within 10⁻⁶ there), as [`LengthOfStay::probability_above`] has always
/// used: the series and continued fraction need about √shape terms.
///
/// [`LengthOfStay::probability_above`]: super::LengthOfStay::probability_above
const NORMAL_SHAPE: f64 = 1e6;
/// The most terms of the incomplete gamma series: ample for shapes up to [`NORMAL_SHAPE`],
/// which need about 10⁴.
const MAX_SERIES_TERMS: u32 = 100_000;
/// The most steps of a root search (safeguarded Newton): a few are usual.
const MAX_SEARCH_STEPS: u32 = 400;

/// A continuous distribution on `[0, ∞)`.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Continuous {
    /// `scale · G^(1/power)` with G gamma(shape, 1): the gamma (power 1), the exponential and
    /// the Weibull (shape 1), and their size-biased forms.
    GenGamma {
        /// Shape of G.
        shape: f64,
        /// Scale.
        scale: f64,
        /// Power.
        power: f64,
    },
    /// `exp(μ + σ Z)`, Z standard normal; σ = 0 is all its mass at `exp(μ)`.
    LogNormal {
        /// μ.
        mu: f64,
        /// σ.
        sigma: f64,
    },
    /// A density that is a polynomial on each of consecutive pieces: the uniform (one
    /// constant piece), the triangular (two linear pieces) and their size-biased forms.
    Pieces(Pieces),
}

/// A piecewise-polynomial density, not normalised: `total` is its integral.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pieces {
    pieces: Vec<Piece>,
    /// The mass of each piece.
    masses: Vec<f64>,
    total: f64,
}

/// A polynomial density on `[from, to]`, expanded about each end (`Σ c_j (x − from)^j` and
/// `Σ d_j (x − to)^j`), so that the mass near either end is computed without cancellation.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    from: f64,
    to: f64,
    low: Vec<f64>,
    high: Vec<f64>,
}

impl Piece {
    /// The piece with density `Σ c_j (x − from)^j`.
    fn new(from: f64, to: f64, low: Vec<f64>) -> Self {
        // Taylor shift to `to`: d_j = Σ_{i ≥ j} c_i C(i, j) w^(i − j), w = to − from.
        let w = to - from;
        let high = (0..low.len())
            .map(|j| {
                let mut binomial = 1.0;
                let mut sum = 0.0;
                for (i, c) in low.iter().enumerate().skip(j) {
                    if i > j {
                        binomial = binomial * i as f64 / (i - j) as f64;
                    }
                    sum += c * binomial * w.powi((i - j) as i32);
                }
                sum
            })
            .collect();
        Piece {
            from,
            to,
            low,
            high,
        }
    }

    /// The mass from `from` to `from + t`.
    fn mass_below(&self, t: f64) -> f64 {
        let mut power = t;
        let mut sum = 0.0;
        for (j, c) in self.low.iter().enumerate() {
            sum += c * power / (j + 1) as f64;
            power *= t;
        }
        sum
    }

    /// The mass from `to − r` to `to`: `Σ d_j (−1)^j r^(j+1) / (j + 1)`.
    fn mass_above(&self, r: f64) -> f64 {
        let mut power = r;
        let mut sum = 0.0;
        for (j, d) in self.high.iter().enumerate() {
            sum += d * power / (j + 1) as f64;
            power *= -r;
        }
        sum
    }

    fn mass(&self) -> f64 {
        self.mass_below(self.to - self.from)
    }

    /// The density at `from + t`.
    fn density(&self, t: f64) -> f64 {
        self.low.iter().rev().fold(0.0, |acc, c| acc * t + c)
    }

    /// The density at `to − r`.
    fn density_above(&self, r: f64) -> f64 {
        self.high.iter().rev().fold(0.0, |acc, d| acc * -r + d)
    }

    /// The density times x: about `from`, `x = from + t` gives `c'_j = from · c_j + c_{j−1}`;
    /// likewise about `to`.
    fn biased(&self) -> Piece {
        let times_x = |coefficients: &[f64], at: f64| -> Vec<f64> {
            (0..=coefficients.len())
                .map(|j| {
                    let own = coefficients.get(j).map_or(0.0, |c| at * c);
                    let lower = if j > 0 { coefficients[j - 1] } else { 0.0 };
                    own + lower
                })
                .collect()
        };
        Piece {
            from: self.from,
            to: self.to,
            low: times_x(&self.low, self.from),
            high: times_x(&self.high, self.to),
        }
    }
}

impl Pieces {
    fn new(pieces: Vec<Piece>) -> Self {
        let masses: Vec<f64> = pieces.iter().map(Piece::mass).collect();
        let total = masses.iter().sum();
        Pieces {
            pieces,
            masses,
            total,
        }
    }

    /// `(mass below x, mass above x)`, each summed from its own end.
    fn split(&self, x: f64) -> (f64, f64) {
        let (mut below, mut above) = (0.0, 0.0);
        for (piece, &mass) in self.pieces.iter().zip(&self.masses) {
            if x >= piece.to {
                below += mass;
            } else if x <= piece.from {
                above += mass;
            } else {
                below += piece.mass_below(x - piece.from);
                above += piece.mass_above(piece.to - x);
            }
        }
        (below, above)
    }

    fn inverse(&self, tail: Tail) -> f64 {
        // The pieces are passed from the end the tail counts from.
        let (target, from_above) = match tail {
            Tail::Below(p) => (p * self.total, false),
            Tail::Above(q) => (q * self.total, true),
        };
        let n = self.pieces.len();
        let mut passed = 0.0;
        for step in 0..n {
            let i = if from_above { n - 1 - step } else { step };
            let (piece, mass) = (&self.pieces[i], self.masses[i]);
            if passed + mass >= target || step == n - 1 {
                let want = (target - passed).clamp(0.0, mass);
                let width = piece.to - piece.from;
                let guess = width * want / mass.max(f64::MIN_POSITIVE);
                return if from_above {
                    let f = |r| (piece.mass_above(r) - want, piece.density_above(r));
                    piece.to - search(f, 0.0, width, guess)
                } else {
                    let f = |t| (piece.mass_below(t) - want, piece.density(t));
                    piece.from + search(f, 0.0, width, guess)
                };
            }
            passed += mass;
        }
        unreachable!("a distribution has at least one piece")
    }
}

impl Continuous {
    /// The uniform on `[a, b]`.
    pub(super) fn uniform(a: f64, b: f64) -> Self {
        Continuous::Pieces(Pieces::new(vec![Piece::new(a, b, vec![1.0])]))
    }

    /// The triangular on `[a, b]` with mode `c`.
    pub(super) fn triangular(a: f64, c: f64, b: f64) -> Self {
        let mut pieces = Vec::new();
        if c > a {
            pieces.push(Piece::new(a, c, vec![0.0, 1.0 / (c - a)]));
        }
        if b > c {
            pieces.push(Piece::new(c, b, vec![1.0, -1.0 / (b - c)]));
        }
        Continuous::Pieces(Pieces::new(pieces))
    }

    /// The smallest and largest values it takes (the largest may be infinite).
    pub(super) fn support(&self) -> (f64, f64) {
        match self {
            Continuous::GenGamma { .. } => (0.0, f64::INFINITY),
            Continuous::LogNormal { mu, sigma } if *sigma == 0.0 => (mu.exp(), mu.exp()),
            Continuous::LogNormal { .. } => (0.0, f64::INFINITY),
            Continuous::Pieces(p) => (
                p.pieces.first().map_or(0.0, |p| p.from),
                p.pieces.last().map_or(0.0, |p| p.to),
            ),
        }
    }

    /// `(P(X ≤ x), P(X > x))`, each computed from its own tail.
    pub(super) fn split(&self, x: f64) -> (f64, f64) {
        match self {
            Continuous::GenGamma {
                shape,
                scale,
                power,
            } => {
                if x <= 0.0 {
                    return (0.0, 1.0);
                }
                let y = (x / scale).powf(*power);
                gamma_split(*shape, y)
            }
            Continuous::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    return (0.0, 1.0);
                }
                if *sigma == 0.0 {
                    return if x >= mu.exp() {
                        (1.0, 0.0)
                    } else {
                        (0.0, 1.0)
                    };
                }
                let z = (x.ln() - mu) / (sigma * std::f64::consts::SQRT_2);
                (0.5 * erfc(-z), 0.5 * erfc(z))
            }
            Continuous::Pieces(p) => {
                let (below, above) = p.split(x);
                (below / p.total, above / p.total)
            }
        }
    }

    /// The value at which the tail's probability is reached.
    pub(super) fn inverse(&self, tail: Tail) -> f64 {
        match self {
            Continuous::GenGamma {
                shape,
                scale,
                power,
            } => scale * gamma_inverse(*shape, tail).powf(1.0 / power),
            Continuous::LogNormal { mu, sigma } => {
                let z = match tail {
                    Tail::Below(p) => -erfc_inv(2.0 * p),
                    Tail::Above(q) => erfc_inv(2.0 * q),
                };
                (mu + sigma * std::f64::consts::SQRT_2 * z).exp()
            }
            Continuous::Pieces(p) => p.inverse(tail),
        }
    }

    /// The size-biased form of order `n`, with density `x^n f(x) / E[X^n]`.
    pub(super) fn biased(&self, n: u32) -> Self {
        match self {
            Continuous::GenGamma {
                shape,
                scale,
                power,
            } => Continuous::GenGamma {
                shape: shape + f64::from(n) / power,
                scale: *scale,
                power: *power,
            },
            Continuous::LogNormal { mu, sigma } => Continuous::LogNormal {
                mu: mu + f64::from(n) * sigma * sigma,
                sigma: *sigma,
            },
            Continuous::Pieces(p) => {
                let mut pieces = p.pieces.clone();
                for _ in 0..n {
                    pieces = pieces.iter().map(Piece::biased).collect();
                }
                Continuous::Pieces(Pieces::new(pieces))
            }
        }
    }

    /// `E[X^n]`.
    pub(super) fn raw_moment(&self, n: u32) -> f64 {
        let n_f = f64::from(n);
        match self {
            Continuous::GenGamma {
                shape,
                scale,
                power,
            } => {
                let step = n_f / power;
                if step.fract() == 0.0 && step <= 2.0 {
                    // Γ(a + j)/Γ(a) as a product: exact for every shape, where a difference of
                    // log-gammas of shapes up to 10³⁰⁷ would be noise.
                    (0..step as u32).fold(scale.powf(n_f), |acc, i| acc * (shape + f64::from(i)))
                } else {
                    (n_f * scale.ln() + ln_gamma(shape + step) - ln_gamma(*shape)).exp()
                }
            }
            Continuous::LogNormal { mu, sigma } => {
                (n_f * mu + n_f * n_f * sigma * sigma / 2.0).exp()
            }
            Continuous::Pieces(p) => match self.biased(n) {
                Continuous::Pieces(b) => b.total / p.total,
                _ => unreachable!("pieces stay pieces"),
            },
        }
    }

    /// The distribution's mass in `[lo, hi]` and how to draw from it.
    pub(super) fn window(&self, lo: f64, hi: f64) -> Window {
        let (below_lo, above_lo) = self.split(lo);
        let (below_hi, above_hi) = if hi == f64::INFINITY {
            (1.0, 0.0)
        } else {
            self.split(hi)
        };
        Window {
            lo,
            hi,
            below_lo,
            above_lo,
            below_hi,
            above_hi,
        }
    }
}

/// A range `[lo, hi]` of a continuous distribution, with the probabilities at its ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Window {
    pub(super) lo: f64,
    pub(super) hi: f64,
    below_lo: f64,
    above_lo: f64,
    below_hi: f64,
    above_hi: f64,
}

impl Window {
    /// `P(lo ≤ X ≤ hi)`, from the tail the range is in.
    pub(super) fn probability(&self) -> f64 {
        if self.above_lo <= 0.5 {
            (self.above_lo - self.above_hi).max(0.0)
        } else {
            (self.below_hi - self.below_lo).max(0.0)
        }
    }

    /// The value a share `u` (in (0, 1)) of the way through the range's probability: a draw
    /// from the distribution truncated to the range when `u` is uniform.
    pub(super) fn draw(&self, dist: &Continuous, u: f64) -> f64 {
        let mass = self.probability();
        let t = u * mass;
        let below = self.below_lo + t;
        let x = if below <= 0.5 {
            dist.inverse(Tail::Below(below))
        } else {
            dist.inverse(Tail::Above(self.above_hi + (mass - t)))
        };
        // Inversion may overshoot an end by a rounding error.
        x.clamp(self.lo, self.hi)
    }
}

/// `(P(a, y), Q(a, y))`, the regularised incomplete gamma functions (G ≤ y and G > y for
/// G gamma(a, 1)), each from its own tail.
fn gamma_split(a: f64, y: f64) -> (f64, f64) {
    if y <= 0.0 {
        return (0.0, 1.0);
    }
    if y == f64::INFINITY {
        return (1.0, 0.0);
    }
    if a == 1.0 {
        return (-(-y).exp_m1(), (-y).exp());
    }
    if a > NORMAL_SHAPE {
        let v = 1.0 / (9.0 * a);
        let z = ((y / a).cbrt() - (1.0 - v)) / v.sqrt();
        let z = z / std::f64::consts::SQRT_2;
        return (0.5 * erfc(-z), 0.5 * erfc(z));
    }
    if y < a + 1.0 {
        let p = gamma_series(a, y);
        (p, 1.0 - p)
    } else {
        // statrs's continued fraction (its branch for y > a and y ≥ 1).
        let q = gamma_ur(a, y);
        (1.0 - q, q)
    }
}

/// `P(a, y)` by its series `y^a e^(−y) / Γ(a + 1) · Σ y^n / ((a + 1)…(a + n))`, for
/// `y < a + 1`, where every ratio of terms is below 1. (statrs's own takes any `y` below
/// 10⁻¹⁵ as 0, which is far from right for small shapes.)
fn gamma_series(a: f64, y: f64) -> f64 {
    let log_prefactor = a * y.ln() - y - ln_gamma(a + 1.0);
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for n in 1..=MAX_SERIES_TERMS {
        term *= y / (a + f64::from(n));
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
    }
    (log_prefactor.exp() * sum).min(1.0)
}

/// The density of gamma(a, 1) at `y`.
fn gamma_density(a: f64, y: f64) -> f64 {
    if y <= 0.0 {
        return 0.0;
    }
    ((a - 1.0) * y.ln() - y - ln_gamma(a)).exp()
}

/// The standard normal quantile of a tail probability.
fn normal_inverse(tail: Tail) -> f64 {
    match tail {
        Tail::Below(p) => -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p),
        Tail::Above(q) => std::f64::consts::SQRT_2 * erfc_inv(2.0 * q),
    }
}

/// The `y` at which gamma(a, 1) reaches the tail's probability.
fn gamma_inverse(a: f64, tail: Tail) -> f64 {
    match tail {
        Tail::Below(p) if p <= 0.0 => return 0.0,
        Tail::Above(q) if q <= 0.0 => return f64::INFINITY,
        _ => {}
    }
    if a == 1.0 {
        return match tail {
            Tail::Below(p) => -(-p).ln_1p(),
            Tail::Above(q) => -q.ln(),
        };
    }
    let v = 1.0 / (9.0 * a);
    let z = normal_inverse(tail);
    let wilson_hilferty = a * (1.0 - v + z * v.sqrt()).max(0.0).powi(3);
    if a > NORMAL_SHAPE {
        return wilson_hilferty;
    }
    // A start near the root: Wilson–Hilferty where it is positive and the shape is not
    // small; else the leading term of the lower tail, P ≈ y^a / Γ(a + 1).
    let guess = if a < 1.0 || wilson_hilferty <= 0.0 {
        let p = match tail {
            Tail::Below(p) => p,
            Tail::Above(q) => 1.0 - q,
        };
        ((p.ln() + ln_gamma(a + 1.0)) / a).exp()
    } else {
        wilson_hilferty
    };
    if guess == 0.0 {
        // The root is below the smallest positive float.
        return 0.0;
    }
    // Increasing in y: the distance of the tail's probability from its target.
    let f = |y: f64| {
        let (below, above) = gamma_split(a, y);
        let value = match tail {
            Tail::Below(p) => below - p,
            Tail::Above(q) => q - above,
        };
        (value, gamma_density(a, y))
    };
    // A bracket: 0 below, and above a point where f is positive (doubling reaches one: f
    // rises to 1 − p or q as y grows; an infinite y ends the doubling).
    let mut hi = guess.max(a).max(1.0);
    for _ in 0..2100 {
        if f(hi).0 >= 0.0 || hi == f64::INFINITY {
            break;
        }
        hi *= 2.0;
    }
    search(f, 0.0, hi, guess)
}

/// The root in `[lo, hi]` of an increasing `f` (which returns its value and its derivative),
/// from `guess`: Newton's steps while they stay inside the bracket and shrink it, halving
/// (geometrically when the bracket spans orders of magnitude) otherwise; at most
/// [`MAX_SEARCH_STEPS`] steps.
fn search(f: impl Fn(f64) -> (f64, f64), mut lo: f64, mut hi: f64, guess: f64) -> f64 {
    let mut x = if guess > lo && guess < hi {
        guess
    } else {
        midpoint(lo, hi)
    };
    for _ in 0..MAX_SEARCH_STEPS {
        let (value, slope) = f(x);
        if value == 0.0 {
            return x;
        }
        if value < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - value / slope;
        let next = if slope > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            midpoint(lo, hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= 4.0 * f64::EPSILON * hi {
            return next;
        }
        x = next;
    }
    x
}

/// A point strictly inside `(lo, hi)`: the geometric mean when they differ by more than a
/// factor 4 (so a root near 0 is reached in as many steps as it has orders of magnitude),
/// else the arithmetic mean.
fn midpoint(lo: f64, hi: f64) -> f64 {
    if hi == f64::INFINITY {
        return if lo > 0.0 { lo * 2.0 } else { 1.0 };
    }
    if lo > 0.0 && hi > 4.0 * lo {
        (lo * hi).sqrt()
    } else if lo == 0.0 && hi > 0.0 {
        hi / 16.0
    } else {
        lo + (hi - lo) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(f64::MIN_POSITIVE)
    }

    /// Every family inverts its own distribution and survival functions, far out in both
    /// tails: to 10⁻⁹ of the probability, or within 10⁻¹³ where the value's own rounding
    /// (one unit in the last place of x, far from 0) moves the probability more than that.
    #[test]
    fn inverses_invert_in_both_tails() {
        let near = |dist: &Continuous, got: f64, p: f64| {
            // Only the polynomial pieces start away from 0 (at 1 or 2 here).
            let floor = if matches!(dist, Continuous::Pieces(_)) {
                1e-13
            } else {
                0.0
            };
            (got - p).abs() <= 1e-9 * p + floor
        };
        let cases = [
            Continuous::GenGamma {
                shape: 3.0,
                scale: 2.0,
                power: 1.0,
            },
            Continuous::GenGamma {
                shape: 0.05,
                scale: 10.0,
                power: 1.0,
            },
            Continuous::GenGamma {
                shape: 1.0,
                scale: 4.0,
                power: 1.5,
            },
            Continuous::GenGamma {
                shape: 1.0 + 1.0 / 0.7,
                scale: 4.0,
                power: 0.7,
            },
            Continuous::GenGamma {
                shape: 5e4,
                scale: 1e-3,
                power: 1.0,
            },
            Continuous::LogNormal {
                mu: 1.2,
                sigma: 0.8,
            },
            Continuous::uniform(2.0, 5.0),
            Continuous::triangular(1.0, 2.0, 6.0),
            Continuous::triangular(1.0, 2.0, 6.0).biased(2),
        ];
        for dist in &cases {
            for p in [1e-12, 1e-6, 0.01, 0.3, 0.5] {
                let x = dist.inverse(Tail::Below(p));
                assert!(near(dist, dist.split(x).0, p), "{dist:?} below {p}: x {x}");
                let x = dist.inverse(Tail::Above(p));
                assert!(near(dist, dist.split(x).1, p), "{dist:?} above {p}: x {x}");
            }
        }
    }

    #[test]
    fn size_biased_forms_have_the_moments_of_the_original() {
        // E[X | biased 1] = E[X²] / E[X], checked against the moments of each family.
        let cases = [
            Continuous::GenGamma {
                shape: 3.0,
                scale: 2.0,
                power: 1.0,
            },
            Continuous::GenGamma {
                shape: 1.0,
                scale: 4.0,
                power: 1.5,
            },
            Continuous::LogNormal {
                mu: 1.2,
                sigma: 0.8,
            },
            Continuous::triangular(1.0, 2.0, 6.0),
            Continuous::uniform(0.0, 2.0),
        ];
        for dist in &cases {
            let biased_mean = dist.biased(1).raw_moment(1);
            let expected = dist.raw_moment(2) / dist.raw_moment(1);
            assert!(close(biased_mean, expected, 1e-12), "{dist:?}");
        }
        // Hand-checked: the uniform on [0, 2] has mean 1 and E[X²] = 4/3; the triangular
        // (1, 2, 6) has mean 3.
        assert!(close(
            Continuous::uniform(0.0, 2.0).raw_moment(2),
            4.0 / 3.0,
            1e-15
        ));
        assert!(close(
            Continuous::triangular(1.0, 2.0, 6.0).raw_moment(1),
            3.0,
            1e-15
        ));
        // Exponential mean 4: E[X²] = 2·16.
        let exponential = Continuous::GenGamma {
            shape: 1.0,
            scale: 4.0,
            power: 1.0,
        };
        assert!(close(exponential.raw_moment(2), 32.0, 1e-15));
    }

    #[test]
    fn small_shapes_keep_their_lower_tail() {
        // P(0.1, 10⁻²⁰) = 10⁻² / Γ(1.1) (1 + O(10⁻²⁰)), where statrs's series says 0.
        let (below, _) = gamma_split(0.1, 1e-20);
        assert!(close(
            below,
            0.01 / statrs::function::gamma::gamma(1.1),
            1e-12
        ));
    }

    #[test]
    fn windows_far_in_the_upper_tail_keep_their_precision() {
        // Exponential mean 1: P(40 ≤ X ≤ 41) = e⁻⁴⁰(1 − e⁻¹), about 2.7·10⁻¹⁸, which the
        // difference of distribution functions would give as 0.
        let dist = Continuous::GenGamma {
            shape: 1.0,
            scale: 1.0,
            power: 1.0,
        };
        let w = dist.window(40.0, 41.0);
        let exact = (-40f64).exp() * (1.0 - (-1f64).exp());
        assert!(close(w.probability(), exact, 1e-12));
        for u in [1e-9, 0.5, 1.0 - 1e-9] {
            let x = w.draw(&dist, u);
            // By hand: 40 − ln(1 − u (1 − e⁻¹)).
            let exact = 40.0 - (-u * (1.0 - (-1f64).exp())).ln_1p();
            assert!(close(x, exact, 1e-14), "{u}: {x} {exact}");
        }
    }
}
