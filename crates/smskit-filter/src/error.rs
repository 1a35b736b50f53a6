//! The crate's error type, with positions and a caret rendering of the offending line.

use std::fmt;

use crate::ast::Operator;

/// A byte range `start..end` in the domain text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// Longest excerpt of the offending line shown under an error, in characters.
const EXCERPT_CHARS: usize = 100;
/// Characters kept before the error position when the line is longer than the excerpt.
const EXCERPT_BEFORE: usize = 40;

/// Where a problem was found in the domain text: byte offset, line and column, and the
/// offending line for the caret rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    offset: usize,
    len: usize,
    line: usize,
    column: usize,
    excerpt: String,
    excerpt_column: usize,
    caret_width: usize,
}

impl Location {
    /// Locates `span` in `source`. Offsets past the end or inside a character are clamped.
    #[must_use]
    pub fn new(source: &str, span: Span) -> Self {
        let mut offset = span.start.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let mut end = span.end.clamp(offset, source.len());
        while !source.is_char_boundary(end) {
            end += 1;
        }
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let rest = &source[line_start..];
        let line_end = line_start + rest.find('\n').unwrap_or(rest.len());
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let column = source[line_start..offset].chars().count() + 1;

        // The excerpt: the whole line when short, else a window around the position.
        let line_chars = line_text.chars().count();
        let (skip, take) = if line_chars <= EXCERPT_CHARS {
            (0, line_chars)
        } else {
            let skip = (column - 1).saturating_sub(EXCERPT_BEFORE);
            (skip, EXCERPT_CHARS)
        };
        let mut excerpt = String::new();
        if skip > 0 {
            excerpt.push_str("...");
        }
        for c in line_text.chars().skip(skip).take(take) {
            // Control characters (tabs included) would shift or garble the caret line.
            excerpt.push(if c.is_control() { ' ' } else { c });
        }
        let truncated_end = skip + take < line_chars;
        if truncated_end {
            excerpt.push_str("...");
        }
        let excerpt_column = (column - 1 - skip) + if skip > 0 { 3 } else { 0 };
        let span_in_line = source[offset..end.min(line_start + line_text.len()).max(offset)]
            .chars()
            .count();
        let room = excerpt
            .chars()
            .count()
            .saturating_sub(excerpt_column)
            .max(1);
        let caret_width = span_in_line.clamp(1, room);
        Self {
            offset,
            len: end - offset,
            line,
            column,
            excerpt,
            excerpt_column,
            caret_width,
        }
    }

    /// Byte offset of the problem in the domain text.
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Length in bytes of the offending text (0 at the end of the input).
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the offending text is empty (an error at the end of the input).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The byte range of the offending text.
    #[must_use]
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + self.len)
    }

    /// 1-based line number.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column, counted in characters.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(
            f,
            "{gutter}--> line {}, column {} (byte {})",
            self.line, self.column, self.offset
        )?;
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {}", self.excerpt)?;
        write!(
            f,
            "{gutter} | {}{}",
            " ".repeat(self.excerpt_column),
            "^".repeat(self.caret_width)
        )
    }
}

/// The optional position attached to an error: present when the domain came from text,
/// absent for domains built in code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct At(Option<Box<Location>>);

impl At {
    /// No known position.
    #[must_use]
    pub const fn unknown() -> Self {
        Self(None)
    }

    /// The position of `span` in `source`, or unknown without a source.
    #[must_use]
    pub fn new(source: Option<&str>, span: Span) -> Self {
        Self(source.map(|s| Box::new(Location::new(s, span))))
    }

    /// The location, when known.
    #[must_use]
    pub fn location(&self) -> Option<&Location> {
        self.0.as_deref()
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(location) => write!(f, "\n{location}"),
            None => Ok(()),
        }
    }
}

