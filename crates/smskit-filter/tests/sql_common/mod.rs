//! Shared by `sql_sqlite.rs` and `sql_postgres.rs`: a [`Dataset`] loaded into tables of a
//! mapping defined here, the conformance vectors, and the generated datasets and domains of
//! the property tests.

#![allow(dead_code, reason = "each test file uses a part")]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use proptest::prelude::*;
use smskit_filter::sql::{Dialect, SqlMapping, SqlQuery, SqlValue};
use smskit_filter::{
    CheckOptions, Dataset, FieldType, FieldValue, Literal, Plan, Record, Records, Schema,
};

/// Where text fields go: their own columns, or keys of one JSON column per table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Layout {
    Columns,
    Json,
}

/// The JSON column of the `Json` layout.
const JSON_COLUMN: &str = "extra \"json\"";

/// A table per model, named as the model (dots and all: names are quoted); a column per
/// field, named as the field; a one2many as a column `inv:<model>.<field>` of the comodel's
/// table; a many2many as a table `rel:<model>.<field>` (`src`, `dst`) whose rows with
/// `hidden` set do not count (the mapping's extra condition).
pub(crate) fn mapping(schema: &Schema, layout: Layout) -> SqlMapping {
    let mut mapping = SqlMapping::new();
    for model in schema.models() {
        let mut table = mapping.model(model.name(), model.name());
        if layout == Layout::Json {
            table = table.json_fields(JSON_COLUMN);
        }
        for field in model.fields() {
            let name = field.name();
            table = match field.field_type() {
                FieldType::One2many(_) => table.one2many(name, &inverse(model.name(), name)),
                FieldType::Many2many(_) => table.many2many_where(
                    name,
                    &relation(model.name(), name),
                    "src",
                    "dst",
                    "hidden = FALSE",
                ),
                ty if ty.is_text() && layout == Layout::Json => table,
                _ => table.column(name, name),
            };
        }
    }
    mapping
}

fn inverse(model: &str, field: &str) -> String {
    format!("inv:{model}.{field}")
}

fn relation(model: &str, field: &str) -> String {
    format!("rel:{model}.{field}")
}

pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A value to insert.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    Date(String),
    DateTime(String),
}

