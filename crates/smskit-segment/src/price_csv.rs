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
        let replaced = table
            .insert(&prefix.text, money)
            .map_err(|error| line.error(prefix.start, error.to_string()))?;
        if replaced.is_some() {
            return Err(line.error(
                prefix.start,
                format!("prefix {} is listed twice", prefix.text),
            ));
        }
    }
    table.ok_or(Error::PriceTableSyntax {
        line: 1,
        column: 1,
        offset: 0,
        message: "the price table has no rows".to_owned(),
    })
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
    fn columns_count_characters_not_bytes() {
        let (_, column, offset, _) = syntax_error("\"é\",1,EUR\n");
        assert_eq!((column, offset), (1, 0));
        let (_, column, offset, _) = syntax_error("32,1,EUR\n33,1,€UR\n");
        assert_eq!((column, offset), (6, 14));
    }
}
