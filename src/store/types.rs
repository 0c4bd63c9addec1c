//! The domain types as SQL values, and reading them back: codes (unit kinds, regions,
//! groups, targets, verdicts, condition statuses, posting media), indicator and edition
//! codes and civil dates are written as their stable text (`ToSql`) and read back through
//! `FromSql`; [`column`] turns a value that does not parse into an error naming the table,
//! row and column ([`StoreError::Corrupt`](super::StoreError)), never a silent default.
//! The impls live here, not in `domain`, which stays free of SQL.

use crate::domain::catalog::{EditionCode, IndicatorCode};
use crate::domain::engine::{DebtStatus, PostingMedium, SecurityStatus};
use crate::domain::evidence::{ContentHash, EvidenceCode, MediaType};
use crate::domain::ids::{AssessmentId, EvidenceId, UnitId};
use crate::domain::units::{CommuneGroup, RecognitionTarget, Region, Target, UnitKind, Verdict};
use crate::domain::vn_text::CivilDate;
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

/// A stored text that is not a value of the column's domain type.
#[derive(Debug)]
struct NotAValue;

impl std::fmt::Display for NotAValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("giá trị không hợp lệ")
    }
}

impl std::error::Error for NotAValue {}

fn not_a_value() -> FromSqlError {
    FromSqlError::Other(Box::new(NotAValue))
}

macro_rules! sql_code {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.code()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$t>::from_code(value.as_str()?).ok_or_else(not_a_value)
            }
        }
    )+};
}
sql_code!(
    UnitKind,
    Region,
    CommuneGroup,
    Target,
    RecognitionTarget,
    Verdict,
    DebtStatus,
    SecurityStatus,
    PostingMedium,
    super::KeyRole
);

macro_rules! sql_text_code {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$t>::parse(value.as_str()?).ok_or_else(not_a_value)
            }
        }
    )+};
}
sql_text_code!(
    IndicatorCode,
    EditionCode,
    ContentHash,
    EvidenceCode,
    MediaType
);

macro_rules! sql_id {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map(Self)
            }
        }
    )+};
}
sql_id!(UnitId, AssessmentId, EvidenceId);

/// Stored as ISO `2026-01-05`.
impl ToSql for CivilDate {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.iso()))
    }
}

/// Read from ISO `2026-01-05` (the `dd/mm/yyyy` forms [`CivilDate::parse`] accepts too).
impl FromSql for CivilDate {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        CivilDate::parse(value.as_str()?).ok_or_else(not_a_value)
    }
}

/// Column `idx` of `r` as `T`; a value that is not a `T` (an unknown code, a date that is
/// no date, a number where text belongs) is [`CorruptValue`] naming `table`, `row` and
/// `field`, turned into `StoreError::Corrupt` when it leaves the store.
pub(crate) fn column<T: FromSql>(
    r: &Row<'_>,
    idx: usize,
    table: &'static str,
    row: i64,
    field: &'static str,
) -> rusqlite::Result<T> {
    let raw = r.get_ref(idx)?;
    T::column_result(raw).map_err(|_| corrupt(table, row, field, shown(raw)))
}

/// Column `idx` of `r` as text borrowed from the row (no copy), `None` for NULL when
/// `nullable`; any other value (a number, a blob, NULL where text belongs, bytes that are
/// not UTF-8) is [`CorruptValue`] naming `table`, `row` and `field`.
pub(crate) fn text_in<'r>(
    r: &'r Row<'_>,
    idx: usize,
    nullable: bool,
    (table, row, field): (&'static str, i64, &'static str),
) -> rusqlite::Result<Option<&'r str>> {
    let raw = r.get_ref(idx)?;
    match raw {
        ValueRef::Null if nullable => Ok(None),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(text) => Ok(Some(text)),
            Err(_) => Err(corrupt(table, row, field, shown(raw))),
        },
        _ => Err(corrupt(table, row, field, shown(raw))),
    }
}

/// A text taken out of a stored value (an element of a JSON list SQLite put together)
/// as `T`; one that is not a `T` is [`CorruptValue`] naming `table`, `row` and `field`.
pub(crate) fn parsed<T: FromSql>(
    text: &str,
    table: &'static str,
    row: i64,
    field: &'static str,
) -> rusqlite::Result<T> {
    let raw = ValueRef::Text(text.as_bytes());
    T::column_result(raw).map_err(|_| corrupt(table, row, field, shown(raw)))
}

/// A stored value as the error shows it.
fn shown(raw: ValueRef<'_>) -> String {
    match raw {
        ValueRef::Null => "(trống)".to_string(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("({} byte dữ liệu nhị phân)", b.len()),
    }
}

fn corrupt(table: &'static str, row: i64, field: &'static str, value: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        Box::new(CorruptValue {
            table,
            row,
            field,
            value,
        }),
    )
}

/// A stored value that does not read as what its column holds; carried inside
/// `rusqlite::Error::FromSqlConversionFailure` out of a row closure and turned into
/// `StoreError::Corrupt` by `From<rusqlite::Error>`.
#[derive(Debug)]
pub(crate) struct CorruptValue {
    /// Table.
    pub table: &'static str,
    /// Row id.
    pub row: i64,
    /// Column.
    pub field: &'static str,
    /// The value as stored.
    pub value: String,
}

impl std::fmt::Display for CorruptValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "bảng {}, dòng {}, cột {}: «{}»",
            self.table, self.row, self.field, self.value
        )
    }
}

impl std::error::Error for CorruptValue {}

impl From<rusqlite::Error> for super::StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, inner)
                if inner.is::<CorruptValue>() =>
            {
                match inner.downcast::<CorruptValue>() {
                    Ok(c) => super::StoreError::Corrupt {
                        table: c.table,
                        row: c.row,
                        field: c.field,
                        value: c.value,
                    },
                    Err(inner) => {
                        super::StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
                            0,
                            rusqlite::types::Type::Text,
                            inner,
                        ))
                    }
                }
            }
            other => super::StoreError::Sqlite(other),
        }
    }
}
