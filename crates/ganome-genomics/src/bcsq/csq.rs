//! bcftools csq consequence bits, their printed names, and the per-record merge rules.

#![allow(missing_docs)]

pub(crate) const CSQ_PRINTED_UPSTREAM: u32 = 1 << 0;
pub(crate) const CSQ_SYNONYMOUS_VARIANT: u32 = 1 << 1;
pub(crate) const CSQ_MISSENSE_VARIANT: u32 = 1 << 2;
pub(crate) const CSQ_STOP_LOST: u32 = 1 << 3;
pub(crate) const CSQ_STOP_GAINED: u32 = 1 << 4;
pub(crate) const CSQ_INFRAME_DELETION: u32 = 1 << 5;
pub(crate) const CSQ_INFRAME_INSERTION: u32 = 1 << 6;
pub(crate) const CSQ_FRAMESHIFT_VARIANT: u32 = 1 << 7;
pub(crate) const CSQ_SPLICE_ACCEPTOR: u32 = 1 << 8;
pub(crate) const CSQ_SPLICE_DONOR: u32 = 1 << 9;
pub(crate) const CSQ_START_LOST: u32 = 1 << 10;
pub(crate) const CSQ_SPLICE_REGION: u32 = 1 << 11;
pub(crate) const CSQ_STOP_RETAINED: u32 = 1 << 12;
pub(crate) const CSQ_UTR5: u32 = 1 << 13;
pub(crate) const CSQ_UTR3: u32 = 1 << 14;
pub(crate) const CSQ_NON_CODING: u32 = 1 << 15;
pub(crate) const CSQ_INTRON: u32 = 1 << 16;
pub(crate) const CSQ_INFRAME_ALTERING: u32 = 1 << 18;
pub(crate) const CSQ_UPSTREAM_STOP: u32 = 1 << 19;
pub(crate) const CSQ_INCOMPLETE_CDS: u32 = 1 << 20;
pub(crate) const CSQ_CODING_SEQUENCE: u32 = 1 << 21;
pub(crate) const CSQ_START_RETAINED: u32 = 1 << 23;

pub(crate) const CSQ_COMPOUND: u32 = CSQ_SYNONYMOUS_VARIANT
    | CSQ_MISSENSE_VARIANT
    | CSQ_STOP_LOST
    | CSQ_STOP_GAINED
    | CSQ_INFRAME_DELETION
    | CSQ_INFRAME_INSERTION
    | CSQ_FRAMESHIFT_VARIANT
    | CSQ_START_LOST
    | CSQ_STOP_RETAINED
    | CSQ_INFRAME_ALTERING
    | CSQ_INCOMPLETE_CDS
    | CSQ_UPSTREAM_STOP
    | CSQ_START_RETAINED;
pub(crate) const CSQ_START_STOP: u32 =
    CSQ_STOP_LOST | CSQ_STOP_GAINED | CSQ_STOP_RETAINED | CSQ_START_LOST | CSQ_START_RETAINED;
pub(crate) const CSQ_PRN_TSCRIPT: u32 = !(CSQ_INTRON | CSQ_NON_CODING);

/// Printed names by bit index (bcftools' short names).
pub(crate) const CSQ_NAMES: [Option<&str>; 24] = [
    None,
    Some("synonymous"),
    Some("missense"),
    Some("stop_lost"),
    Some("stop_gained"),
    Some("inframe_deletion"),
    Some("inframe_insertion"),
    Some("frameshift"),
    Some("splice_acceptor"),
    Some("splice_donor"),
    Some("start_lost"),
    Some("splice_region"),
    Some("stop_retained"),
    Some("5_prime_utr"),
    Some("3_prime_utr"),
    Some("non_coding"),
    Some("intron"),
    Some("intergenic"),
    Some("inframe_altering"),
    None,
    None,
    Some("coding_sequence"),
    Some("feature_elongation"),
    Some("start_retained"),
];

/// One consequence attached to a VCF record.
#[derive(Debug, Clone)]
pub(crate) struct Vcsq {
    pub kind: u32,
    /// Transcript slot in the chromosome model.
    pub slot: usize,
    pub ial: u32,
    /// For `@POS` references: the position (1-based) of the record holding the consequence.
    pub ref_pos: Option<u32>,
    /// `|aa|dna` part, empty if none.
    pub vstr: String,
}

/// Identity of the transcript behind a slot, for the merge rules.
pub(crate) trait SlotInfo {
    fn biotype_key(&self, slot: usize) -> &str;
    fn gene_key(&self, slot: usize) -> &str;
}

