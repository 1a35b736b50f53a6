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
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer};

    use super::Dataset;
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

    #[derive(Deserialize)]
    struct RawModel {
        #[serde(default)]
        fields: BTreeMap<String, RawType>,
        #[serde(default)]
        records: Vec<BTreeMap<String, Literal>>,
    }

    #[derive(Deserialize)]
    struct RawDataset {
        models: BTreeMap<String, RawModel>,
    }

    impl<'de> Deserialize<'de> for Dataset {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let raw = RawDataset::deserialize(deserializer)?;
            Dataset::from_raw(raw).map_err(D::Error::custom)
        }
    }

    impl Dataset {
        fn from_raw(raw: RawDataset) -> Result<Self, Error> {
            let invalid = |reason: String| Error::InvalidDataset { reason };
            let mut schema = Schema::new();
            for (model, def) in &raw.models {
                let mut builder = schema.model(model);
                for (name, ty) in &def.fields {
                    let (type_name, comodel) = match ty {
                        RawType::Name(n) => (n.as_str(), None),
                        RawType::Full { name, comodel } => (name.as_str(), comodel.as_deref()),
                    };
                    let Some(field_type) = FieldType::from_name(type_name, comodel) else {
                        return Err(invalid(format!(
                            "field {model}.{name}: unknown type {type_name:?}{}",
                            if comodel.is_none()
                                && matches!(type_name, "many2one" | "one2many" | "many2many")
                            {
                                " (relational fields need a \"comodel\")"
                            } else {
                                ""
                            }
                        )));
                    };
                    builder = builder.field(name, field_type);
                }
            }
            let mut data = Self::new(schema);
            for (model, def) in raw.models {
                for (position, record) in def.records.into_iter().enumerate() {
                    let id = match record.get("id") {
                        Some(Literal::Int(id)) => *id,
                        _ => {
                            return Err(invalid(format!(
                                "record #{} of {model} has no integer \"id\"",
                                position + 1
                            )));
                        }
                    };
                    data.insert(&model, id, record)?;
                }
            }
            Ok(data)
        }
    }

    impl std::str::FromStr for Dataset {
        type Err = Error;

        /// Reads the JSON dataset format.
        fn from_str(text: &str) -> Result<Self, Error> {
            let raw: RawDataset =
                serde_json::from_str(text).map_err(|e| Error::InvalidDataset {
                    reason: format!("not a JSON dataset: {e}"),
                })?;
            Self::from_raw(raw)
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
}
