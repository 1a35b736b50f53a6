//! The application's own records as an audience: any `Serialize` type is filtered and templated
//! through one schema inferred from its data, and its phone field says where messages go.
//!
//! The struct the application already has serves the filter (`[('orders', '>', 3)]`), the
//! template (`{{ object.name }}`, `{{ object.partner_id.name ||| there }}`) and the number: no
//! adapter to write, no schema to declare by hand. A name the records do not have is an error
//! with its position, never a silent empty value.
//!
//! | serialized as | field type | notes |
//! |---|---|---|
//! | `bool` | boolean | |
//! | integers | integer | up to `i64::MAX` |
//! | floats | float | a field with integers and floats is a float |
//! | strings, chars, unit enum variants | char | dates serialize as text too |
//! | `None` / unit | the type of the other records' values | char when every record has none |
//! | a struct or map | many2one to `<model>.<field>` | one related record per record: `partner_id.name` |
//! | a sequence | not a field | naming it in a filter or template is an error |
//!
//! The record id is the integer field `id` when every record has a distinct one, else the
//! position in the input (from 1). Records are read once, when the set is built; a hot path with
//! millions of rows can implement [`filter::Record`](crate::filter::Record) directly instead.
//!
//! ```
//! use serde::Serialize;
//! use smskit::records::RecordSet;
//!
//! #[derive(Serialize)]
//! struct Customer { id: i64, name: String, mobile: String, orders: u32, vip: bool }
//!
//! let customers = vec![
//!     Customer { id: 7, name: "Ann".into(), mobile: "+32470000001".into(), orders: 5, vip: true },
//!     Customer { id: 9, name: "Bob".into(), mobile: "+32470000002".into(), orders: 1, vip: false },
//! ];
//! let records = RecordSet::from_serialize("customer", &customers, "mobile")?;
//! assert_eq!(records.select("[('orders', '>', 3)]")?, vec![7]);
//! assert_eq!(records.render("Thanks {{ object.name }}!", 7)?, "Thanks Ann!");
//! assert!(records.select("[('order_count', '>', 3)]").is_err()); // not a field: refused
//! # Ok::<(), smskit::Error>(())
//! ```

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::error::Error;
use crate::filter::{Field, FieldType, FieldValue, Plan, Record, Records, Schema};
use crate::model::{Audience, ContactId, MailingId, NewContact, NewMailing};
use crate::phone::Region;
use crate::store::Store;
use crate::template::Template;

/// Nested structs deeper than this are refused: the walk over a record is bounded.
const MAX_DEPTH: usize = 16;

/// The free field of a contact that remembers which record it mirrors (`model/id`); `@` keeps
/// it apart from every field name a domain or template can spell.
pub(crate) const RECORD_KEY: &str = "@record";

/// Records of the application, read once through `serde`, with the schema they imply.
#[derive(Debug, Clone)]
pub struct RecordSet {
    schema: Schema,
    /// `tables[0]` holds the records themselves; the others, their nested structs.
    tables: Vec<Table>,
    phone_field: String,
}

#[derive(Debug, Clone)]
struct Table {
    model: String,
    columns: Vec<Column>,
    by_name: HashMap<String, usize>,
    rows: Vec<Vec<Cell>>,
    ids: Vec<i64>,
    by_id: HashMap<i64, usize>,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Only nulls seen so far.
    Unknown,
    Bool,
    Int,
    Float,
    Str,
    /// A nested struct: rows of this table.
    Object(usize),
    /// A sequence: kept out of the schema.
    Sequence,
}

#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// The id of the related row.
    Ref(i64),
}

impl Table {
    fn new(model: String) -> Self {
        Table {
            model,
            columns: Vec::new(),
            by_name: HashMap::new(),
            rows: Vec::new(),
            ids: Vec::new(),
            by_id: HashMap::new(),
        }
    }

    fn column(&mut self, name: &str) -> usize {
        if let Some(&index) = self.by_name.get(name) {
            return index;
        }
        self.columns.push(Column {
            name: name.to_owned(),
            kind: Kind::Unknown,
        });
        let index = self.columns.len() - 1;
        self.by_name.insert(name.to_owned(), index);
        index
    }

