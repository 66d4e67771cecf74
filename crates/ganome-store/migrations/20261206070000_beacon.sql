-- The Beacon's index (docs/beacon.md): one row per reported alteration of each findings
-- version, written in the findings version's transaction, so a Beacon query reads the rows
-- of a gene or a position instead of every case's report JSON. Versions stored before this
-- table are indexed when the migration runs (SqlStore::migrate).
CREATE TABLE beacon_variants (
    findings_id TEXT NOT NULL REFERENCES findings_reports(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    gene TEXT NOT NULL,
    hgvs_p TEXT,
    label TEXT NOT NULL,
    chrom TEXT,
    pos BIGINT,
    ref_bases TEXT,
    alt_bases TEXT,
    genome_build TEXT NOT NULL
);
CREATE INDEX beacon_variants_gene ON beacon_variants(gene);
CREATE INDEX beacon_variants_position ON beacon_variants(chrom, pos);
CREATE INDEX beacon_variants_findings ON beacon_variants(findings_id);
