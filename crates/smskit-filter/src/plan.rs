//! The typed plan: a domain checked against a schema and compiled for evaluation.
//!
//! A plan is a list of programs, one per model visited: the root program runs on the
//! records being filtered, the others on related models (`any`, dotted paths,
//! relational name matching, `child_of` name searches). Each program is a logical tree
//! of typed leaves, simplified, then compiled to straight-line branch code: every leaf
//! test says where to go on true and on false, so evaluation is a loop without a stack.

use std::fmt::{self, Write};

use chrono::NaiveDateTime;

use crate::like::Like;
use crate::schema::Field;
use crate::values::{CmpOp, FieldValue, IdSet, Scalar, ScalarSet};

/// How a leaf reads its value from a record.
#[derive(Clone, Debug)]
pub(crate) enum Access {
    /// A declared field; `default` replaces `Null` (0 for numbers, False for booleans).
    Field {
        field: Field,
        default: FieldValue<'static>,
    },
    /// The record id.
    Id,
    /// The display name: the `display_name` or `name` field, else `"model,id"`.
    DisplayName {
        field: Option<Field>,
        model: Box<str>,
    },
}

impl Access {
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Field { field, .. } => format!("{} ({})", field.name(), field.field_type()),
            Self::Id => "id".into(),
            Self::DisplayName {
                field: Some(field), ..
            } => format!("display_name (= {})", field.name()),
            Self::DisplayName { field: None, model } => format!("display_name (= '{model},<id>')"),
        }
    }
}

/// A typed test on one record.
#[derive(Clone, Debug)]
pub(crate) enum Leaf {
    /// Value in the set, or falsy when `falsy`.
    In {
        access: Access,
        set: ScalarSet,
        falsy: bool,
    },
    /// A datetime within one of the whole seconds starting at `starts` (whole seconds,
    /// sorted and deduplicated), or falsy.
    DateTimeIn {
        access: Access,
        starts: Vec<NaiveDateTime>,
        falsy: bool,
    },
    /// An inequality; an unset value gives `null`.
    Cmp {
        access: Access,
        op: CmpOp,
        value: Scalar,
        null: bool,
    },
    /// A `like` pattern on the text of the value.
    Like { access: Access, like: Like },
    /// A related id in `ids`, or no related record when `falsy`.
    RelIn {
        access: Access,
        ids: IdSet,
        falsy: bool,
    },
    /// A related id in the set computed for `slot` (sub-domain, hierarchy).
    RelSlot { access: Access, slot: u32 },
    /// A related id satisfying an inequality.
    RelCmp {
        access: Access,
        op: CmpOp,
        value: Scalar,
    },
    /// The record's id in the set computed for `slot` (hierarchy on the model itself).
    IdSlot { slot: u32 },
}

/// A node of a program's logical tree.
#[derive(Clone, Debug)]
pub(crate) struct PNode {
    pub(crate) kind: PKind,
    pub(crate) children: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PKind {
    And,
    Or,
    Not,
    Const(bool),
    Leaf(u32),
}

pub(crate) const ACCEPT: u32 = u32::MAX;
pub(crate) const REJECT: u32 = u32::MAX - 1;

/// One branch instruction: test `leaf`, continue at `on_true` or `on_false` (an
/// instruction index, `ACCEPT` or `REJECT`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Instr {
    pub(crate) leaf: u32,
    pub(crate) on_true: u32,
    pub(crate) on_false: u32,
}

/// An instruction with its leaf inline, as evaluation runs it.
#[derive(Clone, Debug)]
pub(crate) struct Op {
    pub(crate) leaf: Leaf,
    pub(crate) on_true: u32,
    pub(crate) on_false: u32,
}

/// The predicate of one model.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    pub(crate) model: String,
    /// The logical tree as built (arena); `root` indexes it.
    pub(crate) nodes: Vec<PNode>,
    pub(crate) root: Option<u32>,
    pub(crate) leaves: Vec<Leaf>,
    /// After `finish`: the simplified tree, its root, and the branch code.
    pub(crate) simple: Vec<PNode>,
    pub(crate) simple_root: Option<u32>,
    pub(crate) code: Vec<Instr>,
    /// The code with the leaves inline (one memory access per step).
    pub(crate) ops: Vec<Op>,
    pub(crate) constant: Option<bool>,
    /// The slot holding this program's matching ids (sub-programs).
    pub(crate) slot: Option<u32>,
}

