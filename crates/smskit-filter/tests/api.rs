//! Integration tests of the public API: an application's own record types, binding,
//! the typed plan, errors with positions, resource limits.

use smskit_filter::{
    CheckOptions, Dataset, Domain, Error, Field, FieldType, FieldValue, Item, Literal, Operator,
    ParseOptions, Plan, Record, Records, Schema, Value, field, parse,
};

/// An application's own storage: one struct per model.
struct Contact {
    id: i64,
    name: String,
    country_id: Option<i64>,
    blacklisted: bool,
    tag_ids: Vec<i64>,
}

struct Country {
    id: i64,
    code: &'static str,
    name: &'static str,
}

struct Tag {
    id: i64,
    name: &'static str,
}

struct Store {
    contacts: Vec<Contact>,
    countries: Vec<Country>,
    tags: Vec<Tag>,
}

enum Rec<'a> {
    Contact(&'a Contact),
    Country(&'a Country),
    Tag(&'a Tag),
}

impl Record for Rec<'_> {
    fn id(&self) -> i64 {
        match self {
            Rec::Contact(c) => c.id,
            Rec::Country(c) => c.id,
            Rec::Tag(t) => t.id,
        }
    }

    fn get(&self, field: &Field) -> FieldValue<'_> {
        match (self, field.name()) {
            (Rec::Contact(c), "name") => FieldValue::Str(&c.name),
            (Rec::Contact(c), "country_id") => {
                c.country_id.map_or(FieldValue::Null, FieldValue::Id)
            }
            (Rec::Contact(c), "phone_sanitized_blacklisted") => FieldValue::Bool(c.blacklisted),
            (Rec::Contact(c), "tag_ids") => FieldValue::Ids(&c.tag_ids),
            (Rec::Country(c), "code") => FieldValue::Str(c.code),
            (Rec::Country(c), "name") => FieldValue::Str(c.name),
            (Rec::Tag(t), "name") => FieldValue::Str(t.name),
            _ => FieldValue::Null,
        }
    }
}

impl Records for Store {
    type Record<'a> = Rec<'a>;

    fn get(&self, model: &str, id: i64) -> Option<Rec<'_>> {
        match model {
            "res.partner" => self.contacts.iter().find(|c| c.id == id).map(Rec::Contact),
            "res.country" => self.countries.iter().find(|c| c.id == id).map(Rec::Country),
            "res.partner.category" => self.tags.iter().find(|t| t.id == id).map(Rec::Tag),
            _ => None,
        }
    }

    fn scan<'s, F: FnMut(Rec<'s>)>(&'s self, model: &str, mut visit: F) {
        match model {
            "res.partner" => self.contacts.iter().for_each(|c| visit(Rec::Contact(c))),
            "res.country" => self.countries.iter().for_each(|c| visit(Rec::Country(c))),
            "res.partner.category" => self.tags.iter().for_each(|t| visit(Rec::Tag(t))),
            _ => {}
        }
    }
}

fn schema() -> Schema {
    let mut schema = Schema::new();
    schema
        .model("res.partner")
        .field("name", FieldType::Char)
        .field("country_id", FieldType::many2one("res.country"))
        .field("phone_sanitized_blacklisted", FieldType::Boolean)
        .field("tag_ids", FieldType::many2many("res.partner.category"));
    schema
        .model("res.country")
        .field("code", FieldType::Char)
        .field("name", FieldType::Char);
    schema
        .model("res.partner.category")
        .field("name", FieldType::Char);
    schema
}

fn store() -> Store {
    let contact = |id, name: &str, country_id, blacklisted, tag_ids: &[i64]| Contact {
        id,
        name: name.to_owned(),
        country_id,
        blacklisted,
        tag_ids: tag_ids.to_vec(),
    };
    Store {
        contacts: vec![
            contact(1, "John", Some(1), false, &[]),
            contact(2, "Joan", Some(2), false, &[1]),
            contact(3, "Mary", Some(3), false, &[1]),
            contact(4, "Johan", Some(1), true, &[1]),
            contact(5, "Bob", None, false, &[2]),
            contact(6, "Jo n", Some(4), false, &[]),
        ],
        countries: vec![
            Country {
                id: 1,
                code: "BE",
                name: "Belgium",
            },
            Country {
                id: 2,
                code: "FR",
                name: "France",
            },
            Country {
                id: 3,
                code: "NL",
                name: "Netherlands",
            },
            Country {
                id: 4,
                code: "DE",
                name: "Germany",
            },
        ],
        tags: vec![
            Tag { id: 1, name: "VIP" },
            Tag {
                id: 2,
                name: "Press",
            },
        ],
    }
}

