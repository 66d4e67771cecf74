//! Per-transcript consequences with Sequence Ontology terms (VEP's names) and HGVS
//! `c.`/`n.`/`p.` descriptions.
//!
//! Each ALT allele is trimmed to its minimal form, shifted 3' along the transcript (HGVS
//! 3' rule) for indels, placed on every overlapping transcript (plus 5 kb up/downstream), and
//! translated when it touches the CDS. One record's alleles are treated independently here;
//! the haplotype-aware combination of nearby variants is in [`crate::bcsq`].

use serde::Serialize;

use crate::bcsq::Site;
use crate::codon::{revcomp, three_letter, translate};
use crate::transcript::{Strand, Transcript};
use crate::txdb::TranscriptDb;

/// Distance for upstream/downstream calls.
pub const UP_DOWN_DISTANCE: u32 = 5000;

/// One allele on one transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantAnnotation {
    /// Chromosome as in the input.
    pub chrom: String,
    /// Input position.
    pub pos: u32,
    /// REF.
    pub ref_allele: String,
    /// ALT.
    pub alt_allele: String,
    /// Gene symbol.
    pub gene: String,
    /// Transcript id (RefSeq id when known).
    pub transcript: String,
    /// Biotype.
    pub biotype: String,
    /// SO terms, most severe first.
    pub consequences: Vec<String>,
    /// `exon/total` when exonic.
    pub exon: Option<String>,
    /// `intron/total` when intronic.
    pub intron: Option<String>,
    /// HGVS c. (or n.) description with the transcript id.
    pub hgvs_c: Option<String>,
    /// HGVS p. (three-letter) with the protein id.
    pub hgvs_p: Option<String>,
    /// HGVS p. one-letter, without accession (`p.L858R`).
    pub hgvs_p_short: Option<String>,
    /// True for the transcript reported for this gene (MANE Select first).
    pub reported: bool,
}

const SEVERITY: &[&str] = &[
    "splice_acceptor_variant",
    "splice_donor_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "protein_altering_variant",
    "splice_region_variant",
    "incomplete_terminal_codon_variant",
    "start_retained_variant",
    "stop_retained_variant",
    "synonymous_variant",
    "coding_sequence_variant",
    "5_prime_UTR_variant",
    "3_prime_UTR_variant",
    "non_coding_transcript_exon_variant",
    "intron_variant",
    "NMD_transcript_variant",
    "non_coding_transcript_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
];

impl VariantAnnotation {
    /// TSV header line.
    pub fn tsv_header() -> &'static str {
        "#chrom\tpos\tref\talt\tgene\ttranscript\tbiotype\tconsequence\texon\tintron\thgvs_c\thgvs_p\thgvs_p_short\treported"
    }

    /// TSV row.
    pub fn tsv_row(&self) -> String {
        let o = |x: &Option<String>| x.clone().unwrap_or_else(|| ".".into());
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.chrom,
            self.pos,
            self.ref_allele,
            self.alt_allele,
            self.gene,
            self.transcript,
            self.biotype,
            self.consequences.join("&"),
            o(&self.exon),
            o(&self.intron),
            o(&self.hgvs_c),
            o(&self.hgvs_p),
            o(&self.hgvs_p_short),
            if self.reported { "yes" } else { "no" }
        )
    }

    /// One INFO/GCSQ entry.
    pub fn gcsq_entry(&self, alt: &str) -> String {
        let o = |x: &Option<String>| {
            x.clone()
                .unwrap_or_default()
                .replace(['|', ',', ';', '='], "_")
        };
        format!(
            "{alt}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.consequences.join("&"),
            self.gene,
            self.transcript,
            self.biotype,
            o(&self.exon),
            o(&self.intron),
            o(&self.hgvs_c),
            o(&self.hgvs_p),
            o(&self.hgvs_p_short),
            if self.reported { "1" } else { "0" }
        )
    }
}