impl Program {
    pub(crate) fn new(model: &str, slot: Option<u32>) -> Self {
        Self {
            model: model.to_owned(),
            nodes: Vec::new(),
            root: None,
            leaves: Vec::new(),
            simple: Vec::new(),
            simple_root: None,
            code: Vec::new(),
            ops: Vec::new(),
            constant: None,
            slot,
        }
    }

    pub(crate) fn node(&mut self, kind: PKind, children: Vec<u32>) -> u32 {
        self.nodes.push(PNode { kind, children });
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }

    pub(crate) fn leaf(&mut self, leaf: Leaf) -> u32 {
        self.leaves.push(leaf);
        let index = u32::try_from(self.leaves.len() - 1).unwrap_or(u32::MAX);
        self.node(PKind::Leaf(index), Vec::new())
    }

    /// Simplifies the tree (constants absorbed, nested AND/OR flattened, double
    /// negation removed) and generates the branch code.
    pub(crate) fn finish(&mut self) {
        let Some(root) = self.root else {
            self.constant = Some(true);
            return;
        };
        // Post-order over the built tree with an explicit stack.
        #[derive(Clone, Copy)]
        enum Res {
            Const(bool),
            Node(u32),
        }
        let mut res: Vec<Option<Res>> = vec![None; self.nodes.len()];
        let mut simple: Vec<PNode> = Vec::new();
        let mut stack: Vec<(u32, bool)> = vec![(root, false)];
        while let Some((index, expanded)) = stack.pop() {
            let Some(node) = self.nodes.get(index as usize) else {
                continue;
            };
            if !expanded {
                stack.push((index, true));
                for &child in node.children.iter().rev() {
                    stack.push((child, false));
                }
                continue;
            }
            let child_res = |c: &u32| {
                res.get(*c as usize)
                    .copied()
                    .flatten()
                    .unwrap_or(Res::Const(true))
            };
            let result = match node.kind {
                PKind::Const(b) => Res::Const(b),
                PKind::Leaf(leaf) => {
                    simple.push(PNode {
                        kind: PKind::Leaf(leaf),
                        children: Vec::new(),
                    });
                    Res::Node(u32::try_from(simple.len() - 1).unwrap_or(u32::MAX))
                }
                PKind::Not => match node.children.first().map(child_res) {
                    Some(Res::Const(b)) => Res::Const(!b),
                    Some(Res::Node(child)) => {
                        let grandchild = simple
                            .get(child as usize)
                            .filter(|n| n.kind == PKind::Not)
                            .and_then(|n| n.children.first().copied());
                        match grandchild {
                            Some(g) => Res::Node(g),
                            None => {
                                simple.push(PNode {
                                    kind: PKind::Not,
                                    children: vec![child],
                                });
                                Res::Node(u32::try_from(simple.len() - 1).unwrap_or(u32::MAX))
                            }
                        }
                    }
                    None => Res::Const(true),
                },
                PKind::And | PKind::Or => {
                    let unit = node.kind == PKind::And;
                    let mut kept = Vec::new();
                    let mut absorbed = false;
                    for child in &node.children {
                        match child_res(child) {
                            Res::Const(b) if b == unit => {}
                            Res::Const(_) => {
                                absorbed = true;
                                break;
                            }
                            Res::Node(n) => kept.push(n),
                        }
                    }
                    if absorbed {
                        Res::Const(!unit)
                    } else if kept.is_empty() {
                        Res::Const(unit)
                    } else if kept.len() == 1 {
                        Res::Node(kept[0])
                    } else {
                        simple.push(PNode {
                            kind: node.kind,
                            children: kept,
                        });
                        Res::Node(u32::try_from(simple.len() - 1).unwrap_or(u32::MAX))
                    }
                }
            };
            if let Some(slot) = res.get_mut(index as usize) {
                *slot = Some(result);
            }
        }
        match res.get(root as usize).copied().flatten() {
            Some(Res::Node(simple_root)) => {
                flatten(&mut simple, simple_root);
                self.simple = simple;
                self.simple_root = Some(simple_root);
                self.code = codegen(&self.simple, simple_root);
                let leaves = &self.leaves;
                self.ops = self
                    .code
                    .iter()
                    .filter_map(|instr| {
                        leaves.get(instr.leaf as usize).map(|leaf| Op {
                            leaf: leaf.clone(),
                            on_true: instr.on_true,
                            on_false: instr.on_false,
                        })
                    })
                    .collect();
            }
            Some(Res::Const(b)) => self.constant = Some(b),
            None => self.constant = Some(true),
        }
    }
}

