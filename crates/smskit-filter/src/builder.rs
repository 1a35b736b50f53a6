//! Building domains in Rust code.
//!
//! ```
//! use smskit_filter::field;
//!
//! let domain = field("country_id.name").eq("Belgium") & field("phone").is_set();
//! assert_eq!(
//!     domain.to_string(),
//!     "[('country_id.name', '=', 'Belgium'), ('phone', '!=', False)]"
//! );
//! let either = field("tag_ids.name").eq("VIP") | !field("opt_out").eq(true);
//! assert_eq!(
//!     either.to_string(),
//!     "['|', ('tag_ids.name', '=', 'VIP'), '!', ('opt_out', '=', True)]"
//! );
//! ```

use crate::ast::{Domain, Literal, Operator};

/// Starts a condition on a field path (`"name"`, `"partner_id.country_id.code"`).
#[must_use]
pub fn field(path: impl Into<String>) -> FieldPath {
    FieldPath { path: path.into() }
}

/// A field path waiting for its operator and value; each method returns a one-condition
/// [`Domain`] to combine with `&`, `|` and `!`.
///
/// Paths are not validated here: an empty path or segment is reported when the domain
/// is checked against a schema.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldPath {
    path: String,
}

macro_rules! ops {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub fn $name(&self, value: impl Into<Literal>) -> Domain {
            self.plain(Operator::$op, value)
        }
    )*};
}

impl FieldPath {
    /// The condition `(path, operator, value)`; see [`Domain::condition`].
    ///
    /// # Errors
    ///
    /// When `operator` is `any` / `not any` and the value is not a domain.
    pub fn op(
        &self,
        operator: Operator,
        value: impl Into<Literal>,
    ) -> Result<Domain, crate::Error> {
        Domain::condition(self.path.clone(), operator, value)
    }

    fn plain(&self, operator: Operator, value: impl Into<Literal>) -> Domain {
        Domain::plain_condition(self.path.clone(), operator, &value.into())
    }

    ops! {
        /// `=` (a list means `in`).
        eq => Eq;
        /// `!=`.
        ne => Ne;
        /// `<`.
        lt => Lt;
        /// `<=`.
        le => Le;
        /// `>`.
        gt => Gt;
        /// `>=`.
        ge => Ge;
        /// `=?`: TRUE when the value is falsy, else `=`.
        eq_if_set => EqIfSet;
        /// `in`.
        is_in => In;
        /// `not in`.
        not_in => NotIn;
        /// `like` (case-sensitive substring, `%` and `_` wildcards).
        like => Like;
        /// `not like`.
        not_like => NotLike;
        /// `ilike` (case-insensitive substring).
        ilike => ILike;
        /// `not ilike`.
        not_ilike => NotILike;
        /// `=like` (case-sensitive whole value).
        eq_like => EqLike;
        /// `=ilike` (case-insensitive whole value).
        eq_ilike => EqILike;
        /// `child_of` (the record or one of its descendants through `parent_id`).
        child_of => ChildOf;
        /// `parent_of` (the record or one of its ancestors through `parent_id`).
        parent_of => ParentOf;
    }

    /// `!= False`: the field is set (a relation is not empty).
    #[must_use]
    pub fn is_set(&self) -> Domain {
        self.plain(Operator::Ne, false)
    }

    /// `= False`: the field is not set (a relation is empty).
    #[must_use]
    pub fn is_not_set(&self) -> Domain {
        self.plain(Operator::Eq, false)
    }

    /// `any`: a related record matches `sub`.
    #[must_use]
    pub fn any(&self, sub: &Domain) -> Domain {
        Domain::any(self.path.clone(), false, sub)
    }

    /// `not any`: no related record matches `sub`.
    #[must_use]
    pub fn not_any(&self, sub: &Domain) -> Domain {
        Domain::any(self.path.clone(), true, sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_output_parses_back() {
        let domain = field("a").is_in(vec![1, 2])
            & field("b").ilike("x%")
            & (field("c").lt(3.5) | field("d").eq(Literal::None))
            & field("t").any(&(field("name").eq("VIP") & field("x").ne(vec!["a", "b"])))
            & field("u").not_any(&Domain::new())
            & !field("e").eq_if_set("");
        let text = domain.to_string();
        assert_eq!(crate::parse(&text).unwrap(), domain, "{text}");
        assert_eq!(
            text,
            "[('a', 'in', [1, 2]), ('b', 'ilike', 'x%'), '|', ('c', '<', 3.5), ('d', '=', None), \
             ('t', 'any', [('name', '=', 'VIP'), ('x', '!=', ['a', 'b'])]), ('u', 'not any', []), \
             '!', ('e', '=?', '')]"
        );
    }
}