    fn cell(&self, row: usize, name: &str) -> &Cell {
        self.by_name
            .get(name)
            .and_then(|&column| self.rows.get(row)?.get(column))
            .unwrap_or(&Cell::Null)
    }
}

fn invalid(record: usize, field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidRecord {
        record,
        field: field.to_owned(),
        reason: reason.into(),
    }
}

impl RecordSet {
    /// Reads `records` (any `Serialize` type, or references to one) as records of `model`,
    /// whose messages go to the number in `phone_field`.
    ///
    /// Errors name the record (from 1) and the field: a record that is not a struct or map,
    /// a field whose values have different types in different records, an integer beyond
    /// `i64`, nesting deeper than 16 levels, or a phone field no record has.
    pub fn from_serialize<T: Serialize>(
        model: &str,
        records: impl IntoIterator<Item = T>,
        phone_field: &str,
    ) -> Result<RecordSet, Error> {
        let mut tables = vec![Table::new(model.to_owned())];
        let mut positions = 0usize;
        for (index, record) in records.into_iter().enumerate() {
            let position = index + 1;
            positions = position;
            let value = serde_json::to_value(record)
                .map_err(|error| invalid(position, "", error.to_string()))?;
            let Value::Object(fields) = value else {
                return Err(invalid(
                    position,
                    "",
                    "a record must serialize as a struct or map",
                ));
            };
            add_row(&mut tables, 0, &fields, position, 0)?;
        }
        if positions > 0 && !tables[0].by_name.contains_key(phone_field) {
            return Err(invalid(1, phone_field, "no record has this phone field"));
        }
        assign_root_ids(&mut tables[0]);
        let schema = schema_of(&tables);
        Ok(RecordSet {
            schema,
            tables,
            phone_field: phone_field.to_owned(),
        })
    }

    /// The schema filters and templates are checked against: the records' model and one model
    /// per nested struct.
    #[must_use]
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The records' model name.
    #[must_use]
    pub fn model(&self) -> &str {
        &self.tables[0].model
    }

