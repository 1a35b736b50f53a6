//! The domain AST: a flat, prefix-order list of nodes with spans.
//!
//! A domain is stored as one `Vec` in prefix (Polish) order, sub-domains of `any` and
//! nested list values included. Every walk over it is a loop, and dropping it frees one
//! vector of boxed strings: no recursion over the input's depth anywhere.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::error::Span;

/// A condition operator.
///
/// Upper-case spellings are accepted when parsing and lower-cased. `<>` and `==` are kept
/// as written so that printing gives the text back; they mean `!=` and `=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operator {
    /// `=`
    Eq,
    /// `==` (same as `=`)
    EqEq,
    /// `!=`
    Ne,
    /// `<>` (same as `!=`)
    LtGt,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=?`: TRUE when the value is falsy, else `=`
    EqIfSet,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `like` (case-sensitive substring pattern)
    Like,
    /// `not like`
    NotLike,
    /// `ilike` (case-insensitive substring pattern)
    ILike,
    /// `not ilike`
    NotILike,
    /// `=like` (case-sensitive whole-value pattern)
    EqLike,
    /// `not =like`
    NotEqLike,
    /// `=ilike` (case-insensitive whole-value pattern)
    EqILike,
    /// `not =ilike`
    NotEqILike,
    /// `child_of`
    ChildOf,
    /// `parent_of`
    ParentOf,
    /// `any` (a related record matches a sub-domain)
    Any,
    /// `not any`
    NotAny,
}

impl Operator {
    /// Every operator, in declaration order.
    pub const ALL: [Self; 23] = [
        Self::Eq,
        Self::EqEq,
        Self::Ne,
        Self::LtGt,
        Self::Lt,
        Self::Le,
        Self::Gt,
        Self::Ge,
        Self::EqIfSet,
        Self::In,
        Self::NotIn,
        Self::Like,
        Self::NotLike,
        Self::ILike,
        Self::NotILike,
        Self::EqLike,
        Self::NotEqLike,
        Self::EqILike,
        Self::NotEqILike,
        Self::ChildOf,
        Self::ParentOf,
        Self::Any,
        Self::NotAny,
    ];

    /// The operator as written in a domain.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::EqEq => "==",
            Self::Ne => "!=",
            Self::LtGt => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::EqIfSet => "=?",
            Self::In => "in",
            Self::NotIn => "not in",
            Self::Like => "like",
            Self::NotLike => "not like",
            Self::ILike => "ilike",
            Self::NotILike => "not ilike",
            Self::EqLike => "=like",
            Self::NotEqLike => "not =like",
            Self::EqILike => "=ilike",
            Self::NotEqILike => "not =ilike",
            Self::ChildOf => "child_of",
            Self::ParentOf => "parent_of",
            Self::Any => "any",
            Self::NotAny => "not any",
        }
    }

    /// Reads an operator, accepting upper case (`'IN'`, `'Not Like'`). `any!` and
    /// `not any!` are internal to Odoo and rejected. Public parsing is [`FromStr`](std::str::FromStr).
    pub(crate) fn from_text(text: &str) -> Option<Self> {
        // The spellings are lower-case ASCII: ASCII text compares without allocating.
        if text.is_ascii() {
            return Self::ALL
                .into_iter()
                .find(|op| op.as_str().eq_ignore_ascii_case(text));
        }
        // Other text may still lower-case to an operator (the Kelvin sign is a 'k').
        let lower = text.to_lowercase();
        Self::ALL.into_iter().find(|op| op.as_str() == lower)
    }

    /// Whether the operator is a negation of another (`!=`, `<>`, `not in`, `not like`,
    /// `not ilike`, `not =like`, `not =ilike`, `not any`).
    #[must_use]
    pub const fn is_negative(self) -> bool {
        matches!(
            self,
            Self::Ne
                | Self::LtGt
                | Self::NotIn
                | Self::NotLike
                | Self::NotILike
                | Self::NotEqLike
                | Self::NotEqILike
                | Self::NotAny
        )
    }

    /// The positive form of a negative operator (`not in` -> `in`); other operators are
    /// returned unchanged.
    #[must_use]
    pub const fn positive(self) -> Self {
        match self {
            Self::Ne | Self::LtGt => Self::Eq,
            Self::NotIn => Self::In,
            Self::NotLike => Self::Like,
            Self::NotILike => Self::ILike,
            Self::NotEqLike => Self::EqLike,
            Self::NotEqILike => Self::EqILike,
            Self::NotAny => Self::Any,
            other => other,
        }
    }

    /// The operator [`distribute_not`](crate::Domain::distribute_not) puts in place of
    /// `'!'` before a condition: `<`/`>=`, `>`/`<=`, `=`/`!=`, `in`/`not in`,
    /// `like`/`not like`, `ilike`/`not ilike`, `any`/`not any`. Other operators have none
    /// and keep the `'!'`.
    #[must_use]
    pub const fn inverse(self) -> Option<Self> {
        Some(match self {
            Self::Lt => Self::Ge,
            Self::Ge => Self::Lt,
            Self::Gt => Self::Le,
            Self::Le => Self::Gt,
            Self::Eq => Self::Ne,
            Self::Ne => Self::Eq,
            Self::In => Self::NotIn,
            Self::NotIn => Self::In,
            Self::Like => Self::NotLike,
            Self::NotLike => Self::Like,
            Self::ILike => Self::NotILike,
            Self::NotILike => Self::ILike,
            Self::Any => Self::NotAny,
            Self::NotAny => Self::Any,
            _ => return None,
        })
    }

    /// Whether the operator takes a sub-domain as its value.
    #[must_use]
    pub const fn takes_domain(self) -> bool {
        matches!(self, Self::Any | Self::NotAny)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Operator {
    type Err = crate::Error;

    /// Reads an operator, accepting upper case (`'IN'`, `'Not Like'`); `any!` and
    /// `not any!` are internal to Odoo and rejected.
    ///
    /// ```
    /// use smskit_filter::Operator;
    /// assert_eq!("NOT IN".parse::<Operator>()?, Operator::NotIn);
    /// assert!("any!".parse::<Operator>().is_err());
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_text(text).ok_or_else(|| crate::Error::InvalidOperator {
            operator: format!("{text:?}"),
            at: crate::error::At::unknown(),
        })
    }
}

