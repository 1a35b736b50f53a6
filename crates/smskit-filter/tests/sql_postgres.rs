//! The SQL translation on PostgreSQL: the conformance vectors and generated datasets and
//! domains select exactly the records the in-memory evaluation selects.
//!
//! The server comes from `SMSKIT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test works in its own schema, dropped
//! after. The tests fail (never skip) when the server cannot be reached.

#![cfg(feature = "serde")]

mod sql_common;

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls};
use proptest::prelude::*;
use smskit_filter::sql::{Dialect, SqlQuery, SqlValue};
use smskit_filter::{Dataset, Plan};
use sql_common::{Cell, Layout, quote};

fn url() -> String {
    std::env::var("SMSKIT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

static MADE: AtomicUsize = AtomicUsize::new(0);

/// A connection working in a fresh schema, dropped with it.
struct Db {
    client: Client,
    schema: String,
    /// More schemas made through this connection, dropped with it.
    more: Vec<String>,
}

impl Db {
    fn new(what: &str) -> Db {
        let mut client = Client::connect(&url(), NoTls).unwrap_or_else(|error| {
            panic!(
                "cannot connect to PostgreSQL at {} (set SMSKIT_TEST_POSTGRES): {error}",
                url()
            )
        });
        let schema = format!(
            "smskit_test_filter_{what}_{}_{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        );
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {0}; SET search_path TO {0}",
                quote(&schema)
            ))
            .unwrap();
        Db {
            client,
            schema,
            more: Vec::new(),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // Best effort: a schema left behind by a failed drop is only clutter.
        for schema in self.more.iter().chain([&self.schema]) {
            let _ = self
                .client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote(schema)));
        }
    }
}

fn pg_type(ty: &str) -> &'static str {
    match ty {
        "int" => "BIGINT",
        "bool" => "BOOLEAN",
        "float" => "DOUBLE PRECISION",
        "date" => "DATE",
        "datetime" => "TIMESTAMP",
        "json" => "JSONB",
        _ => "TEXT",
    }
}

fn load(client: &mut impl GenericClient, data: &Dataset, layout: Layout) {
    let tables = sql_common::tables(data, layout);
    for (name, columns) in &tables.tables {
        let columns: Vec<String> = columns
            .iter()
            .map(|(c, ty)| format!("{} {}", quote(c), pg_type(ty)))
            .collect();
        client
            .batch_execute(&format!(
                "CREATE TABLE {} ({})",
                quote(name),
                columns.join(", ")
            ))
            .unwrap();
    }
    for ((name, columns, rows), (_, types)) in tables.rows.iter().zip(&tables.tables) {
        for row in rows {
            let mut params: Vec<Box<dyn ToSql + Sync>> = Vec::new();
            let mut values = Vec::new();
            for (cell, (_, ty)) in row.iter().zip(types) {
                let ty = pg_type(ty);
                let n = params.len() + 1;
                let (param, sent): (Box<dyn ToSql + Sync>, &str) = match cell {
                    Cell::Null => {
                        values.push(format!("CAST(NULL AS {ty})"));
                        continue;
                    }
                    Cell::Int(i) => (Box::new(*i), "BIGINT"),
                    Cell::Float(f) => (Box::new(*f), "DOUBLE PRECISION"),
                    Cell::Bool(b) => (Box::new(*b), "BOOLEAN"),
                    Cell::Text(t) | Cell::Date(t) | Cell::DateTime(t) => {
                        (Box::new(t.clone()), "TEXT")
                    }
                };
                params.push(param);
                values.push(format!("CAST(CAST(${n} AS {sent}) AS {ty})"));
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                quote(name),
                columns
                    .iter()
                    .map(|c| quote(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                values.join(", ")
            );
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| &**p).collect();
            client
                .execute(&sql, &refs)
                .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        }
    }
}

fn run(client: &mut impl GenericClient, query: &SqlQuery) -> Result<Vec<i64>, String> {
    let params: Vec<Box<dyn ToSql + Sync>> = query
        .params
        .iter()
        .map(|value| -> Box<dyn ToSql + Sync> {
            match value {
                SqlValue::Int(i) => Box::new(*i),
                SqlValue::Float(f) => Box::new(*f),
                SqlValue::Bool(b) => Box::new(*b),
                SqlValue::Text(t) => Box::new(t.clone()),
                _ => Box::new(None::<String>),
            }
        })
        .collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| &**p).collect();
    let rows = client
        .query(&query.sql, &refs)
        .map_err(|e| format!("{e:?}"))?;
    Ok(rows.iter().map(|row| row.get::<_, i64>(0)).collect())
}

#[test]
fn conformance_vectors_select_the_same_records() {
    let datasets = sql_common::datasets();
    let mut db = Db::new("conformance");
    let mut loaded = std::collections::HashSet::new();
    sql_common::conformance(Dialect::Postgres, |dataset, layout, query| {
        // One schema per dataset and layout: its tables are named after the models.
        let schema = format!("{}_{dataset}_{layout:?}", db.schema).to_lowercase();
        if loaded.insert(schema.clone()) {
            db.more.push(schema.clone());
            db.client
                .batch_execute(&format!(
                    "CREATE SCHEMA {0}; SET search_path TO {0}",
                    quote(&schema)
                ))
                .unwrap();
            load(&mut db.client, &datasets[dataset], layout);
        }
        db.client
            .batch_execute(&format!("SET search_path TO {}", quote(&schema)))
            .unwrap();
        run(&mut db.client, query)
    });
}

