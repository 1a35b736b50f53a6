//! `smskit contacts`: the audience of the campaign commands.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smskit::chrono::{DateTime, Utc};
use smskit::model::{ContactId, ListId, NewContact};
use smskit::phone::{self, E164, Region};
use smskit::store::StoreError;
use smskit::{Engine, MemoryStore, Settings, Store};

use crate::db::{self, Db, DbArgs};
use crate::failure::Failure;
use crate::output;

const IMPORT_EXAMPLES: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --json
  smskit contacts list --json

The file is CSV with a header line: `name` and `phone` are required, `country` (ISO 3166
alpha-2, e.g. BE) is optional, and every other column is a free text field that filters and
templates can use ({{ object.city }}, [('city', '=', 'Gent')]). Fields are separated by
commas; a quoted field may hold commas, quotes and line breaks. A row whose number cannot be
read is still imported (its trace will say why nothing was sent to it).

A row is an existing contact when both its number (in E.164, read with its country or
--country) and its name (ignoring case) are that contact's: the contact is updated (the row's
name, phone and country replace the stored ones; its non-empty fields are added or replace
those of the same name, other fields stay) and joins --list. Importing the same file twice
creates nothing. The same number with another name is another person sharing a phone: a new
contact (a mailing sends that number one message; the others are traced sms_duplicate).

Exit status: 0 every row imported, 1 some rows were malformed (reported by line; the others
are imported), 2 the file has no usable header.";

const LIST_EXAMPLES: &str = "\
Examples:
  smskit contacts list
  smskit contacts list --json";

/// The audience: contacts with a name, a phone number and free fields.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ContactsCommand {
    /// Import contacts from a CSV file, optionally into a mailing list.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
    /// List the contacts, in the order mailings target them (name, then newest first).
    #[command(after_help = LIST_EXAMPLES)]
    List(ListArgs),
}

/// Arguments of `smskit contacts import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// The CSV file (`-` for standard input).
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,

    /// The country of national numbers in rows without a `country` (ISO 3166 alpha-2).
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// Subscribe every imported contact to this mailing list (created if needed).
    #[arg(long, value_name = "NAME")]
    list: Option<String>,

    /// Print the report as JSON: {"created", "updated", "unchanged", "errors": [{"line",
    /// "reason"}]}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// Arguments of `smskit contacts list`.
#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    /// Print JSON: an array of {"id", "name", "phone", "country", "fields"}.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// One line of the file that was not imported, or imported with a remark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct LineNote {
    /// The line of the file where the row starts (the header is line 1).
    pub(crate) line: u64,
    /// What is wrong with it.
    pub(crate) reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub(crate) struct ImportReport {
    /// Contacts created.
    pub(crate) created: usize,
    /// Existing contacts (same number and name) the rows changed.
    pub(crate) updated: usize,
    /// Existing contacts (same number and name) the rows did not change.
    pub(crate) unchanged: usize,
    /// Malformed rows, not imported.
    pub(crate) errors: Vec<LineNote>,
    /// The list the contacts joined, when --list was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) list: Option<i64>,
}

/// Runs `smskit contacts ...`.
pub(crate) fn run(command: ContactsCommand) -> Result<ExitCode, Failure> {
    match command {
        ContactsCommand::Import(args) => run_import(&args),
        ContactsCommand::List(args) => run_list(&args),
    }
}

fn run_import(args: &ImportArgs) -> Result<ExitCode, Failure> {
    let path = output::printable_path(&args.file);
    let input: Box<dyn Read> = if args.file.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        let file = std::fs::File::open(&args.file)
            .map_err(|error| Failure::new(format_args!("cannot read {path}: {error}")))?;
        Box::new(io::BufReader::new(file))
    };
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let report = import(
        &mut engine,
        input,
        args.country,
        args.list.as_deref(),
        db::now(),
    )
    .map_err(|failure| failure.prefixed(&path))?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        out.write_all(render(&report).as_bytes())?;
    }
    out.flush()?;
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn render(report: &ImportReport) -> String {
    let mut text = format!(
        "created {}, updated {}, unchanged {}, {} malformed row{}\n",
        report.created,
        report.updated,
        report.unchanged,
        report.errors.len(),
        if report.errors.len() == 1 { "" } else { "s" }
    );
    for error in &report.errors {
        let _ = writeln!(
            text,
            "  line {}: {}",
            error.line,
            output::printable(&error.reason)
        );
    }
    text
}

