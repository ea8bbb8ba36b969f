//! The sampling algorithms behind every random draw in careflow, written on `rand_core` alone.
//!
//! careflow promises that the same seed gives the same output from one release to the next
//! unless its CHANGELOG says otherwise. The generator's output is fixed by its published
//! algorithm (xoshiro256++, see `rng.rs`); how its 64-bit words become stays, gaps and choices
//! is fixed here, by careflow's own code and the golden values in the tests below, rather than
//! by a distribution crate that may change its algorithms in a minor release (which is why
//! careflow used to pin `rand` and `rand_distr` exactly, and so fought its users' versions).
//!
//! Each algorithm is exact — it draws from the stated distribution up to floating-point
//! rounding, with no truncated series or table of limited resolution — short enough to check
//! by eye, and fast. Inversion (`F⁻¹(U)`) is used wherever the inverse distribution function
//! is cheap, because it spends exactly one 64-bit word per value, so that how many words a
//! draw consumes never depends on the value drawn:
//!
//! | distribution | algorithm | words per value |
//! |---|---|---|
//! | uniform on [0, 1) | the top 53 bits of a word, × 2⁻⁵³ | 1 |
//! | uniform on (0, 1) | the top 52 bits of a word, + ½, × 2⁻⁵² | 1 |
//! | integer in [0, n) | Lemire's multiply-and-reject, unbiased | 1 (more with probability < n / 2⁶⁴) |
//! | exponential | inversion, `−ln U`, U on (0, 1) | 1 |
//! | normal | inversion by Wichura's algorithm AS 241 | 1 |
//! | lognormal | `exp(μ + σ Z)`, Z normal | 1 |
//! | gamma, shape ≥ 1 | Marsaglia and Tsang's squeeze-and-reject | 2 per try; ≥ 95% of tries accepted |
//! | gamma, shape < 1 | Marsaglia and Tsang's boost: `G(shape + 1) · U^(1/shape)` | as above, + 1 |
//! | Weibull | inversion, `λ (−ln U)^(1/k)` | 1 |
//! | triangular | inversion (two square-root branches) | 1 |
//! | uniform on [a, b) | `a + (b − a) U`, redrawn in the rare case rounding reaches `b` | 1 |
//!
//! References:
//!
//! - D. Lemire, "Fast random integer generation in an interval", ACM Transactions on
//!   Modeling and Computer Simulation 29(1), 2019.
//! - M. J. Wichura, "Algorithm AS 241: The percentage points of the normal distribution",
//!   Applied Statistics 37(3), 477–484, 1988 (relative error about 1e-16).
//! - G. Marsaglia and W. W. Tsang, "A simple method for generating gamma variables",
//!   ACM Transactions on Mathematical Software 26(3), 363–372, 2000.
//! - L. Devroye, *Non-Uniform Random Variate Generation*, Springer, 1986, chapter II
//!   (inversion).
//!
//! The uniform [0, 1) mapping is the one `rand`'s `StandardUniform` uses for `f64`, so
//! uniform draws (routes, pathways, readmissions, thinning) keep their values from earlier
//! releases; the rest differ from the `rand_distr` algorithms careflow used before.
//!
//! Arithmetic is written out (`a * b + c`, never `mul_add`), so results do not depend on whether
//! the target has fused multiply-add instructions. The transcendental functions (`ln`, `exp`, `powf`) come from the platform's maths library;
//! a platform whose library rounds a last bit differently can differ in that bit.

use rand_core::RngCore;

/// 2⁻⁵³: the spacing of the 53-bit uniform grid on [0, 1).
const TWO_POW_MINUS_53: f64 = 1.0 / (1u64 << 53) as f64;
/// 2⁻⁵²: the spacing of the 52-bit uniform grid on (0, 1).
const TWO_POW_MINUS_52: f64 = 1.0 / (1u64 << 52) as f64;

/// A uniform draw on [0, 1): one of the 2⁵³ multiples of 2⁻⁵³ below 1, equally likely.
#[inline]
pub(crate) fn uniform01<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * TWO_POW_MINUS_53
}

