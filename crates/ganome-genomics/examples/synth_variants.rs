//! Seeded synthetic VCF over the sequence of a transcript database, for benchmarks.
//!
//! `cargo run --release -p ganome-genomics --example synth_variants -- X.txdb N SEED > out.vcf`
//!
//! Positions are drawn uniformly inside transcript spans (so most calls hit a gene) with REF
//! taken from the stored reference; 80% SNVs, 10% deletions, 10% insertions of 1-6 bases.
//! The generator is a fixed xorshift so the same seed always gives the same file.

use std::io::Write;

use ganome_genomics::txdb::TranscriptDb;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: synth_variants X.txdb N [SEED]".into());
    }
    let db = TranscriptDb::read(std::path::Path::new(&args[1]))?;
    let n: u64 = args[2].parse()?;
    let seed: u64 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(42);
    let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // chromosome spans covered by transcripts
    let mut spans: Vec<(String, u64, u64)> = Vec::new();
    for chrom in db.chrom_names() {
        let txs = db.transcripts_on(chrom);
        let lo = txs.iter().map(|t| t.1.start).min().unwrap_or(1);
        let hi = txs.iter().map(|t| t.1.end).max().unwrap_or(1);
        spans.push((chrom.to_string(), u64::from(lo), u64::from(hi)));
    }
    let total: u64 = spans.iter().map(|s| s.2 - s.1 + 1).sum();
    let per: Vec<u64> = spans
        .iter()
        .map(|s| n * (s.2 - s.1 + 1) / total.max(1))
        .collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    writeln!(out, "##fileformat=VCFv4.2")?;
    for s in &spans {
        writeln!(out, "##contig=<ID={}>", s.0)?;
    }
    writeln!(out, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")?;
    let bases = [b'A', b'C', b'G', b'T'];
    for (s, &k) in spans.iter().zip(&per) {
        let mut pos: Vec<u64> = (0..k).map(|_| s.1 + rng.below(s.2 - s.1 + 1)).collect();
        pos.sort_unstable();
        for p in pos {
            let kind = rng.below(10);
            let len = 1 + rng.below(6);
            let r = db.fetch(&s.0, p - 1, p + len);
            if r.contains(&b'N') {
                continue;
            }
            let (refa, alta) = match kind {
                0 => (r.clone(), r[..1].to_vec()),
                1 => {
                    let mut a = r[..1].to_vec();
                    for _ in 0..len {
                        a.push(bases[rng.below(4) as usize]);
                    }
                    (r[..1].to_vec(), a)
                }
                _ => {
                    let mut b = bases[rng.below(4) as usize];
                    if b == r[0] {
                        b = bases[(rng.below(3) as usize
                            + 1
                            + bases.iter().position(|&x| x == r[0]).unwrap_or(0))
                            % 4];
                    }
                    (r[..1].to_vec(), vec![b])
                }
            };
            writeln!(
                out,
                "{}\t{}\t.\t{}\t{}\t.\t.\t.",
                s.0,
                p,
                String::from_utf8_lossy(&refa),
                String::from_utf8_lossy(&alta)
            )?;
        }
    }
    Ok(())
}