/// Fields of the contact model that a column cannot be (they are not free text).
const RESERVED: [&str; 3] = ["id", "list_ids", "created_at"];

/// The columns of the header: where `name`, `phone` and `country` are, and the free fields.
#[derive(Debug)]
struct Columns {
    name: usize,
    phone: usize,
    country: Option<usize>,
    free: Vec<(usize, String)>,
    count: usize,
}

impl Columns {
    fn of(header: &csv::ByteRecord) -> Result<Columns, Failure> {
        let mut names = Vec::with_capacity(header.len());
        for (index, field) in header.iter().enumerate() {
            let name = std::str::from_utf8(field)
                .map_err(|_| header_error(format_args!("column {} is not UTF-8", index + 1)))?
                .trim()
                .to_owned();
            if name.is_empty() {
                return Err(header_error(format_args!(
                    "column {} has no name",
                    index + 1
                )));
            }
            if names
                .iter()
                .any(|known: &String| known.eq_ignore_ascii_case(&name))
            {
                return Err(header_error(format_args!(
                    "the column `{}` appears twice",
                    output::printable(&name)
                )));
            }
            if RESERVED
                .iter()
                .any(|reserved| reserved.eq_ignore_ascii_case(&name))
            {
                return Err(header_error(format_args!(
                    "the column `{}` would hide the contact's own `{}`: rename it",
                    output::printable(&name),
                    name.to_ascii_lowercase()
                )));
            }
            names.push(name);
        }
        let find = |wanted: &str| names.iter().position(|n| n.eq_ignore_ascii_case(wanted));
        let required = |wanted: &str| {
            find(wanted).ok_or_else(|| {
                header_error(format_args!(
                    "the header has no `{wanted}` column (it has: {})",
                    output::printable(&names.join(", "))
                ))
            })
        };
        let name = required("name")?;
        let phone = required("phone")?;
        let country = find("country");
        let free = names
            .iter()
            .enumerate()
            .filter(|(index, _)| ![Some(name), Some(phone), country].contains(&Some(*index)))
            .map(|(index, field)| (index, field.clone()))
            .collect();
        Ok(Columns {
            name,
            phone,
            country,
            free,
            count: names.len(),
        })
    }
}

fn header_error(message: impl std::fmt::Display) -> Failure {
    Failure::with_code(format_args!("invalid header: {message}"), 2)
}