/// The rows to insert, per table: column names and rows of cells.
pub(crate) struct Tables {
    /// `CREATE TABLE` statements for each dialect: (name, [(column, type)]).
    pub(crate) tables: Vec<(String, Vec<(String, &'static str)>)>,
    pub(crate) rows: Vec<(String, Vec<String>, Vec<Vec<Cell>>)>,
}

/// An inverse column: its name, and the parent of each child id.
type Inverse = (String, HashMap<i64, i64>);

/// The tables holding `data` in `layout`. Panics when the dataset cannot be stored so (a
/// one2many child listed under two parents, or missing).
pub(crate) fn tables(data: &Dataset, layout: Layout) -> Tables {
    let schema = data.schema();
    let mut defs = Vec::new();
    let mut rows_out = Vec::new();
    // inverse columns: comodel -> [(column, child id -> parent id)]
    let mut inverses: HashMap<String, Vec<Inverse>> = HashMap::new();
    let mut relations = Vec::new();
    for model in schema.models() {
        for field in model.fields() {
            match field.field_type() {
                FieldType::One2many(comodel) => {
                    let mut parent_of = HashMap::new();
                    data.scan(model.name(), |record| {
                        if let FieldValue::Ids(ids) = record.get(field) {
                            for &child in ids {
                                let previous = parent_of.insert(child, record.id());
                                assert!(previous.is_none(), "child {child} has two parents");
                            }
                        }
                    });
                    for child in parent_of.keys() {
                        assert!(
                            data.record(comodel, *child).is_some(),
                            "one2many child {child} of {comodel} missing"
                        );
                    }
                    inverses
                        .entry(comodel.clone())
                        .or_default()
                        .push((inverse(model.name(), field.name()), parent_of));
                }
                FieldType::Many2many(_) => {
                    let name = relation(model.name(), field.name());
                    let mut rows = Vec::new();
                    data.scan(model.name(), |record| {
                        if let FieldValue::Ids(ids) = record.get(field) {
                            for &target in ids {
                                rows.push(vec![
                                    Cell::Int(record.id()),
                                    Cell::Int(target),
                                    Cell::Bool(false),
                                ]);
                            }
                        }
                    });
                    // A hidden row the extra condition must ignore.
                    rows.push(vec![Cell::Int(1), Cell::Int(1), Cell::Bool(true)]);
                    relations.push((name, rows));
                }
                _ => {}
            }
        }
    }
    for model in schema.models() {
        let mut columns: Vec<(String, &'static str)> = vec![("id".into(), "int")];
        let mut fields = Vec::new();
        for field in model.fields() {
            let ty = match field.field_type() {
                FieldType::One2many(_) | FieldType::Many2many(_) => continue,
                ty if ty.is_text() && layout == Layout::Json => continue,
                ty if ty.is_text() => "text",
                FieldType::Integer | FieldType::Many2one(_) => "int",
                FieldType::Float | FieldType::Monetary => "float",
                FieldType::Boolean => "bool",
                FieldType::Date => "date",
                FieldType::Datetime => "datetime",
                _ => continue,
            };
            columns.push((field.name().to_owned(), ty));
            fields.push(field.clone());
        }
        let json_fields: Vec<_> = model
            .fields()
            .iter()
            .filter(|f| f.field_type().is_text() && layout == Layout::Json)
            .cloned()
            .collect();
        if layout == Layout::Json {
            columns.push((JSON_COLUMN.into(), "json"));
        }
        let inverse_columns = inverses.get(model.name()).cloned().unwrap_or_default();
        for (column, _) in &inverse_columns {
            columns.push((column.clone(), "int"));
        }
        let mut rows = Vec::new();
        data.scan(model.name(), |record| {
            let mut row = vec![Cell::Int(record.id())];
            for field in &fields {
                row.push(cell(record.get(field)));
            }
            if layout == Layout::Json {
                let mut object = serde_json::Map::new();
                for field in &json_fields {
                    if let FieldValue::Str(text) = record.get(field) {
                        object.insert(field.name().to_owned(), text.into());
                    }
                }
                row.push(Cell::Text(serde_json::Value::Object(object).to_string()));
            }
            for (_, parents) in &inverse_columns {
                row.push(
                    parents
                        .get(&record.id())
                        .map_or(Cell::Null, |&p| Cell::Int(p)),
                );
            }
            rows.push(row);
        });
        let names = columns.iter().map(|(c, _)| c.clone()).collect();
        defs.push((model.name().to_owned(), columns));
        rows_out.push((model.name().to_owned(), names, rows));
    }
    for (name, rows) in relations {
        defs.push((
            name.clone(),
            vec![
                ("src".into(), "int"),
                ("dst".into(), "int"),
                ("hidden".into(), "bool"),
            ],
        ));
        rows_out.push((
            name,
            vec!["src".into(), "dst".into(), "hidden".into()],
            rows,
        ));
    }
    Tables {
        tables: defs,
        rows: rows_out,
    }
}

fn cell(value: FieldValue<'_>) -> Cell {
    match value {
        FieldValue::Str(text) => Cell::Text(text.to_owned()),
        FieldValue::Int(i) | FieldValue::Id(i) => Cell::Int(i),
        FieldValue::Float(f) => Cell::Float(f),
        FieldValue::Bool(b) => Cell::Bool(b),
        FieldValue::Date(d) => Cell::Date(d.format("%Y-%m-%d").to_string()),
        FieldValue::DateTime(d) => {
            let mut text = d.format("%Y-%m-%d %H:%M:%S").to_string();
            if d.nanosecond() != 0 {
                text.push_str(&format!(".{:06}", d.nanosecond() / 1000));
            }
            Cell::DateTime(text)
        }
        _ => Cell::Null,
    }
}

/// A dataset of the conformance vectors by name.
pub(crate) fn datasets() -> BTreeMap<String, Dataset> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/datasets");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        out.insert(name, text.parse::<Dataset>().unwrap());
    }
    out
}

/// A conformance vector that selects records.
pub(crate) struct Case {
    pub(crate) label: String,
    pub(crate) dataset: String,
    pub(crate) plan: Plan,
}

/// Every vector of `testdata/cases.jsonl` with an `ids` expectation, checked into a plan.
pub(crate) fn cases(datasets: &BTreeMap<String, Dataset>) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cases.jsonl");
    let text = std::fs::read_to_string(path).unwrap();
    let default_now: DateTime<Utc> = "2024-05-01T09:30:00Z".parse().unwrap();
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        if case.get("ids").is_none() {
            continue;
        }
        let domain_text = case["domain"].as_str().unwrap();
        let dataset = case
            .get("dataset")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("partners")
            .to_owned();
        let model = case["model"].as_str().unwrap();
        let now = case
            .get("now")
            .and_then(serde_json::Value::as_str)
            .map_or(default_now, |n| n.parse().unwrap());
        let domain = smskit_filter::parse(domain_text).unwrap();
        let plan = Plan::with_options(
            datasets[&dataset].schema(),
            model,
            &domain,
            &CheckOptions::new().with_now(now),
        )
        .unwrap();
        out.push(Case {
            label: format!("line {}: {domain_text}", number + 1),
            dataset,
            plan,
        });
    }
    out
}

