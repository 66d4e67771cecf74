//! Consequences in bcftools csq's `BCSQ` format, computed the way bcftools computes them.
//!
//! Why a re-implementation rather than calling bcftools: the data center must annotate in
//! process, from the transcript database, at several times bcftools' speed, while keeping a
//! format that lab staff can diff against bcftools directly. The rules (codon trimming of CDS,
//! splice windows, haplotype chaining, merging of consequences per record) follow the
//! behaviour documented by bcftools' test suite, which the integration tests replay.
//!
//! **Haplotypes (the default, as bcftools without samples):** all variants of a
//! chromosome that fall in the same transcript's CDS are applied together, in order, as one
//! haplotype. Variants touching the same codon, or indels that only together keep the frame,
//! are reported once, at the record of the first (forward strand) or last (reverse strand)
//! variant, with `dna_change` joined by `+`; the other records get `@POS` pointing there.
//!
//! **With samples** ([`BcsqEngine::with_samples`]) each sample's two haplotypes are built
//! from its GT alleles, sharing identical prefixes, and INFO/BCSQ is the union over them.
//! Unphased heterozygous genotypes are taken as written (`0/1` as `0|1`, bcftools
//! `--phase a`; bcftools' default would stop with an error). Records whose genotypes are
//! neither haploid nor diploid get no coding consequence. FORMAT/BCSQ is not written.

mod csq;
mod haplotype;
mod model;
mod splice;

use std::collections::VecDeque;

use crate::txdb::TranscriptDb;
use csq::{CSQ_INTRON, CSQ_NON_CODING, CSQ_UTR3, CSQ_UTR5, SlotInfo, Vcsq};
use haplotype::{ActiveTx, HapInit, finalize, hap_init};
use model::{ChromModel, N_REF_PAD};
use splice::{Splice, SpliceRet, Staged};

/// Errors from the consequence engine.
#[derive(Debug, thiserror::Error)]
pub enum BcsqError {
    /// VCF records out of order within a chromosome.
    #[error("{chrom}:{pos}: records are not sorted (previous position {prev})")]
    Unsorted {
        /// Chromosome.
        chrom: String,
        /// Position (1-based).
        pos: u32,
        /// Previous position.
        prev: u32,
    },
    /// VCF REF disagrees with the reference sequence.
    #[error("{chrom}:{pos}: REF {vcf} does not match the reference ({fasta})")]
    RefMismatch {
        /// Chromosome.
        chrom: String,
        /// Position (1-based).
        pos: u32,
        /// Base in the reference.
        fasta: char,
        /// Base in the VCF.
        vcf: char,
    },
}

/// One VCF site to annotate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// Chromosome as written in the VCF.
    pub chrom: String,
    /// 1-based position.
    pub pos: u32,
    /// REF allele (upper case).
    pub ref_allele: Vec<u8>,
    /// ALT alleles (upper case; symbolic alleles kept as written).
    pub alts: Vec<Vec<u8>>,
    /// Genotypes per sample: allele indexes per haplotype (`None` = missing); empty for
    /// sites-only VCFs.
    pub genotypes: Vec<Vec<Option<u32>>>,
}

struct Pending {
    id: u64,
    pos0: u32,
    keep_until: u32,
    csqs: Vec<Vcsq>,
}

/// A finished record: its sequence number (order of [`BcsqEngine::push`] calls) and BCSQ
/// value (`None` when nothing overlaps).
pub type Annotated = (u64, Option<String>);

/// Streaming haplotype-aware consequence caller over a [`TranscriptDb`].
pub struct BcsqEngine<'db> {
    db: &'db TranscriptDb,
    chrom: Option<String>,
    db_chrom: Option<String>,
    model: ChromModel,
    active: Vec<Option<ActiveTx>>,
    active_slots: Vec<usize>,
    pending: VecDeque<Pending>,
    next_id: u64,
    prev_pos: u32,
    nsamples: usize,
    warnings: Vec<String>,
    scratch_cds: Vec<(usize, usize)>,
}

struct Info<'a> {
    db: &'a TranscriptDb,
    model: &'a ChromModel,
}

impl SlotInfo for Info<'_> {
    fn biotype_key(&self, slot: usize) -> &str {
        &self.db.transcripts()[self.model.txs[slot].db_index]
            .biotype
            .name
    }
    fn gene_key(&self, slot: usize) -> &str {
        &self.db.transcripts()[self.model.txs[slot].db_index].gene_id
    }
}

fn symbolic(a: &[u8]) -> bool {
    matches!(a.first(), Some(b'<') | Some(b'*'))
}

