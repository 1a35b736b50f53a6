//! Checked plans as parameterised SQL, so that a database resolves an audience of millions
//! itself: PostgreSQL and SQLite dialects.
//!
//! [`Plan::to_sql`](crate::Plan::to_sql) turns a [`Plan`] into one `SELECT` of
//! the matching ids, in ascending order, that selects **exactly** the records
//! [`Plan::filter`](crate::Plan::filter) selects in memory: the spec's empty-value rules
//! (`NULL`, `''`, `0`, `False` and the empty relation), `in []` and `not in []`, dotted paths
//! and `any` as existential sub-queries, `like` patterns with Odoo's `%`, `_` and backslash,
//! `child_of` / `parent_of` as recursive common table expressions (bounded: `UNION` stops at
//! the records already found, cycles included), relative dates resolved when the plan was
//! checked. Every value travels as a parameter ([`SqlValue`]); none is ever spliced into the
//! text. Table and column names come from the application's [`SqlMapping`] and are quoted.
//!
//! The application describes where its models live with a [`SqlMapping`]: per model a table
//! and its id column, per field a column, a key of a JSON column, a many2one foreign key, a
//! one2many (the comodel's column pointing back) or a many2many (a relation table, with an
//! optional condition on its rows, such as a subscription that was not opted out of).
//!
//! # Example
//!
//! ```
//! use smskit_filter::sql::{Dialect, SqlMapping, SqlValue};
//! use smskit_filter::{FieldType, Plan, Schema};
//!
//! let mut schema = Schema::new();
//! schema
//!     .model("contact")
//!     .field("name", FieldType::Char)
//!     .field("city", FieldType::Char)
//!     .field("list_ids", FieldType::many2many("mailing.list"));
//! schema.model("mailing.list").field("name", FieldType::Char);
//!
//! let mut mapping = SqlMapping::new();
//! mapping
//!     .model("contact", "contacts")
//!     .column("name", "name")
//!     .json_key("city", "fields", "city")
//!     .many2many_where("list_ids", "subscriptions", "contact", "list", "opt_out = FALSE");
//! mapping.model("mailing.list", "lists").column("name", "name");
//!
//! let domain = smskit_filter::parse("[('city', '=', 'Gent'), ('list_ids.name', '=', 'VIP')]")?;
//! let plan = Plan::new(&schema, "contact", &domain)?;
//! let query = plan.to_sql(&mapping, Dialect::Sqlite)?;
//! assert!(query.sql.starts_with("WITH \"_s0\"(\"id\") AS (SELECT \"_r1\".\"id\" FROM \"lists\" AS \"_r1\" WHERE"));
//! assert!(query.sql.ends_with("ORDER BY \"_r0\".\"id\""));
//! // Values are parameters: the JSON path of the key, then the compared texts.
//! assert!(query.params.contains(&SqlValue::Text("Gent".into())));
//! assert!(query.params.contains(&SqlValue::Text("$.\"city\"".into())));
//! assert!(!query.sql.contains("Gent"));
//! # Ok::<(), smskit_filter::Error>(())
//! ```
//!
//! # Case-insensitive matching
//!
//! `ilike` lower-cases both sides with Unicode's full lower-case mapping (Rust's
//! `str::to_lowercase`: `İ` becomes two characters, a word-final `Σ` becomes `ς`).
//!
//! - **SQLite**'s `lower()` and `LIKE` only fold ASCII, so the SQLite SQL calls
//!   [`CASEFOLD_FUNCTION`] (`smskit_casefold(text)`), an application-defined function the
//!   caller registers on the connection, implemented by [`casefold`]. With rusqlite (its
//!   `functions` feature):
//!
//!   ```ignore
//!   conn.create_scalar_function(
//!       smskit_filter::sql::CASEFOLD_FUNCTION,
//!       1,
//!       rusqlite::functions::FunctionFlags::SQLITE_UTF8
//!           | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
//!       |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|text| smskit_filter::sql::casefold(&text))),
//!   )?;
//!   ```
//!
//!   A case-sensitive `like` uses `GLOB` (SQLite's `LIKE` ignores ASCII case).
//! - **PostgreSQL**'s `lower()` under a libc locale maps one character to one character (no
//!   `İ` → `i̇`, no final sigma), so the PostgreSQL SQL lower-cases under the ICU root
//!   collation: `lower(x COLLATE "und-x-icu")`, ICU's full mapping with the final-sigma
//!   rule, as Rust does. The server must be built with ICU (the usual packages are). The two
//!   agree as far as their Unicode versions agree: a letter newer than the server's ICU is left
//!   as it is by PostgreSQL.
//!
//! # Representation
//!
//! | field type | PostgreSQL column | SQLite column |
//! |---|---|---|
//! | char, text, html, selection | `text` (or a key of a `json`/`jsonb` column) | `TEXT` (or a key of a JSON `TEXT` column) |
//! | integer | any integer type | `INTEGER` |
//! | float, monetary | `double precision` | `REAL` |
//! | boolean | `boolean` | `INTEGER` 0 / 1 |
//! | date | `date` | `TEXT` `YYYY-MM-DD` |
//! | datetime | `timestamp` (UTC, no time zone) | `TEXT` `YYYY-MM-DD HH:MM:SS[.ffffff]` |
//! | many2one | the foreign key column (`NULL` or 0 for none) | the same |
//!
//! Texts compare by code point (`COLLATE "C"` / `BINARY`) as Rust's `str` does. Record ids are
//! integers. A few plans have no exact SQL form and give [`Error::SqlUnsupported`]: `like`
//! on a float (Python's `repr`), a display name that is not a text field, a hierarchy whose
//! parent field is not a many2one column, dates outside the years 1 to 9999, more values than
//! the database takes parameters (32,766 for SQLite, 65,535 for PostgreSQL; long `in` lists
//! of ids or texts travel as one parameter), and (PostgreSQL) a text holding a NUL character. A plan whose SQL would nest deeper than [`MAX_DEPTH`]
//! gives [`Error::SqlTooDeep`]. [`Error::is_sql_error`] tells these apart from a bad domain:
//! the plan can then be evaluated in memory.
//!
//! [`Error::SqlUnsupported`]: crate::Error::SqlUnsupported
//! [`Error::SqlTooDeep`]: crate::Error::SqlTooDeep
//! [`Error::is_sql_error`]: crate::Error::is_sql_error

