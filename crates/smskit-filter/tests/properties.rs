//! Property tests of the invariants the spec states: print/parse round trip, rewrites
//! that select the same records, `!` as the exact complement, and robust parsing.

use proptest::prelude::*;
use smskit_filter::{Dataset, Domain, FieldType, Literal, Operator, Plan, Schema};

fn schema() -> Schema {
    let mut schema = Schema::new();
    schema
        .model("m")
        .field("name", FieldType::Char)
        .field("state", FieldType::Selection)
        .field("n", FieldType::Integer)
        .field("x", FieldType::Float)
        .field("b", FieldType::Boolean)
        .field("d", FieldType::Date)
        .field("t", FieldType::Datetime)
        .field("parent_id", FieldType::many2one("m"))
        .field("tags", FieldType::many2many("tag"));
    schema
        .model("tag")
        .field("name", FieldType::Char)
        .field("parent_id", FieldType::many2one("tag"));
    schema
}

const RECORDS: i64 = 8;

fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// One record of `m`: a value or "never set" for each field.
fn record() -> impl Strategy<Value = Vec<(&'static str, Literal)>> {
    (
        pick(vec![
            None,
            Some(""),
            Some("a"),
            Some("ab"),
            Some("B"),
            Some("a_b"),
            Some("é"),
        ]),
        pick(vec![None, Some("x"), Some("y")]),
        pick(vec![None, Some(0i64), Some(1), Some(2), Some(-1)]),
        pick(vec![None, Some(0.0f64), Some(1.0), Some(1.5)]),
        pick(vec![None, Some(true), Some(false)]),
        pick(vec![None, Some("2024-01-01"), Some("2024-01-02")]),
        pick(vec![
            None,
            Some("2024-01-01 10:00:00"),
            Some("2024-01-02 00:00:00"),
        ]),
        0..=RECORDS,
        proptest::collection::vec(1..=3i64, 0..3),
    )
        .prop_map(|(name, state, n, x, b, d, t, parent, tags)| {
            let mut values: Vec<(&'static str, Literal)> = Vec::new();
            let mut set = |field: &'static str, value: Option<Literal>| {
                if let Some(value) = value {
                    values.push((field, value));
                }
            };
            set("name", name.map(Literal::from));
            set("state", state.map(Literal::from));
            set("n", n.map(Literal::from));
            set("x", x.map(Literal::from));
            set("b", b.map(Literal::from));
            set("d", d.map(Literal::from));
            set("t", t.map(Literal::from));
            set("parent_id", (parent > 0).then_some(Literal::Int(parent)));
            set("tags", Some(Literal::from(tags)));
            values
        })
}

fn dataset() -> impl Strategy<Value = Dataset> {
    proptest::collection::vec(record(), RECORDS as usize).prop_map(|records| {
        let mut data = Dataset::new(schema());
        for (index, values) in records.into_iter().enumerate() {
            data.insert("m", index as i64 + 1, values).unwrap();
        }
        for (id, name, parent) in [(1, "a", None), (2, "b", Some(1)), (3, "", Some(2))] {
            let mut values = vec![("name", Literal::from(name))];
            if let Some(parent) = parent {
                values.push(("parent_id", Literal::Int(parent)));
            }
            data.insert("tag", id, values).unwrap();
        }
        data
    })
}

fn cond(path: &str, op: Operator, value: impl Into<Literal>) -> Domain {
    Domain::condition(path, op, value).unwrap()
}

fn lit(value: &str) -> Literal {
    match value {
        "False" => Literal::Bool(false),
        "True" => Literal::Bool(true),
        "None" => Literal::None,
        _ => Literal::from(value),
    }
}

