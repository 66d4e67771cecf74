//! Allele fraction and depth from the FORMAT/INFO conventions of common somatic callers.
//!
//! Callers disagree on where VAF lives (Mutect2 `AF`, MuTect `FA`, Strelka tier-1 base counts,
//! PCGR's INFO `TVAF`/`TDP`, TCGA merged `ADT`/`DPT`), and their header `Type`s are not always
//! honest, so values are read from the raw strings here with field-precise errors.

use crate::variant::{AlleleFractionSource, SampleCall};

/// A value that could not be parsed: (field name, message).
pub(crate) type FieldError = (String, String);

/// Alternate-allele reads and total reads from an allelic-depth field, when present.
type AltAndTotal = Option<(Option<u32>, Option<u32>)>;

/// FORMAT keys and one sample's values, aligned.
pub(crate) struct SampleFields<'a> {
    pub keys: &'a [&'a str],
    pub values: Vec<&'a str>,
}

impl<'a> SampleFields<'a> {
    pub fn get(&self, key: &str) -> Option<&'a str> {
        let i = self.keys.iter().position(|k| *k == key)?;
        self.values
            .get(i)
            .copied()
            .filter(|v| *v != "." && !v.is_empty())
    }
}

fn parse_u32(field: &str, raw: &str) -> Result<Option<u32>, FieldError> {
    if raw == "." || raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>()
        .map(Some)
        .map_err(|e| (field.to_owned(), format!("{raw:?} is not a count: {e}")))
}

fn parse_f64(field: &str, raw: &str) -> Result<Option<f64>, FieldError> {
    if raw == "." || raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err((field.to_owned(), format!("{raw:?} is not finite"))),
        Err(e) => Err((field.to_owned(), format!("{raw:?} is not a number: {e}"))),
    }
}

fn counts(field: &str, raw: &str) -> Result<Vec<Option<u32>>, FieldError> {
    raw.split(',').map(|v| parse_u32(field, v)).collect()
}

fn fraction(field: &str, v: Option<f64>) -> Result<Option<f64>, FieldError> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => Err((
            field.to_owned(),
            format!("allele fraction {x} outside [0, 1]"),
        )),
        other => Ok(other),
    }
}

fn ratio(alt: u32, total: u32) -> Option<f64> {
    (total > 0).then(|| f64::from(alt) / f64::from(total))
}

/// How FORMAT/AF is laid out for this record.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AfLayout {
    /// The header declares FORMAT/AF `Number=R`.
    pub declared_number_r: bool,
    /// Number of ALT alleles in the record.
    pub alt_count: usize,
}

/// Which half of a merged tumour/normal sample column to read (`ADT`/`DPT` vs `ADC`/`DPC`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Half {
    Whole,
    Tumor,
    Control,
}