/// The vectors with no exact SQL form: `like` on a float matches Python's repr.
pub(crate) const NOT_IN_SQL: [&str; 2] =
    ["[('score', 'like', '.5')]", "[('score', '=like', '2.0')]"];

/// Runs every conformance vector through `run` (the SQL of a plan on a loaded dataset, in a
/// layout) and compares with the in-memory result. Returns the failures.
pub(crate) fn conformance(
    dialect: Dialect,
    mut run: impl FnMut(&str, Layout, &SqlQuery) -> Result<Vec<i64>, String>,
) {
    let datasets = datasets();
    let cases = cases(&datasets);
    assert!(cases.len() > 180, "only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut unsupported = Vec::new();
    for layout in [Layout::Columns, Layout::Json] {
        for case in &cases {
            let data = &datasets[&case.dataset];
            let expected = case.plan.filter(data);
            let mapping = mapping(data.schema(), layout);
            let query = match case.plan.to_sql(&mapping, dialect) {
                Ok(query) => query,
                Err(error) if error.is_sql_error() => {
                    unsupported.push(case.label.clone());
                    continue;
                }
                Err(error) => panic!("{}: {error}", case.label),
            };
            // The same plan as a condition in a query of the caller's, its parameters after
            // one of the caller's own.
            let model = case.plan.model();
            let condition = case
                .plan
                .to_sql_condition(&mapping, dialect, "t", 2)
                .unwrap_or_else(|e| panic!("{}: {e}", case.label));
            let mut params = vec![SqlValue::Int(0)];
            params.extend(condition.params);
            let placeholder = match dialect {
                Dialect::Postgres => "CAST($1 AS BIGINT)",
                _ => "?1",
            };
            let wrapped = SqlQuery {
                sql: format!(
                    "SELECT \"t\".\"id\" FROM {} AS \"t\" WHERE \"t\".\"id\" > {placeholder} AND {} ORDER BY \"t\".\"id\"",
                    quote(model),
                    condition.sql
                ),
                params,
            };
            match run(&case.dataset, layout, &wrapped) {
                Ok(got) if got == expected => {}
                Ok(got) => failures.push(format!(
                    "{} ({layout:?}, condition): expected {expected:?}, got {got:?}\n  {}",
                    case.label, wrapped.sql
                )),
                Err(error) => failures.push(format!(
                    "{} ({layout:?}, condition): {error}\n  {}",
                    case.label, wrapped.sql
                )),
            }
            match run(&case.dataset, layout, &query) {
                Ok(got) if got == expected => {}
                Ok(got) => failures.push(format!(
                    "{} ({layout:?}): expected {expected:?}, got {got:?}\n  {}\n  {:?}",
                    case.label, query.sql, query.params
                )),
                Err(error) => failures.push(format!(
                    "{} ({layout:?}): {error}\n  {}\n  {:?}",
                    case.label, query.sql, query.params
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len() * 2,
        failures.join("\n\n")
    );
    let mut expected_unsupported: Vec<String> = Vec::new();
    for case in &cases {
        if NOT_IN_SQL.iter().any(|d| case.label.ends_with(d)) {
            expected_unsupported.push(case.label.clone());
        }
    }
    let mut both = expected_unsupported.clone();
    both.extend(expected_unsupported);
    both.sort();
    unsupported.sort();
    assert_eq!(unsupported, both, "the vectors without SQL form changed");
}

// ----- generated datasets and domains -----

/// The schema of the generated datasets: `p` (partners) and `q` (tags), every kind of field
/// and relation.
pub(crate) fn prop_schema() -> Schema {
    let mut schema = Schema::new();
    schema
        .model("p")
        .field("name", FieldType::Char)
        .field("state", FieldType::Selection)
        .field("n", FieldType::Integer)
        .field("x", FieldType::Float)
        .field("ok", FieldType::Boolean)
        .field("d", FieldType::Date)
        .field("t", FieldType::Datetime)
        .field("m", FieldType::many2one("q"))
        .field("parent_id", FieldType::many2one("p"))
        .field("kids", FieldType::one2many("q"))
        .field("tags", FieldType::many2many("q"));
    schema
        .model("q")
        .field("name", FieldType::Char)
        .field("active", FieldType::Boolean)
        .field("score", FieldType::Integer)
        .field("owner", FieldType::many2one("p"))
        .field("parent_id", FieldType::many2one("q"));
    schema
}

/// Pieces of generated text: empty, case pairs, like metacharacters, final sigma, dotted I,
/// the Kelvin sign.
const PIECES: [&str; 18] = [
    "", "a", "A", "b", "é", "É", "%", "_", "\\", "ß", "Σ", "σ", "ς", "İ", "i", "\n", "K",
    "\u{212a}",
];

pub(crate) fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(&PIECES[..]), 0..4)
        .prop_map(|pieces| pieces.concat())
}

/// A short pattern: one or two pieces, so that it often occurs in the generated texts.
pub(crate) fn pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(&PIECES[..]), 1..3)
        .prop_map(|pieces| pieces.concat())
}

/// Names in every case and script that folds specially, and `ilike` / `=ilike` domains over
/// them: what the SQL's lower-casing must agree with `str::to_lowercase` on.
pub(crate) fn unicode_cases() -> (Dataset, Vec<String>) {
    let names = [
        "ÉLODIE",
        "élodie",
        "ΟΔΥΣΣΕΥΣ",
        "οδυσσευς",
        "ΣΑ Σ",
        "İstanbul",
        "istanbul",
        "STRASSE",
        "Straße",
        "\u{212a}elvin",
        "kelvin",
        "ǅemal",
        "ﬁne",
        "Ⅻ",
        "ⓐⓑ",
        "ꞵeta",
        "Ǆ",
        "",
    ];
    let rows: Vec<PRow> = names
        .iter()
        .map(|name| PRow {
            name: Some((*name).to_owned()),
            state: None,
            n: None,
            x: None,
            ok: None,
            d: None,
            t: None,
            m: None,
            parent: None,
            tags: Vec::new(),
        })
        .collect();
    let data = build(&rows, &[]);
    let mut domains = Vec::new();
    for name in names {
        let lower = name.to_lowercase();
        let upper = name.to_uppercase();
        for op in ["ilike", "=ilike", "not ilike", "like", "=like"] {
            for value in [name, lower.as_str(), upper.as_str()] {
                domains.push(format!("[('name', '{op}', {})]", py_str(value)));
            }
        }
        let first: String = lower.chars().take(1).collect();
        domains.push(format!(
            "[('name', '=ilike', {})]",
            py_str(&format!("{first}%"))
        ));
        domains.push(format!(
            "[('name', '=ilike', {})]",
            py_str(&format!("%{first}_%"))
        ));
    }
    (data, domains)
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 3 => s.prop_map(Some)].boxed()
}