/// The head of a condition: field path and operator, with their spans.
#[derive(Clone, Debug)]
pub(crate) struct CondHead {
    pub(crate) path: Box<str>,
    pub(crate) op: Operator,
    pub(crate) path_span: Span,
    pub(crate) op_span: Span,
}

/// One node of the flat prefix-order representation.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    And,
    Or,
    Not,
    True,
    False,
    /// A condition; its value follows as one subtree. `size` counts the whole condition.
    Cond {
        head: Box<CondHead>,
        size: u32,
    },
    Str(Box<str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    /// A list value: `len` direct children follow, `size` counts the whole subtree.
    List {
        len: u32,
        size: u32,
    },
    /// A tuple value.
    Tuple {
        len: u32,
        size: u32,
    },
    /// A sub-domain (value of `any`): its items follow, `size` counts the whole subtree.
    Sub {
        size: u32,
    },
}

impl Node {
    /// Number of nodes in the subtree rooted here.
    pub(crate) fn size(&self) -> usize {
        match self {
            Self::Cond { size, .. }
            | Self::List { size, .. }
            | Self::Tuple { size, .. }
            | Self::Sub { size } => *size as usize,
            _ => 1,
        }
    }

    pub(crate) fn set_size(&mut self, new: usize) {
        let new = u32::try_from(new).unwrap_or(u32::MAX);
        match self {
            Self::Cond { size, .. }
            | Self::List { size, .. }
            | Self::Tuple { size, .. }
            | Self::Sub { size } => *size = new,
            _ => {}
        }
    }

    /// A canonical NaN so that equality by bits is stable.
    pub(crate) fn float(value: f64) -> Self {
        Self::Float(if value.is_nan() { f64::NAN } else { value })
    }
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::And, Self::And)
            | (Self::Or, Self::Or)
            | (Self::Not, Self::Not)
            | (Self::True, Self::True)
            | (Self::False, Self::False)
            | (Self::None, Self::None) => true,
            (Self::Cond { head: a, size: x }, Self::Cond { head: b, size: y }) => {
                x == y && a.path == b.path && a.op == b.op
            }
            (Self::Str(a), Self::Str(b)) => a == b,
            (Self::Int(a), Self::Int(b)) => a == b,
            (Self::Float(a), Self::Float(b)) => a.to_bits() == b.to_bits(),
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::List { len: a, size: x }, Self::List { len: b, size: y })
            | (Self::Tuple { len: a, size: x }, Self::Tuple { len: b, size: y }) => {
                a == b && x == y
            }
            (Self::Sub { size: x }, Self::Sub { size: y }) => x == y,
            _ => false,
        }
    }
}

impl Eq for Node {}

