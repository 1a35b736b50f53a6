//! Message templates: `{{ object.field }}` placeholders, rendered per recipient the way Odoo's
//! inline templates render them (`spec/mailing.md`, "Templates").
//!
//! A template is parsed once, checked once against the schema of the records it will be
//! rendered for (an unknown field is an error with its position when the mailing is created,
//! not a silent blank when the queue runs), then rendered for every recipient without parsing
//! again.
//!
//! ```
//! use smskit::filter::{FieldType, FieldValue, Schema};
//! use smskit::template::Template;
//!
//! let mut schema = Schema::new();
//! schema.model("res.partner").field("name", FieldType::Char).field("credit", FieldType::Float);
//!
//! let template = Template::parse("Hi {{ object.name ||| friend }}, you have {{ object.credit }} EUR")?;
//! template.check(&schema, "res.partner")?;
//!
//! let mut text = String::new();
//! template.render_into(&mut text, |path| match path {
//!     ["name"] => FieldValue::Str(""),
//!     ["credit"] => FieldValue::Float(12.5),
//!     _ => FieldValue::Null,
//! });
//! assert_eq!(text, "Hi friend, you have 12.5 EUR");
//! # Ok::<(), smskit::template::TemplateError>(())
//! ```
//!
//! # Syntax, as Odoo reads it
//!
//! - `{{ object.a.b }}` prints the field `b` of the record that `a` points to; a path through an
//!   empty relation is empty, not an error.
//! - `{{ object.a ||| text }}` prints `text` when the value is falsy: `False`, `None`, `''`, `0`,
//!   `0.0` or an empty relation (the string `'0'` prints). The default is trimmed; Odoo keeps the
//!   space before `}}`, which gives `Hi friend !` for `Hi {{ object.name ||| friend }}!`.
//! - The first `}}` closes a placeholder and the first `|||` starts its default. A newline inside
//!   the braces, an unclosed `{{`, `{{}}` and single braces stay literal text.
//! - Values print as Python's `str()` prints them: `True`, `1e-07`, `2024-03-05 14:07:09`.
//!
//! Only field paths are supported inside the braces: Odoo evaluates any Python expression there,
//! which a marketing message does not need and a template from an untrusted author must not do.

use core::fmt;
use core::fmt::Write as _;
use core::ops::Range;

use crate::filter::{FieldValue, Location, Schema, Span};

/// The longest field path a placeholder may name, in fields.
const MAX_PATH_FIELDS: usize = 32;

/// A parsed message template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text copied as it is.
    Literal(Range<usize>),
    /// A placeholder: its field path (byte ranges of each name) and its default text.
    Field {
        path: Vec<Range<usize>>,
        default: Range<usize>,
    },
}

/// What went wrong in a template, with the position of the placeholder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The braces hold something other than `object.field...`.
    #[error("placeholder `{placeholder}` must name a field as `object.field`\n{at}")]
    NotAFieldPath {
        /// The placeholder's text, braces included.
        placeholder: String,
        /// Where it is.
        at: Box<Location>,
    },
    /// A field the schema does not have.
    #[error("`{model}` has no field `{field}`\n{at}")]
    UnknownField {
        /// The model the field was looked up in.
        model: String,
        /// The missing field.
        field: String,
        /// Where it is.
        at: Box<Location>,
    },
    /// A path that continues after a field that is not a relation.
    #[error(
        "`{field}` of `{model}` is a {field_type} field, not a relation: nothing follows it\n{at}"
    )]
    NotARelation {
        /// The model of the field.
        model: String,
        /// The field.
        field: String,
        /// Its type.
        field_type: &'static str,
        /// Where it is.
        at: Box<Location>,
    },
    /// A path that ends on a relation: Odoo would print `res.partner(7,)`.
    #[error(
        "`{field}` of `{model}` is a relation to `{comodel}`: name one of its fields, e.g. `{field}.name`\n{at}"
    )]
    EndsOnRelation {
        /// The model of the field.
        model: String,
        /// The relational field.
        field: String,
        /// The model it points to.
        comodel: String,
        /// Where it is.
        at: Box<Location>,
    },
    /// The model is not in the schema.
    #[error("the schema has no model `{0}`")]
    UnknownModel(String),
}

