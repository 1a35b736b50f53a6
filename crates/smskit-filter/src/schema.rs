//! The application's models and their typed fields.

use std::collections::HashMap;
use std::fmt;

/// The type of a field, as in Odoo.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldType {
    /// Single-line text.
    Char,
    /// Multi-line text.
    Text,
    /// HTML text.
    Html,
    /// A key among fixed choices (stored as text).
    Selection,
    /// An integer.
    Integer,
    /// A float.
    Float,
    /// An amount (compared as a float, like Odoo).
    Monetary,
    /// True/False.
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time (naive UTC, whole seconds).
    Datetime,
    /// A reference to at most one record of the comodel.
    Many2one(String),
    /// The records of the comodel that point here.
    One2many(String),
    /// Any number of records of the comodel.
    Many2many(String),
}

impl FieldType {
    /// A many2one to `comodel`.
    #[must_use]
    pub fn many2one(comodel: impl Into<String>) -> Self {
        Self::Many2one(comodel.into())
    }

    /// A one2many to `comodel`.
    #[must_use]
    pub fn one2many(comodel: impl Into<String>) -> Self {
        Self::One2many(comodel.into())
    }

    /// A many2many to `comodel`.
    #[must_use]
    pub fn many2many(comodel: impl Into<String>) -> Self {
        Self::Many2many(comodel.into())
    }

    /// Reads a type by its Odoo name (`char`, `many2one`...); relational types need a
    /// comodel.
    #[must_use]
    pub fn from_name(name: &str, comodel: Option<&str>) -> Option<Self> {
        Some(match (name, comodel) {
            ("char", _) => Self::Char,
            ("text", _) => Self::Text,
            ("html", _) => Self::Html,
            ("selection", _) => Self::Selection,
            ("integer", _) => Self::Integer,
            ("float", _) => Self::Float,
            ("monetary", _) => Self::Monetary,
            ("boolean", _) => Self::Boolean,
            ("date", _) => Self::Date,
            ("datetime", _) => Self::Datetime,
            ("many2one", Some(c)) => Self::Many2one(c.to_owned()),
            ("one2many", Some(c)) => Self::One2many(c.to_owned()),
            ("many2many", Some(c)) => Self::Many2many(c.to_owned()),
            _ => return None,
        })
    }

    /// The Odoo name of the type.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Char => "char",
            Self::Text => "text",
            Self::Html => "html",
            Self::Selection => "selection",
            Self::Integer => "integer",
            Self::Float => "float",
            Self::Monetary => "monetary",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Many2one(_) => "many2one",
            Self::One2many(_) => "one2many",
            Self::Many2many(_) => "many2many",
        }
    }

    /// The related model of a relational type.
    #[must_use]
    pub fn comodel(&self) -> Option<&str> {
        match self {
            Self::Many2one(c) | Self::One2many(c) | Self::Many2many(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the field refers to records (many2one, one2many, many2many).
    #[must_use]
    pub fn is_relational(&self) -> bool {
        self.comodel().is_some()
    }

    /// Whether the type is text (char, text, html, selection).
    #[must_use]
    pub fn is_text(&self) -> bool {
        matches!(self, Self::Char | Self::Text | Self::Html | Self::Selection)
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.comodel() {
            Some(comodel) => write!(f, "{} {comodel}", self.name()),
            None => f.write_str(self.name()),
        }
    }
}

/// A field of a model: name, type and position in the model's declaration order.
///
/// Evaluation hands a `&Field` to [`Record::get`](crate::Record::get): match on
/// [`name`](Self::name) for simplicity or on [`index`](Self::index) for speed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    name: Box<str>,
    field_type: FieldType,
    index: usize,
}

impl Field {
    /// The field name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The field type.
    #[must_use]
    pub fn field_type(&self) -> &FieldType {
        &self.field_type
    }

    /// Position of the field in its model, in declaration order (0-based).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }
}

/// A model: a name and its fields. Every model also has the implicit `id` and
/// `display_name` fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    name: String,
    fields: Vec<Field>,
    by_name: HashMap<Box<str>, usize>,
}

