//! Checking a domain against a schema: field resolution, Odoo's condition rewrites and
//! type rules, compiled into a [`Plan`].
//!
//! The rewrites follow Odoo 19's domain optimisations as used by `filtered_domain`
//! (operator aliases, `=` on a list, `in []`, empty `like` patterns, relational name
//! search, boolean and date coercions, dotted paths as `any`), and the leaves implement
//! the in-memory `filter_function` semantics.

use std::collections::VecDeque;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Timelike, Utc, Weekday};

use crate::ast::{Domain, Node, Operator, Value};
use crate::dates::{self, DateValue};
use crate::error::{At, Error, Span};
use crate::like::Like;
use crate::plan::{Access, Hierarchy, Leaf, PKind, Plan, Program, SlotSpec};
use crate::py;
use crate::schema::{Field, FieldType, Model, Schema};
use crate::tree::{TKind, Tree};
use crate::values::{CmpOp, FieldValue, IdSet, Scalar, ScalarSet, float_as_int};

/// Options for checking a domain: the reference time for relative dates.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_filter::{CheckOptions, FieldType, Plan, Schema};
///
/// let mut schema = Schema::new();
/// schema.model("res.partner").field("birthday", FieldType::Date);
/// let domain = smskit_filter::parse("[('birthday', '>=', 'today -18y')]")?;
/// // Relative dates need a reference time:
/// assert!(Plan::new(&schema, "res.partner", &domain).is_err());
/// let options = CheckOptions::new().with_now(Utc.with_ymd_and_hms(2024, 5, 1, 9, 0, 0).unwrap());
/// assert!(Plan::with_options(&schema, "res.partner", &domain, &options).is_ok());
/// # Ok::<(), smskit_filter::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckOptions {
    now: Option<NaiveDateTime>,
    week_start: Weekday,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            now: None,
            week_start: Weekday::Sun,
        }
    }
}

impl CheckOptions {
    /// No reference time (relative dates are rejected); weeks start on Sunday (Odoo's
    /// `en_US`).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The reference time for relative dates such as `'today -1m'` (the user time zone
    /// is taken as UTC).
    #[must_use]
    pub fn with_now(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now.naive_utc());
        self
    }

    /// The first day of the week for `=week_start` and weekday terms.
    #[must_use]
    pub fn with_week_start(mut self, day: Weekday) -> Self {
        self.week_start = day;
        self
    }
}

impl Plan {
    /// Checks `domain` against `schema` for the records of `model` and compiles it.
    ///
    /// ```
    /// use smskit_filter::{FieldType, Plan, Schema};
    ///
    /// let mut schema = Schema::new();
    /// schema.model("res.partner").field("name", FieldType::Char);
    /// let domain = smskit_filter::parse("[('name', 'ilike', 'jo')]")?;
    /// let plan = Plan::new(&schema, "res.partner", &domain)?;
    /// assert_eq!(plan.model(), "res.partner");
    ///
    /// let bad = smskit_filter::parse("[('nmae', 'ilike', 'jo')]")?;
    /// let error = Plan::new(&schema, "res.partner", &bad).unwrap_err();
    /// assert!(error.to_string().starts_with("invalid field res.partner.nmae"));
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The schema errors: unknown model or field, `any` or a path on a non-relational
    /// field, a non-string `=like` pattern, a relational inequality with a string, a date
    /// that is not a date, a value that cannot be compared with the field.
    pub fn new(schema: &Schema, model: &str, domain: &Domain) -> Result<Self, Error> {
        Self::with_options(schema, model, domain, &CheckOptions::default())
    }

    /// [`Plan::new`] with options (reference time for relative dates).
    ///
    /// # Errors
    ///
    /// See [`Plan::new`].
    pub fn with_options(
        schema: &Schema,
        model: &str,
        domain: &Domain,
        options: &CheckOptions,
    ) -> Result<Self, Error> {
        let Some(root_model) = schema.model_index(model) else {
            return Err(Error::UnknownModel {
                model: model.to_owned(),
                at: At::unknown(),
            });
        };
        let mut compiler = Compiler {
            schema,
            domain,
            tree: Tree::build(domain),
            options,
            programs: vec![Program::new(model, None)],
            slots: Vec::new(),
            jobs: VecDeque::new(),
        };
        compiler.jobs.push_back(Job {
            program: 0,
            model: root_model,
            start: Start::Group(0),
        });
        while let Some(job) = compiler.jobs.pop_front() {
            let root = compiler.walk(job.program, job.model, job.start)?;
            if let Some(program) = compiler.programs.get_mut(job.program as usize) {
                program.root = Some(root);
                program.finish();
            }
        }
        Ok(Self {
            model: model.to_owned(),
            programs: compiler.programs,
            slots: compiler.slots,
        })
    }
}

impl Schema {
    /// Checks a domain for the records of `model`: shorthand for [`Plan::new`].
    ///
    /// # Errors
    ///
    /// See [`Plan::new`].
    pub fn check(&self, model: &str, domain: &Domain) -> Result<Plan, Error> {
        Plan::new(self, model, domain)
    }
}