mod emit;
mod mapping;

pub use emit::MAX_DEPTH;
pub use mapping::{SqlMapping, TableBuilder};

use crate::error::Error;
use crate::plan::Plan;

/// The SQL dialect to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// PostgreSQL: `$1` placeholders with explicit casts, `->>` on JSON columns, ICU
    /// lower-casing.
    Postgres,
    /// SQLite: `?1` placeholders, `json_extract`, `GLOB`, and the [`CASEFOLD_FUNCTION`].
    Sqlite,
}

/// A parameter value of a [`SqlQuery`], in placeholder order.
///
/// With PostgreSQL every placeholder is cast to its type in the text (`CAST($1 AS BIGINT)`),
/// so `Int` binds as `i64` (`int8`), `Float` as `f64`, `Bool` as `bool` and `Text` as a
/// string. With SQLite they bind as the matching SQLite values.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SqlValue {
    /// SQL `NULL` (not produced today; the text tests `IS NULL` instead).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Text (also dates, date-times, JSON paths and id lists, as text).
    Text(String),
}

/// SQL text with its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlQuery {
    /// The statement or condition, with `$n` (PostgreSQL) or `?n` (SQLite) placeholders.
    pub sql: String,
    /// The values of the placeholders: `params[0]` is the first placeholder number of the
    /// query (`$1` unless a condition was asked to start elsewhere).
    pub params: Vec<SqlValue>,
}

