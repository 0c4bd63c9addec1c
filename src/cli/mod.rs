//! The command line: the same use cases as the screens, for scripts and for offices
//! that work in batches. Command names are a contract (see README); output is readable
//! Vietnamese, or JSON with `--json`; errors go to stderr in Vietnamese with a non-zero
//! exit code.

mod args;
mod commands;
mod opened_with;

pub use args::{
    AssessmentCommand, BackupCommand, BundleCommand, CatalogCommand, DossierCommand,
    EvidenceCommand, EvidenceSubcommand, KeyCommand, ReviewCommand, UnitCommand, ValuesCommand,
};

use crate::app::AppError;
use clap::{Parser, Subcommand};
pub use opened_with::bundle_argument;
use std::path::PathBuf;

/// Exit code for a failed command.
pub const EXIT_FAILURE: i32 = crate::app::EXIT_FAILURE;
/// Exit code for a command line that could not be understood.
pub const EXIT_USAGE: i32 = 2;
/// Exit code of `dossier check` while something is still missing.
pub const EXIT_INCOMPLETE: i32 = 3;

const TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}";

/// The parsed command line.
#[derive(Debug, Parser)]
#[command(
    name = "ntm-dossier",
    override_usage = "ntm-dossier [--db TỆP] [LỆNH]",
    about = "Hồ sơ NTM — lập và theo dõi hồ sơ công nhận xã đạt chuẩn nông thôn mới.\nKhông có lệnh: mở cửa sổ ứng dụng.",
    version,
    help_template = TEMPLATE,
    subcommand_help_heading = "Lệnh",
    next_help_heading = "Tùy chọn",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Tệp dữ liệu (mặc định: tệp trong thư mục dữ liệu của người dùng).
    #[arg(long, global = true, value_name = "TỆP")]
    pub db: Option<PathBuf>,
    /// Hiện hướng dẫn.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Hiện phiên bản.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Lệnh cần chạy.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bộ tiêu chí: liệt kê, nhập, xuất.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Catalog(CatalogCommand),
    /// Đơn vị hành chính: thêm, liệt kê.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Unit(UnitCommand),
    /// Đợt đánh giá: tạo mới, liệt kê.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Assessment(AssessmentCommand),
    /// Giá trị chỉ tiêu: nhập từ tệp CSV hoặc Excel.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Values(ValuesCommand),
    /// Minh chứng: thêm tệp, liệt kê, xóa.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Evidence(EvidenceSubcommand),
    /// Tình trạng một đợt đánh giá: đạt, thiếu, nguy cơ thu hồi.
    #[command(help_template = TEMPLATE)]
    Status {
        /// Mã số đợt đánh giá.
        #[arg(value_name = "ĐÁNH_GIÁ")]
        assessment: i64,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
    },
    /// Tổng hợp các xã thuộc một đơn vị.
    #[command(help_template = TEMPLATE)]
    Rollup {
        /// Mã số đơn vị.
        #[arg(value_name = "ĐƠN_VỊ")]
        unit: i64,
        /// Mã bộ tiêu chí tổng hợp (mặc định: bộ mà nhiều xã dùng nhất trong năm gần nhất);
        /// xã đánh giá theo bộ khác được liệt kê riêng, không tính.
        #[arg(long, value_name = "MÃ")]
        edition: Option<String>,
        /// Chỉ tính các đợt đánh giá của năm này.
        #[arg(long, value_name = "NĂM")]
        year: Option<i32>,
        /// Chỉ tính các đợt đánh giá theo mục tiêu này: ntm, nang-cao, kieu-mau, hien-dai.
        #[arg(long, value_name = "MỤC_TIÊU")]
        target: Option<String>,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
        /// Ghi bảng xã × tiêu chí ra tệp Excel (.xlsx).
        #[arg(long, value_name = "TỆP")]
        xlsx: Option<PathBuf>,
        /// Ghi báo cáo thẩm tra/thẩm định (PDF, thể thức Nghị định 30).
        #[arg(long, value_name = "TỆP")]
        pdf: Option<PathBuf>,
    },
    /// Kiểm tra tính toàn vẹn của tệp dữ liệu và của mọi tệp minh chứng.
    #[command(help_template = TEMPLATE)]
    Check,
    /// Gói hồ sơ (.ntm) gửi giữa xã và cơ quan tổng hợp.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Bundle(BundleCommand),
    /// Khóa ký của tệp dữ liệu này và các khóa đã ghi danh.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Key(KeyCommand),
    /// Thẩm định hồ sơ nhận từ xã: kết luận, yêu cầu bổ sung, biểu quyết, gửi lại.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Review(ReviewCommand),
    /// Bản sao lưu: liệt kê, khôi phục vào một tệp mới.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Backup(BackupCommand),
    /// Nội bộ: kiểm tra một tệp PDF trong tiến trình con có giới hạn bộ nhớ và thời gian.
    #[command(name = "__kiem-tra-pdf", hide = true)]
    ProbePdf {
        /// Tệp PDF.
        file: PathBuf,
    },
    /// Hồ sơ in (PDF): danh sách còn thiếu, thông tin ký, bản đã ký, tạo tập hồ sơ.
    #[command(subcommand, help_template = TEMPLATE, subcommand_help_heading = "Lệnh")]
    Dossier(DossierCommand),
}

