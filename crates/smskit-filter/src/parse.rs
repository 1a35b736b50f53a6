//! Parsing domain text (Python literal or JSON) into a [`Domain`].
//!
//! Two loops, no recursion: the first reads the literal into a flat prefix-order tree
//! with an explicit stack of open brackets; the second interprets that tree as domain
//! items, with an explicit stack of open (sub-)domains.

use std::sync::Arc;

use crate::ast::{CondHead, Domain, Node, Operator};
use crate::error::{At, Error, Span};
use crate::lexer::{Lexer, Tok};

/// Default limit on bracket nesting.
pub const DEFAULT_NEST_LIMIT: u32 = 250;
/// Default limit on the size of the domain text, in bytes (1 MiB).
pub const DEFAULT_SIZE_LIMIT: usize = 1 << 20;
/// Default limit on the fields of a dotted path (`partner_id.country_id.code` has 3).
///
/// Each field after the first is a join checked and evaluated on its own, so a path of
/// thousands of fields costs as much as thousands of nested `any`; real paths have a handful.
pub const DEFAULT_PATH_LIMIT: u32 = 32;

/// Parsing options: resource limits.
///
/// ```
/// use smskit_filter::{Error, ParseOptions};
///
/// let deep = format!("{}{}", "[".repeat(20), "]".repeat(20));
/// let options = ParseOptions::new().with_nest_limit(10);
/// assert!(matches!(options.parse(&deep), Err(Error::NestingLimit { limit: 10, .. })));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParseOptions {
    nest_limit: u32,
    size_limit: usize,
    path_limit: u32,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            nest_limit: DEFAULT_NEST_LIMIT,
            size_limit: DEFAULT_SIZE_LIMIT,
            path_limit: DEFAULT_PATH_LIMIT,
        }
    }
}

impl ParseOptions {
    /// The default options: nesting limit 250, size limit 1 MiB, paths of at most 32 fields.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the maximum bracket nesting depth (lists, tuples and sub-domains).
    #[must_use]
    pub fn with_nest_limit(mut self, limit: u32) -> Self {
        self.nest_limit = limit;
        self
    }

    /// Sets the maximum number of fields in a dotted path (`a.b.c` has 3).
    ///
    /// ```
    /// use smskit_filter::{Error, ParseOptions};
    ///
    /// let options = ParseOptions::new().with_path_limit(2);
    /// assert!(options.parse("[('parent_id.name', '=', 'x')]").is_ok());
    /// let error = options.parse("[('parent_id.parent_id.name', '=', 'x')]").unwrap_err();
    /// assert!(matches!(error, Error::PathLimit { fields: 3, limit: 2, .. }));
    /// ```
    #[must_use]
    pub fn with_path_limit(mut self, limit: u32) -> Self {
        self.path_limit = limit;
        self
    }

    /// Sets the maximum size of the text in bytes (capped at 4 GiB - 1).
    #[must_use]
    pub fn with_size_limit(mut self, limit: usize) -> Self {
        self.size_limit = limit.min(u32::MAX as usize);
        self
    }

    /// Parses a domain with these options.
    ///
    /// # Errors
    ///
    /// Syntax and structure errors with their position, [`Error::NestingLimit`],
    /// [`Error::PathLimit`] and [`Error::SizeLimit`].
    pub fn parse(&self, text: &str) -> Result<Domain, Error> {
        parse_with(text, self)
    }
}

/// Parses domain text in Python-literal or JSON syntax with the default limits.
///
/// ```
/// let domain = smskit_filter::parse("[('name', 'ilike', 'jo'), ('active', '=', True)]")?;
/// assert_eq!(domain.items().count(), 2);
///
/// let error = smskit_filter::parse("[('name', 'lik', 'jo')]").unwrap_err();
/// assert_eq!(error.location().map(|l| (l.line(), l.column())), Some((1, 11)));
/// # Ok::<(), smskit_filter::Error>(())
/// ```
///
/// # Errors
///
/// See [`ParseOptions::parse`].
pub fn parse(text: &str) -> Result<Domain, Error> {
    parse_with(text, &ParseOptions::default())
}