/// Reads one sample's call for ALT number `k` (1-based), with REF/ALT bases for Strelka SNVs.
pub(crate) fn sample_call(
    name: &str,
    s: &SampleFields<'_>,
    k: usize,
    ref_allele: &str,
    alt_allele: &str,
    half: Half,
    af_layout: AfLayout,
) -> Result<SampleCall, FieldError> {
    let genotype = s.get("GT").map(str::to_owned);
    let mut call = SampleCall {
        name: name.to_owned(),
        genotype,
        vaf: None,
        depth: None,
        alt_depth: None,
        source: None,
    };
    let dp = |key: &str| -> Result<Option<u32>, FieldError> {
        s.get(key)
            .map(|v| parse_u32(&format!("FORMAT/{key}"), v))
            .transpose()
            .map(Option::flatten)
    };
    let ad = |key: &str| -> Result<AltAndTotal, FieldError> {
        let Some(raw) = s.get(key) else {
            return Ok(None);
        };
        let c = counts(&format!("FORMAT/{key}"), raw)?;
        if c.iter().all(Option::is_none) {
            return Ok(None);
        }
        let alt = c.get(k).copied().flatten();
        let total = c.iter().flatten().copied().map(u64::from).sum::<u64>();
        Ok(Some((alt, u32::try_from(total).ok())))
    };

    if half != Half::Whole {
        let (ad_key, dp_key) = match half {
            Half::Tumor => ("ADT", "DPT"),
            _ => ("ADC", "DPC"),
        };
        call.depth = dp(dp_key)?;
        if let Some((alt, total)) = ad(ad_key)? {
            call.alt_depth = alt;
            if let (Some(a), Some(t)) = (alt, total) {
                call.vaf = ratio(a, t);
            }
            call.depth = call.depth.or(total);
        }
        if call.depth.is_some() || call.vaf.is_some() {
            call.source = Some(AlleleFractionSource::FormatTumorControl);
        }
        return Ok(call);
    }

    let depth = dp("DP")?;
    let ad_counts = ad("AD")?;
    for (key, source) in [
        ("AF", AlleleFractionSource::FormatAf),
        ("FA", AlleleFractionSource::FormatFa),
    ] {
        if let Some(raw) = s.get(key) {
            let field = format!("FORMAT/{key}");
            // Number=R layouts (RADIA) put the reference fraction first; RADIA even declares
            // Number=. so the value count decides too.
            let values = raw.split(',').count();
            let with_reference =
                key == "AF" && (af_layout.declared_number_r || values == af_layout.alt_count + 1);
            let index = if with_reference { k } else { k - 1 };
            let value = raw
                .split(',')
                .nth(index)
                .map(|v| parse_f64(&field, v))
                .transpose()?
                .flatten();
            call.vaf = fraction(&field, value)?;
            call.depth = depth.or(ad_counts.and_then(|(_, t)| t));
            call.alt_depth = ad_counts.and_then(|(a, _)| a);
            call.source = Some(source);
            return Ok(call);
        }
    }
    // VarScan 2: FREQ is a percentage, AD the alternate reads only, RD the reference reads.
    if let Some(freq) = s.get("FREQ") {
        let pct = parse_f64("FORMAT/FREQ", freq.trim_end_matches('%'))?;
        call.vaf = fraction("FORMAT/FREQ", pct.map(|p| p / 100.0))?;
        call.alt_depth = s
            .get("AD")
            .map(|v| parse_u32("FORMAT/AD", v))
            .transpose()?
            .flatten();
        call.depth = depth;
        call.source = Some(AlleleFractionSource::VarScanFreq);
        return Ok(call);
    }
    // SomaticSniper: BCOUNT holds A,C,G,T read counts.
    if let (Some(bcount), 1) = (s.get("BCOUNT"), alt_allele.len()) {
        let c = counts("FORMAT/BCOUNT", bcount)?;
        if c.len() != 4 {
            return Err((
                "FORMAT/BCOUNT".to_owned(),
                format!("{bcount:?} is not four base counts"),
            ));
        }
        let slot = ["A", "C", "G", "T"].iter().position(|b| *b == alt_allele);
        let alt = slot.and_then(|i| c.get(i).copied().flatten());
        let total = depth
            .or_else(|| u32::try_from(c.iter().flatten().map(|x| u64::from(*x)).sum::<u64>()).ok());
        call.alt_depth = alt;
        if let (Some(a), Some(t)) = (alt, total) {
            call.vaf = ratio(a, t).filter(|v| *v <= 1.0);
        }
        call.depth = total;
        call.source = Some(AlleleFractionSource::SomaticSniperBcount);
        return Ok(call);
    }
    // Strelka indels: TIR/TAR tier-1 counts.
    if let (Some(tir), Some(tar)) = (s.get("TIR"), s.get("TAR")) {
        let tir1 = counts("FORMAT/TIR", tir)?.first().copied().flatten();
        let tar1 = counts("FORMAT/TAR", tar)?.first().copied().flatten();
        if let (Some(alt), Some(other)) = (tir1, tar1) {
            call.alt_depth = Some(alt);
            call.vaf = ratio(alt, alt.saturating_add(other));
        }
        call.depth = depth;
        call.source = Some(AlleleFractionSource::StrelkaIndel);
        return Ok(call);
    }
    // Strelka SNVs: {A,C,G,T}U tier-1 counts.
    if s.get("AU").is_some() && alt_allele.len() == 1 && ref_allele.len() == 1 {
        let tier1 = |base: &str| -> Result<Option<u32>, FieldError> {
            let key = format!("{base}U");
            match s.get(&key) {
                Some(raw) => Ok(counts(&format!("FORMAT/{key}"), raw)?
                    .first()
                    .copied()
                    .flatten()),
                None => Ok(None),
            }
        };
        let alt = tier1(alt_allele)?;
        let reference = tier1(ref_allele)?;
        if let (Some(a), Some(r)) = (alt, reference) {
            call.alt_depth = Some(a);
            call.vaf = ratio(a, a.saturating_add(r));
        }
        call.depth = depth;
        call.source = Some(AlleleFractionSource::StrelkaSnv);
        return Ok(call);
    }
    if let Some((alt, total)) = ad_counts {
        call.alt_depth = alt;
        if let (Some(a), Some(t)) = (alt, total) {
            call.vaf = ratio(a, t);
        }
        call.depth = depth.or(total);
        call.source = Some(AlleleFractionSource::FormatAd);
        return Ok(call);
    }
    call.depth = depth;
    Ok(call)
}

