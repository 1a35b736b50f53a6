//! An explicit logical tree over a domain's items, and the rewrites built on it:
//! `normalize`, `distribute_not`, `simplify` and the `&` / `|` / `!` combinators.
//!
//! The tree is an arena (children by index). Building, rewriting and emitting it are
//! loops over explicit stacks.

use std::borrow::Cow;

use crate::ast::{CondHead, Domain, Node, Operator};
use crate::error::Span;

const NO_SRC: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TKind {
    /// The items of a domain list (root or sub-domain): an implicit AND.
    Group,
    And,
    Or,
    Not,
    Const(bool),
    /// A condition at `src` in the source domain; `op` may differ from the source's.
    /// With `sub`, its only child is the `Group` of its sub-domain.
    Cond {
        src: u32,
        op: Operator,
        sub: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct TNode {
    pub(crate) kind: TKind,
    pub(crate) children: Vec<u32>,
    /// Index of the source node (for spans), or `NO_SRC`.
    pub(crate) src: u32,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<TNode>,
}

enum Need {
    Count(u32),
    Until(usize),
}

impl Tree {
    fn push(&mut self, kind: TKind, src: u32, parent: Option<u32>) -> u32 {
        let index = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        self.nodes.push(TNode {
            kind,
            children: Vec::new(),
            src,
        });
        if let Some(parent) = parent
            && let Some(p) = self.nodes.get_mut(parent as usize)
        {
            p.children.push(index);
        }
        index
    }

    /// Builds the tree of a whole domain. Node 0 is the root `Group`; parents always have
    /// smaller indexes than their children.
    pub(crate) fn build(domain: &Domain) -> Self {
        let nodes = &domain.nodes;
        let mut tree = Self::default();
        tree.push(TKind::Group, NO_SRC, None);
        let mut stack: Vec<(u32, Need)> = vec![(0, Need::Until(nodes.len()))];
        let mut pos = 0usize;
        loop {
            while let Some((_, Need::Until(end))) = stack.last() {
                if pos < *end {
                    break;
                }
                stack.pop();
                child_done(&mut stack);
            }
            let Some(&(parent, _)) = stack.last() else {
                break;
            };
            let Some(node) = nodes.get(pos) else {
                // Unbalanced (cannot come from the parser or the builder): stop here.
                break;
            };
            let src = u32::try_from(pos).unwrap_or(NO_SRC);
            match node {
                Node::And | Node::Or | Node::Not => {
                    let kind = match node {
                        Node::And => TKind::And,
                        Node::Or => TKind::Or,
                        _ => TKind::Not,
                    };
                    let index = tree.push(kind, src, Some(parent));
                    let arity = if kind == TKind::Not { 1 } else { 2 };
                    stack.push((index, Need::Count(arity)));
                    pos += 1;
                }
                Node::True | Node::False => {
                    tree.push(TKind::Const(matches!(node, Node::True)), src, Some(parent));
                    pos += 1;
                    child_done(&mut stack);
                }
                Node::Cond { head, size } => {
                    let value = nodes.get(pos + 1);
                    let sub = matches!(value, Some(Node::Sub { .. }));
                    let index = tree.push(
                        TKind::Cond {
                            src,
                            op: head.op,
                            sub,
                        },
                        src,
                        Some(parent),
                    );
                    if let (true, Some(value)) = (sub, value) {
                        let sub_index = pos + 1;
                        let group = tree.push(
                            TKind::Group,
                            u32::try_from(sub_index).unwrap_or(NO_SRC),
                            Some(index),
                        );
                        stack.push((index, Need::Count(1)));
                        stack.push((group, Need::Until(sub_index + value.size())));
                        pos = sub_index + 1;
                    } else {
                        pos += (*size as usize).max(1);
                        child_done(&mut stack);
                    }
                }
                other => pos += other.size().max(1),
            }
        }
        tree
    }

    fn kind(&self, index: u32) -> TKind {
        self.nodes
            .get(index as usize)
            .map_or(TKind::Const(true), |n| n.kind)
    }

    fn children(&self, index: u32) -> &[u32] {
        self.nodes.get(index as usize).map_or(&[], |n| &n.children)
    }
}

/// A child of the top of the stack is complete: count it, closing operators whose
/// operands are all present.
fn child_done(stack: &mut Vec<(u32, Need)>) {
    while let Some((_, Need::Count(remaining))) = stack.last_mut() {
        *remaining = remaining.saturating_sub(1);
        if *remaining > 0 {
            break;
        }
        stack.pop();
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Every AND written with `'&'`, `[]` written `[(1, '=', 1)]` (normalised form).
    Explicit,
    /// The ANDs of a domain list left implicit, as users write them.
    Implicit,
}

enum Work {
    Enter { node: u32, list: bool },
    ExitCond { cond: usize, sub: usize },
}

/// Writes the subtree `root` (a `Group`) as a domain.
pub(crate) fn emit(tree: &Tree, root: u32, src: &Domain, style: Style) -> Domain {
    let mut out = Domain {
        nodes: Vec::new(),
        spans: Vec::new(),
        source: src.source.clone(),
    };
    let span_of = |index: u32| src.spans.get(index as usize).copied().unwrap_or_default();
    let mut work = vec![Work::Enter {
        node: root,
        list: true,
    }];
    while let Some(item) = work.pop() {
        let (index, list) = match item {
            Work::ExitCond { cond, sub } => {
                let len = out.nodes.len();
                out.nodes[sub].set_size(len - sub);
                out.nodes[cond].set_size(len - cond);
                continue;
            }
            Work::Enter { node, list } => (node, list),
        };
        let Some(node) = tree.nodes.get(index as usize) else {
            continue;
        };
        let span = span_of(node.src);
        match node.kind {
            TKind::Group | TKind::And | TKind::Or => {
                let children = &node.children;
                if list && style == Style::Implicit && node.kind != TKind::Or {
                    for &child in children.iter().rev() {
                        work.push(Work::Enter {
                            node: child,
                            list: false,
                        });
                    }
                    continue;
                }
                match children.len() {
                    0 => {
                        out.nodes.push(if node.kind == TKind::Or {
                            Node::False
                        } else {
                            Node::True
                        });
                        out.spans.push(span);
                    }
                    1 => work.push(Work::Enter {
                        node: children[0],
                        list: false,
                    }),
                    n => {
                        for _ in 1..n {
                            out.nodes.push(if node.kind == TKind::Or {
                                Node::Or
                            } else {
                                Node::And
                            });
                            out.spans.push(span);
                        }
                        for &child in children.iter().rev() {
                            work.push(Work::Enter {
                                node: child,
                                list: false,
                            });
                        }
                    }
                }
            }
            TKind::Not => {
                out.nodes.push(Node::Not);
                out.spans.push(span);
                if let Some(&child) = node.children.first() {
                    work.push(Work::Enter {
                        node: child,
                        list: false,
                    });
                }
            }
            TKind::Const(b) => {
                out.nodes.push(if b { Node::True } else { Node::False });
                out.spans.push(span);
            }
            TKind::Cond { src: at, op, sub } => {
                let at = at as usize;
                let Some(Node::Cond { head, .. }) = src.nodes.get(at) else {
                    continue;
                };
                let cond_index = out.nodes.len();
                out.nodes.push(Node::Cond {
                    head: Box::new(CondHead {
                        path: head.path.clone(),
                        op,
                        path_span: head.path_span,
                        op_span: head.op_span,
                    }),
                    size: 1,
                });
                out.spans.push(span);
                if sub {
                    let sub_index = out.nodes.len();
                    out.nodes.push(Node::Sub { size: 1 });
                    out.spans
                        .push(src.spans.get(at + 1).copied().unwrap_or_default());
                    work.push(Work::ExitCond {
                        cond: cond_index,
                        sub: sub_index,
                    });
                    if let Some(&group) = node.children.first() {
                        work.push(Work::Enter {
                            node: group,
                            list: true,
                        });
                    }
                } else {
                    let range = src.value_range(at);
                    out.nodes.extend(src.nodes[range.clone()].iter().cloned());
                    out.spans.extend(src.spans[range].iter().copied());
                    let len = out.nodes.len();
                    out.nodes[cond_index].set_size(len - cond_index);
                }
            }
        }
    }
    out
}

impl Domain {
    /// Makes every AND explicit (`[A, B, C]` becomes `['&', '&', A, B, C]`), in
    /// sub-domains too; `[]` becomes `[(1, '=', 1)]`. The result selects the same records.
    ///
    /// ```
    /// let domain = smskit_filter::parse("[('a', '=', 1), ('b', '=', 2), '|', ('c', '=', 3), ('d', '=', 4)]")?;
    /// assert_eq!(
    ///     domain.normalize().to_string(),
    ///     "['&', '&', ('a', '=', 1), ('b', '=', 2), '|', ('c', '=', 3), ('d', '=', 4)]"
    /// );
    /// assert_eq!(smskit_filter::parse("[]")?.normalize().to_string(), "[(1, '=', 1)]");
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    #[must_use]
    pub fn normalize(&self) -> Self {
        let tree = Tree::build(self);
        emit(&tree, 0, self, Style::Explicit)
    }

    /// Pushes every `'!'` down to the conditions (on the normalised domain): `&` and `|`
    /// swap, and the condition's operator is inverted (`<`/`>=`, `>`/`<=`, `=`/`!=`,
    /// `in`/`not in`, `like`/`not like`, `ilike`/`not ilike`, `any`/`not any`,
    /// TRUE/FALSE). Other operators keep the `'!'` in front; `'!' '!'` cancels.
    /// Sub-domains of `any` are left as they are.
    ///
    /// Like Odoo's `distribute_not`, this is a textual rewrite: it selects the same
    /// records except that an inverted inequality no longer matches empty values of
    /// fields without a falsy value (dates, selections, relations), and an inverted
    /// condition on a dotted path is existential again.
    ///
    /// ```
    /// let domain = smskit_filter::parse("['!', '&', ('user_id', '=', 4), ('partner_id', 'in', [1, 2])]")?;
    /// assert_eq!(
    ///     domain.distribute_not().to_string(),
    ///     "['|', ('user_id', '!=', 4), ('partner_id', 'not in', [1, 2])]"
    /// );
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    #[must_use]
    pub fn distribute_not(&self) -> Self {
        let old = Tree::build(self);
        let mut new = Tree::default();
        // (old node, negate, distribute, new parent)
        let mut work: Vec<(u32, bool, bool, Option<u32>)> = vec![(0, false, true, None)];
        while let Some((index, negate, distribute, parent)) = work.pop() {
            let Some(node) = old.nodes.get(index as usize) else {
                continue;
            };
            let children = &node.children;
            match node.kind {
                TKind::Group | TKind::And | TKind::Or => {
                    let kind = match (node.kind, negate) {
                        (TKind::Group, false) => TKind::Group,
                        (TKind::And | TKind::Group, true) => TKind::Or,
                        (TKind::Or, true) => TKind::And,
                        (kind, false) => kind,
                        (_, true) => TKind::Or,
                    };
                    let created = new.push(kind, node.src, parent);
                    for &child in children.iter().rev() {
                        work.push((child, negate, distribute, Some(created)));
                    }
                }
                TKind::Not => {
                    if distribute {
                        if let Some(&child) = children.first() {
                            work.push((child, !negate, true, parent));
                        }
                    } else {
                        let created = new.push(TKind::Not, node.src, parent);
                        if let Some(&child) = children.first() {
                            work.push((child, false, false, Some(created)));
                        }
                    }
                }
                TKind::Const(b) => {
                    new.push(TKind::Const(b != negate), node.src, parent);
                }
                TKind::Cond { src, op, sub } => {
                    let (target_parent, op) = if negate {
                        match op.inverse() {
                            Some(inverse) => (parent, inverse),
                            None => (Some(new.push(TKind::Not, NO_SRC, parent)), op),
                        }
                    } else {
                        (parent, op)
                    };
                    let created = new.push(TKind::Cond { src, op, sub }, node.src, target_parent);
                    if let Some(&group) = children.first() {
                        work.push((group, false, false, Some(created)));
                    }
                }
            }
        }
        emit(&new, 0, self, Style::Explicit)
    }

    /// Simplifies without changing which records match: nested ANDs and ORs are
    /// flattened, TRUE/FALSE are absorbed (`A & TRUE` is `A`, `A | TRUE` is TRUE),
    /// `'!' '!'` cancels, `'!'` of TRUE is FALSE, and `any` of a FALSE sub-domain is FALSE
    /// (`not any` of it TRUE). Top-level ANDs are left implicit.
    ///
    /// ```
    /// let domain = smskit_filter::parse(
    ///     "['&', ('a', '=', 1), '&', (1, '=', 1), '!', '!', ('b', '=', 2)]",
    /// )?;
    /// assert_eq!(domain.simplify().to_string(), "[('a', '=', 1), ('b', '=', 2)]");
    /// let never = smskit_filter::parse("['|', ('a', '=', 1), ('t', 'any', [(0, '=', 1)])]")?;
    /// assert_eq!(never.simplify().to_string(), "[('a', '=', 1)]");
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    #[must_use]
    pub fn simplify(&self) -> Self {
        let old = Tree::build(self);
        let (new, root) = simplify_tree(&old);
        match root {
            Res::Const(true) => Self {
                source: self.source.clone(),
                ..Self::new()
            },
            Res::Const(false) => Self {
                source: self.source.clone(),
                ..Self::matching_none()
            },
            Res::Node(index) => emit(&new, index, self, Style::Implicit),
        }
    }

    /// The single-expression form of this domain's nodes (explicit ANDs).
    fn as_expression(&self) -> Cow<'_, Self> {
        if self.items().count() == 1 {
            Cow::Borrowed(self)
        } else {
            Cow::Owned(self.normalize())
        }
    }

    fn combine_source(&self, other: &Self) -> Option<std::sync::Arc<str>> {
        match (&self.source, &other.source) {
            (Some(a), Some(b)) if std::sync::Arc::ptr_eq(a, b) => Some(a.clone()),
            _ => None,
        }
    }

    fn spans_for(&self, source: &Option<std::sync::Arc<str>>) -> Vec<Span> {
        if source.is_some() {
            self.spans.clone()
        } else {
            vec![Span::default(); self.nodes.len()]
        }
    }

    /// `self AND other`.
    #[must_use]
    pub fn and(&self, other: &Self) -> Self {
        if self.is_empty() {
            return other.clone();
        }
        if other.is_empty() {
            return self.clone();
        }
        let source = self.combine_source(other);
        let mut spans = self.spans_for(&source);
        spans.extend(other.spans_for(&source));
        let mut nodes = self.nodes.clone();
        nodes.extend(other.nodes.iter().cloned());
        Self {
            nodes,
            spans,
            source,
        }
    }

    /// `self OR other`.
    #[must_use]
    pub fn or(&self, other: &Self) -> Self {
        let source = self.combine_source(other);
        let left = self.as_expression();
        let right = other.as_expression();
        let mut nodes = vec![Node::Or];
        nodes.extend(left.nodes.iter().cloned());
        nodes.extend(right.nodes.iter().cloned());
        let mut spans = vec![Span::default()];
        spans.extend(left.spans_for(&source));
        spans.extend(right.spans_for(&source));
        Self {
            nodes,
            spans,
            source,
        }
    }

    /// `NOT self`.
    #[must_use]
    pub fn negate(&self) -> Self {
        let inner = self.as_expression();
        let mut nodes = vec![Node::Not];
        nodes.extend(inner.nodes.iter().cloned());
        let mut spans = vec![Span::default()];
        spans.extend(inner.spans.iter().copied());
        Self {
            nodes,
            spans,
            source: self.source.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    Const(bool),
    Node(u32),
}

/// Bottom-up simplification into a new arena. Returns the arena and the root's result
/// (a `Group` node or a constant).
pub(crate) fn simplify_tree(old: &Tree) -> (Tree, Res) {
    let mut new = Tree::default();
    let mut res = vec![Res::Const(true); old.nodes.len()];
    for index in (0..old.nodes.len()).rev() {
        let node = &old.nodes[index];
        let result = match node.kind {
            TKind::Const(b) => Res::Const(b),
            TKind::Cond { src, op, sub } => {
                if sub {
                    let group = node
                        .children
                        .first()
                        .map_or(Res::Const(true), |&c| res[c as usize]);
                    match group {
                        Res::Const(false) => Res::Const(op == Operator::NotAny),
                        Res::Const(true) => {
                            let cond = new.push(node.kind, node.src, None);
                            new.push(TKind::Group, NO_SRC, Some(cond));
                            Res::Node(cond)
                        }
                        Res::Node(g) => {
                            let cond = new.push(node.kind, node.src, None);
                            new.nodes[cond as usize].children.push(g);
                            Res::Node(cond)
                        }
                    }
                } else {
                    Res::Node(new.push(TKind::Cond { src, op, sub }, node.src, None))
                }
            }
            TKind::Not => match node.children.first().map(|&c| res[c as usize]) {
                Some(Res::Const(b)) => Res::Const(!b),
                Some(Res::Node(child)) => {
                    if new.kind(child) == TKind::Not {
                        match new.children(child).first() {
                            Some(&grandchild) => Res::Node(grandchild),
                            None => Res::Const(true),
                        }
                    } else {
                        let not = new.push(TKind::Not, node.src, None);
                        new.nodes[not as usize].children.push(child);
                        Res::Node(not)
                    }
                }
                None => Res::Const(true),
            },
            TKind::Group | TKind::And | TKind::Or => {
                let is_or = node.kind == TKind::Or;
                let (unit, zero) = (!is_or, is_or);
                let mut kept: Vec<u32> = Vec::new();
                let mut absorbed = false;
                for &child in &node.children {
                    match res[child as usize] {
                        Res::Const(b) if b == unit => {}
                        Res::Const(_) => {
                            absorbed = true;
                            break;
                        }
                        Res::Node(n) => kept.push(n),
                    }
                }
                if absorbed {
                    Res::Const(zero)
                } else if kept.is_empty() {
                    Res::Const(unit)
                } else if kept.len() == 1 && node.kind != TKind::Group {
                    Res::Node(kept[0])
                } else {
                    let created = new.push(node.kind, node.src, None);
                    new.nodes[created as usize].children = kept;
                    Res::Node(created)
                }
            }
        };
        res[index] = result;
    }
    let root = res.first().copied().unwrap_or(Res::Const(true));
    if let Res::Node(root) = root {
        flatten(&mut new, root);
    }
    (new, root)
}

/// Splices nested ANDs into ANDs (and domain lists) and ORs into ORs, top-down, each
/// node visited once.
fn flatten(tree: &mut Tree, root: u32) {
    let mut work = vec![root];
    while let Some(index) = work.pop() {
        let kind = tree.kind(index);
        let Some(node) = tree.nodes.get_mut(index as usize) else {
            continue;
        };
        let children = std::mem::take(&mut node.children);
        let flat = if matches!(kind, TKind::And | TKind::Or | TKind::Group) {
            let mut flat = Vec::with_capacity(children.len());
            let mut stack: Vec<u32> = children.into_iter().rev().collect();
            while let Some(child) = stack.pop() {
                let child_kind = tree.kind(child);
                let same = if kind == TKind::Or {
                    child_kind == TKind::Or
                } else {
                    child_kind == TKind::And
                };
                match tree.nodes.get_mut(child as usize) {
                    Some(c) if same => {
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
        if let Some(node) = tree.nodes.get_mut(index as usize) {
            node.children = flat;
        }
    }
}

impl std::ops::BitAnd for Domain {
    type Output = Self;

    fn bitand(self, rhs: Self) -> Self {
        self.and(&rhs)
    }
}

impl std::ops::BitAnd<&Domain> for &Domain {
    type Output = Domain;

    fn bitand(self, rhs: &Domain) -> Domain {
        self.and(rhs)
    }
}

impl std::ops::BitOr for Domain {
    type Output = Self;

    fn bitor(self, rhs: Self) -> Self {
        self.or(&rhs)
    }
}

impl std::ops::BitOr<&Domain> for &Domain {
    type Output = Domain;

    fn bitor(self, rhs: &Domain) -> Domain {
        self.or(rhs)
    }
}

impl std::ops::Not for Domain {
    type Output = Self;

    fn not(self) -> Self {
        self.negate()
    }
}

impl std::ops::Not for &Domain {
    type Output = Domain;

    fn not(self) -> Domain {
        self.negate()
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    fn norm(text: &str) -> String {
        parse(text).unwrap().normalize().to_string()
    }

    fn dn(text: &str) -> String {
        parse(text).unwrap().distribute_not().to_string()
    }

    fn simp(text: &str) -> String {
        parse(text).unwrap().simplify().to_string()
    }

    #[test]
    fn normalize_matches_odoo() {
        assert_eq!(norm("[]"), "[(1, '=', 1)]");
        assert_eq!(norm("[('a', '=', 1)]"), "[('a', '=', 1)]");
        assert_eq!(
            norm("[('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"),
            "['&', '&', ('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"
        );
        assert_eq!(
            norm("['&', ('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"),
            "['&', '&', ('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"
        );
        assert_eq!(
            norm("[('a', '=', 1), '&', ('b', '=', 1), ('c', '=', 1)]"),
            "['&', ('a', '=', 1), '&', ('b', '=', 1), ('c', '=', 1)]"
        );
        assert_eq!(
            norm("[('t', 'any', [('a', '=', 1), ('b', '=', 2)]), ('u', 'not any', [])]"),
            "['&', ('t', 'any', ['&', ('a', '=', 1), ('b', '=', 2)]), ('u', 'not any', [(1, '=', 1)])]"
        );
    }

    #[test]
    fn distribute_not_matches_the_legacy_algorithm() {
        assert_eq!(dn("['!', ('a', '<', 1)]"), "[('a', '>=', 1)]");
        assert_eq!(dn("['!', ('a', '<=', 1)]"), "[('a', '>', 1)]");
        assert_eq!(
            dn("['!', ('a', '=like', 'x')]"),
            "['!', ('a', '=like', 'x')]"
        );
        assert_eq!(dn("['!', '!', ('a', '=', 1)]"), "[('a', '=', 1)]");
        assert_eq!(dn("['!', (1, '=', 1)]"), "[(0, '=', 1)]");
        assert_eq!(
            dn("['!', '|', ('a', 'ilike', 'x'), '!', ('b', 'any', [('c', '=', 1)])]"),
            "['&', ('a', 'not ilike', 'x'), ('b', 'any', [('c', '=', 1)])]"
        );
        assert_eq!(
            dn("[('a', '=', 1), '!', ('b', 'child_of', 3)]"),
            "['&', ('a', '=', 1), '!', ('b', 'child_of', 3)]"
        );
        assert_eq!(
            dn("['!', ('t', 'any', ['!', ('a', '=', 1)])]"),
            "[('t', 'not any', ['!', ('a', '=', 1)])]"
        );
    }

    #[test]
    fn simplify_absorbs_and_flattens() {
        assert_eq!(simp("[(1, '=', 1)]"), "[]");
        assert_eq!(simp("['|', (1, '=', 1), ('a', '=', 1)]"), "[]");
        assert_eq!(simp("[('a', '=', 1), (0, '=', 1)]"), "[(0, '=', 1)]");
        assert_eq!(
            simp("['|', ('a', '=', 1), '|', ('b', '=', 1), ('c', '=', 1)]"),
            "['|', '|', ('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"
        );
        assert_eq!(
            simp("['&', ('a', '=', 1), '&', ('b', '=', 1), ('c', '=', 1)]"),
            "[('a', '=', 1), ('b', '=', 1), ('c', '=', 1)]"
        );
        assert_eq!(simp("['!', (0, '=', 1)]"), "[]");
        assert_eq!(simp("[('t', 'not any', [(0, '=', 1)])]"), "[]");
        assert_eq!(
            simp("[('t', 'any', [(1, '=', 1), ('x', '=', 1)])]"),
            "[('t', 'any', [('x', '=', 1)])]"
        );
        assert_eq!(simp("[('t', 'any', [(1, '=', 1)])]"), "[('t', 'any', [])]");
    }

    #[test]
    fn combinators() {
        let a = parse("[('a', '=', 1)]").unwrap();
        let b = parse("[('b', '=', 2), ('c', '=', 3)]").unwrap();
        assert_eq!(
            (&a & &b).to_string(),
            "[('a', '=', 1), ('b', '=', 2), ('c', '=', 3)]"
        );
        assert_eq!(
            (&a | &b).to_string(),
            "['|', ('a', '=', 1), '&', ('b', '=', 2), ('c', '=', 3)]"
        );
        assert_eq!(
            (!&b).to_string(),
            "['!', '&', ('b', '=', 2), ('c', '=', 3)]"
        );
        let empty = crate::Domain::new();
        assert_eq!((&empty & &a), a);
        assert_eq!(
            (&empty | &a).to_string(),
            "['|', (1, '=', 1), ('a', '=', 1)]"
        );
    }

    #[test]
    fn deep_trees_do_not_overflow() {
        let n = 100_000;
        let text = format!("[{}('a', '=', 1)]", "'!', ".repeat(n));
        let domain = parse(&text).unwrap();
        assert_eq!(domain.simplify().to_string(), "[('a', '=', 1)]");
        assert_eq!(domain.distribute_not().to_string(), "[('a', '=', 1)]");
        assert_eq!(domain.normalize(), domain);
        let chain = format!("[{}('a', '=', 1){}]", "'|', ('a', '=', 1), ".repeat(n), "");
        let domain = crate::ParseOptions::new()
            .with_size_limit(1 << 24)
            .parse(&chain)
            .unwrap();
        assert_eq!(domain.simplify().items().count(), n + 1 + n);
        assert_eq!(domain.distribute_not().node_count(), domain.node_count());
    }
}