#[derive(Clone, Debug)]
pub(crate) struct PRow {
    name: Option<String>,
    state: Option<String>,
    n: Option<i64>,
    x: Option<f64>,
    ok: Option<bool>,
    d: Option<u32>,
    t: Option<u32>,
    m: Option<i64>,
    parent: Option<i64>,
    tags: Vec<i64>,
}

#[derive(Clone, Debug)]
pub(crate) struct QRow {
    name: Option<String>,
    active: Option<bool>,
    score: Option<i64>,
    owner: Option<i64>,
    parent: Option<i64>,
}

fn p_row() -> impl Strategy<Value = PRow> {
    (
        (
            opt(text()),
            opt(proptest::sample::select(vec!["a", "b", ""]).prop_map(str::to_owned)),
            opt(-2i64..3),
            opt(prop_oneof![
                Just(0.0),
                Just(1.5),
                Just(-2.0),
                Just(2.0),
                Just(0.25)
            ]),
            opt(any::<bool>()),
        ),
        (
            opt(0u32..4),
            opt(0u32..4),
            opt(0i64..5),
            opt(0i64..7),
            proptest::collection::vec(1i64..5, 0..3),
        ),
    )
        .prop_map(|((name, state, n, x, ok), (d, t, m, parent, tags))| PRow {
            name,
            state,
            n,
            x,
            ok,
            d,
            t,
            m,
            parent,
            tags,
        })
}

