//! Writing the SQL of a plan.
//!
//! Every sub-domain of the plan (a slot: dotted paths, `any`, relational name matching,
//! hierarchies) becomes a common table expression `"_sN"("id")` holding the ids it selects,
//! written before the slots that use it (a slot only uses slots created after it), so the
//! database evaluates each once, as [`Plan::bind`](crate::Plan::bind) does. The root program
//! becomes the `WHERE` condition.
//!
//! Every leaf is written so that it is never `NULL` (an absent value is tested explicitly),
//! so `NOT`, `AND` and `OR` keep their two-valued meaning. A logical tree is written as
//! nested `AND` / `OR` / `NOT` while it is shallow; a deeper one (prefix operators can nest
//! without brackets) becomes a `CASE` decision list that continues into its deepest child
//! instead of nesting it, so the text nests about as deep as the logarithm of the number of
//! leaves. Nothing here recurses: the tree is walked with explicit stacks.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::mapping::{FieldMapping, SqlMapping, TableMapping};
use super::{CASEFOLD_FUNCTION, Dialect, SqlQuery, SqlValue};
use crate::error::Error;
use crate::like::Like;
use crate::plan::{Access, Hierarchy, Leaf, PKind, Plan, Program, SlotSpec};
use crate::schema::FieldType;
use crate::values::{CmpOp, IdSet, Scalar, ScalarSet};

/// The deepest nesting of parentheses (sub-queries included, through the common table
/// expressions they read) a generated statement may have. Both databases run statements of
/// this depth (the tests run them): it takes every domain within the parser's default
/// nesting limit (about 125 levels of `any`, three parentheses each), and a domain nested
/// deeper gets [`Error::SqlTooDeep`] rather than a database's stack or expression-depth
/// error.
pub const MAX_DEPTH: usize = 400;

/// Logical trees up to this height are written as nested `AND` / `OR`.
const PLAIN_LIMIT: u32 = 24;

/// Longer lists of values travel as one array parameter.
const INLINE_SET: usize = 32;

/// The most placeholders a SQLite statement may have (its default `SQLITE_MAX_VARIABLE_NUMBER`).
const SQLITE_MAX_PARAMS: usize = 32_766;

/// The most parameters PostgreSQL's protocol carries for one statement.
const POSTGRES_MAX_PARAMS: usize = 65_535;

/// SQLite's default limit on the length of a `LIKE` / `GLOB` pattern, in bytes.
const SQLITE_PATTERN_LIMIT: usize = 50_000;

/// The `SELECT` of a plan's matching ids.
pub(super) fn select(
    plan: &Plan,
    mapping: &SqlMapping,
    dialect: Dialect,
) -> Result<SqlQuery, Error> {
    let mut writer = Writer::new(plan, mapping, dialect, 1);
    let sql = writer.select(true)?;
    writer.finish(sql)
}

/// A condition over `alias` for the plan's matching records.
pub(super) fn condition(
    plan: &Plan,
    mapping: &SqlMapping,
    dialect: Dialect,
    alias: &str,
    first_param: usize,
) -> Result<SqlQuery, Error> {
    let mut writer = Writer::new(plan, mapping, dialect, first_param.max(1));
    let table = writer.table(&plan.model)?;
    let slots = writer.reachable();
    if slots.iter().any(|&s| s) {
        // Common table expressions cannot hang off a condition: the whole select goes in.
        let inner = writer.select(false)?;
        let sql = format!("{} IN ({inner})", col(alias, &table.id));
        return writer.finish(sql);
    }
    writer.refs.clear();
    let root = writer.plan.programs.first();
    let sql = match root {
        Some(program) => writer.program(program, table, alias)?,
        None => "TRUE".to_owned(),
    };
    let depth = text_depth(&sql);
    writer.check_depth(depth)?;
    writer.finish(sql)
}

