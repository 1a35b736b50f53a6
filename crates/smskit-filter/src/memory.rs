//! A ready in-memory implementation of [`Records`]: models -> records of typed values.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::ast::Literal;
use crate::dates::{DateValue, parse_iso};
use crate::error::Error;
use crate::eval::{Record, Records};
use crate::schema::{Field, FieldType, Schema};
use crate::values::FieldValue;

#[derive(Clone, Debug, PartialEq)]
enum Stored {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Box<str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Id(i64),
    Ids(Box<[i64]>),
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: i64,
    values: Box<[Stored]>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Table {
    rows: Vec<Row>,
    by_id: HashMap<i64, usize>,
}

/// In-memory records of several models, typed by a [`Schema`].
///
/// With the `serde` feature it reads the JSON dataset format of the `smskit filter`
/// command (`str::parse` / `Deserialize`):
///
/// ```json
/// {"models": {"res.partner": {
///     "fields": {"name": "char", "parent_id": {"type": "many2one", "comodel": "res.partner"}},
///     "records": [{"id": 1, "name": "a", "parent_id": null}]
/// }}}
/// ```
///
/// A relational value is an id, `null`/`false`, or a list of ids; a missing key means
/// the field was never set.
///
/// ```
/// use smskit_filter::{Dataset, FieldType, Literal, Plan, Schema};
///
/// let mut schema = Schema::new();
/// schema.model("res.partner").field("name", FieldType::Char).field("age", FieldType::Integer);
/// let mut data = Dataset::new(schema);
/// data.insert("res.partner", 1, [("name", Literal::from("Ann")), ("age", Literal::from(34))])?;
/// data.insert("res.partner", 2, [("name", Literal::from("Bob"))])?;
/// let plan = Plan::new(data.schema(), "res.partner", &smskit_filter::parse("[('age', '<', 18)]")?)?;
/// assert_eq!(plan.filter(&data), vec![2]); // an unset integer reads as 0
/// # Ok::<(), smskit_filter::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    schema: Schema,
    tables: Vec<Table>,
}

/// A record of a [`Dataset`].
#[derive(Clone, Copy, Debug)]
pub struct DatasetRecord<'a> {
    row: &'a Row,
}

impl Record for DatasetRecord<'_> {
    #[inline]
    fn id(&self) -> i64 {
        self.row.id
    }

    #[inline]
    fn get(&self, field: &Field) -> FieldValue<'_> {
        match self.row.values.get(field.index()) {
            None | Some(Stored::Null) => FieldValue::Null,
            Some(Stored::Bool(b)) => FieldValue::Bool(*b),
            Some(Stored::Int(i)) => FieldValue::Int(*i),
            Some(Stored::Float(f)) => FieldValue::Float(*f),
            Some(Stored::Str(s)) => FieldValue::Str(s),
            Some(Stored::Date(d)) => FieldValue::Date(*d),
            Some(Stored::DateTime(d)) => FieldValue::DateTime(*d),
            Some(Stored::Id(id)) => FieldValue::Id(*id),
            Some(Stored::Ids(ids)) => FieldValue::Ids(ids),
        }
    }
}

impl Records for Dataset {
    type Record<'a> = DatasetRecord<'a>;

    fn get(&self, model: &str, id: i64) -> Option<DatasetRecord<'_>> {
        self.record(model, id)
    }

    fn scan<'s, F: FnMut(DatasetRecord<'s>)>(&'s self, model: &str, mut visit: F) {
        if let Some(table) = self
            .schema
            .model_index(model)
            .and_then(|i| self.tables.get(i))
        {
            for row in &table.rows {
                visit(DatasetRecord { row });
            }
        }
    }
}

impl Dataset {
    /// An empty dataset for the models of `schema`.
    #[must_use]
    pub fn new(schema: Schema) -> Self {
        let tables = vec![Table::default(); schema.models().len()];
        Self { schema, tables }
    }

