//! The handlers of each command: open the workspace, call the app layer, print.
#![allow(
    clippy::too_many_lines,
    reason = "issue 9: this file is still being brought under the house lints"
)]

use super::{
    AssessmentCommand, BackupCommand, BundleCommand, CatalogCommand, Command, DossierCommand,
    EXIT_INCOMPLETE, EvidenceCommand, KeyCommand, ReviewCommand, UnitCommand, ValuesCommand,
};
use crate::app::{
    self, AppError, AppResult, Workspace, assessment, catalog, evidence, report, units,
    values_import,
};
use crate::domain::ids::{AssessmentId, UnitId};
use crate::domain::vn_text::format_number;
use std::io::Write;
use std::path::PathBuf;

fn workspace_path(db: Option<PathBuf>) -> AppResult<PathBuf> {
    match db {
        Some(p) => Ok(p),
        None => app::default_workspace_path(),
    }
}

/// Opens the workspace; a file created by this command is announced first (on the error
/// stream, so that scripts reading the output are not disturbed), so that a mistyped
/// name shows at once, and so is a backup that could not be made.
fn open(db: Option<PathBuf>, notice: &mut dyn Write) -> AppResult<Workspace> {
    let (mut ws, created) = app::open_or_create_workspace(&workspace_path(db)?)?;
    if created {
        let _ = writeln!(notice, "Đã tạo tệp dữ liệu mới: {}", ws.path().display());
    }
    if let Some(text) = app::backup::failure_notice(&mut ws) {
        let _ = writeln!(notice, "{text}");
    }
    Ok(ws)
}

/// `backup …` works without opening the workspace, which may be missing or damaged.
fn backup(db: Option<PathBuf>, command: BackupCommand, out: &mut dyn Write) -> AppResult<i32> {
    let workspace = workspace_path(db)?;
    match command {
        BackupCommand::List => {
            let backups = app::backup::list(&workspace)?;
            let mut text = if backups.is_empty() {
                format!("Chưa có bản sao lưu nào của {}.\n", workspace.display())
            } else {
                format!(
                    "Bản sao lưu của {} (mới nhất trước):\n",
                    workspace.display()
                )
            };
            for (i, b) in backups.iter().enumerate() {
                text.push_str(&format!("  {}\n", app::backup::describe(i + 1, b)));
            }
            emit(out, &text)?;
        }
        BackupCommand::Restore { number, to } => {
            let (info, restored) = app::backup::restore(&workspace, number, &to)?;
            emit(
                out,
                &format!(
                    "Đã khôi phục bản sao lưu số {number} ({}, lần thay đổi {}) vào tệp mới {}: {} tệp minh chứng, đã kiểm tra mã băm.\nMở tệp: ntm-dossier --db {}\n",
                    info.taken_at,
                    info.change_seq,
                    restored.path.display(),
                    restored.evidence_files,
                    restored.path.display()
                ),
            )?;
        }
    }
    Ok(0)
}

fn emit(out: &mut dyn Write, text: &str) -> AppResult<()> {
    out.write_all(text.as_bytes()).map_err(|e| {
        AppError::new("Không ghi được kết quả ra màn hình.", "").with_details([e.to_string()])
    })
}

fn json(value: &impl serde::Serialize) -> AppResult<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| AppError::new("Không tạo được JSON.", "").with_details([e.to_string()]))
}