/// A uniform draw on the open interval (0, 1): one of the 2⁵² odd multiples of 2⁻⁵³,
/// equally likely, so never 0 (whose logarithm is −∞) and never 1, and symmetric about ½.
#[inline]
pub(crate) fn open01<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    // k + ½ with k < 2⁵² needs 53 significant bits: exact.
    ((rng.next_u64() >> 12) as f64 + 0.5) * TWO_POW_MINUS_52
}

/// A uniform integer in [0, n), unbiased, by Lemire's method: the high word of a 64 × 64-bit
/// product, rejecting the `2⁶⁴ mod n` low words that would make some results more likely.
///
/// `n` must be at least 1.
#[inline]
pub(crate) fn below<R: RngCore + ?Sized>(rng: &mut R, n: u64) -> u64 {
    debug_assert!(n > 0, "below(0) has no value to return");
    let mut product = u128::from(rng.next_u64()) * u128::from(n);
    if (product as u64) < n {
        // 2⁶⁴ mod n, computed in 64 bits as (2⁶⁴ − n) mod n.
        let threshold = n.wrapping_neg() % n;
        while (product as u64) < threshold {
            product = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (product >> 64) as u64
}

/// A uniform index into a slice of length `len` (at least 1).
#[inline]
pub(crate) fn index<R: RngCore + ?Sized>(rng: &mut R, len: usize) -> usize {
    // usize is at most 64 bits on every supported platform, so both conversions are exact.
    below(rng, len as u64) as usize
}

/// A standard exponential draw (mean 1) by inversion: `−ln U` with U uniform on (0, 1), so
/// always above 0 and at most 53 ln 2 ≈ 36.7.
#[inline]
pub(crate) fn standard_exponential<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    -open01(rng).ln()
}

/// A standard normal draw (mean 0, sd 1) by inversion: `Φ⁻¹(U)` with U uniform on (0, 1).
#[inline]
pub(crate) fn standard_normal<R: RngCore + ?Sized>(rng: &mut R) -> f64 {
    normal_quantile(open01(rng))
}

/// Φ⁻¹(p) for p in (0, 1): Wichura's algorithm AS 241 (PPND16), rational approximations on
/// three regions with relative error about 1e-16.
pub(crate) fn normal_quantile(p: f64) -> f64 {
    /// Evaluates the polynomial with coefficients `c` (constant first) at `x` (Horner).
    #[inline]
    fn poly(c: &[f64; 8], x: f64) -> f64 {
        c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
    }
    const A: [f64; 8] = [
        3.387_132_872_796_366_608_0,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083_0e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061_0e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561_0e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_90,
        5.769_497_221_460_691_405_50,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_70e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_40e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_40,
        6.897_673_349_851_000_045_50e-1,
        1.481_039_764_274_800_745_90e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946_00e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_20,
        5.463_784_911_164_114_369_90,
        1.784_826_539_917_291_335_80,
        2.965_605_718_285_048_912_30e-1,
        2.653_218_952_657_612_309_30e-2,
        1.242_660_947_388_078_438_60e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_90e-1,
        1.369_298_809_227_358_053_10e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591_00e-4,
        1.846_318_317_510_054_681_80e-5,
        1.421_511_758_316_445_888_70e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    debug_assert!(
        p > 0.0 && p < 1.0,
        "normal_quantile needs p in (0, 1), got {p}"
    );
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -x } else { x }
}

/// The exponential distribution with a given mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Exponential {
    mean: f64,
}

impl Exponential {
    /// `None` unless `mean` is finite and above 0.
    pub(crate) fn new(mean: f64) -> Option<Self> {
        (mean.is_finite() && mean > 0.0).then_some(Exponential { mean })
    }

    /// One draw, by inversion.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        self.mean * standard_exponential(rng)
    }
}