const BENCH_DOMAIN: &str = "[('country_id.code','in',['BE','FR','NL']), ('phone_sanitized_blacklisted','=',False), \
     '|', ('name','ilike','%jo_n%'), ('tag_ids.name','=','VIP')]";

#[test]
fn own_record_types_evaluate_like_the_dataset() {
    let schema = schema();
    let domain = parse(BENCH_DOMAIN).unwrap();
    let plan = Plan::new(&schema, "res.partner", &domain).unwrap();
    let store = store();
    assert_eq!(plan.filter(&store), vec![1, 2, 3]);
    let bound = plan.bind(&store);
    let matched: Vec<i64> = store
        .contacts
        .iter()
        .filter(|c| bound.matches(&Rec::Contact(c)))
        .map(|c| c.id)
        .collect();
    assert_eq!(matched, vec![1, 2, 3]);
    assert!(std::ptr::eq(bound.plan(), &plan));
}

#[test]
fn explain_shows_the_typed_plan() {
    let plan = Plan::new(&schema(), "res.partner", &parse(BENCH_DOMAIN).unwrap()).unwrap();
    let text = plan.to_string();
    assert!(text.starts_with("plan for res.partner:\n  AND\n"), "{text}");
    assert!(
        text.contains("country_id (many2one res.country) has a record in $0"),
        "{text}"
    );
    assert!(
        text.contains("$0 = records of res.country where:\n  code (char) in ['BE', 'FR', 'NL']"),
        "{text}"
    );
    assert!(
        text.contains("    phone_sanitized_blacklisted (boolean) is not set or false\n"),
        "{text}"
    );
    assert!(text.contains("name (char) matches '%jo_n%'"), "{text}");
}

#[test]
fn constant_plans() {
    let schema = schema();
    let always = Plan::new(
        &schema,
        "res.partner",
        &parse("['|', (1, '=', 1), ('name', '=', 'x')]").unwrap(),
    )
    .unwrap();
    assert!(always.is_always_true());
    assert_eq!(always.filter(&store()).len(), 6);
    let never = Plan::new(
        &schema,
        "res.partner",
        &parse("[('name', 'in', [])]").unwrap(),
    )
    .unwrap();
    assert!(never.is_always_false());
    assert!(never.filter(&store()).is_empty());
}

#[test]
fn schema_errors_point_into_the_text() {
    let schema = schema();
    let text = "[('name', '=', 'x'),\n ('country_id.cod', '=', 'BE')]";
    let error = Plan::new(&schema, "res.partner", &parse(text).unwrap()).unwrap_err();
    assert!(error.is_schema_error());
    assert!(
        matches!(&error, Error::UnknownField { model, field, .. } if model == "res.country" && field == "cod")
    );
    let location = error.location().unwrap();
    assert_eq!((location.line(), location.column()), (2, 3));
    assert_eq!(
        error.to_string(),
        "invalid field res.country.cod\n --> line 2, column 3 (byte 23)\n  |\n2 |  ('country_id.cod', '=', 'BE')]\n  |   ^^^^^^^^^^^^^^^^"
    );
    // Domains built in code have no text to point into.
    let error = Plan::new(&schema, "res.partner", &field("nope").eq(1)).unwrap_err();
    assert!(error.location().is_none());
    assert_eq!(error.to_string(), "invalid field res.partner.nope");
    assert!(matches!(
        Plan::new(&schema, "res.users", &Domain::new()),
        Err(Error::UnknownModel { .. })
    ));
}

