//! The six image formats the contract accepts, and how to recognise them.
//!
//! A declared type (`data:image/png;...`) is only a claim; the first bytes of the
//! file are the truth. Checking both catches mislabelled uploads before they cost a
//! paid request.

/// A supported input image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// JPEG (`image/jpeg`).
    Jpeg,
    /// PNG (`image/png`).
    Png,
    /// WebP (`image/webp`).
    Webp,
    /// BMP (`image/bmp`).
    Bmp,
    /// TIFF (`image/tiff`).
    Tiff,
    /// GIF (`image/gif`).
    Gif,
}

/// The longest signature [`ImageFormat::sniff`] needs (WEBP: `RIFF` + size + `WEBP`).
pub const SNIFF_BYTES: usize = 12;

impl ImageFormat {
    /// Every supported format, in the contract's order.
    pub const ALL: [ImageFormat; 6] = [
        Self::Jpeg,
        Self::Png,
        Self::Webp,
        Self::Bmp,
        Self::Tiff,
        Self::Gif,
    ];

    /// Recognises a format from a file's first bytes (its magic number).
    ///
    /// JPEG `FF D8 FF`; PNG `89 50 4E 47 0D 0A 1A 0A`; GIF `GIF87a`/`GIF89a`;
    /// WEBP `RIFF` then 4 size bytes then `WEBP`; BMP `BM`; TIFF `II*\0` or `MM\0*`.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
            Some(Self::Webp)
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Some(Self::Tiff)
        } else if bytes.starts_with(b"BM") {
            Some(Self::Bmp)
        } else {
            None
        }
    }

    /// Maps the part after `image/` in a MIME type, case-insensitively.
    ///
    /// Accepts the common aliases browsers and tools emit: `jpg` and `pjpeg`
    /// (progressive JPEG from old IE), `x-ms-bmp` and `x-bmp`, `tif`.
    pub fn from_mime_subtype(subtype: &str) -> Option<ImageFormat> {
        const TABLE: [(&str, ImageFormat); 11] = [
            ("jpeg", ImageFormat::Jpeg),
            ("jpg", ImageFormat::Jpeg),
            ("pjpeg", ImageFormat::Jpeg),
            ("png", ImageFormat::Png),
            ("webp", ImageFormat::Webp),
            ("bmp", ImageFormat::Bmp),
            ("x-ms-bmp", ImageFormat::Bmp),
            ("x-bmp", ImageFormat::Bmp),
            ("tiff", ImageFormat::Tiff),
            ("tif", ImageFormat::Tiff),
            ("gif", ImageFormat::Gif),
        ];
        TABLE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(subtype))
            .map(|(_, format)| *format)
    }

    /// Recognises a full MIME type such as `image/png` (as a browser `File` reports it).
    pub fn from_mime_type(mime: &str) -> Option<ImageFormat> {
        let (kind, subtype) = mime.split_once('/')?;
        if kind.eq_ignore_ascii_case("image") {
            Self::from_mime_subtype(subtype)
        } else {
            None
        }
    }

    /// What a data URI of this format starts with: `data:image/png;base64,`.
    pub fn data_uri_prefix(self) -> String {
        format!("data:{};base64,", self.mime_type())
    }

    /// The canonical MIME type, used when the app builds a data URI.
    pub fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Bmp => "image/bmp",
            Self::Tiff => "image/tiff",
            Self::Gif => "image/gif",
        }
    }

    /// The name shown to users ("JPEG", "PNG", ...).
    pub fn label(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Webp => "WEBP",
            Self::Bmp => "BMP",
            Self::Tiff => "TIFF",
            Self::Gif => "GIF",
        }
    }
}

impl std::fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
