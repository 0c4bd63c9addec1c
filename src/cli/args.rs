//! The subcommands of each command (`catalog …`, `unit …`, `bundle …` …): their
//! arguments and Vietnamese help. Names are a contract (see README).

use super::TEMPLATE;
use clap::Subcommand;
use std::path::PathBuf;

/// `bundle …`
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Đóng gói một đợt đánh giá để gửi (chốt thành một lần gửi mới).
    #[command(help_template = TEMPLATE)]
    Export {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Tệp gói ra (.ntm).
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
    /// Nhập các gói hồ sơ nhận được; gói hỏng bị từ chối, không thay đổi gì.
    #[command(help_template = TEMPLATE)]
    Import {
        /// Các tệp .ntm.
        #[arg(value_name = "TỆP", required = true)]
        files: Vec<PathBuf>,
        /// Ghi các xã trong gói là xã cũ (trước sáp nhập) của đơn vị này.
        #[arg(long = "former-of", value_name = "ĐƠN_VỊ")]
        former_of: Option<i64>,
        /// Dấu vân tay khóa ký của bên gửi, đối chiếu với tờ trình có đóng dấu (lần nhận đầu
        /// tiên; khoảng trắng, dấu gạch và chữ hoa/thường không tính).
        #[arg(long, value_name = "DẤU_VÂN_TAY")]
        trust: Option<String>,
        /// Thay khóa đã ghi danh của bên gửi bằng khóa có dấu vân tay --trust (bên gửi đổi
        /// máy hoặc mất tệp dữ liệu); được ghi vào nhật ký.
        #[arg(long = "re-enrol", requires = "trust")]
        re_enrol: bool,
    },
    /// Những gì thay đổi so với lần gửi trước.
    #[command(help_template = TEMPLATE)]
    Changes {
        /// Mã số đợt đánh giá (bản đã nhập).
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
    },
}

/// `key …`
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// In dấu vân tay khóa ký của tệp dữ liệu này (tạo khóa nếu chưa có) để in lên tờ trình
    /// hoặc đọc cho bên nhận đối chiếu.
    #[command(help_template = TEMPLATE)]
    Show,
    /// Liệt kê các khóa đã ghi danh (xã, cơ quan thẩm định) và dấu vân tay.
    #[command(help_template = TEMPLATE)]
    List,
}

/// `backup …`
#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Liệt kê các bản sao lưu, mới nhất trước (số thứ tự, thời điểm, lần thay đổi, dung lượng).
    #[command(help_template = TEMPLATE)]
    List,
    /// Khôi phục một bản sao lưu vào một tệp mới (không ghi đè tệp có sẵn).
    #[command(help_template = TEMPLATE)]
    Restore {
        /// Số thứ tự trong «backup list» (1 là bản mới nhất).
        #[arg(value_name = "SỐ")]
        number: usize,
        /// Tệp dữ liệu mới sẽ được tạo.
        #[arg(long, value_name = "TỆP")]
        to: PathBuf,
    },
}

/// `review …`
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Kết luận của cấp trên về một tiêu chí (bỏ --verdict để xóa).
    #[command(help_template = TEMPLATE)]
    Criterion {
        /// Mã số đợt đánh giá (bản đã nhận).
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Số tiêu chí.
        #[arg(long = "number", value_name = "SỐ")]
        number: u32,
        /// dat, co_ban_dat hoặc chua_dat.
        #[arg(long, value_name = "KẾT_LUẬN")]
        verdict: Option<String>,
        /// Nhận xét.
        #[arg(long, value_name = "NHẬN_XÉT")]
        comment: Option<String>,
    },
    /// Yêu cầu xã bổ sung minh chứng cho một chỉ tiêu.
    #[command(help_template = TEMPLATE)]
    Request {
        /// Mã số đợt đánh giá (bản đã nhận).
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã chỉ tiêu.
        #[arg(long, value_name = "MÃ")]
        indicator: String,
        /// Nội dung yêu cầu.
        #[arg(value_name = "NỘI_DUNG")]
        text: String,
    },
    /// Kết quả biểu quyết của hội đồng và quyết định.
    #[command(help_template = TEMPLATE)]
    Decide {
        /// Mã số đợt đánh giá (bản đã nhận).
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Số phiếu đồng ý/tổng số, ví dụ 20/20.
        #[arg(long, value_name = "PHIẾU", default_value = "")]
        vote: String,
        /// Quyết định (số, ngày, nội dung).
        #[arg(long, value_name = "QUYẾT_ĐỊNH", default_value = "")]
        decision: String,
        /// Cơ quan thẩm định.
        #[arg(long, value_name = "CƠ_QUAN", default_value = "")]
        reviewer: String,
    },
    /// Ghi gói nhận xét (.ntm) để gửi lại xã.
    #[command(help_template = TEMPLATE)]
    Export {
        /// Mã số đợt đánh giá (bản đã nhận).
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Tệp ra.
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
    /// Xem nhận xét của một đợt đánh giá.
    #[command(help_template = TEMPLATE)]
    Show {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
    },
}