/// Runs one command; returns the exit code for a command that completed.
pub(super) fn execute(
    db: Option<PathBuf>,
    command: Command,
    out: &mut dyn Write,
    notice: &mut dyn Write,
) -> AppResult<i32> {
    let command = match command {
        Command::Backup(b) => return backup(db, b, out),
        Command::ProbePdf { file } => return Ok(app::pdf_probe::child_main(&file)),
        other => other,
    };
    let mut ws = open(db, notice)?;
    let today = app::today();
    match command {
        Command::Catalog(CatalogCommand::List) => {
            let mut text = String::new();
            for (rec, e) in catalog::list(&ws)? {
                let (verified, unverified) = e.threshold_counts();
                let completeness = if e.is_incomplete() {
                    "chưa đầy đủ"
                } else {
                    "đầy đủ"
                };
                text.push_str(&format!(
                    "{}\t{}\n\t{}; {} tiêu chí, {} chỉ tiêu ({completeness}); ngưỡng: {verified} đã xác minh, {unverified} chưa xác minh; {}\n",
                    rec.code,
                    e.title,
                    [e.legal.decision.as_str(), e.legal.annex.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", "),
                    e.criteria.len(),
                    e.indicator_count(),
                    match (&e.revision, rec.builtin) {
                        (_, true) => "có sẵn".to_string(),
                        (None, false) => "đã nhập".to_string(),
                        (Some(r), false) => format!(
                            "ban hành lần {} ngày {}, {}",
                            r.number,
                            crate::domain::vn_text::CivilDate::parse(&r.date)
                                .map_or(r.date.clone(), |d| d.to_string()),
                            r.office
                        ),
                    }
                ));
            }
            emit(out, &text)?;
        }
        Command::Catalog(CatalogCommand::Import {
            file,
            trust,
            re_enrol,
        }) => {
            let (edition, changed) = if app::edition_pack::is_pack(&file) {
                let trust = app::keys::Trust {
                    fingerprint: trust,
                    re_enrol,
                };
                app::edition_pack::import(&mut ws, &file, &trust)?
            } else {
                catalog::import(&mut ws, &file)?
            };
            let msg = if changed {
                "Đã nhập"
            } else {
                "Không có thay đổi:"
            };
            emit(
                out,
                &format!(
                    "{msg} bộ tiêu chí {} — {} ({} tiêu chí, {} chỉ tiêu)\n",
                    edition.code,
                    edition.title,
                    edition.criteria.len(),
                    edition.indicator_count()
                ),
            )?;
        }
        Command::Catalog(CatalogCommand::Paste {
            base,
            file,
            new_code,
            title,
            save,
        }) => {
            let text = catalog::read_paste_file(&file)?;
            let title = title.unwrap_or_default();
            let preview = catalog::paste_preview(&ws, &base, &new_code, &title, &text)?;
            emit(out, &catalog::paste_preview_text(&preview))?;
            if save {
                let edition = catalog::paste_save(&mut ws, &base, &new_code, &title, &text)?;
                emit(
                    out,
                    &format!(
                        "Đã lưu bộ tiêu chí {} — {} ({} tiêu chí, {} chỉ tiêu)\n",
                        edition.code,
                        edition.title,
                        edition.criteria.len(),
                        edition.indicator_count()
                    ),
                )?;
            } else if !preview.problems.is_empty() {
                return Ok(EXIT_INCOMPLETE);
            }
        }
        Command::Catalog(CatalogCommand::Template { code, file }) => {
            catalog::template(&ws, &code, &file)?;
            emit(
                out,
                &format!(
                    "Đã ghi mẫu Excel của bộ tiêu chí {code} ra {}: điền trang tính «Chỉ tiêu» rồi nhập lại bằng «catalog import».\n",
                    file.display()
                ),
            )?;
        }
        Command::Catalog(CatalogCommand::Revise { code, office, date }) => {
            let edition = catalog::revise(&mut ws, &code, &office, date.as_deref(), today)?;
            if let Some(r) = &edition.revision {
                let date = crate::domain::vn_text::CivilDate::parse(&r.date)
                    .map_or(r.date.clone(), |d| d.to_string());
                emit(
                    out,
                    &format!(
                        "Đã ban hành bộ tiêu chí {code} lần {} ngày {date} ({}).\n",
                        r.number, r.office
                    ),
                )?;
            }
        }
        Command::Catalog(CatalogCommand::Export { code, file }) => {
            if app::edition_pack::is_pack(&file) {
                app::edition_pack::export(&mut ws, &code, &file)?;
            } else {
                catalog::export(&ws, &code, &file)?;
            }
            emit(
                out,
                &format!("Đã xuất bộ tiêu chí {code} ra {}\n", file.display()),
            )?;
        }
        Command::Unit(UnitCommand::Add {
            name,
            kind,
            parent,
            code,
            region,
            group,
            flag,
            merged_from,
        }) => {
            let form = units::UnitForm {
                name,
                kind,
                parent: parent.unwrap_or_default(),
                official_code: code.unwrap_or_default(),
                region: region.unwrap_or_default(),
                group: group.unwrap_or_default(),
                flags: flag,
                merged_from,
            };
            let id = units::add(&mut ws, &form)?;
            emit(out, &format!("{id}\n"))?;
        }
        Command::Unit(UnitCommand::Plan {
            unit,
            target,
            year,
            deadline,
            clear,
        }) => emit(
            out,
            &super::plans::plan(&mut ws, unit, target, year, deadline, clear)?,
        )?,
        Command::Unit(UnitCommand::Recognize(a)) => super::recognize::recognize(&mut ws, a, out)?,
        Command::Unit(UnitCommand::Show(a)) => super::recognize::show(&ws, &a, out)?,
        Command::Unit(UnitCommand::Survey(a)) => super::recognize::survey(&mut ws, a, out)?,
        Command::Unit(UnitCommand::List) => {
            let recognitions = super::recognize::by_unit(app::recognitions::all(&ws)?);
            let mut all = units::list(&ws)?;
            // Siblings in Vietnamese dictionary order, as on the screen.
            all.sort_by(|a, b| crate::domain::vn_text::vn_cmp(&a.name, &b.name));
            let mut text = String::new();
            // Iterative, with a depth limit: a chain of 40.000 parents cannot overflow.
            for (depth, u) in crate::app::units::tree_order(&all) {
                let mut extra = Vec::new();
                if let Some(c) = &u.official_code {
                    extra.push(format!("mã {c}"));
                }
                if let Some(r) = u.region {
                    extra.push(r.label().to_string());
                }
                if let Some(g) = u.group {
                    extra.push(g.label().to_string());
                }
                extra.extend(u.flags.iter().map(|f| f.label().to_string()));
                extra.extend(super::recognize::list_marks(&recognitions, u.id));
                if !u.merged_from.is_empty() {
                    extra.push(format!(
                        "sáp nhập từ {}",
                        u.merged_from
                            .iter()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", extra.join("; "))
                };
                text.push_str(&format!(
                    "{}[{}] {} {}{extra}\n",
                    "  ".repeat(depth),
                    u.id,
                    u.kind.label(),
                    u.name
                ));
            }
            if text.is_empty() {
                text = "Chưa có đơn vị nào. Thêm bằng lệnh «unit add».\n".into();
            }
            emit(out, &text)?;
        }
        Command::Assessment(AssessmentCommand::New {
            unit,
            edition,
            target,
            year,
        }) => {
            let id = assessment::create(&mut ws, UnitId(unit), &edition, &target, year)?;
            emit(out, &format!("{id}\n"))?;
        }
        Command::Assessment(AssessmentCommand::Move {
            assessment,
            edition,
            yes,
        }) => {
            let id = AssessmentId(assessment);
            if yes {
                let plan = app::edition_move::apply(&mut ws, id, &edition, today)?;
                emit(out, &app::edition_move::describe(&plan))?;
                emit(
                    out,
                    &format!(
                        "Đã chuyển đợt đánh giá {assessment} sang bộ tiêu chí {}.\n",
                        plan.to
                    ),
                )?;
            } else {
                let plan = app::edition_move::plan(&ws, id, &edition, today)?;
                emit(out, &app::edition_move::describe(&plan))?;
                emit(out, "Chưa chuyển: chạy lại với --yes để chuyển.\n")?;
            }
        }
        Command::Assessment(AssessmentCommand::List) => {
            let mut text = String::new();
            for (a, name) in assessment::list(&ws)? {
                text.push_str(&format!(
                    "[{}] {} — {} — {} — năm {}\n",
                    a.id,
                    name,
                    a.edition_code,
                    a.target.label(),
                    a.year
                ));
            }
            if text.is_empty() {
                text = "Chưa có đợt đánh giá nào. Tạo bằng lệnh «assessment new».\n".into();
            }
            emit(out, &text)?;
        }
        Command::Values(ValuesCommand::Import { assessment, file }) => {
            let n = values_import::import(&mut ws, AssessmentId(assessment), &file)?;
            emit(
                out,
                &format!("Đã nhập giá trị của {n} chỉ tiêu từ {}\n", file.display()),
            )?;
        }
        Command::Evidence(EvidenceCommand::Add {
            assessment,
            indicator,
            files,
        }) => {
            let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
            let added = evidence::add_files(&mut ws, AssessmentId(assessment), &indicator, &paths)?;
            let mut text = String::new();
            for (name, a) in added {
                let how = if a.is_new {
                    "đã thêm"
                } else {
                    "đã có sẵn (cùng nội dung), chỉ thêm liên kết"
                };
                text.push_str(&format!("{} {name}: {how}\n", a.code));
            }
            emit(out, &text)?;
        }
        Command::Evidence(EvidenceCommand::List { assessment }) => {
            let mut text = String::new();
            for e in evidence::list(&ws, AssessmentId(assessment))? {
                text.push_str(&format!(
                    "{}\t{}\t{} byte\tchỉ tiêu {}\t{}\n",
                    e.code,
                    e.file_name,
                    format_number(e.size as f64, 0),
                    e.indicators_with_names(),
                    e.sha256
                ));
            }
            if text.is_empty() {
                text = "Chưa có minh chứng nào.\n".into();
            }
            emit(out, &text)?;
        }
        Command::Evidence(EvidenceCommand::Delete { assessment, code }) => {
            let d = evidence::delete(&mut ws, AssessmentId(assessment), &code)?;
            let proved = if d.record.indicators.is_empty() {
                "chưa gắn chỉ tiêu nào".to_string()
            } else {
                format!(
                    "là minh chứng của chỉ tiêu {}",
                    d.record.indicators.join(", ")
                )
            };
            let bytes = if d.bytes_removed {
                "nội dung tệp đã được xóa khỏi tệp dữ liệu"
            } else {
                "nội dung tệp được giữ vì minh chứng khác còn dùng"
            };
            emit(
                out,
                &format!(
                    "Đã xóa minh chứng {} — {} ({proved}); {bytes}.\n",
                    d.record.code, d.record.file_name
                ),
            )?;
        }
        Command::Status {
            assessment,
            json: as_json,
        } => {
            let loaded = report::status(&ws, AssessmentId(assessment), today)?;
            let text = if as_json {
                json(&app::central_status::status_json(&ws, &loaded)?)?
            } else {
                let quoted = app::central::quoted::quoted(&ws, &loaded, today)?;
                let lines = app::central::quoted::quoted_lines(&quoted);
                super::recognize::status_text(&ws, &loaded)? + &lines.join("\n") + "\n"
            };
            emit(out, &text)?;
        }
        Command::Rollup {
            unit,
            edition,
            year,
            target,
            json: as_json,
            xlsx,
            pdf,
        } => {
            // Both destinations are checked before either is written.
            for path in xlsx.iter().chain(pdf.iter()) {
                app::output::refuse_protected(&ws, path)?;
            }
            let filter = report::RollupFilter::parse(edition.as_deref(), year, target.as_deref())?;
            let r = report::rollup_with(&ws, UnitId(unit), &filter, today)?;
            if let Some(path) = &xlsx {
                report::rollup_xlsx(&ws, &r, path)?;
            }
            if let Some(path) = &pdf {
                report::rollup_pdf(&ws, &r, path)?;
            }
            let text = if as_json {
                json(&r)?
            } else {
                report::rollup_text(&r)
            };
            emit(out, &text)?;
        }
        Command::Dossier(d) => return dossier(&mut ws, d, out),
        Command::Bundle(b) => return bundle(&mut ws, b, out),
        Command::Review(r) => return review(&mut ws, r, out),
        Command::Key(k) => return key(&mut ws, k, out),
        Command::Backup(b) => return backup(Some(ws.path().to_path_buf()), b, out),
        Command::ProbePdf { file } => return Ok(app::pdf_probe::child_main(&file)),
        Command::Check => {
            app::check_integrity(&ws)?;
            emit(
                out,
                &format!(
                    "Tệp dữ liệu {} nguyên vẹn; mọi tệp minh chứng còn nguyên như khi thêm.\n",
                    ws.path().display()
                ),
            )?;
        }
    }
    Ok(0)
}

fn dossier(ws: &mut Workspace, command: DossierCommand, out: &mut dyn Write) -> AppResult<i32> {
    use crate::app::dossier as d;
    match command {
        DossierCommand::Check {
            assessment,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            let items = d::checklist(ws, AssessmentId(assessment), &t)?;
            if items.is_empty() {
                emit(
                    out,
                    "Hồ sơ đã đủ: có thể tạo bản chính thức (dossier build --final).\n",
                )?;
                Ok(0)
            } else {
                let mut text = format!("Còn thiếu {} mục:\n", items.len());
                for i in items {
                    text.push_str(&format!("  - {i}\n"));
                }
                emit(out, &text)?;
                Ok(EXIT_INCOMPLETE)
            }
        }
        DossierCommand::Set {
            assessment,
            signer,
            date,
            place,
        } => {
            let id = AssessmentId(assessment);
            let mut form = d::settings(ws, id)?;
            if let Some(s) = signer {
                form.signer = s;
            }
            if let Some(s) = date {
                form.date = s;
            }
            if let Some(s) = place {
                form.place = s;
            }
            d::save_settings(ws, id, &form)?;
            emit(out, "Đã lưu thông tin ký hồ sơ.\n")?;
            Ok(0)
        }
        DossierCommand::Signed {
            assessment,
            document,
            file,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            d::attach_signed(ws, AssessmentId(assessment), &t, &document, &file)?;
            emit(
                out,
                &format!("Đã gắn bản đã ký cho tài liệu «{document}».\n"),
            )?;
            Ok(0)
        }
        DossierCommand::Build {
            assessment,
            out: path,
            final_packet,
            template,
        } => {
            let t = d::resolve_template(ws, AssessmentId(assessment), &template)?;
            // A refused destination writes nothing, not even a new key.
            crate::app::output::refuse_protected(ws, &path)?;
            // The tờ trình carries this workspace's fingerprint: make the key first.
            crate::app::keys::own_fingerprint(ws)?;
            let built = d::build(
                ws,
                AssessmentId(assessment),
                &t,
                &path,
                final_packet,
                &|_, _| {},
            )?;
            let mut text = format!(
                "Đã tạo {} ({} trang){}.\n",
                path.display(),
                built.report.pages,
                if built.draft {
                    ", BẢN DỰ THẢO"
                } else {
                    ", bản chính thức"
                }
            );
            for p in &built.report.problems {
                text.push_str(&format!("  Lỗi tệp: {p}\n"));
            }
            if built.draft {
                text.push_str(&format!(
                    "Còn thiếu {} mục (xem: dossier check {assessment}).\n",
                    built.missing.len()
                ));
            }
            emit(out, &text)?;
            Ok(0)
        }
    }
}

fn bundle(ws: &mut Workspace, command: BundleCommand, out: &mut dyn Write) -> AppResult<i32> {
    use crate::app::bundle as b;
    match command {
        BundleCommand::Export {
            assessment,
            out: path,
        } => {
            let preflight = crate::app::dossier::send_preflight(ws, AssessmentId(assessment))?;
            if !preflight.is_complete() {
                emit(out, &format!("Cảnh báo: {}\n", preflight.summary()))?;
            }
            let e = b::export(ws, AssessmentId(assessment), &path)?;
            emit(
                out,
                &format!(
                    "Đã đóng gói lần gửi {} vào {} ({} tệp minh chứng, {} byte).\nSHA-256: {}\nDấu vân tay khóa ký: {}\n",
                    e.round,
                    path.display(),
                    e.files,
                    format_number(e.size as f64, 0),
                    e.sha256,
                    e.fingerprint
                ),
            )?;
            Ok(0)
        }
        BundleCommand::Import {
            files,
            former_of,
            trust,
            re_enrol,
        } => {
            let trust = crate::app::keys::Trust {
                fingerprint: trust,
                re_enrol,
            };
            // The arguments are checked before any bundle is read: a unit that does not
            // exist refuses the whole command with nothing imported.
            if let Some(merged) = former_of {
                app::units::require(ws, UnitId(merged)).map_err(|e| {
                    AppError::new(
                        format!("{} Không có gói nào được nhập.", e.summary),
                        "Hãy xem mã số đơn vị bằng lệnh «unit list» rồi chạy lại lệnh với --former-of đúng.",
                    )
                })?;
            }
            // Each file on its own: one refused bundle does not stop the others.
            let mut failed = Vec::new();
            let mut text = String::new();
            for f in &files {
                let received = b::receive(ws, f, &trust).and_then(|r| {
                    if let (Some(merged), b::Received::Assessment(i)) = (former_of, &r) {
                        b::attach_as_former(ws, UnitId(merged), i.assessment)?;
                    }
                    Ok(r)
                });
                match received {
                    Ok(b::Received::Assessment(i)) if i.is_new => {
                        text.push_str(&format!(
                            "{}: đã nhập lần gửi {} của {} (đợt đánh giá số {}), khóa ký {}.\n",
                            f.display(),
                            i.round,
                            i.unit_name,
                            i.assessment,
                            i.fingerprint
                        ));
                        if !i.edition_differs.is_empty() {
                            text.push_str(&format!(
                                "Cảnh báo: {}; đánh giá theo bản của cơ quan, bản trong gói giữ làm bản xã kê khai:\n",
                                b::EDITION_DIFFERS
                            ));
                            for d in &i.edition_differs {
                                text.push_str(&format!("  - {d}\n"));
                            }
                        }
                    }
                    Ok(b::Received::Assessment(i)) => text.push_str(&format!(
                        "{}: lần gửi {} của {} đã có, không thay đổi gì.\n",
                        f.display(),
                        i.round,
                        i.unit_name
                    )),
                    Ok(b::Received::Review(r)) => {
                        text.push_str(&format!(
                            "{}: {} nhận xét của cấp trên cho đợt đánh giá số {} ({} yêu cầu bổ sung).\n",
                            f.display(),
                            if r.is_new { "đã nhận" } else { "đã có" },
                            r.assessment,
                            r.requests
                        ));
                        if let Some(note) = &r.edition {
                            text.push_str(&format!("  Bộ tiêu chí kèm theo: {note}.\n"));
                        }
                    }
                    Err(e) => failed.push(e.to_string()),
                }
            }
            emit(out, &text)?;
            if failed.is_empty() {
                Ok(0)
            } else {
                Err(AppError::new(
                    format!("{}/{} gói bị từ chối.", failed.len(), files.len()),
                    if failed.len() == files.len() {
                        "Không có gói nào được nhập."
                    } else {
                        "Các gói khác đã được nhập bình thường."
                    },
                )
                .with_details(failed))
            }
        }
        BundleCommand::Changes { assessment } => {
            let mut text = String::new();
            for c in b::changes_since_previous_round(ws, AssessmentId(assessment))? {
                text.push_str(&format!("{c}\n"));
            }
            if text.is_empty() {
                text = "Đợt đánh giá này không phải bản nhận từ gói hồ sơ.\n".into();
            }
            emit(out, &text)?;
            Ok(0)
        }
    }
}

fn key(ws: &mut Workspace, command: KeyCommand, out: &mut dyn Write) -> AppResult<i32> {
    use crate::app::keys as k;
    match command {
        KeyCommand::Show => {
            let fingerprint = k::own_fingerprint(ws)?;
            emit(
                out,
                &format!(
                    "Dấu vân tay khóa ký của tệp dữ liệu này: {fingerprint}\n\
                     In dấu vân tay này trên tờ trình (có đóng dấu) để bên nhận đối chiếu.\n"
                ),
            )?;
        }
        KeyCommand::List => {
            let mut text = String::new();
            for e in k::enrolled(ws)? {
                text.push_str(&format!(
                    "{}\t{}\t{}\n",
                    e.who, e.fingerprint, e.enrolled_at
                ));
            }
            if text.is_empty() {
                text = "Chưa ghi danh khóa nào.\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}

fn review(ws: &mut Workspace, command: ReviewCommand, out: &mut dyn Write) -> AppResult<i32> {
    use crate::app::review as r;
    match command {
        ReviewCommand::Criterion {
            assessment,
            number,
            verdict,
            comment,
        } => {
            let id = AssessmentId(assessment);
            match verdict.as_deref() {
                Some(v) => {
                    r::rate_criterion(ws, id, number, Some((v, comment.as_deref().unwrap_or(""))))?
                }
                None => r::rate_criterion(ws, id, number, None)?,
            }
            emit(out, &format!("Đã ghi kết luận tiêu chí {number}.\n"))?;
        }
        ReviewCommand::Request {
            assessment,
            indicator,
            text,
        } => {
            r::add_request(ws, AssessmentId(assessment), &indicator, &text)?;
            emit(
                out,
                &format!("Đã ghi yêu cầu bổ sung cho chỉ tiêu {indicator}.\n"),
            )?;
        }
        ReviewCommand::Decide {
            assessment,
            vote,
            decision,
            reviewer,
        } => {
            r::decide(ws, AssessmentId(assessment), &vote, &decision, &reviewer)?;
            emit(out, "Đã ghi kết quả biểu quyết và quyết định.\n")?;
        }
        ReviewCommand::Export {
            assessment,
            out: path,
        } => {
            let fingerprint = r::export(ws, AssessmentId(assessment), &path)?;
            emit(
                out,
                &format!(
                    "Đã ghi gói nhận xét vào {}.\nDấu vân tay khóa ký: {fingerprint}\n",
                    path.display()
                ),
            )?;
        }
        ReviewCommand::Show { assessment } => {
            let rv = r::get(ws, AssessmentId(assessment))?;
            let mut text = String::new();
            for (n, v, c) in &rv.criteria {
                let label =
                    crate::domain::units::Verdict::from_code(v).map_or(v.as_str(), |v| v.label());
                text.push_str(&format!(
                    "Tiêu chí {n}: {label}{}\n",
                    if c.is_empty() {
                        String::new()
                    } else {
                        format!(" — {c}")
                    }
                ));
            }
            for (code, req) in &rv.requests {
                text.push_str(&format!("Yêu cầu bổ sung, chỉ tiêu {code}: {req}\n"));
            }
            if !rv.vote.is_empty() {
                text.push_str(&format!("Biểu quyết: {}\n", rv.vote));
            }
            if !rv.decision.is_empty() {
                text.push_str(&format!("Quyết định: {}\n", rv.decision));
            }
            if text.is_empty() {
                text = "Chưa có nhận xét.\n".into();
            }
            emit(out, &text)?;
        }
    }
    Ok(0)
}
