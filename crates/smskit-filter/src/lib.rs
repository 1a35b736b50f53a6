//! Odoo-compatible recipient filter domains: parse, print, normalise, check against a
//! schema and evaluate.
//!
//! Marketers select recipients with Odoo *domains* such as
//! `['&', ('country_id.code', '=', 'BE'), '!', ('phone_sanitized_blacklisted', '=', True)]`,
//! written by hand or pasted from Odoo. This crate reads them (Python-literal or JSON
//! syntax), prints them back, rewrites them ([`Domain::normalize`],
//! [`Domain::distribute_not`], [`Domain::simplify`]), checks them against the
//! application's [`Schema`] into a typed [`Plan`], and evaluates the plan on records with
//! Odoo 19's in-memory (`filtered_domain`) semantics: empty values, `not in`, dotted
//! paths as existential `any`, display-name matching on relations, `like` patterns with
//! `%`, `_` and backslash escapes, `child_of` / `parent_of`, relative dates. A plan also
//! translates to parameterised SQL selecting exactly the same records (the [`sql`] module),
//! so a database resolves an audience of millions itself.
//!
//! The pipeline follows `regex-syntax`: text -> [`Domain`] (a flat AST with spans that
//! prints back) -> [`Plan`] (typed against a schema) -> evaluation. Errors carry the byte
//! offset, line:column and a caret rendering. Nothing recurses over the input's depth:
//! parsing, printing, rewriting, checking, evaluating and dropping all use loops, and a
//! nesting limit (default 250) and a size limit (default 1 MiB) bound the input.
//!
//! # Example
//!
// Reading a dataset from JSON needs the `serde` feature.
#![cfg_attr(feature = "serde", doc = "```")]
#![cfg_attr(not(feature = "serde"), doc = "```ignore")]
//! use smskit_filter::{Dataset, Plan};
//!
//! let data: Dataset = r#"{"models": {
//!   "res.partner": {
//!     "fields": {
//!       "name": "char",
//!       "country_id": {"type": "many2one", "comodel": "res.country"},
//!       "phone_sanitized_blacklisted": "boolean"
//!     },
//!     "records": [
//!       {"id": 1, "name": "Joan", "country_id": 1},
//!       {"id": 2, "name": "Jean", "country_id": 2, "phone_sanitized_blacklisted": true},
//!       {"id": 3, "name": "John", "country_id": 2},
//!       {"id": 4, "name": "Jo"}
//!     ]
//!   },
//!   "res.country": {
//!     "fields": {"name": "char", "code": "char"},
//!     "records": [{"id": 1, "name": "Belgium", "code": "BE"}, {"id": 2, "name": "France", "code": "FR"}]
//!   }
//! }}"#.parse()?;
//!
//! let domain = smskit_filter::parse(
//!     "[('country_id.code', 'in', ['BE', 'FR']), ('phone_sanitized_blacklisted', '=', False)]",
//! )?;
//! let plan = Plan::new(data.schema(), "res.partner", &domain)?;
//! assert_eq!(plan.filter(&data), vec![1, 3]);
//!
//! // A relational field compared with a string matches the display name.
//! let plan = Plan::new(data.schema(), "res.partner", &smskit_filter::parse("[('country_id', '=', 'France')]")?)?;
//! assert_eq!(plan.filter(&data), vec![2, 3]);
//!
//! // Errors point at the problem.
//! let error = smskit_filter::parse("[('name', 'ilike', 'jo'), ('country_id', 'inn', [1])]").unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "invalid operator 'inn'\n \
//!      --> line 1, column 42 (byte 41)\n  \
//!       |\n\
//!      1 | [('name', 'ilike', 'jo'), ('country_id', 'inn', [1])]\n  \
//!       |                                          ^^^^^"
//! );
//! # Ok::<(), smskit_filter::Error>(())
//! ```
//!
//! Your own record types plug in through [`Records`] and [`Record`]; [`Dataset`] is the
//! ready in-memory implementation. Domains can also be built in code:
//! `field("country_id.name").eq("Belgium") & field("phone").is_set()` (see [`field`]).
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `serde` | yes | `Serialize`/`Deserialize` on [`Domain`] (as its text), [`Operator`], [`FieldType`], [`Schema`], [`Literal`], [`Span`]; reading a [`Dataset`] from JSON (`str::parse`, `Deserialize`) |
//!
//! # Modules of the pipeline
//!
//! | step | entry points |
//! |---|---|
//! | text -> AST | [`parse`], [`ParseOptions`], [`Domain`], [`Item`], [`Condition`], [`Value`] |
//! | AST -> text | `Display` for [`Domain`] |
//! | rewrites | [`Domain::normalize`], [`Domain::distribute_not`], [`Domain::simplify`], `&`, `\|`, `!` |
//! | builder | [`field`], [`FieldPath`] |
//! | AST -> typed plan | [`Schema`], [`Plan::new`], [`CheckOptions`] |
//! | evaluation | [`Plan::filter`], [`Plan::bind`], [`Records`], [`Record`], [`Dataset`] |
//! | plan -> SQL (PostgreSQL, SQLite) | [`Plan::to_sql`], [`Plan::to_sql_condition`], [`sql::SqlMapping`] |

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod ast;
mod builder;
mod check;
mod dates;
mod error;
mod eval;
mod lexer;
mod like;
mod memory;
mod parse;
mod plan;
mod print;
mod py;
mod schema;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod sql;
mod tree;
mod values;

/// The `chrono` version used for dates ([`CheckOptions::with_now`], [`FieldValue::Date`]).
pub use chrono;

pub use ast::{Condition, Domain, Item, Items, Literal, Operator, Seq, SeqIter, SubDomain, Value};
pub use builder::{FieldPath, field};
pub use check::CheckOptions;
pub use error::{At, Error, Location, Result, Span};
pub use eval::{Bound, Record, Records};
pub use memory::{Dataset, DatasetRecord};
pub use parse::{DEFAULT_NEST_LIMIT, DEFAULT_PATH_LIMIT, DEFAULT_SIZE_LIMIT, ParseOptions, parse};
pub use plan::Plan;
pub use schema::{Field, FieldType, Model, ModelBuilder, Schema};
pub use values::FieldValue;

impl std::str::FromStr for Domain {
    type Err = Error;

    /// Parses with the default limits (see [`parse`]).
    fn from_str(text: &str) -> Result<Self, Error> {
        parse(text)
    }
}