/// A minimal allele: deleted genomic interval `[start, start+ref.len())` replaced by `alt`.
/// For insertions `ref` is empty and the bases go before `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimalAllele {
    /// 1-based first deleted base (insertions: the base after the insertion point).
    pub start: u32,
    /// Deleted bases.
    pub ref_bases: Vec<u8>,
    /// Inserted bases.
    pub alt_bases: Vec<u8>,
}

/// Trims shared suffix then prefix.
pub fn minimal_allele(pos: u32, r: &[u8], a: &[u8]) -> MinimalAllele {
    let mut s = 0;
    let mut e = 0;
    while e < r.len() && e < a.len() && r[r.len() - 1 - e] == a[a.len() - 1 - e] {
        e += 1;
    }
    while s < r.len() - e && s < a.len() - e && r[s] == a[s] {
        s += 1;
    }
    MinimalAllele {
        start: pos + s as u32,
        ref_bases: r[s..r.len() - e].to_vec(),
        alt_bases: a[s..a.len() - e].to_vec(),
    }
}

/// Shifts an indel as far 3' on `strand` as the reference allows (HGVS 3' rule).
pub fn shift_3prime(
    db: &TranscriptDb,
    chrom: &str,
    m: &MinimalAllele,
    strand: Strand,
) -> MinimalAllele {
    let is_del = m.alt_bases.is_empty() && !m.ref_bases.is_empty();
    let is_ins = m.ref_bases.is_empty() && !m.alt_bases.is_empty();
    if !is_del && !is_ins {
        return m.clone();
    }
    let mut unit = if is_del {
        m.ref_bases.clone()
    } else {
        m.alt_bases.clone()
    };
    let mut start = m.start; // first deleted base / base after insertion point
    const WINDOW: u64 = 500;
    match strand {
        Strand::Forward => {
            let len = unit.len() as u32;
            let from = if is_del { start + len } else { start };
            let next = db.fetch(chrom, u64::from(from) - 1, u64::from(from) - 1 + WINDOW);
            let mut k = 0;
            while k < next.len() && next[k] != b'N' && next[k] == unit[0] {
                unit.rotate_left(1);
                k += 1;
            }
            start += k as u32;
        }
        Strand::Reverse => {
            let prev_end = u64::from(start) - 1; // 0-based index of base before start
            let lo = prev_end.saturating_sub(WINDOW);
            let prev = db.fetch(chrom, lo, prev_end);
            let mut k = 0;
            while k < prev.len() {
                let b = prev[prev.len() - 1 - k];
                let Some(&last) = unit.last() else { break };
                if b == b'N' || b != last {
                    break;
                }
                unit.rotate_right(1);
                k += 1;
            }
            start -= k as u32;
        }
    }
    if is_del {
        MinimalAllele {
            start,
            ref_bases: unit,
            alt_bases: vec![],
        }
    } else {
        MinimalAllele {
            start,
            ref_bases: vec![],
            alt_bases: unit,
        }
    }
}