/// The name of the SQLite function the SQLite dialect calls to lower-case text for `ilike`:
/// register it with [`casefold`] as its body (see the [module docs](self)).
pub const CASEFOLD_FUNCTION: &str = "smskit_casefold";

/// The lower-casing of `ilike` (Unicode's full lower-case mapping, as evaluation in memory
/// does it): the body of the SQLite [`CASEFOLD_FUNCTION`].
///
/// ```
/// assert_eq!(smskit_filter::sql::casefold("ΟΔΥΣΣΕΥΣ"), "οδυσσευς");
/// assert_eq!(smskit_filter::sql::casefold("İ").chars().count(), 2);
/// ```
#[must_use]
pub fn casefold(text: &str) -> String {
    text.to_lowercase()
}

impl Plan {
    /// The SQL `SELECT` of the ids of the records matching the plan, ascending: the ids
    /// [`Plan::filter`](crate::Plan::filter) gives on the same data.
    ///
    /// ```
    /// use smskit_filter::sql::{Dialect, SqlMapping, SqlValue};
    /// use smskit_filter::{FieldType, Plan, Schema};
    ///
    /// let mut schema = Schema::new();
    /// schema.model("res.partner").field("name", FieldType::Char);
    /// let mut mapping = SqlMapping::new();
    /// mapping.model("res.partner", "partner").column("name", "name");
    ///
    /// let plan = Plan::new(&schema, "res.partner", &smskit_filter::parse("[('name', '!=', 'Bob')]")?)?;
    /// let query = plan.to_sql(&mapping, Dialect::Postgres)?;
    /// assert_eq!(
    ///     query.sql,
    ///     "SELECT \"_r0\".\"id\" FROM \"partner\" AS \"_r0\" WHERE NOT ((\"_r0\".\"name\" IS NOT NULL \
    ///      AND \"_r0\".\"name\" IN (CAST($1 AS TEXT)))) ORDER BY \"_r0\".\"id\""
    /// );
    /// assert_eq!(query.params, vec![SqlValue::Text("Bob".into())]);
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::SqlUnmapped`] when a model or field the plan reads is not in `mapping`,
    /// [`Error::SqlUnsupported`] and [`Error::SqlTooDeep`] when the plan has no SQL form
    /// (see the [module docs](crate::sql)).
    pub fn to_sql(&self, mapping: &SqlMapping, dialect: Dialect) -> Result<SqlQuery, Error> {
        emit::select(self, mapping, dialect)
    }

    /// A SQL condition over `alias`, the alias of the plan model's table in the caller's own
    /// query, true exactly for the matching records; placeholders are numbered from
    /// `first_param` (1 for the first), so the caller's own parameters can come first.
    ///
    /// ```
    /// use smskit_filter::sql::{Dialect, SqlMapping, SqlValue};
    /// use smskit_filter::{FieldType, Plan, Schema};
    ///
    /// let mut schema = Schema::new();
    /// schema.model("res.partner").field("age", FieldType::Integer);
    /// let mut mapping = SqlMapping::new();
    /// mapping.model("res.partner", "partner").column("age", "age");
    ///
    /// let plan = Plan::new(&schema, "res.partner", &smskit_filter::parse("[('age', '>=', 18)]")?)?;
    /// let condition = plan.to_sql_condition(&mapping, Dialect::Sqlite, "p", 2)?;
    /// assert_eq!(condition.sql, "(COALESCE(\"p\".\"age\", 0) >= ?2)");
    /// assert_eq!(condition.params, vec![SqlValue::Int(18)]);
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Plan::to_sql`].
    pub fn to_sql_condition(
        &self,
        mapping: &SqlMapping,
        dialect: Dialect,
        alias: &str,
        first_param: usize,
    ) -> Result<SqlQuery, Error> {
        emit::condition(self, mapping, dialect, alias, first_param)
    }
}
