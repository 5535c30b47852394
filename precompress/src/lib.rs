//! Writes `.br` (brotli quality 11) and `.gz` (gzip level 9) beside every compressible
//! static file of a built site, once at build time (`parley precompress`), so the server
//! sends the smallest encoding the browser accepts without compressing per request.
//!
//! A crate of its own so that debug builds can optimise it: brotli's generic code is
//! compiled in the crate that calls it, and unoptimised it takes minutes for a debug wasm.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// File types worth compressing; images and fonts are compressed formats already.
const COMPRESSIBLE: &[&str] = &["js", "mjs", "wasm", "css", "html", "svg", "json", "txt", "xml", "map"];

/// Brotli at its best quality and largest window: slow, but it runs once per build.
pub fn brotli(data: &[u8]) -> io::Result<Vec<u8>> {
    let params =
        brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, size_hint: data.len(), ..Default::default() };
    let mut out = Vec::with_capacity(data.len() / 3);
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// Gzip at level 9, with no file name or time in the header, so builds are reproducible.
pub fn gzip(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

/// What one file became.
#[derive(Debug, Clone)]
pub struct Compressed {
    pub path: PathBuf,
    pub raw: usize,
    pub brotli: usize,
    pub gzip: usize,
}

/// Compresses every compressible file under `dir` (recursively) and returns the sizes,
/// largest file first. A variant that would not be smaller than the file is not written
/// (and a stale one is removed), so the server falls back to the file itself.
pub fn precompress_dir(dir: &Path) -> io::Result<Vec<Compressed>> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort_by_key(|(_, len)| std::cmp::Reverse(*len));
    let queue = Mutex::new(files.into_iter().map(|(path, _)| path));
    let results = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).next();
                    let Some(path) = next else { break };
                    let result = compress_file(&path);
                    results.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(result);
                }
            });
        }
    });
    let mut done = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .into_iter()
        .collect::<io::Result<Vec<_>>>()?;
    done.sort_by_key(|c| std::cmp::Reverse(c.raw));
    Ok(done)
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, u64)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&path, files)?;
        } else if kind.is_file() && is_compressible(&path) {
            files.push((path, entry.metadata()?.len()));
        }
    }
    Ok(())
}

fn is_compressible(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|ext| COMPRESSIBLE.contains(&ext))
}

fn compress_file(path: &Path) -> io::Result<Compressed> {
    let data = std::fs::read(path)?;
    let br = brotli(&data)?;
    let gz = gzip(&data)?;
    let brotli = write_if_smaller(path, "br", &br, data.len())?;
    let gzip = write_if_smaller(path, "gz", &gz, data.len())?;
    Ok(Compressed { path: path.to_owned(), raw: data.len(), brotli, gzip })
}

/// Writes `path.ext` when `bytes` is smaller than the file; returns the size sent.
fn write_if_smaller(path: &Path, ext: &str, bytes: &[u8], raw: usize) -> io::Result<usize> {
    let mut target = path.as_os_str().to_owned();
    target.push(".");
    target.push(ext);
    let target = PathBuf::from(target);
    if bytes.len() < raw {
        std::fs::write(&target, bytes)?;
        Ok(bytes.len())
    } else {
        match std::fs::remove_file(&target) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
        Ok(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_encodings_round_trip() {
        let data = "let answer = 42; // the same line again and again\n".repeat(200).into_bytes();
        let br = brotli(&data).unwrap();
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        assert!(br.len() < data.len() / 10);

        let gz = gzip(&data).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn a_site_gets_variants_beside_its_text_files_but_not_its_images_or_tiny_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/app.js"), "console.log('hello');\n".repeat(100)).unwrap();
        std::fs::write(dir.path().join("photo.png"), [0u8; 500]).unwrap();
        std::fs::write(dir.path().join("tiny.txt"), "x").unwrap();
        std::fs::write(dir.path().join("tiny.txt.br"), "stale").unwrap();

        let done = precompress_dir(dir.path()).unwrap();

        assert_eq!(done.len(), 2, "{done:?}");
        assert!(dir.path().join("pkg/app.js.br").exists());
        assert!(dir.path().join("pkg/app.js.gz").exists());
        assert!(!dir.path().join("photo.png.br").exists());
        assert!(!dir.path().join("tiny.txt.br").exists(), "a variant larger than the file is not kept");
        assert_eq!(done[0].raw, 2200);
        assert!(done[0].brotli < done[0].gzip && done[0].gzip < done[0].raw);
    }
}