/// `dossier …`
#[derive(Debug, Subcommand)]
pub enum DossierCommand {
    /// Những gì còn thiếu trước khi tạo được hồ sơ chính thức.
    #[command(help_template = TEMPLATE)]
    Check {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mẫu hồ sơ: mã có sẵn (xa, xa-truoc-2025), tệp .toml, hoặc tu-dong.
        #[arg(long, value_name = "MẪU", default_value = "tu-dong")]
        template: String,
    },
    /// Người ký, ngày ký, địa danh của hồ sơ.
    #[command(help_template = TEMPLATE)]
    Set {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Họ tên người ký (Chủ tịch UBND xã).
        #[arg(long, value_name = "HỌ_TÊN")]
        signer: Option<String>,
        /// Ngày ký, dạng ngày/tháng/năm.
        #[arg(long, value_name = "NGÀY")]
        date: Option<String>,
        /// Địa danh ghi ở dòng ngày tháng.
        #[arg(long, value_name = "ĐỊA_DANH")]
        place: Option<String>,
    },
    /// Gắn bản đã ký (quét PDF hoặc ảnh) thay cho bản dự thảo của một tài liệu.
    #[command(help_template = TEMPLATE)]
    Signed {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Khóa tài liệu trong mẫu (to_trinh, bao_cao_ket_qua, bien_ban…).
        #[arg(long, value_name = "TÀI_LIỆU")]
        document: String,
        /// Tệp quét.
        #[arg(value_name = "TỆP")]
        file: PathBuf,
        /// Mẫu hồ sơ: mã có sẵn (xa, xa-truoc-2025), tệp .toml, hoặc tu-dong.
        #[arg(long, value_name = "MẪU", default_value = "tu-dong")]
        template: String,
    },
    /// Tạo tập hồ sơ PDF (bản dự thảo nếu còn thiếu; --final chỉ khi đã đủ).
    #[command(help_template = TEMPLATE)]
    Build {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Tệp PDF ra.
        #[arg(value_name = "TỆP")]
        out: PathBuf,
        /// Bản chính thức: từ chối nếu còn thiếu.
        #[arg(long = "final")]
        final_packet: bool,
        /// Mẫu hồ sơ: mã có sẵn (xa, xa-truoc-2025), tệp .toml, hoặc tu-dong.
        #[arg(long, value_name = "MẪU", default_value = "tu-dong")]
        template: String,
    },
}

/// `catalog …`
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Liệt kê các bộ tiêu chí.
    #[command(help_template = TEMPLATE)]
    List,
    /// Nhập (hoặc thay thế) một bộ tiêu chí từ tệp .toml, .xlsx hoặc gói .ntm của cơ quan.
    #[command(help_template = TEMPLATE)]
    Import {
        /// Tệp .toml, .xlsx hoặc .ntm.
        #[arg(value_name = "TỆP")]
        file: PathBuf,
        /// Gói .ntm: dấu vân tay khóa của cơ quan, in trên văn bản có đóng dấu.
        #[arg(long, value_name = "VÂN_TAY")]
        trust: Option<String>,
        /// Gói .ntm: ghi danh lại khóa mới của cơ quan (cùng --trust).
        #[arg(long = "re-enrol")]
        re_enrol: bool,
    },
    /// Ban hành lần mới của bản của tỉnh (số lần, ngày, cơ quan ban hành).
    #[command(help_template = TEMPLATE)]
    Revise {
        /// Mã bộ tiêu chí của tỉnh.
        #[arg(value_name = "MÃ")]
        code: String,
        /// Cơ quan ban hành.
        #[arg(long, value_name = "CƠ_QUAN")]
        office: String,
        /// Ngày ban hành (mặc định hôm nay), ví dụ 05/01/2026.
        #[arg(long, value_name = "NGÀY")]
        date: Option<String>,
    },
    /// Đọc bảng phụ lục đã sao chép (Word, PDF, Excel) thành bản của tỉnh; --save để lưu.
    #[command(help_template = TEMPLATE)]
    Paste {
        /// Mã bộ tiêu chí gốc, ví dụ qd51-2025-xa.
        #[arg(value_name = "MÃ_GỐC")]
        base: String,
        /// Tệp văn bản chứa bảng đã dán (các ô cách nhau bằng tab).
        #[arg(value_name = "TỆP")]
        file: PathBuf,
        /// Mã bản của tỉnh, ví dụ qd51-2025-xa-lao-cai.
        #[arg(long = "as", value_name = "MÃ_MỚI")]
        new_code: String,
        /// Tên bản của tỉnh (mặc định giữ tên bộ gốc).
        #[arg(long, value_name = "TÊN")]
        title: Option<String>,
        /// Lưu bản của tỉnh (từ chối nếu còn lỗi).
        #[arg(long)]
        save: bool,
    },
    /// Ghi mẫu Excel tiêu đề tiếng Việt, điền sẵn tiêu chí và chỉ tiêu của bộ tiêu chí.
    #[command(help_template = TEMPLATE)]
    Template {
        /// Mã bộ tiêu chí, ví dụ qd51-2025-xa.
        #[arg(value_name = "MÃ")]
        code: String,
        /// Tệp .xlsx.
        #[arg(value_name = "TỆP")]
        file: PathBuf,
    },
    /// Xuất một bộ tiêu chí ra tệp .toml, .xlsx, hoặc gói .ntm có chữ ký gửi các xã.
    #[command(help_template = TEMPLATE)]
    Export {
        /// Mã bộ tiêu chí, ví dụ qd51-2025-xa.
        #[arg(value_name = "MÃ")]
        code: String,
        /// Tệp .toml hoặc .xlsx.
        #[arg(value_name = "TỆP")]
        file: PathBuf,
    },
}