    /// How many records there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tables[0].rows.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ids of the records, in input order.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.tables[0].ids.iter().copied()
    }

    /// The ids of the records matching the filter `domain` (`spec/filters.md`), ascending; a
    /// malformed domain or an unknown field is an error with its position.
    pub fn select(&self, domain: &str) -> Result<Vec<i64>, Error> {
        let domain = crate::filter::parse(domain)?;
        let plan = Plan::new(&self.schema, self.model(), &domain)?;
        Ok(plan.filter(self))
    }

    /// Checks `template` against the records' schema: an unknown field is an error with its
    /// position.
    pub fn check(&self, template: &Template) -> Result<(), Error> {
        Ok(template.check(&self.schema, self.model())?)
    }

    /// `template` rendered for the record with this id (checked first); `None` values and
    /// falsy ones take the placeholder's default, as in Odoo.
    pub fn render(&self, template: &str, id: i64) -> Result<String, Error> {
        let template = Template::parse(template)?;
        self.check(&template)?;
        let row = self.row_of(id)?;
        let mut out = String::new();
        template.render_into(&mut out, |path| self.value_at(row, path));
        Ok(out)
    }

    /// The phone number of the record with this id as written (`None` when it has none).
    pub fn phone(&self, id: i64) -> Result<Option<String>, Error> {
        let row = self.row_of(id)?;
        Ok(match self.tables[0].cell(row, &self.phone_field) {
            Cell::Str(text) => Some(text.clone()),
            Cell::Int(number) => Some(number.to_string()),
            _ => None,
        })
    }

    fn row_of(&self, id: i64) -> Result<usize, Error> {
        self.tables[0]
            .by_id
            .get(&id)
            .copied()
            .ok_or_else(|| invalid(0, "id", format!("no record has id {id}")))
    }

    /// The value at the end of `path` from root row `row` (`Null` past an empty relation).
    fn value_at(&self, row: usize, path: &[&str]) -> FieldValue<'_> {
        let mut table = &self.tables[0];
        let mut row = row;
        for (index, name) in path.iter().enumerate() {
            let last = index + 1 == path.len();
            let cell = table.cell(row, name);
            if last {
                return cell_value(cell);
            }
            let (Cell::Ref(id), Some(&column)) = (cell, table.by_name.get(*name)) else {
                return FieldValue::Null;
            };
            let Kind::Object(next) = table.columns[column].kind else {
                return FieldValue::Null;
            };
            table = &self.tables[next];
            let Some(&next_row) = table.by_id.get(id) else {
                return FieldValue::Null;
            };
            row = next_row;
        }
        FieldValue::Null
    }

    /// The text fields of a contact mirroring the record with this id: every value a template
    /// can reach, under its dotted path, rendered as the template would render it (falsy
    /// values left out, so that they take the placeholder's default).
    pub(crate) fn mirror_fields(
        &self,
        id: i64,
    ) -> Result<std::collections::BTreeMap<String, String>, Error> {
        let row = self.row_of(id)?;
        let mut fields = std::collections::BTreeMap::new();
        let mut prefix = Vec::new();
        self.collect(0, row, &mut prefix, &mut fields, 0);
        fields.insert(RECORD_KEY.to_owned(), format!("{}/{id}", self.model()));
        Ok(fields)
    }

    fn collect(
        &self,
        table: usize,
        row: usize,
        prefix: &mut Vec<String>,
        out: &mut std::collections::BTreeMap<String, String>,
        depth: usize,
    ) {
        let table_ref = &self.tables[table];
        for column in &table_ref.columns {
            let cell = table_ref.cell(row, &column.name);
            prefix.push(column.name.clone());
            match (column.kind, cell) {
                (Kind::Object(next), Cell::Ref(id)) if depth < MAX_DEPTH => {
                    if let Some(&next_row) = self.tables[next].by_id.get(id) {
                        self.collect(next, next_row, prefix, out, depth + 1);
                    }
                }
                _ => {
                    let value = cell_value(cell);
                    let text = Template::render_value(&value);
                    if !text.is_empty() {
                        out.insert(prefix.join("."), text);
                    }
                }
            }
            prefix.pop();
        }
    }
}

impl<S: Store> Engine<S> {
    /// Creates a mailing (in `draft`) to the records of `records` that match the filter
    /// `domain` (`"[]"` for all): the template and the domain are checked against the records'
    /// schema (an unknown field is an error with its position, and nothing is stored), and
    /// every selected record becomes a contact the engine can trace, exclude and report on,
    /// or updates the contact that mirrors it already. The mailing's audience is those
    /// contacts ([`Audience::Contacts`]); whatever audience `mailing` had is replaced.
    ///
    /// A record's `country` text, when it is an ISO 3166 code, is its contact's country; its
    /// `name` text, the contact's name.
    ///
    /// ```
    /// use serde::Serialize;
    /// use smskit::model::{Audience, NewMailing};
    /// use smskit::provider::{SimulatedClock, StubProvider};
    /// use smskit::records::RecordSet;
    /// use smskit::{Engine, MemoryStore, Settings};
    ///
    /// #[derive(Serialize)]
    /// struct Customer { id: i64, name: String, mobile: String, orders: u32 }
    ///
    /// let customers = vec![
    ///     Customer { id: 1, name: "Ann".into(), mobile: "+32470000001".into(), orders: 5 },
    ///     Customer { id: 2, name: "Bob".into(), mobile: "+32470000002".into(), orders: 1 },
    /// ];
    /// let now = smskit::chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    /// let records = RecordSet::from_serialize("customer", &customers, "mobile")?;
    /// let mailing = engine.create_record_mailing(
    ///     NewMailing::new("Loyal", "{{ object.name }}, {{ object.orders }} orders: thank you!", Audience::Transactional),
    ///     &records,
    ///     "[('orders', '>=', 3)]",
    ///     now,
    /// )?;
    /// engine.prepare(mailing)?;
    /// let provider = StubProvider::new();
    /// engine.send(mailing, &provider, &SimulatedClock::new(), now)?;
    /// assert_eq!(provider.messages()[0].body, "Ann, 5 orders: thank you!");
    /// # Ok::<(), smskit::Error>(())
    /// ```
    pub fn create_record_mailing(
        &mut self,
        mut mailing: NewMailing,
        records: &RecordSet,
        domain: &str,
        now: DateTime<Utc>,
    ) -> Result<MailingId, Error> {
        if mailing.include_opt_out_link && self.settings.opt_out.is_none() {
            return Err(Error::NotConfigured("opt-out links"));
        }
        records.check(&Template::parse(&mailing.body)?)?;
        if let Some(campaign) = mailing.campaign {
            self.store
                .campaign(campaign)?
                .ok_or(Error::UnknownCampaign(campaign))?;
        }
        let selected = records.select(domain)?;
        let mut mirrors: HashMap<String, ContactId> = HashMap::new();
        self.store.contacts(&mut |contact| {
            if let Some(key) = contact.fields.get(RECORD_KEY) {
                mirrors.insert(key.clone(), contact.id);
            }
        })?;
        let mut contacts = Vec::with_capacity(selected.len());
        for id in selected {
            let fields = records.mirror_fields(id)?;
            let row = records.row_of(id)?;
            let text = |name: &str| match records.tables[0].cell(row, name) {
                Cell::Str(text) => Some(text.clone()),
                _ => None,
            };
            let mut contact = NewContact::new(
                text("name").unwrap_or_default(),
                records.phone(id)?.unwrap_or_default(),
            );
            if let Some(country) = text("country").and_then(|code| Region::parse(&code).ok()) {
                contact = contact.with_country(country);
            }
            contact.fields = fields;
            let key = format!("{}/{id}", records.model());
            let contact = match mirrors.get(&key) {
                Some(&existing) => {
                    self.store.update_contact(existing, contact)?;
                    existing
                }
                None => self.store.insert_contact(contact, now)?,
            };
            contacts.push(contact);
        }
        mailing.audience = Audience::Contacts(contacts);
        Ok(self.store.insert_mailing(mailing, now)?)
    }
}