/// Imports the contacts of a CSV document into the store of `engine` (see the help of
/// `contacts import` for the rules).
pub(crate) fn import<S: BulkContacts>(
    engine: &mut Engine<S>,
    mut input: impl Read,
    country: Option<Region>,
    list: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ImportReport, Failure> {
    // Read whole: the csv crate counts lines by `\n` only after a `\r\n`-ended file confused
    // it, so lines are counted here from the byte offsets of the records.
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let mut lines = LineCounter::new(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes.as_slice());
    let header = reader.byte_headers().map_err(header_error)?.clone();
    if header.is_empty() || header.iter().all(<[u8]>::is_empty) {
        return Err(header_error("the file is empty"));
    }
    let columns = Columns::of(&header)?;
    let mut report = ImportReport::default();
    let list = list
        .map(|name| list_by_name_or_create(engine, name))
        .transpose()?;
    report.list = list.map(|id| id.0);
    let mut known = known_numbers(engine.store(), country)?;
    let mut batch = Batch::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let at = error.position().map_or(start, csv::Position::byte);
                report.errors.push(LineNote {
                    line: lines.line_at(at),
                    reason: error.to_string(),
                });
                continue;
            }
        }
        let line = lines.line_at(record.position().map_or(start, csv::Position::byte));
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            // A blank line: nothing to import, nothing wrong.
            continue;
        }
        let row = match Row::read(&record, &columns, country) {
            Ok(row) => row,
            Err(reason) => {
                report.errors.push(LineNote { line, reason });
                continue;
            }
        };
        let key = phone::parse(&row.contact.phone, row.contact.country)
            .ok()
            .map(|number| (number, row.contact.name.to_lowercase()));
        if let Some(&index) = key.as_ref().and_then(|key| batch.pending.get(key)) {
            // The same contact as a row above, not stored yet.
            match merge(&batch.contacts[index], row.contact) {
                Some(merged) => {
                    batch.contacts[index] = merged;
                    report.updated += 1;
                }
                None => report.unchanged += 1,
            }
            continue;
        }
        match key.as_ref().and_then(|key| known.get(key).copied()) {
            Some(existing) => {
                let stored = engine
                    .store()
                    .contact(existing)
                    .map_err(db::store_failure)?
                    .map(|stored| NewContact {
                        name: stored.name,
                        phone: stored.phone,
                        country: stored.country,
                        fields: stored.fields,
                    });
                match stored.and_then(|stored| merge(&stored, row.contact)) {
                    Some(contact) => {
                        engine
                            .store_mut()
                            .update_contact(existing, contact)
                            .map_err(db::store_failure)?;
                        report.updated += 1;
                    }
                    None => report.unchanged += 1,
                }
                batch.existing.push(existing);
            }
            None => {
                if let Some(key) = key {
                    batch.pending.insert(key, batch.contacts.len());
                }
                batch.contacts.push(row.contact);
                report.created += 1;
            }
        }
        if batch.contacts.len() + batch.existing.len() >= IMPORT_BATCH {
            batch.flush(engine.store_mut(), list, &mut known, now)?;
        }
    }
    batch.flush(engine.store_mut(), list, &mut known, now)?;
    Ok(report)
}

/// Rows stored together: one transaction for their contacts and one for their subscriptions
/// in a SQL store, instead of two per row.
const IMPORT_BATCH: usize = 5_000;

/// The rows of an import not stored yet.
#[derive(Debug, Default)]
struct Batch {
    /// New contacts, in file order.
    contacts: Vec<NewContact>,
    /// Where the new contact of a number and name is in `contacts`.
    pending: HashMap<(E164, String), usize>,
    /// Existing contacts the rows named, to subscribe.
    existing: Vec<ContactId>,
}

impl Batch {
    /// Stores the new contacts and subscribes everyone to `list`; the new contacts become
    /// `known` for the rows after.
    fn flush<S: BulkContacts>(
        &mut self,
        store: &mut S,
        list: Option<ListId>,
        known: &mut HashMap<(E164, String), ContactId>,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
        let ids = store
            .insert_contacts(std::mem::take(&mut self.contacts), now)
            .map_err(db::store_failure)?;
        for (key, index) in self.pending.drain() {
            if let Some(&id) = ids.get(index) {
                known.insert(key, id);
            }
        }
        self.existing.extend(ids);
        if let Some(list) = list {
            store
                .subscribe_all(list, &self.existing, now)
                .map_err(db::store_failure)?;
        }
        self.existing.clear();
        Ok(())
    }
}