impl Template {
    /// Parses `text`. Fails only on a placeholder that is not a field path; fields are checked
    /// against a schema by [`Template::check`].
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal_start = 0;
        let mut from = 0;
        while let Some(found) = find(text, from, "{{") {
            match placeholder_at(text, found) {
                Some(raw) => {
                    if literal_start < found {
                        pieces.push(Piece::Literal(literal_start..found));
                    }
                    pieces.push(field_piece(text, raw)?);
                    literal_start = raw.end;
                    from = raw.end;
                }
                // No placeholder can start anywhere else on this line either (see
                // `placeholder_at`): skipping the line keeps parsing linear.
                None => from = line_end(text, found + 2).max(found + 1),
            }
        }
        if literal_start < text.len() {
            pieces.push(Piece::Literal(literal_start..text.len()));
        }
        Ok(Template {
            text: text.to_owned(),
            pieces,
        })
    }

    /// The template's text, as parsed.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the template has no placeholder: every recipient gets the same text.
    #[must_use]
    pub fn is_static(&self) -> bool {
        self.pieces
            .iter()
            .all(|piece| matches!(piece, Piece::Literal(_)))
    }

    /// The field paths the placeholders name, in order (`["partner_id", "name"]` for
    /// `{{ object.partner_id.name }}`).
    pub fn paths(&self) -> impl Iterator<Item = Vec<&str>> + '_ {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Field { path, .. } => Some(path.iter().map(|r| &self.text[r.clone()]).collect()),
            Piece::Literal(_) => None,
        })
    }

    /// Checks every placeholder against `model` of `schema`: each name must be a field, every
    /// field but the last a relation, and the last one not a relation.
    pub fn check(&self, schema: &Schema, model: &str) -> Result<(), TemplateError> {
        let root = schema
            .get(model)
            .ok_or_else(|| TemplateError::UnknownModel(model.to_owned()))?;
        for piece in &self.pieces {
            let Piece::Field { path, .. } = piece else {
                continue;
            };
            let mut current = root;
            for (index, range) in path.iter().enumerate() {
                let name = &self.text[range.clone()];
                let at = || Box::new(Location::new(&self.text, Span::new(range.start, range.end)));
                let field = current
                    .field(name)
                    .ok_or_else(|| TemplateError::UnknownField {
                        model: current.name().to_owned(),
                        field: name.to_owned(),
                        at: at(),
                    })?;
                let last = index + 1 == path.len();
                match (field.field_type().comodel(), last) {
                    (Some(comodel), true) => {
                        return Err(TemplateError::EndsOnRelation {
                            model: current.name().to_owned(),
                            field: name.to_owned(),
                            comodel: comodel.to_owned(),
                            at: at(),
                        });
                    }
                    (Some(comodel), false) => {
                        current = schema
                            .get(comodel)
                            .ok_or_else(|| TemplateError::UnknownModel(comodel.to_owned()))?;
                    }
                    (None, false) => {
                        return Err(TemplateError::NotARelation {
                            model: current.name().to_owned(),
                            field: name.to_owned(),
                            field_type: field.field_type().name(),
                            at: at(),
                        });
                    }
                    (None, true) => {}
                }
            }
        }
        Ok(())
    }

    /// Renders the template for one recipient, appending to `out`. `value` gives the value at
    /// the end of a field path (following relations; [`FieldValue::Null`] when a relation on
    /// the way is empty).
    pub fn render_into<'v>(
        &self,
        out: &mut String,
        mut value: impl FnMut(&[&str]) -> FieldValue<'v>,
    ) {
        let mut names: Vec<&str> = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(range) => out.push_str(&self.text[range.clone()]),
                Piece::Field { path, default, .. } => {
                    names.clear();
                    names.extend(path.iter().map(|r| &self.text[r.clone()]));
                    let found = value(&names);
                    if is_falsy(&found) {
                        out.push_str(&self.text[default.clone()]);
                    } else {
                        write_python_str(out, &found);
                    }
                }
            }
        }
    }

    /// [`Template::render_into`] into a new string.
    #[must_use]
    pub fn render<'v>(&self, value: impl FnMut(&[&str]) -> FieldValue<'v>) -> String {
        let mut out = String::with_capacity(self.text.len());
        self.render_into(&mut out, value);
        out
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl core::str::FromStr for Template {
    type Err = TemplateError;

    fn from_str(text: &str) -> Result<Self, TemplateError> {
        Template::parse(text)
    }
}

/// A placeholder found in the text: the byte ranges of the whole match, its expression and its
/// default (empty when it has none).
#[derive(Debug, Clone, Copy)]
struct RawPlaceholder {
    start: usize,
    end: usize,
    expression: (usize, usize),
    default: (usize, usize),
}

/// The placeholder starting with the `{{` at `open`, if Odoo's pattern
/// `\{\{(.+?)(\|\|\|\s*(.*?))?\}\}` matches there.
///
/// The expression is at least one character and never crosses a newline, so the match ends at
/// the first `}}` after `open + 3` on the same line, or earlier at a `|||` before it (whose
/// default then runs to that `}}`). One more case: a `|||` followed by whitespace only up to
/// the end of the line, whose `\s*` crosses the newline, with the default and `}}` on a later
/// line. When this finds nothing, no `{{` later on the same line can match either: every
/// candidate it could use is one this one could use too.
fn placeholder_at(text: &str, open: usize) -> Option<RawPlaceholder> {
    let body = open + 2;
    let first = next_char_end(text, body)?;
    if text[body..first].contains('\n') {
        return None;
    }
    let eol = line_end(text, first);
    let close = find(text, first, "}}").filter(|&close| close < eol);
    let bar = find(text, first, "|||").filter(|&bar| bar < close.unwrap_or(eol));
    match (bar, close) {
        (Some(bar), Some(close)) => {
            let default_start = skip_whitespace(text, bar + 3);
            Some(RawPlaceholder {
                start: open,
                end: close + 2,
                expression: (body, bar),
                default: (default_start.min(close), close),
            })
        }
        (None, Some(close)) => Some(RawPlaceholder {
            start: open,
            end: close + 2,
            expression: (body, close),
            default: (close, close),
        }),
        (Some(_), None) => {
            // Only a `|||` whose trailing whitespace reaches the newline can still match; the
            // last one on the line is the only candidate.
            let bar = rfind_before(text, first, eol, "|||")?;
            let default_start = skip_whitespace(text, bar + 3);
            if default_start <= eol {
                return None;
            }
            let close = find(text, default_start, "}}")?;
            if close > line_end(text, default_start) {
                return None;
            }
            Some(RawPlaceholder {
                start: open,
                end: close + 2,
                expression: (body, bar),
                default: (default_start, close),
            })
        }
        (None, None) => None,
    }
}

/// Turns a raw placeholder into a field piece: the expression must be `object.a.b...`.
fn field_piece(text: &str, raw: RawPlaceholder) -> Result<Piece, TemplateError> {
    let expression = &text[raw.expression.0..raw.expression.1];
    let leading = expression.len() - expression.trim_start_matches(is_python_space).len();
    let trimmed = expression.trim_matches(is_python_space);
    let base = raw.expression.0 + leading;
    let invalid = || TemplateError::NotAFieldPath {
        placeholder: text[raw.start..raw.end].to_owned(),
        at: Box::new(Location::new(
            text,
            Span::new(base, base + trimmed.len().max(1)),
        )),
    };
    let mut names = trimmed.split('.');
    if names.next() != Some("object") {
        return Err(invalid());
    }
    let mut path = Vec::new();
    let mut offset = base + "object".len() + 1;
    for name in names {
        let valid = name
            .bytes()
            .next()
            .is_some_and(|first| first.is_ascii_alphabetic() || first == b'_')
            && name
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
        if !valid || path.len() == MAX_PATH_FIELDS {
            return Err(invalid());
        }
        path.push(offset..offset + name.len());
        offset += name.len() + 1;
    }
    if path.is_empty() {
        return Err(invalid());
    }
    let default = &text[raw.default.0..raw.default.1];
    let default_end = raw.default.0 + default.trim_end_matches(is_python_space).len();
    Ok(Piece::Field {
        path,
        default: raw.default.0..default_end,
    })
}

fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    text.get(from..)?.find(needle).map(|index| from + index)
}

