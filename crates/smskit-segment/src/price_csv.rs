//! Reading a price table from CSV, with errors that point at the line, column and byte.

use crate::error::Error;
use crate::money::{Currency, Money};
use crate::price::PriceTable;

/// A field of a CSV line: its text (quotes removed) and where it starts.
#[derive(Debug)]
struct Field {
    text: String,
    /// Byte offset of the field in the line.
    start: usize,
}

/// Where a line sits in the whole text.
#[derive(Debug, Clone, Copy)]
struct LineAt<'t> {
    text: &'t str,
    number: usize,
    offset: usize,
}

impl LineAt<'_> {
    fn error(&self, byte_in_line: usize, message: String) -> Error {
        let byte_in_line = byte_in_line.min(self.text.len());
        let column = self
            .text
            .get(..byte_in_line)
            .map_or(byte_in_line, |before| before.chars().count())
            + 1;
        Error::PriceTableSyntax {
            line: self.number,
            column,
            offset: self.offset + byte_in_line,
            message,
        }
    }
}

/// Splits one CSV line into fields (RFC 4180 quoting: `"a, b"`, `""` for a quote).
fn fields(line: LineAt<'_>) -> Result<Vec<Field>, Error> {
    let mut fields = Vec::new();
    let mut chars = line.text.char_indices().peekable();
    loop {
        let start = chars.peek().map_or(line.text.len(), |&(index, _)| index);
        let mut text = String::new();
        // Leading blanks before a quote are allowed.
        while let Some(&(_, ' ' | '\t')) = chars.peek() {
            chars.next();
        }
        if let Some(&(quote_at, '"')) = chars.peek() {
            chars.next();
            loop {
                match chars.next() {
                    Some((_, '"')) if matches!(chars.peek(), Some(&(_, '"'))) => {
                        chars.next();
                        text.push('"');
                    }
                    Some((_, '"')) => break,
                    Some((_, ch)) => text.push(ch),
                    None => {
                        return Err(line.error(quote_at, "unterminated quoted field".to_owned()));
                    }
                }
            }
            while let Some(&(at, ch)) = chars.peek() {
                match ch {
                    ',' => break,
                    ' ' | '\t' => {
                        chars.next();
                    }
                    _ => {
                        return Err(
                            line.error(at, format!("unexpected {ch:?} after a quoted field"))
                        );
                    }
                }
            }
        } else {
            while let Some(&(_, ch)) = chars.peek() {
                if ch == ',' {
                    break;
                }
                text.push(ch);
                chars.next();
            }
        }
        fields.push(Field {
            text: text.trim().to_owned(),
            start,
        });
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}

/// Column positions of prefix, price and currency.
#[derive(Debug, Clone, Copy)]
struct Columns {
    prefix: usize,
    price: usize,
    currency: usize,
}

impl Columns {
    const POSITIONAL: Columns = Columns {
        prefix: 0,
        price: 1,
        currency: 2,
    };

    /// The columns named by a header row, or `None` when the row is data.
    fn from_header(line: LineAt<'_>, fields: &[Field]) -> Result<Option<Columns>, Error> {
        let find = |name: &str| {
            fields
                .iter()
                .position(|field| field.text.eq_ignore_ascii_case(name))
        };
        let Some(prefix) = find("prefix") else {
            return Ok(None);
        };
        let missing = |name: &str| {
            line.error(
                0,
                format!("the header has no {name:?} column (expected prefix, price, currency)"),
            )
        };
        Ok(Some(Columns {
            prefix,
            price: find("price").ok_or_else(|| missing("price"))?,
            currency: find("currency").ok_or_else(|| missing("currency"))?,
        }))
    }
}

/// Parses the CSV text of a price table.
pub(crate) fn parse(text: &str) -> Result<PriceTable, Error> {
    let mut table: Option<PriceTable> = None;
    let mut rows: Vec<RowAt> = Vec::new();
    let mut columns: Option<Columns> = None;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line = LineAt {
            text: raw.trim_end_matches(['\n', '\r']),
            number: index + 1,
            offset,
        };
        offset += raw.len();
        // A byte-order mark is not part of the first field.
        let skip_bom = if index == 0 {
            line.text.strip_prefix('\u{feff}')
        } else {
            None
        };
        let line = match skip_bom {
            Some(rest) => LineAt {
                text: rest,
                number: line.number,
                offset: line.offset + '\u{feff}'.len_utf8(),
            },
            None => line,
        };
        let content = line.text.trim();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let fields = fields(line)?;
        let layout = match columns {
            Some(layout) => layout,
            None => {
                let header = Columns::from_header(line, &fields)?;
                columns = Some(header.unwrap_or(Columns::POSITIONAL));
                if header.is_some() {
                    continue;
                }
                Columns::POSITIONAL
            }
        };
        let field = |column: usize, name: &str| {
            fields.get(column).ok_or_else(|| {
                line.error(
                    line.text.len(),
                    format!("missing the {name} column (expected prefix,price,currency)"),
                )
            })
        };
        let prefix = field(layout.prefix, "prefix")?;
        let price = field(layout.price, "price")?;
        let currency_field = field(layout.currency, "currency")?;
        let currency = Currency::new(&currency_field.text)
            .map_err(|error| line.error(currency_field.start, error.to_string()))?;
        let table = table.get_or_insert_with(|| PriceTable::new(currency));
        if currency != table.currency() {
            return Err(line.error(
                currency_field.start,
                format!(
                    "currency {currency} differs from the table's {} (one currency per table)",
                    table.currency()
                ),
            ));
        }
        let money = Money::parse(&price.text, currency)
            .map_err(|error| line.error(price.start, error.to_string()))?;
        let digits = prefix.text.strip_prefix('+').unwrap_or(&prefix.text);
        if !is_prefix(digits) {
            let error = Error::InvalidPrefix {
                prefix: prefix.text.clone(),
            };
            return Err(line.error(prefix.start, error.to_string()));
        }
        let start = table
            .push_unsorted(digits, money.micros())
            .map_err(|error| line.error(prefix.start, error.to_string()))?;
        rows.push(RowAt {
            start,
            line: u32::try_from(line.number).unwrap_or(u32::MAX),
        });
    }
    let Some(mut table) = table else {
        return Err(Error::PriceTableSyntax {
            line: 1,
            column: 1,
            offset: 0,
            message: "the price table has no rows".to_owned(),
        });
    };
    if let Some(start) = table.sort_loaded() {
        return Err(repeated_prefix(text, &rows, start, columns));
    }
    Ok(table)
}