/// `unit …`
#[derive(Debug, Subcommand)]
pub enum UnitCommand {
    /// Thêm một đơn vị; in ra mã số mới.
    #[command(help_template = TEMPLATE)]
    Add {
        /// Tên đơn vị.
        #[arg(long, value_name = "TÊN")]
        name: String,
        /// Cấp: tinh, huyen, xa, thitran, thon.
        #[arg(long, value_name = "CẤP")]
        kind: String,
        /// Mã số đơn vị cấp trên.
        #[arg(long, value_name = "MÃ_SỐ")]
        parent: Option<String>,
        /// Mã đơn vị hành chính chính thức.
        #[arg(long, value_name = "MÃ")]
        code: Option<String>,
        /// Vùng: tdmnpb, dbsh, btb, dhntb, tn, dnb, dbscl.
        #[arg(long, value_name = "VÙNG")]
        region: Option<String>,
        /// Nhóm xã (QĐ 51/2025): 1, 2, 3.
        #[arg(long, value_name = "NHÓM")]
        group: Option<String>,
        /// Đặc điểm: dbkk (đặc biệt khó khăn), atk (an toàn khu); lặp lại được.
        #[arg(long, value_name = "ĐẶC_ĐIỂM")]
        flag: Vec<String>,
        /// Mã số đơn vị cũ đã sáp nhập vào đơn vị này; lặp lại được.
        #[arg(long = "merged-from", value_name = "MÃ_SỐ")]
        merged_from: Vec<String>,
    },
    /// Liệt kê các đơn vị theo cây.
    #[command(help_template = TEMPLATE)]
    List,
    /// Ghi kế hoạch: xã phấn đấu đạt chuẩn năm nào (--target ntm --year 2026); huyện, tỉnh
    /// hoàn thành hồ sơ trước ngày nào (--deadline 31/05/2026). Không ghi gì: in kế hoạch.
    #[command(help_template = TEMPLATE)]
    Plan {
        /// Mã số đơn vị.
        #[arg(value_name = "ĐƠN_VỊ")]
        unit: i64,
        /// Mục tiêu phấn đấu của xã: ntm, nang-cao, kieu-mau, hien-dai (đi cùng --year).
        #[arg(long, value_name = "MỤC_TIÊU")]
        target: Option<String>,
        /// Năm phấn đấu đạt mục tiêu, ví dụ 2026 (đi cùng --target).
        #[arg(long, value_name = "NĂM")]
        year: Option<i32>,
        /// Hạn hoàn thành hồ sơ của huyện, tỉnh, dạng ngày/tháng/năm, ví dụ 31/05/2026.
        #[arg(long, value_name = "NGÀY")]
        deadline: Option<String>,
        /// Xóa kế hoạch đã ghi (rồi ghi phần mới nếu có).
        #[arg(long)]
        clear: bool,
    },
    /// Ghi quyết định công nhận (hoặc thu hồi công nhận, --revoked) của một đơn vị.
    #[command(help_template = TEMPLATE)]
    Recognize(super::commands::recognize::RecognizeArgs),
    /// Xem một đơn vị: quyết định công nhận (cả của đơn vị cũ đã sáp nhập), khảo sát.
    #[command(help_template = TEMPLATE)]
    Show(super::commands::recognize::ShowArgs),
    /// Ghi kết quả khảo sát sự hài lòng của người dân theo một nội dung.
    #[command(help_template = TEMPLATE)]
    Survey(super::commands::recognize::SurveyArgs),
}