fn cell_value(cell: &Cell) -> FieldValue<'_> {
    match cell {
        Cell::Null => FieldValue::Null,
        Cell::Bool(value) => FieldValue::Bool(*value),
        Cell::Int(value) => FieldValue::Int(*value),
        Cell::Float(value) => FieldValue::Float(*value),
        Cell::Str(value) => FieldValue::Str(value),
        Cell::Ref(id) => FieldValue::Id(*id),
    }
}

/// Appends one row to `tables[table]` from a serialized struct, nested structs first; returns
/// its row id in that table.
fn add_row(
    tables: &mut Vec<Table>,
    table: usize,
    fields: &serde_json::Map<String, Value>,
    position: usize,
    depth: usize,
) -> Result<i64, Error> {
    if depth > MAX_DEPTH {
        return Err(invalid(position, "", "nested more than 16 levels deep"));
    }
    let mut row = vec![Cell::Null; tables[table].columns.len()];
    for (name, value) in fields {
        let column = tables[table].column(name);
        if row.len() < tables[table].columns.len() {
            row.resize(tables[table].columns.len(), Cell::Null);
        }
        let (cell, kind) = match value {
            Value::Null => (Cell::Null, Kind::Unknown),
            Value::Bool(value) => (Cell::Bool(*value), Kind::Bool),
            Value::Number(number) => {
                if let Some(int) = number.as_i64() {
                    (Cell::Int(int), Kind::Int)
                } else if number.is_u64() {
                    return Err(invalid(position, name, "an integer beyond i64::MAX"));
                } else {
                    (
                        Cell::Float(number.as_f64().unwrap_or(f64::NAN)),
                        Kind::Float,
                    )
                }
            }
            Value::String(text) => (Cell::Str(text.clone()), Kind::Str),
            // Not a field: naming it in a filter or template is refused as unknown.
            Value::Array(_) => (Cell::Null, Kind::Sequence),
            Value::Object(nested) => {
                let child = match tables[table].columns[column].kind {
                    Kind::Object(child) => child,
                    _ => {
                        let model = format!("{}.{name}", tables[table].model);
                        tables.push(Table::new(model));
                        tables.len() - 1
                    }
                };
                let id = add_row(tables, child, nested, position, depth + 1)?;
                (Cell::Ref(id), Kind::Object(child))
            }
        };
        let merged = merge(tables[table].columns[column].kind, kind)
            .ok_or_else(|| invalid(position, name, "its type differs from earlier records"))?;
        tables[table].columns[column].kind = merged;
        row[column] = cell;
    }
    let target = &mut tables[table];
    row.resize(target.columns.len(), Cell::Null);
    target.rows.push(row);
    let id = i64::try_from(target.rows.len()).unwrap_or(i64::MAX);
    target.ids.push(id);
    target.by_id.insert(id, target.rows.len() - 1);
    Ok(id)
}