fn rfind_before(text: &str, from: usize, to: usize, needle: &str) -> Option<usize> {
    text.get(from..to)?.rfind(needle).map(|index| from + index)
}

/// The byte offset of the newline ending the line that contains `from` (or the text's end).
fn line_end(text: &str, from: usize) -> usize {
    find(text, from, "\n").unwrap_or(text.len())
}

/// The end of the character starting at `at`, when there is one.
fn next_char_end(text: &str, at: usize) -> Option<usize> {
    text.get(at..)?.chars().next().map(|c| at + c.len_utf8())
}

/// The first byte at or after `from` that is not Python `\s` whitespace.
fn skip_whitespace(text: &str, from: usize) -> usize {
    text.get(from..).map_or(text.len(), |rest| {
        from + (rest.len() - rest.trim_start_matches(is_python_space).len())
    })
}

/// Python's `str.isspace`, which `\s` and `str.strip` use: Unicode `White_Space` plus the
/// information separators U+001C to U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python truthiness of a value as a template reads it.
fn is_falsy(value: &FieldValue<'_>) -> bool {
    match *value {
        FieldValue::Null | FieldValue::Bool(false) | FieldValue::Int(0) | FieldValue::Id(0) => true,
        FieldValue::Float(number) => number == 0.0,
        FieldValue::Str(text) => text.is_empty(),
        FieldValue::Ids(ids) => ids.is_empty(),
        _ => false,
    }
}