/// c./n. position of a genomic base on a transcript (with intronic offsets).
pub fn hgvs_pos(t: &Transcript, g: u32) -> String {
    let cds = t.cds_tx_range();
    let fmt_tx = |tx: u32| -> String {
        match cds {
            Some((cs, ce)) => {
                if tx < cs {
                    format!("-{}", cs - tx)
                } else if tx > ce {
                    format!("*{}", tx - ce)
                } else {
                    format!("{}", tx - cs + 1)
                }
            }
            None => tx.to_string(),
        }
    };
    if let Some(tx) = t.genomic_to_tx(g) {
        return fmt_tx(tx);
    }
    let ex = t.exons_tx_order();
    let fwd = t.strand == Strand::Forward;
    // intronic: find flanking exons in transcript order
    for w in ex.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (lo, hi) = if fwd {
            (a.end, b.start)
        } else {
            (b.end, a.start)
        };
        if g > lo && g < hi {
            let (up_g, down_g, d_up, d_down) = if fwd {
                (a.end, b.start, g - a.end, b.start - g)
            } else {
                (a.start, b.end, a.start - g, g - b.end)
            };
            return if d_up <= d_down {
                t.genomic_to_tx(up_g)
                    .map(|x| format!("{}+{}", fmt_tx(x), d_up))
                    .unwrap_or_default()
            } else {
                t.genomic_to_tx(down_g)
                    .map(|x| format!("{}-{}", fmt_tx(x), d_down))
                    .unwrap_or_default()
            };
        }
    }
    // outside the transcript: numbering continues past its ends
    let (Some(f), Some(l)) = (ex.first().copied(), ex.last().copied()) else {
        return String::new();
    };
    let (s5, e3) = if fwd {
        (f.start, l.end)
    } else {
        (f.end, l.start)
    };
    let upstream = if fwd { g < s5 } else { g > s5 };
    let len = t.tx_len();
    if upstream {
        let d = s5.abs_diff(g);
        match cds {
            Some((cs, _)) => format!("-{}", cs - 1 + d),
            None => format!("-{d}"),
        }
    } else {
        let d = e3.abs_diff(g);
        match cds {
            Some((_, ce)) => format!("*{}", len - ce + d),
            None => format!("*{d}"),
        }
    }
}

fn spliced_cds(db: &TranscriptDb, t: &Transcript) -> Vec<u8> {
    let mut s = Vec::new();
    for c in &t.cds {
        s.extend(db.fetch(&t.chrom, u64::from(c.start) - 1, u64::from(c.end)));
    }
    if t.strand == Strand::Reverse {
        s = revcomp(&s);
    }
    s
}

fn cds_index(t: &Transcript, g: u32) -> Option<usize> {
    let (cs, _) = t.cds_tx_range()?;
    let tx = t.genomic_to_tx(g)?;
    tx.checked_sub(cs).map(|x| x as usize)
}

fn aa3(seq: &[u8]) -> String {
    seq.iter().map(|&a| three_letter(a)).collect()
}