/// Everything that can go wrong when parsing, checking or loading data.
///
/// Every variant that concerns the domain text carries an [`At`] with the byte offset,
/// line:column and a caret rendering (shown by `Display`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not a valid Python or JSON literal at this point.
    #[error("syntax error: expected {expected}, found {found}{at}")]
    Syntax {
        /// What the parser expected.
        expected: String,
        /// What it found.
        found: String,
        /// Where.
        at: At,
    },
    /// A string literal has no closing quote.
    #[error("unterminated string literal{at}")]
    UnterminatedString {
        /// Where the string starts.
        at: At,
    },
    /// A backslash escape in a string literal is invalid.
    #[error("invalid escape sequence {escape}: {reason}{at}")]
    InvalidEscape {
        /// The escape as written.
        escape: String,
        /// Why it is invalid.
        reason: String,
        /// Where.
        at: At,
    },
    /// A number literal is invalid or out of range.
    #[error("invalid number {text}: {reason}{at}")]
    InvalidNumber {
        /// The number as written.
        text: String,
        /// Why it is invalid.
        reason: String,
        /// Where.
        at: At,
    },
    /// The top level is not a list (or tuple) of domain items.
    #[error("a domain must be a list of conditions, found {found}{at}")]
    NotAList {
        /// A short rendering of what was found.
        found: String,
        /// Where.
        at: At,
    },
    /// An operator has too few operands (`['&', A]`).
    #[error("malformed domain: {operator:?} expects {expected} operand(s) but has {found}{at}")]
    MalformedDomain {
        /// The operator missing operands (`&`, `|` or `!`).
        operator: String,
        /// How many operands it takes.
        expected: usize,
        /// How many it has.
        found: usize,
        /// Where the operator is.
        at: At,
    },
    /// An item is neither `'&'`, `'|'`, `'!'` nor a `(field, operator, value)` condition.
    #[error(
        "invalid item in domain: {item} (expected '&', '|', '!' or a (field, operator, value) condition){at}"
    )]
    InvalidItem {
        /// A short rendering of the item.
        item: String,
        /// Where.
        at: At,
    },
    /// A condition has an empty field name (or an empty segment in a dotted path).
    /// Like Odoo, this is found when the domain is used (checked against a schema), so
    /// that every domain, even one built in code, prints and parses.
    #[error("empty field name in condition {condition}{at}")]
    EmptyFieldName {
        /// The path as written.
        condition: String,
        /// Where.
        at: At,
    },
    /// The operator of a condition is not one of the domain operators.
    #[error("invalid operator {operator}{at}")]
    InvalidOperator {
        /// The operator as written.
        operator: String,
        /// Where.
        at: At,
    },
    /// The value of `any` / `not any` is not a domain.
    #[error("the value of '{operator}' must be a domain (a list of conditions), found {found}{at}")]
    InvalidSubdomain {
        /// `any` or `not any`.
        operator: Operator,
        /// A short rendering of the value.
        found: String,
        /// Where.
        at: At,
    },
    /// Brackets are nested deeper than the configured limit.
    #[error("nesting limit of {limit} exceeded{at}")]
    NestingLimit {
        /// The configured limit.
        limit: u32,
        /// Where the limit was crossed.
        at: At,
    },
    /// A dotted field path has more fields than the configured limit.
    #[error("field path of {fields} fields exceeds the limit of {limit}{at}")]
    PathLimit {
        /// The fields in the path.
        fields: usize,
        /// The configured limit.
        limit: u32,
        /// The path.
        at: At,
    },
    /// The domain text is larger than the configured limit.
    #[error("domain text of {size} bytes exceeds the size limit of {limit} bytes")]
    SizeLimit {
        /// The configured limit in bytes.
        limit: usize,
        /// The size of the text in bytes.
        size: usize,
    },
    /// A model is not in the schema.
    #[error("unknown model {model:?}{at}")]
    UnknownModel {
        /// The model name.
        model: String,
        /// Where it was needed.
        at: At,
    },
    /// A field is not defined on its model.
    #[error("invalid field {model}.{field}{at}")]
    UnknownField {
        /// The model searched.
        model: String,
        /// The missing field.
        field: String,
        /// Where.
        at: At,
    },
    /// A relational operator or path is used on a non-relational field.
    #[error("cannot use {operator:?} with non-relational field {model}.{field}{at}")]
    NotRelational {
        /// The model.
        model: String,
        /// The field.
        field: String,
        /// The operator (or `.` for a dotted path).
        operator: String,
        /// Where.
        at: At,
    },
    /// The pattern of `=like` / `=ilike` is not a string.
    #[error("the pattern to match with '{operator}' must be a string, found {found}{at}")]
    PatternNotString {
        /// The operator.
        operator: Operator,
        /// A short rendering of the value.
        found: String,
        /// Where.
        at: At,
    },
    /// An inequality compares a relational field with a string.
    #[error(
        "inequality '{operator}' not supported for relational field {model}.{field} compared with a string{at}"
    )]
    RelationalInequality {
        /// The model.
        model: String,
        /// The relational field.
        field: String,
        /// The inequality.
        operator: Operator,
        /// Where.
        at: At,
    },
    /// A date or datetime field is compared with a string that is not a date.
    #[error("invalid date {value:?} for {model}.{field}: {reason}{at}")]
    InvalidDate {
        /// The model.
        model: String,
        /// The date field.
        field: String,
        /// The value as given.
        value: String,
        /// Why it is not a date.
        reason: String,
        /// Where.
        at: At,
    },
    /// A value cannot be compared with a field of this type using this operator.
    #[error("cannot use '{operator}' on {model}.{field} ({field_type}) with {value}: {reason}{at}")]
    TypeMismatch {
        /// The model.
        model: String,
        /// The field.
        field: String,
        /// The field's type name.
        field_type: &'static str,
        /// The operator.
        operator: Operator,
        /// A short rendering of the value.
        value: String,
        /// Why the combination is rejected.
        reason: &'static str,
        /// Where.
        at: At,
    },
    /// `child_of` / `parent_of` needs a parent field that the model lacks.
    #[error("'{operator}' on {model}.{field} needs the parent field {parent:?} on {comodel}{at}")]
    MissingParentField {
        /// The model.
        model: String,
        /// The field of the condition.
        field: String,
        /// The operator.
        operator: Operator,
        /// The model whose hierarchy is followed.
        comodel: String,
        /// The parent field looked for.
        parent: String,
        /// Where.
        at: At,
    },
    /// A dataset (in-memory records) is invalid.
    #[error("invalid dataset: {reason}")]
    InvalidDataset {
        /// What is wrong, naming the model, record and field.
        reason: String,
    },
    /// Translating a plan to SQL ([`Plan::to_sql`](crate::Plan::to_sql)): a model or field
    /// the plan reads has no place in the [`SqlMapping`](crate::sql::SqlMapping).
    #[error("no SQL mapping for {model}{}{field}", if field.is_empty() { "" } else { "." })]
    SqlUnmapped {
        /// The model.
        model: String,
        /// The field (empty when the whole model is unmapped).
        field: String,
    },
    /// Translating a plan to SQL: this part of the plan has no exact SQL equivalent for the
    /// mapping (evaluate it in memory instead).
    #[error("cannot translate {what} to SQL: {reason}")]
    SqlUnsupported {
        /// What (`model.field`, or the kind of value).
        what: String,
        /// Why.
        reason: String,
    },
    /// Translating a plan to SQL: the statement would nest deeper than databases accept
    /// (evaluate it in memory instead).
    #[error("the SQL of this domain would nest {depth} levels deep, over the limit of {limit}")]
    SqlTooDeep {
        /// The nesting the statement would have.
        depth: usize,
        /// The limit ([`sql::MAX_DEPTH`](crate::sql::MAX_DEPTH)).
        limit: usize,
    },
}

