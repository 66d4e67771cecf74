//! Opening text inputs that may be plain, bgzip (BGZF) or ordinary gzip, detected by magic bytes
//! rather than by file name (laboratories rename files freely).

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::Path,
};

/// Compression of an input file, detected from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Uncompressed text.
    Plain,
    /// Blocked gzip (BGZF, `bgzip`), as required for tabix-indexed VCF.
    Bgzf,
    /// Ordinary gzip.
    Gzip,
}

/// Detects compression from the first bytes of a file.
///
/// BGZF is a gzip member with the `FEXTRA` flag and a `BC` extra subfield (SAM/BAM spec §4.1).
pub fn detect(magic: &[u8]) -> Compression {
    if magic.len() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
        if magic.len() >= 14 && magic[3] & 0x04 != 0 && magic[12] == b'B' && magic[13] == b'C' {
            Compression::Bgzf
        } else {
            Compression::Gzip
        }
    } else {
        Compression::Plain
    }
}

/// Opens `path` as buffered text, decompressing BGZF (with noodles-bgzf) or gzip (with flate2).
pub fn open_text(path: &Path) -> io::Result<(Box<dyn BufRead>, Compression)> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 18];
    let mut n = 0;
    while n < magic.len() {
        let read = file.read(&mut magic[n..])?;
        if read == 0 {
            break;
        }
        n += read;
    }
    let compression = detect(&magic[..n]);
    drop(file);
    let file = File::open(path)?;
    let reader: Box<dyn BufRead> = match compression {
        Compression::Plain => Box::new(BufReader::new(file)),
        Compression::Bgzf => Box::new(noodles_bgzf::io::Reader::new(file)),
        Compression::Gzip => Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file))),
    };
    Ok((reader, compression))
}

/// Buffered text over bytes held in memory, decompressing BGZF or gzip as [`open_text`] does.
pub fn text_from_bytes(bytes: &[u8]) -> (Box<dyn BufRead + '_>, Compression) {
    let compression = detect(&bytes[..bytes.len().min(18)]);
    let reader: Box<dyn BufRead + '_> = match compression {
        Compression::Plain => Box::new(bytes),
        Compression::Bgzf => Box::new(noodles_bgzf::io::Reader::new(bytes)),
        Compression::Gzip => Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(bytes))),
    };
    (reader, compression)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_are_told_apart() {
        // First bytes of an empty BGZF block (the EOF marker from the SAM spec).
        let bgzf = [
            0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, b'B', b'C', 0x02, 0, 0x1b, 0,
        ];
        assert_eq!(detect(&bgzf), Compression::Bgzf);
        assert_eq!(detect(&[0x1f, 0x8b, 0x08, 0x00, 0, 0]), Compression::Gzip);
        assert_eq!(detect(b"##fileformat=VCFv4.2"), Compression::Plain);
        assert_eq!(detect(b""), Compression::Plain);
    }
}