    /// The schema of the records.
    #[must_use]
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// A record by model and id.
    #[must_use]
    pub fn record(&self, model: &str, id: i64) -> Option<DatasetRecord<'_>> {
        let table = self.tables.get(self.schema.model_index(model)?)?;
        let row = table.rows.get(*table.by_id.get(&id)?)?;
        Some(DatasetRecord { row })
    }

    /// Number of records of `model`.
    #[must_use]
    pub fn len(&self, model: &str) -> usize {
        self.schema
            .model_index(model)
            .and_then(|i| self.tables.get(i))
            .map_or(0, |t| t.rows.len())
    }

    /// Whether the dataset holds no record at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.tables.iter().all(|t| t.rows.is_empty())
    }

    /// Adds a record. Values are converted to the field types (see the type's JSON form
    /// in the [type docs](Dataset)); fields not given are never set.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDataset`] for an unknown model or field, a duplicate id, or a
    /// value that does not fit the field's type.
    pub fn insert<K: AsRef<str>>(
        &mut self,
        model: &str,
        id: i64,
        values: impl IntoIterator<Item = (K, Literal)>,
    ) -> Result<(), Error> {
        let invalid = |reason: String| Error::InvalidDataset { reason };
        let Some(index) = self.schema.model_index(model) else {
            return Err(invalid(format!("unknown model {model:?}")));
        };
        let model_ref = &self.schema.models()[index];
        let mut row = vec![Stored::Null; model_ref.fields().len()];
        for (name, value) in values {
            let name = name.as_ref();
            if name == "id" {
                continue;
            }
            let Some(field) = model_ref.field(name) else {
                return Err(invalid(format!(
                    "record {id} of {model}: unknown field {name:?}"
                )));
            };
            let stored = convert(field.field_type(), &value).map_err(|reason| {
                invalid(format!("record {id} of {model}, field {name:?}: {reason}"))
            })?;
            row[field.index()] = stored;
        }
        // `new` made one table per model of the schema, which cannot change afterwards.
        let Some(table) = self.tables.get_mut(index) else {
            return Err(invalid(format!("unknown model {model:?}")));
        };
        if table.by_id.contains_key(&id) {
            return Err(invalid(format!("duplicate id {id} in {model}")));
        }
        table.by_id.insert(id, table.rows.len());
        table.rows.push(Row {
            id,
            values: row.into_boxed_slice(),
        });
        Ok(())
    }
}