#[derive(Clone, Copy)]
enum Start {
    /// The items of a (sub-)domain: a `Group` node of the tree.
    Group(u32),
    /// The condition at a tree node, its path starting at byte `offset`.
    Cond { tnode: u32, offset: usize },
}

struct Job {
    program: u32,
    model: usize,
    start: Start,
}

enum Compiled {
    Node(u32),
    /// `('id', 'any', D)` is `D` on the same records.
    Inline {
        group: u32,
        negate: bool,
    },
}

#[derive(Clone, Copy)]
enum Target<'s> {
    Field(&'s Field),
    Id,
    DisplayName,
}

struct Compiler<'a> {
    schema: &'a Schema,
    domain: &'a Domain,
    tree: Tree,
    options: &'a CheckOptions,
    programs: Vec<Program>,
    slots: Vec<SlotSpec>,
    jobs: VecDeque<Job>,
}

/// What a condition is about, for error messages.
#[derive(Clone, Copy)]
struct Ctx<'s> {
    model: &'s Model,
    target: Target<'s>,
    name: &'s str,
    op: Operator,
    cond_span: Span,
    value_span: Span,
}

fn py_falsy(value: &Value<'_>) -> bool {
    match *value {
        Value::None | Value::Bool(false) | Value::Int(0) => true,
        Value::Float(f) => f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::List(s) | Value::Tuple(s) => s.is_empty(),
        _ => false,
    }
}

/// Equal to Python's `False` (`False`, `0`, `0.0`).
fn false_equal(value: &Value<'_>) -> bool {
    match *value {
        Value::Bool(false) | Value::Int(0) => true,
        Value::Float(f) => f == 0.0,
        _ => false,
    }
}

fn scalar(value: &Value<'_>) -> Scalar {
    match *value {
        Value::Bool(b) => Scalar::Bool(b),
        Value::Int(i) => Scalar::Int(i),
        Value::Float(f) => Scalar::Float(f),
        Value::Str(s) => Scalar::Str(s.into()),
        _ => Scalar::Other,
    }
}

fn cmp_op(op: Operator) -> Option<CmpOp> {
    Some(match op {
        Operator::Lt => CmpOp::Lt,
        Operator::Le => CmpOp::Le,
        Operator::Gt => CmpOp::Gt,
        Operator::Ge => CmpOp::Ge,
        _ => return None,
    })
}

fn is_like(op: Operator) -> bool {
    matches!(
        op.positive(),
        Operator::Like | Operator::ILike | Operator::EqLike | Operator::EqILike
    )
}

/// Python's `str(value)`.
fn py_str(domain: &Domain, value: &Value<'_>) -> String {
    let mut out = String::new();
    let _ = match *value {
        Value::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        Value::List(seq) | Value::Tuple(seq) => {
            crate::print::write_value(&mut out, domain.nodes.get(seq.index()..).unwrap_or(&[]))
        }
        Value::Int(i) => {
            out.push_str(&i.to_string());
            Ok(())
        }
        Value::Float(f) => py::write_float(&mut out, f),
        Value::Bool(b) => {
            out.push_str(py::bool_str(b));
            Ok(())
        }
        Value::None => {
            out.push_str("None");
            Ok(())
        }
        Value::Domain(_) => Ok(()),
    };
    out
}

fn describe(domain: &Domain, value: &Value<'_>) -> String {
    match value {
        Value::Str(_) => {
            let mut out = String::new();
            let _ = py::write_str_repr(&mut out, &py_str(domain, value));
            out
        }
        _ => {
            let text = py_str(domain, value);
            if text.chars().count() > 60 {
                let short: String = text.chars().take(60).collect();
                format!("{short}...")
            } else {
                text
            }
        }
    }
}

fn default_for(field_type: &FieldType) -> FieldValue<'static> {
    match field_type {
        FieldType::Integer => FieldValue::Int(0),
        FieldType::Float | FieldType::Monetary => FieldValue::Float(0.0),
        FieldType::Boolean => FieldValue::Bool(false),
        _ => FieldValue::Null,
    }
}

impl<'a> Compiler<'a> {
    fn at(&self, span: Span) -> At {
        At::new(self.domain.source.as_deref(), span)
    }