/// A condition on `m`. With `safe`, only conditions whose operator inversion by
/// `distribute_not` keeps the same records (no paths, no inequality on a field without a
/// falsy value).
fn condition(safe: bool) -> BoxedStrategy<Domain> {
    use Operator::*;
    let text_ops = vec![
        Eq, Ne, In, NotIn, Like, NotLike, ILike, NotILike, EqLike, EqILike, Lt, Gt, EqIfSet,
    ];
    let number_ops = vec![Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, EqIfSet];
    let mut strategies: Vec<BoxedStrategy<Domain>> = vec![
        (
            pick(text_ops),
            pick(vec!["", "a", "ab", "B", "a%", "_b", "False", "é"]),
        )
            .prop_map(|(op, v)| {
                let value = if matches!(op, In | NotIn) {
                    Literal::List(vec![lit(v), Literal::from("a")])
                } else {
                    lit(v)
                };
                cond("name", op, value)
            })
            .boxed(),
        (
            pick(number_ops.clone()),
            pick(vec![0i64, 1, 2, -1]),
            any::<bool>(),
        )
            .prop_map(|(op, v, float)| {
                let value = if float {
                    Literal::Float(v as f64 + 0.5)
                } else {
                    Literal::Int(v)
                };
                cond(if float { "x" } else { "n" }, op, value)
            })
            .boxed(),
        (pick(vec![Eq, Ne, In, NotIn]), any::<bool>())
            .prop_map(|(op, v)| cond("b", op, v))
            .boxed(),
        (
            pick(vec![Eq, Ne, In, NotIn, Like]),
            pick(vec!["x", "y", "False", "None"]),
        )
            .prop_map(|(op, v)| cond("state", op, lit(v)))
            .boxed(),
        (
            pick(vec![Eq, Ne, In, NotIn]),
            pick(vec!["2024-01-01", "2024-01-02", "False"]),
        )
            .prop_map(|(op, v)| cond("d", op, lit(v)))
            .boxed(),
        (
            pick(vec![Eq, Ne, In, NotIn]),
            pick(vec!["2024-01-01 10:00:00", "2024-01-02", "False"]),
        )
            .prop_map(|(op, v)| cond("t", op, lit(v)))
            .boxed(),
        (
            pick(vec![Eq, Ne, In, NotIn, ChildOf, ParentOf, ILike, NotILike]),
            pick(vec![1i64, 2, 3, 0]),
            any::<bool>(),
        )
            .prop_map(|(op, v, by_name)| {
                let value = if by_name {
                    Literal::from("a")
                } else {
                    Literal::Int(v)
                };
                cond(if v == 3 { "id" } else { "parent_id" }, op, value)
            })
            .boxed(),
        (
            pick(vec![Eq, Ne, In, NotIn]),
            pick(vec![1i64, 2, 3]),
            any::<bool>(),
        )
            .prop_map(|(op, v, by_name)| {
                let value = if by_name {
                    Literal::from("b")
                } else {
                    Literal::Int(v)
                };
                cond("tags", op, value)
            })
            .boxed(),
        (any::<bool>(), pick(vec!["a", "b", ""]))
            .prop_map(|(negate, name)| Domain::any("tags", negate, &cond("name", Eq, name)))
            .boxed(),
    ];
    if !safe {
        strategies.push(
            (
                pick(vec![Eq, Ne, ILike, NotILike, Lt]),
                pick(vec!["a", "b", ""]),
                any::<bool>(),
            )
                .prop_map(|(op, v, tags)| {
                    cond(if tags { "tags.name" } else { "parent_id.name" }, op, v)
                })
                .boxed(),
        );
        strategies.push(
            (
                pick(vec![Lt, Ge, Gt, Le]),
                pick(vec!["2024-01-01", "2024-01-01 10:00:00"]),
                any::<bool>(),
            )
                .prop_map(|(op, v, date)| cond(if date { "d" } else { "t" }, op, v))
                .boxed(),
        );
        strategies.push(
            (pick(vec![Lt, Ge]), pick(vec!["x", "y"]))
                .prop_map(|(op, v)| cond("state", op, v))
                .boxed(),
        );
    }
    proptest::strategy::Union::new(strategies).boxed()
}

/// A domain: conditions combined with implicit and explicit AND, OR and NOT.
fn domain(safe: bool) -> impl Strategy<Value = Domain> {
    let leaf = prop_oneof![
        8 => condition(safe),
        1 => Just(Domain::matching_all()),
        1 => Just(Domain::matching_none()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a & b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| (a & b).normalize()),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a | b),
            inner.clone().prop_map(|a| !a),
        ]
    })
}

fn select(data: &Dataset, domain: &Domain) -> Option<Vec<i64>> {
    Plan::new(data.schema(), "m", domain)
        .ok()
        .map(|plan| plan.filter(data))
}

/// Literal values with nesting, odd strings and special floats.
fn literal() -> impl Strategy<Value = Literal> {
    let leaf = prop_oneof![
        Just(Literal::None),
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Int),
        any::<f64>().prop_map(Literal::Float),
        prop_oneof![
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(1e16),
            Just(1e-5)
        ]
        .prop_map(Literal::Float),
        ".*".prop_map(Literal::Str),
        "[\\\\'\"%_\\n\\t\\x00-\\x1f\u{80}-\u{10ffff}]{0,6}".prop_map(Literal::Str),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Literal::List),
            proptest::collection::vec(inner, 0..4).prop_map(Literal::Tuple),
        ]
    })
}

