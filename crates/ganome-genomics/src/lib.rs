//! Variant files, normalisation, transcript database, consequences and HGVS.
