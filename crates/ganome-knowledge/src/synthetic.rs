//! Seeded synthetic cases drawn from real cancer hotspots, for benchmarks.
//!
//! The generator is a hand-written SplitMix64 so that a seed gives the same cases on every
//! platform and dependency version (the numbers are recorded in docs/benchmarks.md).

use crate::query::{CaseQuery, CopyNumberCall, QueryAlteration};
use crate::release::KnowledgeRelease;

/// SplitMix64 pseudo-random numbers.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Tumour types the generator draws from.
pub const TUMOR_TYPES: [&str; 10] = [
    "LUAD", "NSCLC", "COADREAD", "MEL", "BRCA", "PAAD", "STAD", "HGSOC", "CHOL", "PRAD",
];

/// `n` cases of `alterations` alterations each: hotspot protein changes from the release,
/// plus about one copy-number call in fifty.
pub fn cases(
    release: &KnowledgeRelease,
    n: usize,
    alterations: usize,
    seed: u64,
) -> Vec<CaseQuery> {
    let hs = &release.content.hotspots;
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| {
            let tumor_type = TUMOR_TYPES[rng.below(TUMOR_TYPES.len())].to_owned();
            let alterations = (0..alterations)
                .filter_map(|_| {
                    let h = hs.get(rng.below(hs.len()))?;
                    Some(if rng.below(50) == 0 {
                        QueryAlteration::CopyNumber {
                            gene: h.gene.clone(),
                            call: CopyNumberCall::Amplification,
                        }
                    } else {
                        QueryAlteration::variant(&h.gene, &h.protein_change)
                    })
                })
                .collect();
            CaseQuery {
                tumor_type,
                alterations,
            }
        })
        .collect()
}

/// Figures of one benchmark run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    /// Cases matched.
    pub cases: usize,
    /// Alterations matched in total.
    pub alterations: usize,
    /// Wall time of matching, seconds.
    pub seconds: f64,
    /// Alterations per second.
    pub alterations_per_second: f64,
    /// Evidence matches found (a checksum of the work done).
    pub evidence_matches: usize,
    /// Trial matches found.
    pub trial_matches: usize,
}

/// Matches `n` synthetic cases and measures the wall time.
pub fn bench(release: &KnowledgeRelease, n: usize, alterations: usize, seed: u64) -> BenchReport {
    let qs = cases(release, n, alterations, seed);
    let total: usize = qs.iter().map(|q| q.alterations.len()).sum();
    let t = std::time::Instant::now();
    let (mut evidence_matches, mut trial_matches) = (0, 0);
    for q in &qs {
        let m = release.match_case(q);
        evidence_matches += m
            .alterations
            .iter()
            .map(|a| a.evidence.len())
            .sum::<usize>();
        trial_matches += m.trials.len();
    }
    let seconds = t.elapsed().as_secs_f64();
    BenchReport {
        cases: n,
        alterations: total,
        seconds,
        alterations_per_second: total as f64 / seconds.max(1e-9),
        evidence_matches,
        trial_matches,
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn seeded_generator_is_reproducible() {
        let a: Vec<u64> = (0..4)
            .scan(SplitMix64::new(7), |r, _| Some(r.next_u64()))
            .collect();
        let b: Vec<u64> = (0..4)
            .scan(SplitMix64::new(7), |r, _| Some(r.next_u64()))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert!(SplitMix64::new(1).below(10) < 10);
    }
}