fn describe(value: &Literal) -> String {
    match value {
        Literal::None => "null".into(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => f.to_string(),
        Literal::Str(s) => format!("{s:?}"),
        Literal::List(_) | Literal::Tuple(_) => "a list".into(),
    }
}

fn related_id(value: &Literal) -> Option<i64> {
    match value {
        Literal::Int(i) => Some(*i),
        _ => None,
    }
}

fn convert(field_type: &FieldType, value: &Literal) -> Result<Stored, String> {
    let wrong = |expected: &str| Err(format!("expected {expected}, found {}", describe(value)));
    if matches!(value, Literal::None | Literal::Bool(false)) && *field_type != FieldType::Boolean {
        return Ok(match field_type {
            FieldType::One2many(_) | FieldType::Many2many(_) => Stored::Ids(Box::new([])),
            _ => Stored::Null,
        });
    }
    Ok(match field_type {
        FieldType::Char | FieldType::Text | FieldType::Html | FieldType::Selection => match value {
            Literal::Str(s) => Stored::Str(s.as_str().into()),
            _ => return wrong("a string"),
        },
        FieldType::Integer => match value {
            Literal::Int(i) => Stored::Int(*i),
            Literal::Float(f) => match crate::values::float_as_int(*f) {
                Some(i) => Stored::Int(i),
                None => return wrong("an integer"),
            },
            _ => return wrong("an integer"),
        },
        FieldType::Float | FieldType::Monetary => match value {
            #[allow(clippy::cast_precision_loss, reason = "JSON numbers are floats")]
            Literal::Int(i) => Stored::Float(*i as f64),
            Literal::Float(f) => Stored::Float(*f),
            _ => return wrong("a number"),
        },
        FieldType::Boolean => match value {
            Literal::Bool(b) => Stored::Bool(*b),
            Literal::None => Stored::Null,
            _ => return wrong("a boolean"),
        },
        FieldType::Date | FieldType::Datetime => {
            let Literal::Str(text) = value else {
                return wrong("a date string");
            };
            match (parse_iso(text), field_type) {
                (Ok(DateValue::Date(d)), FieldType::Date) => Stored::Date(d),
                (Ok(DateValue::DateTime(dt)), FieldType::Date) => Stored::Date(dt.date()),
                (Ok(DateValue::Date(d)), _) => Stored::DateTime(d.and_time(chrono::NaiveTime::MIN)),
                // Odoo stores datetimes to the second.
                (Ok(DateValue::DateTime(dt)), _) => {
                    Stored::DateTime(dt.with_nanosecond(0).unwrap_or(dt))
                }
                (Err(reason), _) => return Err(reason),
            }
        }
        FieldType::Many2one(_) => match value {
            Literal::Int(0) => Stored::Null,
            Literal::Int(i) => Stored::Id(*i),
            // A single id in a list, or Odoo's read() pair [id, "name"].
            Literal::List(items) | Literal::Tuple(items) => match items.as_slice() {
                [] => Stored::Null,
                [first] | [first, Literal::Str(_)] => match related_id(first) {
                    Some(id) => Stored::Id(id),
                    None => return wrong("an id"),
                },
                _ => return wrong("a single id"),
            },
            _ => return wrong("an id"),
        },
        FieldType::One2many(_) | FieldType::Many2many(_) => match value {
            Literal::Int(i) => Stored::Ids(Box::new([*i])),
            Literal::List(items) | Literal::Tuple(items) => {
                let mut ids = Vec::with_capacity(items.len());
                for item in items {
                    match related_id(item) {
                        Some(id) => ids.push(id),
                        None => return wrong("a list of ids"),
                    }
                }
                Stored::Ids(ids.into_boxed_slice())
            }
            _ => return wrong("a list of ids"),
        },
    })
}

#[cfg(feature = "serde")]
mod json {
    //! The JSON dataset format, read in one pass: once a model's fields are known, each
    //! record is converted to a typed row as it is read, so memory holds the rows, not a map
    //! of strings per record (records listed before their model's fields are buffered).

    use std::collections::{BTreeMap, HashMap};
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{
        self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };

    use super::{Dataset, Row, Stored, Table, convert};
    use crate::ast::Literal;
    use crate::error::Error;
    use crate::schema::{FieldType, Schema};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum RawType {
        Name(String),
        Full {
            #[serde(rename = "type")]
            name: String,
            #[serde(default)]
            comodel: Option<String>,
        },
    }

    /// A model's fields in schema order (by name), typed.
    #[derive(Default)]
    struct Fields {
        types: Vec<FieldType>,
        index: HashMap<String, usize>,
        names: Vec<String>,
    }

    impl Fields {
        fn read(model: &str, raw: BTreeMap<String, RawType>) -> Result<Self, String> {
            let mut fields = Fields::default();
            for (name, ty) in raw {
                if name == "id" {
                    continue;
                }
                let (type_name, comodel) = match &ty {
                    RawType::Name(n) => (n.as_str(), None),
                    RawType::Full { name, comodel } => (name.as_str(), comodel.as_deref()),
                };
                let Some(field_type) = FieldType::from_name(type_name, comodel) else {
                    return Err(format!(
                        "field {model}.{name}: unknown type {type_name:?}{}",
                        if comodel.is_none()
                            && matches!(type_name, "many2one" | "one2many" | "many2many")
                        {
                            " (relational fields need a \"comodel\")"
                        } else {
                            ""
                        }
                    ));
                };
                fields.index.insert(name.clone(), fields.types.len());
                fields.types.push(field_type);
                fields.names.push(name);
            }
            Ok(fields)
        }

        /// The typed row of one record given as `(key, value)` pairs.
        fn row(
            &self,
            model: &str,
            position: usize,
            values: impl IntoIterator<Item = (String, Literal)>,
        ) -> Result<Row, String> {
            let mut row = vec![Stored::Null; self.types.len()];
            let mut id = None;
            let mut failure = None;
            for (name, value) in values {
                if name == "id" {
                    id = match value {
                        Literal::Int(id) => Some(id),
                        _ => None,
                    };
                    continue;
                }
                if failure.is_some() {
                    continue;
                }
                match self.index.get(&name) {
                    None => failure = Some(format!("unknown field {name:?}")),
                    Some(&index) => match convert(&self.types[index], &value) {
                        Ok(stored) => row[index] = stored,
                        Err(reason) => failure = Some(format!("field {name:?}: {reason}")),
                    },
                }
            }
            let Some(id) = id else {
                return Err(format!(
                    "record #{} of {model} has no integer \"id\"",
                    position + 1
                ));
            };
            if let Some(failure) = failure {
                return Err(format!("record {id} of {model}, {failure}"));
            }
            Ok(Row {
                id,
                values: row.into_boxed_slice(),
            })
        }
    }

    /// One model as read so far.
    #[derive(Default)]
    struct ModelData {
        fields: Option<Fields>,
        table: Table,
        /// Records read before the fields, converted once the fields are known.
        pending: Vec<Vec<(String, Literal)>>,
    }

    impl ModelData {
        fn push(&mut self, model: &str, row: Row) -> Result<(), String> {
            if self.table.by_id.contains_key(&row.id) {
                return Err(format!("duplicate id {} in {model}", row.id));
            }
            self.table.by_id.insert(row.id, self.table.rows.len());
            self.table.rows.push(row);
            Ok(())
        }
    }

    struct DatasetVisitor;

    impl<'de> Visitor<'de> for DatasetVisitor {
        type Value = Dataset;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a dataset {\"models\": {...}}")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dataset, A::Error> {
            let mut models = None;
            while let Some(key) = map.next_key::<String>()? {
                if key == "models" {
                    models = Some(map.next_value_seed(ModelsSeed)?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            let models = models.ok_or_else(|| de::Error::missing_field("models"))?;
            assemble(models).map_err(de::Error::custom)
        }
    }

    /// Builds the schema (models and fields by name) and moves the rows into its tables.
    fn assemble(models: BTreeMap<String, ModelData>) -> Result<Dataset, String> {
        // A relational field must lead somewhere: said here, at the dataset, rather than
        // later at the first domain that follows the field.
        for (name, data) in &models {
            let Some(fields) = &data.fields else { continue };
            for (field, field_type) in fields.names.iter().zip(&fields.types) {
                if let Some(comodel) = field_type.comodel()
                    && !models.contains_key(comodel)
                {
                    return Err(format!(
                        "field {name}.{field}: its comodel {comodel:?} is not a model of the dataset (add it under \"models\", with its fields)"
                    ));
                }
            }
        }
        let mut schema = Schema::new();
        let mut tables = Vec::with_capacity(models.len());
        for (name, mut data) in models {
            let fields = data.fields.take().unwrap_or_default();
            for (position, record) in std::mem::take(&mut data.pending).into_iter().enumerate() {
                let row = fields.row(&name, position, record)?;
                data.push(&name, row)?;
            }
            let mut builder = schema.model(&name);
            for (field, field_type) in fields.names.iter().zip(fields.types) {
                builder = builder.field(field, field_type);
            }
            tables.push(data.table);
        }
        Ok(Dataset { schema, tables })
    }

    struct ModelsSeed;

    impl<'de> DeserializeSeed<'de> for ModelsSeed {
        type Value = BTreeMap<String, ModelData>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for ModelsSeed {
        type Value = BTreeMap<String, ModelData>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("models by name")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut models = BTreeMap::new();
            while let Some(name) = map.next_key::<String>()? {
                if models.contains_key(&name) {
                    return Err(de::Error::custom(format!("model {name:?} is listed twice")));
                }
                let data = map.next_value_seed(ModelSeed { name: &name })?;
                models.insert(name, data);
            }
            Ok(models)
        }
    }

    struct ModelSeed<'n> {
        name: &'n str,
    }

    impl<'de> DeserializeSeed<'de> for ModelSeed<'_> {
        type Value = ModelData;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<ModelData, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for ModelSeed<'_> {
        type Value = ModelData;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "model {:?}: {{\"fields\": {{...}}, \"records\": [...]}}",
                self.name
            )
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ModelData, A::Error> {
            let mut data = ModelData::default();
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "fields" => {
                        let raw: BTreeMap<String, RawType> = map.next_value()?;
                        data.fields =
                            Some(Fields::read(self.name, raw).map_err(de::Error::custom)?);
                    }
                    "records" => {
                        map.next_value_seed(RecordsSeed {
                            name: self.name,
                            data: &mut data,
                        })?;
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(data)
        }
    }

    struct RecordsSeed<'a> {
        name: &'a str,
        data: &'a mut ModelData,
    }

    impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for RecordsSeed<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of records of {}", self.name)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut position = self.data.table.rows.len() + self.data.pending.len();
            loop {
                let row = match &self.data.fields {
                    Some(fields) => seq.next_element_seed(RecordSeed {
                        model: self.name,
                        position,
                        fields,
                    })?,
                    None => match seq.next_element::<RecordPairs>()? {
                        Some(record) => {
                            self.data.pending.push(record.0);
                            position += 1;
                            continue;
                        }
                        None => None,
                    },
                };
                let Some(row) = row else {
                    return Ok(());
                };
                self.data.push(self.name, row).map_err(de::Error::custom)?;
                position += 1;
            }
        }
    }

    /// One record converted to a row as its values are read, so that an error is raised
    /// (and located by the JSON reader) at the offending value.
    struct RecordSeed<'a> {
        model: &'a str,
        position: usize,
        fields: &'a Fields,
    }

    impl RecordSeed<'_> {
        fn describe(&self, id: Option<i64>) -> String {
            match id {
                Some(id) => format!("record {id} of {}", self.model),
                None => format!("record #{} of {}", self.position + 1, self.model),
            }
        }
    }

    impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
        type Value = Row;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Row, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for RecordSeed<'_> {
        type Value = Row;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "{}: an object {{\"id\": ..., \"field\": ...}}",
                self.describe(None)
            )
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
            let mut row = vec![Stored::Null; self.fields.types.len()];
            let mut id = None;
            while let Some(name) = map.next_key::<String>()? {
                if name == "id" {
                    match map.next_value::<Literal>()? {
                        Literal::Int(value) => id = Some(value),
                        _ => {
                            return Err(de::Error::custom(format!(
                                "{}: \"id\" is not an integer",
                                self.describe(None)
                            )));
                        }
                    }
                    continue;
                }
                let Some(&index) = self.fields.index.get(&name) else {
                    return Err(de::Error::custom(format!(
                        "{}: unknown field {name:?}",
                        self.describe(id)
                    )));
                };
                let value = map.next_value::<Literal>()?;
                row[index] = convert(&self.fields.types[index], &value).map_err(|reason| {
                    de::Error::custom(format!("{}, field {name:?}: {reason}", self.describe(id)))
                })?;
            }
            let Some(id) = id else {
                return Err(de::Error::custom(format!(
                    "{} has no integer \"id\"",
                    self.describe(None)
                )));
            };
            Ok(Row {
                id,
                values: row.into_boxed_slice(),
            })
        }
    }

    /// A record's keys and values, in order (no map: it is converted at once).
    struct RecordPairs(Vec<(String, Literal)>);

    impl<'de> Deserialize<'de> for RecordPairs {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct PairsVisitor;

            impl<'de> Visitor<'de> for PairsVisitor {
                type Value = RecordPairs;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a record object {\"id\": ..., \"field\": ...}")
                }

                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordPairs, A::Error> {
                    let mut pairs = Vec::new();
                    while let Some(pair) = map.next_entry::<String, Literal>()? {
                        pairs.push(pair);
                    }
                    Ok(RecordPairs(pairs))
                }
            }

            deserializer.deserialize_map(PairsVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Dataset {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(DatasetVisitor)
        }
    }

    impl std::str::FromStr for Dataset {
        type Err = Error;

        /// Reads the JSON dataset format. Errors give the line and column in the JSON.
        fn from_str(text: &str) -> Result<Self, Error> {
            serde_json::from_str(text).map_err(|e| Error::InvalidDataset {
                reason: e.to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        let mut schema = Schema::new();
        schema
            .model("p")
            .field("name", FieldType::Char)
            .field("n", FieldType::Integer)
            .field("x", FieldType::Float)
            .field("ok", FieldType::Boolean)
            .field("d", FieldType::Date)
            .field("t", FieldType::Datetime)
            .field("m", FieldType::many2one("p"))
            .field("tags", FieldType::many2many("p"));
        schema
    }

    #[test]
    fn values_are_converted_to_field_types() {
        let mut data = Dataset::new(schema());
        data.insert(
            "p",
            1,
            [
                ("name", Literal::from("a")),
                ("n", Literal::Float(3.0)),
                ("x", Literal::Int(2)),
                ("ok", Literal::Bool(true)),
                ("d", Literal::from("2024-01-05")),
                ("t", Literal::from("2024-01-05 10:00:00.7")),
                (
                    "m",
                    Literal::List(vec![Literal::Int(2), Literal::from("Two")]),
                ),
                ("tags", Literal::Int(3)),
            ],
        )
        .unwrap();
        let record = data.record("p", 1).unwrap();
        let model = data.schema().get("p").unwrap();
        let get = |name: &str| record.get(model.field(name).unwrap());
        assert_eq!(get("n"), FieldValue::Int(3));
        assert_eq!(get("x"), FieldValue::Float(2.0));
        assert_eq!(get("m"), FieldValue::Id(2));
        assert_eq!(get("tags"), FieldValue::Ids(&[3]));
        assert!(matches!(get("t"), FieldValue::DateTime(dt) if dt.nanosecond() == 0));
    }

    #[test]
    fn bad_values_name_the_record_and_field() {
        let mut data = Dataset::new(schema());
        let error = data
            .insert("p", 7, [("n", Literal::from("x"))])
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid dataset: record 7 of p, field \"n\": expected an integer, found \"x\""
        );
        assert!(data.insert("p", 1, [("zz", Literal::Int(1))]).is_err());
        assert!(data.insert("q", 1, [("n", Literal::Int(1))]).is_err());
        data.insert("p", 1, [("n", Literal::Int(1))]).unwrap();
        assert!(data.insert("p", 1, [("n", Literal::Int(1))]).is_err());
        assert!(
            data.insert("p", 2, [("d", Literal::from("2024-13-01"))])
                .is_err()
        );
        assert!(
            data.insert(
                "p",
                2,
                [("m", Literal::List(vec![Literal::Int(1), Literal::Int(2)]))]
            )
            .is_err()
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_records_may_come_before_their_fields() {
        let data: Dataset = r#"{"models": {"p": {
            "records": [{"name": "a", "id": 2, "m": [1, "One"]}, {"id": 1}],
            "fields": {"name": "char", "m": {"type": "many2one", "comodel": "p"}}
        }}}"#
            .parse()
            .unwrap();
        assert_eq!(data.len("p"), 2);
        let model = data.schema().get("p").unwrap();
        let record = data.record("p", 2).unwrap();
        assert_eq!(
            record.get(model.field("name").unwrap()),
            FieldValue::Str("a")
        );
        assert_eq!(record.get(model.field("m").unwrap()), FieldValue::Id(1));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_errors_give_the_record_and_its_position_in_the_file() {
        let text = "{\"models\": {\"p\": {\"fields\": {\"n\": \"integer\"},\n \"records\": [\n{\"id\": 1, \"n\": 1},\n{\"id\": 7, \"n\": \"x\"}\n]}}}";
        let error = text.parse::<Dataset>().unwrap_err().to_string();
        assert!(
            error.contains("record 7 of p, field \"n\": expected an integer, found \"x\""),
            "{error}"
        );
        assert!(error.ends_with("at line 4 column 19"), "{error}");
        let error =
            "{\"models\": {\"p\": {\"fields\": {}, \"records\": [{\"id\": 1}, {\"zz\": 1}]}}}"
                .parse::<Dataset>()
                .unwrap_err()
                .to_string();
        assert!(
            error.contains("record #2 of p: unknown field \"zz\""),
            "{error}"
        );
        let error =
            "{\"models\": {\"p\": {\"fields\": {}, \"records\": [{\"id\": 1}, {\"id\": 1}]}}}"
                .parse::<Dataset>()
                .unwrap_err()
                .to_string();
        assert!(error.contains("duplicate id 1 in p"), "{error}");
        assert!(error.contains("column"), "{error}");
        let error = "{\"models\": {\"p\": {\"fields\": {\"q\": \"many2one\"}}}}"
            .parse::<Dataset>()
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("relational fields need a \"comodel\""),
            "{error}"
        );
    }
}
