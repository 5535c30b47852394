//! What an upload is, decided from its first bytes (`infer`), never from its name or the
//! browser's word: an allow-list of types, each with the names it may carry. A mismatch,
//! a program or script, markup a browser would run, or an image over
//! [`MAX_IMAGE_PIXELS`] is refused with a sentence naming the rule.

use parley_types::{AttachmentKind, MAX_IMAGE_PIXELS, phrase};

use crate::error::{ServiceError, ServiceResult};

/// Bytes read before deciding (enough for `infer`'s office/zip checks and image headers).
pub const HEAD_BYTES: usize = 64 * 1024;

/// Longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// What the bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// The name to show: the sender's, without any folder, with the extension added
    /// when it had none.
    pub name: String,
    pub mime: &'static str,
    pub kind: AttachmentKind,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// One accepted type: what `infer` calls it, its kind, and the extensions a name may have.
struct Accepted {
    sniffed: &'static str,
    kind: AttachmentKind,
    mime: &'static str,
    names: &'static [&'static str],
}

const fn accept(
    sniffed: &'static str,
    kind: AttachmentKind,
    mime: &'static str,
    names: &'static [&'static str],
) -> Accepted {
    Accepted { sniffed, kind, mime, names }
}

use AttachmentKind::{Audio, Document, Image, Video};