/// Phase-one literal nodes. `Paren` marks a parenthesised single value `(x)`, which is
/// `x` itself in Python.
#[derive(Clone, Debug)]
enum Lit {
    Str(Box<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    Seq { kind: SeqKind, len: u32, size: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SeqKind {
    List,
    Tuple,
    Paren,
}

impl Lit {
    fn size(&self) -> usize {
        match self {
            Self::Seq { size, .. } => (*size as usize).max(1),
            _ => 1,
        }
    }
}

fn parse_with(text: &str, options: &ParseOptions) -> Result<Domain, Error> {
    if text.len() > options.size_limit {
        return Err(Error::SizeLimit {
            limit: options.size_limit,
            size: text.len(),
        });
    }
    // `\/` is `/` in JSON and backslash-slash in Python: decide for the whole text.
    let json_slash = text.contains("\\/") && !has_python_syntax(text);
    let (mut lits, spans) = read_literal(text, options.nest_limit, json_slash)?;
    build_domain(text, &mut lits, &spans, options.path_limit)
}

fn has_python_syntax(text: &str) -> bool {
    let mut lexer = Lexer::new(text, true);
    loop {
        match lexer.next_token() {
            Ok((Tok::Eof, _)) | Err(_) => return lexer.python_seen,
            Ok(_) if lexer.python_seen => return true,
            Ok(_) => {}
        }
    }
}

struct Open {
    header: usize,
    closer: Tok,
    len: u32,
    trailing_comma: bool,
    start: usize,
}

/// Phase one: text -> flat literal tree.
fn read_literal(
    text: &str,
    nest_limit: u32,
    json_slash: bool,
) -> Result<(Vec<Lit>, Vec<Span>), Error> {
    let at = |span: Span| At::new(Some(text), span);
    let mut lexer = Lexer::new(text, json_slash);
    let mut lits: Vec<Lit> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut lookahead: Option<(Tok, Span)> = None;
    let mut expect_value = true;
    let mut allow_close = false;
    let mut next = |lookahead: &mut Option<(Tok, Span)>| match lookahead.take() {
        Some(tok) => Ok(tok),
        None => lexer.next_token(),
    };
    loop {
        let (tok, span) = next(&mut lookahead)?;
        if expect_value {
            let value_done = match tok {
                Tok::LBrack | Tok::LParen => {
                    if stack.len() >= nest_limit as usize {
                        return Err(Error::NestingLimit {
                            limit: nest_limit,
                            at: at(span),
                        });
                    }
                    let is_list = tok == Tok::LBrack;
                    stack.push(Open {
                        header: lits.len(),
                        closer: if is_list { Tok::RBrack } else { Tok::RParen },
                        len: 0,
                        trailing_comma: false,
                        start: span.start,
                    });
                    lits.push(Lit::Seq {
                        kind: if is_list {
                            SeqKind::List
                        } else {
                            SeqKind::Tuple
                        },
                        len: 0,
                        size: 1,
                    });
                    spans.push(span);
                    allow_close = true;
                    false
                }
                Tok::RBrack | Tok::RParen if allow_close => {
                    close(&mut stack, &mut lits, &mut spans, &tok, span, text)?;
                    true
                }
                Tok::Minus | Tok::Plus => {
                    let negative = tok == Tok::Minus;
                    let (number, number_span) = next(&mut lookahead)?;
                    let full = Span::new(span.start, number_span.end);
                    let lit = match number {
                        Tok::Int(magnitude) => {
                            let value = if negative {
                                0i64.checked_sub_unsigned(magnitude)
                            } else {
                                i64::try_from(magnitude).ok()
                            };
                            match value {
                                Some(v) => Lit::Int(v),
                                None => {
                                    return Err(Error::InvalidNumber {
                                        text: text[full.start..full.end].to_owned(),
                                        reason: "integer too large (the range is that of a 64-bit integer)".into(),
                                        at: at(full),
                                    });
                                }
                            }
                        }
                        Tok::Float(f) => Lit::Float(if negative { -f } else { f }),
                        other => {
                            return Err(Error::Syntax {
                                expected: "a number after the sign".into(),
                                found: other.describe(),
                                at: at(number_span),
                            });
                        }
                    };
                    lits.push(lit);
                    spans.push(full);
                    true
                }
                Tok::Str(first) => {
                    // Adjacent string literals concatenate, as in Python.
                    let mut value = first;
                    let mut full = span;
                    loop {
                        let (tok, next_span) = next(&mut lookahead)?;
                        if let Tok::Str(more) = tok {
                            value.push_str(&more);
                            full.end = next_span.end;
                        } else {
                            lookahead = Some((tok, next_span));
                            break;
                        }
                    }
                    lits.push(Lit::Str(value.into_boxed_str()));
                    spans.push(full);
                    true
                }
                Tok::Int(magnitude) => match i64::try_from(magnitude) {
                    Ok(v) => {
                        lits.push(Lit::Int(v));
                        spans.push(span);
                        true
                    }
                    Err(_) => {
                        return Err(Error::InvalidNumber {
                            text: text[span.start..span.end].to_owned(),
                            reason: "integer too large (the range is that of a 64-bit integer)"
                                .into(),
                            at: at(span),
                        });
                    }
                },
                Tok::Float(f) => {
                    lits.push(Lit::Float(f));
                    spans.push(span);
                    true
                }
                Tok::True | Tok::False => {
                    lits.push(Lit::Bool(tok == Tok::True));
                    spans.push(span);
                    true
                }
                Tok::None => {
                    lits.push(Lit::None);
                    spans.push(span);
                    true
                }
                other => {
                    return Err(Error::Syntax {
                        expected: if stack.is_empty() && lits.is_empty() {
                            "a domain (a list of conditions)".into()
                        } else {
                            "a value".into()
                        },
                        found: other.describe(),
                        at: at(span),
                    });
                }
            };
            if value_done {
                if let Some(top) = stack.last_mut() {
                    top.len += 1;
                    top.trailing_comma = false;
                }
                expect_value = false;
            }
        } else {
            match tok {
                Tok::Comma if !stack.is_empty() => {
                    if let Some(top) = stack.last_mut() {
                        top.trailing_comma = true;
                    }
                    expect_value = true;
                    allow_close = true;
                }
                Tok::RBrack | Tok::RParen if !stack.is_empty() => {
                    close(&mut stack, &mut lits, &mut spans, &tok, span, text)?;
                    if let Some(top) = stack.last_mut() {
                        top.len += 1;
                        top.trailing_comma = false;
                    }
                }
                Tok::Eof if stack.is_empty() => break,
                other => {
                    let expected = match stack.last() {
                        Some(open) if open.closer == Tok::RBrack => "',' or ']'",
                        Some(_) => "',' or ')'",
                        None => "end of input",
                    };
                    return Err(Error::Syntax {
                        expected: expected.into(),
                        found: other.describe(),
                        at: at(span),
                    });
                }
            }
        }
    }
    Ok((lits, spans))
}

fn close(
    stack: &mut Vec<Open>,
    lits: &mut [Lit],
    spans: &mut [Span],
    tok: &Tok,
    span: Span,
    text: &str,
) -> Result<(), Error> {
    let Some(open) = stack.pop() else {
        return Err(Error::Syntax {
            expected: "end of input".into(),
            found: tok.describe(),
            at: At::new(Some(text), span),
        });
    };
    if *tok != open.closer {
        return Err(Error::Syntax {
            expected: if open.closer == Tok::RBrack {
                "',' or ']'".into()
            } else {
                "',' or ')'".into()
            },
            found: tok.describe(),
            at: At::new(Some(text), span),
        });
    }
    let size = u32::try_from(lits.len() - open.header).unwrap_or(u32::MAX);
    if let Some(Lit::Seq { kind, len, size: s }) = lits.get_mut(open.header) {
        if *kind == SeqKind::Tuple && open.len == 1 && !open.trailing_comma {
            *kind = SeqKind::Paren;
        }
        *len = open.len;
        *s = size;
    }
    if let Some(s) = spans.get_mut(open.header) {
        *s = Span::new(open.start, span.end);
    }
    Ok(())
}

/// Skips `(x)` wrappers.
fn resolve(lits: &[Lit], mut index: usize) -> usize {
    while let Some(Lit::Seq {
        kind: SeqKind::Paren,
        ..
    }) = lits.get(index)
    {
        index += 1;
    }
    index
}

/// A short rendering of a literal for error messages.
fn describe(lits: &[Lit], index: usize, text: &str, spans: &[Span]) -> String {
    let span = spans.get(index).copied().unwrap_or_default();
    let raw = text.get(span.start..span.end).unwrap_or("");
    let mut out: String = raw.chars().take(40).collect();
    if raw.chars().nth(40).is_some() {
        out.push_str("...");
    }
    if out.is_empty() {
        out = match lits.get(index) {
            Some(Lit::Str(s)) => format!("{s:?}"),
            _ => "a value".into(),
        };
    }
    out
}

struct Pending {
    op: &'static str,
    expected: usize,
    found: usize,
    span: Span,
}

struct Frame {
    cur: usize,
    end: usize,
    pending: Vec<Pending>,
    /// Output indexes of the `any` condition and its `Sub` node, patched on close.
    patch: Option<(usize, usize)>,
}

/// Phase two: literal tree -> domain nodes.
fn build_domain(
    text: &str,
    lits: &mut [Lit],
    lspans: &[Span],
    path_limit: u32,
) -> Result<Domain, Error> {
    let at = |index: usize| At::new(Some(text), lspans.get(index).copied().unwrap_or_default());
    let mut nodes: Vec<Node> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let root = resolve(lits, 0);
    match lits.get(root) {
        Some(Lit::Seq {
            kind: SeqKind::List | SeqKind::Tuple,
            ..
        }) => {}
        _ => {
            return Err(Error::NotAList {
                found: describe(lits, root, text, lspans),
                at: at(root),
            });
        }
    }
    let mut frames = vec![Frame {
        cur: root + 1,
        end: root + lits[root].size(),
        pending: Vec::new(),
        patch: None,
    }];
    while let Some(frame) = frames.last_mut() {
        if frame.cur >= frame.end {
            if let Some(p) = frame.pending.last() {
                return Err(Error::MalformedDomain {
                    operator: p.op.to_owned(),
                    expected: p.expected,
                    found: p.found,
                    at: At::new(Some(text), p.span),
                });
            }
            if let Some((cond, sub)) = frame.patch {
                let len = nodes.len();
                nodes[sub].set_size(len - sub);
                nodes[cond].set_size(len - cond);
            }
            frames.pop();
            continue;
        }
        let raw = frame.cur;
        frame.cur = raw + lits[raw].size();
        let item = resolve(lits, raw);
        match &lits[item] {
            Lit::Str(s) if matches!(&**s, "&" | "|" | "!") => {
                let (node, op, expected) = match &**s {
                    "&" => (Node::And, "&", 2),
                    "|" => (Node::Or, "|", 2),
                    _ => (Node::Not, "!", 1),
                };
                nodes.push(node);
                spans.push(lspans[item]);
                frame.pending.push(Pending {
                    op,
                    expected,
                    found: 0,
                    span: lspans[item],
                });
            }
            Lit::Seq {
                kind: SeqKind::List | SeqKind::Tuple,
                len: 3,
                ..
            } => {
                let e0_raw = item + 1;
                let e1_raw = e0_raw + lits[e0_raw].size();
                let e2_raw = e1_raw + lits[e1_raw].size();
                let (e0, e1, e2) = (
                    resolve(lits, e0_raw),
                    resolve(lits, e1_raw),
                    resolve(lits, e2_raw),
                );
                let Lit::Str(path) = &mut lits[e0] else {
                    // (1, '=', 1) and (0, '=', 1) are the TRUE and FALSE leaves.
                    let leaf = match (&lits[e0], &lits[e1], &lits[e2]) {
                        (a, Lit::Str(op), b) if &**op == "=" && num_eq(b, 1.0) => {
                            if num_eq(a, 1.0) {
                                Some(Node::True)
                            } else if num_eq(a, 0.0) {
                                Some(Node::False)
                            } else {
                                None
                            }
                        }
                        _ => None,
                    };
                    let Some(leaf) = leaf else {
                        return Err(Error::InvalidItem {
                            item: describe(lits, item, text, lspans),
                            at: at(item),
                        });
                    };
                    nodes.push(leaf);
                    spans.push(lspans[item]);
                    complete_term(&mut frame.pending);
                    continue;
                };
                // An empty field name is reported when the domain is checked (as Odoo
                // does when it uses the domain), so that every domain prints and parses.
                let fields = path.bytes().filter(|&byte| byte == b'.').count() + 1;
                if fields > path_limit as usize {
                    return Err(Error::PathLimit {
                        fields,
                        limit: path_limit,
                        at: at(e0),
                    });
                }
                let path = std::mem::take(path);
                let op = match &lits[e1] {
                    Lit::Str(op) => Operator::from_text(op),
                    _ => None,
                };
                let Some(op) = op else {
                    return Err(Error::InvalidOperator {
                        operator: describe(lits, e1, text, lspans),
                        at: at(e1),
                    });
                };
                let cond_index = nodes.len();
                nodes.push(Node::Cond {
                    head: Box::new(CondHead {
                        path,
                        op,
                        path_span: lspans[e0],
                        op_span: lspans[e1],
                    }),
                    size: 1,
                });
                spans.push(lspans[item]);
                complete_term(&mut frame.pending);
                if op.takes_domain() {
                    match &lits[e2] {
                        Lit::Seq {
                            kind: SeqKind::List | SeqKind::Tuple,
                            ..
                        } => {
                            let sub_index = nodes.len();
                            nodes.push(Node::Sub { size: 1 });
                            spans.push(lspans[e2]);
                            frames.push(Frame {
                                cur: e2 + 1,
                                end: e2 + lits[e2].size(),
                                pending: Vec::new(),
                                patch: Some((cond_index, sub_index)),
                            });
                            continue;
                        }
                        Lit::Bool(true) => {
                            nodes.push(Node::Sub { size: 1 });
                            spans.push(lspans[e2]);
                        }
                        Lit::Bool(false) | Lit::None => {
                            nodes.push(Node::Sub { size: 2 });
                            spans.push(lspans[e2]);
                            nodes.push(Node::False);
                            spans.push(lspans[e2]);
                        }
                        _ => {
                            return Err(Error::InvalidSubdomain {
                                operator: op,
                                found: describe(lits, e2, text, lspans),
                                at: at(e2),
                            });
                        }
                    }
                } else {
                    copy_value(lits, lspans, e2_raw, &mut nodes, &mut spans);
                }
                let len = nodes.len();
                nodes[cond_index].set_size(len - cond_index);
            }
            _ => {
                return Err(Error::InvalidItem {
                    item: describe(lits, item, text, lspans),
                    at: at(item),
                });
            }
        }
    }
    Ok(Domain {
        nodes,
        spans,
        source: Some(Arc::from(text)),
    })
}

fn num_eq(lit: &Lit, value: f64) -> bool {
    match lit {
        Lit::Int(i) => *i as f64 == value && (*i == 0 || *i == 1),
        Lit::Float(f) => *f == value,
        Lit::Bool(b) => f64::from(u8::from(*b)) == value,
        _ => false,
    }
}

/// Records one complete term in the current (sub-)domain: operators whose operands are
/// all present become terms of the operator before them.
fn complete_term(pending: &mut Vec<Pending>) {
    while let Some(top) = pending.last_mut() {
        top.found += 1;
        if top.found < top.expected {
            break;
        }
        pending.pop();
    }
}

/// Copies the literal subtree at `start` as value nodes, dropping `(x)` wrappers.
fn copy_value(
    lits: &mut [Lit],
    lspans: &[Span],
    start: usize,
    nodes: &mut Vec<Node>,
    spans: &mut Vec<Span>,
) {
    let end = start + lits[start].size();
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    while i < end {
        while let Some(&(header, raw_end)) = open.last() {
            if i < raw_end {
                break;
            }
            let len = nodes.len();
            nodes[header].set_size(len - header);
            open.pop();
        }
        let lit = &mut lits[i];
        let node = match lit {
            Lit::Seq {
                kind: SeqKind::Paren,
                ..
            } => {
                i += 1;
                continue;
            }
            Lit::Seq { kind, len, size } => {
                open.push((nodes.len(), i + *size as usize));
                if *kind == SeqKind::List {
                    Node::List { len: *len, size: 1 }
                } else {
                    Node::Tuple { len: *len, size: 1 }
                }
            }
            Lit::Str(s) => Node::Str(std::mem::take(s)),
            Lit::Int(v) => Node::Int(*v),
            Lit::Float(v) => Node::float(*v),
            Lit::Bool(v) => Node::Bool(*v),
            Lit::None => Node::None,
        };
        nodes.push(node);
        spans.push(lspans[i]);
        i += 1;
    }
    while let Some((header, _)) = open.pop() {
        let len = nodes.len();
        nodes[header].set_size(len - header);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Item, Value};

    #[test]
    fn python_and_json_forms_are_equal() {
        let py = parse("[('country_id.name', '=', 'United States'), ('x', '=', False), ('y', 'in', (1, 2.5, None))]").unwrap();
        let json = parse(
            r#"[["country_id.name","=","United States"],["x","=",false],["y","in",[1,2.5,null]]]"#,
        )
        .unwrap();
        // Tuples and lists differ, so compare the first two items only.
        let a: Vec<String> = py.items().take(2).map(|i| format!("{i:?}")).collect();
        let b: Vec<String> = json.items().take(2).map(|i| format!("{i:?}")).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn parenthesised_values_are_not_tuples() {
        let d = parse("[(('a', '=', (1)),)]").unwrap_err();
        assert!(matches!(d, Error::InvalidItem { .. }), "{d}");
        let d = parse("[(('a', '=', (1)))]").unwrap();
        let Some(Item::Condition(c)) = d.items().next() else {
            panic!("not a condition")
        };
        assert!(matches!(c.value(), Value::Int(1)));
        let d = parse("[('a', 'in', (1,))]").unwrap();
        let Some(Item::Condition(c)) = d.items().next() else {
            panic!("not a condition")
        };
        assert!(matches!(c.value(), Value::Tuple(s) if s.len() == 1));
    }

    #[test]
    fn structure_errors() {
        assert!(matches!(
            parse("['&', ('a', '=', 1)]"),
            Err(Error::MalformedDomain { .. })
        ));
        assert!(matches!(
            parse("[('a', '=', 1), '|']"),
            Err(Error::MalformedDomain { .. })
        ));
        assert!(matches!(parse("['!']"), Err(Error::MalformedDomain { .. })));
        assert!(matches!(parse("['x']"), Err(Error::InvalidItem { .. })));
        assert!(matches!(
            parse("[('a', '=')]"),
            Err(Error::InvalidItem { .. })
        ));
        assert!(matches!(parse("[5]"), Err(Error::InvalidItem { .. })));
        assert!(parse("[('', '=', 1)]").is_ok());
        assert!(matches!(
            parse("[('a', 'is', 1)]"),
            Err(Error::InvalidOperator { .. })
        ));
        assert!(matches!(
            parse("[('a', 'any!', [])]"),
            Err(Error::InvalidOperator { .. })
        ));
        assert!(matches!(
            parse("[('a', 5, 1)]"),
            Err(Error::InvalidOperator { .. })
        ));
        assert!(matches!(
            parse("('a', '=', 1)"),
            Err(Error::InvalidItem { .. })
        ));
        assert!(matches!(parse("'abc'"), Err(Error::NotAList { .. })));
        assert!(matches!(parse("5"), Err(Error::NotAList { .. })));
        assert!(matches!(
            parse("[('a', 'any', 'x')]"),
            Err(Error::InvalidSubdomain { .. })
        ));
        assert!(matches!(
            parse("[(2, '=', 1)]"),
            Err(Error::InvalidItem { .. })
        ));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("[('a', '=', 1)").unwrap_err();
        assert!(matches!(err, Error::Syntax { .. }), "{err}");
        assert_eq!(err.location().map(|l| l.offset()), Some(14));
        let err = parse("[('a', '=', 1)]]").unwrap_err();
        assert_eq!(err.location().map(|l| l.offset()), Some(15));
        let err = parse("[('a', '=', 1),,]").unwrap_err();
        assert_eq!(err.location().map(|l| l.offset()), Some(15));
        let err = parse("[('a', '=', 1])").unwrap_err();
        assert_eq!(err.location().map(|l| l.offset()), Some(13));
        assert!(matches!(parse(""), Err(Error::Syntax { .. })));
        assert!(matches!(parse("[1, 2] [3]"), Err(Error::Syntax { .. })));
    }

    #[test]
    fn true_and_false_leaves() {
        let d = parse("[(1, '=', 1), (0, '=', 1), [True, '=', 1.0]]").unwrap();
        let kinds: Vec<_> = d.items().map(|i| format!("{i:?}")).collect();
        assert!(kinds[0].starts_with("True"));
        assert!(kinds[1].starts_with("False"));
        assert!(kinds[2].starts_with("True"));
    }

    #[test]
    fn any_values() {
        let d =
            parse("[('a', 'any', True), ('b', 'NOT ANY', None), ('c', 'any', [('x', '=', 1)])]")
                .unwrap();
        assert_eq!(
            d.to_string(),
            "[('a', 'any', []), ('b', 'not any', [(0, '=', 1)]), ('c', 'any', [('x', '=', 1)])]"
        );
    }

    #[test]
    fn limits() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            parse(&deep),
            Err(Error::NestingLimit { limit: 250, .. })
        ));
        let ok = format!("{}{}", "[".repeat(250), "]".repeat(250));
        assert!(parse(&ok).is_err()); // nested empty lists are not conditions
        let options = ParseOptions::new().with_size_limit(10);
        assert!(matches!(
            options.parse("[('a', '=', 1)]"),
            Err(Error::SizeLimit {
                limit: 10,
                size: 15
            })
        ));
        let many_nots = format!("[{}('a', '=', 1)]", "'!', ".repeat(100_000));
        assert!(parse(&many_nots).is_ok());
    }

    #[test]
    fn integer_extremes() {
        let d = parse("[('a', 'in', [-9223372036854775808, 9223372036854775807])]").unwrap();
        assert_eq!(
            d.to_string(),
            "[('a', 'in', [-9223372036854775808, 9223372036854775807])]"
        );
        assert!(matches!(
            parse("[('a', '=', 9223372036854775808)]"),
            Err(Error::InvalidNumber { .. })
        ));
        assert!(matches!(
            parse("[('a', '=', -9223372036854775809)]"),
            Err(Error::InvalidNumber { .. })
        ));
    }
}