/// Adds a consequence to a record's list unless an equivalent one is there (bcftools'
/// `csq_push`). Returns true if it was added.
pub(crate) fn push(list: &mut Vec<Vcsq>, mut c: Vcsq, info: &impl SlotInfo) -> bool {
    if c.kind & CSQ_SPLICE_REGION != 0 && c.kind & (CSQ_SPLICE_DONOR | CSQ_SPLICE_ACCEPTOR) != 0 {
        c.kind &= !CSQ_SPLICE_REGION;
    }
    let same_bio = |a: usize, b: usize| info.biotype_key(a) == info.biotype_key(b);
    if c.kind & CSQ_PRINTED_UPSTREAM != 0 {
        for e in list.iter_mut() {
            if c.kind & CSQ_START_STOP != 0 && e.kind & CSQ_START_STOP != 0 {
                *e = c;
                return false;
            }
            if e.kind & CSQ_PRINTED_UPSTREAM == 0 {
                continue;
            }
            if c.ref_pos != e.ref_pos {
                continue;
            }
            return false;
        }
    } else if c.kind & CSQ_COMPOUND != 0 {
        for e in list.iter_mut() {
            if c.slot != e.slot && (c.kind | e.kind) & CSQ_PRN_TSCRIPT != 0 {
                continue;
            }
            if !same_bio(c.slot, e.slot) || info.gene_key(c.slot) != info.gene_key(e.slot) {
                continue;
            }
            if c.ial != e.ial {
                continue;
            }
            if (c.kind & CSQ_UPSTREAM_STOP) ^ (e.kind & CSQ_UPSTREAM_STOP) != 0 {
                continue;
            }
            if !c.vstr.is_empty() || !e.vstr.is_empty() {
                if c.vstr.is_empty() || e.vstr.is_empty() {
                    if c.kind & CSQ_START_STOP != 0 && e.kind & CSQ_START_STOP != 0 {
                        e.kind |= c.kind;
                        if e.kind & CSQ_STOP_RETAINED != 0 {
                            e.kind &= !(CSQ_STOP_LOST | CSQ_SYNONYMOUS_VARIANT);
                        }
                        if e.vstr.is_empty() {
                            e.vstr = c.vstr;
                        }
                        return false;
                    }
                    continue;
                }
                if c.vstr != e.vstr {
                    continue;
                }
            }
            e.kind |= c.kind;
            return false;
        }
    } else {
        for e in list.iter_mut() {
            if c.slot != e.slot && (c.kind | e.kind) & CSQ_PRN_TSCRIPT != 0 {
                continue;
            }
            if !same_bio(c.slot, e.slot) {
                continue;
            }
            if e.kind & CSQ_COMPOUND == 0 {
                e.kind |= c.kind;
                return false;
            }
            if e.kind == e.kind | c.kind {
                return false;
            }
        }
    }
    list.push(c);
    true
}

/// Formats one consequence as bcftools does
/// (`consequence|gene|transcript|biotype|strand|aa_change|dna_change`).
pub(crate) fn format(
    c: &Vcsq,
    gene: &str,
    transcript: &str,
    biotype: &str,
    nmd: bool,
    fwd: bool,
    out: &mut String,
) {
    let mut t = c.kind;
    if t & CSQ_INCOMPLETE_CDS != 0
        && t & !(CSQ_START_STOP | CSQ_INCOMPLETE_CDS | CSQ_UPSTREAM_STOP) != 0
    {
        t &= !(CSQ_START_STOP | CSQ_INCOMPLETE_CDS);
    }
    if t & CSQ_START_STOP != 0 && t & CSQ_MISSENSE_VARIANT != 0 {
        t &= !CSQ_MISSENSE_VARIANT;
    }
    if t & CSQ_PRINTED_UPSTREAM != 0
        && let Some(p) = c.ref_pos
    {
        out.push('@');
        out.push_str(&p.to_string());
        return;
    }
    if t & CSQ_UPSTREAM_STOP != 0 {
        out.push('*');
    }
    let mut has = false;
    for (i, name) in CSQ_NAMES.iter().enumerate().skip(1) {
        if let Some(name) = name
            && t & (1 << i) != 0
        {
            if has {
                out.push('&');
            }
            out.push_str(name);
            has = true;
        }
    }
    if nmd && t & (CSQ_PRN_TSCRIPT) != 0 {
        if has {
            out.push('&');
        }
        out.push_str("NMD_transcript");
    }
    out.push('|');
    out.push_str(gene);
    out.push('|');
    if t & CSQ_PRN_TSCRIPT != 0 {
        out.push_str(transcript);
    }
    out.push('|');
    out.push_str(biotype);
    let prn_strand = t & CSQ_COMPOUND != 0
        && t & (CSQ_SPLICE_ACCEPTOR | CSQ_SPLICE_DONOR | CSQ_SPLICE_REGION) == 0;
    if prn_strand || !c.vstr.is_empty() {
        out.push_str(if fwd { "|+" } else { "|-" });
    }
    out.push_str(&c.vstr);
}