/// The kind a column has after seeing a value of `seen`; `None` on a conflict.
fn merge(current: Kind, seen: Kind) -> Option<Kind> {
    match (current, seen) {
        (current, Kind::Unknown) => Some(current),
        (Kind::Unknown, seen) => Some(seen),
        (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Some(Kind::Float),
        (Kind::Object(a), Kind::Object(b)) if a == b => Some(current),
        (current, seen) if current == seen => Some(current),
        _ => None,
    }
}

/// Record ids from the `id` field when every record has a distinct integer one.
fn assign_root_ids(table: &mut Table) {
    let Some(&column) = table.by_name.get("id") else {
        return;
    };
    let mut seen = HashSet::new();
    let own: Option<Vec<i64>> = table
        .rows
        .iter()
        .map(|row| match row.get(column) {
            Some(Cell::Int(id)) if seen.insert(*id) => Some(*id),
            _ => None,
        })
        .collect();
    if let Some(ids) = own {
        table.by_id = ids.iter().enumerate().map(|(row, id)| (*id, row)).collect();
        table.ids = ids;
    }
}

fn schema_of(tables: &[Table]) -> Schema {
    let mut schema = Schema::new();
    for table in tables {
        let mut model = schema.model(&table.model);
        for column in &table.columns {
            let field_type = match column.kind {
                Kind::Sequence => continue,
                Kind::Bool => FieldType::Boolean,
                Kind::Int => FieldType::Integer,
                Kind::Float => FieldType::Float,
                Kind::Unknown | Kind::Str => FieldType::Char,
                Kind::Object(child) => FieldType::many2one(tables[child].model.clone()),
            };
            model = model.field(&column.name, field_type);
        }
    }
    schema
}

/// One record of a [`RecordSet`] (of its model or of a nested struct's), as filters read it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    row: usize,
}

impl Record for Row<'_> {
    fn id(&self) -> i64 {
        self.table.ids.get(self.row).copied().unwrap_or_default()
    }

    fn get(&self, field: &Field) -> FieldValue<'_> {
        cell_value(self.table.cell(self.row, field.name()))
    }
}

impl Records for RecordSet {
    type Record<'r>
        = Row<'r>
    where
        Self: 'r;