/// A store that creates and subscribes many contacts at once (one transaction each in SQLite).
pub(crate) trait BulkContacts: Store {
    /// Creates `contacts`; returns their ids in order.
    fn insert_contacts(
        &mut self,
        contacts: Vec<NewContact>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactId>, StoreError>;

    /// Subscribes `contacts` to `list` (those subscribed already keep their subscription).
    fn subscribe_all(
        &mut self,
        list: ListId,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

impl BulkContacts for Db {
    fn insert_contacts(
        &mut self,
        contacts: Vec<NewContact>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactId>, StoreError> {
        match self {
            Db::Sqlite(store) => store.insert_contacts(contacts, now),
            Db::Postgres(store) => store.insert_contacts(contacts, now),
        }
    }

    fn subscribe_all(
        &mut self,
        list: ListId,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(store) => store.subscribe_all(list, contacts, now),
            Db::Postgres(store) => store.subscribe_all(list, contacts, now),
        }
    }
}

impl BulkContacts for MemoryStore {
    fn insert_contacts(
        &mut self,
        contacts: Vec<NewContact>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ContactId>, StoreError> {
        contacts
            .into_iter()
            .map(|contact| self.insert_contact(contact, now))
            .collect()
    }

    fn subscribe_all(
        &mut self,
        list: ListId,
        contacts: &[ContactId],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        contacts
            .iter()
            .try_for_each(|&contact| self.subscribe(list, contact, now))
    }
}

/// `stored` updated by a row of a new import, or `None` when the row changes nothing: the name,
/// the phone as written and a country the row gives replace the stored ones; the row's free
/// fields are added to the stored ones, replacing those of the same name (an empty cell is no
/// news: the stored value stays).
fn merge(stored: &NewContact, row: NewContact) -> Option<NewContact> {
    let mut fields = stored.fields.clone();
    fields.extend(row.fields);
    let updated = NewContact {
        name: row.name,
        phone: row.phone,
        country: row.country.or(stored.country),
        fields,
    };
    let same = updated.name == stored.name
        && updated.phone == stored.phone
        && updated.country == stored.country
        && updated.fields == stored.fields;
    (!same).then_some(updated)
}

/// Line numbers (from 1) of byte offsets that only move forward.
#[derive(Debug)]
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record that starts at byte `offset` (not before the last one asked).
    /// The reader reports a record as starting where the previous one's content ended, so the
    /// line breaks (and the blank lines it skips) in between are passed first.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .clamp(self.offset, self.text.len());
        while matches!(self.text.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        let newlines = self.text[self.offset..offset]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = offset;
        self.line
    }
}

/// One row of the file, checked.
#[derive(Debug)]
struct Row {
    contact: NewContact,
}

impl Row {
    fn read(
        record: &csv::ByteRecord,
        columns: &Columns,
        default_country: Option<Region>,
    ) -> Result<Row, String> {
        if record.len() != columns.count {
            return Err(format!(
                "{} field{} where the header has {}",
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                columns.count
            ));
        }
        let field = |index: usize| -> Result<&str, String> {
            let bytes = record.get(index).unwrap_or_default();
            std::str::from_utf8(bytes)
                .map(str::trim)
                .map_err(|_| format!("field {} is not UTF-8", index + 1))
        };
        let name = field(columns.name)?;
        if name.is_empty() {
            return Err("the name is empty".to_owned());
        }
        let mut contact = NewContact::new(name, field(columns.phone)?);
        let country = match columns.country.map(field).transpose()? {
            Some(code) if !code.is_empty() => Some(
                Region::parse(code)
                    .map_err(|error| format!("country `{}`: {error}", output::printable(code)))?,
            ),
            _ => default_country,
        };
        contact.country = country;
        let mut fields = BTreeMap::new();
        for (index, name) in &columns.free {
            let value = field(*index)?;
            // An empty cell is no value: templates show their default, filters see it unset.
            if !value.is_empty() {
                fields.insert(name.clone(), value.to_owned());
            }
        }
        contact.fields = fields;
        Ok(Row { contact })
    }
}

/// The contacts by number (those that can be read) and name in lower case, to match the rows
/// of a new import against.
fn known_numbers<S: Store>(
    store: &S,
    default_country: Option<Region>,
) -> Result<HashMap<(E164, String), ContactId>, Failure> {
    let mut known = HashMap::new();
    store
        .contacts(&mut |contact| {
            if let Ok(number) = phone::parse(&contact.phone, contact.country.or(default_country)) {
                // Of two same contacts (made by hand), the one mailings target first is updated.
                known
                    .entry((number, contact.name.to_lowercase()))
                    .or_insert(contact.id);
            }
        })
        .map_err(db::store_failure)?;
    Ok(known)
}

/// The list called `name`, created (private) when there is none.
pub(crate) fn list_by_name_or_create<S: Store>(
    engine: &mut Engine<S>,
    name: &str,
) -> Result<ListId, Failure> {
    if let Some(list) = engine
        .store()
        .list_by_name(name)
        .map_err(db::store_failure)?
    {
        return Ok(list.id);
    }
    engine.create_list(name, false).map_err(db::failure)
}

/// A contact as `contacts list --json` prints it.
#[derive(Debug, Serialize)]
struct ContactRow {
    id: i64,
    name: String,
    phone: String,
    country: Option<String>,
    fields: BTreeMap<String, String>,
}

fn run_list(args: &ListArgs) -> Result<ExitCode, Failure> {
    let engine = db::open(&args.db.db, Settings::new())?;
    let mut rows = Vec::new();
    engine
        .store()
        .contacts(&mut |contact| {
            rows.push(ContactRow {
                id: contact.id.0,
                name: contact.name.clone(),
                phone: contact.phone.clone(),
                country: contact.country.map(|c| c.as_str().to_owned()),
                fields: contact.fields.clone(),
            });
        })
        .map_err(db::store_failure)?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:>6}  {:<24} {:<20} {:<7} fields",
            "id", "name", "phone", "country"
        )?;
        for row in &rows {
            let fields: Vec<String> = row
                .fields
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            writeln!(
                out,
                "{:>6}  {:<24} {:<20} {:<7} {}",
                row.id,
                output::printable(&row.name),
                output::printable(&row.phone),
                row.country.as_deref().unwrap_or("-"),
                output::printable(&fields.join(" "))
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use smskit::model::Contact;

    fn engine() -> Engine<MemoryStore> {
        Engine::new(MemoryStore::new(), Settings::new())
    }

    fn be() -> Option<Region> {
        Region::parse("BE").ok()
    }

    fn contacts(engine: &Engine<MemoryStore>) -> Vec<Contact> {
        let mut all = Vec::new();
        engine
            .store()
            .contacts(&mut |contact| all.push(contact.clone()))
            .unwrap();
        all
    }

    #[test]
    fn rows_become_contacts_with_their_country_and_free_fields() {
        let mut engine = engine();
        let csv = "Name, Phone ,Country,city\r\n\
                   \"Peeters, Ana\",0470 12 34 56,,Gent\r\n\
                   Chloé,06 12 34 56 78,FR,\"Lille \"\"Nord\"\"\"\r\n\
                   Dries,not a number,,\r\n";
        let report = import(&mut engine, csv.as_bytes(), be(), Some("News"), now()).unwrap();
        assert_eq!((report.created, report.updated), (3, 0));
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let all = contacts(&engine);
        let ana = all.iter().find(|c| c.name == "Peeters, Ana").unwrap();
        assert_eq!(ana.country, be());
        assert_eq!(ana.fields.get("city").map(String::as_str), Some("Gent"));
        let chloe = all.iter().find(|c| c.name == "Chloé").unwrap();
        assert_eq!(chloe.country, Region::parse("FR").ok());
        assert_eq!(chloe.fields["city"], "Lille \"Nord\"");
        // A number that cannot be read is imported as entered; an empty cell is no field.
        let dries = all.iter().find(|c| c.name == "Dries").unwrap();
        assert_eq!(dries.phone, "not a number");
        assert!(dries.fields.is_empty());
        // Everyone joined the list, created on the way.
        let list = engine.store().list_by_name("News").unwrap().unwrap();
        assert_eq!(report.list, Some(list.id.0));
        assert_eq!(engine.store().subscriptions(list.id).unwrap().len(), 3);
    }

    #[test]
    fn the_same_number_and_name_updates_a_contact_another_name_is_another_contact() {
        let mut engine = engine();
        let first = "name,phone\nAna,+32470123456\n";
        import(&mut engine, first.as_bytes(), be(), None, now()).unwrap();
        let again = "name,phone,city\n\
                     Ana,+32470123456,\n\
                     ANA,0032 470 12 34 56,Gent\n\
                     Bo,0470 12 34 56,Gent\n";
        let report = import(&mut engine, again.as_bytes(), be(), Some("VIP"), now()).unwrap();
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (1, 1, 1)
        );
        let all = contacts(&engine);
        assert_eq!(all.len(), 2);
        // The row's name, phone text and fields replace the stored ones; the country stays.
        let ana = all.iter().find(|c| c.name == "ANA").unwrap();
        assert_eq!(ana.phone, "0032 470 12 34 56");
        assert_eq!(ana.country, be());
        assert_eq!(ana.fields["city"], "Gent");
        // Everyone joined the list, once.
        let vip = engine.store().list_by_name("VIP").unwrap().unwrap();
        assert_eq!(engine.store().subscriptions(vip.id).unwrap().len(), 2);
        // An empty cell is no news: the field stays.
        let third = "name,phone,city\nana,+32470123456,\n";
        let report = import(&mut engine, third.as_bytes(), be(), None, now()).unwrap();
        assert_eq!((report.updated, report.unchanged), (1, 0));
        let ana = contacts(&engine)
            .into_iter()
            .find(|c| c.name == "ana")
            .unwrap();
        assert_eq!(ana.fields["city"], "Gent");
    }

    #[test]
    fn a_person_twice_in_one_file_is_one_contact_within_and_across_batches() {
        let mut engine = engine();
        let mut csv = String::from("name,phone,tier\nAna,+32470000000,gold\nana,+32470000000,\n");
        for i in 1..=IMPORT_BATCH {
            csv.push_str(&format!("C{i},+3247{i:07}\n").replace('\n', ",\n"));
        }
        // After the first batch was stored: the same person again, with news.
        csv.push_str("ANA,+32 470 00 00 00,platinum\n");
        let report = import(&mut engine, csv.as_bytes(), None, Some("L"), now()).unwrap();
        assert_eq!(report.created, IMPORT_BATCH + 1);
        // `ana` changes the spelling (updated), `ANA` the spelling and the tier.
        assert_eq!((report.updated, report.unchanged), (2, 0));
        let all = contacts(&engine);
        assert_eq!(all.len(), IMPORT_BATCH + 1);
        let ana = all.iter().find(|c| c.name == "ANA").unwrap();
        assert_eq!(ana.fields["tier"], "platinum");
        let list = engine.store().list_by_name("L").unwrap().unwrap();
        assert_eq!(
            engine.store().subscriptions(list.id).unwrap().len(),
            IMPORT_BATCH + 1
        );
    }

    #[test]
    fn malformed_rows_are_reported_by_line_and_the_others_imported() {
        let mut engine = engine();
        let csv = b"name,phone,country\r\n\
                   A,+32470000001,\r\n\
                   \r\n\
                   B\r\n\
                   ,+32470000002,\r\n\
                   \"C\r\nD\",+32470000003,ZZZ\r\n\
                   E,+32470000004,BE,extra\r\n\
                   F,+3247\xff,\r\n\
                   G,+32470000005,\r\n";
        let report = import(&mut engine, &csv[..], None, None, now()).unwrap();
        assert_eq!(report.created, 2);
        let lines: Vec<u64> = report.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 6, 8, 9], "{:?}", report.errors);
        assert!(report.errors[0].reason.contains("1 field"));
        assert!(report.errors[1].reason.contains("name is empty"));
        assert!(report.errors[2].reason.contains("ZZZ"));
        assert!(report.errors[4].reason.contains("UTF-8"));
    }

    #[test]
    fn a_header_without_the_required_columns_is_refused_whole() {
        for (csv, needle) in [
            ("name,mobile\nA,+32470000001\n", "no `phone` column"),
            ("", "empty"),
            ("name,phone,Name\n", "appears twice"),
            ("name,phone,list_ids\n", "list_ids"),
        ] {
            let mut engine = engine();
            let failure = import(&mut engine, csv.as_bytes(), None, None, now()).unwrap_err();
            assert_eq!(failure.exit_code(), 2, "{csv}");
            assert!(failure.message().contains(needle), "{}", failure.message());
            assert!(contacts(&engine).is_empty());
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::UNIX_EPOCH
    }
}