fn any_operator() -> impl Strategy<Value = Operator> {
    proptest::sample::select(Operator::ALL.to_vec())
}

fn any_domain() -> impl Strategy<Value = Domain> {
    let leaf = prop_oneof![
        6 => ("[a-z_.]{0,12}|.{0,8}", any_operator(), literal())
            .prop_filter_map("not a domain for any", |(path, op, value)| {
                Domain::condition(path, op, value).ok()
            }),
        1 => Just(Domain::matching_all()),
        1 => Just(Domain::matching_none()),
        1 => Just(Domain::new()),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a & b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a | b),
            inner.clone().prop_map(|a| !a),
            ("[a-z]{1,6}", any::<bool>(), inner.clone())
                .prop_map(|(path, negate, sub)| Domain::any(path, negate, &sub)),
            inner.prop_map(|a| a.normalize()),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn print_then_parse_gives_the_same_domain(domain in any_domain()) {
        let text = domain.to_string();
        let parsed = smskit_filter::parse(&text);
        prop_assert!(parsed.is_ok(), "{text}: {parsed:?}");
        prop_assert_eq!(parsed.unwrap(), domain, "{}", text);
    }

    #[test]
    fn rewrites_print_and_parse_back(domain in any_domain()) {
        for rewritten in [domain.normalize(), domain.distribute_not(), domain.simplify()] {
            let text = rewritten.to_string();
            prop_assert_eq!(smskit_filter::parse(&text).unwrap(), rewritten);
        }
    }

    #[test]
    fn normalize_and_simplify_preserve_results(data in dataset(), domain in domain(false)) {
        if let Some(expected) = select(&data, &domain) {
            prop_assert_eq!(select(&data, &domain.normalize()), Some(expected.clone()), "normalize {}", domain);
            prop_assert_eq!(select(&data, &domain.simplify()), Some(expected), "simplify {}", domain);
        }
    }

    #[test]
    fn distribute_not_preserves_results(data in dataset(), domain in domain(true)) {
        if let Some(expected) = select(&data, &domain) {
            let distributed = domain.distribute_not();
            prop_assert_eq!(select(&data, &distributed), Some(expected), "{} -> {}", domain, distributed);
        }
    }

    #[test]
    fn not_selects_exactly_the_complement(data in dataset(), domain in domain(false)) {
        if let Some(selected) = select(&data, &domain) {
            let complement = select(&data, &!domain.clone()).unwrap();
            let all: Vec<i64> = (1..=RECORDS).collect();
            let expected: Vec<i64> = all.into_iter().filter(|id| !selected.contains(id)).collect();
            prop_assert_eq!(complement, expected, "{}", domain);
        }
    }

    #[test]
    fn parsing_never_panics_and_errors_point_inside_the_text(text in ".{0,64}|[\\[\\]()',\"a-z!&|=0-9. \\\\-]{0,64}") {
        match smskit_filter::parse(&text) {
            Ok(domain) => {
                let printed = domain.to_string();
                prop_assert_eq!(smskit_filter::parse(&printed).unwrap(), domain);
            }
            Err(error) => {
                if let Some(location) = error.location() {
                    prop_assert!(location.offset() <= text.len());
                    prop_assert!(text.is_char_boundary(location.offset()));
                    prop_assert!(location.offset() + location.len() <= text.len());
                    let before = &text[..location.offset()];
                    prop_assert_eq!(location.line(), before.matches('\n').count() + 1);
                    prop_assert!(error.to_string().contains('^'));
                }
            }
        }
    }
}

#[test]
fn paths_are_existential_so_distribute_not_changes_them() {
    // The exception the spec states: `!` of a path condition is the exact complement,
    // the inverted operator on the path is not.
    let mut data = Dataset::new(schema());
    data.insert("m", 1, [("name", Literal::from("a"))]).unwrap();
    data.insert("m", 2, [("parent_id", Literal::Int(1))])
        .unwrap();
    let negated = smskit_filter::parse("['!', ('parent_id.name', '=', 'a')]").unwrap();
    assert_eq!(select(&data, &negated), Some(vec![1]));
    assert_eq!(select(&data, &negated.distribute_not()), Some(vec![]));
}
