//! Where the models and fields of a schema live in a database.

use std::collections::HashMap;

/// Where each model of a schema is stored: a table per model, a place per field.
///
/// Table, column and relation names (and the optional many2many condition) are trusted text
/// from the application, never user input; they are quoted as identifiers all the same.
///
/// ```
/// use smskit_filter::sql::SqlMapping;
///
/// let mut mapping = SqlMapping::new();
/// mapping
///     .model("res.partner", "partners")
///     .column("name", "name")
///     .column("country_id", "country")
///     .one2many("child_ids", "parent_id")
///     .many2many("category_id", "partner_category_rel", "partner_id", "category_id")
///     .json_fields("extra");
/// mapping.model("res.country", "countries").id("country_id").column("name", "name");
/// assert!(mapping.has_model("res.country"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SqlMapping {
    pub(crate) models: HashMap<String, TableMapping>,
}

/// The table of one model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TableMapping {
    pub(crate) table: String,
    pub(crate) id: String,
    pub(crate) fields: HashMap<String, FieldMapping>,
    /// A JSON column holding every other non-relational field, keyed by its name.
    pub(crate) json_fields: Option<String>,
}

/// Where one field is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FieldMapping {
    /// A column of the model's table (a many2one: the foreign key).
    Column(String),
    /// A key of a JSON column (text fields).
    JsonKey { column: String, key: String },
    /// The comodel's column that points back at this record.
    One2many { inverse: String },
    /// A relation table.
    Many2many {
        table: String,
        source: String,
        target: String,
        condition: Option<String>,
    },
}

impl TableMapping {
    /// The mapping of `field`, the JSON fallback included for non-relational fields.
    pub(crate) fn field(&self, field: &str, relational: bool) -> Option<FieldMapping> {
        match self.fields.get(field) {
            Some(mapping) => Some(mapping.clone()),
            None if !relational => self
                .json_fields
                .as_ref()
                .map(|column| FieldMapping::JsonKey {
                    column: column.clone(),
                    key: field.to_owned(),
                }),
            None => None,
        }
    }
}

impl SqlMapping {
    /// An empty mapping.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Maps `model` to `table` (id column `id` until [`TableBuilder::id`] says otherwise)
    /// and returns a builder for its fields. Mapping a model again starts it afresh.
    pub fn model(&mut self, model: &str, table: &str) -> TableBuilder<'_> {
        let entry = self.models.entry(model.to_owned()).or_default();
        *entry = TableMapping {
            table: table.to_owned(),
            id: "id".to_owned(),
            ..TableMapping::default()
        };
        TableBuilder { table: entry }
    }

    /// Whether `model` is mapped.
    #[must_use]
    pub fn has_model(&self, model: &str) -> bool {
        self.models.contains_key(model)
    }
}

/// Declares where the fields of one model are ([`SqlMapping::model`]).
#[derive(Debug)]
pub struct TableBuilder<'m> {
    table: &'m mut TableMapping,
}

#[allow(
    clippy::return_self_not_must_use,
    reason = "the builder is also used for its side effect"
)]
impl TableBuilder<'_> {
    /// The id column (default `id`).
    pub fn id(self, column: &str) -> Self {
        column.clone_into(&mut self.table.id);
        self
    }

    /// A field stored in a column of the table; for a many2one, the foreign key column
    /// (`NULL` or 0 when there is no related record).
    pub fn column(self, field: &str, column: &str) -> Self {
        self.table
            .fields
            .insert(field.to_owned(), FieldMapping::Column(column.to_owned()));
        self
    }

    /// A text field stored under `key` in the JSON column `column` (PostgreSQL `json` or
    /// `jsonb`, SQLite JSON text); a missing key or a JSON `null` is no value.
    pub fn json_key(self, field: &str, column: &str, key: &str) -> Self {
        self.table.fields.insert(
            field.to_owned(),
            FieldMapping::JsonKey {
                column: column.to_owned(),
                key: key.to_owned(),
            },
        );
        self
    }

    /// Every non-relational field not mapped otherwise is a text field stored in the JSON
    /// column `column` under its own name (free fields).
    pub fn json_fields(self, column: &str) -> Self {
        self.table.json_fields = Some(column.to_owned());
        self
    }

    /// A one2many: the records of the comodel whose column `inverse` holds this record's id.
    pub fn one2many(self, field: &str, inverse: &str) -> Self {
        self.table.fields.insert(
            field.to_owned(),
            FieldMapping::One2many {
                inverse: inverse.to_owned(),
            },
        );
        self
    }

    /// A many2many through the relation table `table`: rows whose `source` column holds this
    /// record's id and whose `target` column holds the related record's id.
    pub fn many2many(self, field: &str, table: &str, source: &str, target: &str) -> Self {
        self.insert_many2many(field, table, source, target, None)
    }

    /// A many2many counting only the relation rows that satisfy `condition`, a trusted SQL
    /// condition over the relation table's columns, unqualified (`opt_out = FALSE`): the
    /// relation table is the only table of the `FROM` clause it is written into.
    pub fn many2many_where(
        self,
        field: &str,
        table: &str,
        source: &str,
        target: &str,
        condition: &str,
    ) -> Self {
        self.insert_many2many(field, table, source, target, Some(condition.to_owned()))
    }

    fn insert_many2many(
        self,
        field: &str,
        table: &str,
        source: &str,
        target: &str,
        condition: Option<String>,
    ) -> Self {
        self.table.fields.insert(
            field.to_owned(),
            FieldMapping::Many2many {
                table: table.to_owned(),
                source: source.to_owned(),
                target: target.to_owned(),
                condition,
            },
        );
        self
    }
}