/// Splices nested ANDs into ANDs and ORs into ORs, top-down, each node visited once.
fn flatten(nodes: &mut [PNode], root: u32) {
    let mut work = vec![root];
    while let Some(index) = work.pop() {
        let Some(node) = nodes.get_mut(index as usize) else {
            continue;
        };
        let kind = node.kind;
        let children = std::mem::take(&mut node.children);
        let flat = if matches!(kind, PKind::And | PKind::Or) {
            let mut flat = Vec::with_capacity(children.len());
            let mut stack: Vec<u32> = children.into_iter().rev().collect();
            while let Some(child) = stack.pop() {
                match nodes.get_mut(child as usize) {
                    Some(c) if c.kind == kind => {
                        stack.extend(std::mem::take(&mut c.children).into_iter().rev())
                    }
                    _ => flat.push(child),
                }
            }
            flat
        } else {
            children
        };
        work.extend(flat.iter().copied());
        if let Some(node) = nodes.get_mut(index as usize) {
            node.children = flat;
        }
    }
}

/// Branch code for the simplified tree: leaves numbered in pre-order, each with the
/// instruction to continue at on true and on false.
fn codegen(nodes: &[PNode], root: u32) -> Vec<Instr> {
    // First leaf index of every subtree, and the instruction index of every leaf.
    let mut first = vec![0u32; nodes.len()];
    let mut code: Vec<Instr> = Vec::new();
    let mut pc_of = vec![0u32; nodes.len()];
    let mut stack = vec![root];
    while let Some(index) = stack.pop() {
        let Some(node) = nodes.get(index as usize) else {
            continue;
        };
        let pc = u32::try_from(code.len()).unwrap_or(u32::MAX);
        first[index as usize] = pc;
        if let PKind::Leaf(leaf) = node.kind {
            pc_of[index as usize] = pc;
            code.push(Instr {
                leaf,
                on_true: ACCEPT,
                on_false: REJECT,
            });
        }
        for &child in node.children.iter().rev() {
            stack.push(child);
        }
    }
    let mut targets = vec![(root, ACCEPT, REJECT)];
    while let Some((index, on_true, on_false)) = targets.pop() {
        let Some(node) = nodes.get(index as usize) else {
            continue;
        };
        match node.kind {
            PKind::Leaf(_) => {
                if let Some(instr) = code.get_mut(pc_of[index as usize] as usize) {
                    instr.on_true = on_true;
                    instr.on_false = on_false;
                }
            }
            PKind::Not => {
                if let Some(&child) = node.children.first() {
                    targets.push((child, on_false, on_true));
                }
            }
            PKind::And | PKind::Or => {
                for (i, &child) in node.children.iter().enumerate() {
                    let next = node.children.get(i + 1).map(|&c| first[c as usize]);
                    let (t, f) = match (node.kind, next) {
                        (PKind::And, Some(next)) => (next, on_false),
                        (PKind::Or, Some(next)) => (on_true, next),
                        _ => (on_true, on_false),
                    };
                    targets.push((child, t, f));
                }
            }
            PKind::Const(_) => {}
        }
    }
    code
}

/// Where the ids of a slot come from.
#[derive(Clone, Debug)]
pub(crate) enum SlotSpec {
    /// The records of `program`'s model matching it.
    Program(u32),
    /// A `child_of` / `parent_of` closure.
    Hierarchy(Box<Hierarchy>),
}

/// A `child_of` / `parent_of` condition, resolved when the plan is bound to data.
#[derive(Clone, Debug)]
pub(crate) struct Hierarchy {
    pub(crate) child_of: bool,
    pub(crate) model: String,
    pub(crate) parent: Field,
    /// Starting ids given as integers (Python's `False` counts as 0).
    pub(crate) start: Vec<i64>,
    /// A program whose matching records are also starting points (name search,
    /// many2many ids).
    pub(crate) search: Option<u32>,
}

