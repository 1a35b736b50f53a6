//! The SQL translation on SQLite (bundled): the conformance vectors and generated datasets
//! and domains select exactly the records the in-memory evaluation selects.

#![cfg(feature = "serde")]

mod sql_common;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use smskit_filter::sql::{CASEFOLD_FUNCTION, Dialect, SqlQuery, SqlValue};
use smskit_filter::{Dataset, Plan};
use sql_common::{Cell, Layout, quote};

/// A fresh in-memory database with the casefold function registered.
fn connect() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.create_scalar_function(
        CASEFOLD_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(ctx
                .get::<Option<String>>(0)?
                .map(|text| smskit_filter::sql::casefold(&text)))
        },
    )
    .unwrap();
    conn
}

fn load(conn: &Connection, data: &Dataset, layout: Layout) {
    let tables = sql_common::tables(data, layout);
    for (name, columns) in &tables.tables {
        let columns: Vec<String> = columns
            .iter()
            .map(|(c, ty)| {
                let ty = match *ty {
                    "int" | "bool" => "INTEGER",
                    "float" => "REAL",
                    _ => "TEXT",
                };
                format!("{} {ty}", quote(c))
            })
            .collect();
        conn.execute_batch(&format!(
            "CREATE TABLE {} ({}) STRICT",
            quote(name),
            columns.join(", ")
        ))
        .unwrap();
    }
    for (name, columns, rows) in &tables.rows {
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(name),
            columns
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(", "),
            placeholders.join(", ")
        );
        let mut statement = conn.prepare(&sql).unwrap();
        for row in rows {
            let values: Vec<Value> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Null => Value::Null,
                    Cell::Int(i) => Value::Integer(*i),
                    Cell::Float(f) => Value::Real(*f),
                    Cell::Bool(b) => Value::Integer(i64::from(*b)),
                    Cell::Text(t) | Cell::Date(t) | Cell::DateTime(t) => Value::Text(t.clone()),
                })
                .collect();
            statement
                .execute(rusqlite::params_from_iter(values))
                .unwrap();
        }
    }
}

fn run(conn: &Connection, query: &SqlQuery) -> Result<Vec<i64>, String> {
    let params: Vec<Value> = query
        .params
        .iter()
        .map(|value| match value {
            SqlValue::Int(i) => Value::Integer(*i),
            SqlValue::Float(f) => Value::Real(*f),
            SqlValue::Bool(b) => Value::Integer(i64::from(*b)),
            SqlValue::Text(t) => Value::Text(t.clone()),
            _ => Value::Null,
        })
        .collect();
    let mut statement = conn.prepare(&query.sql).map_err(|e| e.to_string())?;
    let rows = statement
        .query_map(rusqlite::params_from_iter(params), |row| {
            row.get::<_, i64>(0)
        })
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())
}

fn loaded(data: &Dataset, layout: Layout) -> Connection {
    let conn = connect();
    load(&conn, data, layout);
    conn
}

#[test]
fn conformance_vectors_select_the_same_records() {
    let datasets = sql_common::datasets();
    let mut connections = std::collections::HashMap::new();
    sql_common::conformance(Dialect::Sqlite, |dataset, layout, query| {
        let conn = connections
            .entry((dataset.to_owned(), layout))
            .or_insert_with(|| loaded(&datasets[dataset], layout));
        run(conn, query)
    });
}

/// Checks one generated case; `Err` describes a disagreement.
fn agree(data: &Dataset, text: &str, layout: Layout) -> Result<(), String> {
    let Some(plan) = sql_common::prop_plan(text, data) else {
        return Ok(());
    };
    let expected = plan.filter(data);
    let mapping = sql_common::mapping(data.schema(), layout);
    let query = plan
        .to_sql(&mapping, Dialect::Sqlite)
        .map_err(|e| format!("{text}: {e}"))?;
    let conn = loaded(data, layout);
    let got =
        run(&conn, &query).map_err(|e| format!("{text}: {e}\n{}", sql_common::describe(&query)))?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "{text} ({layout:?}): expected {expected:?}, got {got:?}\n{plan}\n{}",
            sql_common::describe(&query)
        ))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_domains_select_the_same_records(
        data in sql_common::dataset(),
        text in sql_common::domain(),
        json in any::<bool>(),
    ) {
        let layout = if json { Layout::Json } else { Layout::Columns };
        if let Err(message) = agree(&data, &text, layout) {
            prop_assert!(false, "{}", message);
        }
    }
}

