//! Checks of the `filter_roundtrip` target: the bytes drive the construction of a domain
//! (conditions with arbitrary paths and nested values, `&`, `|`, `!`, `any`, rewrites);
//! printing it and parsing the text gives the same domain back.

use smskit_filter::{Domain, Literal, Operator, ParseOptions};

struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn done(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn string(&mut self) -> String {
        let len = usize::from(self.byte() % 8);
        let mut out = String::new();
        for _ in 0..len {
            let b = self.byte();
            let c = match b % 4 {
                0 => char::from(b'a' + b % 26),
                1 => {
                    ['\'', '"', '\\', '%', '_', '\n', '\t', '\0', '.', ' '][usize::from(b / 4) % 10]
                }
                2 => char::from_u32(0x80 + u32::from(b) * 97).unwrap_or('é'),
                _ => char::from_u32(0x1_F600 + u32::from(b)).unwrap_or('😀'),
            };
            out.push(c);
        }
        out
    }

    fn scalar(&mut self) -> Literal {
        match self.byte() % 7 {
            0 => Literal::None,
            1 => Literal::Bool(self.byte().is_multiple_of(2)),
            2 => Literal::Int(i64::from_le_bytes([
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
            ])),
            3 => Literal::Float(f64::from_le_bytes([
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
                self.byte(),
            ])),
            4 => Literal::Int(i64::from(self.byte()) - 128),
            _ => Literal::Str(self.string()),
        }
    }

    /// A value, possibly nested lists and tuples (bounded depth, built bottom-up).
    fn value(&mut self) -> Literal {
        let depth = self.byte() % 5;
        let mut value = self.scalar();
        for _ in 0..depth {
            let extra = usize::from(self.byte() % 3);
            let mut items = vec![value];
            for _ in 0..extra {
                items.push(self.scalar());
            }
            if self.byte().is_multiple_of(3) {
                items.rotate_left(1);
            }
            value = if self.byte().is_multiple_of(2) {
                Literal::List(items)
            } else {
                Literal::Tuple(items)
            };
        }
        value
    }

    fn path(&mut self) -> String {
        let path = match self.byte() % 4 {
            0 => "name".to_owned(),
            1 => "partner_id.country_id.code".to_owned(),
            2 => "id".to_owned(),
            _ => self.string(),
        };
        if path.is_empty() {
            "x".to_owned()
        } else {
            path
        }
    }
}

pub fn check(data: &[u8]) {
    let mut bytes = Bytes { data, pos: 0 };
    let mut stack: Vec<Domain> = Vec::new();
    let mut steps = 0;
    while !bytes.done() && steps < 256 {
        steps += 1;
        match bytes.byte() % 10 {
            0..=3 => {
                let path = bytes.path();
                let op = Operator::ALL[usize::from(bytes.byte()) % Operator::ALL.len()];
                let value = bytes.value();
                // `any` with a value that is not a domain is refused by the constructor.
                if let Ok(condition) = Domain::condition(path, op, value) {
                    stack.push(condition);
                }
            }
            4 => {
                if let (Some(b), Some(a)) = (stack.pop(), stack.pop()) {
                    stack.push(a & b);
                }
            }
            5 => {
                if let (Some(b), Some(a)) = (stack.pop(), stack.pop()) {
                    stack.push(a | b);
                }
            }
            6 => {
                if let Some(a) = stack.pop() {
                    stack.push(!a);
                }
            }
            7 => {
                let sub = stack.pop().unwrap_or_default();
                let path = bytes.path();
                stack.push(Domain::any(path, bytes.byte().is_multiple_of(2), &sub));
            }
            8 => {
                if let Some(a) = stack.pop() {
                    stack.push(match bytes.byte() % 3 {
                        0 => a.normalize(),
                        1 => a.distribute_not(),
                        _ => a.simplify(),
                    });
                }
            }
            _ => stack.push(if bytes.byte().is_multiple_of(2) {
                Domain::matching_all()
            } else {
                Domain::matching_none()
            }),
        }
    }
    let domain = stack.into_iter().reduce(|a, b| a & b).unwrap_or_default();
    let text = domain.to_string();
    let parsed = ParseOptions::new()
        .with_nest_limit(u32::MAX)
        .with_size_limit(usize::MAX)
        .parse(&text)
        .unwrap_or_else(|e| panic!("printed domain does not parse: {text}\n{e}"));
    assert_eq!(parsed, domain, "print/parse changed the domain: {text}");
    assert_eq!(parsed.to_string(), text);
}