/// Checks one generated case in a transaction rolled back after; `Err` describes a
/// disagreement.
fn agree(db: &mut Db, data: &Dataset, text: &str, layout: Layout) -> Result<(), String> {
    let Some(plan) = sql_common::prop_plan(text, data) else {
        return Ok(());
    };
    let expected = plan.filter(data);
    let mapping = sql_common::mapping(data.schema(), layout);
    let query = match plan.to_sql(&mapping, Dialect::Postgres) {
        Ok(query) => query,
        // Generated texts never hold NUL; nothing else is refused for this schema.
        Err(error) => return Err(format!("{text}: {error}")),
    };
    let mut transaction = db.client.transaction().map_err(|e| e.to_string())?;
    load(&mut transaction, data, layout);
    let got = run(&mut transaction, &query)
        .map_err(|e| format!("{text}: {e}\n{}", sql_common::describe(&query)))?;
    transaction.rollback().map_err(|e| e.to_string())?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "{text} ({layout:?}): expected {expected:?}, got {got:?}\n{plan}\n{}",
            sql_common::describe(&query)
        ))
    }
}

#[test]
fn generated_domains_select_the_same_records() {
    let db = std::cell::RefCell::new(Db::new("prop"));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(300));
    let strategy = (sql_common::dataset(), sql_common::domain(), any::<bool>());
    let result = runner.run(&strategy, |(data, text, json)| {
        let layout = if json { Layout::Json } else { Layout::Columns };
        if let Err(message) = agree(&mut db.borrow_mut(), &data, &text, layout) {
            prop_assert!(false, "{}", message);
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn unicode_case_folding_agrees_with_memory() {
    let (data, domains) = sql_common::unicode_cases();
    let mut db = Db::new("unicode");
    for layout in [Layout::Columns, Layout::Json] {
        let mut transaction = db.client.transaction().unwrap();
        load(&mut transaction, &data, layout);
        let mapping = sql_common::mapping(data.schema(), layout);
        for text in &domains {
            let plan = sql_common::prop_plan(text, &data).unwrap();
            let query = plan.to_sql(&mapping, Dialect::Postgres).unwrap();
            assert_eq!(
                run(&mut transaction, &query).unwrap(),
                plan.filter(&data),
                "{text}"
            );
        }
        transaction.rollback().unwrap();
    }
}

#[test]
fn deep_domains_stay_within_postgres_limits() {
    use proptest::strategy::ValueTree;
    let data = {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        sql_common::dataset()
            .new_tree(&mut runner)
            .unwrap()
            .current()
    };
    let mapping = sql_common::mapping(data.schema(), Layout::Columns);
    let mut db = Db::new("deep");
    load(&mut db.client, &data, Layout::Columns);
    for depth in [10, 100, 1_000, 20_000] {
        let text = sql_common::deep_prefix_domain(depth);
        let plan = sql_common::prop_plan(&text, &data).expect("a valid domain");
        let query = plan.to_sql(&mapping, Dialect::Postgres).unwrap();
        let got = run(&mut db.client, &query).unwrap_or_else(|e| panic!("depth {depth}: {e}"));
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
            .to_sql(&mapping, Dialect::Postgres)
            .unwrap_or_else(|e| panic!("depth {depth}: {e}"));
        let got = run(&mut db.client, &query).unwrap_or_else(|e| panic!("depth {depth}: {e}"));
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
    let error = plan.to_sql(&mapping, Dialect::Postgres).unwrap_err();
    assert!(
        matches!(error, smskit_filter::Error::SqlTooDeep { .. }),
        "{error}"
    );
}

#[test]
fn nul_characters_are_refused_for_postgres() {
    let data = sql_common::datasets().remove("partners").unwrap();
    let mapping = sql_common::mapping(data.schema(), Layout::Columns);
    let plan = Plan::new(
        data.schema(),
        "res.partner",
        &smskit_filter::parse("[('name', '=', 'a\\x00b')]").unwrap(),
    )
    .unwrap();
    let error = plan.to_sql(&mapping, Dialect::Postgres).unwrap_err();
    assert!(error.is_sql_error(), "{error}");
    assert!(plan.to_sql(&mapping, Dialect::Sqlite).is_ok());
}

#[test]
fn long_value_lists_travel_as_one_parameter() {
    let data = sql_common::datasets().remove("partners").unwrap();
    let mut db = Db::new("lists");
    load(&mut db.client, &data, Layout::Columns);
    let mapping = sql_common::mapping(data.schema(), Layout::Columns);
    let ids: Vec<String> = (0..5000).map(|i| (i * 3 - 20).to_string()).collect();
    let names: Vec<String> = (0..100)
        .map(|i| format!("'n{i}'"))
        .chain([
            "'Acme'".to_owned(),
            "'Zoë'".to_owned(),
            "'a\"b\\\\'".to_owned(),
        ])
        .collect();
    for text in [
        format!("[('id', 'in', [{}])]", ids.join(", ")),
        format!("[('name', 'not in', [{}])]", names.join(", ")),
        format!("[('category_id', 'in', [{}])]", ids.join(", ")),
        format!("[('id', 'child_of', [{}])]", ids.join(", ")),
    ] {
        let plan = Plan::new(
            data.schema(),
            "res.partner",
            &smskit_filter::parse(&text).unwrap(),
        )
        .unwrap();
        let query = plan.to_sql(&mapping, Dialect::Postgres).unwrap();
        assert!(query.params.len() < 10, "{}", query.params.len());
        assert_eq!(run(&mut db.client, &query).unwrap(), plan.filter(&data));
    }
}