impl Template {
    /// The text of each literal piece, in order (the pieces between placeholders).
    pub(crate) fn literals(&self) -> impl Iterator<Item = &str> + '_ {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Literal(range) => Some(&self.text[range.clone()]),
            Piece::Field { .. } => None,
        })
    }

    /// Renders like [`Template::render_into`], but writes the literal piece number `i` with
    /// `literal(i, out)`. Returns whether a placeholder wrote `:` or `/`, the characters
    /// without which its text cannot be or extend a URL.
    pub(crate) fn render_with_literals<'v>(
        &self,
        out: &mut String,
        mut value: impl FnMut(&[&str]) -> FieldValue<'v>,
        mut literal: impl FnMut(usize, &mut String),
    ) -> bool {
        let mut names: Vec<&str> = Vec::new();
        let mut literals = 0;
        let mut url_characters = false;
        for piece in &self.pieces {
            match piece {
                Piece::Literal(_) => {
                    literal(literals, out);
                    literals += 1;
                }
                Piece::Field { path, default } => {
                    names.clear();
                    names.extend(path.iter().map(|r| &self.text[r.clone()]));
                    let found = value(&names);
                    let start = out.len();
                    if is_falsy(&found) {
                        out.push_str(&self.text[default.clone()]);
                    } else {
                        write_python_str(out, &found);
                    }
                    url_characters |= out.as_bytes()[start..]
                        .iter()
                        .any(|&b| b == b':' || b == b'/');
                }
            }
        }
        url_characters
    }

    /// `value` as a placeholder renders it when it is not falsy (Python's `str()`), or the
    /// empty text when it is falsy.
    pub(crate) fn render_value(value: &FieldValue<'_>) -> String {
        let mut out = String::new();
        if !is_falsy(value) {
            write_python_str(&mut out, value);
        }
        out
    }
}

/// Writes `value` as Python's `str()` would.
fn write_python_str(out: &mut String, value: &FieldValue<'_>) {
    match *value {
        FieldValue::Null => out.push_str("None"),
        FieldValue::Bool(true) => out.push_str("True"),
        FieldValue::Bool(false) => out.push_str("False"),
        FieldValue::Int(number) | FieldValue::Id(number) => push_display(out, number),
        FieldValue::Float(number) => write_python_float(out, number),
        FieldValue::Str(text) => out.push_str(text),
        FieldValue::Date(date) => push_display(out, date.format("%Y-%m-%d")),
        FieldValue::DateTime(moment) => {
            push_display(out, moment.format("%Y-%m-%d %H:%M:%S"));
            let micros = moment.and_utc().timestamp_subsec_micros();
            if micros != 0 {
                push_display(out, format_args!(".{micros:06}"));
            }
        }
        FieldValue::Ids(ids) => {
            for (index, id) in ids.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                push_display(out, id);
            }
        }
        _ => {}
    }
}