/// The command line with Vietnamese headings everywhere: clap's default headings
/// («Arguments», «Options») are replaced on every subcommand.
fn localized_command() -> clap::Command {
    fn localize(cmd: clap::Command) -> clap::Command {
        cmd.subcommand_value_name("LỆNH")
            .mut_args(|a| {
                if a.get_help_heading().is_some() {
                    a
                } else if a.is_positional() {
                    a.help_heading("Tham số")
                } else {
                    a.help_heading("Tùy chọn")
                }
            })
            .mut_subcommands(localize)
    }
    localize(<Cli as clap::CommandFactory>::command())
}

/// Replaces the few English words clap writes in a usage line.
fn localize_usage(text: &str) -> String {
    text.replace("[OPTIONS]", "[TÙY_CHỌN]")
        .replace("Usage:", "Cách dùng:")
        .replace("[default: ", "[mặc định: ")
        .replace("[possible values: ", "[giá trị: ")
        .replace("[aliases: ", "[tên khác: ")
}

/// What clap reported about a command line, told in Vietnamese (clap's own English
/// sentence is never shown).
fn usage_error_detail(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let suggestion = get(ContextKind::SuggestedSubcommand)
        .or_else(|| get(ContextKind::SuggestedArg))
        .or_else(|| get(ContextKind::SuggestedValue))
        .map(|s| format!(" Có phải ý bạn là «{s}»?"))
        .unwrap_or_default();
    let text = match e.kind() {
        clap::error::ErrorKind::InvalidSubcommand => {
            format!(
                "«{}» không phải là lệnh.{suggestion}",
                get(ContextKind::InvalidSubcommand)?
            )
        }
        clap::error::ErrorKind::UnknownArgument => {
            format!(
                "không có tham số «{}».{suggestion}",
                get(ContextKind::InvalidArg)?
            )
        }
        clap::error::ErrorKind::MissingRequiredArgument => {
            format!("thiếu {}.", get(ContextKind::InvalidArg)?)
        }
        clap::error::ErrorKind::InvalidValue | clap::error::ErrorKind::ValueValidation => {
            let value = get(ContextKind::InvalidValue).unwrap_or_default();
            let arg = get(ContextKind::InvalidArg).unwrap_or_default();
            let valid = get(ContextKind::ValidValue)
                .filter(|v| !v.is_empty())
                .map(|v| format!(" Giá trị được chấp nhận: {v}."))
                .unwrap_or_default();
            if value.is_empty() {
                format!("{arg} cần một giá trị.{valid}")
            } else {
                format!(
                    "giá trị «{value}» không hợp lệ cho {arg} (cần một số nguyên nếu là mã số).{valid}"
                )
            }
        }
        clap::error::ErrorKind::ArgumentConflict => format!(
            "{} không dùng cùng {}.",
            get(ContextKind::InvalidArg)?,
            get(ContextKind::PriorArg)?
        ),
        clap::error::ErrorKind::TooManyValues | clap::error::ErrorKind::WrongNumberOfValues => {
            format!("thừa giá trị «{}».", get(ContextKind::InvalidValue)?)
        }
        _ => return None,
    };
    let usage = e
        .get(ContextKind::Usage)
        .map(|u| localize_usage(&u.to_string()))
        .map(|u| format!("\n    {}", u.trim()))
        .unwrap_or_default();
    Some(format!("{text}{usage}"))
}

/// Parses the arguments. `Ok(None)` means "open the app". On failure, returns the text
/// to print and the exit code.
pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, (String, i32)> {
    use clap::FromArgMatches;
    use clap::error::ErrorKind;
    localized_command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                (localize_usage(&e.render().to_string()), 0)
            }
            kind => {
                let summary = match kind {
                    ErrorKind::InvalidSubcommand => "Lệnh không tồn tại.",
                    ErrorKind::UnknownArgument => "Tham số không được hỗ trợ.",
                    ErrorKind::MissingRequiredArgument => "Thiếu tham số bắt buộc.",
                    ErrorKind::MissingSubcommand => "Thiếu lệnh con.",
                    ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                        "Giá trị tham số không hợp lệ."
                    }
                    _ => "Dòng lệnh không hợp lệ.",
                };
                let err = AppError::new(summary, "Chạy «ntm-dossier --help» để xem cách dùng.")
                    .with_details(usage_error_detail(&e));
                (err.to_string(), EXIT_USAGE)
            }
        })
}

/// Runs a command on the workspace at `db` (or the default one). Returns the exit code;
/// output goes to `out`, errors to `err`.
pub fn run(cli: Cli, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
    let Some(command) = cli.command else {
        return 0;
    };
    match commands::execute(cli.db, command, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = write!(err, "{e}");
            EXIT_FAILURE
        }
    }
}