/// `assessment …`
#[derive(Debug, Subcommand)]
pub enum AssessmentCommand {
    /// Tạo đợt đánh giá; in ra mã số mới.
    #[command(help_template = TEMPLATE)]
    New {
        /// Mã số đơn vị.
        #[arg(long, value_name = "MÃ_SỐ")]
        unit: i64,
        /// Mã bộ tiêu chí.
        #[arg(long, value_name = "MÃ", default_value = crate::app::catalog::DEFAULT_EDITION)]
        edition: String,
        /// Mục tiêu: ntm, nang-cao, kieu-mau, hien-dai.
        #[arg(long, value_name = "MỤC_TIÊU", default_value = "ntm")]
        target: String,
        /// Năm đánh giá.
        #[arg(long, value_name = "NĂM")]
        year: i32,
    },
    /// Liệt kê các đợt đánh giá.
    #[command(help_template = TEMPLATE)]
    List,
    /// Chuyển đợt đánh giá sang bộ tiêu chí khác: in những gì thay đổi; --yes để chuyển.
    #[command(help_template = TEMPLATE)]
    Move {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã bộ tiêu chí mới.
        #[arg(long, value_name = "MÃ")]
        edition: String,
        /// Chuyển thật (không có: chỉ in những gì thay đổi).
        #[arg(long)]
        yes: bool,
    },
}

/// `values …`
#[derive(Debug, Subcommand)]
pub enum ValuesCommand {
    /// Nhập giá trị từ tệp CSV hoặc .xlsx (cột indicator,numerator,denominator,value,verdict,reason,note).
    #[command(help_template = TEMPLATE)]
    Import {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Tệp .csv hoặc .xlsx.
        #[arg(value_name = "TỆP")]
        file: PathBuf,
    },
    /// Kết luận thủ công cả một tiêu chí, có lý do (bỏ --verdict để xóa kết luận).
    #[command(help_template = TEMPLATE)]
    Criterion {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Số tiêu chí.
        #[arg(long = "number", value_name = "SỐ")]
        number: u32,
        /// dat, co_ban_dat hoặc chua_dat.
        #[arg(long, value_name = "KẾT_LUẬN", requires = "reason")]
        verdict: Option<String>,
        /// Lý do kết luận (bắt buộc khi có --verdict).
        #[arg(long, value_name = "LÝ_DO")]
        reason: Option<String>,
    },
}

/// `evidence …`: the file commands of [`EvidenceCommand`] and the links between a file
/// and the indicators it proves.
#[derive(Debug, Subcommand)]
pub enum EvidenceSubcommand {
    /// Thêm, liệt kê, xóa tệp minh chứng.
    #[command(flatten)]
    Files(EvidenceCommand),
    /// Gắn một minh chứng đã có vào thêm một chỉ tiêu của cùng đợt đánh giá.
    #[command(help_template = TEMPLATE)]
    Link {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã minh chứng, ví dụ TC03-01 (xem «evidence list»).
        #[arg(value_name = "MÃ_MINH_CHỨNG")]
        code: String,
        /// Mã chỉ tiêu được chứng minh thêm.
        #[arg(long, value_name = "MÃ")]
        indicator: String,
    },
    /// Bỏ gắn một minh chứng khỏi một chỉ tiêu (tệp vẫn được giữ).
    #[command(help_template = TEMPLATE)]
    Unlink {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã minh chứng, ví dụ TC03-01 (xem «evidence list»).
        #[arg(value_name = "MÃ_MINH_CHỨNG")]
        code: String,
        /// Mã chỉ tiêu.
        #[arg(long, value_name = "MÃ")]
        indicator: String,
    },
}

/// `evidence …`
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Thêm tệp minh chứng cho chỉ tiêu.
    #[command(help_template = TEMPLATE)]
    Add {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã chỉ tiêu được chứng minh; lặp lại được.
        #[arg(long, value_name = "MÃ", required = true)]
        indicator: Vec<String>,
        /// Các tệp.
        #[arg(value_name = "TỆP", required = true)]
        files: Vec<PathBuf>,
    },
    /// Liệt kê minh chứng của một đợt đánh giá.
    #[command(help_template = TEMPLATE)]
    List {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
    },
    /// Xóa một tệp minh chứng thêm nhầm (cùng các liên kết tới chỉ tiêu).
    #[command(help_template = TEMPLATE)]
    Delete {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// Mã minh chứng, ví dụ TC03-01 (xem «evidence list»).
        #[arg(value_name = "MÃ_MINH_CHỨNG")]
        code: String,
    },
}