/// Whether `digits` is a valid prefix: 1 to 15 ASCII digits.
fn is_prefix(digits: &str) -> bool {
    (1..=15).contains(&digits.len()) && digits.bytes().all(|byte| byte.is_ascii_digit())
}

/// Which line a data row came from, to point at a repeated prefix once all rows are read: 8
/// bytes a row, the rest is found again in the text for the one row reported.
#[derive(Debug, Clone, Copy)]
struct RowAt {
    /// The row's key in the table (the start of its digits), increasing with the rows.
    start: u32,
    /// 1-based line number.
    line: u32,
}

/// The error for the row whose prefix repeats an earlier row's (`start` is its key).
fn repeated_prefix(text: &str, rows: &[RowAt], start: u32, columns: Option<Columns>) -> Error {
    let fallback = || Error::PriceTableSyntax {
        line: 1,
        column: 1,
        offset: 0,
        message: "a prefix is listed twice".to_owned(),
    };
    let Some(row) = rows
        .binary_search_by_key(&start, |row| row.start)
        .ok()
        .and_then(|index| rows.get(index))
    else {
        return fallback();
    };
    let number = row.line as usize;
    let mut offset = 0;
    let Some(raw) = text
        .split_inclusive('\n')
        .enumerate()
        .find_map(|(index, raw)| {
            if index + 1 == number {
                return Some(raw);
            }
            offset += raw.len();
            None
        })
    else {
        return fallback();
    };
    // Never line 1 (so never after a byte-order mark): the reported row repeats an earlier one.
    let line = LineAt {
        text: raw.trim_end_matches(['\n', '\r']),
        number,
        offset,
    };
    let column = columns.unwrap_or(Columns::POSITIONAL).prefix;
    match fields(line)
        .ok()
        .and_then(|fields| fields.into_iter().nth(column))
    {
        Some(prefix) => line.error(
            prefix.start,
            format!("prefix {} is listed twice", prefix.text),
        ),
        None => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_error(text: &str) -> (usize, usize, usize, String) {
        match parse(text) {
            Err(Error::PriceTableSyntax {
                line,
                column,
                offset,
                message,
            }) => (line, column, offset, message),
            other => panic!("expected a syntax error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn reads_headers_in_any_order_with_extra_columns() {
        let table = parse(
            "\u{feff}country,currency,price,prefix\r\n\"Korea, Republic of\",KRW,25,82\r\n# comment\n\nBahamas, KRW , 150 ,1242\n",
        )
        .unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(
            table.price_per_part("+821012345678").unwrap().micros(),
            25_000_000
        );
    }

    #[test]
    fn quoted_fields_take_doubled_quotes_and_trailing_blanks() {
        let table =
            parse("country,prefix,price,currency\n\"Say \"\"hi\"\"\" \t,\"32\"  ,0.07,EUR\n")
                .unwrap();
        assert_eq!(table.price_per_part("+32470").unwrap().micros(), 70_000);
        // Inside a quoted field a doubled quote is one quote, not the field's end.
        let (line, column, _, message) = syntax_error("\"3\"\"2\",0.07,EUR");
        assert_eq!((line, column), (1, 1));
        assert!(message.contains(r#""3\"2""#), "{message}");
    }

    #[test]
    fn an_error_after_a_byte_order_mark_counts_its_bytes() {
        let (line, column, offset, _) = syntax_error("\u{feff}x3,0.1,EUR");
        assert_eq!((line, column, offset), (1, 1, 3));
    }

    #[test]
    fn positional_rows_without_header() {
        let table = parse("32,0.0752,EUR\n+33,0.0698,eur").unwrap();
        assert_eq!(table.currency().as_str(), "EUR");
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn errors_point_at_the_field() {
        let (line, column, offset, message) = syntax_error("32,0.0752,EUR\n33,abc,EUR\n");
        assert_eq!((line, column, offset), (2, 4, 17));
        assert!(message.contains("\"abc\""), "{message}");

        let (line, column, _, message) = syntax_error("32,0.0752,EUR\n33,0.1,USD\n");
        assert_eq!((line, column), (2, 8));
        assert!(message.contains("USD"), "{message}");

        let (line, _, _, message) = syntax_error("32,0.0752,EUR\n32,0.08,EUR\n");
        assert_eq!(line, 2);
        assert!(message.contains("twice"), "{message}");

        let (line, column, _, _) = syntax_error("x3,0.1,EUR");
        assert_eq!((line, column), (1, 1));

        let (_, _, _, message) = syntax_error("32,0.1");
        assert!(message.contains("currency"), "{message}");

        let (_, column, _, message) = syntax_error("32,\"0.1,EUR");
        assert_eq!(column, 4);
        assert!(message.contains("unterminated"), "{message}");

        let (_, _, _, message) = syntax_error("prefix,price\n32,0.1");
        assert!(message.contains("currency"), "{message}");

        let (_, _, _, message) = syntax_error("# only a comment\n");
        assert!(message.contains("no rows"), "{message}");
    }

    #[test]
    fn unsorted_rows_load_and_the_first_repeat_is_reported() {
        let table = parse("44,0.04,EUR\n1,0.01,EUR\n1242,0.15,EUR\n12,0.012,EUR\n").unwrap();
        let prefixes: Vec<&str> = table.iter().map(|(prefix, _)| prefix).collect();
        assert_eq!(prefixes, ["1", "12", "1242", "44"]);
        assert_eq!(table.longest_prefix("+12425550123").unwrap().0, "1242");
        assert_eq!(table.longest_prefix("+12025550123").unwrap().0, "12");
        assert_eq!(table.longest_prefix("+13025550123").unwrap().0, "1");

        // Rows 4 and 5 repeat rows 2 and 1: row 4 is the first repeat.
        let (line, column, offset, message) =
            syntax_error("44,1,EUR\n1,1,EUR\n33,1,EUR\r\n \"+1\",2,EUR\n44,2,EUR\n");
        assert_eq!((line, column, offset), (4, 1, 27));
        assert!(message.contains("prefix +1 is listed twice"), "{message}");

        // With a header (after a byte-order mark) naming the prefix column second.
        let (line, column, _, message) =
            syntax_error("\u{feff}price,prefix,currency\n0.1,32,EUR\n0.2,33,EUR\n0.3,32,EUR\n");
        assert_eq!((line, column), (4, 5));
        assert!(message.contains("prefix 32 is listed twice"), "{message}");
    }

    #[test]
    fn many_prefixes_take_a_few_bytes_each() {
        use core::fmt::Write as _;
        let mut csv = String::new();
        for prefix in (0..200_000u32).rev() {
            let _ = writeln!(csv, "{},0.01,EUR", 1_000_000 + prefix);
        }
        let table = parse(&csv).unwrap();
        assert_eq!(table.len(), 200_000);
        let bytes_per_prefix = table.heap_bytes() / table.len();
        assert!(
            bytes_per_prefix <= 32,
            "{bytes_per_prefix} bytes per prefix"
        );
        assert_eq!(table.longest_prefix("+1199999123").unwrap().0, "1199999");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let (_, column, offset, _) = syntax_error("\"é\",1,EUR\n");
        assert_eq!((column, offset), (1, 0));
        let (_, column, offset, _) = syntax_error("32,1,EUR\n33,1,€UR\n");
        assert_eq!((column, offset), (6, 14));
    }
}
