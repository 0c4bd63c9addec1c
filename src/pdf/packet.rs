//! What a printed packet contains, as plain data filled by the app layer from the
//! workspace and the dossier template. The PDF layer knows nothing of the store.

/// The whole packet.
#[derive(Debug, Clone, Default)]
pub struct Packet {
    /// Cover title, e.g. "HỒ SƠ ĐỀ NGHỊ XÉT, CÔNG NHẬN XÃ ĐẠT CHUẨN NÔNG THÔN MỚI".
    pub title: String,
    /// The unit, e.g. "Xã Cẩm Bình, tỉnh Hà Tĩnh".
    pub unit_line: String,
    /// The year line on the cover, e.g. "Năm 2026".
    pub year_line: String,
    /// Place and date line of the cover, e.g. "Cẩm Bình, tháng 01 năm 2026".
    pub cover_date: String,
    /// Draft: every page carries "DỰ THẢO".
    pub draft: bool,
    /// The creation date written into the file, `YYYYMMDD` (from the data, never the clock).
    pub creation_date: String,
    /// Seed of the document id (a digest of the data), so the same data gives the same file.
    pub id_seed: String,
    /// The documents, in order.
    pub documents: Vec<Document>,
    /// Illustrative photos.
    pub photos: Vec<Photo>,
    /// The evidence files, in code order.
    pub evidence: Vec<Evidence>,
}

/// One document of the packet.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its name in the table of contents and the bookmarks.
    pub toc_title: String,
    /// The draft laid out by the app in the administrative format.
    pub generated: Box<AdminDocument>,
    /// The signed original scanned back in (PDF or photo): it replaces the draft.
    pub signed: Option<Attachment>,
}

/// A document in the format of Nghị định 30/2020/NĐ-CP.
#[derive(Debug, Clone, Default)]
pub struct AdminDocument {
    /// Governing body above the issuer, capitals (may be empty), e.g. "UBND TỈNH HÀ TĨNH".
    pub parent_body: String,
    /// Issuing body, capitals, e.g. "ỦY BAN NHÂN DÂN XÃ CẨM BÌNH".
    pub issuer: String,
    /// "Số: 05/TTr-UBND" (with blanks when not yet numbered).
    pub number_line: String,
    /// "Cẩm Bình, ngày 05 tháng 01 năm 2026".
    pub place_date: String,
    /// TỜ TRÌNH, BÁO CÁO, BIÊN BẢN.
    pub kind: String,
    /// Subject line(s).
    pub subject: String,
    /// Addressees after "Kính gửi:" (none for minutes).
    pub addressees: Vec<String>,
    /// Body blocks in order.
    pub body: Vec<Block>,
    /// Recipients under "Nơi nhận:" (empty: no block).
    pub recipients: Vec<String>,
    /// Signature: lines of authority and title in capitals, then the signer's name.
    pub signature: Signature,
    /// A second signature in the left column, beside the first (the secretary's «THƯ
    /// KÝ» on minutes); printed where «Nơi nhận» would be.
    pub second_signature: Option<Signature>,
}

/// A body block.
#[derive(Debug, Clone)]
pub enum Block {
    /// A justified paragraph with first-line indent.
    Paragraph(String),
    /// A bold heading line (flush left).
    Heading(String),
    /// A table: column widths as shares of the text width, header rows, rows.
    Table(Table),
}

/// A table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column widths as shares of the text width (summing to 1).
    pub shares: Vec<f32>,
    /// Header row.
    pub header: Vec<String>,
    /// Rows; a row with a single cell spans nothing and is drawn bold (a group row).
    pub rows: Vec<Vec<String>>,
    /// Rows drawn bold (criterion rows).
    pub bold_rows: Vec<usize>,
}

/// A signature block.
#[derive(Debug, Clone, Default)]
pub struct Signature {
    /// "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub lines: Vec<String>,
    /// The signer's name (empty: left blank for handwriting).
    pub name: String,
}

/// An illustrative photo.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Evidence code.
    pub code: String,
    /// File name (named in messages when the photo cannot be read).
    pub file_name: String,
    /// Caption lines: indicator, date, place or content.
    pub caption: String,
    /// The image.
    pub image: PhotoImage,
}

/// The image of an illustrative photo.
#[derive(Debug, Clone)]
pub enum PhotoImage {
    /// The file as it is: reduced to print size while the packet is built.
    File(Vec<u8>),
    /// Already reduced by a [`super::PhotoFitter`], waiting on disk.
    Spooled(super::Spooled),
}

/// A file attached to the packet.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// File name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Bytes.
    pub bytes: FileBytes,
}

/// The bytes of an attached file.
#[derive(Debug, Clone)]
pub enum FileBytes {
    /// In memory (empty for a file only listed in the index).
    Memory(Vec<u8>),
    /// Waiting on disk in a [`super::Spool`] until the packet writer needs them.
    Spooled(super::Spooled),
}

impl FileBytes {
    /// The bytes, read back from the spool when they wait there.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Self::Memory(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Self::Spooled(s) => s.bytes().map(std::borrow::Cow::Owned),
        }
    }
}

/// One evidence file with its index entry.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Code, e.g. TC03-01.
    pub code: String,
    /// Title for the index (summary, else file name).
    pub title: String,
    /// Number and date of the document.
    pub number_date: String,
    /// Issuing body.
    pub issuer: String,
    /// Indicators it proves.
    pub indicators: String,
    /// Whether it is one of the photos (placed in the photo section, not repeated).
    pub is_photo: bool,
    /// The file.
    pub file: Attachment,
}

/// What building a packet reported besides the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildReport {
    /// Pages in all.
    pub pages: usize,
    /// Files that could not be read, each naming the file and its code.
    pub problems: Vec<String>,
    /// Table of contents: title and first page.
    pub toc: Vec<(String, usize)>,
}