/// (three-letter p., one-letter p., extra SO terms)
type ProteinChange = (String, String, Vec<&'static str>);

/// Describes the change from `ref_p` to `alt_p` (both ending at their first stop).
/// `substitution`: no length change at DNA level (a changed stop is then stop-lost).
fn protein_change(
    ref_p: &[u8],
    alt_p: &[u8],
    frameshift: bool,
    substitution: bool,
) -> Option<ProteinChange> {
    let n = ref_p.len().min(alt_p.len());
    let mut i = 0;
    while i < n && ref_p[i] == alt_p[i] {
        i += 1;
    }
    if i == ref_p.len() && i == alt_p.len() {
        return None;
    }
    if i == 0 && ref_p.first() == Some(&b'M') && alt_p.first() != Some(&b'M') {
        return Some(("p.(Met1?)".into(), "p.M1?".into(), vec!["start_lost"]));
    }
    let p = i + 1;
    let r = ref_p.get(i).copied().unwrap_or(b'*');
    if frameshift {
        let a = alt_p.get(i).copied().unwrap_or(b'X');
        if a == b'*' {
            return Some((
                format!("p.({}{}Ter)", three_letter(r), p),
                format!("p.{}{}*", r as char, p),
                vec!["stop_gained"],
            ));
        }
        let ter = alt_p[i..].iter().position(|&x| x == b'*');
        let (t3, t1) = match ter {
            Some(k) => (format!("Ter{}", k + 1), format!("*{}", k + 1)),
            None => ("Ter?".into(), "*?".into()),
        };
        return Some((
            format!("p.({}{}{}fs{})", three_letter(r), p, three_letter(a), t3),
            format!("p.{}{}{}fs{}", r as char, p, a as char, t1),
            vec![],
        ));
    }
    // trim common suffix
    let mut e = 0;
    while e < ref_p.len() - i
        && e < alt_p.len() - i
        && ref_p[ref_p.len() - 1 - e] == alt_p[alt_p.len() - 1 - e]
    {
        e += 1;
    }
    let rd = &ref_p[i..ref_p.len() - e];
    let ad = &alt_p[i..alt_p.len() - e];
    if rd.first() == Some(&b'*') || (substitution && r == b'*') {
        // stop lost: the new stop, counted from the changed stop as 1
        let a = alt_p.get(i).copied().unwrap_or(b'X');
        let (t3, t1) = match alt_p[i..].iter().position(|&x| x == b'*') {
            Some(k) => (format!("Ter{}", k + 1), format!("*{}", k + 1)),
            None => ("Ter?".into(), "*?".into()),
        };
        return Some((
            format!("p.(Ter{}{}ext{})", p, three_letter(a), t3),
            format!("p.*{}{}ext{}", p, a as char, t1),
            vec!["stop_lost"],
        ));
    }
    if rd.len() == 1 && ad.len() == 1 {
        let a = ad[0];
        let extra = if a == b'*' {
            vec!["stop_gained"]
        } else {
            vec!["missense_variant"]
        };
        return Some((
            format!("p.({}{}{})", three_letter(r), p, three_letter(a)),
            format!("p.{}{}{}", r as char, p, a as char),
            extra,
        ));
    }
    if ad.first() == Some(&b'*') {
        return Some((
            format!("p.({}{}Ter)", three_letter(r), p),
            format!("p.{}{}*", r as char, p),
            vec!["stop_gained"],
        ));
    }
    let last = p + rd.len().saturating_sub(1);
    let rl = rd.last().copied().unwrap_or(r);
    let range3 = |a: u8, b: u8| {
        if rd.len() <= 1 {
            format!("{}{}", three_letter(a), p)
        } else {
            format!("{}{}_{}{}", three_letter(a), p, three_letter(b), last)
        }
    };
    let range1 = |a: u8, b: u8| {
        if rd.len() <= 1 {
            format!("{}{}", a as char, p)
        } else {
            format!("{}{}_{}{}", a as char, p, b as char, last)
        }
    };
    if ad.is_empty() {
        return Some((
            format!("p.({}del)", range3(r, rl)),
            format!("p.{}del", range1(r, rl)),
            vec![],
        ));
    }
    if rd.is_empty() {
        // insertion between i-1 and i (1-based p-1 and p)
        let before = ref_p.get(i.wrapping_sub(1)).copied().unwrap_or(b'X');
        // duplication?
        if i >= ad.len() && &ref_p[i - ad.len()..i] == ad {
            let s = i - ad.len() + 1;
            let (a0, a1) = (ref_p[s - 1], ref_p[i - 1]);
            let (d3, d1) = if ad.len() == 1 {
                (
                    format!("{}{}", three_letter(a0), s),
                    format!("{}{}", a0 as char, s),
                )
            } else {
                (
                    format!("{}{}_{}{}", three_letter(a0), s, three_letter(a1), i),
                    format!("{}{}_{}{}", a0 as char, s, a1 as char, i),
                )
            };
            return Some((format!("p.({d3}dup)"), format!("p.{d1}dup"), vec![]));
        }
        return Some((
            format!(
                "p.({}{}_{}{}ins{})",
                three_letter(before),
                p - 1,
                three_letter(r),
                p,
                aa3(ad)
            ),
            format!(
                "p.{}{}_{}{}ins{}",
                before as char,
                p - 1,
                r as char,
                p,
                String::from_utf8_lossy(ad)
            ),
            vec![],
        ));
    }
    Some((
        format!("p.({}delins{})", range3(r, rl), aa3(ad)),
        format!("p.{}delins{}", range1(r, rl), String::from_utf8_lossy(ad)),
        vec![],
    ))
}

/// Annotates ALT allele `alt_index` of a site on every overlapping transcript.
pub fn annotate_allele(db: &TranscriptDb, site: &Site, alt_index: usize) -> Vec<VariantAnnotation> {
    let Some(alt) = site.alts.get(alt_index) else {
        return Vec::new();
    };
    if alt.first().is_some_and(|&b| b == b'<' || b == b'*') {
        return Vec::new();
    }
    let Some(chrom) = db.resolve_chrom(&site.chrom) else {
        return Vec::new();
    };
    let m0 = minimal_allele(site.pos, &site.ref_allele, alt);
    if m0.ref_bases.is_empty() && m0.alt_bases.is_empty() {
        return Vec::new();
    }
    let span_end = m0.start + m0.ref_bases.len().max(1) as u32 - 1;
    let lo = m0.start.saturating_sub(UP_DOWN_DISTANCE);
    let hits = db.overlapping(chrom, lo, span_end + UP_DOWN_DISTANCE);
    // reported transcript per gene
    let mut by_gene: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, t) in &hits {
        by_gene.entry(t.gene_name.as_str()).or_default().push(*i);
    }
    let reported: std::collections::HashSet<usize> = by_gene
        .values()
        .filter_map(|v| db.pick_reported(v))
        .collect();
    let mut out = Vec::new();
    for (idx, t) in hits {
        let m = shift_3prime(db, chrom, &m0, t.strand);
        out.push(annotate_on(db, site, alt, &m, t, reported.contains(&idx)));
    }
    out
}