#[test]
fn deep_domains_stay_within_sqlite_limits() {
    let data = {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        sql_common::dataset()
            .new_tree(&mut runner)
            .unwrap()
            .current()
    };
    let mapping = sql_common::mapping(data.schema(), Layout::Columns);
    let conn = loaded(&data, Layout::Columns);
    // Prefix operators nest without brackets, as deep as the text allows.
    for depth in [10, 100, 1_000, 20_000] {
        let text = sql_common::deep_prefix_domain(depth);
        let plan = sql_common::prop_plan(&text, &data).expect("a valid domain");
        let query = plan.to_sql(&mapping, Dialect::Sqlite).unwrap();
        let got = run(&conn, &query).unwrap_or_else(|e| panic!("depth {depth}: {e}"));
        assert_eq!(got, plan.filter(&data), "depth {depth}");
    }
    // `any` nests a sub-query a level: every depth the parser's default nesting limit
    // lets through translates and runs.
    let mut deepest = 0;
    for depth in (1..200).step_by(4) {
        let text = sql_common::deep_any_domain(depth);
        let Some(plan) = sql_common::prop_plan(&text, &data) else {
            break;
        };
        let query = plan
            .to_sql(&mapping, Dialect::Sqlite)
            .unwrap_or_else(|e| panic!("depth {depth}: {e}"));
        let got = run(&conn, &query).unwrap_or_else(|e| panic!("depth {depth}: {e}"));
        assert_eq!(got, plan.filter(&data), "depth {depth}");
        deepest = depth;
    }
    assert!(deepest >= 120, "only {deepest} levels of any");
    // Deeper (a raised nesting limit) is refused before it reaches the database.
    let text = sql_common::deep_any_domain(200);
    let domain = smskit_filter::ParseOptions::new()
        .with_nest_limit(1000)
        .parse(&text)
        .unwrap();
    let plan = Plan::new(data.schema(), "p", &domain).unwrap();
    let error = plan.to_sql(&mapping, Dialect::Sqlite).unwrap_err();
    assert!(
        matches!(error, smskit_filter::Error::SqlTooDeep { .. }),
        "{error}"
    );
}

#[test]
fn json_keys_with_quotes_dots_and_backslashes() {
    use smskit_filter::sql::SqlMapping;
    use smskit_filter::{FieldType, Schema};
    let keys = ["a.b", "say \"hi\"", "back\\slash", "é", "$x", "12", "[0]"];
    let mut schema = Schema::new();
    let mut mapping = SqlMapping::new();
    let mut model = schema.model("c");
    let mut table = mapping.model("c", "c");
    for (i, key) in keys.iter().enumerate() {
        model = model.field(&format!("f{i}"), FieldType::Char);
        table = table.json_key(&format!("f{i}"), "f", key);
    }
    let conn = connect();
    conn.execute_batch("CREATE TABLE c (id INTEGER PRIMARY KEY, f TEXT NOT NULL)")
        .unwrap();
    for (i, key) in keys.iter().enumerate() {
        let json = serde_json::json!({ *key: "yes", "other": "no", "a": {"b": "yes"} }).to_string();
        conn.execute(
            "INSERT INTO c (id, f) VALUES (?1, ?2)",
            rusqlite::params![i64::try_from(i).unwrap() + 1, json],
        )
        .unwrap();
    }
    for (i, key) in keys.iter().enumerate() {
        let domain = smskit_filter::parse(&format!("[('f{i}', '=', 'yes')]")).unwrap();
        let plan = Plan::new(&schema, "c", &domain).unwrap();
        let query = plan.to_sql(&mapping, Dialect::Sqlite).unwrap();
        assert_eq!(
            run(&conn, &query).unwrap(),
            vec![i64::try_from(i).unwrap() + 1],
            "{key}"
        );
    }
}

#[test]
fn long_value_lists_travel_as_one_parameter() {
    let data = sql_common::datasets().remove("partners").unwrap();
    let conn = loaded(&data, Layout::Columns);
    let mapping = sql_common::mapping(data.schema(), Layout::Columns);
    let ids: Vec<String> = (0..5000).map(|i| (i * 3 - 20).to_string()).collect();
    let names: Vec<String> = (0..100)
        .map(|i| format!("'n{i}'"))
        .chain(["'Acme'".to_owned(), "'Zoë'".to_owned(), "'a\"b'".to_owned()])
        .collect();
    for text in [
        format!("[('id', 'in', [{}])]", ids.join(", ")),
        format!("[('name', 'not in', [{}])]", names.join(", ")),
        format!("[('category_id', 'in', [{}])]", ids.join(", ")),
    ] {
        let plan = Plan::new(
            data.schema(),
            "res.partner",
            &smskit_filter::parse(&text).unwrap(),
        )
        .unwrap();
        let query = plan.to_sql(&mapping, Dialect::Sqlite).unwrap();
        assert!(query.params.len() < 10, "{}", query.params.len());
        assert_eq!(run(&conn, &query).unwrap(), plan.filter(&data));
    }
}

#[test]
fn unicode_case_folding_agrees_with_memory() {
    let (data, domains) = sql_common::unicode_cases();
    for layout in [Layout::Columns, Layout::Json] {
        let conn = loaded(&data, layout);
        let mapping = sql_common::mapping(data.schema(), layout);
        for text in &domains {
            let plan = sql_common::prop_plan(text, &data).unwrap();
            let query = plan.to_sql(&mapping, Dialect::Sqlite).unwrap();
            assert_eq!(run(&conn, &query).unwrap(), plan.filter(&data), "{text}");
        }
    }
}
