//! Files sent in conversations: what the wire says about one, and the upload limits.

use serde::{Deserialize, Serialize};

use crate::ids::AttachmentId;

/// What kind of file an attachment is, decided from its bytes (never from its name). Each
/// kind has its own size limit per workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A raster image (PNG, JPEG, GIF, WebP, BMP): the only kind shown inline.
    Image,
    Video,
    /// Sound, voice messages included (played in the page, downloaded otherwise).
    Audio,
    /// Anything else accepted: PDFs, office files, archives, plain text.
    Document,
}

impl AttachmentKind {
    pub const ALL: &'static [AttachmentKind] =
        &[AttachmentKind::Image, AttachmentKind::Video, AttachmentKind::Audio, AttachmentKind::Document];

    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Image => "image",
            AttachmentKind::Video => "video",
            AttachmentKind::Audio => "audio",
            AttachmentKind::Document => "document",
        }
    }

    pub fn parse(text: &str) -> Option<AttachmentKind> {
        AttachmentKind::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }

    /// How people call this kind in a sentence ("Images may be at most 5 MB.").
    pub fn plural(self) -> &'static str {
        match self {
            AttachmentKind::Image => "Images",
            AttachmentKind::Video => "Videos",
            AttachmentKind::Audio => "Audio files",
            AttachmentKind::Document => "Documents",
        }
    }
}

/// A file as a message carries it. The bytes are downloaded separately, with the
/// operator's session or the visitor's token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    /// The name the sender gave it (shown, never used as a path).
    pub name: String,
    /// The MIME type sniffed from its bytes.
    pub mime: String,
    pub kind: AttachmentKind,
    /// Size in bytes.
    pub size: u64,
    /// An image's pixel size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Recorded in the browser as a voice message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub voice: bool,
}

impl Attachment {
    /// Shown inline (as an `<img>`): raster images only.
    pub fn inline_image(&self) -> bool {
        self.kind == AttachmentKind::Image
    }

    /// Played in the page with an `<audio>` element.
    pub fn playable_audio(&self) -> bool {
        self.voice || self.kind == AttachmentKind::Audio
    }
}

/// Attachments one message may carry.
pub const MAX_ATTACHMENTS: usize = 10;

/// Largest image, in pixels (width × height): bigger ones are refused, whatever their
/// size in bytes (a small file can decode to gigabytes).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// A workspace's upload limits per kind, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLimits {
    pub image: u64,
    pub video: u64,
    pub audio: u64,
    pub document: u64,
}

impl AttachmentLimits {
    /// Highest limit anyone may set: 1 GB.
    pub const CEILING: u64 = 1_000_000_000;

    pub fn of(&self, kind: AttachmentKind) -> u64 {
        match kind {
            AttachmentKind::Image => self.image,
            AttachmentKind::Video => self.video,
            AttachmentKind::Audio => self.audio,
            AttachmentKind::Document => self.document,
        }
    }

    /// The largest of the limits: a body longer than this is refused before it is read.
    pub fn largest(&self) -> u64 {
        self.image.max(self.video).max(self.audio).max(self.document)
    }
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits { image: 5_000_000, video: 16_000_000, audio: 16_000_000, document: 100_000_000 }
    }
}

/// A size as people read it: "5 MB", "1.5 MB", "900 KB", "12 bytes" (decimal units).
pub fn human_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b >= 1_000_000_000 => (b as f64 / 1e9, "GB"),
        b if b >= 1_000_000 => (b as f64 / 1e6, "MB"),
        b if b >= 1_000 => (b as f64 / 1e3, "KB"),
        b => return format!("{b} bytes"),
    };
    let text = format!("{value:.1}");
    format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(5_000_000), "5 MB");
        assert_eq!(human_size(1_500_000), "1.5 MB");
        assert_eq!(human_size(100_000_000), "100 MB");
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(2_000), "2 KB");
    }

    #[test]
    fn kinds_round_trip_and_limits_apply_per_kind() {
        for kind in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(kind.as_str()), Some(*kind));
        }
        let limits = AttachmentLimits::default();
        assert_eq!(limits.of(AttachmentKind::Image), 5_000_000);
        assert_eq!(limits.largest(), 100_000_000);
    }
}