fn annotate_on(
    db: &TranscriptDb,
    site: &Site,
    alt: &[u8],
    m: &MinimalAllele,
    t: &Transcript,
    reported: bool,
) -> VariantAnnotation {
    let fwd = t.strand == Strand::Forward;
    let is_ins = m.ref_bases.is_empty();
    let (gs, ge) = if is_ins {
        (m.start - 1, m.start)
    } else {
        (m.start, m.start + m.ref_bases.len() as u32 - 1)
    };
    let mut csq: Vec<&'static str> = Vec::new();
    let mut exon = None;
    let mut intron = None;
    let mut hgvs_c = None;
    let mut hgvs_p = None;
    let mut hgvs_p_short = None;
    let coding = t.is_coding();
    let nex = t.exons.len();
    if ge < t.start || gs > t.end {
        let upstream = if fwd { ge < t.start } else { gs > t.end };
        csq.push(if upstream {
            "upstream_gene_variant"
        } else {
            "downstream_gene_variant"
        });
    } else {
        let ex = t.exons_tx_order();
        let touches = |a: u32, b: u32| ex.iter().position(|e| a <= e.end && b >= e.start);
        let (qa, qb) = (gs, ge);
        let in_exon = if is_ins {
            ex.iter().position(|e| gs >= e.start && ge <= e.end)
        } else {
            touches(qa, qb)
        };
        if let Some(k) = in_exon {
            exon = Some(format!("{}/{}", k + 1, nex));
        }
        // intron number and splice checks
        for k in 0..ex.len().saturating_sub(1) {
            let (a, b) = (ex[k], ex[k + 1]);
            let (il, ih) = if fwd {
                (a.end + 1, b.start - 1)
            } else {
                (b.end + 1, a.start - 1)
            };
            if il > ih {
                continue;
            }
            let ov = |x: u32, y: u32| qa <= y && qb >= x && !(is_ins && (qb == x || qa == y));
            if is_ins && gs >= il && ge <= ih || !is_ins && ov(il, ih) {
                intron = Some(format!("{}/{}", k + 1, nex - 1));
            }
            // donor at 5' end of intron (transcript orientation)
            let (d0, d1, a0, a1) = if fwd {
                (il, il + 1, ih - 1, ih)
            } else {
                (ih - 1, ih, il, il + 1)
            };
            if ov(d0, d1) || (is_ins && gs >= d0 && ge <= d1) {
                csq.push("splice_donor_variant");
            }
            if ov(a0, a1) || (is_ins && gs >= a0 && ge <= a1) {
                csq.push("splice_acceptor_variant");
            }
            let region = |x: u32, y: u32| ov(x, y) || (is_ins && gs >= x && ge <= y);
            // 3 exonic + 8 intronic bases at each end (donor/acceptor reported instead when hit)
            let near = region(il.saturating_sub(3), il + 7) || region(ih.saturating_sub(7), ih + 3);
            if near
                && !csq.contains(&"splice_donor_variant")
                && !csq.contains(&"splice_acceptor_variant")
            {
                csq.push("splice_region_variant");
            }
        }
        if intron.is_some() && in_exon.is_none() {
            csq.push("intron_variant");
        }
        if in_exon.is_some() {
            if coding {
                let (c0, c1) = (t.cds[0].start, t.cds[t.cds.len() - 1].end);
                let in_cds = qb >= c0 && qa <= c1 && !(is_ins && (qb == c0 || qa == c1));
                if !in_cds {
                    let five = if fwd {
                        qb < c0 || (is_ins && qb == c0)
                    } else {
                        qa > c1 || (is_ins && qa == c1)
                    };
                    csq.push(if five {
                        "5_prime_UTR_variant"
                    } else {
                        "3_prime_UTR_variant"
                    });
                } else {
                    coding_effect(db, t, m, &mut csq, &mut hgvs_p, &mut hgvs_p_short);
                }
            } else {
                csq.push("non_coding_transcript_exon_variant");
            }
        }
        if !coding {
            csq.push("non_coding_transcript_variant");
        }
        if t.biotype.is_nmd() {
            csq.push("NMD_transcript_variant");
        }
        hgvs_c = Some(hgvs_c_string(db, t, m, fwd));
    }
    csq.sort_by_key(|c| SEVERITY.iter().position(|s| s == c).unwrap_or(usize::MAX));
    csq.dedup();
    VariantAnnotation {
        chrom: site.chrom.clone(),
        pos: site.pos,
        ref_allele: String::from_utf8_lossy(&site.ref_allele).into_owned(),
        alt_allele: String::from_utf8_lossy(alt).into_owned(),
        gene: t.gene_name.clone(),
        transcript: t.hgvs_id().to_string(),
        biotype: t.biotype.name.clone(),
        consequences: csq.into_iter().map(str::to_string).collect(),
        exon,
        intron,
        hgvs_c,
        hgvs_p: hgvs_p.map(|p| match &t.protein_id {
            Some(id) => format!("{id}:{p}"),
            None => p,
        }),
        hgvs_p_short,
        reported,
    }
}

