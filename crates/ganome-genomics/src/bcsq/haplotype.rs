//! Haplotype-aware coding consequences: variants applied to one transcript are chained,
//! the spliced haplotype is translated, and variants sharing a codon (or restoring a frame)
//! are reported together, as bcftools csq does.

use super::csq::*;
use super::model::{BCds, BTx, ChromModel, N_REF_PAD};
use super::splice::{Splice, SpliceRet, Staged};
use crate::codon::{complement, translate_codon};

const PAD: i64 = N_REF_PAD as i64;

/// A variant applied to a transcript's coding sequence.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Coding sequence from the end of the previous node's variant to the end of this one
    /// (reference strand), alt bases included.
    pub seq: Vec<u8>,
    pub var: String,
    pub csq: u32,
    pub dlen: i64,
    pub rbeg: i64,
    pub rlen: i64,
    pub sbeg: i64,
    pub icds: u32,
    pub rec: u64,
    pub rec_pos: u32,
    pub ial: u32,
    /// Start/stop/splice node: reported directly, not part of the chain.
    pub sss: bool,
}

/// A node of a transcript's haplotype tree (the root carries no variant).
#[derive(Debug)]
pub(crate) struct TreeNode {
    pub node: Option<Node>,
    pub children: Vec<usize>,
    /// Haplotypes ending here.
    pub nend: u32,
    /// Record that last extended this node, and the child made for each of its alleles.
    pub cur_rec: Option<u64>,
    pub cur_child: Vec<Option<usize>>,
}

/// An active transcript: its padded reference, spliced CDS and haplotype tree.
#[derive(Debug)]
pub(crate) struct ActiveTx {
    pub slot: usize,
    pub tref: Vec<u8>,
    pub sref: Vec<u8>,
    /// Tree nodes; index 0 is the root.
    pub nodes: Vec<TreeNode>,
    /// Current node of each haplotype (`None`: still at the root).
    pub hap: Vec<Option<usize>>,
}

impl ActiveTx {
    /// Spliced reference CDS with N_REF_PAD context (bcftools' layout, quirks included).
    pub fn new(slot: usize, tr: &BTx, tref: Vec<u8>, nhap: usize) -> Self {
        let mut sref = Vec::new();
        if let (Some(first), Some(last)) = (tr.cds.first(), tr.cds.last()) {
            let at = |g: u32| (g - tr.beg) as usize;
            let get = |s: usize, n: usize| -> Vec<u8> {
                (s..s + n)
                    .map(|i| tref.get(i).copied().unwrap_or(b'N'))
                    .collect()
            };
            sref.extend(get(at(first.beg), N_REF_PAD as usize));
            for c in &tr.cds {
                sref.extend(get(at(c.beg) + N_REF_PAD as usize, c.len as usize));
            }
            sref.extend(get(at(last.beg) + N_REF_PAD as usize, N_REF_PAD as usize));
        }
        ActiveTx {
            slot,
            tref,
            sref,
            nodes: vec![TreeNode {
                node: None,
                children: Vec::new(),
                nend: nhap as u32,
                cur_rec: None,
                cur_child: Vec::new(),
            }],
            hap: vec![None; nhap],
        }
    }

    /// The node haplotype `h` currently ends at (0 = root).
    pub fn leaf(&self, h: usize) -> usize {
        self.hap.get(h).copied().flatten().unwrap_or(0)
    }

    /// Adds `node` as the child of `parent` for allele `ial` of record `rec`, moving
    /// haplotype `h` there.
    pub fn add_child(&mut self, parent: usize, h: usize, rec: u64, ial: usize, node: Node) {
        let idx = self.nodes.len();
        self.nodes.push(TreeNode {
            node: Some(node),
            children: Vec::new(),
            nend: 0,
            cur_rec: None,
            cur_child: Vec::new(),
        });
        let p = &mut self.nodes[parent];
        if p.cur_rec != Some(rec) {
            p.cur_rec = Some(rec);
            p.cur_child.clear();
        }
        if p.cur_child.len() <= ial {
            p.cur_child.resize(ial + 1, None);
        }
        p.cur_child[ial] = Some(idx);
        p.children.push(idx);
        self.move_hap(h, parent, idx);
    }

    /// The child already made from `parent` for allele `ial` of record `rec`, if any.
    pub fn shared_child(&self, parent: usize, rec: u64, ial: usize) -> Option<usize> {
        let p = &self.nodes[parent];
        if p.cur_rec == Some(rec) {
            p.cur_child.get(ial).copied().flatten()
        } else {
            None
        }
    }

