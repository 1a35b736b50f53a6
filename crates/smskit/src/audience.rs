//! Contacts as filter records: the model that domains and templates of contact mailings see.
//!
//! | field | type | value |
//! |---|---|---|
//! | `id` | integer | the contact's id |
//! | `name` | char | its name |
//! | `phone` | char | the number as entered |
//! | `country` | char | the ISO 3166 code of its country, if any |
//! | `list_ids` | many2many `mailing.list` | the lists it is subscribed to and did not opt out of |
//! | any free field | char | its text |
//!
//! `mailing.list` has `id`, `name` and `is_public`.

use std::collections::HashMap;

use crate::filter::sql::SqlMapping;
use crate::filter::{Field, FieldType, FieldValue, Record, Records, Schema};
use crate::model::{Contact, ContactId, MailingList};

/// The model name of contacts in domains.
pub const CONTACT_MODEL: &str = "contact";
/// The model name of mailing lists in domains.
pub const LIST_MODEL: &str = "mailing.list";

/// The schema of the contact model with these free fields (fixed names win over free ones).
pub fn contact_schema<'a>(free_fields: impl IntoIterator<Item = &'a str>) -> Schema {
    let mut schema = Schema::new();
    let mut contact = schema
        .model(CONTACT_MODEL)
        .field("name", FieldType::Char)
        .field("phone", FieldType::Char)
        .field("country", FieldType::Char)
        .field("list_ids", FieldType::many2many(LIST_MODEL));
    for name in free_fields {
        if !FIXED_FIELDS.contains(&name) {
            contact = contact.field(name, FieldType::Char);
        }
    }
    schema
        .model(LIST_MODEL)
        .field("name", FieldType::Char)
        .field("is_public", FieldType::Boolean);
    schema
}

const FIXED_FIELDS: [&str; 5] = ["id", "name", "phone", "country", "list_ids"];

/// Where the SQL stores (SQLite and PostgreSQL share the layout) keep the contact model, for
/// [`Plan::to_sql`](crate::filter::Plan::to_sql): `contacts` (`name`, `phone`, `country`
/// columns, free fields as keys of the JSON column `fields`), `list_ids` through the
/// `subscriptions` not opted out of, and `lists` (`name`, `is_public`).
///
/// ```
/// use smskit::audience::{CONTACT_MODEL, contact_schema, contact_sql_mapping};
/// use smskit::filter::Plan;
/// use smskit::filter::sql::Dialect;
///
/// let schema = contact_schema(["city"]);
/// let domain = smskit::filter::parse("[('city', '=', 'Gent'), ('list_ids.name', '=', 'VIP')]")?;
/// let plan = Plan::new(&schema, CONTACT_MODEL, &domain)?;
/// let query = plan.to_sql(&contact_sql_mapping(), Dialect::Postgres)?;
/// assert!(query.sql.contains("FROM \"subscriptions\""));
/// assert!(query.sql.contains("(opt_out = FALSE)"));
/// # Ok::<(), smskit::Error>(())
/// ```
#[must_use]
pub fn contact_sql_mapping() -> SqlMapping {
    let mut mapping = SqlMapping::new();
    mapping
        .model(CONTACT_MODEL, "contacts")
        .column("name", "name")
        .column("phone", "phone")
        .column("country", "country")
        .many2many_where(
            "list_ids",
            "subscriptions",
            "contact",
            "list",
            "opt_out = FALSE",
        )
        .json_fields("fields");
    mapping
        .model(LIST_MODEL, "lists")
        .column("name", "name")
        .column("is_public", "is_public");
    mapping
}

/// Contacts and lists as [`Records`] for evaluating a domain.
#[derive(Debug)]
pub(crate) struct ContactRecords<'a> {
    contacts: HashMap<i64, &'a Contact>,
    memberships: &'a HashMap<ContactId, Vec<i64>>,
    lists: HashMap<i64, &'a MailingList>,
}

impl<'a> ContactRecords<'a> {
    pub(crate) fn new(
        contacts: &'a [Contact],
        memberships: &'a HashMap<ContactId, Vec<i64>>,
        lists: &'a [MailingList],
    ) -> Self {
        ContactRecords {
            contacts: contacts.iter().map(|c| (c.id.0, c)).collect(),
            memberships,
            lists: lists.iter().map(|l| (l.id.0, l)).collect(),
        }
    }
}

/// One record of either model.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AnyRecord<'a> {
    Contact(&'a Contact, &'a [i64]),
    List(&'a MailingList),
}

impl Record for AnyRecord<'_> {
    fn id(&self) -> i64 {
        match self {
            AnyRecord::Contact(contact, _) => contact.id.0,
            AnyRecord::List(list) => list.id.0,
        }
    }

    fn get(&self, field: &Field) -> FieldValue<'_> {
        match (self, field.name()) {
            (AnyRecord::Contact(contact, _), "id") => FieldValue::Int(contact.id.0),
            (AnyRecord::Contact(contact, _), "name") => FieldValue::Str(&contact.name),
            (AnyRecord::Contact(contact, _), "phone") => FieldValue::Str(&contact.phone),
            (AnyRecord::Contact(contact, _), "country") => {
                contact.country.map_or(FieldValue::Null, |country| {
                    FieldValue::Str(country.as_str())
                })
            }
            (AnyRecord::Contact(_, lists), "list_ids") => FieldValue::Ids(lists),
            (AnyRecord::Contact(contact, _), name) => contact
                .fields
                .get(name)
                .map_or(FieldValue::Null, |value| FieldValue::Str(value)),
            (AnyRecord::List(list), "id") => FieldValue::Int(list.id.0),
            (AnyRecord::List(list), "name") => FieldValue::Str(&list.name),
            (AnyRecord::List(list), "is_public") => FieldValue::Bool(list.is_public),
            (AnyRecord::List(_), _) => FieldValue::Null,
        }
    }
}

impl Records for ContactRecords<'_> {
    type Record<'r>
        = AnyRecord<'r>
    where
        Self: 'r;

    fn get(&self, model: &str, id: i64) -> Option<AnyRecord<'_>> {
        match model {
            CONTACT_MODEL => self.contacts.get(&id).map(|contact| {
                let lists = self
                    .memberships
                    .get(&contact.id)
                    .map_or(&[][..], Vec::as_slice);
                AnyRecord::Contact(contact, lists)
            }),
            LIST_MODEL => self.lists.get(&id).map(|list| AnyRecord::List(list)),
            _ => None,
        }
    }

    fn scan<'s, F: FnMut(AnyRecord<'s>)>(&'s self, model: &str, mut visit: F) {
        match model {
            CONTACT_MODEL => {
                for contact in self.contacts.values() {
                    let lists = self
                        .memberships
                        .get(&contact.id)
                        .map_or(&[][..], Vec::as_slice);
                    visit(AnyRecord::Contact(contact, lists));
                }
            }
            LIST_MODEL => self
                .lists
                .values()
                .for_each(|list| visit(AnyRecord::List(list))),
            _ => {}
        }
    }
}