    fn model(&self, index: usize) -> &'a Model {
        let schema: &'a Schema = self.schema;
        &schema.models()[index]
    }

    fn program(&mut self, index: u32) -> &mut Program {
        let last = self.programs.len() - 1;
        let i = (index as usize).min(last);
        &mut self.programs[i]
    }

    fn constant(&mut self, program: u32, value: bool) -> u32 {
        self.program(program).node(PKind::Const(value), Vec::new())
    }

    fn new_slot(&mut self, spec: SlotSpec) -> u32 {
        self.slots.push(spec);
        u32::try_from(self.slots.len() - 1).unwrap_or(u32::MAX)
    }

    /// A new program on `model` with its own slot.
    fn new_program(&mut self, model: usize) -> (u32, u32) {
        let index = u32::try_from(self.programs.len()).unwrap_or(u32::MAX);
        let slot = self.new_slot(SlotSpec::Program(index));
        let name = self.model(model).name().to_owned();
        self.programs.push(Program::new(&name, Some(slot)));
        (index, slot)
    }

    fn comodel(&self, ctx: &Ctx<'_>, field: &Field) -> Result<usize, Error> {
        let comodel = field.field_type().comodel().unwrap_or("");
        self.schema
            .model_index(comodel)
            .ok_or_else(|| Error::UnknownModel {
                model: comodel.to_owned(),
                at: self.at(ctx.cond_span),
            })
    }

    fn field_access(field: &Field) -> Access {
        Access::Field {
            field: field.clone(),
            default: default_for(field.field_type()),
        }
    }

    fn display_access(&self, model: usize) -> Access {
        let model = self.model(model);
        match model.field("display_name") {
            Some(field) => Self::field_access(field),
            None => Access::DisplayName {
                field: model.field("name").cloned(),
                model: model.name().into(),
            },
        }
    }

    fn access(&self, ctx: &Ctx<'_>) -> Access {
        match ctx.target {
            Target::Field(field) => Self::field_access(field),
            Target::Id => Access::Id,
            Target::DisplayName => {
                let index = self.schema.model_index(ctx.model.name()).unwrap_or(0);
                self.display_access(index)
            }
        }
    }

    /// Builds the logical tree of one program, starting at a group or a condition.
    fn walk(&mut self, program: u32, model: usize, start: Start) -> Result<u32, Error> {
        enum Visit {
            Node(u32),
            Cond { tnode: u32, offset: usize },
        }
        let mut root: Option<u32> = None;
        let mut stack: Vec<(Visit, Option<u32>)> = vec![(
            match start {
                Start::Group(group) => Visit::Node(group),
                Start::Cond { tnode, offset } => Visit::Cond { tnode, offset },
            },
            None,
        )];
        while let Some((visit, parent)) = stack.pop() {
            let (tnode, offset) = match visit {
                Visit::Cond { tnode, offset } => (tnode, offset),
                Visit::Node(tnode) => {
                    let Some(node) = self.tree.nodes.get(tnode as usize) else {
                        continue;
                    };
                    let kind = match node.kind {
                        TKind::Group | TKind::And => Some(PKind::And),
                        TKind::Or => Some(PKind::Or),
                        TKind::Not => Some(PKind::Not),
                        TKind::Const(b) => Some(PKind::Const(b)),
                        TKind::Cond { .. } => None,
                    };
                    if let Some(kind) = kind {
                        let children: Vec<u32> = node.children.clone();
                        let created = self.program(program).node(kind, Vec::new());
                        self.attach(program, parent, created, &mut root);
                        for &child in children.iter().rev() {
                            stack.push((Visit::Node(child), Some(created)));
                        }
                        continue;
                    }
                    (tnode, 0)
                }
            };
            match self.condition(program, model, tnode, offset)? {
                Compiled::Node(node) => self.attach(program, parent, node, &mut root),
                Compiled::Inline { group, negate } => {
                    if negate {
                        let not = self.program(program).node(PKind::Not, Vec::new());
                        self.attach(program, parent, not, &mut root);
                        stack.push((Visit::Node(group), Some(not)));
                    } else {
                        stack.push((Visit::Node(group), parent));
                    }
                }
            }
        }
        Ok(match root {
            Some(root) => root,
            None => self.constant(program, true),
        })
    }

    fn attach(&mut self, program: u32, parent: Option<u32>, child: u32, root: &mut Option<u32>) {
        match parent {
            Some(parent) => {
                if let Some(node) = self.program(program).nodes.get_mut(parent as usize) {
                    node.children.push(child);
                }
            }
            None => *root = Some(child),
        }
    }

    /// Compiles the condition at a tree node (its path from `offset`).
    fn condition(
        &mut self,
        program: u32,
        model: usize,
        tnode: u32,
        offset: usize,
    ) -> Result<Compiled, Error> {
        let domain: &'a Domain = self.domain;
        let Some(TKind::Cond { src, op, sub }) =
            self.tree.nodes.get(tnode as usize).map(|n| n.kind)
        else {
            return Ok(Compiled::Node(self.constant(program, true)));
        };
        let src = src as usize;
        let Some(Node::Cond { head, .. }) = domain.nodes.get(src) else {
            return Ok(Compiled::Node(self.constant(program, true)));
        };
        let cond_span = domain.spans.get(src).copied().unwrap_or_default();
        let value_span = domain.spans.get(src + 1).copied().unwrap_or(cond_span);
        let full: &'a str = &head.path;
        let path = full.get(offset..).unwrap_or("");
        let (name, rest) = match path.split_once('.') {
            Some((name, rest)) => (name, Some(rest)),
            None => (path, None),
        };
        if name.is_empty() || rest == Some("") {
            return Err(Error::EmptyFieldName {
                condition: format!("{full:?}"),
                at: self.at(head.path_span),
            });
        }
        let model_ref = self.model(model);
        let target = if name == "id" {
            Target::Id
        } else if let Some(field) = model_ref.field(name) {
            Target::Field(field)
        } else if name == "display_name" {
            Target::DisplayName
        } else {
            return Err(Error::UnknownField {
                model: model_ref.name().to_owned(),
                field: name.to_owned(),
                at: self.at(head.path_span),
            });
        };
        let ctx = Ctx {
            model: model_ref,
            target,
            name,
            op,
            cond_span,
            value_span,
        };
        let relational = match target {
            Target::Field(field) if field.field_type().is_relational() => Some(field),
            _ => None,
        };
        if rest.is_some() {
            // ('a.b', op, v) is ('a', 'any', [('b', op, v)]): existential.
            let Some(field) = relational else {
                return Err(Error::NotRelational {
                    model: model_ref.name().to_owned(),
                    field: name.to_owned(),
                    operator: ".".into(),
                    at: self.at(head.path_span),
                });
            };
            let comodel = self.comodel(&ctx, field)?;
            let (sub_program, slot) = self.new_program(comodel);
            self.jobs.push_back(Job {
                program: sub_program,
                model: comodel,
                start: Start::Cond {
                    tnode,
                    offset: offset + name.len() + 1,
                },
            });
            let leaf = self.program(program).leaf(Leaf::RelSlot {
                access: Self::field_access(field),
                slot,
            });
            return Ok(Compiled::Node(leaf));
        }
        if sub {
            let group = self
                .tree
                .nodes
                .get(tnode as usize)
                .and_then(|n| n.children.first().copied())
                .unwrap_or(0);
            let negate = op == Operator::NotAny;
            if matches!(target, Target::Id) {
                return Ok(Compiled::Inline { group, negate });
            }
            let Some(field) = relational else {
                return Err(Error::NotRelational {
                    model: model_ref.name().to_owned(),
                    field: name.to_owned(),
                    operator: op.as_str().to_owned(),
                    at: self.at(head.op_span),
                });
            };
            let comodel = self.comodel(&ctx, field)?;
            let (sub_program, slot) = self.new_program(comodel);
            self.jobs.push_back(Job {
                program: sub_program,
                model: comodel,
                start: Start::Group(group),
            });
            let leaf = self.program(program).leaf(Leaf::RelSlot {
                access: Self::field_access(field),
                slot,
            });
            return Ok(Compiled::Node(if negate {
                self.program(program).node(PKind::Not, vec![leaf])
            } else {
                leaf
            }));
        }
        let value = Value::at(domain, src + 1);
        self.leaf(program, model, &ctx, value).map(Compiled::Node)
    }

    fn type_mismatch(&self, ctx: &Ctx<'_>, value: &str, reason: &'static str) -> Error {
        let field_type = match ctx.target {
            Target::Field(field) => field.field_type().name(),
            Target::Id => "id",
            Target::DisplayName => "char",
        };
        Error::TypeMismatch {
            model: ctx.model.name().to_owned(),
            field: ctx.name.to_owned(),
            field_type,
            operator: ctx.op,
            value: value.to_owned(),
            reason,
            at: self.at(ctx.value_span),
        }
    }

    /// Compiles a condition on a field of `model` (no path left) with a plain value.
    fn leaf(
        &mut self,
        program: u32,
        model: usize,
        ctx: &Ctx<'a>,
        value: Value<'a>,
    ) -> Result<u32, Error> {
        let domain: &'a Domain = self.domain;
        // `None` is read as False.
        let mut value = if matches!(value, Value::None) {
            Value::Bool(false)
        } else {
            value
        };
        let mut op = ctx.op;
        if op == Operator::EqIfSet {
            if py_falsy(&value) {
                return Ok(self.constant(program, true));
            }
            op = Operator::Eq;
        }
        op = match op {
            Operator::LtGt => Operator::Ne,
            Operator::EqEq => Operator::Eq,
            other => other,
        };
        let mut items: Option<Vec<Value<'a>>> = None;
        match op {
            Operator::Eq | Operator::Ne => {
                items = Some(match value {
                    Value::List(seq) | Value::Tuple(seq) if seq.is_empty() => {
                        vec![Value::Bool(false)]
                    }
                    Value::List(seq) | Value::Tuple(seq) => seq.iter().collect(),
                    other => vec![other],
                });
                op = if op == Operator::Eq {
                    Operator::In
                } else {
                    Operator::NotIn
                };
            }
            Operator::In | Operator::NotIn => {
                if py_falsy(&value) {
                    return Ok(self.constant(program, op == Operator::NotIn));
                }
                items = Some(match value {
                    Value::List(seq) | Value::Tuple(seq) => seq.iter().collect(),
                    other => vec![other],
                });
            }
            _ => {}
        }
        if let Some(items) = &items {
            self.check_hashable(ctx, items)?;
        }
        let relational = match ctx.target {
            Target::Field(field) => field.field_type().comodel().is_some(),
            _ => false,
        };
        let mut like: Option<Like> = None;
        if is_like(op) {
            let exact = matches!(op.positive(), Operator::EqLike | Operator::EqILike);
            if py_falsy(&value) {
                // An empty pattern: `like ''` is TRUE, `=like ''` is "is empty"; on a
                // relational field `like ''` is "is set".
                let result = op.is_negative() == exact;
                if relational || exact {
                    items = Some(vec![Value::Bool(false)]);
                    op = if result {
                        Operator::NotIn
                    } else {
                        Operator::In
                    };
                    value = Value::Bool(false);
                } else {
                    return Ok(self.constant(program, result));
                }
            } else if let Value::Str(s) = value {
                like = Some(Like::for_operator(s, op));
            } else if exact {
                return Err(Error::PatternNotString {
                    operator: ctx.op,
                    found: describe(domain, &value),
                    at: self.at(ctx.value_span),
                });
            } else {
                like = Some(Like::for_operator(&py_str(domain, &value), op));
            }
        }
        if op.takes_domain() {
            return Err(Error::InvalidSubdomain {
                operator: op,
                found: describe(domain, &value),
                at: self.at(ctx.value_span),
            });
        }
        let ctx = &Ctx { op, ..*ctx };
        if matches!(op, Operator::ChildOf | Operator::ParentOf) {
            return self.hierarchy(program, model, ctx, value);
        }
        let negate = op.is_negative();
        let node = match ctx.target {
            Target::Field(field) if relational => {
                self.relational(program, ctx, field, op, value, items.as_deref(), like)?
            }
            Target::Field(field) => {
                let access = Self::field_access(field);
                match field.field_type() {
                    FieldType::Boolean => self.boolean(program, ctx, access, items.as_deref())?,
                    FieldType::Date | FieldType::Datetime if like.is_none() => {
                        let datetime = *field.field_type() == FieldType::Datetime;
                        self.temporal(program, ctx, access, datetime, value, items.as_deref())?
                    }
                    ty => {
                        let kind = if ty.is_text() && *ty != FieldType::Selection {
                            Kind::Text
                        } else if *ty == FieldType::Selection {
                            Kind::Selection
                        } else if matches!(ty, FieldType::Date | FieldType::Datetime) {
                            Kind::Temporal
                        } else {
                            Kind::Number
                        };
                        self.scalar_leaf(program, ctx, access, kind, value, items.as_deref(), like)?
                    }
                }
            }
            Target::Id => self.scalar_leaf(
                program,
                ctx,
                Access::Id,
                Kind::Id,
                value,
                items.as_deref(),
                like,
            )?,
            Target::DisplayName => {
                let access = self.access(ctx);
                self.scalar_leaf(
                    program,
                    ctx,
                    access,
                    Kind::Text,
                    value,
                    items.as_deref(),
                    like,
                )?
            }
        };
        Ok(if negate {
            self.program(program).node(PKind::Not, vec![node])
        } else {
            node
        })
    }

    /// Python hashes the values of `in`: a list among them is a `TypeError`.
    fn check_hashable(&self, ctx: &Ctx<'_>, items: &[Value<'_>]) -> Result<(), Error> {
        for item in items {
            let unhashable = match item {
                Value::List(_) => true,
                Value::Tuple(seq) => {
                    let start = seq.index();
                    let end = start + self.domain.nodes.get(start).map_or(1, Node::size);
                    self.domain
                        .nodes
                        .get(start + 1..end)
                        .is_some_and(|nodes| nodes.iter().any(|n| matches!(n, Node::List { .. })))
                }
                _ => false,
            };
            if unhashable {
                return Err(self.type_mismatch(
                    ctx,
                    &describe(self.domain, item),
                    "a list inside the values is not hashable (use a tuple)",
                ));
            }
        }
        Ok(())
    }

    /// Conditions on many2one / one2many / many2many fields.
    #[allow(clippy::too_many_arguments, reason = "one call site, all context")]
    fn relational(
        &mut self,
        program: u32,
        ctx: &Ctx<'a>,
        field: &'a Field,
        op: Operator,
        value: Value<'a>,
        items: Option<&[Value<'a>]>,
        like: Option<Like>,
    ) -> Result<u32, Error> {
        let access = Self::field_access(field);
        let comodel = self.comodel(ctx, field)?;
        if let Some(like) = like {
            // Compared with the related records' display name.
            let display = self.display_access(comodel);
            let slot = self.leaf_program(
                comodel,
                Leaf::Like {
                    access: display,
                    like,
                },
            );
            return Ok(self.program(program).leaf(Leaf::RelSlot { access, slot }));
        }
        if let Some(cmp) = cmp_op(op) {
            if matches!(value, Value::Str(_)) {
                return Err(Error::RelationalInequality {
                    model: ctx.model.name().to_owned(),
                    field: field.name().to_owned(),
                    operator: op,
                    at: self.at(ctx.cond_span),
                });
            }
            return Ok(self.program(program).leaf(Leaf::RelCmp {
                access,
                op: cmp,
                value: scalar(&value),
            }));
        }
        let items = items.unwrap_or(&[]);
        let mut strs: Vec<Box<str>> = Vec::new();
        let mut falsy = false;
        let mut ids = Vec::new();
        let mut others = false;
        for item in items {
            match *item {
                Value::Str(s) => strs.push(s.into()),
                ref v if false_equal(v) => {
                    falsy = true;
                    others = true;
                }
                Value::Int(i) => {
                    ids.push(i);
                    others = true;
                }
                Value::Bool(true) => {
                    ids.push(1);
                    others = true;
                }
                Value::Float(f) => {
                    if let Some(i) = float_as_int(f) {
                        ids.push(i);
                    }
                    others = true;
                }
                _ => others = true,
            }
        }
        let mut parts = Vec::new();
        if !strs.is_empty() {
            let display = self.display_access(comodel);
            let empty = strs.iter().any(|s| s.is_empty());
            let set = ScalarSet::new(strs.into_iter().map(Scalar::Str));
            let slot = self.leaf_program(
                comodel,
                Leaf::In {
                    access: display,
                    set,
                    falsy: empty,
                },
            );
            parts.push(self.program(program).leaf(Leaf::RelSlot {
                access: access.clone(),
                slot,
            }));
        }
        if others {
            parts.push(self.program(program).leaf(Leaf::RelIn {
                access,
                ids: IdSet::new(ids),
                falsy,
            }));
        }
        Ok(match parts.len() {
            0 => self.constant(program, false),
            1 => parts[0],
            _ => self.program(program).node(PKind::Or, parts),
        })
    }

    /// A program on `model` made of one leaf; returns its slot.
    fn leaf_program(&mut self, model: usize, leaf: Leaf) -> u32 {
        let (index, slot) = self.new_program(model);
        let program = self.program(index);
        let root = program.leaf(leaf);
        program.root = Some(root);
        program.finish();
        slot
    }

    fn boolean(
        &mut self,
        program: u32,
        ctx: &Ctx<'_>,
        access: Access,
        items: Option<&[Value<'_>]>,
    ) -> Result<u32, Error> {
        let Some(items) = items else {
            return Err(self.type_mismatch(
                ctx,
                "the value",
                "a boolean field accepts only =, !=, in and not in (and an empty like pattern)",
            ));
        };
        let mut has_true = false;
        let mut has_false = false;
        let all_bool = items.iter().all(|v| matches!(v, Value::Bool(_)));
        for item in items {
            let truth = match *item {
                Value::Bool(b) => b,
                // str2bool(v.lower(), default=False)
                Value::Str(s) if !all_bool => matches!(
                    s.to_lowercase().as_str(),
                    "y" | "yes" | "1" | "true" | "t" | "on"
                ),
                ref other => !py_falsy(other),
            };
            if truth {
                has_true = true;
            } else {
                has_false = true;
            }
        }
        let mut set = Vec::new();
        if has_true {
            set.push(Scalar::Bool(true));
        }
        Ok(self.program(program).leaf(Leaf::In {
            access,
            set: ScalarSet::new(set),
            falsy: has_false,
        }))
    }

    /// Conditions on date and datetime fields (other than `like`).
    fn temporal(
        &mut self,
        program: u32,
        ctx: &Ctx<'_>,
        access: Access,
        datetime: bool,
        value: Value<'_>,
        items: Option<&[Value<'_>]>,
    ) -> Result<u32, Error> {
        let convert = |v: &Value<'_>| -> Result<Option<DateValue>, Error> {
            match *v {
                Value::Bool(false) => Ok(None),
                Value::Str(s) => self.parse_date(ctx, s).map(Some),
                ref other => Err(self.type_mismatch(
                    ctx,
                    &describe(self.domain, other),
                    if datetime {
                        "the value cannot be cast into a datetime"
                    } else {
                        "the value cannot be cast into a date"
                    },
                )),
            }
        };
        let truncate = |dt: NaiveDateTime| dt.with_nanosecond(0).unwrap_or(dt);
        if let Some(items) = items {
            let mut falsy = false;
            let mut dates = Vec::new();
            let mut starts = Vec::new();
            for item in items {
                match convert(item)? {
                    None => falsy = true,
                    Some(DateValue::Date(d)) if !datetime => dates.push(Scalar::Date(d)),
                    Some(DateValue::DateTime(dt)) if !datetime => {
                        dates.push(Scalar::Date(dt.date()))
                    }
                    Some(DateValue::Date(d)) => starts.push(d.and_time(chrono::NaiveTime::MIN)),
                    Some(DateValue::DateTime(dt)) => starts.push(truncate(dt)),
                }
            }
            return Ok(self.program(program).leaf(if datetime {
                starts.sort_unstable();
                starts.dedup();
                Leaf::DateTimeIn {
                    access,
                    starts,
                    falsy,
                }
            } else {
                Leaf::In {
                    access,
                    set: ScalarSet::new(dates),
                    falsy,
                }
            }));
        }
        let Some(mut cmp) = cmp_op(ctx.op) else {
            return Err(self.type_mismatch(
                ctx,
                &describe(self.domain, &value),
                "unsupported operator",
            ));
        };
        let Some(parsed) = convert(&value)? else {
            // Comparing with False selects nothing.
            return Ok(self.constant(program, false));
        };
        let scalar = if datetime {
            let (mut dt, is_date) = match parsed {
                DateValue::Date(d) => (d.and_time(chrono::NaiveTime::MIN), true),
                DateValue::DateTime(dt) => (truncate(dt), false),
            };
            let delta = if is_date {
                TimeDelta::days(1)
            } else {
                TimeDelta::seconds(1)
            };
            match cmp {
                CmpOp::Gt => match dt.checked_add_signed(delta) {
                    Some(next) => {
                        dt = next;
                        cmp = CmpOp::Ge;
                    }
                    None => return Ok(self.constant(program, false)),
                },
                CmpOp::Le => match dt.checked_add_signed(delta) {
                    Some(next) => {
                        dt = next;
                        cmp = CmpOp::Lt;
                    }
                    None => {
                        // Past the largest datetime: any set value is earlier.
                        let set = self.program(program).leaf(Leaf::In {
                            access,
                            set: ScalarSet::default(),
                            falsy: true,
                        });
                        return Ok(self.program(program).node(PKind::Not, vec![set]));
                    }
                },
                CmpOp::Lt | CmpOp::Ge => {}
            }
            Scalar::DateTime(dt)
        } else {
            Scalar::Date(parsed.date())
        };
        Ok(self.program(program).leaf(Leaf::Cmp {
            access,
            op: cmp,
            value: scalar,
            null: false,
        }))
    }

    fn parse_date(&self, ctx: &Ctx<'_>, text: &str) -> Result<DateValue, Error> {
        let invalid = |reason: String| Error::InvalidDate {
            model: ctx.model.name().to_owned(),
            field: ctx.name.to_owned(),
            value: text.to_owned(),
            reason,
            at: self.at(ctx.value_span),
        };
        match dates::parse_iso(text) {
            Ok(value) => Ok(value),
            Err(reason) if dates::looks_iso(text) => Err(invalid(reason)),
            Err(_) => match self.options.now {
                Some(now) => {
                    dates::parse_relative(text, now, self.options.week_start).map_err(invalid)
                }
                None => {
                    match dates::parse_relative(text, reference_time(), self.options.week_start) {
                        Ok(_) => Err(invalid(
                            "a relative date needs a reference time (CheckOptions::with_now)"
                                .into(),
                        )),
                        Err(reason) => Err(invalid(reason)),
                    }
                }
            },
        }
    }

    /// Conditions on text, selection, numbers, the id and the display name.
    #[allow(clippy::too_many_arguments, reason = "one call site per target kind")]
    fn scalar_leaf(
        &mut self,
        program: u32,
        ctx: &Ctx<'_>,
        access: Access,
        kind: Kind,
        value: Value<'_>,
        items: Option<&[Value<'_>]>,
        like: Option<Like>,
    ) -> Result<u32, Error> {
        if let Some(like) = like {
            return Ok(self.program(program).leaf(Leaf::Like { access, like }));
        }
        if let Some(items) = items {
            let falsy = items.iter().any(|v| {
                false_equal(v)
                    || match kind {
                        Kind::Text => matches!(v, Value::Str("")),
                        Kind::Selection => matches!(v, Value::None),
                        _ => false,
                    }
            });
            let set = ScalarSet::new(items.iter().map(scalar));
            return Ok(self.program(program).leaf(Leaf::In { access, set, falsy }));
        }
        if matches!(
            ctx.op,
            Operator::ChildOf | Operator::ParentOf | Operator::Any | Operator::NotAny
        ) {
            return Err(Error::NotRelational {
                model: ctx.model.name().to_owned(),
                field: ctx.name.to_owned(),
                operator: ctx.op.as_str().to_owned(),
                at: self.at(ctx.cond_span),
            });
        }
        let Some(cmp) = cmp_op(ctx.op) else {
            return Err(self.type_mismatch(
                ctx,
                &describe(self.domain, &value),
                "unsupported operator",
            ));
        };
        let (compared, null) = match kind {
            Kind::Text => {
                let compared = if py_falsy(&value) {
                    Value::Str("")
                } else {
                    value
                };
                let Value::Str(s) = compared else {
                    return Err(self.type_mismatch(
                        ctx,
                        &describe(self.domain, &value),
                        "text can only be ordered against text",
                    ));
                };
                (Scalar::Str(s.into()), cmp.test("".cmp(s)))
            }
            Kind::Number => {
                let compared = if py_falsy(&value) {
                    Value::Int(0)
                } else {
                    value
                };
                let scalar = scalar(&compared);
                if !matches!(scalar, Scalar::Int(_) | Scalar::Float(_) | Scalar::Bool(_)) {
                    return Err(self.type_mismatch(
                        ctx,
                        &describe(self.domain, &value),
                        "a number can only be ordered against a number",
                    ));
                }
                let null = crate::values::py_cmp(&FieldValue::Int(0), &scalar)
                    .is_some_and(|o| cmp.test(o));
                (scalar, null)
            }
            Kind::Selection | Kind::Id | Kind::Temporal => {
                if kind == Kind::Selection && !matches!(value, Value::Str(_)) {
                    return Ok(self.constant(program, false));
                }
                (scalar(&value), false)
            }
        };
        Ok(self.program(program).leaf(Leaf::Cmp {
            access,
            op: cmp,
            value: compared,
            null,
        }))
    }

    /// `child_of` / `parent_of`.
    fn hierarchy(
        &mut self,
        program: u32,
        model: usize,
        ctx: &Ctx<'a>,
        value: Value<'a>,
    ) -> Result<u32, Error> {
        if matches!(value, Value::Bool(false)) {
            return Ok(self.constant(program, false));
        }
        let items: Vec<Value<'a>> = match value {
            Value::Int(_) | Value::Str(_) | Value::Bool(_) => vec![value],
            Value::List(seq) | Value::Tuple(seq) => seq.iter().collect(),
            other => {
                return Err(self.type_mismatch(
                    ctx,
                    &describe(self.domain, &other),
                    "expected an id, a name or a list of them",
                ));
            }
        };
        let model_ref = self.model(model);
        let (comodel, active_test, result_on_id, parent_name, m2m, field) = match ctx.target {
            Target::Field(field) => match field.field_type() {
                FieldType::Many2one(_) => {
                    let comodel = self.comodel(ctx, field)?;
                    let same = comodel == model;
                    (
                        comodel,
                        false,
                        same,
                        if same { field.name() } else { "parent_id" },
                        false,
                        Some(field),
                    )
                }
                FieldType::One2many(_) | FieldType::Many2many(_) => {
                    let comodel = self.comodel(ctx, field)?;
                    let same = comodel == model;
                    let m2m = matches!(field.field_type(), FieldType::Many2many(_));
                    (
                        comodel,
                        true,
                        false,
                        if same { field.name() } else { "parent_id" },
                        m2m,
                        Some(field),
                    )
                }
                _ => {
                    return Err(Error::NotRelational {
                        model: model_ref.name().to_owned(),
                        field: ctx.name.to_owned(),
                        operator: ctx.op.as_str().to_owned(),
                        at: self.at(ctx.cond_span),
                    });
                }
            },
            Target::Id => (model, true, true, "parent_id", false, None),
            Target::DisplayName => {
                return Err(Error::NotRelational {
                    model: model_ref.name().to_owned(),
                    field: ctx.name.to_owned(),
                    operator: ctx.op.as_str().to_owned(),
                    at: self.at(ctx.cond_span),
                });
            }
        };
        let comodel_ref = self.model(comodel);
        let parent = comodel_ref
            .field(parent_name)
            .filter(|f| f.field_type().is_relational())
            .cloned()
            .ok_or_else(|| Error::MissingParentField {
                model: model_ref.name().to_owned(),
                field: ctx.name.to_owned(),
                operator: ctx.op,
                comodel: comodel_ref.name().to_owned(),
                parent: parent_name.to_owned(),
                at: self.at(ctx.cond_span),
            })?;
        let mut ints = Vec::new();
        let mut others = Vec::new();
        for item in items {
            match item {
                Value::Int(i) => ints.push(i),
                Value::Bool(b) => ints.push(i64::from(b)),
                other => others.push(other),
            }
        }
        if ints.is_empty() && others.is_empty() {
            return Ok(self.constant(program, false));
        }
        let slot = self.new_slot(SlotSpec::Program(u32::MAX));
        let needs_search = m2m || !others.is_empty();
        let search = if needs_search {
            let (search, _) = self.new_program(comodel);
            let mut parts = Vec::new();
            if m2m && !ints.is_empty() {
                let leaf = Leaf::In {
                    access: Access::Id,
                    set: ScalarSet::new(ints.iter().map(|&i| Scalar::Int(i))),
                    falsy: false,
                };
                parts.push(self.program(search).leaf(leaf));
            }
            for other in &others {
                let node = if py_falsy(other) {
                    self.constant(search, true)
                } else {
                    let pattern = match *other {
                        Value::Str(s) => s.to_owned(),
                        ref v => py_str(self.domain, v),
                    };
                    let display = self.display_access(comodel);
                    self.program(search).leaf(Leaf::Like {
                        access: display,
                        like: Like::for_operator(&pattern, Operator::ILike),
                    })
                };
                parts.push(node);
            }
            let mut root = self.program(search).node(PKind::Or, parts);
            if active_test
                && let Some(active) = comodel_ref
                    .field("active")
                    .filter(|f| *f.field_type() == FieldType::Boolean)
            {
                let leaf = self.program(search).leaf(Leaf::In {
                    access: Self::field_access(active),
                    set: ScalarSet::new([Scalar::Bool(true)]),
                    falsy: false,
                });
                root = self.program(search).node(PKind::And, vec![root, leaf]);
            }
            let search_program = self.program(search);
            search_program.root = Some(root);
            search_program.finish();
            Some(search)
        } else {
            None
        };
        if let Some(spec) = self.slots.get_mut(slot as usize) {
            *spec = SlotSpec::Hierarchy(Box::new(Hierarchy {
                child_of: ctx.op == Operator::ChildOf,
                model: comodel_ref.name().to_owned(),
                parent,
                start: if m2m { Vec::new() } else { ints },
                search,
            }));
        }
        let leaf = if result_on_id {
            Leaf::IdSlot { slot }
        } else {
            let access = field.map_or(Access::Id, Self::field_access);
            Leaf::RelSlot { access, slot }
        };
        Ok(self.program(program).leaf(leaf))
    }
}

/// An arbitrary time used only to validate relative dates when no reference is given.
fn reference_time() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Selection,
    Number,
    Id,
    Temporal,
}
