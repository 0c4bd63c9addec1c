//! Reading stored codes back into domain types: a value that does not parse is an error
//! naming the table, row and column ([`StoreError::Corrupt`](super::StoreError)), never a
//! silent default.

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

/// Parses a stored code with `parse`, or fails with the table, row and column named.
pub(crate) fn parse_code<T>(
    table: &'static str,
    row: i64,
    field: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    parse(value).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            Box::new(CorruptValue {
                table,
                row,
                field,
                value: value.to_string(),
            }),
        )
    })
}

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
