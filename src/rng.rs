//! The random number generator careflow uses, and how its seeds are derived.
//!
//! Every random number in a run comes from [`SimRng`], a portable generator whose output is
//! fixed by its algorithm (xoshiro256++), so the same seed gives the same results on every
//! platform and with every future careflow release that does not say otherwise in its
//! CHANGELOG.
//!
//! Seeds are derived from keys, never from threads or clocks:
//!
//! - replication `r` of any variant is seeded from `(base_seed, r)` only
//!   ([`replication_seed`]), so variants share random numbers (common random numbers);
//! - inside a replication, each purpose has its own stream ([`stream_seed`]): each arrival stream
//!   draws its inter-arrival times from one generator, and each patient draws their lengths of
//!   stay and routes from a generator keyed by (replication, arrival stream, arrival number).
//!   A policy change that reorders events therefore never shifts the random numbers of an
//!   unrelated patient.

use rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The named, portable generator behind every random draw in careflow.
///
/// It implements the `rand_core` 0.9 traits (re-exported as [`careflow::rand_core`](crate::rand_core)),
/// so any `rand` 0.9 release can draw from it too.
///
/// # Example
///
/// ```
/// use careflow::SimRng;
/// use careflow::rand_core::{RngCore, SeedableRng};
///
/// let mut a = SimRng::seed_from_u64(7);
/// let mut b = SimRng::seed_from_u64(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
pub type SimRng = Xoshiro256PlusPlus;

/// The purpose of a stream inside one replication; part of every stream key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum Purpose {
    /// Inter-arrival times of one arrival stream.
    Arrivals = 1,
    /// One patient's own draws: lengths of stay and routes.
    Patient = 2,
    /// One elective patient's own draws, keyed by (list, booking number).
    Elective = 3,
    /// One census patient's own draws, keyed by (census row, patient number).
    Census = 4,
    /// One listed census patient's own draws (`census_patients.csv`, `census_queue.csv`),
    /// keyed by their place in the list.
    CensusList = 5,
}

/// SplitMix64's output function: a bijective mixer with good avalanche, used to fold key parts.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Folds `parts` into `seed`, one part at a time, so that distinct keys give unrelated seeds.
fn fold(seed: u64, parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(mix64(seed ^ 0x9e37_79b9_7f4a_7c15), |acc, &part| {
            mix64(acc.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ mix64(part))
        })
}

/// The seed of replication `replication` in an experiment with seed `base_seed`.
///
/// It depends on nothing else: not the variant, not the thread that runs it.
///
/// # Example
///
/// ```
/// use careflow::replication_seed;
///
/// assert_eq!(replication_seed(42, 3), replication_seed(42, 3));
/// assert_ne!(replication_seed(42, 3), replication_seed(42, 4));
/// ```
pub fn replication_seed(base_seed: u64, replication: u64) -> u64 {
    fold(base_seed, &[replication])
}

/// The key of a stream for one purpose inside a replication, keyed by `parts`.
pub(crate) fn stream_key(replication_seed: u64, purpose: Purpose, parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(fold(replication_seed, &[purpose as u64]), |acc, &p| {
            extend_key(acc, p)
        })
}

/// The key of `key`'s sub-stream `part`: `stream_key(s, p, &[a, b])` is
/// `extend_key(stream_key(s, p, &[a]), b)`, so a per-stream prefix can be computed once.
#[inline]
pub(crate) fn extend_key(key: u64, part: u64) -> u64 {
    fold(key, &[part])
}

/// A key prepared for [`extend_key`]: its own mixing done once, for a key extended by many
/// parts (a stream's patients by their arrival numbers).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyPrefix(u64);

impl KeyPrefix {
    /// Prepares `key`.
    pub(crate) fn new(key: u64) -> Self {
        KeyPrefix(mix64(key ^ 0x9e37_79b9_7f4a_7c15))
    }

    /// `extend_key(key, part)`, with `key`'s share already mixed.
    #[inline(always)]
    pub(crate) fn extend(self, part: u64) -> u64 {
        mix64(self.0.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ mix64(part))
    }
}

/// A generator for one purpose inside a replication, keyed by `parts`.
pub(crate) fn stream_rng(replication_seed: u64, purpose: Purpose, parts: &[u64]) -> SimRng {
    seeded(stream_key(replication_seed, purpose, parts))
}