#[test]
fn a_hundred_thousand_levels_are_an_error_not_a_crash() {
    let generous = ParseOptions::new().with_size_limit(1 << 24);
    for open in ["[", "(", "[('a', 'in', ", "[('t', 'any', "] {
        let text = open.repeat(100_000);
        let error = generous.parse(&text).unwrap_err();
        assert!(
            matches!(error, Error::NestingLimit { limit: 250, .. }),
            "{error}"
        );
    }
    let error = parse(&"[('a', 'in', ".repeat(100_000)).unwrap_err();
    assert!(
        matches!(
            error,
            Error::SizeLimit {
                limit: 1_048_576,
                size: 1_300_000
            }
        ),
        "{error}"
    );
    let options = ParseOptions::new().with_nest_limit(10);
    let text = format!(
        "[('t', 'any', {}[]{})]",
        "[('t', 'any', ".repeat(9),
        ")]".repeat(9)
    );
    assert!(matches!(
        options.parse(&text),
        Err(Error::NestingLimit { limit: 10, .. })
    ));
}

#[test]
fn deep_allowed_domains_are_checked_evaluated_and_dropped_without_recursion() {
    // 20,000 nested `any` sub-domains and 20,000 nested list values: every step loops.
    let depth = 20_000;
    let text = format!(
        "[('name', '=', 'John'), ('name', 'in', {}'x'{})]",
        "(".repeat(depth),
        ",)".repeat(depth)
    );
    let options = ParseOptions::new()
        .with_nest_limit(1_000_000)
        .with_size_limit(1 << 26);
    let domain = options.parse(&text).unwrap();
    let plan = Plan::new(&schema(), "res.partner", &domain).unwrap();
    assert!(plan.filter(&store()).is_empty());

    let mut nested = String::from("[('name', '=', 'John')]");
    for _ in 0..depth {
        nested = format!("[('id', 'any', {nested})]");
    }
    let domain = options.parse(&nested).unwrap();
    let plan = Plan::new(&schema(), "res.partner", &domain).unwrap();
    assert_eq!(plan.filter(&store()), vec![1]);
    let text = plan.to_string();
    assert!(text.contains("name (char) in ['John']"));
    assert_eq!(domain.normalize(), domain);
    drop(plan);
    drop(domain);

    let mut chain = String::from("[('name', '=', 'John')]");
    for _ in 0..2_000 {
        chain = format!("['|', ('name', '=', 'Bob'), ('id', 'not any', {chain})]");
    }
    let domain = options.parse(&chain).unwrap();
    let plan = Plan::new(&schema(), "res.partner", &domain).unwrap();
    // An even number of negations around John, each level adding Bob.
    assert_eq!(plan.filter(&store()), vec![1, 5]);
}

#[test]
fn builder_and_operators() {
    let vip = field("tag_ids.name").eq("VIP");
    let belgians =
        field("country_id.code").eq("BE") & field("phone_sanitized_blacklisted").is_not_set();
    let domain = &belgians | &vip;
    assert_eq!(
        domain.to_string(),
        "['|', '&', ('country_id.code', '=', 'BE'), ('phone_sanitized_blacklisted', '=', False), ('tag_ids.name', '=', 'VIP')]"
    );
    let plan = Plan::new(&schema(), "res.partner", &domain).unwrap();
    assert_eq!(plan.filter(&store()), vec![1, 2, 3, 4]);
    let not_plan = Plan::new(&schema(), "res.partner", &!domain).unwrap();
    assert_eq!(not_plan.filter(&store()), vec![5, 6]);
    assert_eq!(
        Domain::condition("a", Operator::In, vec![1, 2])
            .unwrap()
            .to_string(),
        "[('a', 'in', [1, 2])]"
    );
}

