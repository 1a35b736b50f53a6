//! Checks of the `filter_parse` target: any bytes as domain text.
//!
//! Parsing never panics or overflows the stack; an error carries a position inside the
//! text (on a character boundary, with a consistent line number) and renders a caret; a
//! parsed domain prints back to itself, its rewrites print back to themselves, and it
//! can be checked and evaluated against a small schema without panicking; a checked plan
//! translates to SQL in both dialects without panicking, every placeholder backed by a
//! parameter.

use smskit_filter::sql::{Dialect, SqlMapping};
use smskit_filter::{Dataset, Domain, FieldType, Literal, ParseOptions, Plan, Schema};

fn schema() -> Schema {
    let mut schema = Schema::new();
    schema
        .model("m")
        .field("a", FieldType::Char)
        .field("name", FieldType::Char)
        .field("s", FieldType::Selection)
        .field("n", FieldType::Integer)
        .field("x", FieldType::Float)
        .field("b", FieldType::Boolean)
        .field("d", FieldType::Date)
        .field("t", FieldType::Datetime)
        .field("parent_id", FieldType::many2one("m"))
        .field("child_ids", FieldType::one2many("m"))
        .field("tags", FieldType::many2many("tag"));
    schema
        .model("tag")
        .field("name", FieldType::Char)
        .field("active", FieldType::Boolean);
    schema
}

/// id, name, number, parent, tags
type Row = (i64, &'static str, i64, Option<i64>, &'static [i64]);

fn dataset() -> Dataset {
    let mut data = Dataset::new(schema());
    let rows: [Row; 4] = [
        (1, "a", 0, None, &[1]),
        (2, "", 5, Some(1), &[1, 2]),
        (3, "Zoë\n_%", -2, Some(2), &[]),
        (4, "b", 1, Some(9), &[2]),
    ];
    for (id, name, n, parent, tags) in rows {
        let mut values = vec![
            ("name", Literal::from(name)),
            ("a", Literal::from(name)),
            ("n", Literal::Int(n)),
            ("x", Literal::Float(n as f64 / 2.0)),
            ("b", Literal::Bool(n > 0)),
            ("d", Literal::from("2024-01-0".to_owned() + &id.to_string())),
            (
                "t",
                Literal::from("2024-01-01 10:00:0".to_owned() + &id.to_string()),
            ),
            ("tags", Literal::from(tags.to_vec())),
            ("s", Literal::from(if id % 2 == 0 { "x" } else { "y" })),
        ];
        if let Some(parent) = parent {
            values.push(("parent_id", Literal::Int(parent)));
        }
        data.insert("m", id, values).expect("valid fixture");
    }
    data.insert(
        "tag",
        1,
        [
            ("name", Literal::from("VIP")),
            ("active", Literal::Bool(true)),
        ],
    )
    .expect("valid fixture");
    data.insert("tag", 2, [("name", Literal::from("old"))])
        .expect("valid fixture");
    data
}

/// The schema's tables: plain columns, a JSON key, the relations.
fn mapping() -> SqlMapping {
    let mut mapping = SqlMapping::new();
    mapping
        .model("m", "m")
        .column("name", "name")
        .json_key("a", "extra", "a")
        .column("s", "s")
        .column("n", "n")
        .column("x", "x")
        .column("b", "b")
        .column("d", "d")
        .column("t", "t")
        .column("parent_id", "parent_id")
        .one2many("child_ids", "parent_id")
        .many2many_where("tags", "m_tags", "m", "tag", "m_tags.active");
    mapping
        .model("tag", "tag")
        .column("name", "name")
        .column("active", "active");
    mapping
}

/// Translates `plan` in both dialects: no panic, and every placeholder has its parameter.
fn check_sql(plan: &Plan, mapping: &SqlMapping) {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let Ok(query) = plan.to_sql(mapping, dialect) else {
            continue;
        };
        let sigil = if dialect == Dialect::Postgres {
            '$'
        } else {
            '?'
        };
        let bytes = query.sql.as_bytes();
        for (i, _) in query.sql.match_indices(sigil) {
            let digits: String = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|&b| char::from(b))
                .collect();
            if let Ok(n) = digits.parse::<usize>() {
                assert!(
                    (1..=query.params.len()).contains(&n),
                    "placeholder {sigil}{n} of {} parameters in {}",
                    query.params.len(),
                    query.sql
                );
            }
        }
    }
}

fn check_round_trip(domain: &Domain) {
    let text = domain.to_string();
    let again = ParseOptions::new()
        .with_nest_limit(u32::MAX)
        .with_size_limit(usize::MAX)
        .parse(&text)
        .unwrap_or_else(|e| panic!("printed domain does not parse: {text}\n{e}"));
    assert_eq!(&again, domain, "print/parse changed the domain: {text}");
}

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let options = ParseOptions::new()
        .with_nest_limit(48)
        .with_size_limit(1 << 16);
    match options.parse(&text) {
        Err(error) => {
            let rendered = error.to_string();
            assert!(!rendered.is_empty());
            if let Some(location) = error.location() {
                let offset = location.offset();
                assert!(offset <= text.len(), "offset {offset} past {}", text.len());
                assert!(
                    text.is_char_boundary(offset),
                    "offset {offset} inside a character"
                );
                assert!(offset + location.len() <= text.len());
                assert!(text.is_char_boundary(offset + location.len()));
                assert_eq!(location.line(), text[..offset].matches('\n').count() + 1);
                let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                assert_eq!(
                    location.column(),
                    text[line_start..offset].chars().count() + 1
                );
                assert!(rendered.contains('^'), "no caret in {rendered}");
            }
        }
        Ok(domain) => {
            check_round_trip(&domain);
            let normalized = domain.normalize();
            check_round_trip(&normalized);
            check_round_trip(&domain.distribute_not());
            let simplified = domain.simplify();
            check_round_trip(&simplified);
            let data = dataset();
            if let Ok(plan) = Plan::new(data.schema(), "m", &domain) {
                let _ = plan.to_string();
                check_sql(&plan, &mapping());
                let selected = plan.filter(&data);
                // Rewrites that must select the same records.
                for rewritten in [&normalized, &simplified] {
                    let plan = Plan::new(data.schema(), "m", rewritten)
                        .expect("a rewrite checks like the original");
                    assert_eq!(plan.filter(&data), selected, "{domain} vs {rewritten}");
                }
                // NOT is the exact complement.
                let negated =
                    Plan::new(data.schema(), "m", &!domain.clone()).expect("the negation checks");
                let complement = negated.filter(&data);
                for id in 1..=4 {
                    assert_ne!(
                        selected.contains(&id),
                        complement.contains(&id),
                        "{domain}: record {id}"
                    );
                }
            }
        }
    }
}