/// The generator for a stream key: its state is the first four outputs of SplitMix64 started
/// at `key`, as in the reference seeding of the xoshiro authors. Written out here rather than
/// left to `rand_xoshiro`'s `seed_from_u64` (which does the same today), so that careflow's
/// streams are fixed by careflow's code. The four outputs are distinct (SplitMix64's output
/// function is a bijection of distinct inputs), so the state is never all zero.
// Always inlined: a patient's generator is made for every arrival, and returned from a call
// it is written to memory in words and read back in wider pieces, which stalls the processor.
#[inline(always)]
pub(crate) fn seeded(key: u64) -> SimRng {
    let mut seed = [0u8; 32];
    for (i, chunk) in seed.chunks_exact_mut(8).enumerate() {
        let word = mix64(key.wrapping_add(0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(i as u64 + 1)));
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    SimRng::from_seed(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::RngCore;

    #[test]
    fn streams_differ_by_every_key_part() {
        let draw = |mut r: SimRng| r.next_u64();
        let base = draw(stream_rng(1, Purpose::Patient, &[0, 0]));
        assert_ne!(base, draw(stream_rng(2, Purpose::Patient, &[0, 0])));
        assert_ne!(base, draw(stream_rng(1, Purpose::Arrivals, &[0, 0])));
        assert_ne!(base, draw(stream_rng(1, Purpose::Patient, &[1, 0])));
        assert_ne!(base, draw(stream_rng(1, Purpose::Patient, &[0, 1])));
        assert_eq!(base, draw(stream_rng(1, Purpose::Patient, &[0, 0])));
    }

    #[test]
    fn a_key_prefix_extends_to_the_full_key() {
        let seed = replication_seed(2026, 0);
        assert_eq!(
            extend_key(stream_key(seed, Purpose::Patient, &[3]), 17),
            stream_key(seed, Purpose::Patient, &[3, 17])
        );
        let key = stream_key(seed, Purpose::Patient, &[3]);
        let prefix = KeyPrefix::new(key);
        for part in [0, 1, 17, u64::MAX] {
            assert_eq!(prefix.extend(part), extend_key(key, part));
        }
    }

    /// Pins the seed derivation and the generator: changing either changes every seeded
    /// output, which the CHANGELOG must record.
    #[test]
    fn seed_derivation_is_stable() {
        let mut rng = stream_rng(replication_seed(2026, 0), Purpose::Patient, &[3, 17]);
        let x: u64 = rng.next_u64();
        assert_eq!(x, 6_121_413_150_537_988_460);
    }

    /// xoshiro256++ from state (1, 2, 3, 4): the first ten outputs of the authors' reference
    /// implementation (xoshiro256plusplus.c, also compiled and run for this test). A
    /// `rand_xoshiro` release that changed them would change every seeded output.
    #[test]
    fn the_generator_matches_the_reference_implementation() {
        let mut seed = [0u8; 32];
        for (i, chunk) in seed.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&(i as u64 + 1).to_le_bytes());
        }
        let mut rng = SimRng::from_seed(seed);
        let expected: [u64; 10] = [
            41_943_041,
            58_720_359,
            3_588_806_011_781_223,
            3_591_011_842_654_386,
            9_228_616_714_210_784_205,
            9_973_669_472_204_895_162,
            14_011_001_112_246_962_877,
            12_406_186_145_184_390_807,
            15_849_039_046_786_891_736,
            10_450_023_813_501_588_000,
        ];
        for want in expected {
            assert_eq!(rng.next_u64(), want);
        }
    }

    /// SplitMix64 seeding then xoshiro256++ from key 2026, as the reference C code gives it;
    /// and the same as `rand_xoshiro`'s own `seed_from_u64`, which users may call.
    #[test]
    fn seeding_matches_the_reference_splitmix64() {
        let mut rng = seeded(2026);
        for want in [
            7_876_778_575_317_408_663_u64,
            11_327_947_559_129_167_783,
            13_317_806_937_878_235_853,
        ] {
            assert_eq!(rng.next_u64(), want);
        }
        for key in [
            0,
            1,
            2026,
            u64::MAX,
            0x9e37_79b9_7f4a_7c15_u64.wrapping_neg(),
        ] {
            let (mut ours, mut theirs) = (seeded(key), SimRng::seed_from_u64(key));
            for _ in 0..8 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "key {key}");
            }
        }
    }
}