    /// Moves haplotype `h` from node `from` to node `to`.
    pub fn move_hap(&mut self, h: usize, from: usize, to: usize) {
        self.nodes[from].nend = self.nodes[from].nend.saturating_sub(1);
        self.nodes[to].nend += 1;
        if let Some(x) = self.hap.get_mut(h) {
            *x = Some(to);
        }
    }

    /// Root-to-node paths of every node where a haplotype ends, in pre-order.
    pub fn leaf_paths(&self) -> Vec<Vec<&Node>> {
        let mut out = Vec::new();
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)]; // (node, next child)
        let mut path: Vec<&Node> = Vec::new();
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if *next < self.nodes[n].children.len() {
                let c = self.nodes[n].children[*next];
                *next += 1;
                if let Some(node) = &self.nodes[c].node {
                    path.push(node);
                    if self.nodes[c].nend > 0 {
                        out.push(path.clone());
                    }
                }
                stack.push((c, 0));
            } else {
                stack.pop();
                if n != 0 {
                    path.pop();
                }
            }
        }
        out
    }
}

fn aa(c: &[u8]) -> u8 {
    translate_codon(c)
}

fn caa(c: &[u8]) -> u8 {
    let rc = [complement(c[2]), complement(c[1]), complement(c[0])];
    translate_codon(&rc)
}

fn at(s: &[u8], i: i64) -> u8 {
    if i >= 0 && (i as usize) < s.len() {
        s[i as usize]
    } else {
        b'N'
    }
}

/// Translates the variable part of a (haplotype or reference) sequence, padding partial
/// codons from the reference; `fill` continues to the end (frameshifts).
pub(crate) fn cds_translate(
    sref: &[u8],
    seq: &[u8],
    seq_m: i64,
    sbeg: i64,
    rbeg: i64,
    rend: i64,
    fwd: bool,
    fill: bool,
    out: &mut Vec<u8>,
) {
    out.clear();
    let l = seq.len() as i64;
    if l == 0 {
        out.push(b'?');
        return;
    }
    let mut tmp = [b'N'; 3];
    if fwd {
        let npad = sbeg.rem_euclid(3);
        for k in 0..npad {
            tmp[k as usize] = at(sref, rbeg + k - npad + PAD);
        }
        let mut i = npad;
        while i < 3 && i - npad < l {
            tmp[i as usize] = seq[(i - npad) as usize];
            i += 1;
        }
        let len = l - i + npad;
        if i == 3 {
            out.push(aa(&tmp));
            let mut codon = 3 - npad;
            let end = codon + len - 1 - len % 3;
            while codon < end {
                out.push(aa(&seq[codon as usize..codon as usize + 3]));
                codon += 3;
            }
            let end = l - 1;
            i = 0;
            while codon + i <= end {
                tmp[i as usize] = seq[(codon + i) as usize];
                i += 1;
            }
        }
        let mut cp = rend + PAD;
        if i > 0 {
            while i < 3 {
                tmp[i as usize] = at(sref, cp);
                cp += 1;
                i += 1;
            }
            out.push(aa(&tmp));
        }
        if fill {
            let end = sref.len() as i64 - PAD;
            while cp + 3 <= end {
                out.push(aa(&[at(sref, cp), at(sref, cp + 1), at(sref, cp + 2)]));
                cp += 3;
            }
        }
    } else {
        let npad = (seq_m - (sbeg + l)).rem_euclid(3);
        let mut i: i64;
        if npad == 2 {
            tmp[1] = at(sref, rend + PAD);
            tmp[2] = at(sref, rend + PAD + 1);
            i = 0;
        } else if npad == 1 {
            tmp[2] = at(sref, rend + PAD);
            i = 1;
        } else {
            i = 2;
        }
        let mut end = l;
        while i >= 0 && end > 0 {
            end -= 1;
            tmp[i as usize] = seq[end as usize];
            i -= 1;
        }
        if i == -1 {
            out.push(caa(&tmp));
            let mut codon = end - 3;
            while codon >= 0 {
                out.push(caa(&seq[codon as usize..codon as usize + 3]));
                codon -= 3;
            }
            if codon == -2 {
                tmp[2] = seq[0];
                i = 1;
            } else if codon == -1 {
                tmp[1] = seq[0];
                tmp[2] = seq[1];
                i = 0;
            } else {
                i = -1;
            }
        }
        let mut ep = PAD + rbeg;
        if i >= 0 {
            while i >= 0 && ep >= 0 {
                ep -= 1;
                tmp[i as usize] = at(sref, ep);
                i -= 1;
            }
            out.push(caa(&tmp));
        }
        if fill {
            let mut codon = ep - 3;
            while codon >= PAD {
                out.push(caa(&[
                    at(sref, codon),
                    at(sref, codon + 1),
                    at(sref, codon + 2),
                ]));
                codon -= 3;
            }
        }
    }
}