impl Error {
    /// The position of the problem in the domain text, when known.
    #[must_use]
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Syntax { at, .. }
            | Self::UnterminatedString { at }
            | Self::InvalidEscape { at, .. }
            | Self::InvalidNumber { at, .. }
            | Self::NotAList { at, .. }
            | Self::MalformedDomain { at, .. }
            | Self::InvalidItem { at, .. }
            | Self::EmptyFieldName { at, .. }
            | Self::InvalidOperator { at, .. }
            | Self::InvalidSubdomain { at, .. }
            | Self::NestingLimit { at, .. }
            | Self::PathLimit { at, .. }
            | Self::UnknownModel { at, .. }
            | Self::UnknownField { at, .. }
            | Self::NotRelational { at, .. }
            | Self::PatternNotString { at, .. }
            | Self::RelationalInequality { at, .. }
            | Self::InvalidDate { at, .. }
            | Self::TypeMismatch { at, .. }
            | Self::MissingParentField { at, .. } => at.location(),
            Self::SizeLimit { .. }
            | Self::InvalidDataset { .. }
            | Self::SqlUnmapped { .. }
            | Self::SqlUnsupported { .. }
            | Self::SqlTooDeep { .. } => None,
        }
    }

    /// Whether the error comes from checking a domain against a schema (as opposed to
    /// reading its text).
    #[must_use]
    pub fn is_schema_error(&self) -> bool {
        matches!(
            self,
            Self::UnknownModel { .. }
                | Self::UnknownField { .. }
                | Self::NotRelational { .. }
                | Self::PatternNotString { .. }
                | Self::RelationalInequality { .. }
                | Self::InvalidDate { .. }
                | Self::TypeMismatch { .. }
                | Self::MissingParentField { .. }
        )
    }

    /// Whether the error comes from translating a valid plan to SQL
    /// ([`Plan::to_sql`](crate::Plan::to_sql)): the plan can still be evaluated in memory.
    #[must_use]
    pub fn is_sql_error(&self) -> bool {
        matches!(
            self,
            Self::SqlUnmapped { .. } | Self::SqlUnsupported { .. } | Self::SqlTooDeep { .. }
        )
    }
}