/// Appends `ident` quoted as a SQL identifier.
fn quote(out: &mut String, ident: &str) {
    out.push('"');
    for c in ident.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

fn ident(name: &str) -> String {
    let mut out = String::new();
    quote(&mut out, name);
    out
}

/// `"alias"."column"`.
fn col(alias: &str, column: &str) -> String {
    let mut out = String::new();
    quote(&mut out, alias);
    out.push('.');
    quote(&mut out, column);
    out
}

fn slot_name(slot: u32) -> String {
    format!("\"_s{slot}\"")
}

/// The deepest nesting of parentheses in `sql`, outside quoted text and identifiers.
fn text_depth(sql: &str) -> usize {
    #[derive(PartialEq)]
    enum State {
        Code,
        Single,
        Double,
    }
    let mut state = State::Code;
    let mut depth = 0usize;
    let mut max = 0usize;
    for c in sql.chars() {
        match (&state, c) {
            (State::Code, '\'') => state = State::Single,
            (State::Code, '"') => state = State::Double,
            (State::Single, '\'') | (State::Double, '"') => state = State::Code,
            (State::Code, '(') => {
                depth += 1;
                max = max.max(depth);
            }
            (State::Code, ')') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// A value read from a record, as a SQL expression.
enum Val {
    /// Text, `NULL` when absent.
    Text(String),
    /// An integer, never `NULL` (absent reads as 0).
    Int(String),
    /// A float, never `NULL` (absent reads as 0).
    Float(String),
    /// A boolean condition, never `NULL` (absent reads as false).
    Bool(String),
    /// A date, `NULL` when absent.
    Date(String),
    /// A date-time, `NULL` when absent.
    DateTime(String),
    /// A many2one's foreign key, `NULL` or 0 when absent.
    Many2one(String),
    /// The related ids of an x2many: `from` is a `FROM ... WHERE` clause (correlated with
    /// the record) and `id` the related id in it.
    Related { from: String, id: String },
}

/// How a relational test treats a record without a related record.
enum Falsy {
    No,
    Yes,
    When(String),
}

/// What a relational leaf tests on each related id.
enum RelTest<'p> {
    Ids(&'p IdSet),
    Slot(u32),
    Cmp(CmpOp, &'p Scalar),
}

enum Task {
    Node(u32, bool),
    List(u32, bool),
    Text(&'static str),
}

struct Writer<'a> {
    plan: &'a Plan,
    mapping: &'a SqlMapping,
    dialect: Dialect,
    params: Vec<SqlValue>,
    first_param: usize,
    aliases: usize,
    /// The slots read by the text being written.
    refs: Vec<u32>,
    /// The nesting depth of each written slot, through the slots it reads.
    slot_depth: Vec<usize>,
}

impl<'a> Writer<'a> {
    fn new(plan: &'a Plan, mapping: &'a SqlMapping, dialect: Dialect, first_param: usize) -> Self {
        Writer {
            plan,
            mapping,
            dialect,
            params: Vec::new(),
            first_param,
            aliases: 0,
            refs: Vec::new(),
            slot_depth: vec![0; plan.slots.len()],
        }
    }

    fn finish(self, sql: String) -> Result<SqlQuery, Error> {
        let (limit, database) = match self.dialect {
            Dialect::Postgres => (POSTGRES_MAX_PARAMS, "PostgreSQL"),
            Dialect::Sqlite => (SQLITE_MAX_PARAMS, "SQLite"),
        };
        let last = self.first_param + self.params.len();
        if last > limit + 1 {
            return Err(Error::SqlUnsupported {
                what: "this domain".into(),
                reason: format!(
                    "it needs {} parameters and {database} takes at most {limit}",
                    last - 1
                ),
            });
        }
        if self.dialect == Dialect::Postgres
            && self
                .params
                .iter()
                .any(|p| matches!(p, SqlValue::Text(t) if t.contains('\0')))
        {
            return Err(Error::SqlUnsupported {
                what: "a text value".into(),
                reason: "PostgreSQL text cannot hold a NUL character".into(),
            });
        }
        Ok(SqlQuery {
            sql,
            params: self.params,
        })
    }

    fn check_depth(&self, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::SqlTooDeep {
                depth,
                limit: MAX_DEPTH,
            });
        }
        Ok(())
    }

    fn table(&self, model: &str) -> Result<&'a TableMapping, Error> {
        let mapping: &'a SqlMapping = self.mapping;
        mapping.models.get(model).ok_or_else(|| Error::SqlUnmapped {
            model: model.to_owned(),
            field: String::new(),
        })
    }

    fn alias(&mut self) -> String {
        let alias = format!("_r{}", self.aliases);
        self.aliases += 1;
        alias
    }

    /// A placeholder for `value` (cast to its type for PostgreSQL).
    fn param(&mut self, value: SqlValue) -> String {
        let cast = match value {
            SqlValue::Int(_) => Some("BIGINT"),
            SqlValue::Float(_) => Some("DOUBLE PRECISION"),
            SqlValue::Bool(_) => Some("BOOLEAN"),
            SqlValue::Text(_) => Some("TEXT"),
            SqlValue::Null => None,
        };
        self.typed(value, cast)
    }

    /// A placeholder cast to `pg_type` for PostgreSQL.
    fn typed(&mut self, value: SqlValue, pg_type: Option<&str>) -> String {
        let number = self.first_param + self.params.len();
        let text = matches!(value, SqlValue::Text(_));
        self.params.push(value);
        match (self.dialect, pg_type) {
            // A text read as another type: sent as text (the server would otherwise expect
            // the binary form of the target type), converted by the server.
            (Dialect::Postgres, Some(ty)) if text && ty != "TEXT" => {
                format!("CAST(CAST(${number} AS TEXT) AS {ty})")
            }
            (Dialect::Postgres, Some(ty)) => format!("CAST(${number} AS {ty})"),
            (Dialect::Postgres, None) => format!("${number}"),
            (Dialect::Sqlite, _) => format!("?{number}"),
        }
    }

    fn date_param(&mut self, date: NaiveDate) -> Result<String, Error> {
        check_year(date.year())?;
        let text = date.format("%Y-%m-%d").to_string();
        Ok(self.typed(SqlValue::Text(text), Some("DATE")))
    }

    fn datetime_param(&mut self, datetime: NaiveDateTime) -> Result<String, Error> {
        check_year(datetime.year())?;
        let mut text = datetime.format("%Y-%m-%d %H:%M:%S").to_string();
        if datetime.nanosecond() != 0 {
            let _ = write!(text, ".{:06}", datetime.nanosecond() / 1000);
        }
        Ok(self.typed(SqlValue::Text(text), Some("TIMESTAMP")))
    }

    /// Which slots the root program reads, directly or through other slots.
    fn reachable(&self) -> Vec<bool> {
        let plan = self.plan;
        let mut seen = vec![false; plan.slots.len()];
        let mut visited = vec![false; plan.programs.len()];
        let mut programs = vec![0u32];
        while let Some(index) = programs.pop() {
            let Some(program) = plan.programs.get(index as usize) else {
                continue;
            };
            if std::mem::replace(&mut visited[index as usize], true) {
                continue;
            }
            for op in &program.ops {
                let slot = match op.leaf {
                    Leaf::RelSlot { slot, .. } | Leaf::IdSlot { slot } => slot,
                    _ => continue,
                };
                let mut pending = vec![slot];
                while let Some(slot) = pending.pop() {
                    let Some(flag) = seen.get_mut(slot as usize) else {
                        continue;
                    };
                    if std::mem::replace(flag, true) {
                        continue;
                    }
                    match plan.slots.get(slot as usize) {
                        Some(SlotSpec::Program(p)) => programs.push(*p),
                        Some(SlotSpec::Hierarchy(h)) => {
                            if let Some(search_slot) = h
                                .search
                                .and_then(|s| plan.programs.get(s as usize))
                                .and_then(|p| p.slot)
                            {
                                pending.push(search_slot);
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        seen
    }

    /// The whole `SELECT`, its common table expressions first.
    fn select(&mut self, ordered: bool) -> Result<String, Error> {
        let plan = self.plan;
        let table = self.table(&plan.model)?;
        let row = self.alias();
        let reachable = self.reachable();
        let mut ctes = Vec::new();
        let mut recursive = false;
        for slot in (0..plan.slots.len()).rev() {
            if !reachable[slot] {
                continue;
            }
            let slot = u32::try_from(slot).unwrap_or(u32::MAX);
            self.refs.clear();
            let (text, is_recursive) = self.slot(slot)?;
            recursive |= is_recursive;
            let depth = text_depth(&text) + self.refs_depth();
            self.check_depth(depth)?;
            if let Some(d) = self.slot_depth.get_mut(slot as usize) {
                *d = depth;
            }
            ctes.push(text);
        }
        self.refs.clear();
        let condition = match plan.programs.first() {
            Some(program) => self.program(program, table, &row)?,
            None => "TRUE".to_owned(),
        };
        let depth = text_depth(&condition) + self.refs_depth() + 1;
        self.check_depth(depth)?;
        let mut sql = String::new();
        if !ctes.is_empty() {
            sql.push_str(if recursive {
                "WITH RECURSIVE "
            } else {
                "WITH "
            });
            sql.push_str(&ctes.join(", "));
            sql.push(' ');
        }
        let _ = write!(
            sql,
            "SELECT {} FROM {} AS {}",
            col(&row, &table.id),
            ident(&table.table),
            ident(&row)
        );
        if condition != "TRUE" {
            sql.push_str(" WHERE ");
            sql.push_str(&condition);
        }
        if ordered {
            let _ = write!(sql, " ORDER BY {}", col(&row, &table.id));
        }
        Ok(sql)
    }

    fn refs_depth(&self) -> usize {
        self.refs
            .iter()
            .filter_map(|&s| self.slot_depth.get(s as usize))
            .copied()
            .max()
            .unwrap_or(0)
    }

    /// The common table expression of a slot; whether it is recursive.
    fn slot(&mut self, slot: u32) -> Result<(String, bool), Error> {
        let plan = self.plan;
        match plan.slots.get(slot as usize) {
            Some(SlotSpec::Program(index)) => {
                let Some(program) = plan.programs.get(*index as usize) else {
                    return Ok((
                        format!("{}(\"id\") AS (SELECT 0 WHERE FALSE)", slot_name(slot)),
                        false,
                    ));
                };
                let table = self.table(&program.model)?;
                let row = self.alias();
                let condition = self.program(program, table, &row)?;
                Ok((
                    format!(
                        "{}(\"id\") AS (SELECT {} FROM {} AS {} WHERE {condition})",
                        slot_name(slot),
                        col(&row, &table.id),
                        ident(&table.table),
                        ident(&row)
                    ),
                    false,
                ))
            }
            Some(SlotSpec::Hierarchy(hierarchy)) => Ok((self.hierarchy(slot, hierarchy)?, true)),
            None => Ok((
                format!("{}(\"id\") AS (SELECT 0 WHERE FALSE)", slot_name(slot)),
                false,
            )),
        }
    }

    /// A `child_of` / `parent_of` closure as a recursive common table expression. `UNION`
    /// keeps each id once, so the recursion ends with the records (cycles included).
    fn hierarchy(&mut self, slot: u32, h: &Hierarchy) -> Result<String, Error> {
        let table = self.table(&h.model)?;
        let parent = match table.field(h.parent.name(), true) {
            Some(FieldMapping::Column(column))
                if matches!(h.parent.field_type(), FieldType::Many2one(_)) =>
            {
                column
            }
            Some(_) => {
                return Err(Error::SqlUnsupported {
                    what: format!("{}.{}", h.model, h.parent.name()),
                    reason: "child_of / parent_of follow a many2one column only".into(),
                });
            }
            None => {
                return Err(Error::SqlUnmapped {
                    model: h.model.clone(),
                    field: h.parent.name().to_owned(),
                });
            }
        };
        let name = slot_name(slot);
        let mut base = Vec::new();
        if !h.start.is_empty() {
            base.push(self.id_list_select(&h.start));
        }
        let search = h
            .search
            .and_then(|s| self.plan.programs.get(s as usize))
            .and_then(|p| p.slot);
        if let Some(search) = search {
            self.refs.push(search);
            base.push(format!(
                "SELECT CAST(\"id\" AS BIGINT) FROM {}",
                slot_name(search)
            ));
        }
        // Python's False among the starting ids also starts from every root.
        let roots_when = if h.start.contains(&0) {
            Some(String::new())
        } else {
            search.map(|s| {
                format!(
                    " AND EXISTS (SELECT 1 FROM {} WHERE \"id\" = 0)",
                    slot_name(s)
                )
            })
        };
        if h.child_of
            && let Some(when) = roots_when
        {
            let a = self.alias();
            base.push(format!(
                "SELECT CAST({} AS BIGINT) FROM {} AS {} WHERE COALESCE({}, 0) = 0{when}",
                col(&a, &table.id),
                ident(&table.table),
                ident(&a),
                col(&a, &parent)
            ));
        }
        if base.is_empty() {
            base.push("SELECT CAST(0 AS BIGINT) WHERE FALSE".to_owned());
        }
        let a = self.alias();
        let step = if h.child_of {
            format!(
                "SELECT CAST({} AS BIGINT) FROM {} AS {} JOIN {name} AS \"_h\" ON {} = \"_h\".\"id\" WHERE {} <> 0",
                col(&a, &table.id),
                ident(&table.table),
                ident(&a),
                col(&a, &parent),
                col(&a, &parent)
            )
        } else {
            format!(
                "SELECT CAST({} AS BIGINT) FROM {} AS {} JOIN {name} AS \"_h\" ON {} = \"_h\".\"id\" WHERE COALESCE({}, 0) <> 0",
                col(&a, &parent),
                ident(&table.table),
                ident(&a),
                col(&a, &table.id),
                col(&a, &parent)
            )
        };
        Ok(format!(
            "{name}(\"id\") AS ({} UNION {step})",
            base.join(" UNION ")
        ))
    }

    /// A `SELECT` of a list of ids, as one parameter.
    fn id_list_select(&mut self, ids: &[i64]) -> String {
        match self.dialect {
            Dialect::Postgres => {
                let text = pg_int_array(ids);
                let p = self.typed(SqlValue::Text(text), Some("BIGINT[]"));
                format!("SELECT unnest({p})")
            }
            Dialect::Sqlite => {
                let text = json_int_array(ids);
                let p = self.typed(SqlValue::Text(text), None);
                format!("SELECT CAST(\"value\" AS BIGINT) FROM json_each({p})")
            }
        }
    }

    /// The condition of one program over the record `row` of `table`.
    fn program(
        &mut self,
        program: &'a Program,
        table: &'a TableMapping,
        row: &str,
    ) -> Result<String, Error> {
        if let Some(constant) = program.constant {
            return Ok(if constant { "TRUE" } else { "FALSE" }.to_owned());
        }
        let Some(root) = program.simple_root else {
            return Ok("TRUE".to_owned());
        };
        let nodes = &program.simple;
        // Heights, children before parents.
        let mut height = vec![0u32; nodes.len()];
        let mut order = Vec::with_capacity(nodes.len());
        let mut stack = vec![root];
        while let Some(index) = stack.pop() {
            order.push(index);
            if let Some(node) = nodes.get(index as usize) {
                stack.extend(node.children.iter().copied());
            }
        }
        for &index in order.iter().rev() {
            let Some(node) = nodes.get(index as usize) else {
                continue;
            };
            let below = node
                .children
                .iter()
                .filter_map(|&c| height.get(c as usize))
                .copied()
                .max()
                .unwrap_or(0);
            height[index as usize] = below.saturating_add(1);
        }
        let mut out = String::new();
        let mut tasks = vec![Task::Node(root, false)];
        while let Some(task) = tasks.pop() {
            match task {
                Task::Text(text) => out.push_str(text),
                Task::Node(index, negate) => {
                    let Some(node) = nodes.get(index as usize) else {
                        continue;
                    };
                    match node.kind {
                        PKind::Leaf(leaf) => {
                            let Some(leaf) = program.leaves.get(leaf as usize) else {
                                continue;
                            };
                            let before = self.params.len();
                            let text = self.leaf(leaf, &program.model, table, row)?;
                            if text == "TRUE" || text == "FALSE" {
                                // A constant leaf reads no value: drop the parameters its
                                // value expression took (an unused placeholder is an error).
                                self.params.truncate(before);
                            }
                            if negate {
                                let _ = write!(out, "NOT ({text})");
                            } else {
                                out.push_str(&text);
                            }
                        }
                        PKind::Const(b) => out.push_str(if b != negate { "TRUE" } else { "FALSE" }),
                        PKind::Not => {
                            if let Some(&child) = node.children.first() {
                                tasks.push(Task::Node(child, !negate));
                            }
                        }
                        PKind::And | PKind::Or if height[index as usize] <= PLAIN_LIMIT => {
                            let and = (node.kind == PKind::And) != negate;
                            tasks.push(Task::Text(")"));
                            for (i, &child) in node.children.iter().enumerate().rev() {
                                tasks.push(Task::Node(child, negate));
                                if i > 0 {
                                    tasks.push(Task::Text(if and { " AND " } else { " OR " }));
                                }
                            }
                            tasks.push(Task::Text("("));
                        }
                        PKind::And | PKind::Or => {
                            tasks.push(Task::Text(" END)"));
                            tasks.push(Task::List(index, negate));
                            tasks.push(Task::Text("(CASE"));
                        }
                    }
                }
                Task::List(index, negate) => {
                    let Some(node) = nodes.get(index as usize) else {
                        continue;
                    };
                    match node.kind {
                        PKind::Not => {
                            if let Some(&child) = node.children.first() {
                                tasks.push(Task::List(child, !negate));
                            }
                        }
                        PKind::And | PKind::Or if height[index as usize] > PLAIN_LIMIT => {
                            // Continue the list into the deepest child; the others are
                            // tested in turn and decide the result when they fail (AND) or
                            // hold (OR).
                            let tail = node
                                .children
                                .iter()
                                .copied()
                                .max_by_key(|&c| height.get(c as usize).copied().unwrap_or(0));
                            let (test_negated, result) = if node.kind == PKind::And {
                                (true, negate)
                            } else {
                                (false, !negate)
                            };
                            if let Some(tail) = tail {
                                tasks.push(Task::List(tail, negate));
                            }
                            for &child in node.children.iter().rev() {
                                if Some(child) == tail {
                                    continue;
                                }
                                tasks.push(Task::Text(if result {
                                    " THEN TRUE"
                                } else {
                                    " THEN FALSE"
                                }));
                                tasks.push(Task::Node(child, test_negated));
                                tasks.push(Task::Text(" WHEN "));
                            }
                        }
                        _ => {
                            tasks.push(Task::Node(index, negate));
                            tasks.push(Task::Text(" ELSE "));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// How the leaf reads its value.
    fn value(
        &mut self,
        access: &Access,
        model: &str,
        table: &'a TableMapping,
        row: &str,
    ) -> Result<Val, Error> {
        let unsupported = |field: &str, reason: &str| Error::SqlUnsupported {
            what: format!("{model}.{field}"),
            reason: reason.to_owned(),
        };
        let field = match access {
            Access::Id => return Ok(Val::Int(col(row, &table.id))),
            Access::DisplayName { field: None, model } => {
                let prefix = self.param(SqlValue::Text(format!("{model},")));
                return Ok(Val::Text(format!(
                    "({prefix} || CAST({} AS TEXT))",
                    col(row, &table.id)
                )));
            }
            Access::DisplayName {
                field: Some(field), ..
            } => {
                if !field.field_type().is_text() {
                    return Err(unsupported(
                        field.name(),
                        "a display name read from a field that is not text",
                    ));
                }
                field
            }
            Access::Field { field, .. } => field,
        };
        let field_type = field.field_type();
        let mapping = table
            .field(field.name(), field_type.is_relational())
            .ok_or_else(|| Error::SqlUnmapped {
                model: model.to_owned(),
                field: field.name().to_owned(),
            })?;
        let expr = match &mapping {
            FieldMapping::Column(column) => col(row, column),
            FieldMapping::JsonKey { column, key } => {
                if !field_type.is_text() {
                    return Err(unsupported(
                        field.name(),
                        "only text fields can be read from a JSON key",
                    ));
                }
                let json = col(row, column);
                return Ok(Val::Text(match self.dialect {
                    Dialect::Postgres => {
                        let key = self.param(SqlValue::Text(key.clone()));
                        format!("({json} ->> {key})")
                    }
                    Dialect::Sqlite => {
                        let path = self.param(SqlValue::Text(json_path(key)));
                        format!("json_extract({json}, {path})")
                    }
                }));
            }
            FieldMapping::One2many { inverse } => {
                let comodel = field_type.comodel().unwrap_or_default();
                if !matches!(field_type, FieldType::One2many(_)) {
                    return Err(unsupported(field.name(), "mapped as a one2many"));
                }
                let co = self.table(comodel)?;
                let a = self.alias();
                return Ok(Val::Related {
                    from: format!(
                        "FROM {} AS {} WHERE {} = {}",
                        ident(&co.table),
                        ident(&a),
                        col(&a, inverse),
                        col(row, &table.id)
                    ),
                    id: col(&a, &co.id),
                });
            }
            FieldMapping::Many2many {
                table: relation,
                source,
                target,
                condition,
            } => {
                if !matches!(field_type, FieldType::Many2many(_) | FieldType::One2many(_)) {
                    return Err(unsupported(field.name(), "mapped as a many2many"));
                }
                let a = self.alias();
                let mut from = format!(
                    "FROM {} AS {} WHERE {} = {}",
                    ident(relation),
                    ident(&a),
                    col(&a, source),
                    col(row, &table.id)
                );
                if let Some(condition) = condition {
                    let _ = write!(from, " AND ({condition})");
                }
                return Ok(Val::Related {
                    from,
                    id: col(&a, target),
                });
            }
        };
        Ok(match field_type {
            FieldType::Char | FieldType::Text | FieldType::Html | FieldType::Selection => {
                Val::Text(expr)
            }
            FieldType::Integer => Val::Int(format!("COALESCE({expr}, 0)")),
            FieldType::Float | FieldType::Monetary => Val::Float(format!("COALESCE({expr}, 0)")),
            FieldType::Boolean => Val::Bool(match self.dialect {
                Dialect::Postgres => format!("COALESCE({expr}, FALSE)"),
                Dialect::Sqlite => format!("(COALESCE({expr}, 0) <> 0)"),
            }),
            FieldType::Date => Val::Date(expr),
            FieldType::Datetime => Val::DateTime(expr),
            FieldType::Many2one(_) => Val::Many2one(expr),
            FieldType::One2many(_) | FieldType::Many2many(_) => {
                return Err(unsupported(
                    field.name(),
                    "an x2many needs a one2many or many2many mapping, not a column",
                ));
            }
        })
    }

    /// The text `like` matches: Python's `str(value)`, `''` when empty; never `NULL`.
    fn text_of(&self, value: Val, what: &str) -> Result<String, Error> {
        let unsupported = |reason: &str| Error::SqlUnsupported {
            what: what.to_owned(),
            reason: reason.to_owned(),
        };
        Ok(match value {
            Val::Text(e) => format!("COALESCE({e}, '')"),
            Val::Int(e) => format!("(CASE WHEN {e} = 0 THEN '' ELSE CAST({e} AS TEXT) END)"),
            Val::Bool(e) => format!("(CASE WHEN {e} THEN 'True' ELSE '' END)"),
            Val::Date(e) => match self.dialect {
                Dialect::Postgres => format!("COALESCE(to_char({e}, 'YYYY-MM-DD'), '')"),
                Dialect::Sqlite => format!("COALESCE({e}, '')"),
            },
            Val::DateTime(e) => match self.dialect {
                Dialect::Postgres => format!(
                    "COALESCE(to_char({e}, 'YYYY-MM-DD HH24:MI:SS') || (CASE WHEN date_trunc('second', {e}) = {e} THEN '' ELSE to_char({e}, '.US') END), '')"
                ),
                Dialect::Sqlite => format!("COALESCE({e}, '')"),
            },
            Val::Float(_) => {
                return Err(unsupported(
                    "like on a float matches Python's repr, which SQL does not write",
                ));
            }
            Val::Many2one(_) | Val::Related { .. } => {
                return Err(unsupported("like on a relation's ids"));
            }
        })
    }

    fn what(leaf: &Leaf, model: &str) -> String {
        let access = match leaf {
            Leaf::In { access, .. }
            | Leaf::DateTimeIn { access, .. }
            | Leaf::Cmp { access, .. }
            | Leaf::Like { access, .. }
            | Leaf::RelIn { access, .. }
            | Leaf::RelSlot { access, .. }
            | Leaf::RelCmp { access, .. } => access,
            Leaf::IdSlot { .. } => return format!("{model}.id"),
        };
        match access {
            Access::Field { field, .. } => format!("{model}.{}", field.name()),
            Access::Id => format!("{model}.id"),
            Access::DisplayName { .. } => format!("{model}.display_name"),
        }
    }

    /// One leaf, never `NULL`.
    fn leaf(
        &mut self,
        leaf: &'a Leaf,
        model: &str,
        table: &'a TableMapping,
        row: &str,
    ) -> Result<String, Error> {
        let what = Self::what(leaf, model);
        let unreachable = || Error::SqlUnsupported {
            what: what.clone(),
            reason: "this test on this field type".into(),
        };
        match leaf {
            Leaf::In { access, set, falsy } => {
                let value = self.value(access, model, table, row)?;
                self.in_set(value, set, *falsy).ok_or_else(unreachable)
            }
            Leaf::DateTimeIn {
                access,
                starts,
                falsy,
            } => {
                let Val::DateTime(e) = self.value(access, model, table, row)? else {
                    return Err(unreachable());
                };
                let mut parts = Vec::new();
                if *falsy {
                    parts.push(format!("{e} IS NULL"));
                }
                if !starts.is_empty() {
                    let mut list = Vec::new();
                    for &start in starts {
                        list.push(self.datetime_param(start)?);
                    }
                    let truncated = match self.dialect {
                        Dialect::Postgres => format!("date_trunc('second', {e})"),
                        Dialect::Sqlite => format!("substr({e}, 1, 19)"),
                    };
                    parts.push(format!(
                        "({e} IS NOT NULL AND {truncated} IN ({}))",
                        list.join(", ")
                    ));
                }
                Ok(any_of(parts))
            }
            Leaf::Cmp {
                access,
                op,
                value,
                null,
            } => {
                let read = self.value(access, model, table, row)?;
                self.cmp(read, *op, value, *null)?.ok_or_else(unreachable)
            }
            Leaf::Like { access, like } => {
                let read = self.value(access, model, table, row)?;
                let text = self.text_of(read, &what)?;
                self.like(&text, like, &what)
            }
            Leaf::RelIn { access, ids, falsy } => {
                let read = self.value(access, model, table, row)?;
                let falsy = if *falsy { Falsy::Yes } else { Falsy::No };
                self.related(read, &RelTest::Ids(ids), falsy)?
                    .ok_or_else(unreachable)
            }
            Leaf::RelSlot { access, slot } => {
                let read = self.value(access, model, table, row)?;
                let falsy = match self.plan.slots.get(*slot as usize) {
                    Some(SlotSpec::Hierarchy(_)) => Falsy::When(format!(
                        "EXISTS (SELECT 1 FROM {} WHERE \"id\" = 0)",
                        slot_name(*slot)
                    )),
                    _ => Falsy::No,
                };
                self.related(read, &RelTest::Slot(*slot), falsy)?
                    .ok_or_else(unreachable)
            }
            Leaf::RelCmp { access, op, value } => {
                let read = self.value(access, model, table, row)?;
                self.related(read, &RelTest::Cmp(*op, value), Falsy::No)?
                    .ok_or_else(unreachable)
            }
            Leaf::IdSlot { slot } => {
                self.refs.push(*slot);
                Ok(format!(
                    "{} IN (SELECT \"id\" FROM {})",
                    col(row, &table.id),
                    slot_name(*slot)
                ))
            }
        }
    }

    /// `Leaf::In`: the value in the set, or empty when `falsy`.
    fn in_set(&mut self, value: Val, set: &ScalarSet, falsy: bool) -> Option<String> {
        let mut parts = Vec::new();
        match value {
            Val::Text(e) => {
                if falsy {
                    parts.push(format!("({e} IS NULL OR {e} = '')"));
                }
                let strs: Vec<String> = set.strs().into_iter().map(str::to_owned).collect();
                if !strs.is_empty() {
                    let test = self.text_in(&e, strs);
                    parts.push(format!("({e} IS NOT NULL AND {test})"));
                }
            }
            Val::Int(e) => {
                if falsy {
                    parts.push(format!("{e} = 0"));
                }
                // An integer never equals a float with a fraction.
                if !set.ints().is_empty() {
                    parts.push(self.int_in(&e, set.ints()));
                }
            }
            Val::Float(e) => {
                if falsy {
                    parts.push(format!("{e} = 0"));
                }
                let mut list = Vec::new();
                for &i in set.ints() {
                    // An integer no float holds exactly equals no float.
                    #[allow(clippy::cast_precision_loss, reason = "checked exact just below")]
                    let f = i as f64;
                    if f < 9_223_372_036_854_775_808.0 && crate::values::float_as_int(f) == Some(i)
                    {
                        list.push(self.param(SqlValue::Float(f)));
                    }
                }
                for &f in set.floats() {
                    list.push(self.param(SqlValue::Float(f)));
                }
                if !list.is_empty() {
                    parts.push(format!("{e} IN ({})", list.join(", ")));
                }
            }
            Val::Bool(e) => {
                let has_true = set.ints().contains(&1);
                let has_false = set.ints().contains(&0) || falsy;
                return Some(match (has_true, has_false) {
                    (true, true) => "TRUE".to_owned(),
                    (true, false) => e,
                    (false, true) => format!("NOT {e}"),
                    (false, false) => "FALSE".to_owned(),
                });
            }
            Val::Date(e) => {
                if falsy {
                    parts.push(format!("{e} IS NULL"));
                }
                let mut list = Vec::new();
                for &d in set.dates() {
                    list.push(self.date_param(d).ok()?);
                }
                if !list.is_empty() {
                    parts.push(format!(
                        "({e} IS NOT NULL AND {e} IN ({}))",
                        list.join(", ")
                    ));
                }
            }
            Val::DateTime(e) => {
                if falsy {
                    parts.push(format!("{e} IS NULL"));
                }
                let mut list = Vec::new();
                for &d in set.datetimes() {
                    list.push(self.datetime_param(d).ok()?);
                }
                if !list.is_empty() {
                    parts.push(format!(
                        "({e} IS NOT NULL AND {e} IN ({}))",
                        list.join(", ")
                    ));
                }
            }
            Val::Many2one(_) | Val::Related { .. } => return None,
        }
        Some(any_of(parts))
    }

    fn text_in(&mut self, e: &str, values: Vec<String>) -> String {
        if values.len() <= INLINE_SET {
            let list: Vec<String> = values
                .into_iter()
                .map(|v| self.param(SqlValue::Text(v)))
                .collect();
            return format!("{e} IN ({})", list.join(", "));
        }
        match self.dialect {
            Dialect::Postgres => {
                let p = self.typed(SqlValue::Text(pg_text_array(&values)), Some("TEXT[]"));
                format!("{e} = ANY({p})")
            }
            Dialect::Sqlite => {
                let p = self.typed(SqlValue::Text(json_text_array(&values)), None);
                format!("{e} IN (SELECT \"value\" FROM json_each({p}))")
            }
        }
    }

    fn int_in(&mut self, e: &str, values: &[i64]) -> String {
        if values.len() <= INLINE_SET {
            let list: Vec<String> = values
                .iter()
                .map(|&v| self.param(SqlValue::Int(v)))
                .collect();
            return format!("{e} IN ({})", list.join(", "));
        }
        match self.dialect {
            Dialect::Postgres => {
                let p = self.typed(SqlValue::Text(pg_int_array(values)), Some("BIGINT[]"));
                format!("{e} = ANY({p})")
            }
            Dialect::Sqlite => {
                let p = self.typed(SqlValue::Text(json_int_array(values)), None);
                format!("{e} IN (SELECT \"value\" FROM json_each({p}))")
            }
        }
    }

    /// `Leaf::Cmp`: `None` for a combination evaluation never builds.
    fn cmp(
        &mut self,
        value: Val,
        op: CmpOp,
        scalar: &Scalar,
        null: bool,
    ) -> Result<Option<String>, Error> {
        let sign = op.as_str();
        let nullable = |e: &str, test: Option<String>| match (test, null) {
            (Some(test), true) => format!("({e} IS NULL OR {test})"),
            (Some(test), false) => format!("({e} IS NOT NULL AND {test})"),
            (None, true) => format!("{e} IS NULL"),
            (None, false) => "FALSE".to_owned(),
        };
        Ok(Some(match value {
            Val::Text(e) => {
                let test = match scalar {
                    Scalar::Str(s) => {
                        let p = self.param(SqlValue::Text(s.to_string()));
                        Some(match self.dialect {
                            Dialect::Postgres => format!("{e} COLLATE \"C\" {sign} {p}"),
                            Dialect::Sqlite => format!("{e} {sign} {p} COLLATE BINARY"),
                        })
                    }
                    _ => None,
                };
                nullable(&e, test)
            }
            Val::Int(e) => self.int_cmp(&e, op, scalar),
            Val::Float(e) => match *scalar {
                Scalar::Int(i) => self.float_cmp(&e, op, i),
                Scalar::Bool(b) => self.float_cmp(&e, op, i64::from(b)),
                Scalar::Float(f) if !f.is_nan() => {
                    let p = self.param(SqlValue::Float(f));
                    format!("{e} {sign} {p}")
                }
                _ => "FALSE".to_owned(),
            },
            Val::Date(e) => {
                let test = match scalar {
                    Scalar::Date(d) => Some(format!("{e} {sign} {}", self.date_param(*d)?)),
                    _ => None,
                };
                nullable(&e, test)
            }
            Val::DateTime(e) => {
                let test = match scalar {
                    Scalar::DateTime(d) => Some(format!("{e} {sign} {}", self.datetime_param(*d)?)),
                    _ => None,
                };
                nullable(&e, test)
            }
            Val::Bool(_) | Val::Many2one(_) | Val::Related { .. } => return Ok(None),
        }))
    }

    /// An integer expression compared with a scalar as Python does, exactly.
    fn int_cmp(&mut self, e: &str, op: CmpOp, scalar: &Scalar) -> String {
        let (op, bound) = match *scalar {
            Scalar::Int(i) => (op, i),
            Scalar::Bool(b) => (op, i64::from(b)),
            Scalar::Float(f) => match int_bound(op, f) {
                Ok(bound) => bound,
                Err(constant) => return if constant { "TRUE" } else { "FALSE" }.to_owned(),
            },
            _ => return "FALSE".to_owned(),
        };
        let p = self.param(SqlValue::Int(bound));
        format!("({e} {} {p})", op.as_str())
    }

    /// A float expression compared with an integer: SQLite compares the two exactly;
    /// PostgreSQL compares as floats (exact up to 2^53).
    fn float_cmp(&mut self, e: &str, op: CmpOp, i: i64) -> String {
        let p = match self.dialect {
            Dialect::Sqlite => self.param(SqlValue::Int(i)),
            #[allow(clippy::cast_precision_loss, reason = "documented: exact up to 2^53")]
            Dialect::Postgres => self.param(SqlValue::Float(i as f64)),
        };
        format!("{e} {} {p}", op.as_str())
    }

    /// A relational leaf: some related id passes `test`, or there is none and `falsy`.
    fn related(
        &mut self,
        value: Val,
        test: &RelTest<'_>,
        falsy: Falsy,
    ) -> Result<Option<String>, Error> {
        Ok(Some(match value {
            Val::Many2one(e) => {
                let test = self.rel_test(&e, test);
                let some = format!("(COALESCE({e}, 0) <> 0 AND {test})");
                match falsy {
                    Falsy::No => some,
                    Falsy::Yes => format!("({some} OR COALESCE({e}, 0) = 0)"),
                    Falsy::When(when) => {
                        format!("({some} OR (COALESCE({e}, 0) = 0 AND {when}))")
                    }
                }
            }
            Val::Related { from, id } => {
                let test = self.rel_test(&id, test);
                let some = format!("EXISTS (SELECT 1 {from} AND {test})");
                match falsy {
                    Falsy::No => some,
                    Falsy::Yes => format!("({some} OR NOT EXISTS (SELECT 1 {from}))"),
                    Falsy::When(when) => {
                        format!("({some} OR (NOT EXISTS (SELECT 1 {from}) AND {when}))")
                    }
                }
            }
            _ => return Ok(None),
        }))
    }

    fn rel_test(&mut self, id: &str, test: &RelTest<'_>) -> String {
        match *test {
            RelTest::Ids(ids) => {
                let ids = ids.to_sorted_vec();
                if ids.is_empty() {
                    "FALSE".to_owned()
                } else {
                    self.int_in(id, &ids)
                }
            }
            RelTest::Slot(slot) => {
                self.refs.push(slot);
                format!("{id} IN (SELECT \"id\" FROM {})", slot_name(slot))
            }
            RelTest::Cmp(op, scalar) => self.int_cmp(id, op, scalar),
        }
    }

    /// A `like` pattern on a text that is never `NULL`.
    fn like(&mut self, text: &str, like: &Like, what: &str) -> Result<String, Error> {
        let (subject, pattern, operator, escape) = match self.dialect {
            Dialect::Postgres => {
                let subject = if like.folds() {
                    format!("lower({text} COLLATE \"und-x-icu\")")
                } else {
                    text.to_owned()
                };
                (subject, like_pattern(like), "LIKE", " ESCAPE E'\\\\'")
            }
            Dialect::Sqlite if like.folds() => (
                // Both sides are lower-case, so SQLite's ASCII case-insensitive LIKE is exact.
                format!("{CASEFOLD_FUNCTION}({text})"),
                like_pattern(like),
                "LIKE",
                " ESCAPE '\\'",
            ),
            // SQLite's LIKE ignores ASCII case: GLOB does not.
            Dialect::Sqlite => (
                text.to_owned(),
                like.translate("*", "?", |out, c| {
                    if matches!(c, '*' | '?' | '[') {
                        out.push('[');
                        out.push(c);
                        out.push(']');
                    } else {
                        out.push(c);
                    }
                }),
                "GLOB",
                "",
            ),
        };
        if self.dialect == Dialect::Sqlite && pattern.len() + 1 > SQLITE_PATTERN_LIMIT {
            return Err(Error::SqlUnsupported {
                what: what.to_owned(),
                reason: format!("SQLite matches patterns of at most {SQLITE_PATTERN_LIMIT} bytes"),
            });
        }
        if like.is_exact() {
            // Python's `$` also matches before a final newline.
            let with_newline = format!("{pattern}\n");
            let p1 = self.param(SqlValue::Text(pattern));
            let p2 = self.param(SqlValue::Text(with_newline));
            Ok(format!(
                "({subject} {operator} {p1}{escape} OR {subject} {operator} {p2}{escape})"
            ))
        } else {
            let p = self.param(SqlValue::Text(pattern));
            Ok(format!("{subject} {operator} {p}{escape}"))
        }
    }
}

/// The pattern of `like` in SQL `LIKE` syntax with a backslash escape.
fn like_pattern(like: &Like) -> String {
    like.translate("%", "_", |out, c| {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    })
}

/// `i <op> f` for every integer `i`, as an integer comparison `(op, bound)`, or the
/// constant result when no integer bound exists.
fn int_bound(op: CmpOp, f: f64) -> Result<(CmpOp, i64), bool> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return Err(false);
    }
    let bound = match op {
        CmpOp::Lt | CmpOp::Ge => f.ceil(),
        CmpOp::Le | CmpOp::Gt => f.floor(),
    };
    if bound >= TWO_63 {
        return Err(matches!(op, CmpOp::Lt | CmpOp::Le));
    }
    if bound < -TWO_63 {
        return Err(matches!(op, CmpOp::Gt | CmpOp::Ge));
    }
    #[allow(clippy::cast_possible_truncation, reason = "integral and in range")]
    Ok((op, bound as i64))
}

fn check_year(year: i32) -> Result<(), Error> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(Error::SqlUnsupported {
            what: format!("the year {year}"),
            reason: "dates in SQL are years 1 to 9999".into(),
        })
    }
}

/// `a OR b OR ...`, `FALSE` for none.
fn any_of(parts: Vec<String>) -> String {
    match parts.len() {
        0 => "FALSE".to_owned(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => format!("({})", parts.join(" OR ")),
    }
}

/// SQLite's JSON path of an object key; `"` and `\` are written as JSON escapes.
fn json_path(key: &str) -> String {
    let mut out = String::from("$.\"");
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\u0022"),
            '\\' => out.push_str("\\u005c"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_int_array(ids: &[i64]) -> String {
    let mut out = String::from("[");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{id}");
    }
    out.push(']');
    out
}

fn json_text_array(values: &[String]) -> String {
    let mut out = String::from("[");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

fn pg_int_array(ids: &[i64]) -> String {
    let mut out = String::from("{");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{id}");
    }
    out.push('}');
    out
}

/// A PostgreSQL array literal of texts: every element quoted, `"` and `\` escaped.
fn pg_text_array(values: &[String]) -> String {
    let mut out = String::from("{");
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in value.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FieldType, Schema};

    fn schema() -> Schema {
        let mut schema = Schema::new();
        schema
            .model("res.partner")
            .field("name", FieldType::Char)
            .field("age", FieldType::Integer)
            .field("score", FieldType::Float)
            .field("active", FieldType::Boolean)
            .field("born", FieldType::Date)
            .field("city", FieldType::Char)
            .field("parent_id", FieldType::many2one("res.partner"))
            .field("tag_ids", FieldType::many2many("tag"))
            .field("child_ids", FieldType::one2many("res.partner"));
        schema.model("tag").field("name", FieldType::Char);
        schema
    }

    fn mapping() -> SqlMapping {
        let mut mapping = SqlMapping::new();
        mapping
            .model("res.partner", "my \"partners\"")
            .id("pid")
            .column("name", "name")
            .column("age", "age")
            .column("score", "score")
            .column("active", "active")
            .column("born", "born")
            .column("parent_id", "parent")
            .many2many_where("tag_ids", "rel", "partner", "tag", "visible")
            .one2many("child_ids", "parent")
            .json_fields("extra");
        mapping.model("tag", "tags").column("name", "label");
        mapping
    }

    fn mapping_of_tests() -> SqlMapping {
        mapping()
    }

    fn sql(domain: &str, dialect: Dialect) -> SqlQuery {
        let plan = Plan::new(&schema(), "res.partner", &crate::parse(domain).unwrap()).unwrap();
        plan.to_sql(&mapping(), dialect).unwrap()
    }

    fn condition(domain: &str, dialect: Dialect) -> SqlQuery {
        let plan = Plan::new(&schema(), "res.partner", &crate::parse(domain).unwrap()).unwrap();
        plan.to_sql_condition(&mapping(), dialect, "p", 1).unwrap()
    }

    fn text(value: &str) -> SqlValue {
        SqlValue::Text(value.to_owned())
    }

    #[test]
    fn identifiers_are_quoted_and_values_are_parameters() {
        let query = sql("[('name', '=', 'x\" OR 1=1 --')]", Dialect::Postgres);
        assert_eq!(
            query.sql,
            "SELECT \"_r0\".\"pid\" FROM \"my \"\"partners\"\"\" AS \"_r0\" WHERE (\"_r0\".\"name\" IS NOT NULL \
             AND \"_r0\".\"name\" IN (CAST($1 AS TEXT))) ORDER BY \"_r0\".\"pid\""
        );
        assert_eq!(query.params, vec![text("x\" OR 1=1 --")]);
    }

    #[test]
    fn empty_values_and_empty_lists() {
        let q = condition("[('name', '=', False)]", Dialect::Sqlite);
        assert_eq!(q.sql, "(\"p\".\"name\" IS NULL OR \"p\".\"name\" = '')");
        assert!(q.params.is_empty());
        assert_eq!(
            condition("[('name', 'in', [])]", Dialect::Sqlite).sql,
            "FALSE"
        );
        assert_eq!(
            condition("[('name', 'not in', [])]", Dialect::Sqlite).sql,
            "TRUE"
        );
        // Numbers read an absent value as 0.
        let q = condition("[('age', 'in', [0, 3])]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "(COALESCE(\"p\".\"age\", 0) = 0 OR COALESCE(\"p\".\"age\", 0) IN (?1, ?2))"
        );
        assert_eq!(q.params, vec![SqlValue::Int(0), SqlValue::Int(3)]);
        // `!=` keeps the empty records: the negation of a never-NULL test.
        let q = condition("[('city', '!=', 'Gent')]", Dialect::Postgres);
        assert_eq!(
            q.sql,
            "NOT (((\"p\".\"extra\" ->> CAST($1 AS TEXT)) IS NOT NULL AND (\"p\".\"extra\" ->> CAST($1 AS TEXT)) IN (CAST($2 AS TEXT))))"
        );
        assert_eq!(q.params, vec![text("city"), text("Gent")]);
    }

    #[test]
    fn like_patterns_keep_odoo_escapes() {
        let q = condition("[('name', 'like', '50\\\\%_a')]", Dialect::Postgres);
        assert_eq!(
            q.sql,
            "COALESCE(\"p\".\"name\", '') LIKE CAST($1 AS TEXT) ESCAPE E'\\\\'"
        );
        assert_eq!(q.params, vec![text("%50\\%_a%")]);
        let q = condition("[('name', 'ilike', 'É\\\\_')]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "smskit_casefold(COALESCE(\"p\".\"name\", '')) LIKE ?1 ESCAPE '\\'"
        );
        assert_eq!(q.params, vec![text("%é\\_%")]);
        let q = condition("[('name', 'ilike', 'É')]", Dialect::Postgres);
        assert!(
            q.sql
                .starts_with("lower(COALESCE(\"p\".\"name\", '') COLLATE \"und-x-icu\") LIKE"),
            "{}",
            q.sql
        );
        // SQLite's LIKE ignores ASCII case: a case-sensitive match is a GLOB.
        let q = condition("[('name', '=like', 'a*b%')]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "(COALESCE(\"p\".\"name\", '') GLOB ?1 OR COALESCE(\"p\".\"name\", '') GLOB ?2)"
        );
        assert_eq!(q.params, vec![text("a[*]b*"), text("a[*]b*\n")]);
    }

    #[test]
    fn relations_become_exists_and_sub_domains_common_table_expressions() {
        let q = condition("[('tag_ids', 'in', [1, 2])]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "EXISTS (SELECT 1 FROM \"rel\" AS \"_r0\" WHERE \"_r0\".\"partner\" = \"p\".\"pid\" AND (visible) AND \"_r0\".\"tag\" IN (?1, ?2))"
        );
        let q = condition("[('parent_id', '=', False)]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "((COALESCE(\"p\".\"parent\", 0) <> 0 AND FALSE) OR COALESCE(\"p\".\"parent\", 0) = 0)"
        );
        let q = sql("[('tag_ids.name', '=', 'VIP')]", Dialect::Sqlite);
        assert_eq!(
            q.sql,
            "WITH \"_s0\"(\"id\") AS (SELECT \"_r1\".\"id\" FROM \"tags\" AS \"_r1\" WHERE (\"_r1\".\"label\" IS NOT NULL \
             AND \"_r1\".\"label\" IN (?1))) SELECT \"_r0\".\"pid\" FROM \"my \"\"partners\"\"\" AS \"_r0\" WHERE EXISTS \
             (SELECT 1 FROM \"rel\" AS \"_r2\" WHERE \"_r2\".\"partner\" = \"_r0\".\"pid\" AND (visible) AND \"_r2\".\"tag\" IN \
             (SELECT \"id\" FROM \"_s0\")) ORDER BY \"_r0\".\"pid\""
        );
        // A condition with sub-domains is an IN over the whole select.
        let q = condition("[('child_ids.age', '>', 3)]", Dialect::Postgres);
        assert!(
            q.sql.starts_with("\"p\".\"pid\" IN (WITH \"_s0\""),
            "{}",
            q.sql
        );
        assert!(!q.sql.contains("ORDER BY"), "{}", q.sql);
    }

    #[test]
    fn hierarchies_are_recursive() {
        let q = sql("[('parent_id', 'child_of', 7)]", Dialect::Postgres);
        assert!(q.sql.starts_with("WITH RECURSIVE \"_s0\"(\"id\") AS (SELECT unnest(CAST(CAST($1 AS TEXT) AS BIGINT[])) UNION SELECT"), "{}", q.sql);
        assert!(q.sql.contains("JOIN \"_s0\" AS \"_h\" ON"), "{}", q.sql);
        assert_eq!(q.params, vec![text("{7}")]);
    }

    #[test]
    fn inequalities_are_exact() {
        // An integer below 2.5 is at most 2: compared as integers.
        let q = condition("[('age', '<', 2.5)]", Dialect::Sqlite);
        assert_eq!(q.sql, "(COALESCE(\"p\".\"age\", 0) < ?1)");
        assert_eq!(q.params, vec![SqlValue::Int(3)]);
        assert_eq!(
            condition("[('age', '<', 1e300)]", Dialect::Sqlite).sql,
            "TRUE"
        );
        assert_eq!(
            condition("[('age', '>', 1e300)]", Dialect::Sqlite).sql,
            "FALSE"
        );
        let q = condition("[('name', '<', 'b')]", Dialect::Postgres);
        assert_eq!(
            q.sql,
            "(\"p\".\"name\" IS NULL OR \"p\".\"name\" COLLATE \"C\" < CAST($1 AS TEXT))"
        );
        let q = condition("[('born', '>=', '2000-01-01')]", Dialect::Postgres);
        assert_eq!(
            q.sql,
            "(\"p\".\"born\" IS NOT NULL AND \"p\".\"born\" >= CAST(CAST($1 AS TEXT) AS DATE))"
        );
        assert_eq!(int_bound(CmpOp::Le, -0.5), Ok((CmpOp::Le, -1)));
        assert_eq!(int_bound(CmpOp::Gt, f64::NAN), Err(false));
    }

    #[test]
    fn deep_logic_becomes_a_decision_list() {
        let mut items = Vec::new();
        for i in 0..5000 {
            items.push(if i % 2 == 0 { "'&'" } else { "'|'" }.to_owned());
        }
        for i in 0..=5000 {
            items.push(format!("('age', '=', {i})"));
        }
        let q = condition(&format!("[{}]", items.join(", ")), Dialect::Sqlite);
        assert!(q.sql.starts_with("(CASE WHEN NOT ("), "{}", &q.sql[..100]);
        // Nested up to the plain limit, then listed.
        let depth = text_depth(&q.sql);
        assert!(depth <= PLAIN_LIMIT as usize + 4, "{depth}");
        assert_eq!(q.params.len(), 5001);
    }

    #[test]
    fn unmapped_and_untranslatable_fields_are_named() {
        let plan = Plan::new(
            &schema(),
            "res.partner",
            &crate::parse("[('tag_ids.name', '=', 'x')]").unwrap(),
        )
        .unwrap();
        let mut mapping = mapping();
        mapping.model("tag", "tags");
        let error = plan.to_sql(&mapping, Dialect::Sqlite).unwrap_err();
        // Without a JSON fallback, an unmapped field is an error naming it.
        assert_eq!(error.to_string(), "no SQL mapping for tag.name");
        assert!(error.is_sql_error());
        let mut mapping = SqlMapping::new();
        mapping.model("res.partner", "p");
        let error = plan.to_sql(&mapping, Dialect::Sqlite).unwrap_err();
        assert_eq!(error.to_string(), "no SQL mapping for tag");
        let plan = Plan::new(
            &schema(),
            "res.partner",
            &crate::parse("[('tag_ids', '=', 1)]").unwrap(),
        )
        .unwrap();
        let error = plan.to_sql(&mapping, Dialect::Sqlite).unwrap_err();
        assert_eq!(error.to_string(), "no SQL mapping for res.partner.tag_ids");
        let plan = Plan::new(
            &schema(),
            "res.partner",
            &crate::parse("[('score', 'like', '5')]").unwrap(),
        )
        .unwrap();
        let error = plan
            .to_sql(&mapping_of_tests(), Dialect::Postgres)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot translate res.partner.score to SQL"),
            "{error}"
        );
    }

    #[test]
    fn too_many_parameters_are_refused_before_the_database() {
        let conditions: Vec<String> = (0..40_000).map(|i| format!("('age', '=', {i})")).collect();
        let mut items = vec!["'|'".to_owned(); 39_999];
        items.extend(conditions);
        let domain = crate::ParseOptions::new()
            .with_size_limit(1 << 24)
            .parse(&format!("[{}]", items.join(", ")))
            .unwrap();
        let plan = Plan::new(&schema(), "res.partner", &domain).unwrap();
        let error = plan.to_sql(&mapping(), Dialect::Sqlite).unwrap_err();
        assert!(error.to_string().contains("40000 parameters"), "{error}");
        assert!(error.is_sql_error());
        assert_eq!(
            plan.to_sql(&mapping(), Dialect::Postgres)
                .unwrap()
                .params
                .len(),
            40_000
        );
    }

    #[test]
    fn text_depth_ignores_quoted_parentheses() {
        assert_eq!(text_depth("a(b(c)) '(((' \")))(\" (d)"), 2);
    }
}