    fn get(&self, model: &str, id: i64) -> Option<Row<'_>> {
        let table = self.tables.iter().find(|table| table.model == model)?;
        let row = *table.by_id.get(&id)?;
        Some(Row { table, row })
    }

    fn scan<'s, F: FnMut(Row<'s>)>(&'s self, model: &str, mut visit: F) {
        if let Some(table) = self.tables.iter().find(|table| table.model == model) {
            for row in 0..table.rows.len() {
                visit(Row { table, row });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Partner {
        name: String,
    }

    #[derive(Serialize)]
    struct Order {
        reference: String,
        phone: Option<String>,
        amount: f64,
        items: u32,
        partner_id: Option<Partner>,
        tags: Vec<String>,
    }

    fn orders() -> Vec<Order> {
        vec![
            Order {
                reference: "S1".into(),
                phone: Some("+32470000001".into()),
                amount: 12.5,
                items: 0,
                partner_id: Some(Partner { name: "Ann".into() }),
                tags: vec!["new".into()],
            },
            Order {
                reference: "S2".into(),
                phone: None,
                amount: 3.0,
                items: 2,
                partner_id: None,
                tags: Vec::new(),
            },
        ]
    }

    #[test]
    fn nested_structs_are_relations_for_filters_and_templates() {
        let set = RecordSet::from_serialize("sale.order", orders(), "phone").unwrap();
        assert_eq!(set.ids().collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(
            set.select("[('partner_id.name', '=', 'Ann')]").unwrap(),
            vec![1]
        );
        assert_eq!(set.select("[('partner_id', '=', False)]").unwrap(), vec![2]);
        assert_eq!(set.select("[('amount', '>', 5)]").unwrap(), vec![1]);
        let body = "{{ object.partner_id.name ||| there }}: {{ object.items ||| no }} items";
        assert_eq!(set.render(body, 1).unwrap(), "Ann: no items");
        assert_eq!(set.render(body, 2).unwrap(), "there: 2 items");
        assert_eq!(set.phone(1).unwrap().as_deref(), Some("+32470000001"));
        assert_eq!(set.phone(2).unwrap(), None);
    }

    #[test]
    fn unknown_fields_and_sequences_are_refused_with_their_position() {
        let set = RecordSet::from_serialize("sale.order", orders(), "phone").unwrap();
        let error = set.select("[('tags', '=', 'new')]").unwrap_err();
        assert!(error.to_string().contains("tags"), "{error}");
        let error = set.render("Hi {{ object.customer }}", 1).unwrap_err();
        assert!(error.to_string().contains("customer"), "{error}");
        assert!(set.render("{{ object.partner_id.email }}", 1).is_err());
    }

    #[test]
    fn conflicting_types_and_missing_phone_fields_are_errors() {
        let records = vec![
            serde_json::json!({"phone": "+1", "code": 1}),
            serde_json::json!({"phone": "+2", "code": "A"}),
        ];
        let error = RecordSet::from_serialize("x", &records, "phone").unwrap_err();
        assert_eq!(
            error.to_string(),
            "record 2, field \"code\": its type differs from earlier records"
        );
        let error = RecordSet::from_serialize("x", &records[..1], "mobile").unwrap_err();
        assert!(error.to_string().contains("mobile"), "{error}");
        let error = RecordSet::from_serialize("x", [1, 2], "phone").unwrap_err();
        assert!(error.to_string().contains("struct"), "{error}");
    }

    #[test]
    fn ints_and_floats_merge_and_own_ids_are_used_when_distinct() {
        let records = vec![
            serde_json::json!({"id": 10, "phone": "+1", "score": 1}),
            serde_json::json!({"id": 20, "phone": "+2", "score": 1.5}),
        ];
        let set = RecordSet::from_serialize("x", &records, "phone").unwrap();
        assert_eq!(set.ids().collect::<Vec<_>>(), vec![10, 20]);
        assert_eq!(set.select("[('score', '>', 1.2)]").unwrap(), vec![20]);
        let duplicate = vec![
            serde_json::json!({"id": 10, "phone": "+1"}),
            serde_json::json!({"id": 10, "phone": "+2"}),
        ];
        let set = RecordSet::from_serialize("x", &duplicate, "phone").unwrap();
        assert_eq!(set.ids().collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn deep_nesting_is_refused_not_recursed_into() {
        let mut value = serde_json::json!({"phone": "+1"});
        for _ in 0..40 {
            value = serde_json::json!({ "phone": "+1", "inner": value });
        }
        let error = RecordSet::from_serialize("x", [&value], "phone").unwrap_err();
        assert!(error.to_string().contains("16 levels"), "{error}");
    }

    #[test]
    fn mirrored_fields_render_like_the_record() {
        let set = RecordSet::from_serialize("sale.order", orders(), "phone").unwrap();
        let fields = set.mirror_fields(1).unwrap();
        assert_eq!(
            fields.get("partner_id.name").map(String::as_str),
            Some("Ann")
        );
        assert_eq!(fields.get("amount").map(String::as_str), Some("12.5"));
        assert!(
            !fields.contains_key("items"),
            "0 is falsy: the default renders"
        );
        assert_eq!(
            fields.get(RECORD_KEY).map(String::as_str),
            Some("sale.order/1")
        );
    }
}