impl Hash for Node {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Self::Cond { head, size } => {
                head.path.hash(state);
                head.op.hash(state);
                size.hash(state);
            }
            Self::Str(s) => s.hash(state),
            Self::Int(i) => i.hash(state),
            Self::Float(f) => f.to_bits().hash(state),
            Self::Bool(b) => b.hash(state),
            Self::List { len, size } | Self::Tuple { len, size } => {
                len.hash(state);
                size.hash(state);
            }
            Self::Sub { size } => size.hash(state),
            _ => {}
        }
    }
}

/// A domain: a recipient filter in Odoo's prefix notation.
///
/// Build one by parsing text ([`parse`](crate::parse), `str::parse`), with the
/// [builder](crate::field), or by combining domains with `&`, `|` and `!`. Printing
/// (`Display`) gives canonical Python-literal text that parses back to an equal domain.
/// Equality ignores spans and source text.
///
/// ```
/// use smskit_filter::Domain;
///
/// let domain: Domain = r#"[["country_id.code", "=", "BE"], "!", ["phone_sanitized_blacklisted", "=", true]]"#
///     .parse()?;
/// assert_eq!(
///     domain.to_string(),
///     "[('country_id.code', '=', 'BE'), '!', ('phone_sanitized_blacklisted', '=', True)]"
/// );
/// assert_eq!(domain.to_string().parse::<Domain>()?, domain);
/// # Ok::<(), smskit_filter::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Domain {
    pub(crate) nodes: Vec<Node>,
    pub(crate) spans: Vec<Span>,
    pub(crate) source: Option<Arc<str>>,
}

impl PartialEq for Domain {
    fn eq(&self, other: &Self) -> bool {
        self.nodes == other.nodes
    }
}

impl Eq for Domain {}

impl Hash for Domain {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.nodes.hash(state);
    }
}

impl fmt::Debug for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Domain").field(&self.to_string()).finish()
    }
}