/// The lognormal distribution: `exp(μ + σ Z)` with Z standard normal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// From the parameters of the underlying normal; `None` unless both are finite and
    /// `sigma` is at least 0.
    pub(crate) fn new(mu: f64, sigma: f64) -> Option<Self> {
        (mu.is_finite() && sigma.is_finite() && sigma >= 0.0).then_some(LogNormal { mu, sigma })
    }

    /// From the mean and coefficient of variation of the lognormal itself:
    /// `σ² = ln(1 + cv²)`, `μ = ln(mean) − σ²/2`. `None` unless `mean` is above 0 and the
    /// resulting `μ` and `σ` are finite.
    pub(crate) fn from_mean_cv(mean: f64, cv: f64) -> Option<Self> {
        if !(mean > 0.0 && cv >= 0.0) {
            return None;
        }
        let sigma2 = (cv * cv).ln_1p();
        Self::new(mean.ln() - sigma2 / 2.0, sigma2.sqrt())
    }

    /// One draw: one standard normal, by inversion.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        (self.mu + self.sigma * standard_normal(rng)).exp()
    }
}

/// The gamma distribution with shape `k` and scale `θ` (mean `kθ`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Gamma {
    /// Marsaglia–Tsang's `d = a − ⅓` for `a` = the shape, or the shape + 1 when below 1.
    d: f64,
    /// Marsaglia–Tsang's `c = 1 / √(9d)`.
    c: f64,
    /// `1 / shape` when the shape is below 1 (the boost's exponent); 0 otherwise.
    boost: f64,
    scale: f64,
}

impl Gamma {
    /// `None` unless `shape` and `scale` are finite and above 0.
    pub(crate) fn new(shape: f64, scale: f64) -> Option<Self> {
        if !(shape.is_finite() && shape > 0.0 && scale.is_finite() && scale > 0.0) {
            return None;
        }
        let (a, boost) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = a - 1.0 / 3.0;
        Some(Gamma {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            boost,
            scale,
        })
    }

    /// One draw by Marsaglia and Tsang's method (2000): propose `d (1 + c Z)³` with Z
    /// standard normal, accept with a cheap squeeze or the exact log test; for a shape below
    /// 1, draw with shape + 1 and multiply by `U^(1/shape)`.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let g = loop {
            let x = standard_normal(rng);
            let v = 1.0 + self.c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = open01(rng);
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln()) {
                break self.d * v;
            }
        };
        if self.boost > 0.0 {
            // U^(1/shape) as exp(ln U / shape): the same value, without powf's extra work.
            g * (open01(rng).ln() * self.boost).exp() * self.scale
        } else {
            g * self.scale
        }
    }
}

/// The Weibull distribution with shape `k` and scale `λ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Weibull {
    inverse_shape: f64,
    scale: f64,
}

impl Weibull {
    /// `None` unless `shape`, `1 / shape` and `scale` are finite and above 0.
    pub(crate) fn new(shape: f64, scale: f64) -> Option<Self> {
        let inverse_shape = 1.0 / shape;
        let valid = shape > 0.0 && inverse_shape.is_finite() && scale.is_finite() && scale > 0.0;
        (valid && shape.is_finite()).then_some(Weibull {
            inverse_shape,
            scale,
        })
    }

    /// One draw, by inversion: `λ (−ln U)^(1/k)`.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        self.scale * standard_exponential(rng).powf(self.inverse_shape)
    }
}

/// The triangular distribution on [min, max] with the given mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    /// `None` unless all three are finite, `min <= mode <= max` and `min < max`.
    pub(crate) fn new(min: f64, mode: f64, max: f64) -> Option<Self> {
        let finite = min.is_finite() && mode.is_finite() && max.is_finite();
        (finite && min <= mode && mode <= max && min < max).then_some(Triangular { min, mode, max })
    }

    /// One draw, by inversion: with `F(mode) = (mode − min) / (max − min)`, below it
    /// `min + √(U (max − min)(mode − min))`, above it `max − √((1 − U)(max − min)(max − mode))`.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        let range = self.max - self.min;
        let u = uniform01(rng) * range;
        if u < self.mode - self.min {
            self.min + (u * (self.mode - self.min)).sqrt()
        } else {
            self.max - ((range - u) * (self.max - self.mode)).sqrt()
        }
    }
}

/// The continuous uniform distribution on [low, high).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Uniform {
    low: f64,
    high: f64,
}