/// A domain checked against a schema: typed, simplified, compiled.
///
/// Create one with [`Plan::new`] (or [`Schema::check`](crate::Schema::check)), then
/// evaluate it on data with [`Plan::filter`] or [`Plan::bind`]. `Display` renders the
/// typed plan (what `smskit filter --explain` prints).
#[derive(Clone, Debug)]
pub struct Plan {
    pub(crate) model: String,
    pub(crate) programs: Vec<Program>,
    pub(crate) slots: Vec<SlotSpec>,
}

impl Plan {
    /// The model whose records the plan selects.
    #[must_use]
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Whether the plan selects every record without looking at any.
    #[must_use]
    pub fn is_always_true(&self) -> bool {
        self.programs
            .first()
            .is_some_and(|p| p.constant == Some(true))
    }

    /// Whether the plan selects no record.
    #[must_use]
    pub fn is_always_false(&self) -> bool {
        self.programs
            .first()
            .is_some_and(|p| p.constant == Some(false))
    }
}

impl fmt::Display for Leaf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::In { access, set, falsy } if set.is_empty() => {
                let what = if *falsy {
                    "is not set or false"
                } else {
                    "matches nothing"
                };
                write!(f, "{} {what}", access.describe())
            }
            Self::In { access, set, falsy } => {
                write!(f, "{} in {}", access.describe(), set.describe())?;
                if *falsy {
                    f.write_str(" or not set")?;
                }
                Ok(())
            }
            Self::DateTimeIn {
                access,
                starts,
                falsy,
            } => {
                let list: Vec<String> = starts
                    .iter()
                    .map(|s| format!("'{}'", s.format("%Y-%m-%d %H:%M:%S")))
                    .collect();
                write!(
                    f,
                    "{} within the second of [{}]",
                    access.describe(),
                    list.join(", ")
                )?;
                if *falsy {
                    f.write_str(" or not set")?;
                }
                Ok(())
            }
            Self::Cmp {
                access,
                op,
                value,
                null,
            } => write!(
                f,
                "{} {} {}{}",
                access.describe(),
                op.as_str(),
                value.describe(),
                if *null {
                    " (not set counts as a match)"
                } else {
                    ""
                }
            ),
            Self::Like { access, like } => write!(f, "{} matches {like}", access.describe()),
            Self::RelIn { access, ids, falsy } => {
                let shown: Vec<String> = ids
                    .to_sorted_vec()
                    .iter()
                    .take(20)
                    .map(ToString::to_string)
                    .collect();
                write!(
                    f,
                    "{} has a record in [{}]",
                    access.describe(),
                    shown.join(", ")
                )?;
                if ids.len() > 20 {
                    write!(f, " (+{} more)", ids.len() - 20)?;
                }
                if *falsy {
                    f.write_str(" or is empty")?;
                }
                Ok(())
            }
            Self::RelSlot { access, slot } => {
                write!(f, "{} has a record in ${slot}", access.describe())
            }
            Self::RelCmp { access, op, value } => {
                write!(
                    f,
                    "{} has a record with id {} {}",
                    access.describe(),
                    op.as_str(),
                    value.describe()
                )
            }
            Self::IdSlot { slot } => write!(f, "id in ${slot}"),
        }
    }
}

/// The indentation of a plan line at `depth`: two spaces per level up to
/// [`Indent::MAX_LEVELS`], then the level number, so that deep nesting costs a few bytes per
/// line instead of output quadratic in the depth.
struct Indent(usize);

impl Indent {
    const MAX_LEVELS: usize = 16;
}

impl fmt::Display for Indent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for _ in 0..self.0.min(Self::MAX_LEVELS) {
            f.write_str("  ")?;
        }
        if self.0 > Self::MAX_LEVELS {
            write!(f, "[level {}] ", self.0)?;
        }
        Ok(())
    }
}