/// Every type Parley accepts. Images outside the first group are kept as documents (they
/// are not shown inline).
const ACCEPTED: &[Accepted] = &[
    accept("jpg", Image, "image/jpeg", &["jpg", "jpeg", "jpe", "jfif"]),
    accept("png", Image, "image/png", &["png"]),
    accept("gif", Image, "image/gif", &["gif"]),
    accept("webp", Image, "image/webp", &["webp"]),
    accept("bmp", Image, "image/bmp", &["bmp"]),
    accept("avif", Image, "image/avif", &["avif"]),
    accept("tif", Document, "image/tiff", &["tif", "tiff"]),
    accept("heif", Document, "image/heif", &["heif", "heic"]),
    accept("psd", Document, "image/vnd.adobe.photoshop", &["psd"]),
    accept("mp4", Video, "video/mp4", &["mp4", "m4v"]),
    accept("m4v", Video, "video/x-m4v", &["m4v", "mp4"]),
    accept("mkv", Video, "video/x-matroska", &["mkv"]),
    accept("webm", Video, "video/webm", &["webm"]),
    accept("mov", Video, "video/quicktime", &["mov", "qt"]),
    accept("avi", Video, "video/x-msvideo", &["avi"]),
    accept("wmv", Video, "video/x-ms-wmv", &["wmv"]),
    accept("mpg", Video, "video/mpeg", &["mpg", "mpeg"]),
    accept("mp3", Audio, "audio/mpeg", &["mp3"]),
    accept("m4a", Audio, "audio/mp4", &["m4a", "mp4"]),
    accept("opus", Audio, "audio/opus", &["opus", "ogg"]),
    accept("ogg", Audio, "audio/ogg", &["ogg", "oga", "opus"]),
    accept("flac", Audio, "audio/flac", &["flac"]),
    accept("wav", Audio, "audio/wav", &["wav"]),
    accept("aac", Audio, "audio/aac", &["aac"]),
    accept("amr", Audio, "audio/amr", &["amr"]),
    accept("aiff", Audio, "audio/aiff", &["aiff", "aif"]),
    accept("pdf", Document, "application/pdf", &["pdf"]),
    accept("doc", Document, "application/msword", &["doc"]),
    accept("xls", Document, "application/vnd.ms-excel", &["xls"]),
    accept("ppt", Document, "application/vnd.ms-powerpoint", &["ppt"]),
    accept("docx", Document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    accept("xlsx", Document, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
    accept("pptx", Document, "application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
    accept("odt", Document, "application/vnd.oasis.opendocument.text", &["odt"]),
    accept("ods", Document, "application/vnd.oasis.opendocument.spreadsheet", &["ods"]),
    accept("odp", Document, "application/vnd.oasis.opendocument.presentation", &["odp"]),
    accept("rtf", Document, "application/rtf", &["rtf"]),
    accept("epub", Document, "application/epub+zip", &["epub"]),
    // Office files are zip archives; a short head may not show which one.
    accept(
        "zip",
        Document,
        "application/zip",
        &["zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "pages", "numbers", "key"],
    ),
    accept("tar", Document, "application/x-tar", &["tar"]),
    accept("gz", Document, "application/gzip", &["gz", "tgz"]),
    accept("bz2", Document, "application/x-bzip2", &["bz2"]),
    accept("7z", Document, "application/x-7z-compressed", &["7z"]),
    accept("xz", Document, "application/x-xz", &["xz"]),
    accept("rar", Document, "application/vnd.rar", &["rar"]),
    accept("zst", Document, "application/zstd", &["zst"]),
];

/// Plain text has no signature: these names are accepted when the bytes are UTF-8 text.
const TEXT_NAMES: &[&str] = &["txt", "csv", "tsv", "md", "log", "json", "ics", "vcf"];

/// Names of programs, scripts and markup, refused whatever their content.
const REFUSED_NAMES: &[&str] = &[
    "exe", "dll", "msi", "bat", "cmd", "com", "scr", "ps1", "vbs", "js", "mjs", "jar", "apk", "app", "dmg", "sh",
    "html", "htm", "xhtml", "svg", "xml", "php",
];

/// "Programs and scripts are not accepted."
fn program() -> ServiceError {
    ServiceError::Invalid(phrase!("err-attachments-program"))
}

/// "HTML, SVG and XML files are not accepted: a browser could run what is in them."
fn markup() -> ServiceError {
    ServiceError::Invalid(phrase!("err-attachments-markup"))
}

/// Decides what an upload named `name` is from its first bytes (`head`; `complete` when
/// that is the whole file). `voice`: recorded in the browser as a voice message, which
/// must be audio (a WebM or MP4 container of sound counts).
pub fn sniff(name: &str, head: &[u8], complete: bool, voice: bool) -> ServiceResult<Sniffed> {
    let name = clean_name(name)?;
    if head.is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-attachments-empty")));
    }
    let extension = extension(&name);
    if extension.as_deref().is_some_and(|ext| REFUSED_NAMES.contains(&ext)) {
        let ext = extension.as_deref().unwrap_or_default();
        return Err(if ["html", "htm", "xhtml", "svg", "xml"].contains(&ext) { markup() } else { program() });
    }
    // A script run by its first line, whatever the name says.
    if head.starts_with(b"#!") {
        return Err(program());
    }
    let Some(found) = infer::get(head) else {
        // A recording stopped at once holds a container header and no sound.
        if voice && head.starts_with(b"\x1a\x45\xdf\xa3") {
            return Err(ServiceError::Invalid(phrase!("err-attachments-recording-empty")));
        }
        return plain_text(name, extension, head, complete, voice);
    };
    match found.matcher_type() {
        infer::MatcherType::App => return Err(program()),
        infer::MatcherType::Text if found.extension() == "sh" => return Err(program()),
        infer::MatcherType::Text => return Err(markup()),
        _ => {}
    }
    let Some(accepted) = ACCEPTED.iter().find(|a| a.sniffed == found.extension()) else {
        return Err(ServiceError::Invalid(phrase!("err-attachments-type", mime = found.mime_type())));
    };
    let name = match extension {
        Some(ext) if accepted.names.contains(&ext.as_str()) => name,
        Some(ext) => {
            return Err(ServiceError::Invalid(phrase!(
                "err-attachments-name-mismatch",
                ext = ext,
                kind = accepted.kind.as_str(),
                mime = accepted.mime,
            )));
        }
        None => format!("{name}.{}", accepted.names[0]),
    };
    let (mut kind, mut mime) = (accepted.kind, accepted.mime);
    if voice {
        (kind, mime) = match accepted.sniffed {
            "webm" => (Audio, "audio/webm"),
            "mp4" | "m4v" => (Audio, "audio/mp4"),
            _ if accepted.kind == Audio => (Audio, accepted.mime),
            _ => return Err(ServiceError::Invalid(phrase!("err-attachments-voice"))),
        };
    }
    let (width, height) = if kind == Image { image_size(head)? } else { (None, None) };
    Ok(Sniffed { name, mime, kind, width, height })
}

/// A file `infer` has no signature for: accepted only as UTF-8 text under a text name.
fn plain_text(
    name: String,
    extension: Option<String>,
    head: &[u8],
    complete: bool,
    voice: bool,
) -> ServiceResult<Sniffed> {
    if voice {
        return Err(ServiceError::Invalid(phrase!("err-attachments-voice")));
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        // The head may end inside a character; the rest of the file is not read here.
        Err(err) if !complete && err.error_len().is_none() => std::str::from_utf8(&head[..err.valid_up_to()]).ok(),
        Err(_) => None,
    };
    let is_text = text.is_some_and(|t| !t.contains('\0'));
    let Some(ext) = extension.filter(|ext| TEXT_NAMES.contains(&ext.as_str())) else {
        return Err(ServiceError::Invalid(match (is_text, extension_label(&name)) {
            (true, Some(ext)) => phrase!("err-attachments-text-name", ext = ext),
            _ => phrase!("err-attachments-unknown-type"),
        }));
    };
    if !is_text {
        return Err(ServiceError::Invalid(phrase!("err-attachments-not-text", ext = ext)));
    }
    // Markup without a signature `infer` knows (an SVG after a comment, say).
    let start = text.unwrap_or_default().trim_start().get(..64).unwrap_or(text.unwrap_or_default().trim_start());
    let start = start.to_ascii_lowercase();
    if ["<!doctype", "<html", "<svg", "<script", "<?xml"].iter().any(|tag| start.starts_with(tag)) {
        return Err(markup());
    }
    Ok(Sniffed { name, mime: "text/plain", kind: Document, width: None, height: None })
}

/// An image's pixel size from its header; too many pixels, or none readable, is refused.
fn image_size(head: &[u8]) -> ServiceResult<(Option<u32>, Option<u32>)> {
    let size =
        imagesize::blob_size(head).map_err(|_| ServiceError::Invalid(phrase!("err-attachments-image-damaged")))?;
    let pixels = size.width as u64 * size.height as u64;
    if pixels > MAX_IMAGE_PIXELS {
        return Err(ServiceError::Invalid(phrase!(
            "err-attachments-image-pixels",
            width = size.width,
            height = size.height,
            megapixels = pixels.div_ceil(1_000_000),
            max = MAX_IMAGE_PIXELS / 1_000_000,
        )));
    }
    Ok((u32::try_from(size.width).ok(), u32::try_from(size.height).ok()))
}

/// The name without folders or control characters, checked for length.
pub fn clean_name(name: &str) -> ServiceResult<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        return Err(ServiceError::Invalid(phrase!("err-attachments-name-empty")));
    }
    if cleaned.chars().count() > MAX_NAME_CHARS {
        return Err(ServiceError::Invalid(phrase!("err-attachments-name-long", max = MAX_NAME_CHARS)));
    }
    Ok(cleaned)
}

/// The lower-case extension of a cleaned name.
fn extension(name: &str) -> Option<String> {
    extension_label(name).map(|ext| ext.to_ascii_lowercase())
}

fn extension_label(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(_, ext)| ext).filter(|ext| !ext.is_empty() && !ext.contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = "Programs and scripts are not accepted.";
    const MARKUP: &str = "HTML, SVG and XML files are not accepted: a browser could run what is in them.";

    /// A PNG header declaring `width` × `height`.
    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    fn refusal(name: &str, head: &[u8]) -> String {
        sniff(name, head, true, false).expect_err(name).to_string()
    }

    #[test]
    fn images_are_known_by_their_bytes_with_their_size() {
        let found = sniff("photo.PNG", &png(640, 480), true, false).unwrap();
        assert_eq!((found.kind, found.mime, found.width, found.height), (Image, "image/png", Some(640), Some(480)));
        // No extension: the sniffed one is added.
        assert_eq!(sniff("screenshot", &png(10, 10), true, false).unwrap().name, "screenshot.png");
        assert_eq!(sniff("C:\\Users\\lea\\me.png", &png(1, 1), true, false).unwrap().name, "me.png");
    }

    #[test]
    fn a_name_that_lies_about_the_content_is_refused() {
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
        assert!(refusal("cat.png", html).contains("HTML"), "{}", refusal("cat.png", html));
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
        let err = refusal("cat.png", pdf);
        assert!(err.contains(".png") && err.contains("application/pdf"), "{err}");
        assert!(refusal("notes.txt", &png(1, 1)).contains("named .txt"));
    }

    #[test]
    fn programs_and_markup_are_refused_whatever_their_name() {
        assert_eq!(refusal("tool.png", b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), PROGRAM);
        let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
        elf.resize(64, 0);
        assert_eq!(refusal("run.bin", &elf), PROGRAM);
        assert_eq!(refusal("notes.txt", b"#!/usr/bin/env python3\nprint(1)"), PROGRAM);
        assert_eq!(refusal("setup.exe", b"just text"), PROGRAM);
        assert_eq!(refusal("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), MARKUP);
        assert_eq!(refusal("page.txt", b"  <svg onload=alert(1)>"), MARKUP);
    }

    #[test]
    fn huge_images_are_refused_by_pixels_not_bytes() {
        let err = refusal("big.png", &png(8000, 6000));
        assert!(err.contains("48 megapixels") && err.contains("at most 40"), "{err}");
        assert!(sniff("ok.png", &png(8000, 5000), true, false).is_ok());
        assert!(refusal("broken.png", b"\x89PNG\r\n\x1a\n\0\0").contains("damaged"));
    }

    #[test]
    fn plain_text_needs_a_text_name_and_text_bytes() {
        let found = sniff("export.csv", "name,city\nLéa,Köln\n".as_bytes(), true, false).unwrap();
        assert_eq!((found.kind, found.mime), (Document, "text/plain"));
        // A head cut inside a character is still text when more follows.
        let cut = &"é".repeat(10).into_bytes()[..7];
        assert!(sniff("notes.txt", cut, false, false).is_ok());
        assert!(sniff("notes.txt", cut, true, false).is_err());
        assert!(refusal("data.bin", b"plain words").contains("named .bin but its content is plain text"));
        assert!(refusal("data.bin", b"\x00\x01\x02\x03\xfe").contains("could not tell"));
        assert!(refusal("notes.txt", b"\0\x01\x02binary").contains("not plain text"));
    }

    #[test]
    fn voice_messages_must_be_sound() {
        let mut webm =
            b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
                .to_vec();
        webm.resize(300, 0);
        let webm = &webm;
        let found = sniff("voice.webm", webm, true, true).unwrap();
        assert_eq!((found.kind, found.mime), (Audio, "audio/webm"));
        assert_eq!(sniff("voice.webm", webm, true, false).unwrap().kind, Video);
        assert!(sniff("voice.png", &png(1, 1), true, true).is_err());
        let err = sniff("voice.webm", &webm[..40], true, true).unwrap_err().to_string();
        assert!(err.contains("recording is empty"), "{err}");
    }

    #[test]
    fn names_are_cleaned_and_bounded() {
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.txt").unwrap(), "ab.txt");
        assert!(clean_name("  ").is_err());
        assert!(clean_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }
}
