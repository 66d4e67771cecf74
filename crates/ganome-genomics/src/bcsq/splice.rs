//! Splice-site, start/stop and exon-boundary checks, following bcftools csq's rules so that
//! `--format bcsq` agrees with it: splice donor/acceptor are the 2 intronic bases next to an
//! exon, splice region 3 exonic and 8 intronic bases; indels are trimmed of shared bases
//! first, and an intronic change that leaves the region's sequence unchanged is flagged
//! synonymous (later dropped).

use super::csq::*;
use super::model::{BTx, ChromModel, N_REF_PAD, N_SPLICE_DONOR, N_SPLICE_REGION_INTRON};

/// Result of a splice check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpliceRet {
    /// Not a real variant (REF equals ALT after trimming).
    VarRef,
    /// Consequence set, variant outside the region.
    Outside,
    /// Overlaps the region; coding prediction needed.
    Inside,
    /// Indel overlaps a boundary; consequence set but not predicted further.
    Overlap,
}

/// A consequence staged by a splice check (pushed to the record by the caller).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Staged {
    pub kind: u32,
    pub slot: usize,
    pub ial: u32,
}

const NR: i64 = N_SPLICE_REGION_INTRON as i64;
const ND: i64 = N_SPLICE_DONOR as i64;
const PAD: i64 = N_REF_PAD as i64;

/// `a - b` as bcftools computes it on unsigned 32-bit positions.
fn usub(a: i64, b: i64) -> i64 {
    if a >= b { a - b } else { a - b + (1i64 << 32) }
}

/// C `strncmp(a, b, n) == 0` on byte strings.
fn strn_eq(a: &[u8], b: &[u8], n: usize) -> bool {
    let la = a.len().min(n);
    let lb = b.len().min(n);
    la == lb && a[..la] == b[..lb]
}

fn tail(s: &[u8], off: usize) -> &[u8] {
    if off <= s.len() { &s[off..] } else { &[] }
}

/// State of one splice check (one record allele against one exon/CDS/UTR/transcript).
pub(crate) struct Splice<'a> {
    pub model: &'a ChromModel,
    pub slot: usize,
    pub tr: &'a BTx,
    /// Transcript reference, padded by N_REF_PAD (only with `set_refalt`).
    pub tref: Option<&'a [u8]>,
    pub pos: i64,
    pub rlen: i64,
    pub alen: i64,
    pub ial: u32,
    pub vref: &'a [u8],
    pub valt: &'a [u8],
    pub check_acceptor: bool,
    pub check_start: bool,
    pub check_stop: bool,
    pub check_donor: bool,
    pub check_region_beg: bool,
    pub check_region_end: bool,
    pub check_utr: bool,
    pub set_refalt: bool,
    pub csq: u32,
    pub tbeg: i64,
    pub tend: i64,
    pub ref_beg: i64,
    pub ref_end: i64,
    pub kref: Vec<u8>,
    pub kalt: Vec<u8>,
    pub staged: Vec<Staged>,
}