impl<'db> BcsqEngine<'db> {
    /// A new engine.
    pub fn new(db: &'db TranscriptDb) -> Self {
        BcsqEngine {
            db,
            chrom: None,
            db_chrom: None,
            model: ChromModel::default(),
            active: Vec::new(),
            active_slots: Vec::new(),
            pending: VecDeque::new(),
            next_id: 0,
            prev_pos: 0,
            nsamples: 0,
            warnings: Vec::new(),
            scratch_cds: Vec::new(),
        }
    }

    /// A new engine for a VCF with `nsamples` samples (0: sites only, one haplotype).
    pub fn with_samples(db: &'db TranscriptDb, nsamples: usize) -> Self {
        let mut e = Self::new(db);
        e.nsamples = nsamples;
        e
    }

    /// Warnings so far (transcripts skipped, overlapping variants); the first 100 are kept.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn warn(&mut self, w: String) {
        if self.warnings.len() < 100 {
            self.warnings.push(w);
        }
    }

    fn set_chrom(&mut self, chrom: &str, out: &mut Vec<Annotated>) {
        self.flush_all(out);
        self.chrom = Some(chrom.to_string());
        self.db_chrom = self.db.resolve_chrom(chrom).map(str::to_string);
        let txs = match &self.db_chrom {
            Some(c) => self.db.transcripts_on(c),
            None => Vec::new(),
        };
        self.model = ChromModel::build(&txs);
        let ws = std::mem::take(&mut self.model.warnings);
        for w in ws {
            self.warn(w);
        }
        self.active = (0..self.model.txs.len()).map(|_| None).collect();
        self.active_slots.clear();
        self.prev_pos = 0;
    }

    /// Adds a site; completed records are appended to `out` in input order.
    pub fn push(&mut self, site: &Site, out: &mut Vec<Annotated>) -> Result<u64, BcsqError> {
        if self.chrom.as_deref() != Some(site.chrom.as_str()) {
            self.set_chrom(&site.chrom, out);
        }
        if site.pos < self.prev_pos {
            return Err(BcsqError::Unsorted {
                chrom: site.chrom.clone(),
                pos: site.pos,
                prev: self.prev_pos,
            });
        }
        self.prev_pos = site.pos;
        let id = self.next_id;
        self.next_id += 1;
        let pos0 = site.pos.saturating_sub(1);
        self.pending.push_back(Pending {
            id,
            pos0,
            keep_until: 0,
            csqs: Vec::new(),
        });
        let call = match site.alts.first() {
            None => false,
            Some(a) => {
                !(site.alts.len() == 1 && (a.first() == Some(&b'*') || a.get(1) == Some(&b'*')))
                    && a.first() != Some(&b'<')
            }
        };
        if call && !site.ref_allele.is_empty() {
            let mut hit = self.test_cds(site, id, pos0)?;
            hit |= self.test_utr(site, id, pos0);
            hit |= self.test_splice(site, id, pos0);
            if !hit {
                self.test_tscript(site, id, pos0);
            }
        }
        if pos0 > 0 {
            self.flush(pos0 - 1, out);
        }
        Ok(id)
    }

    /// Finishes: every remaining record is appended to `out`.
    pub fn finish(&mut self, out: &mut Vec<Annotated>) {
        self.flush_all(out);
    }

    fn flush_all(&mut self, out: &mut Vec<Annotated>) {
        self.flush(u32::MAX, out);
    }

    fn push_csq(&mut self, id: u64, c: Vcsq) {
        let Some(front) = self.pending.front() else {
            return;
        };
        let Some(idx) = id.checked_sub(front.id) else {
            return;
        };
        let info = Info {
            db: self.db,
            model: &self.model,
        };
        if let Some(p) = self.pending.get_mut(idx as usize) {
            csq::push(&mut p.csqs, c, &info);
        }
    }

    fn push_staged(&mut self, id: u64, staged: Vec<Staged>) {
        for s in staged {
            self.push_csq(
                id,
                Vcsq {
                    kind: s.kind,
                    slot: s.slot,
                    ial: s.ial,
                    ref_pos: None,
                    vstr: String::new(),
                },
            );
        }
    }

    fn flush(&mut self, pos: u32, out: &mut Vec<Annotated>) {
        // finalise transcripts that ended
        let mut i = 0;
        while i < self.active_slots.len() {
            let slot = self.active_slots[i];
            let tr = &self.model.txs[slot];
            if tr.end <= pos || pos == u32::MAX {
                self.active_slots.swap_remove(i);
                if let Some(act) = self.active[slot].take() {
                    let mut em = Vec::new();
                    finalize(&self.model.txs[slot], &act, &mut em);
                    for e in em {
                        self.push_csq(e.rec, e.csq);
                    }
                }
            } else {
                i += 1;
            }
        }
        while let Some(front) = self.pending.front() {
            if !self.active_slots.is_empty() && front.keep_until > pos {
                break;
            }
            let Some(p) = self.pending.pop_front() else {
                break;
            };
            out.push((p.id, self.render(&p)));
        }
    }

    fn render(&self, p: &Pending) -> Option<String> {
        if p.csqs.is_empty() {
            return None;
        }
        let mut s = String::new();
        for (i, c) in p.csqs.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let b = &self.model.txs[c.slot];
            let t = &self.db.transcripts()[b.db_index];
            csq::format(
                c,
                &t.gene_name,
                &t.id,
                &t.biotype.name,
                b.nmd,
                b.fwd,
                &mut s,
            );
        }
        let _ = p.pos0;
        Some(s)
    }

    fn activate(&mut self, slot: usize, site: &Site) -> Result<(), BcsqError> {
        if self.active[slot].is_none() {
            let tr = &self.model.txs[slot];
            let chrom = self.db_chrom.clone().unwrap_or_default();
            let start = u64::from(tr.beg) as i64 - i64::from(N_REF_PAD);
            let end = u64::from(tr.end) + u64::from(N_REF_PAD) + 1;
            let mut tref = Vec::with_capacity((end as i64 - start) as usize);
            if start < 0 {
                tref.extend(std::iter::repeat_n(b'N', (-start) as usize));
            }
            tref.extend(self.db.fetch(&chrom, start.max(0) as u64, end));
            let nhap = if self.nsamples == 0 {
                1
            } else {
                2 * self.nsamples
            };
            self.active[slot] = Some(ActiveTx::new(slot, tr, tref, nhap));
            self.active_slots.push(slot);
        }
        // REF sanity check against the transcript's reference
        if let Some(act) = &self.active[slot] {
            let tr = &self.model.txs[slot];
            let base = i64::from(site.pos) - 1 - i64::from(tr.beg) + i64::from(N_REF_PAD);
            for (k, &v) in site.ref_allele.iter().enumerate() {
                let idx = base + k as i64;
                if idx < 0 {
                    continue;
                }
                let Some(&r) = act.tref.get(idx as usize) else {
                    break;
                };
                if r != b'N' && !r.eq_ignore_ascii_case(&v) {
                    return Err(BcsqError::RefMismatch {
                        chrom: site.chrom.clone(),
                        pos: site.pos + k as u32,
                        fasta: r as char,
                        vcf: v as char,
                    });
                }
            }
        }
        Ok(())
    }

    fn test_cds(&mut self, site: &Site, id: u64, pos0: u32) -> Result<bool, BcsqError> {
        let rlen = site.ref_allele.len() as u32;
        let mut hits = std::mem::take(&mut self.scratch_cds);
        hits.clear();
        hits.extend(self.model.cds.overlap(pos0, pos0 + rlen).map(|x| x.2));
        if hits.is_empty() {
            self.scratch_cds = hits;
            return Ok(false);
        }
        let mut ret = false;
        for &(slot, ci) in &hits {
            let tr = &self.model.txs[slot];
            if !tr.coding {
                continue;
            }
            let end = tr.end;
            if let Some(p) = self.pending.back_mut() {
                p.keep_until = p.keep_until.max(end);
            }
            ret = true;
            self.activate(slot, site)?;
            let cds = self.model.txs[slot].cds[ci];
            // (haplotype index, allele index)
            let mut haps: Vec<(usize, usize)> = Vec::new();
            if self.nsamples == 0 {
                haps.push((0, 1));
            } else {
                let ngts = site.genotypes.iter().map(Vec::len).max().unwrap_or(0);
                if ngts == 0 || ngts > 2 {
                    self.warn(format!(
                        "{}:{}: skipping a site with non-diploid/non-haploid genotypes",
                        site.chrom, site.pos
                    ));
                    continue;
                }
                for (s, gt) in site.genotypes.iter().enumerate().take(self.nsamples) {
                    if gt.first().copied().flatten().is_none() {
                        continue;
                    }
                    for (ih, a) in gt.iter().enumerate() {
                        if let Some(a) = *a
                            && a > 0
                            && (a as usize) <= site.alts.len()
                        {
                            haps.push((2 * s + ih, a as usize));
                        }
                    }
                }
            }
            for (h, ial) in haps {
                let alt = &site.alts[ial - 1];
                if symbolic(alt) {
                    continue;
                }
                let Some(act) = self.active[slot].as_mut() else {
                    continue;
                };
                let parent_idx = act.leaf(h);
                if let Some(c) = act.shared_child(parent_idx, id, ial) {
                    act.move_hap(h, parent_idx, c);
                    continue;
                }
                let mut staged = Vec::new();
                let act = &self.active[slot];
                let Some(act) = act.as_ref() else { continue };
                let r = hap_init(
                    &self.model,
                    act,
                    act.nodes[parent_idx].node.as_ref(),
                    &cds,
                    id,
                    pos0,
                    &site.ref_allele,
                    alt,
                    ial as u32,
                    &mut staged,
                );
                self.push_staged(id, staged);
                match r {
                    HapInit::Overlapping => self.warn(format!(
                        "{}:{}: skipping a variant that overlaps the previous one in {}",
                        site.chrom,
                        site.pos,
                        self.db.transcripts()[self.model.txs[slot].db_index].id
                    )),
                    HapInit::Silent => {}
                    HapInit::Sss(node) => self.push_csq(
                        id,
                        Vcsq {
                            kind: node.csq,
                            slot,
                            ial: ial as u32,
                            ref_pos: None,
                            vstr: String::new(),
                        },
                    ),
                    HapInit::Node(node) => {
                        if let Some(act) = self.active[slot].as_mut() {
                            act.add_child(parent_idx, h, id, ial, node);
                        }
                    }
                }
            }
        }
        self.scratch_cds = hits;
        Ok(ret)
    }

    fn test_utr(&mut self, site: &Site, id: u64, pos0: u32) -> bool {
        let rlen = site.ref_allele.len() as u32;
        let hits: Vec<_> = self
            .model
            .utr
            .overlap(pos0, pos0 + rlen)
            .map(|&(b, e, u)| (b, e, u))
            .collect();
        let mut ret = false;
        for (b, e, u) in hits {
            for (i, alt) in site.alts.iter().enumerate() {
                if symbolic(alt) {
                    continue;
                }
                let mut sp = Splice::new(
                    &self.model,
                    u.tx,
                    None,
                    pos0,
                    &site.ref_allele,
                    alt,
                    i as u32 + 1,
                );
                let r = sp.run(b, e);
                let staged = std::mem::take(&mut sp.staged);
                self.push_staged(id, staged);
                if r != SpliceRet::Inside && r != SpliceRet::Overlap {
                    continue;
                }
                self.push_csq(
                    id,
                    Vcsq {
                        kind: if u.five_prime { CSQ_UTR5 } else { CSQ_UTR3 },
                        slot: u.tx,
                        ial: i as u32 + 1,
                        ref_pos: None,
                        vstr: String::new(),
                    },
                );
                ret = true;
            }
        }
        ret
    }

    fn test_splice(&mut self, site: &Site, id: u64, pos0: u32) -> bool {
        let rlen = site.ref_allele.len() as u32;
        let hits: Vec<_> = self
            .model
            .exon
            .overlap(pos0, pos0 + rlen)
            .map(|x| x.2)
            .collect();
        let mut ret = false;
        for (slot, eb, ee) in hits {
            let tr = &self.model.txs[slot];
            if tr.ncds_raw == 0 {
                continue;
            }
            let (crb, cre) = (tr.beg != eb, tr.end != ee);
            for (i, alt) in site.alts.iter().enumerate() {
                if symbolic(&site.alts[0]) {
                    continue;
                }
                let mut sp = Splice::new(
                    &self.model,
                    slot,
                    None,
                    pos0,
                    &site.ref_allele,
                    alt,
                    i as u32 + 1,
                );
                sp.check_acceptor = true;
                sp.check_donor = true;
                sp.check_region_beg = crb;
                sp.check_region_end = cre;
                sp.run(eb, ee);
                let csq = sp.csq;
                let staged = std::mem::take(&mut sp.staged);
                self.push_staged(id, staged);
                if csq != 0 {
                    ret = true;
                }
            }
        }
        ret
    }

    fn test_tscript(&mut self, site: &Site, id: u64, pos0: u32) {
        let rlen = site.ref_allele.len() as u32;
        let hits: Vec<_> = self
            .model
            .tscript
            .overlap(pos0, pos0 + rlen)
            .map(|x| x.2)
            .collect();
        for slot in hits {
            let (b, e, coding) = {
                let t = &self.model.txs[slot];
                (t.beg, t.end, t.coding)
            };
            for alt in &site.alts {
                if symbolic(alt) {
                    continue;
                }
                let mut sp = Splice::new(&self.model, slot, None, pos0, &site.ref_allele, alt, 0);
                let r = sp.run(b, e);
                let staged = std::mem::take(&mut sp.staged);
                self.push_staged(id, staged);
                if r != SpliceRet::Inside && r != SpliceRet::Overlap {
                    continue;
                }
                self.push_csq(
                    id,
                    Vcsq {
                        kind: if coding { CSQ_INTRON } else { CSQ_NON_CODING },
                        slot,
                        ial: 0,
                        ref_pos: None,
                        vstr: String::new(),
                    },
                );
            }
        }
    }
}

/// Sorts the comma-separated consequences of a BCSQ value, for order-insensitive comparison.
pub fn canonical_bcsq(s: &str) -> String {
    let mut v: Vec<&str> = s.split(',').collect();
    v.sort_unstable();
    v.join(",")
}