impl fmt::Display for Plan {
    /// An indented rendering of every program and slot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, program) in self.programs.iter().enumerate() {
            if index == 0 {
                writeln!(f, "plan for {}:", program.model)?;
            } else {
                let slot = program
                    .slot
                    .map_or_else(String::new, |s| format!("${s} = "));
                writeln!(f, "{slot}records of {} where:", program.model)?;
            }
            if let Some(constant) = program.constant {
                writeln!(
                    f,
                    "  {}",
                    if constant {
                        "TRUE (every record)"
                    } else {
                        "FALSE (no record)"
                    }
                )?;
                continue;
            }
            let Some(root) = program.simple_root else {
                continue;
            };
            let mut stack = vec![(root, 1usize)];
            while let Some((index, depth)) = stack.pop() {
                let Some(node) = program.simple.get(index as usize) else {
                    continue;
                };
                let indent = Indent(depth);
                match node.kind {
                    PKind::And => writeln!(f, "{indent}AND")?,
                    PKind::Or => writeln!(f, "{indent}OR")?,
                    PKind::Not => writeln!(f, "{indent}NOT")?,
                    PKind::Const(b) => writeln!(f, "{indent}{}", if b { "TRUE" } else { "FALSE" })?,
                    PKind::Leaf(leaf) => match program.leaves.get(leaf as usize) {
                        Some(leaf) => writeln!(f, "{indent}{leaf}")?,
                        None => writeln!(f, "{indent}?")?,
                    },
                }
                for &child in node.children.iter().rev() {
                    stack.push((child, depth + 1));
                }
            }
        }
        for (index, slot) in self.slots.iter().enumerate() {
            if let SlotSpec::Hierarchy(h) = slot {
                let mut line = String::new();
                let _ = write!(
                    line,
                    "${index} = {} {} through {} from ids {:?}",
                    if h.child_of {
                        "descendants of"
                    } else {
                        "ancestors of"
                    },
                    h.model,
                    h.parent.name(),
                    h.start
                );
                if let Some(search) = h.search {
                    let slot = self
                        .programs
                        .get(search as usize)
                        .and_then(|p| p.slot)
                        .map_or_else(String::new, |s| format!(" and ${s}"));
                    line.push_str(&slot);
                }
                writeln!(f, "{line} (themselves included)")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf_program(shape: &[(PKind, Vec<u32>)], root: u32) -> Program {
        let mut program = Program::new("m", None);
        for (kind, children) in shape {
            program.nodes.push(PNode {
                kind: *kind,
                children: children.clone(),
            });
        }
        program.root = Some(root);
        program.finish();
        program
    }

    /// Runs the branch code with fixed leaf results.
    fn run(program: &Program, results: &[bool]) -> bool {
        if let Some(c) = program.constant {
            return c;
        }
        let mut pc = 0u32;
        loop {
            let instr = program.code[pc as usize];
            let next = if results[instr.leaf as usize] {
                instr.on_true
            } else {
                instr.on_false
            };
            if next >= REJECT {
                return next == ACCEPT;
            }
            pc = next;
        }
    }

    #[test]
    fn codegen_short_circuits_and_or_not() {
        // AND(a, OR(b, NOT c)) with leaves 0, 1, 2.
        let program = leaf_program(
            &[
                (PKind::And, vec![1, 2]),
                (PKind::Leaf(0), vec![]),
                (PKind::Or, vec![3, 4]),
                (PKind::Leaf(1), vec![]),
                (PKind::Not, vec![5]),
                (PKind::Leaf(2), vec![]),
            ],
            0,
        );
        for mask in 0..8u8 {
            let r = [mask & 1 != 0, mask & 2 != 0, mask & 4 != 0];
            assert_eq!(run(&program, &r), r[0] && (r[1] || !r[2]), "{r:?}");
        }
    }

    #[test]
    fn constants_are_absorbed() {
        let program = leaf_program(
            &[
                (PKind::Or, vec![1, 2]),
                (PKind::Leaf(0), vec![]),
                (PKind::Not, vec![3]),
                (PKind::Const(false), vec![]),
            ],
            0,
        );
        assert_eq!(program.constant, Some(true));
        let program = leaf_program(
            &[
                (PKind::And, vec![1, 2]),
                (PKind::Not, vec![3]),
                (PKind::Const(true), vec![]),
                (PKind::Not, vec![4]),
                (PKind::Leaf(0), vec![]),
            ],
            0,
        );
        assert_eq!(program.code.len(), 1);
        assert!(run(&program, &[true]));
        assert!(!run(&program, &[false]));
    }
}
