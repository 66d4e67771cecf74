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
pub fn cases(release: &KnowledgeRelease, n: usize, alterations: usize, seed: u64) -> Vec<CaseQuery> {
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