impl<'a> Splice<'a> {
    /// A fresh check of `valt` against `vref` at 0-based `pos`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &'a ChromModel,
        slot: usize,
        tref: Option<&'a [u8]>,
        pos: u32,
        vref: &'a [u8],
        valt: &'a [u8],
        ial: u32,
    ) -> Self {
        Splice {
            model,
            slot,
            tr: &model.txs[slot],
            tref,
            pos: i64::from(pos),
            rlen: vref.len() as i64,
            alen: valt.len() as i64,
            ial,
            vref,
            valt,
            check_acceptor: false,
            check_start: false,
            check_stop: false,
            check_donor: false,
            check_region_beg: false,
            check_region_end: false,
            check_utr: false,
            set_refalt: false,
            csq: 0,
            tbeg: 0,
            tend: 0,
            ref_beg: 0,
            ref_end: 0,
            kref: Vec::new(),
            kalt: Vec::new(),
            staged: Vec::new(),
        }
    }

    fn refbase(&self, idx: i64) -> u8 {
        match self.tref {
            Some(r) if idx >= 0 && (idx as usize) < r.len() => r[idx as usize],
            _ => b'N',
        }
    }

    fn ref_push(&self, out: &mut Vec<u8>, gpos: i64, len: i64) {
        let base = PAD + gpos - i64::from(self.tr.beg);
        for k in 0..len.max(0) {
            out.push(self.refbase(base + k));
        }
    }

    fn stage_splice(&mut self, kind: u32) {
        if kind != 0 {
            self.staged.push(Staged {
                kind,
                slot: self.slot,
                ial: self.ial,
            });
        }
    }

    /// Stages a UTR consequence if a UTR of this transcript overlaps `[beg, end]`.
    fn stage_utr(&mut self, beg: i64, end: i64, extra: u32) -> u32 {
        if beg < 0 || end < 0 || end < beg {
            return 0;
        }
        let hit = self
            .model
            .utr
            .overlap(beg as u32, end as u32)
            .find(|u| u.2.tx == self.slot)
            .map(|u| u.2.five_prime);
        match hit {
            Some(five) => {
                let kind = (if five { CSQ_UTR5 } else { CSQ_UTR3 }) | extra;
                self.staged.push(Staged {
                    kind,
                    slot: self.slot,
                    ial: self.ial,
                });
                kind
            }
            None => 0,
        }
    }

    fn build_hap(&mut self, beg: i64, len: i64) {
        let (mut rlen, mut alen, rbeg, abeg);
        if len < 0 {
            rlen = -len;
            alen = rlen;
            rbeg = beg - rlen + 1;
            let mut dlen = self.alen - self.rlen;
            if dlen < 0 && beg < self.ref_end {
                dlen += self.ref_end - beg;
            }
            abeg = rbeg + dlen;
        } else {
            rbeg = beg;
            abeg = beg;
            rlen = len;
            alen = len;
        }
        let mut kref = Vec::new();
        let mut kalt = Vec::new();
        let roff = if rbeg < self.pos {
            self.ref_push(&mut kref, rbeg, self.pos - rbeg);
            0
        } else {
            rbeg - self.pos
        };
        if roff < self.rlen && (kref.len() as i64) < rlen {
            let mut l = self.rlen - roff;
            if l > rlen - kref.len() as i64 {
                l = rlen - kref.len() as i64;
            }
            let s = roff as usize;
            let e = ((roff + l) as usize).min(self.vref.len());
            if s < e {
                kref.extend_from_slice(&self.vref[s..e]);
            }
        }
        let end = self.pos + self.rlen;
        if (kref.len() as i64) < rlen {
            let tr_end = i64::from(self.tr.end);
            if end + rlen - kref.len() as i64 - 1 > tr_end {
                rlen -= end + rlen - kref.len() as i64 - 1 - tr_end;
            }
            if (kref.len() as i64) < rlen {
                let n = rlen - kref.len() as i64;
                self.ref_push(&mut kref, end, n);
            }
        }
        let mut aoff;
        if abeg < self.pos {
            self.ref_push(&mut kalt, abeg, self.pos - abeg);
            aoff = 0;
        } else {
            aoff = abeg - self.pos;
        }
        if aoff < self.alen && (kalt.len() as i64) < alen {
            let mut l = self.alen - aoff;
            if l > alen - kalt.len() as i64 {
                l = alen - kalt.len() as i64;
            }
            let s = aoff as usize;
            let e = ((aoff + l) as usize).min(self.valt.len());
            if s < e {
                kalt.extend_from_slice(&self.valt[s..e]);
            }
            aoff -= l;
        }
        if aoff < 0 {
            aoff = 0;
        } else {
            aoff -= 1;
        }
        if (kalt.len() as i64) < alen {
            let tr_end = i64::from(self.tr.end);
            if end + alen + aoff - kalt.len() as i64 - 1 > tr_end {
                alen -= end + alen + aoff - kalt.len() as i64 - 1 - tr_end;
            }
            if alen > 0 && alen > kalt.len() as i64 {
                let n = alen - kalt.len() as i64;
                self.ref_push(&mut kalt, end + aoff, n);
            }
        }
        self.kref = kref;
        self.kalt = kalt;
    }

    fn set_region_after(&mut self, ex_end: i64, inclusive_beg: bool) {
        // the part after the exon: splice region / donor (fwd) / acceptor (rev)
        let (r, a) = if self.set_refalt {
            self.build_hap(ex_end + 1, NR);
            (Some(self.kref.clone()), Some(self.kalt.clone()))
        } else {
            (None, None)
        };
        let in_region = if inclusive_beg {
            self.ref_beg <= ex_end + NR
        } else {
            self.ref_beg < ex_end + NR
        };
        if in_region && self.ref_end > ex_end + ND {
            self.csq |= CSQ_SPLICE_REGION;
            if let (Some(r), Some(a)) = (&r, &a)
                && strn_eq(r, a, NR as usize)
            {
                self.csq |= CSQ_SYNONYMOUS_VARIANT;
            }
        }
        let in_donor = if inclusive_beg {
            self.ref_beg <= ex_end + ND
        } else {
            self.ref_beg < ex_end + ND
        };
        if in_donor {
            if self.check_donor && self.tr.fwd {
                self.csq |= CSQ_SPLICE_DONOR;
            }
            if self.check_acceptor && !self.tr.fwd {
                self.csq |= CSQ_SPLICE_ACCEPTOR;
            }
            if let (Some(r), Some(a)) = (&r, &a)
                && strn_eq(r, a, ND as usize)
            {
                self.csq |= CSQ_SYNONYMOUS_VARIANT;
            }
        }
    }

    fn set_region_before(&mut self, ex_beg: i64, strict_region: bool, donor_ge: bool) {
        let (r, a) = if self.set_refalt {
            self.build_hap(ex_beg - NR, NR);
            (Some(self.kref.clone()), Some(self.kalt.clone()))
        } else {
            (None, None)
        };
        let region_lo = usub(ex_beg, NR);
        let in_region = if strict_region {
            self.ref_end > region_lo
        } else {
            self.ref_end >= region_lo
        };
        if in_region && self.ref_beg < usub(ex_beg, ND) {
            self.csq |= CSQ_SPLICE_REGION;
            if let (Some(r), Some(a)) = (&r, &a)
                && strn_eq(r, a, NR as usize)
            {
                self.csq |= CSQ_SYNONYMOUS_VARIANT;
            }
        }
        let donor_lo = usub(ex_beg, ND);
        let in_donor = if donor_ge {
            self.ref_end >= donor_lo
        } else {
            self.ref_end > donor_lo
        };
        if in_donor {
            if self.check_donor && !self.tr.fwd {
                self.csq |= CSQ_SPLICE_DONOR;
            }
            if self.check_acceptor && self.tr.fwd {
                self.csq |= CSQ_SPLICE_ACCEPTOR;
            }
            if let (Some(r), Some(a)) = (&r, &a) {
                let o = (NR - ND) as usize;
                if strn_eq(tail(r, o), tail(a, o), ND as usize) {
                    self.csq |= CSQ_SYNONYMOUS_VARIANT;
                }
            }
        }
    }

    fn start_stop_at_beg(&mut self) {
        if self.check_region_beg {
            self.csq |= CSQ_SPLICE_REGION;
        }
        if self.tr.fwd {
            if self.check_start {
                self.csq |= CSQ_START_LOST;
            }
        } else if self.check_stop {
            self.csq |= CSQ_STOP_LOST;
        }
    }

    fn start_stop_at_end(&mut self) {
        if self.check_region_end {
            self.csq |= CSQ_SPLICE_REGION;
        }
        if !self.tr.fwd {
            if self.check_start {
                self.csq |= CSQ_START_LOST;
            }
        } else if self.check_stop {
            self.csq |= CSQ_STOP_LOST;
        }
    }

    fn csq_ins(&mut self, ex_beg: i64, ex_end: i64) -> SpliceRet {
        if self.tbeg != 0 || self.vref.first() != self.valt.first() {
            self.ref_beg = self.pos + self.tbeg - 1;
            self.ref_end = self.pos + self.rlen - self.tend;
        } else {
            if self.tend != 0 {
                self.tend -= 1;
            }
            self.ref_beg = self.pos;
            self.ref_end = self.pos + self.rlen - self.tend;
        }
        if self.ref_beg >= ex_end {
            if self.check_utr && self.stage_utr(self.ref_beg + 1, self.ref_beg + 1, self.csq) != 0 {
                return SpliceRet::Outside;
            }
            if !self.check_region_end {
                return SpliceRet::Outside;
            }
            self.set_region_after(ex_end, false);
            self.stage_splice(self.csq);
            return SpliceRet::Outside;
        }
        if self.ref_end < ex_beg || (self.ref_end == ex_beg && !self.check_region_beg) {
            if self.check_utr && self.stage_utr(self.ref_end - 1, self.ref_end - 1, self.csq) != 0 {
                return SpliceRet::Outside;
            }
            if !self.check_region_beg {
                return SpliceRet::Outside;
            }
            self.set_region_before(ex_beg, true, false);
            self.stage_splice(self.csq);
            return SpliceRet::Outside;
        }
        if self.ref_beg <= ex_beg + 2 {
            self.start_stop_at_beg();
        }
        if self.ref_end > ex_end - 2 {
            self.start_stop_at_end();
        }
        if self.set_refalt {
            if self.ref_beg < self.pos {
                let dlen = self.pos - self.ref_beg;
                self.tbeg += dlen;
                if self.tbeg + self.tend == self.rlen {
                    self.tend -= dlen;
                }
                self.ref_beg = self.pos;
            }
            if self.ref_end == ex_beg {
                self.tend -= 1;
            }
            self.build_hap(self.ref_beg, self.alen - self.tend - self.tbeg + 1);
            self.rlen -= self.tbeg + self.tend - 1;
            if self.kref.len() as i64 > self.rlen {
                self.kref.truncate(self.rlen.max(0) as usize);
            }
        }
        self.stage_splice(self.csq);
        SpliceRet::Inside
    }

    fn shifted_del_synonymous(&self, ex_beg: i64, ex_end: i64) -> bool {
        let tr = self.tr;
        if !tr.fwd && self.pos + self.rlen + 2 <= ex_end {
            return false;
        }
        if tr.fwd && self.pos >= ex_beg + 3 {
            return false;
        }
        let ref_len = self.vref.len() as i64;
        let alt_len = self.valt.len() as i64;
        if ref_len <= alt_len {
            return false;
        }
        let ndel = ref_len - alt_len;
        let deleted = &self.vref[alt_len as usize..];
        if !tr.fwd {
            let vcf_ref_end = self.pos + ref_len - 1;
            let tr_ref_end = i64::from(tr.end) + PAD;
            if vcf_ref_end + ndel > tr_ref_end {
                return false;
            }
            let base = PAD + (vcf_ref_end + 1 - i64::from(tr.beg));
            deleted
                .iter()
                .enumerate()
                .all(|(i, &b)| self.refbase(base + i as i64) == b)
        } else {
            let block_beg = self.pos + ref_len - 2 * ndel;
            if block_beg < 0 {
                return false;
            }
            if PAD + block_beg < ex_beg {
                return false;
            }
            let base = PAD + block_beg - i64::from(tr.beg);
            deleted
                .iter()
                .enumerate()
                .all(|(i, &b)| self.refbase(base + i as i64) == b)
        }
    }

    fn csq_del(&mut self, ex_beg: i64, ex_end: i64) -> SpliceRet {
        if self.check_start && self.shifted_del_synonymous(ex_beg, ex_end) {
            self.csq |= CSQ_START_RETAINED;
            return SpliceRet::Overlap;
        }
        self.ref_beg = self.pos + self.tbeg - 1;
        self.ref_end = self.pos + self.rlen - self.tend - 1;
        if self.ref_beg + 1 < ex_beg {
            if self.check_region_beg {
                let mut c = 0;
                if self.check_utr {
                    c = self.stage_utr(self.ref_beg, ex_beg - 1, self.csq);
                }
                if c == 0 {
                    self.set_region_before(ex_beg, false, true);
                }
            }
            if self.ref_end >= ex_beg {
                self.tbeg = self.ref_beg - self.pos + 1;
                self.ref_beg = ex_beg - 1;
                if self.tbeg + self.tend == self.alen {
                    if self.tend == 0 {
                        self.csq |= CSQ_CODING_SEQUENCE;
                        return SpliceRet::Overlap;
                    }
                    self.tend -= 1;
                }
            }
        }
        if ex_end < self.ref_end {
            if self.check_region_end {
                let mut c = 0;
                if self.check_utr {
                    c = self.stage_utr(ex_end + 1, self.ref_end, self.csq);
                }
                if c == 0 {
                    self.set_region_after(ex_end, false);
                }
            }
            if self.ref_beg < ex_end {
                self.tend = self.rlen - (self.ref_end - self.pos + 1);
                self.ref_end = ex_end;
            }
        }
        if self.ref_end < ex_beg || self.ref_beg >= ex_end {
            self.stage_splice(self.csq);
            return SpliceRet::Outside;
        }
        if self.ref_beg < ex_beg + 2 {
            self.start_stop_at_beg();
        }
        if self.ref_end > ex_end - 3 {
            self.start_stop_at_end();
        }
        if self.set_refalt {
            if self.tbeg > 0 {
                self.tbeg -= 1;
            }
            if self.rlen > self.tbeg + self.tend && self.alen > self.tbeg + self.tend {
                self.rlen -= self.tbeg + self.tend;
                self.alen -= self.tbeg + self.tend;
            }
            let s = self.tbeg.max(0) as usize;
            self.kref = self
                .vref
                .get(s..(s + self.rlen.max(0) as usize).min(self.vref.len()))
                .unwrap_or(&[])
                .to_vec();
            self.kalt = self
                .valt
                .get(s..(s + self.alen.max(0) as usize).min(self.valt.len()))
                .unwrap_or(&[])
                .to_vec();
            if (self.ref_beg + 1 < ex_beg && self.ref_end >= ex_beg)
                || (self.ref_beg + 1 < ex_end && self.ref_end >= ex_end)
            {
                // net length change inside the region: deleted span minus inserted bases
                // (ENST00000573035-bt2212/complex-event.vcf, ENST00000518414/incorrect-inframe-del.vcf)
                let dl = (self.ref_end - self.ref_beg) - (self.alen - 1).max(0);
                self.csq |= if dl % 3 != 0 {
                    CSQ_FRAMESHIFT_VARIANT
                } else {
                    CSQ_INFRAME_DELETION
                };
                return SpliceRet::Overlap;
            }
        }
        self.stage_splice(self.csq);
        SpliceRet::Inside
    }

    fn csq_mnp(&mut self, ex_beg: i64, ex_end: i64) -> SpliceRet {
        if self.tbeg + self.tend == self.rlen {
            return SpliceRet::VarRef;
        }
        self.ref_beg = self.pos + self.tbeg;
        self.ref_end = self.pos + self.rlen - self.tend - 1;
        if self.ref_beg < ex_beg {
            if self.check_region_beg {
                let mut c = 0;
                if self.check_utr {
                    c = self.stage_utr(self.ref_beg, ex_beg - 1, self.csq);
                }
                if c == 0 {
                    if self.ref_end >= usub(ex_beg, NR) && self.ref_beg < usub(ex_beg, ND) {
                        self.csq |= CSQ_SPLICE_REGION;
                    }
                    if self.ref_end >= usub(ex_beg, ND) {
                        if self.check_donor && !self.tr.fwd {
                            self.csq |= CSQ_SPLICE_DONOR;
                        }
                        if self.check_acceptor && self.tr.fwd {
                            self.csq |= CSQ_SPLICE_ACCEPTOR;
                        }
                    }
                }
            }
            if self.ref_end >= ex_beg {
                self.tbeg = self.ref_beg - self.pos;
                self.ref_beg = ex_beg;
            }
        }
        if ex_end < self.ref_end {
            if self.check_region_end {
                let mut c = 0;
                if self.check_utr {
                    c = self.stage_utr(ex_end + 1, self.ref_end, self.csq);
                }
                if c == 0 {
                    if self.ref_beg <= ex_end + NR && self.ref_end > ex_end + ND {
                        self.csq |= CSQ_SPLICE_REGION;
                    }
                    if self.ref_beg <= ex_end + ND {
                        if self.check_donor && self.tr.fwd {
                            self.csq |= CSQ_SPLICE_DONOR;
                        }
                        if self.check_acceptor && !self.tr.fwd {
                            self.csq |= CSQ_SPLICE_ACCEPTOR;
                        }
                    }
                }
            }
            if self.ref_beg <= ex_end {
                self.tend = self.rlen - (self.ref_end - self.pos + 1);
                self.ref_end = ex_end;
            }
        }
        if self.ref_end < ex_beg || self.ref_beg > ex_end {
            self.stage_splice(self.csq);
            return SpliceRet::Outside;
        }
        if self.ref_beg < ex_beg + 3 {
            self.start_stop_at_beg();
        }
        if self.ref_end > ex_end - 3 {
            self.start_stop_at_end();
        }
        if self.set_refalt {
            self.rlen -= self.tbeg + self.tend;
            let s = self.tbeg.max(0) as usize;
            let n = self.rlen.max(0) as usize;
            self.kref = self
                .vref
                .get(s..(s + n).min(self.vref.len()))
                .unwrap_or(&[])
                .to_vec();
            self.kalt = self
                .valt
                .get(s..(s + n).min(self.valt.len()))
                .unwrap_or(&[])
                .to_vec();
        }
        self.stage_splice(self.csq);
        SpliceRet::Inside
    }

    /// Runs the check against a region `[ex_beg, ex_end]` (0-based, inclusive).
    pub fn run(&mut self, ex_beg: u32, ex_end: u32) -> SpliceRet {
        let (r, a) = (self.vref, self.valt);
        self.alen = a.len() as i64;
        let (mut rl1, mut al1) = (self.rlen - 1, self.alen - 1);
        let mut i = 0i64;
        while i <= rl1 && i <= al1 && r[(rl1 - i) as usize] == a[(al1 - i) as usize] {
            i += 1;
        }
        self.tend = i;
        rl1 -= i;
        al1 -= i;
        i = 0;
        while i <= rl1 && i <= al1 && r[i as usize] == a[i as usize] {
            i += 1;
        }
        self.tbeg = i;
        let (b, e) = (i64::from(ex_beg), i64::from(ex_end));
        if self.rlen == self.alen {
            self.csq_mnp(b, e)
        } else if self.rlen < self.alen {
            self.csq_ins(b, e)
        } else {
            self.csq_del(b, e)
        }
    }
}