fn q_row() -> impl Strategy<Value = QRow> {
    (
        opt(text()),
        opt(any::<bool>()),
        opt(-1i64..3),
        opt(0i64..7),
        opt(0i64..5),
    )
        .prop_map(|(name, active, score, owner, parent)| QRow {
            name,
            active,
            score,
            owner,
            parent,
        })
}

/// 0 to 6 partners and 4 tags.
pub(crate) fn dataset() -> impl Strategy<Value = Dataset> {
    (
        proptest::collection::vec(p_row(), 0..9),
        proptest::collection::vec(q_row(), 4..=4),
    )
        .prop_map(|(ps, qs)| build(&ps, &qs))
}

fn day(i: u32) -> String {
    let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(u64::from(i));
    d.format("%Y-%m-%d").to_string()
}

fn build(ps: &[PRow], qs: &[QRow]) -> Dataset {
    let mut data = Dataset::new(prop_schema());
    let p_count = i64::try_from(ps.len()).unwrap();
    let mut kids: HashMap<i64, Vec<i64>> = HashMap::new();
    for (i, q) in qs.iter().enumerate() {
        let id = i64::try_from(i).unwrap() + 1;
        let mut values: Vec<(&str, Literal)> = Vec::new();
        if let Some(name) = &q.name {
            values.push(("name", Literal::from(name.as_str())));
        }
        if let Some(active) = q.active {
            values.push(("active", Literal::Bool(active)));
        }
        if let Some(score) = q.score {
            values.push(("score", Literal::Int(score)));
        }
        // 0 is "no record"; owners beyond the partners point at nothing.
        if let Some(parent) = q.parent {
            values.push(("parent_id", Literal::Int(parent)));
        }
        if let Some(owner) = q.owner.filter(|&o| o >= 1 && o <= p_count) {
            values.push(("owner", Literal::Int(owner)));
            kids.entry(owner).or_default().push(id);
        }
        data.insert("q", id, values).unwrap();
    }
    for (i, p) in ps.iter().enumerate() {
        let id = i64::try_from(i).unwrap() + 1;
        let mut values: Vec<(&str, Literal)> = Vec::new();
        if let Some(name) = &p.name {
            values.push(("name", Literal::from(name.as_str())));
        }
        if let Some(state) = &p.state {
            values.push(("state", Literal::from(state.as_str())));
        }
        if let Some(n) = p.n {
            values.push(("n", Literal::Int(n)));
        }
        if let Some(x) = p.x {
            values.push(("x", Literal::Float(x)));
        }
        if let Some(ok) = p.ok {
            values.push(("ok", Literal::Bool(ok)));
        }
        if let Some(d) = p.d {
            values.push(("d", Literal::from(day(d).as_str())));
        }
        if let Some(t) = p.t {
            let text = format!("{} {:02}:00:0{}", day(t / 2), t, t % 2);
            values.push(("t", Literal::from(text.as_str())));
        }
        if let Some(m) = p.m {
            values.push(("m", Literal::Int(m)));
        }
        if let Some(parent) = p.parent {
            values.push(("parent_id", Literal::Int(parent)));
        }
        let mut tags = p.tags.clone();
        tags.sort_unstable();
        tags.dedup();
        values.push((
            "tags",
            Literal::List(tags.into_iter().map(Literal::Int).collect()),
        ));
        let children = kids.get(&id).cloned().unwrap_or_default();
        values.push((
            "kids",
            Literal::List(children.into_iter().map(Literal::Int).collect()),
        ));
        data.insert("p", id, values).unwrap();
    }
    data
}