fn hgvs_c_string(db: &TranscriptDb, t: &Transcript, m: &MinimalAllele, fwd: bool) -> String {
    let kind = if t.is_coding() { "c" } else { "n" };
    let oriented = |s: &[u8]| -> String {
        String::from_utf8_lossy(&if fwd { s.to_vec() } else { revcomp(s) }).into_owned()
    };
    let p = |g: u32| hgvs_pos(t, g);
    let body = if m.ref_bases.is_empty() {
        // insertion between start-1 and start; dup if the inserted bases repeat the 5' side
        let ins = &m.alt_bases;
        let n = ins.len() as u32;
        // after the 3' shift, an insertion repeating the bases on its 5' side is a dup
        let (d0, d1) = if fwd {
            (m.start.saturating_sub(n), m.start - 1)
        } else {
            (m.start, m.start + n - 1)
        };
        let before = db.fetch(&t.chrom, u64::from(d0) - 1, u64::from(d1));
        if d0 >= 1 && &before == ins {
            let (x, y) = if fwd { (p(d0), p(d1)) } else { (p(d1), p(d0)) };
            if n == 1 {
                format!("{x}dup")
            } else {
                format!("{x}_{y}dup")
            }
        } else {
            let (a, b) = (m.start - 1, m.start);
            let (x, y) = if fwd { (p(a), p(b)) } else { (p(b), p(a)) };
            format!("{x}_{y}ins{}", oriented(ins))
        }
    } else if m.alt_bases.is_empty() {
        let (a, b) = (m.start, m.start + m.ref_bases.len() as u32 - 1);
        let (x, y) = if fwd { (p(a), p(b)) } else { (p(b), p(a)) };
        if a == b {
            format!("{x}del")
        } else {
            format!("{x}_{y}del")
        }
    } else if m.ref_bases.len() == 1 && m.alt_bases.len() == 1 {
        format!(
            "{}{}>{}",
            p(m.start),
            oriented(&m.ref_bases),
            oriented(&m.alt_bases)
        )
    } else {
        let (a, b) = (m.start, m.start + m.ref_bases.len() as u32 - 1);
        let (x, y) = if fwd { (p(a), p(b)) } else { (p(b), p(a)) };
        if m.alt_bases == revcomp(&m.ref_bases) && m.ref_bases.len() > 1 {
            format!("{x}_{y}inv")
        } else if a == b {
            format!("{x}delins{}", oriented(&m.alt_bases))
        } else {
            format!("{x}_{y}delins{}", oriented(&m.alt_bases))
        }
    };
    format!("{}:{kind}.{body}", t.hgvs_id())
}