/// Applies INFO/TVAF and INFO/TDP (PCGR convention) to the tumour call, taking ALT `k`.
pub(crate) fn apply_info_tvaf(
    call: &mut SampleCall,
    tvaf: Option<&str>,
    tdp: Option<&str>,
    k: usize,
) -> Result<(), FieldError> {
    let vaf = match tvaf {
        Some(raw) => fraction(
            "INFO/TVAF",
            raw.split(',')
                .nth(k - 1)
                .map(|v| parse_f64("INFO/TVAF", v))
                .transpose()?
                .flatten(),
        )?,
        None => None,
    };
    let depth = match tdp {
        Some(raw) => raw
            .split(',')
            .next()
            .map(|v| parse_u32("INFO/TDP", v))
            .transpose()?
            .flatten(),
        None => None,
    };
    if vaf.is_some() || depth.is_some() {
        call.vaf = vaf.or(call.vaf);
        call.depth = depth.or(call.depth);
        call.source = Some(AlleleFractionSource::InfoTvaf);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(keys: &str, values: &str, r: &str, a: &str) -> Result<SampleCall, FieldError> {
        let keys: Vec<&str> = keys.split(':').collect();
        let s = SampleFields {
            keys: &keys,
            values: values.split(':').collect(),
        };
        sample_call(
            "S",
            &s,
            1,
            r,
            a,
            Half::Whole,
            AfLayout {
                declared_number_r: false,
                alt_count: 1,
            },
        )
    }

    // Sample columns below are real lines from tumor-vcf-varcode (testdata/variants/).
    #[test]
    fn mutect2_af_and_ad() {
        let c = call(
            "GT:AD:AF:F1R2:F2R1:MBQ:MFRL:MMQ:MPOS",
            "0/1:3,1556:0.998:2,777:1,779:30,30:16270,369:60,60:42",
            "T",
            "C",
        )
        .expect("ok");
        assert_eq!(c.vaf, Some(0.998));
        assert_eq!(c.depth, Some(1559));
        assert_eq!(c.alt_depth, Some(1556));
        assert_eq!(c.source, Some(AlleleFractionSource::FormatAf));
    }

    #[test]
    fn mutect1_fa() {
        let c = call("GT:AD:BQ:DP:FA", "0/1:57,1:35:58:0.017", "A", "C").expect("ok");
        assert_eq!(c.vaf, Some(0.017));
        assert_eq!(c.depth, Some(58));
        assert_eq!(c.source, Some(AlleleFractionSource::FormatFa));
    }

    #[test]
    fn strelka_snv_uses_tier1_base_counts() {
        let c = call(
            "DP:FDP:SDP:SUBDP:AU:CU:GU:TU",
            "28:0:0:0:11,11:0,0:17,17:0,0",
            "G",
            "A",
        )
        .expect("ok");
        assert_eq!(c.alt_depth, Some(11));
        assert!((c.vaf.expect("vaf") - 11.0 / 28.0).abs() < 1e-12);
        assert_eq!(c.source, Some(AlleleFractionSource::StrelkaSnv));
    }

    #[test]
    fn strelka_indel_uses_tir_tar() {
        let c = call(
            "DP:DP2:TAR:TIR:TOR:DP50:FDP50:SUBDP50",
            "94:94:13,13:78,78:3,3:94.79:0.47:0.00",
            "GC",
            "G",
        )
        .expect("ok");
        assert!((c.vaf.expect("vaf") - 78.0 / 91.0).abs() < 1e-12);
        assert_eq!(c.depth, Some(94));
    }

    // vcf2maf tests/test_varscan.vcf, test_sniper.vcf and test_radia.vcf (TUMOR columns).
    #[test]
    fn varscan_freq_and_sniper_bcount() {
        let c = call(
            "GT:GQ:DP:RD:AD:FREQ:DP4",
            "0/1:.:91:56:35:38.46%:31,25,16,19",
            "C",
            "T",
        )
        .expect("varscan");
        assert_eq!((c.depth, c.alt_depth), (Some(91), Some(35)));
        assert!((c.vaf.expect("vaf") - 0.3846).abs() < 1e-12);
        let c = call(
            "GT:IGT:DP:DP4:BCOUNT:GQ:JGQ:VAQ:BQ:GMQ:AMQ:SS:SSC",
            "0/1:0/1:7:0,3,0,4:0,3,4,0:50:77:70:38,36:60:60,60:2:40",
            "C",
            "G",
        )
        .expect("sniper");
        assert_eq!(c.alt_depth, Some(4));
        assert!((c.vaf.expect("vaf") - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn radia_af_is_per_allele_including_reference() {
        let keys: Vec<&str> = "GT:DP:INDEL:START:STOP:AD:AF:BQ:SB:SS:SSC"
            .split(':')
            .collect();
        let s = SampleFields {
            keys: &keys,
            values: "0/1:106:0:1:2:95,11:0.9,0.1:36,31:0.64,0.73:2:0"
                .split(':')
                .collect(),
        };
        let c = sample_call(
            "DNA_TUMOR",
            &s,
            1,
            "C",
            "T",
            Half::Whole,
            AfLayout {
                declared_number_r: false,
                alt_count: 1,
            },
        )
        .expect("ok");
        assert_eq!(c.vaf, Some(0.1));
    }

    #[test]
    fn bad_values_name_the_field() {
        let e = call("GT:AD:AF", "0/1:3,x:0.5", "A", "C").expect_err("bad AD");
        assert_eq!(e.0, "FORMAT/AD");
        let e = call("GT:AF", "0/1:1.5", "A", "C").expect_err("AF > 1");
        assert_eq!(e.0, "FORMAT/AF");
    }

    #[test]
    fn merged_tumor_control_column() {
        let keys: Vec<&str> = "GT:DPC:DPT:ADC:ADT:AL".split(':').collect();
        let s = SampleFields {
            keys: &keys,
            values: "0/1:26:29:.,.:21,8:1,3,4,2".split(':').collect(),
        };
        let t = sample_call("S", &s, 1, "G", "A", Half::Tumor, AfLayout::default()).expect("ok");
        assert_eq!(t.depth, Some(29));
        assert!((t.vaf.expect("vaf") - 8.0 / 29.0).abs() < 1e-12);
        let n = sample_call("S", &s, 1, "G", "A", Half::Control, AfLayout::default()).expect("ok");
        assert_eq!(n.depth, Some(26));
        assert_eq!(n.vaf, None);
    }
}