fn push_display(out: &mut String, value: impl fmt::Display) {
    // Writing into a String cannot fail.
    let _ = write!(out, "{value}");
}

/// Writes `number` as Python's `repr(float)` (and so `str(float)`): the shortest digits that
/// read back to the same float, in positional notation for exponents -4 to 15 and scientific
/// notation with a signed two-digit exponent otherwise (`1e-07`, `1.5e+16`).
fn write_python_float(out: &mut String, number: f64) {
    if number.is_nan() {
        out.push_str("nan");
        return;
    }
    if number.is_infinite() {
        out.push_str(if number > 0.0 { "inf" } else { "-inf" });
        return;
    }
    // Rust's `{:e}` prints the same shortest round-trip digits as Python's repr.
    let scientific = format!("{number:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    out.push_str(sign);
    if (-4..16).contains(&exponent) {
        let point = exponent + 1; // digits before the decimal point
        if point <= 0 {
            out.push_str("0.");
            out.extend(core::iter::repeat_n('0', point.unsigned_abs() as usize));
            out.push_str(&digits);
        } else {
            let point = point as usize;
            if digits.len() <= point {
                out.push_str(&digits);
                out.extend(core::iter::repeat_n('0', point - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        push_display(out, format_args!("e{sign}{:02}", exponent.unsigned_abs()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::FieldType;
    use crate::filter::chrono::{NaiveDate, NaiveDateTime};

    fn python(number: f64) -> String {
        let mut out = String::new();
        write_python_float(&mut out, number);
        out
    }

    #[test]
    fn floats_print_like_python_repr() {
        for (number, expected) in [
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (0.00012345, "0.00012345"),
            (1.5, "1.5"),
            (12.5, "12.5"),
            (1.0, "1.0"),
            (100.0, "100.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789.125, "123456789.125"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-2.5, "-2.5"),
            (-1e-10, "-1e-10"),
            (1e100, "1e+100"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(python(number), expected, "{number:e}");
        }
    }

    fn render(template: &str, values: &[(&str, FieldValue<'static>)]) -> String {
        Template::parse(template).unwrap().render(|path| {
            let key = path.join(".");
            values
                .iter()
                .find(|(name, _)| *name == key)
                .map_or(FieldValue::Null, |(_, value)| *value)
        })
    }

    #[test]
    fn falsy_values_render_the_default() {
        for value in [
            FieldValue::Null,
            FieldValue::Bool(false),
            FieldValue::Int(0),
            FieldValue::Float(0.0),
            FieldValue::Str(""),
            FieldValue::Ids(&[]),
        ] {
            assert_eq!(render("a{{ object.x ||| d }}b", &[("x", value)]), "adb");
            assert_eq!(render("a{{ object.x }}b", &[("x", value)]), "ab");
        }
        assert_eq!(
            render("{{ object.x ||| d }}", &[("x", FieldValue::Str("0"))]),
            "0"
        );
    }

    #[test]
    fn values_print_like_python_str() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let moment: NaiveDateTime = date.and_hms_opt(14, 7, 9).unwrap();
        let precise = date.and_hms_micro_opt(14, 7, 9, 500).unwrap();
        for (value, expected) in [
            (FieldValue::Bool(true), "True"),
            (FieldValue::Int(-3), "-3"),
            (FieldValue::Float(1e-7), "1e-07"),
            (FieldValue::Date(date), "2024-03-05"),
            (FieldValue::DateTime(moment), "2024-03-05 14:07:09"),
            (FieldValue::DateTime(precise), "2024-03-05 14:07:09.000500"),
            (FieldValue::Str("Jo"), "Jo"),
        ] {
            assert_eq!(render("{{ object.x }}", &[("x", value)]), expected);
        }
    }

    #[test]
    fn the_default_is_trimmed() {
        assert_eq!(
            render("Hi {{ object.name ||| friend }}!", &[]),
            "Hi friend!"
        );
        assert_eq!(render("{{object.name|||  a b  }}", &[]), "a b");
    }

    #[test]
    fn literal_braces_stay_text() {
        for text in [
            "{{}}",
            "{{ object.name",
            "{{ object.\nname }}",
            "{ object.name }",
            "a } b { c",
            "{{\n}}",
            "",
        ] {
            let template = Template::parse(text).unwrap();
            assert!(template.is_static(), "{text:?}");
            assert_eq!(template.render(|_| FieldValue::Null), text);
        }
    }

    #[test]
    fn the_first_close_and_the_first_bars_win() {
        assert_eq!(
            render("{{ object.a ||| x }} }}", &[]),
            "x }}",
            "the first }} closes"
        );
        assert_eq!(render("{{ object.a ||| x ||| y }}", &[]), "x ||| y");
        // `{{{ object.a }}`: Odoo's pattern matches at the first `{{`, whose expression is
        // `{ object.a`, not a field path.
        assert!(Template::parse("{{{ object.a }}").is_err());
        assert_eq!(render("{ {{ object.a ||| x }}", &[]), "{ x");
    }

    #[test]
    fn bars_with_only_whitespace_to_the_end_of_the_line_reach_the_next_line() {
        assert_eq!(render("{{ object.a |||\n  x }} y", &[]), "x y");
        let template = Template::parse("{{ object.a ||| x\n }}").unwrap();
        assert!(template.is_static());
    }

    #[test]
    fn only_field_paths_are_accepted() {
        for text in [
            "{{ 1 + 1 }}",
            "{{ object }}",
            "{{ object. }}",
            "{{ object..name }}",
            "{{ user.name }}",
            "{{ object.name() }}",
            "{{ object.1st }}",
            "{{ ||| x }}",
        ] {
            let error = Template::parse(text).unwrap_err();
            assert!(
                matches!(error, TemplateError::NotAFieldPath { .. }),
                "{text}: {error}"
            );
        }
        let deep = format!("{{{{ object{} }}}}", ".a".repeat(MAX_PATH_FIELDS + 1));
        assert!(Template::parse(&deep).is_err());
        let error = Template::parse("Hi\n  {{ partner.name }}").unwrap_err();
        assert!(
            error.to_string().contains("line 2, column 6 (byte 8)"),
            "{error}"
        );
    }

    fn schema() -> Schema {
        let mut schema = Schema::new();
        schema
            .model("res.partner")
            .field("name", FieldType::Char)
            .field("age", FieldType::Integer)
            .field("country_id", FieldType::many2one("res.country"));
        schema.model("res.country").field("name", FieldType::Char);
        schema
    }

    #[test]
    fn fields_are_checked_against_the_schema() {
        let schema = schema();
        let ok = Template::parse("{{ object.name }} {{ object.country_id.name }}").unwrap();
        ok.check(&schema, "res.partner").unwrap();
        let paths: Vec<Vec<&str>> = ok.paths().collect();
        assert_eq!(paths, [vec!["name"], vec!["country_id", "name"]]);

        let error = Template::parse("Hi {{ object.nmae }}")
            .unwrap()
            .check(&schema, "res.partner")
            .unwrap_err();
        assert!(matches!(error, TemplateError::UnknownField { .. }));
        assert!(error.to_string().contains("column 14 (byte 13)"), "{error}");

        let error = Template::parse("{{ object.country_id }}")
            .unwrap()
            .check(&schema, "res.partner")
            .unwrap_err();
        assert!(
            matches!(error, TemplateError::EndsOnRelation { .. }),
            "{error}"
        );
        let error = Template::parse("{{ object.age.name }}")
            .unwrap()
            .check(&schema, "res.partner")
            .unwrap_err();
        assert!(
            matches!(error, TemplateError::NotARelation { .. }),
            "{error}"
        );
        let error = Template::parse("{{ object.country_id.code }}")
            .unwrap()
            .check(&schema, "res.partner")
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`res.country` has no field `code`")
        );
        assert!(matches!(
            ok.check(&schema, "res.users"),
            Err(TemplateError::UnknownModel(_))
        ));
    }

    #[test]
    fn parsing_is_linear_on_hostile_braces() {
        // Each failed `{{` skips its line, so a long line of `{` parses in one pass.
        let text = "{".repeat(200_000);
        assert!(Template::parse(&text).unwrap().is_static());
        let text = "{{ object.a ||| ".repeat(50_000);
        assert!(Template::parse(&text).unwrap().is_static());
    }
}