/// Outcome of applying a record allele to a transcript's CDS.
pub(crate) enum HapInit {
    /// A coding node to append to the chain.
    Node(Node),
    /// A start/stop/splice node: report its consequence directly.
    Sss(Node),
    /// Overlaps the previous variant; skipped.
    Overlapping,
    /// No coding consequence (e.g. fully intronic, or REF==ALT).
    Silent,
}

/// Applies allele `ial` of a record to CDS `cds` of the transcript (bcftools' `hap_init`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn hap_init(
    model: &ChromModel,
    act: &ActiveTx,
    parent: Option<&Node>,
    cds: &BCds,
    rec: u64,
    pos: u32,
    vref: &[u8],
    valt: &[u8],
    ial: u32,
    staged: &mut Vec<Staged>,
) -> HapInit {
    let tr = &model.txs[act.slot];
    let tref = &act.tref;
    let mut sp = Splice::new(model, act.slot, Some(tref), pos, vref, valt, ial);
    sp.check_acceptor = true;
    sp.check_donor = true;
    sp.set_refalt = true;
    sp.check_utr = true;
    let ncds = tr.cds.len() as u32;
    if !tr.trim5 {
        if tr.fwd {
            sp.check_start = cds.icds == 0;
        } else {
            sp.check_start = cds.icds == ncds - 1;
        }
    }
    if !tr.trim3 {
        if tr.fwd {
            sp.check_stop = cds.icds == ncds - 1;
        } else {
            sp.check_stop = cds.icds == 0;
        }
    }
    if sp.check_start {
        let o = i64::from(PAD as u32) + i64::from(cds.beg - tr.beg);
        let codon = |k: i64| at(tref, o + k);
        let is_m = if tr.fwd {
            aa(&[codon(0), codon(1), codon(2)]) == b'M'
        } else {
            let l = i64::from(cds.len);
            caa(&[codon(l - 3), codon(l - 2), codon(l - 1)]) == b'M'
        };
        if !is_m {
            sp.check_start = false;
        }
    }
    sp.check_region_beg = cds.icds != 0;
    sp.check_region_end = cds.icds != ncds - 1;
    let ret = sp.run(cds.beg, cds.beg + cds.len - 1);
    staged.append(&mut sp.staged);
    let var = format!(
        "{}>{}",
        String::from_utf8_lossy(vref),
        String::from_utf8_lossy(valt)
    );
    if ret == SpliceRet::VarRef {
        return HapInit::Silent;
    }
    if ret == SpliceRet::Outside || ret == SpliceRet::Overlap || sp.csq == CSQ_START_LOST {
        if sp.csq == 0 {
            return HapInit::Silent;
        }
        return HapInit::Sss(Node {
            seq: Vec::new(),
            var,
            csq: sp.csq,
            dlen: 0,
            rbeg: i64::from(pos),
            rlen: 0,
            sbeg: 0,
            icds: cds.icds,
            rec,
            rec_pos: pos,
            ial,
            sss: true,
        });
    }
    let mut csq = sp.csq & !CSQ_SYNONYMOUS_VARIANT;
    let mut kref_len = sp.kref.len() as i64;
    let mut ref_beg = sp.ref_beg;
    let cds_beg = i64::from(cds.beg);
    let mut dbeg = 0usize;
    if ref_beg < cds_beg {
        dbeg = (cds_beg - ref_beg) as usize;
        kref_len -= dbeg as i64;
        ref_beg = cds_beg;
    }
    let trb = i64::from(tr.beg);
    let push_ref = |out: &mut Vec<u8>, g: i64, n: i64| {
        for k in 0..n.max(0) {
            out.push(at(tref, PAD + g - trb + k));
        }
    };
    let mut seq = Vec::new();
    if let Some(parent) = parent {
        let mut i = parent.icds as usize;
        if i as u32 != cds.icds {
            let pc = &tr.cds[i];
            let len = i64::from(pc.len) - parent.rbeg - parent.rlen + i64::from(pc.beg);
            if len > 0 {
                push_ref(&mut seq, parent.rbeg + parent.rlen, len);
            }
        }
        i += 1;
        while (i as u32) < cds.icds {
            let c = &tr.cds[i];
            push_ref(&mut seq, i64::from(c.beg), i64::from(c.len));
            i += 1;
        }
        if parent.icds == cds.icds {
            let len = ref_beg - parent.rbeg - parent.rlen;
            if len < 0 {
                return HapInit::Overlapping;
            }
            push_ref(&mut seq, parent.rbeg + parent.rlen, len);
        } else {
            push_ref(&mut seq, cds_beg, ref_beg - cds_beg);
        }
    }
    if dbeg <= sp.kalt.len() {
        seq.extend_from_slice(&sp.kalt[dbeg..]);
    }
    let mut node = Node {
        seq,
        var,
        csq,
        dlen: valt.len() as i64 - vref.len() as i64,
        rbeg: ref_beg,
        rlen: kref_len,
        sbeg: i64::from(cds.pos) + (ref_beg - cds_beg),
        icds: cds.icds,
        rec,
        rec_pos: pos,
        ial,
        sss: false,
    };
    if node.rbeg + node.rlen > cds_beg + i64::from(cds.len) {
        node.sss = true;
        if node.csq == 0 {
            csq |= CSQ_CODING_SEQUENCE;
            node.csq = csq;
        }
        return HapInit::Sss(node);
    }
    HapInit::Node(node)
}