impl Uniform {
    /// `None` unless both bounds and their difference are finite and `low < high`.
    pub(crate) fn new(low: f64, high: f64) -> Option<Self> {
        (low < high && (high - low).is_finite()).then_some(Uniform { low, high })
    }

    /// One draw: `low + (high − low) U`, redrawn when rounding lands on `high` (possible
    /// only for U within a few 2⁻⁵³ of 1), so that the interval stays half-open.
    #[inline]
    pub(crate) fn sample<R: RngCore + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let x = self.low + (self.high - self.low) * uniform01(rng);
            if x < self.high {
                return x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimRng;
    use crate::rng::seeded;
    use statrs::distribution::{self as sd, ChiSquared, ContinuousCDF};

    /// A generator that returns the given words in turn and counts how many were taken, to
    /// reach the edges of each mapping and to count the words a draw consumes.
    struct Words<'a> {
        words: &'a [u64],
        taken: usize,
    }

    impl<'a> Words<'a> {
        fn new(words: &'a [u64]) -> Self {
            Words { words, taken: 0 }
        }
    }

    impl RngCore for Words<'_> {
        fn next_u32(&mut self) -> u32 {
            (self.next_u64() >> 32) as u32
        }
        fn next_u64(&mut self) -> u64 {
            let w = self.words[self.taken];
            self.taken += 1;
            w
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            rand_core::impls::fill_bytes_via_next(self, dest)
        }
    }

    /// Asserts `got` equals `want` to 1e-12 relative: any change of algorithm or of how words
    /// are consumed moves these values by far more, while a platform's maths library may
    /// round a last bit of `ln`, `exp` or `powf` differently.
    fn assert_golden(name: &str, got: &[f64], want: &[f64]) {
        for (g, w) in got.iter().zip(want) {
            assert!(
                (g - w).abs() <= 1e-12 * w.abs(),
                "{name}: got {got:?}, golden {want:?}"
            );
        }
    }

    /// Value stability: the first draws from the stream with key 2026 for each sampler, in
    /// one sequence. They were also computed independently (a Python transcription of each
    /// algorithm, CPython's `NormalDist.inv_cdf` for AS 241, fed the words of the reference
    /// xoshiro256++ C code) and agree to the last bit. A change here changes every seeded
    /// result of careflow and must be announced in the CHANGELOG.
    #[test]
    fn golden_values_are_stable() {
        fn draw(r: &mut SimRng, n: usize, f: impl Fn(&mut SimRng) -> f64) -> Vec<f64> {
            (0..n).map(|_| f(r)).collect()
        }
        let mut r = seeded(2026);
        // Exact: no transcendental function is involved.
        assert_eq!(
            draw(&mut r, 4, |r| uniform01(r)),
            [
                0.4270010221773205,
                0.6140892676704854,
                0.7219597607395053,
                0.8641163769559304
            ]
        );
        assert_eq!(
            draw(&mut r, 4, |r| open01(r)),
            [
                0.03020802672880707,
                0.9152057286617504,
                0.808755711544446,
                0.8991470195235759
            ]
        );
        let ints: Vec<u64> = (0..6).map(|_| below(&mut r, 1_000_003)).collect();
        assert_eq!(ints, [824688, 474016, 909172, 586465, 972566, 953810]);
        assert_golden(
            "exponential",
            &draw(&mut r, 4, |r| standard_exponential(r)),
            &[
                0.7886617409342673,
                1.4291792004060249,
                0.39095813776555444,
                0.6314679412478178,
            ],
        );
        assert_golden(
            "normal",
            &draw(&mut r, 4, |r| standard_normal(r)),
            &[
                -1.0502113214845523,
                -0.7286790962507251,
                -0.7691636105623251,
                -0.6850986541939805,
            ],
        );
        let lognormal = LogNormal::from_mean_cv(5.0, 0.8).unwrap();
        assert_golden(
            "lognormal",
            &draw(&mut r, 4, |r| lognormal.sample(r)),
            &[
                8.358979929948543,
                1.5481192608805472,
                11.419123821521701,
                4.984459396125707,
            ],
        );
        let gamma = Gamma::new(2.25, 4.0 / 3.0).unwrap();
        assert_golden(
            "gamma",
            &draw(&mut r, 4, |r| gamma.sample(r)),
            &[
                4.07853406895817,
                4.968235206683983,
                3.803205996792626,
                2.6729546609010724,
            ],
        );
        let small = Gamma::new(0.3, 10.0).unwrap();
        assert_golden(
            "gamma, shape below 1",
            &draw(&mut r, 4, |r| small.sample(r)),
            &[
                0.07948107490749633,
                4.168652629079936,
                3.01944274548677,
                0.0006638014504062506,
            ],
        );
        let weibull = Weibull::new(1.5, 10.0).unwrap();
        assert_golden(
            "weibull",
            &draw(&mut r, 4, |r| weibull.sample(r)),
            &[
                0.9242297631139216,
                1.714854267975796,
                4.89504074212148,
                4.514171542235558,
            ],
        );
        let triangular = Triangular::new(1.0, 2.0, 6.0).unwrap();
        assert_golden(
            "triangular",
            &draw(&mut r, 4, |r| triangular.sample(r)),
            &[
                2.088558486587667,
                3.9048284501136856,
                4.046783000577094,
                3.228456220219083,
            ],
        );
        let uniform = Uniform::new(2.0, 4.0).unwrap();
        assert_eq!(
            draw(&mut r, 4, |r| uniform.sample(r)),
            [
                3.2859729271277542,
                2.1774358292475244,
                2.4937075447336934,
                2.3675894408567437
            ]
        );
        let exponential = Exponential::new(4.0).unwrap();
        assert_golden(
            "exponential, mean 4",
            &draw(&mut r, 4, |r| exponential.sample(r)),
            &[
                2.9362182702641952,
                0.5480565309546367,
                1.1476101670447625,
                4.078844783881363,
            ],
        );
    }

    /// The inversion samplers take exactly one word per value, whatever the value.
    #[test]
    fn inversion_takes_one_word_per_value() {
        let words: Vec<u64> = {
            let mut r = seeded(7);
            (0..1_000).map(|_| r.next_u64()).collect()
        };
        let lognormal = LogNormal::new(1.0, 2.0).unwrap();
        let weibull = Weibull::new(0.7, 3.0).unwrap();
        let triangular = Triangular::new(0.0, 0.0, 1.0).unwrap();
        let exponential = Exponential::new(2.0).unwrap();
        let samplers: [(&str, &dyn Fn(&mut Words) -> f64); 7] = [
            ("uniform01", &|r| uniform01(r)),
            ("open01", &|r| open01(r)),
            ("exponential", &|r| exponential.sample(r)),
            ("normal", &|r| standard_normal(r)),
            ("lognormal", &|r| lognormal.sample(r)),
            ("weibull", &|r| weibull.sample(r)),
            ("triangular", &|r| triangular.sample(r)),
        ];
        for (name, sample) in samplers {
            let mut r = Words::new(&words);
            for _ in 0..1_000 {
                sample(&mut r);
            }
            assert_eq!(r.taken, 1_000, "{name}");
        }
    }

    /// The extreme words: 0 and 2⁶⁴ − 1.
    #[test]
    fn the_uniform_mappings_stay_inside_their_intervals() {
        let mut r = Words::new(&[0, u64::MAX, 0, u64::MAX]);
        assert_eq!(uniform01(&mut r), 0.0);
        assert_eq!(uniform01(&mut r), 1.0 - TWO_POW_MINUS_53);
        assert_eq!(open01(&mut r), TWO_POW_MINUS_53);
        assert_eq!(open01(&mut r), 1.0 - TWO_POW_MINUS_53);

        // The exponential is never 0 nor infinite; the normal is finite at both ends.
        let mut r = Words::new(&[0, u64::MAX, 0, u64::MAX]);
        assert_eq!(standard_exponential(&mut r), 53.0 * std::f64::consts::LN_2);
        let smallest = standard_exponential(&mut r);
        assert!(smallest > 0.0 && smallest < 2e-16, "{smallest}");
        let (low, high) = (standard_normal(&mut r), standard_normal(&mut r));
        assert_eq!(
            low, -high,
            "the open interval is symmetric, so the tails are"
        );
        assert!(high > 8.0 && high < 8.5, "{high}");
    }

    /// 1 + 2 (1 − 2⁻⁵³) rounds to 3: the uniform on [1, 3) must draw again, not return 3.
    #[test]
    fn a_uniform_that_rounds_onto_its_upper_bound_draws_again() {
        let mut r = Words::new(&[u64::MAX, 0]);
        assert_eq!(Uniform::new(1.0, 3.0).unwrap().sample(&mut r), 1.0);
        assert_eq!(r.taken, 2);
    }

    /// n = 2⁶³ + 1: almost half of all words must be rejected to avoid bias, and word 2 is
    /// one of them (its low product word, 2, is below 2⁶⁴ mod n = 2⁶³ − 1).
    #[test]
    fn lemire_rejects_the_words_that_would_bias_the_result() {
        let n = (1u64 << 63) + 1;
        let mut r = Words::new(&[2, u64::MAX]);
        let want = ((u128::from(u64::MAX) * u128::from(n)) >> 64) as u64;
        assert_eq!(below(&mut r, n), want);
        assert_eq!(r.taken, 2);
        // n = 1 always gives 0, and still takes one word.
        let mut r = Words::new(&[u64::MAX]);
        assert_eq!(index(&mut r, 1), 0);
        assert_eq!(r.taken, 1);
    }

    #[test]
    fn invalid_parameters_are_refused() {
        assert!(Exponential::new(0.0).is_none());
        assert!(Exponential::new(f64::INFINITY).is_none());
        assert!(LogNormal::new(f64::NAN, 1.0).is_none());
        assert!(LogNormal::new(0.0, -1.0).is_none());
        assert!(LogNormal::from_mean_cv(0.0, 1.0).is_none());
        assert!(LogNormal::from_mean_cv(1.0, f64::INFINITY).is_none());
        assert!(Gamma::new(0.0, 1.0).is_none());
        assert!(Gamma::new(f64::INFINITY, 1.0).is_none());
        assert!(Gamma::new(1.0, f64::NAN).is_none());
        assert!(Weibull::new(1e-310, 1.0).is_none(), "1 / shape overflows");
        assert!(Weibull::new(1.0, 0.0).is_none());
        assert!(Triangular::new(2.0, 1.0, 3.0).is_none());
        assert!(Triangular::new(1.0, 1.0, 1.0).is_none());
        assert!(Uniform::new(1.0, 1.0).is_none());
        assert!(
            Uniform::new(-f64::MAX, f64::MAX).is_none(),
            "the width overflows"
        );
    }

    /// AS 241 against Φ⁻¹ computed to 60 digits (mpmath: bisection on `ln ncdf(x) = ln p`), in all
    /// three of its regions and at the smallest open01 value: within 1e-15 relative (a few
    /// units in the last place); and symmetric.
    #[test]
    fn the_normal_quantile_matches_high_precision_values() {
        let reference = [
            (TWO_POW_MINUS_53, -8.209_536_151_601_386_855_6),
            (1e-300, -37.047_096_299_361_199_236_6),
            (1e-20, -9.262_340_089_798_407_579_6),
            (1e-12, -7.034_483_825_301_131_932_6),
            (1e-6, -4.753_424_308_822_898_957_3),
            (0.01, -2.326_347_874_040_841_093_1),
            (0.074, -1.446_632_067_158_978_509_9),
            (0.076, -1.432_502_720_825_811_618_8),
            (0.3, -0.524_400_512_708_040_815_97),
            (0.975, 1.959_963_984_540_053_855_6),
        ];
        for (p, want) in reference {
            let x = normal_quantile(p);
            assert!(
                (x / want - 1.0).abs() < 1e-15,
                "p {p}: got {x}, want {want}"
            );
            // Symmetric wherever 1 − p is exact.
            if p < 0.5 && 1.0 - (1.0 - p) == p {
                assert_eq!(normal_quantile(1.0 - p), -x, "symmetry at p {p}");
            }
        }
        assert_eq!(normal_quantile(0.5), 0.0);
    }

    /// Sample statistics of `n` draws against a distribution: the mean within 5 standard
    /// errors (σ/√n), the variance within 5 standard errors (√((μ₄ − σ⁴)/n), from the stated
    /// kurtosis), and the Kolmogorov–Smirnov distance within the Dvoretzky–Kiefer–Wolfowitz
    /// bound `P(D > ε) ≤ 2 exp(−2nε²)` (Massart's constant) at 1e-6, which holds for every
    /// n. A correct sampler fails one with probability about 1e-6.
    fn check_distribution(
        name: &str,
        seed: u64,
        mut sample: impl FnMut(&mut SimRng) -> f64,
        cdf: impl Fn(f64) -> f64,
        (mean, variance, kurtosis): (f64, f64, f64),
    ) {
        let n = 200_000;
        let mut r = seeded(seed);
        let mut xs: Vec<f64> = (0..n).map(|_| sample(&mut r)).collect();
        let nf = n as f64;
        let m = xs.iter().sum::<f64>() / nf;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (nf - 1.0);
        let se_mean = (variance / nf).sqrt();
        assert!(
            (m - mean).abs() < 5.0 * se_mean,
            "{name}: mean {m}, expected {mean} ± {se_mean}"
        );
        let se_var = ((kurtosis - 1.0) * variance * variance / nf).sqrt();
        assert!(
            (v - variance).abs() < 5.0 * se_var,
            "{name}: variance {v}, expected {variance} ± {se_var}"
        );
        xs.sort_by(f64::total_cmp);
        let d = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / nf).max((i + 1) as f64 / nf - f)
            })
            .fold(0.0, f64::max);
        let epsilon = ((2.0 / 1e-6_f64).ln() / (2.0 * nf)).sqrt();
        assert!(d < epsilon, "{name}: KS distance {d}, bound {epsilon}");
    }

    /// Kurtosis (μ₄/σ⁴) and variance from the first four raw moments.
    fn from_raw_moments(m: [f64; 4]) -> (f64, f64, f64) {
        let [m1, m2, m3, m4] = m;
        let variance = m2 - m1 * m1;
        let mu4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1.powi(4);
        (m1, variance, mu4 / (variance * variance))
    }

    #[test]
    fn uniforms_follow_their_distributions() {
        let unit = |x: f64| x.clamp(0.0, 1.0);
        check_distribution(
            "uniform01",
            1,
            |r| uniform01(r),
            unit,
            (0.5, 1.0 / 12.0, 1.8),
        );
        check_distribution("open01", 2, |r| open01(r), unit, (0.5, 1.0 / 12.0, 1.8));
        let u = Uniform::new(2.0, 4.0).unwrap();
        let cdf = |x: f64| ((x - 2.0) / 2.0).clamp(0.0, 1.0);
        check_distribution(
            "uniform(2, 4)",
            3,
            |r| u.sample(r),
            cdf,
            (3.0, 4.0 / 12.0, 1.8),
        );
    }

    #[test]
    fn exponentials_follow_their_distribution() {
        check_distribution(
            "standard exponential",
            4,
            |r| standard_exponential(r),
            |x| -(-x).exp_m1(),
            (1.0, 1.0, 9.0),
        );
        let e = Exponential::new(4.0).unwrap();
        let cdf = |x: f64| -(-x / 4.0).exp_m1();
        check_distribution("exponential(4)", 5, |r| e.sample(r), cdf, (4.0, 16.0, 9.0));
    }

    #[test]
    fn normals_and_lognormals_follow_their_distributions() {
        let normal = sd::Normal::new(0.0, 1.0).unwrap();
        check_distribution(
            "standard normal",
            6,
            |r| standard_normal(r),
            |x| normal.cdf(x),
            (0.0, 1.0, 3.0),
        );
        // Mean 5, sd 4 (the lognormal of the length-of-stay tests) and a heavy tail, cv 2.
        for (seed, mean, cv) in [(7, 5.0, 0.8), (8, 3.0, 2.0)] {
            let d = LogNormal::from_mean_cv(mean, cv).unwrap();
            let sigma2 = f64::ln_1p(cv * cv);
            let mu = f64::ln(mean) - sigma2 / 2.0;
            let reference = sd::LogNormal::new(mu, sigma2.sqrt()).unwrap();
            let raw = [1.0, 2.0, 3.0, 4.0].map(|k| (k * mu + k * k * sigma2 / 2.0).exp());
            check_distribution(
                &format!("lognormal(mean {mean}, cv {cv})"),
                seed,
                |r| d.sample(r),
                |x| reference.cdf(x),
                from_raw_moments(raw),
            );
        }
    }

    #[test]
    fn gammas_follow_their_distribution() {
        // Below 1 (the boost), exactly 1, the length-of-stay tests' 4, and a large shape.
        for (seed, shape, scale) in [
            (9, 0.3, 10.0),
            (10, 1.0, 2.0),
            (11, 4.0, 0.75),
            (12, 80.0, 0.1),
        ] {
            let d = Gamma::new(shape, scale).unwrap();
            let reference = sd::Gamma::new(shape, 1.0 / scale).unwrap();
            check_distribution(
                &format!("gamma({shape}, {scale})"),
                seed,
                |r| d.sample(r),
                |x| reference.cdf(x),
                (shape * scale, shape * scale * scale, 3.0 + 6.0 / shape),
            );
        }
    }

    #[test]
    fn weibulls_follow_their_distribution() {
        use statrs::function::gamma::gamma;
        for (seed, shape, scale) in [(13, 0.7, 3.0), (14, 1.5, 10.0), (15, 5.0, 2.0)] {
            let d = Weibull::new(shape, scale).unwrap();
            let reference = sd::Weibull::new(shape, scale).unwrap();
            let raw = [1.0, 2.0, 3.0, 4.0].map(|k| scale.powf(k) * gamma(1.0 + k / shape));
            check_distribution(
                &format!("weibull({shape}, {scale})"),
                seed,
                |r| d.sample(r),
                |x| reference.cdf(x),
                from_raw_moments(raw),
            );
        }
    }

    #[test]
    fn triangulars_follow_their_distribution() {
        // Interior, left-edge and right-edge modes. Excess kurtosis is −3/5 for every
        // triangular distribution.
        for (seed, min, mode, max) in [
            (16, 1.0, 2.0, 6.0),
            (17, 0.0, 0.0, 3.0),
            (18, 2.0, 5.0, 5.0),
        ] {
            let d = Triangular::new(min, mode, max).unwrap();
            let reference = sd::Triangular::new(min, max, mode).unwrap();
            let variance =
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0;
            check_distribution(
                &format!("triangular({min}, {mode}, {max})"),
                seed,
                |r| d.sample(r),
                |x| reference.cdf(x),
                ((min + mode + max) / 3.0, variance, 2.4),
            );
        }
    }

    /// Pearson's χ² over the n equally likely values (or over 8 equal bins of [0, n) for a
    /// huge n), against the χ² quantile at 1 − 1e-6.
    #[test]
    fn integer_draws_are_uniform() {
        for (seed, n, bins) in [(19, 7u64, 7u64), (20, 1_000, 1_000), (21, (1 << 63) + 1, 8)] {
            let draws = 400_000;
            let mut r = seeded(seed);
            let mut counts = vec![0u64; bins as usize];
            for _ in 0..draws {
                let x = below(&mut r, n);
                assert!(x < n);
                counts[(u128::from(x) * u128::from(bins) / u128::from(n)) as usize] += 1;
            }
            let expected = draws as f64 / bins as f64;
            let chi2: f64 = counts
                .iter()
                .map(|&c| (c as f64 - expected).powi(2) / expected)
                .sum();
            let critical = ChiSquared::new((bins - 1) as f64)
                .unwrap()
                .inverse_cdf(1.0 - 1e-6);
            assert!(chi2 < critical, "n {n}: χ² {chi2}, critical {critical}");
        }
    }
}