impl Model {
    /// The model name (`res.partner`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared fields, in order.
    #[must_use]
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// A declared field by name (`id` and an undeclared `display_name` are implicit and
    /// not listed).
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.by_name.get(name).and_then(|&i| self.fields.get(i))
    }
}

/// The schema: models by name.
///
/// ```
/// use smskit_filter::{FieldType, Schema};
///
/// let mut schema = Schema::new();
/// schema
///     .model("res.partner")
///     .field("name", FieldType::Char)
///     .field("parent_id", FieldType::many2one("res.partner"))
///     .field("category_id", FieldType::many2many("res.partner.category"));
/// schema.model("res.partner.category").field("name", FieldType::Char);
/// assert_eq!(schema.get("res.partner").unwrap().fields().len(), 3);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    models: Vec<Model>,
    by_name: HashMap<String, usize>,
}

impl Schema {
    /// An empty schema.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The model `name`, created empty if missing, to add fields to.
    pub fn model(&mut self, name: &str) -> ModelBuilder<'_> {
        let index = match self.by_name.get(name) {
            Some(&i) => i,
            None => {
                self.models.push(Model {
                    name: name.to_owned(),
                    ..Model::default()
                });
                let i = self.models.len() - 1;
                self.by_name.insert(name.to_owned(), i);
                i
            }
        };
        ModelBuilder {
            schema: self,
            index,
        }
    }

    /// A model by name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.by_name.get(name).and_then(|&i| self.models.get(i))
    }

    /// All models, in creation order.
    #[must_use]
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    pub(crate) fn model_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
}

/// Adds fields to a model of a [`Schema`].
#[derive(Debug)]
pub struct ModelBuilder<'s> {
    schema: &'s mut Schema,
    index: usize,
}

impl ModelBuilder<'_> {
    /// Declares (or redeclares) a field. `id` is implicit and ignored here.
    #[allow(
        clippy::return_self_not_must_use,
        reason = "the builder is also used for its side effect"
    )]
    pub fn field(self, name: &str, field_type: FieldType) -> Self {
        if name != "id"
            && let Some(model) = self.schema.models.get_mut(self.index)
        {
            match model.by_name.get(name) {
                Some(&i) => {
                    if let Some(field) = model.fields.get_mut(i) {
                        field.field_type = field_type;
                    }
                }
                None => {
                    let index = model.fields.len();
                    model.fields.push(Field {
                        name: name.into(),
                        field_type,
                        index,
                    });
                    model.by_name.insert(name.into(), index);
                }
            }
        }
        self
    }

    /// The model being built.
    #[must_use]
    pub fn get(&self) -> Option<&Model> {
        self.schema.models.get(self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_declaration_order_and_ignore_id() {
        let mut schema = Schema::new();
        schema
            .model("m")
            .field("id", FieldType::Integer)
            .field("b", FieldType::Char)
            .field("a", FieldType::many2one("m"))
            .field("b", FieldType::Text);
        let model = schema.get("m").unwrap();
        let names: Vec<_> = model
            .fields()
            .iter()
            .map(|f| (f.name(), f.index()))
            .collect();
        assert_eq!(names, vec![("b", 0), ("a", 1)]);
        assert_eq!(model.field("b").unwrap().field_type(), &FieldType::Text);
        assert_eq!(model.field("a").unwrap().field_type().comodel(), Some("m"));
        assert!(model.field("id").is_none());
    }

    #[test]
    fn type_names_round_trip() {
        for ty in [
            FieldType::Char,
            FieldType::Text,
            FieldType::Html,
            FieldType::Selection,
            FieldType::Integer,
            FieldType::Float,
            FieldType::Monetary,
            FieldType::Boolean,
            FieldType::Date,
            FieldType::Datetime,
            FieldType::many2one("x"),
            FieldType::one2many("x"),
            FieldType::many2many("x"),
        ] {
            assert_eq!(
                FieldType::from_name(ty.name(), ty.comodel()),
                Some(ty.clone())
            );
        }
        assert_eq!(FieldType::from_name("many2one", None), None);
        assert_eq!(FieldType::from_name("binary", None), None);
    }
}