#[test]
fn items_expose_the_ast() {
    let domain =
        parse("['|', ('a', 'in', [1, ('x',)]), ('b', 'any', [('c', '=', None)])]").unwrap();
    let items: Vec<Item<'_>> = domain.items().collect();
    assert_eq!(items.len(), 3);
    assert!(matches!(items[0], Item::Or(span) if span.start == 1));
    let Item::Condition(cond) = items[1] else {
        panic!("expected a condition");
    };
    assert_eq!(cond.path(), "a");
    assert_eq!(cond.operator(), Some(Operator::In));
    assert_eq!(cond.span().start, 6);
    assert_eq!(cond.path_span().start, 7);
    assert_eq!(cond.operator_span().start, 12);
    assert_eq!(
        cond.value().to_literal(),
        Literal::List(vec![
            Literal::Int(1),
            Literal::Tuple(vec![Literal::from("x")])
        ])
    );
    let Item::Condition(any) = items[2] else {
        panic!("expected a condition");
    };
    let Value::Domain(sub) = any.value() else {
        panic!("expected a sub-domain");
    };
    assert_eq!(sub.to_domain().to_string(), "[('c', '=', None)]");
    assert_eq!(sub.items().count(), 1);
    assert_eq!(domain.source(), Some(domain.source().unwrap()));
}

#[test]
fn relative_dates_use_the_given_reference_time() {
    let mut schema = Schema::new();
    schema.model("m").field("d", FieldType::Date);
    let mut data = Dataset::new(schema);
    for (id, date) in [(1, "2024-04-30"), (2, "2024-05-01"), (3, "2024-05-02")] {
        data.insert("m", id, [("d", Literal::from(date))]).unwrap();
    }
    let now = "2024-05-01T23:30:00Z".parse().unwrap();
    let options = CheckOptions::new().with_now(now);
    let plan = Plan::with_options(
        data.schema(),
        "m",
        &parse("[('d', '=', 'today')]").unwrap(),
        &options,
    )
    .unwrap();
    assert_eq!(plan.filter(&data), vec![2]);
    let plan = Plan::with_options(
        data.schema(),
        "m",
        &parse("[('d', '<', 'today +1d')]").unwrap(),
        &options,
    )
    .unwrap();
    assert_eq!(plan.filter(&data), vec![1, 2]);
    let error =
        Plan::new(data.schema(), "m", &parse("[('d', '=', 'today')]").unwrap()).unwrap_err();
    assert!(
        error.to_string().contains("needs a reference time"),
        "{error}"
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Domain>();
    assert_send_sync::<Plan>();
    assert_send_sync::<Schema>();
    assert_send_sync::<Dataset>();
    assert_send_sync::<Error>();
    assert_send_sync::<smskit_filter::Bound<'static>>();
}

#[test]
fn long_dotted_paths_are_refused_with_their_position() {
    let path = vec!["parent_id"; 40].join(".");
    let text = format!("[('name', '=', 'x'),\n ('{path}.name', '=', 'x')]");
    let error = parse(&text).unwrap_err();
    assert!(
        matches!(
            error,
            Error::PathLimit {
                fields: 41,
                limit: 32,
                ..
            }
        ),
        "{error:?}"
    );
    let location = error.location().unwrap();
    assert_eq!((location.line(), location.column()), (2, 3));
    assert!(
        error
            .to_string()
            .starts_with("field path of 41 fields exceeds the limit of 32")
    );
    // A path at the limit is fine, and the limit is an option.
    let at_limit = vec!["parent_id"; 31].join(".");
    assert!(parse(&format!("[('{at_limit}.name', '=', 'x')]")).is_ok());
    assert!(ParseOptions::new().with_path_limit(64).parse(&text).is_ok());
}

#[test]
fn explain_output_grows_linearly_with_nesting() {
    // Alternating `'|'` and `'&'` nest one level per condition (same operators would be
    // flattened); the rendering must not indent each line by its full depth (quadratic).
    let plan_text = |conditions: usize| {
        let mut text = String::from("[");
        for index in 0..conditions {
            if index + 1 < conditions {
                text.push_str(if index % 2 == 0 { "'|', " } else { "'&', " });
            }
            text.push_str(&format!("('name', '=', 'n{index}'), "));
        }
        text.push(']');
        let options = ParseOptions::new().with_nest_limit(u32::MAX);
        let domain = options.parse(&text).unwrap();
        Plan::new(&schema(), "res.partner", &domain)
            .unwrap()
            .to_string()
    };
    let small = plan_text(1_000).len();
    let large = plan_text(4_000).len();
    assert!(
        large < small * 5,
        "{small} bytes for 1,000, {large} for 4,000"
    );
}