/// A consequence produced when a chain is finalised, addressed to a record.
#[derive(Debug, Clone)]
pub(crate) struct Emitted {
    pub rec: u64,
    pub csq: Vcsq,
}

struct Stack {
    slen: i64,
}

/// Translates every haplotype of an active transcript and emits its consequences
/// (bcftools' `hap_finalize` + `hap_add_csq`).
pub(crate) fn finalize(tr: &BTx, act: &ActiveTx, out: &mut Vec<Emitted>) {
    for path in act.leaf_paths() {
        finalize_path(tr, act, &path, out);
    }
}

// Stack indexes 1..=n mirror bcftools' haplotype stack, so index loops are kept.
#[allow(clippy::needless_range_loop)]
fn finalize_path(tr: &BTx, act: &ActiveTx, chain: &[&Node], out: &mut Vec<Emitted>) {
    let n = chain.len();
    if n == 0 {
        return;
    }
    let sref = &act.sref;
    // stack index k (1..=n) <-> chain[k-1]
    let mut sseq: Vec<u8> = Vec::new();
    let mut st: Vec<Stack> = vec![Stack { slen: 0 }];
    let mut cum_dlen = 0i64;
    for node in chain.iter() {
        sseq.extend_from_slice(&node.seq);
        st.push(Stack {
            slen: sseq.len() as i64,
        });
        cum_dlen += node.dlen;
    }
    let nd = |k: usize| chain[k - 1];
    let hsbeg = chain[0].sbeg;
    let soff = |k: usize| st[k].slen - (nd(k).rlen + nd(k).dlen);
    let sbeg_of = |k: usize| hsbeg + soff(k);
    let send_of = |k: usize| hsbeg + st[k].slen;
    let rbeg_of = |k: usize| nd(k).sbeg;
    let rend_of = |k: usize| nd(k).sbeg + nd(k).rlen;
    let sref_core = sref.len() as i64 - 2 * PAD;
    let sseq_m = sref_core + cum_dlen;
    let mut upstream_stop = false;
    let mut tseq = Vec::new();
    let mut tref = Vec::new();

    let mut add = |ibeg: usize,
                   iend: usize,
                   dlen: i64,
                   indel: bool,
                   tseq: &mut Vec<u8>,
                   tref: &mut Vec<u8>,
                   upstream_stop: &mut bool,
                   tlen: i64| {
        let ref_node = if tr.fwd { ibeg } else { iend };
        let mut kind = 0u32;
        for k in ibeg..=iend {
            kind |= nd(k).csq & CSQ_COMPOUND;
        }
        if dlen == 0 && indel {
            kind |= CSQ_INFRAME_ALTERING;
        }
        let has_upstream_stop = *upstream_stop;
        let mut rm = 0u32;
        if let Some(p) = tref.iter().position(|&c| c == b'*') {
            tref.truncate(p + 1);
        }
        if let Some(p) = tseq.iter().position(|&c| c == b'*') {
            tseq.truncate(p + 1);
            *upstream_stop = true;
        }
        let tref_last = tref.last().copied().unwrap_or(0);
        let tseq_last = tseq.last().copied().unwrap_or(0);
        if kind & CSQ_STOP_LOST != 0 {
            if tref_last == b'*' && tref_last == tseq_last {
                rm |= CSQ_STOP_LOST;
                kind |= CSQ_STOP_RETAINED;
            } else if tref_last != b'*' {
                if tseq_last == b'*' {
                    rm |= CSQ_STOP_GAINED;
                    kind |= CSQ_STOP_RETAINED;
                } else {
                    kind |= CSQ_INCOMPLETE_CDS;
                }
            }
        }
        if kind & CSQ_START_LOST != 0 && tref.first() != Some(&b'M') {
            rm |= CSQ_START_LOST;
            kind &= !CSQ_START_LOST;
        }
        if dlen != 0 {
            if dlen % 3 != 0 {
                kind |= CSQ_FRAMESHIFT_VARIANT;
            } else if dlen < 0 {
                kind |= CSQ_INFRAME_DELETION;
            } else {
                kind |= CSQ_INFRAME_INSERTION;
            }
            if tref_last != b'*' && tseq_last == b'*' {
                kind |= CSQ_STOP_GAINED;
            }
        } else {
            let mut changed = false;
            for (k, &r) in tref.iter().enumerate() {
                let s = tseq.get(k).copied().unwrap_or(0);
                if r == s {
                    continue;
                }
                changed = true;
                if r == b'*' {
                    kind |= CSQ_STOP_LOST;
                } else if s == b'*' {
                    kind |= CSQ_STOP_GAINED;
                } else {
                    kind |= CSQ_MISSENSE_VARIANT;
                }
            }
            if !changed {
                kind |= CSQ_SYNONYMOUS_VARIANT;
            }
        }
        if ibeg != iend
            && kind & (CSQ_INFRAME_DELETION | CSQ_INFRAME_INSERTION | CSQ_INFRAME_ALTERING) != 0
            && tseq_last == b'*'
        {
            rm |= CSQ_INFRAME_DELETION | CSQ_INFRAME_INSERTION | CSQ_INFRAME_ALTERING;
            kind |= CSQ_FRAMESHIFT_VARIANT | CSQ_STOP_GAINED;
        }
        if has_upstream_stop {
            kind |= CSQ_UPSTREAM_STOP;
        }
        kind &= !rm;

        let aa_rbeg = if tr.fwd {
            rbeg_of(ibeg) / 3 + 1
        } else {
            (sref_core - rend_of(iend)) / 3 + 1
        };
        let aa_sbeg = if tr.fwd {
            sbeg_of(ibeg) / 3 + 1
        } else {
            (tlen - send_of(iend)) / 3 + 1
        };
        let mut vstr = String::new();
        vstr.push('|');
        vstr.push_str(&aa_rbeg.to_string());
        vstr.push_str(&String::from_utf8_lossy(tref));
        if kind & CSQ_SYNONYMOUS_VARIANT == 0 {
            vstr.push('>');
            vstr.push_str(&aa_sbeg.to_string());
            vstr.push_str(&String::from_utf8_lossy(tseq));
        }
        vstr.push('|');
        for k in ibeg..=iend {
            if k > ibeg {
                vstr.push('+');
            }
            vstr.push_str(&(nd(k).rec_pos + 1).to_string());
            vstr.push_str(&nd(k).var);
        }
        let leaf_ial = chain[n - 1].ial;
        out.push(Emitted {
            rec: nd(ref_node).rec,
            csq: Vcsq {
                kind,
                slot: act.slot,
                ial: leaf_ial,
                ref_pos: None,
                vstr: vstr.clone(),
            },
        });
        for k in ibeg..=iend {
            let node = nd(k);
            if node.csq & !CSQ_COMPOUND != 0 {
                out.push(Emitted {
                    rec: node.rec,
                    csq: Vcsq {
                        kind: node.csq & !CSQ_COMPOUND & !rm,
                        slot: act.slot,
                        ial: 0,
                        ref_pos: None,
                        vstr: vstr.clone(),
                    },
                });
            }
            if k != ref_node && (kind & CSQ_COMPOUND != 0 || node.csq & !CSQ_COMPOUND == 0) {
                out.push(Emitted {
                    rec: node.rec,
                    csq: Vcsq {
                        kind: CSQ_PRINTED_UPSTREAM | node.csq,
                        slot: act.slot,
                        ial: 0,
                        ref_pos: Some(nd(ref_node).rec_pos + 1),
                        vstr: String::new(),
                    },
                });
            }
        }
    };

    let mut dlen = 0i64;
    let mut indel = false;
    let mut ibeg: Option<usize> = None;
    if tr.fwd {
        for i in 1..=n {
            dlen += nd(i).dlen;
            if nd(i).dlen != 0 {
                indel = true;
            }
            if i < n {
                if dlen % 3 != 0 {
                    ibeg.get_or_insert(i);
                    continue;
                }
                let mut icur = sbeg_of(i);
                let inext = sbeg_of(i + 1);
                if nd(i).dlen > 0 {
                    icur += nd(i).dlen;
                } else if nd(i).dlen < 0 {
                    icur += 1;
                }
                if icur.div_euclid(3) == inext.div_euclid(3) {
                    ibeg.get_or_insert(i);
                    continue;
                }
            }
            let b = *ibeg.get_or_insert(i);
            let ioff = soff(b);
            let icur = sbeg_of(b);
            let rbeg = rbeg_of(b);
            let rend = rend_of(i);
            let mut fill = dlen % 3 != 0;
            let alt: &[u8] = if !sseq.is_empty() {
                let s = ioff.max(0) as usize;
                let e = (st[i].slen as usize).min(sseq.len());
                if s <= e { &sseq[s..e] } else { &[] }
            } else {
                fill = false;
                &[]
            };
            cds_translate(sref, alt, sseq_m, icur, rbeg, rend, true, fill, &mut tseq);
            let rs = (PAD + rbeg).max(0) as usize;
            let re = ((PAD + rend).max(0) as usize).min(sref.len());
            let refseq: &[u8] = if rs <= re { &sref[rs..re] } else { &[] };
            cds_translate(
                sref, refseq, sref_core, rbeg, rbeg, rend, true, fill, &mut tref,
            );
            add(
                b,
                i,
                dlen,
                indel,
                &mut tseq,
                &mut tref,
                &mut upstream_stop,
                0,
            );
            ibeg = None;
            dlen = 0;
            indel = false;
        }
    } else {
        let mut i = n + 1;
        while i > 1 {
            i -= 1;
            dlen += nd(i).dlen;
            if nd(i).dlen != 0 {
                indel = true;
            }
            if i > 1 {
                if dlen % 3 != 0 {
                    ibeg.get_or_insert(i);
                    continue;
                }
                let mut icur = sseq_m - 1 - sbeg_of(i);
                let mut inext = sseq_m - 1 - sbeg_of(i - 1);
                if nd(i).dlen > 0 {
                    icur += nd(i).dlen - 1;
                } else if nd(i).dlen < 0 {
                    icur -= nd(i).dlen;
                }
                if nd(i - 1).dlen > 0 {
                    inext -= nd(i - 1).dlen;
                }
                if icur.div_euclid(3) == inext.div_euclid(3) {
                    ibeg.get_or_insert(i);
                    continue;
                }
            }
            let b = *ibeg.get_or_insert(i);
            let ioff = soff(i);
            let icur = sbeg_of(i);
            let rbeg = rbeg_of(i);
            let rend = rend_of(b);
            let mut fill = dlen % 3 != 0;
            let alt: &[u8] = if !sseq.is_empty() {
                let s = ioff.max(0) as usize;
                let e = (st[b].slen as usize).min(sseq.len());
                if s <= e { &sseq[s..e] } else { &[] }
            } else {
                fill = false;
                &[]
            };
            cds_translate(sref, alt, sseq_m, icur, rbeg, rend, false, fill, &mut tseq);
            let rs = (PAD + rbeg).max(0) as usize;
            let re = ((PAD + rend).max(0) as usize).min(sref.len());
            let refseq: &[u8] = if rs <= re { &sref[rs..re] } else { &[] };
            cds_translate(
                sref, refseq, sref_core, rbeg, rbeg, rend, false, fill, &mut tref,
            );
            add(
                i,
                b,
                dlen,
                indel,
                &mut tseq,
                &mut tref,
                &mut upstream_stop,
                sseq_m,
            );
            ibeg = None;
            dlen = 0;
            indel = false;
        }
    }
}