impl Domain {
    /// The empty domain `[]`, which matches every record.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            nodes: Vec::new(),
            spans: Vec::new(),
            source: None,
        }
    }

    /// The domain `[(1, '=', 1)]`, which matches every record.
    #[must_use]
    pub fn matching_all() -> Self {
        Self::single(Node::True)
    }

    /// The domain `[(0, '=', 1)]`, which matches no record.
    #[must_use]
    pub fn matching_none() -> Self {
        Self::single(Node::False)
    }

    fn single(node: Node) -> Self {
        Self {
            nodes: vec![node],
            spans: vec![Span::default()],
            source: None,
        }
    }

    /// Whether the domain has no items (`[]`, which is TRUE).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The top-level items in prefix order, as written: operators, conditions and the
    /// TRUE/FALSE leaves. Consecutive complete terms are implicitly ANDed.
    #[must_use]
    pub fn items(&self) -> Items<'_> {
        Items {
            domain: self,
            pos: 0,
            end: self.nodes.len(),
        }
    }

    /// The text the domain was parsed from, if any (error positions refer to it).
    #[must_use]
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Number of nodes of the flat representation (items, values and sub-domains).
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Builds a single-condition domain `[(path, operator, value)]`.
    ///
    /// For `any` / `not any` the value is read as a domain the way Odoo reads it: `True`
    /// is `[]`, `False` and `None` are FALSE, a list must be a domain (a list of
    /// conditions written as tuples). [`Domain::any`] takes a [`Domain`] directly.
    ///
    /// ```
    /// use smskit_filter::{Domain, Literal, Operator};
    ///
    /// let d = Domain::condition("age", Operator::Ge, 18)?;
    /// assert_eq!(d.to_string(), "[('age', '>=', 18)]");
    /// let vip = Literal::List(vec![Literal::Tuple(vec!["name".into(), "=".into(), "VIP".into()])]);
    /// let d = Domain::condition("tag_ids", Operator::Any, vip)?;
    /// assert_eq!(d.to_string(), "[('tag_ids', 'any', [('name', '=', 'VIP')])]");
    /// assert!(Domain::condition("tag_ids", Operator::Any, "VIP").is_err());
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSubdomain`](crate::Error::InvalidSubdomain) when the operator
    /// takes a domain and the value is not one.
    pub fn condition(
        path: impl Into<String>,
        operator: Operator,
        value: impl Into<Literal>,
    ) -> Result<Self, crate::Error> {
        let value: Literal = value.into();
        if operator.takes_domain() {
            let sub = match &value {
                Literal::Bool(true) => Self::new(),
                Literal::Bool(false) | Literal::None => Self::matching_none(),
                Literal::List(_) | Literal::Tuple(_) => {
                    let text = value.to_text();
                    let mut sub = crate::parse::ParseOptions::new()
                        .with_nest_limit(u32::MAX)
                        .with_size_limit(usize::MAX)
                        .parse(&text)
                        .map_err(|_| crate::Error::InvalidSubdomain {
                            operator,
                            found: text.clone(),
                            at: crate::error::At::unknown(),
                        })?;
                    sub.source = None;
                    sub.spans.iter_mut().for_each(|s| *s = Span::default());
                    sub
                }
                _ => {
                    return Err(crate::Error::InvalidSubdomain {
                        operator,
                        found: value.to_text(),
                        at: crate::error::At::unknown(),
                    });
                }
            };
            return Ok(Self::any(path, operator == Operator::NotAny, &sub));
        }
        Ok(Self::plain_condition(path.into(), operator, &value))
    }

    /// A condition whose operator does not take a domain.
    pub(crate) fn plain_condition(path: String, operator: Operator, value: &Literal) -> Self {
        let mut domain = Self::new();
        let head = Box::new(CondHead {
            path: path.into_boxed_str(),
            op: operator,
            path_span: Span::default(),
            op_span: Span::default(),
        });
        domain.nodes.push(Node::Cond { head, size: 1 });
        domain.spans.push(Span::default());
        push_literal(&mut domain.nodes, &mut domain.spans, value);
        let size = domain.nodes.len();
        domain.nodes[0].set_size(size);
        domain
    }

    /// Builds `[(path, 'any', sub)]` (or `'not any'` when `negate`).
    #[must_use]
    pub fn any(path: impl Into<String>, negate: bool, sub: &Self) -> Self {
        let mut domain = Self::new();
        let head = Box::new(CondHead {
            path: path.into().into_boxed_str(),
            op: if negate {
                Operator::NotAny
            } else {
                Operator::Any
            },
            path_span: Span::default(),
            op_span: Span::default(),
        });
        domain.nodes.push(Node::Cond { head, size: 1 });
        domain.spans.push(Span::default());
        push_sub(&mut domain, sub);
        let size = domain.nodes.len();
        domain.nodes[0].set_size(size);
        domain
    }

    /// Range of the value subtree of the condition at `index`.
    pub(crate) fn value_range(&self, index: usize) -> std::ops::Range<usize> {
        let end = index + self.nodes.get(index).map_or(1, Node::size);
        index + 1..end
    }
}

fn push_sub(domain: &mut Domain, sub: &Domain) {
    domain.nodes.push(Node::Sub {
        size: u32::try_from(sub.nodes.len() + 1).unwrap_or(u32::MAX),
    });
    domain.spans.push(Span::default());
    domain.nodes.extend(sub.nodes.iter().cloned());
    domain.spans.extend(sub.spans.iter().copied());
}

/// Appends a literal as value nodes, iteratively.
pub(crate) fn push_literal(nodes: &mut Vec<Node>, spans: &mut Vec<Span>, value: &Literal) {
    // (header index, remaining items) of the open lists.
    let mut stack: Vec<(usize, std::slice::Iter<'_, Literal>)> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(value) = next.take() {
            match value {
                Literal::None => nodes.push(Node::None),
                Literal::Bool(b) => nodes.push(Node::Bool(*b)),
                Literal::Int(i) => nodes.push(Node::Int(*i)),
                Literal::Float(f) => nodes.push(Node::float(*f)),
                Literal::Str(s) => nodes.push(Node::Str(s.as_str().into())),
                Literal::List(items) | Literal::Tuple(items) => {
                    let len = u32::try_from(items.len()).unwrap_or(u32::MAX);
                    nodes.push(if matches!(value, Literal::List(_)) {
                        Node::List { len, size: 1 }
                    } else {
                        Node::Tuple { len, size: 1 }
                    });
                    spans.push(Span::default());
                    stack.push((nodes.len() - 1, items.iter()));
                    continue;
                }
            }
            spans.push(Span::default());
        }
        let Some((header, items)) = stack.last_mut() else {
            break;
        };
        if let Some(item) = items.next() {
            next = Some(item);
        } else {
            let header = *header;
            let size = nodes.len() - header;
            nodes[header].set_size(size);
            stack.pop();
        }
    }
}

/// An owned literal value of a condition (`'BE'`, `42`, `[1, 2]`...).
///
/// Conversions exist from the Rust types you would expect: `&str`, `String`, integers,
/// `f64`, `bool`, `Option<T>` (`None` -> Python `None`), `Vec<T>` and arrays (lists).
///
/// `Clone`, `PartialEq`, `Debug` and `Drop` work with loops, so deeply nested values
/// (from [`Value::to_literal`] on a deep domain) are safe to handle.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Literal {
    /// `None` (`null` in JSON), read as `False` in a condition.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A list `[...]`.
    List(Vec<Literal>),
    /// A tuple `(...)` (a list in JSON).
    #[cfg_attr(feature = "serde", serde(skip_deserializing))]
    Tuple(Vec<Literal>),
}

impl Drop for Literal {
    /// Frees nested lists with a loop, so that dropping a deep value cannot overflow the
    /// stack.
    fn drop(&mut self) {
        let mut pending = match self {
            Self::List(items) | Self::Tuple(items) if items.iter().any(Self::is_seq) => {
                std::mem::take(items)
            }
            _ => return,
        };
        while let Some(mut item) = pending.pop() {
            if let Self::List(items) | Self::Tuple(items) = &mut item {
                pending.append(items);
            }
        }
    }
}

impl Literal {
    fn is_seq(&self) -> bool {
        matches!(self, Self::List(_) | Self::Tuple(_))
    }

    /// A copy of a scalar, or an empty list/tuple of the same kind.
    fn shallow(&self) -> Self {
        match self {
            Self::None => Self::None,
            Self::Bool(b) => Self::Bool(*b),
            Self::Int(i) => Self::Int(*i),
            Self::Float(f) => Self::Float(*f),
            Self::Str(s) => Self::Str(s.clone()),
            Self::List(items) => Self::List(Vec::with_capacity(items.len())),
            Self::Tuple(items) => Self::Tuple(Vec::with_capacity(items.len())),
        }
    }

    fn items(&self) -> &[Self] {
        match self {
            Self::List(items) | Self::Tuple(items) => items,
            _ => &[],
        }
    }
}

impl Clone for Literal {
    fn clone(&self) -> Self {
        // (copy under construction, source items, next item index)
        let mut stack: Vec<(Self, &[Self], usize)> = vec![(self.shallow(), self.items(), 0)];
        loop {
            let Some(top) = stack.last_mut() else {
                return Self::None;
            };
            if let Some(item) = top.1.get(top.2) {
                top.2 += 1;
                stack.push((item.shallow(), item.items(), 0));
                continue;
            }
            let Some((done, _, _)) = stack.pop() else {
                return Self::None;
            };
            match stack.last_mut() {
                Some((Self::List(items) | Self::Tuple(items), _, _)) => items.push(done),
                _ => return done,
            }
        }
    }
}

impl PartialEq for Literal {
    fn eq(&self, other: &Self) -> bool {
        let mut pairs = vec![(self, other)];
        while let Some((a, b)) = pairs.pop() {
            let same = match (a, b) {
                (Self::None, Self::None) => true,
                (Self::Bool(x), Self::Bool(y)) => x == y,
                (Self::Int(x), Self::Int(y)) => x == y,
                (Self::Float(x), Self::Float(y)) => x == y,
                (Self::Str(x), Self::Str(y)) => x == y,
                (Self::List(x), Self::List(y)) | (Self::Tuple(x), Self::Tuple(y)) => {
                    if x.len() != y.len() {
                        return false;
                    }
                    pairs.extend(x.iter().zip(y));
                    true
                }
                _ => false,
            };
            if !same {
                return false;
            }
        }
        true
    }
}

impl Literal {
    /// The value as Python-literal text (`['a', (1,), None]`).
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = self.write_text(&mut out);
        out
    }

    fn write_text(&self, f: &mut impl fmt::Write) -> fmt::Result {
        // (items, next index, closer)
        let mut stack: Vec<(&[Self], usize, &str)> = Vec::new();
        let mut next = Some(self);
        loop {
            if let Some(value) = next.take() {
                match value {
                    Self::None => f.write_str("None")?,
                    Self::Bool(b) => f.write_str(crate::py::bool_str(*b))?,
                    Self::Int(i) => write!(f, "{i}")?,
                    Self::Float(x) => crate::py::write_float(f, *x)?,
                    Self::Str(s) => crate::py::write_str_repr(f, s)?,
                    Self::List(items) => {
                        f.write_str("[")?;
                        stack.push((items, 0, "]"));
                    }
                    Self::Tuple(items) => {
                        f.write_str("(")?;
                        stack.push((items, 0, if items.len() == 1 { ",)" } else { ")" }));
                    }
                }
            }
            let Some(top) = stack.last_mut() else {
                return Ok(());
            };
            if let Some(item) = top.0.get(top.1) {
                if top.1 > 0 {
                    f.write_str(", ")?;
                }
                top.1 += 1;
                next = Some(item);
            } else {
                f.write_str(top.2)?;
                stack.pop();
            }
        }
    }
}

impl fmt::Debug for Literal {
    /// Python-literal text, e.g. `Literal(['a', (1,), None])`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Literal(")?;
        self.write_text(f)?;
        f.write_str(")")
    }
}

impl From<&str> for Literal {
    fn from(value: &str) -> Self {
        Self::Str(value.to_owned())
    }
}

impl From<String> for Literal {
    fn from(value: String) -> Self {
        Self::Str(value)
    }
}

impl From<&String> for Literal {
    fn from(value: &String) -> Self {
        Self::Str(value.clone())
    }
}

impl From<bool> for Literal {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<f64> for Literal {
    fn from(value: f64) -> Self {
        Self::Float(value)
    }
}

macro_rules! literal_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Literal {
            fn from(value: $t) -> Self {
                Self::Int(i64::from(value))
            }
        }
    )*};
}
literal_from_int!(i8, i16, i32, i64, u8, u16, u32);

impl<T: Into<Literal>> From<Option<T>> for Literal {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::None, Into::into)
    }
}

impl<T: Into<Literal>> From<Vec<T>> for Literal {
    fn from(value: Vec<T>) -> Self {
        Self::List(value.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Literal>, const N: usize> From<[T; N]> for Literal {
    fn from(value: [T; N]) -> Self {
        Self::List(value.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Literal>> From<&[T]> for Literal {
    fn from(value: &[T]) -> Self {
        Self::List(value.iter().cloned().map(Into::into).collect())
    }
}

/// Iterator over the items of a domain or sub-domain, in prefix order.
#[derive(Clone, Debug)]
pub struct Items<'a> {
    domain: &'a Domain,
    pos: usize,
    end: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let index = self.pos;
        let node = self.domain.nodes.get(index)?;
        self.pos += node.size().max(1);
        let span = self.domain.spans.get(index).copied().unwrap_or_default();
        Some(match node {
            Node::And => Item::And(span),
            Node::Or => Item::Or(span),
            Node::Not => Item::Not(span),
            Node::True => Item::True(span),
            Node::False => Item::False(span),
            _ => Item::Condition(Condition {
                domain: self.domain,
                index,
            }),
        })
    }
}

/// One item of a domain.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Item<'a> {
    /// `'&'`
    And(Span),
    /// `'|'`
    Or(Span),
    /// `'!'`
    Not(Span),
    /// `(1, '=', 1)`
    True(Span),
    /// `(0, '=', 1)`
    False(Span),
    /// `(path, operator, value)`
    Condition(Condition<'a>),
}

/// A view of one condition of a domain.
#[derive(Clone, Copy)]
pub struct Condition<'a> {
    domain: &'a Domain,
    index: usize,
}

impl fmt::Debug for Condition<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("path", &self.path())
            .field("operator", &self.operator())
            .field("value", &self.value())
            .finish()
    }
}

impl<'a> Condition<'a> {
    fn head(&self) -> Option<&'a CondHead> {
        match self.domain.nodes.get(self.index) {
            Some(Node::Cond { head, .. }) => Some(head),
            _ => None,
        }
    }

    /// The field path (`country_id.code`).
    #[must_use]
    pub fn path(&self) -> &'a str {
        self.head().map_or("", |h| &h.path)
    }

    /// The operator, or `None` when the view does not stand on a condition (no operator is
    /// made up).
    #[must_use]
    pub fn operator(&self) -> Option<Operator> {
        self.head().map(|h| h.op)
    }

    /// The value (a sub-domain for `any` / `not any`).
    #[must_use]
    pub fn value(&self) -> Value<'a> {
        Value::at(self.domain, self.index + 1)
    }

    /// The span of the whole condition in the source text.
    #[must_use]
    pub fn span(&self) -> Span {
        self.domain
            .spans
            .get(self.index)
            .copied()
            .unwrap_or_default()
    }

    /// The span of the field path literal.
    #[must_use]
    pub fn path_span(&self) -> Span {
        self.head().map_or_else(Span::default, |h| h.path_span)
    }

    /// The span of the operator literal.
    #[must_use]
    pub fn operator_span(&self) -> Span {
        self.head().map_or_else(Span::default, |h| h.op_span)
    }
}

/// A view of a literal value (or sub-domain) inside a domain.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Value<'a> {
    /// `None`
    None,
    /// `True` / `False`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(&'a str),
    /// A list.
    List(Seq<'a>),
    /// A tuple.
    Tuple(Seq<'a>),
    /// A sub-domain (value of `any` / `not any`).
    Domain(SubDomain<'a>),
}

impl<'a> Value<'a> {
    pub(crate) fn at(domain: &'a Domain, index: usize) -> Self {
        match domain.nodes.get(index) {
            Some(Node::Bool(b)) => Self::Bool(*b),
            Some(Node::Int(i)) => Self::Int(*i),
            Some(Node::Float(f)) => Self::Float(*f),
            Some(Node::Str(s)) => Self::Str(s),
            Some(Node::List { len, .. }) => Self::List(Seq {
                domain,
                index,
                len: *len as usize,
            }),
            Some(Node::Tuple { len, .. }) => Self::Tuple(Seq {
                domain,
                index,
                len: *len as usize,
            }),
            Some(Node::Sub { .. }) => Self::Domain(SubDomain { domain, index }),
            _ => Self::None,
        }
    }

    /// Copies the value into an owned [`Literal`] (a sub-domain becomes `None`).
    #[must_use]
    pub fn to_literal(&self) -> Literal {
        // Iterative copy: (items collected so far, remaining iterator, is_tuple).
        let mut stack: Vec<(Vec<Literal>, SeqIter<'a>, bool)> = Vec::new();
        let mut current = *self;
        loop {
            let done = match current {
                Self::None | Self::Domain(_) => Literal::None,
                Self::Bool(b) => Literal::Bool(b),
                Self::Int(i) => Literal::Int(i),
                Self::Float(f) => Literal::Float(f),
                Self::Str(s) => Literal::Str(s.to_owned()),
                Self::List(seq) | Self::Tuple(seq) => {
                    stack.push((
                        Vec::with_capacity(seq.len()),
                        seq.iter(),
                        matches!(current, Self::Tuple(_)),
                    ));
                    match next_or_close(&mut stack) {
                        Next::Value(v) => {
                            current = v;
                            continue;
                        }
                        Next::Closed(lit) => lit,
                    }
                }
            };
            let mut lit = done;
            loop {
                let Some(top) = stack.last_mut() else {
                    return lit;
                };
                top.0.push(lit);
                match next_or_close(&mut stack) {
                    Next::Value(v) => {
                        current = v;
                        break;
                    }
                    Next::Closed(closed) => lit = closed,
                }
            }
        }
    }
}

enum Next<'a> {
    Value(Value<'a>),
    Closed(Literal),
}

fn next_or_close<'a>(stack: &mut Vec<(Vec<Literal>, SeqIter<'a>, bool)>) -> Next<'a> {
    if let Some(v) = stack.last_mut().and_then(|top| top.1.next()) {
        return Next::Value(v);
    }
    match stack.pop() {
        Some((items, _, true)) => Next::Closed(Literal::Tuple(items)),
        Some((items, _, false)) => Next::Closed(Literal::List(items)),
        None => Next::Closed(Literal::None),
    }
}

/// A view of a list or tuple value.
#[derive(Clone, Copy)]
pub struct Seq<'a> {
    domain: &'a Domain,
    index: usize,
    len: usize,
}

impl fmt::Debug for Seq<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> Seq<'a> {
    /// Number of items.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no items.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items.
    #[must_use]
    pub fn iter(&self) -> SeqIter<'a> {
        let end = self.index + self.domain.nodes.get(self.index).map_or(1, Node::size);
        SeqIter {
            domain: self.domain,
            pos: self.index + 1,
            end,
        }
    }

    pub(crate) fn index(&self) -> usize {
        self.index
    }
}

/// Iterator over the items of a list or tuple value.
#[derive(Clone, Debug)]
pub struct SeqIter<'a> {
    domain: &'a Domain,
    pos: usize,
    end: usize,
}

impl<'a> Iterator for SeqIter<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.end {
            return None;
        }
        let index = self.pos;
        self.pos += self.domain.nodes.get(index).map_or(1, Node::size).max(1);
        Some(Value::at(self.domain, index))
    }
}

/// A view of a sub-domain (the value of `any` / `not any`).
#[derive(Clone, Copy)]
pub struct SubDomain<'a> {
    domain: &'a Domain,
    index: usize,
}

impl fmt::Debug for SubDomain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.items()).finish()
    }
}

impl<'a> SubDomain<'a> {
    /// The items of the sub-domain, in prefix order.
    #[must_use]
    pub fn items(&self) -> Items<'a> {
        let end = self.index + self.domain.nodes.get(self.index).map_or(1, Node::size);
        Items {
            domain: self.domain,
            pos: self.index + 1,
            end,
        }
    }

    /// Copies the sub-domain into a domain of its own.
    #[must_use]
    pub fn to_domain(&self) -> Domain {
        let end = self.index + self.domain.nodes.get(self.index).map_or(1, Node::size);
        let start = (self.index + 1).min(end);
        Domain {
            nodes: self.domain.nodes[start..end].to_vec(),
            spans: self.domain.spans[start..end].to_vec(),
            source: self.domain.source.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_case_insensitively_and_reject_internal_ones() {
        assert_eq!(Operator::from_text("NOT IN"), Some(Operator::NotIn));
        assert_eq!(Operator::from_text("=ILike"), Some(Operator::EqILike));
        assert_eq!(Operator::from_text("any!"), None);
        assert_eq!(Operator::from_text("not any!"), None);
        assert_eq!(Operator::from_text("lik"), None);
        for op in Operator::ALL {
            assert_eq!(Operator::from_text(op.as_str()), Some(op));
        }
    }

    #[test]
    fn inverse_follows_the_spec_table() {
        assert_eq!(Operator::Lt.inverse(), Some(Operator::Ge));
        assert_eq!(Operator::Gt.inverse(), Some(Operator::Le));
        assert_eq!(Operator::Any.inverse(), Some(Operator::NotAny));
        assert_eq!(Operator::EqLike.inverse(), None);
        assert_eq!(Operator::LtGt.inverse(), None);
        assert_eq!(Operator::ChildOf.inverse(), None);
        for op in Operator::ALL {
            if let Some(inv) = op.inverse() {
                assert_eq!(inv.inverse(), Some(op));
            }
        }
    }

    #[test]
    fn literal_round_trips_through_nodes() {
        let literal = Literal::List(vec![
            Literal::Int(1),
            Literal::Tuple(vec![Literal::Str("a".into()), Literal::List(vec![])]),
            Literal::None,
            Literal::Float(1.5),
        ]);
        let domain = Domain::condition("a", Operator::In, literal.clone()).unwrap();
        let Some(Item::Condition(cond)) = domain.items().next() else {
            panic!("expected a condition");
        };
        assert_eq!(cond.value().to_literal(), literal);
        assert_eq!(domain.node_count(), 8);
    }

    #[test]
    fn deep_literals_are_built_and_dropped_without_recursion() {
        let depth = 200_000;
        let text = format!("[('a', 'in', {}1{})]", "[".repeat(depth), "]".repeat(depth));
        let domain = crate::ParseOptions::new()
            .with_nest_limit(u32::MAX)
            .with_size_limit(usize::MAX)
            .parse(&text)
            .unwrap();
        let Some(Item::Condition(cond)) = domain.items().next() else {
            panic!("expected a condition");
        };
        let literal = cond.value().to_literal();
        let mut probe = &literal;
        let mut levels = 0;
        while let Literal::List(items) = probe {
            levels += 1;
            probe = &items[0];
        }
        assert_eq!(levels, depth);
        let copy = literal.clone();
        assert_eq!(copy, literal);
        assert!(format!("{copy:?}").starts_with("Literal([[[["));
        drop(copy);
        drop(literal);
        drop(domain);
    }

    #[test]
    fn literal_debug_is_python_text() {
        let value = Literal::from(vec![
            Literal::from("a"),
            Literal::Tuple(vec![Literal::Int(1)]),
            Literal::None,
        ]);
        assert_eq!(format!("{value:?}"), "Literal(['a', (1,), None])");
        assert_ne!(value, Literal::List(vec![]));
        assert_eq!(value.clone(), value);
    }

    #[test]
    fn any_with_plain_values_becomes_a_subdomain() {
        let all = Domain::condition("tag_ids", Operator::Any, true).unwrap();
        assert_eq!(all.to_string(), "[('tag_ids', 'any', [])]");
        let none = Domain::condition("tag_ids", Operator::NotAny, Literal::None).unwrap();
        assert_eq!(none.to_string(), "[('tag_ids', 'not any', [(0, '=', 1)])]");
        let bad = Literal::List(vec![Literal::List(vec![Literal::None])]);
        assert!(matches!(
            Domain::condition("t", Operator::Any, bad),
            Err(crate::Error::InvalidSubdomain { .. })
        ));
    }
}