fn coding_effect(
    db: &TranscriptDb,
    t: &Transcript,
    m: &MinimalAllele,
    csq: &mut Vec<&'static str>,
    hgvs_p: &mut Option<String>,
    hgvs_p_short: &mut Option<String>,
) {
    let cds = spliced_cds(db, t);
    let fwd = t.strand == Strand::Forward;
    // CDS coordinates of the change (coding strand)
    let (ci0, ci1) = if m.ref_bases.is_empty() {
        // insertion: between genomic start-1 and start
        let a = cds_index(t, m.start - 1);
        let b = cds_index(t, m.start);
        match (a, b, fwd) {
            (Some(a), _, true) => (a + 1, a + 1),
            (_, Some(b), true) => (b, b),
            (_, Some(b), false) => (b + 1, b + 1),
            (Some(a), _, false) => (a, a),
            _ => {
                csq.push("coding_sequence_variant");
                return;
            }
        }
    } else {
        let e = m.start + m.ref_bases.len() as u32 - 1;
        match (cds_index(t, m.start), cds_index(t, e)) {
            (Some(a), Some(b)) => {
                let (lo, hi) = (a.min(b), a.max(b));
                (lo, hi + 1)
            }
            _ => {
                csq.push("coding_sequence_variant");
                return;
            }
        }
    };
    let alt_oriented = if fwd {
        m.alt_bases.clone()
    } else {
        revcomp(&m.alt_bases)
    };
    if ci1 > cds.len() || ci0 > ci1 {
        csq.push("coding_sequence_variant");
        return;
    }
    let mut alt_cds = cds[..ci0].to_vec();
    alt_cds.extend_from_slice(&alt_oriented);
    alt_cds.extend_from_slice(&cds[ci1..]);
    let dl = alt_oriented.len() as i64 - (ci1 - ci0) as i64;
    let frameshift = dl % 3 != 0;
    let mut ref_p = translate(&cds);
    if let Some(k) = ref_p.iter().position(|&x| x == b'*') {
        ref_p.truncate(k + 1);
    }
    let mut alt_full = alt_cds.clone();
    {
        // read on into the 3' UTR to find a new stop (frameshift, stop lost)
        if let Some(last) = t.cds.last() {
            let tail = if fwd {
                db.fetch(&t.chrom, u64::from(last.end), u64::from(last.end) + 3000)
            } else {
                let s = t.cds[0].start;
                revcomp(&db.fetch(
                    &t.chrom,
                    u64::from(s.saturating_sub(3001)),
                    u64::from(s) - 1,
                ))
            };
            alt_full.extend_from_slice(&tail);
        }
    }
    let mut alt_p = translate(&alt_full);
    if let Some(k) = alt_p.iter().position(|&x| x == b'*') {
        alt_p.truncate(k + 1);
    }
    if !cds.len().is_multiple_of(3) {
        csq.push("incomplete_terminal_codon_variant");
    }
    if frameshift {
        csq.push("frameshift_variant");
    } else if dl > 0 {
        csq.push("inframe_insertion");
    } else if dl < 0 {
        csq.push("inframe_deletion");
    }
    match protein_change(&ref_p, &alt_p, frameshift, dl == 0) {
        None => {
            let aa_i = ci0 / 3;
            let r = ref_p.get(aa_i).copied().unwrap_or(b'X');
            if r == b'*' {
                csq.push("stop_retained_variant");
            } else if aa_i == 0 && r == b'M' {
                csq.push("start_retained_variant");
            } else {
                csq.push("synonymous_variant");
            }
            *hgvs_p = Some(format!("p.({}{}=)", three_letter(r), aa_i + 1));
            *hgvs_p_short = Some(format!("p.{}{}=", r as char, aa_i + 1));
        }
        Some((p3, p1, extra)) => {
            for e in extra {
                csq.push(e);
            }
            if !frameshift
                && dl == 0
                && !csq
                    .iter()
                    .any(|c| c.starts_with("stop") || *c == "start_lost")
            {
                csq.push("missense_variant");
            }
            *hgvs_p = Some(p3);
            *hgvs_p_short = Some(p1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_alleles() {
        let m = minimal_allele(10, b"CAG", b"CG");
        assert_eq!(
            (m.start, m.ref_bases.as_slice(), m.alt_bases.as_slice()),
            (11, &b"A"[..], &b""[..])
        );
        let m = minimal_allele(10, b"C", b"CAA");
        assert_eq!(
            (m.start, m.ref_bases.len(), m.alt_bases.as_slice()),
            (11, 0, &b"AA"[..])
        );
    }

    #[test]
    fn stop_lost_extension() {
        assert_eq!(
            protein_change(b"MLK*", b"MLKQAG*", false, true).unwrap().0,
            "p.(Ter4GlnextTer4)"
        );
    }

    #[test]
    fn hgvs_positions() {
        use crate::transcript::{Biotype, CdsSegment, Interval};
        let t = Transcript {
            id: "NM_1.1".into(),
            gene_name: "G".into(),
            gene_id: "G".into(),
            chrom: "1".into(),
            strand: Strand::Forward,
            start: 10,
            end: 60,
            biotype: Biotype::protein_coding(),
            exons: vec![
                Interval { start: 10, end: 20 },
                Interval { start: 41, end: 60 },
            ],
            cds: vec![
                CdsSegment {
                    start: 15,
                    end: 20,
                    phase: Some(0),
                },
                CdsSegment {
                    start: 41,
                    end: 52,
                    phase: Some(0),
                },
            ],
            utrs: vec![],
            protein_id: None,
            refseq_id: None,
            ensembl_id: None,
            tags: vec![],
        };
        assert_eq!(hgvs_pos(&t, 15), "1");
        assert_eq!(hgvs_pos(&t, 12), "-3");
        assert_eq!(hgvs_pos(&t, 22), "6+2");
        assert_eq!(hgvs_pos(&t, 39), "7-2");
        assert_eq!(hgvs_pos(&t, 55), "*3");
        assert_eq!(hgvs_pos(&t, 8), "-7");
        assert_eq!(hgvs_pos(&t, 63), "*11");
    }

    #[test]
    fn protein_changes() {
        assert_eq!(
            protein_change(b"MLK*", b"MRK*", false, true).unwrap().0,
            "p.(Leu2Arg)"
        );
        assert_eq!(protein_change(b"MLK*", b"MLK*", false, true), None);
        assert_eq!(
            protein_change(b"MLKEA*", b"MA*", false, false).unwrap().0,
            "p.(Leu2_Glu4del)"
        );
        assert_eq!(
            protein_change(b"MLK*", b"IRK*", false, true).unwrap().0,
            "p.(Met1?)"
        );
        assert_eq!(
            protein_change(b"MLKA*", b"MLRSTV*", true, false).unwrap().0,
            "p.(Lys3ArgfsTer5)"
        );
        assert_eq!(
            protein_change(b"MLK*", b"MLKK*", false, false).unwrap().0,
            "p.(Lys3dup)"
        );
    }
}