fn py_str(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

const TEXT_OPS: [&str; 17] = [
    "=",
    "!=",
    "in",
    "not in",
    "like",
    "not like",
    "ilike",
    "not ilike",
    "=like",
    "=ilike",
    "not =ilike",
    "<",
    ">=",
    "=?",
    "<>",
    "not =like",
    ">",
];
const NUM_OPS: [&str; 9] = ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "=?"];
const REL_OPS: [&str; 6] = ["=", "!=", "in", "not in", "ilike", "not ilike"];

fn text_value() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text().prop_map(|t| py_str(&t)),
        1 => Just("False".to_owned()),
        1 => proptest::collection::vec(text(), 0..3).prop_map(|v| {
            format!("[{}]", v.iter().map(|t| py_str(t)).collect::<Vec<_>>().join(", "))
        }),
        1 => Just("['', False]".to_owned()),
    ]
    .boxed()
}

fn num_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (-2i64..3).prop_map(|i| i.to_string()),
        1 => Just("1.5".to_owned()),
        1 => Just("-0.5".to_owned()),
        1 => Just("False".to_owned()),
        1 => Just("True".to_owned()),
        1 => proptest::collection::vec(-2i64..3, 0..3).prop_map(|v| format!("{v:?}")),
    ]
    .boxed()
}