/// The result of this crate's fallible operations.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_columns_in_characters() {
        let source = "[('a', '=', 1),\n ('é', 'lik', 2)]";
        let offset = source.find("'lik'").unwrap();
        let location = Location::new(source, Span::new(offset, offset + 5));
        assert_eq!(location.line(), 2);
        assert_eq!(location.column(), 8);
        assert_eq!(location.offset(), offset);
        let shown = location.to_string();
        assert!(shown.contains("2 |  ('é', 'lik', 2)]"), "{shown}");
        assert!(shown.ends_with("|        ^^^^^"), "{shown}");
    }

    #[test]
    fn location_clamps_offsets_inside_characters_and_past_the_end() {
        let source = "[('é'";
        let location = Location::new(source, Span::new(4, 99));
        assert_eq!(location.offset(), 3);
        let end = Location::new(source, Span::new(99, 99));
        assert_eq!(end.offset(), source.len());
        assert!(end.is_empty());
    }

    #[test]
    fn long_lines_are_excerpted_around_the_position() {
        let source = format!("[{}('x', 'bad', 1)]", "('a', '=', 1), ".repeat(40));
        let offset = source.find("'bad'").unwrap();
        let location = Location::new(&source, Span::new(offset, offset + 5));
        let shown = location.to_string();
        let excerpt_line = shown.lines().nth(2).unwrap();
        assert!(excerpt_line.contains("'bad'"), "{shown}");
        assert!(excerpt_line.len() < 120, "{shown}");
        let caret_line = shown.lines().nth(3).unwrap();
        let caret = caret_line.find('^').unwrap();
        assert_eq!(&excerpt_line[caret..caret + 5], "'bad'", "{shown}");
    }

    #[test]
    fn display_includes_the_caret_rendering() {
        let error = Error::InvalidOperator {
            operator: "'lik'".into(),
            at: At::new(Some("[('a', 'lik', 1)]"), Span::new(7, 12)),
        };
        let text = error.to_string();
        assert!(text.starts_with("invalid operator 'lik'\n"), "{text}");
        assert!(text.contains("--> line 1, column 8 (byte 7)"), "{text}");
        assert_eq!(error.location().map(Location::offset), Some(7));
        let bare = Error::InvalidOperator {
            operator: "'lik'".into(),
            at: At::unknown(),
        };
        assert_eq!(bare.to_string(), "invalid operator 'lik'");
    }
}