/// One condition of the generated schema, as text.
fn condition() -> BoxedStrategy<String> {
    let text_field: proptest::sample::Select<&str> = proptest::sample::select(vec![
        "name",
        "state",
        "m.name",
        "tags.name",
        "kids.name",
        "parent_id.name",
        "parent_id.m.name",
        "display_name",
    ]);
    let num_field = proptest::sample::select(vec![
        "n",
        "x",
        "id",
        "m",
        "tags",
        "kids",
        "m.score",
        "tags.score",
        "kids.owner",
    ]);
    prop_oneof![
        4 => (text_field.clone(), proptest::sample::select(&TEXT_OPS[..]), text_value())
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {v})")),
        3 => (num_field, proptest::sample::select(&NUM_OPS[..]), num_value())
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {v})")),
        1 => (proptest::sample::select(vec!["ok", "m.active", "tags.active"]),
              proptest::sample::select(vec!["=", "!="]), any::<bool>())
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {})", if v { "True" } else { "False" })),
        1 => (proptest::sample::select(vec!["d", "t"]),
              proptest::sample::select(vec!["=", "!=", "<", ">=", ">", "<=", "in"]), 0u32..4)
            .prop_map(|(f, o, i)| {
                let v = if o == "in" { format!("['{}', False]", day(i)) } else { py_str(&day(i)) };
                format!("({f:?}, {o:?}, {v})")
            }),
        2 => (text_field.clone(),
              proptest::sample::select(vec!["ilike", "not ilike", "=ilike", "like", "=like"]),
              pattern())
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {})", py_str(&v))),
        1 => (proptest::sample::select(vec!["m", "tags", "kids", "parent_id"]),
              proptest::sample::select(&REL_OPS[..]), pattern())
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {})", py_str(&v))),
        1 => (proptest::sample::select(vec!["parent_id", "m", "id", "tags"]),
              proptest::sample::select(vec!["child_of", "parent_of"]),
              prop_oneof![(0i64..5).prop_map(|i| i.to_string()), text().prop_map(|t| py_str(&t)),
                          Just("[1, 2]".to_owned())])
            .prop_map(|(f, o, v)| format!("({f:?}, {o:?}, {v})")),
        1 => (proptest::sample::select(vec!["m", "tags", "kids"]),
              proptest::sample::select(vec!["any", "not any"]),
              (proptest::sample::select(vec!["name", "score", "active"]), text()))
            .prop_map(|(f, o, (g, v))| {
                let sub = match g {
                    "name" => format!("[('name', 'ilike', {})]", py_str(&v)),
                    "score" => format!("[('score', '>', {})]", v.chars().count()),
                    _ => "[('active', '=', True)]".to_owned(),
                };
                format!("({f:?}, {o:?}, {sub})")
            }),
    ]
    .boxed()
}

/// A domain of up to a dozen conditions under `&`, `|` and `!`, as text.
pub(crate) fn domain() -> impl Strategy<Value = String> {
    let leaf = condition().prop_map(|c| vec![c]);
    let tree = leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| {
                let mut v = vec!["'&'".to_owned()];
                v.extend(a);
                v.extend(b);
                v
            }),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| {
                let mut v = vec!["'|'".to_owned()];
                v.extend(a);
                v.extend(b);
                v
            }),
            inner.prop_map(|a| {
                let mut v = vec!["'!'".to_owned()];
                v.extend(a);
                v
            }),
        ]
    });
    tree.prop_map(|items| format!("[{}]", items.join(", ")))
}

/// Checks a generated domain on a generated dataset; `None` when the domain does not check
/// against the schema (a type mismatch the generator did not avoid).
pub(crate) fn prop_plan(text: &str, data: &Dataset) -> Option<Plan> {
    let domain = smskit_filter::parse(text).ok()?;
    Plan::new(data.schema(), "p", &domain).ok()
}

/// A deep domain: `depth` alternating prefix operators (which nest without brackets).
pub(crate) fn deep_prefix_domain(depth: usize) -> String {
    let mut items = Vec::new();
    for i in 0..depth {
        items.push(if i % 2 == 0 { "'&'" } else { "'|'" }.to_owned());
        if i % 3 == 0 {
            items.push("'!'".to_owned());
        }
    }
    for i in 0..=depth {
        items.push(format!("('n', '!=', {})", i % 3));
    }
    format!("[{}]", items.join(", "))
}

/// A domain `depth` levels of `any` deep (two brackets a level).
pub(crate) fn deep_any_domain(depth: usize) -> String {
    let mut text = String::new();
    for i in 0..depth {
        let field = if i % 2 == 0 { "m" } else { "owner" };
        text.push_str(&format!("[('{field}', 'any', "));
    }
    text.push_str("[('name', '!=', 'x')]");
    for _ in 0..depth {
        text.push_str(")]");
    }
    text
}

/// Binds a query's values for display in failures.
pub(crate) fn describe(query: &SqlQuery) -> String {
    format!("{}\n{:?}", query.sql, query.params)
}

pub(crate) fn value_is_text(value: &SqlValue) -> bool {
    matches!(value, SqlValue::Text(_))
}
