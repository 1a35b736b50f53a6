//! Evaluating a plan on records.
//!
//! The application exposes its data through [`Records`] (records of a model by id, and a
//! scan of all records of a model) and [`Record`] (the id and field values). Binding a
//! plan to the data evaluates every sub-domain once, bottom-up, into id sets (what Odoo
//! does with its `filtered_domain` on the related records); the root predicate then
//! reads each record's own fields only.

use std::collections::{HashMap, HashSet};

use chrono::Timelike;

use crate::plan::{ACCEPT, Access, Hierarchy, Leaf, Plan, Program, REJECT, SlotSpec};
use crate::py::SmallBuf;
use crate::schema::Field;
use crate::values::{FieldValue, IdSet, py_cmp, text_of};

/// One record, as the application stores it.
///
/// ```
/// use smskit_filter::{Field, FieldValue, Record};
///
/// struct Contact {
///     id: i64,
///     name: String,
///     country_id: Option<i64>,
/// }
///
/// impl Record for Contact {
///     fn id(&self) -> i64 {
///         self.id
///     }
///
///     fn get(&self, field: &Field) -> FieldValue<'_> {
///         match (field.name(), self.country_id) {
///             ("name", _) => FieldValue::Str(&self.name),
///             ("country_id", Some(id)) => FieldValue::Id(id),
///             _ => FieldValue::Null,
///         }
///     }
/// }
/// ```
pub trait Record {
    /// The record id.
    fn id(&self) -> i64;

    /// The value of a declared field (`Null` when never set). The `&Field` gives the name
    /// and the declaration index, whichever is faster to dispatch on.
    fn get(&self, field: &Field) -> FieldValue<'_>;
}

/// The records of all models, as the application stores them.
///
/// [`Dataset`](crate::Dataset) is a ready in-memory implementation.
pub trait Records {
    /// A record of any model (an enum or a reference when models have different types).
    type Record<'a>: Record
    where
        Self: 'a;

    /// The record of `model` with this id, if it exists.
    fn get(&self, model: &str, id: i64) -> Option<Self::Record<'_>>;

    /// Calls `visit` with every record of `model` (in any order).
    fn scan<'s, F: FnMut(Self::Record<'s>)>(&'s self, model: &str, visit: F);
}

/// The ids a slot stands for.
#[derive(Clone, Debug, Default)]
struct SlotSet {
    ids: IdSet,
    /// Python's `False` was among the ids: records without a related record match.
    falsy: bool,
}

/// A plan bound to data: sub-domains and hierarchies resolved into id sets, ready to
/// test records of the plan's model.
///
// Reading a dataset from JSON needs the `serde` feature.
#[cfg_attr(feature = "serde", doc = "```")]
#[cfg_attr(not(feature = "serde"), doc = "```ignore")]
/// use smskit_filter::{Dataset, Plan};
///
/// let data: Dataset = r#"{"models": {"res.partner": {
///     "fields": {"name": "char", "parent_id": {"type": "many2one", "comodel": "res.partner"}},
///     "records": [{"id": 1, "name": "Acme"}, {"id": 2, "name": "Bob", "parent_id": 1}]
/// }}}"#.parse()?;
/// let domain = smskit_filter::parse("[('parent_id', '=', 'Acme')]")?;
/// let plan = Plan::new(data.schema(), "res.partner", &domain)?;
/// let bound = plan.bind(&data);
/// let bob = data.record("res.partner", 2).unwrap();
/// assert!(bound.matches(&bob));
/// # Ok::<(), smskit_filter::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Bound<'p> {
    plan: &'p Plan,
    slots: Vec<SlotSet>,
}

impl Plan {
    /// Resolves the plan's sub-domains against `source`. Each sub-domain is evaluated
    /// once over all records of its model.
    #[must_use]
    pub fn bind<S: Records>(&self, source: &S) -> Bound<'_> {
        let mut bound = Bound {
            plan: self,
            slots: vec![SlotSet::default(); self.slots.len()],
        };
        // Slots only depend on slots created after them.
        for index in (0..self.slots.len()).rev() {
            let set = match &self.slots[index] {
                SlotSpec::Program(program) => match self.programs.get(*program as usize) {
                    Some(program) => {
                        let mut ids = Vec::new();
                        source.scan(&program.model, |record| {
                            if bound.run(program, &record) {
                                ids.push(record.id());
                            }
                        });
                        SlotSet {
                            ids: IdSet::new(ids),
                            falsy: false,
                        }
                    }
                    None => SlotSet::default(),
                },
                SlotSpec::Hierarchy(hierarchy) => bound.hierarchy(hierarchy, source),
            };
            bound.slots[index] = set;
        }
        bound
    }

    /// The ids of the records of the plan's model that match, ascending.
    ///
    // Reading a dataset from JSON needs the `serde` feature.
    #[cfg_attr(feature = "serde", doc = "```")]
    #[cfg_attr(not(feature = "serde"), doc = "```ignore")]
    /// use smskit_filter::{Dataset, Plan};
    ///
    /// let data: Dataset = r#"{"models": {"res.partner": {
    ///     "fields": {"name": "char", "active": "boolean"},
    ///     "records": [{"id": 2, "name": "Ann"}, {"id": 1, "name": "Joan", "active": true}, {"id": 3}]
    /// }}}"#.parse()?;
    /// let plan = Plan::new(data.schema(), "res.partner", &smskit_filter::parse("[('name', 'ilike', 'an')]")?)?;
    /// assert_eq!(plan.filter(&data), vec![1, 2]);
    /// let plan = Plan::new(data.schema(), "res.partner", &smskit_filter::parse("[('name', '=', False)]")?)?;
    /// assert_eq!(plan.filter(&data), vec![3]);
    /// # Ok::<(), smskit_filter::Error>(())
    /// ```
    #[must_use]
    pub fn filter<S: Records>(&self, source: &S) -> Vec<i64> {
        let bound = self.bind(source);
        let mut ids = Vec::new();
        source.scan(&self.model, |record| {
            if bound.matches(&record) {
                ids.push(record.id());
            }
        });
        if !ids.is_sorted() {
            ids.sort_unstable();
        }
        ids
    }
}

impl Bound<'_> {
    /// Whether `record` (a record of the plan's model) matches.
    #[inline]
    pub fn matches<R: Record + ?Sized>(&self, record: &R) -> bool {
        match self.plan.programs.first() {
            Some(program) => self.run(program, record),
            None => true,
        }
    }

    /// The plan this binding evaluates.
    #[must_use]
    pub fn plan(&self) -> &Plan {
        self.plan
    }

    #[inline]
    fn run<R: Record + ?Sized>(&self, program: &Program, record: &R) -> bool {
        if let Some(constant) = program.constant {
            return constant;
        }
        let mut pc = 0usize;
        loop {
            let Some(op) = program.ops.get(pc) else {
                return false;
            };
            let next = if self.test(&op.leaf, record) {
                op.on_true
            } else {
                op.on_false
            };
            if next >= REJECT {
                return next == ACCEPT;
            }
            pc = next as usize;
        }
    }

    fn slot(&self, slot: u32) -> Option<&SlotSet> {
        self.slots.get(slot as usize)
    }

    #[inline]
    fn test<R: Record + ?Sized>(&self, leaf: &Leaf, record: &R) -> bool {
        match leaf {
            Leaf::In { access, set, falsy } => with_value(access, record, |v| {
                (*falsy && v.is_falsy()) || set.contains(&v)
            }),
            Leaf::RelSlot { access, slot } => {
                let Some(set) = self.slot(*slot) else {
                    return false;
                };
                with_value(access, record, |v| {
                    v.any_related(|id| set.ids.contains(id))
                        .unwrap_or(set.falsy)
                })
            }
            Leaf::RelIn { access, ids, falsy } => with_value(access, record, |v| {
                v.any_related(|id| ids.contains(id)).unwrap_or(*falsy)
            }),
            Leaf::Like { access, like } => with_value(access, record, |v| match v {
                FieldValue::Str(text) => like.matches(text),
                other => {
                    let mut buf = SmallBuf::<64>::new();
                    like.matches(text_of(&other, &mut buf))
                }
            }),
            Leaf::Cmp {
                access,
                op,
                value,
                null,
            } => with_value(access, record, |v| {
                if matches!(v, FieldValue::Null) {
                    *null
                } else {
                    py_cmp(&v, value).is_some_and(|o| op.test(o))
                }
            }),
            Leaf::RelCmp { access, op, value } => with_value(access, record, |v| {
                v.any_related(|id| py_cmp(&FieldValue::Int(id), value).is_some_and(|o| op.test(o)))
                    .unwrap_or(false)
            }),
            Leaf::DateTimeIn {
                access,
                starts,
                falsy,
            } => with_value(access, record, |v| match v {
                // The starts are whole seconds: `dt` lies within the second starting at
                // `s` exactly when it truncates to `s` (a leap second included).
                FieldValue::DateTime(dt) => starts
                    .binary_search(&dt.with_nanosecond(0).unwrap_or(dt))
                    .is_ok(),
                FieldValue::Null => *falsy,
                _ => false,
            }),
            Leaf::IdSlot { slot } => {
                let id = record.id();
                self.slot(*slot)
                    .is_some_and(|set| set.ids.contains(id) || (set.falsy && id == 0))
            }
        }
    }

    /// Resolves a `child_of` / `parent_of` set.
    fn hierarchy<S: Records>(&self, h: &Hierarchy, source: &S) -> SlotSet {
        let mut start: Vec<i64> = h.start.clone();
        if let Some(search) = h.search
            && let Some(slot) = self.plan.programs.get(search as usize).and_then(|p| p.slot)
            && let Some(set) = self.slot(slot)
        {
            start.extend(set.ids.to_sorted_vec());
        }
        // Python's False (0) among the starting ids also selects records without a parent.
        let falsy = start.contains(&0);
        let mut seen: HashSet<i64> = start.iter().copied().collect();
        let mut frontier: Vec<i64> = seen.iter().copied().collect();
        if h.child_of {
            // children[parent id] = records pointing at it; roots = records without parent.
            let mut children: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut roots = Vec::new();
            source.scan(&h.model, |record| {
                let id = record.id();
                let value = record.get(&h.parent);
                if value
                    .any_related(|parent| {
                        children.entry(parent).or_default().push(id);
                        false
                    })
                    .is_none()
                {
                    roots.push(id);
                }
            });
            if falsy {
                for id in roots {
                    if seen.insert(id) {
                        frontier.push(id);
                    }
                }
            }
            while let Some(id) = frontier.pop() {
                if let Some(kids) = children.get(&id) {
                    for &kid in kids {
                        if seen.insert(kid) {
                            frontier.push(kid);
                        }
                    }
                }
            }
        } else {
            while let Some(id) = frontier.pop() {
                let Some(record) = source.get(&h.model, id) else {
                    continue;
                };
                record.get(&h.parent).any_related(|parent| {
                    if seen.insert(parent) {
                        frontier.push(parent);
                    }
                    false
                });
            }
        }
        SlotSet {
            ids: IdSet::new(seen.into_iter().collect()),
            falsy,
        }
    }
}

/// Reads the value a leaf tests and passes it to `f`.
#[inline]
fn with_value<R: Record + ?Sized, T>(
    access: &Access,
    record: &R,
    f: impl FnOnce(FieldValue<'_>) -> T,
) -> T {
    match access {
        Access::Field { field, default } => match record.get(field) {
            FieldValue::Null => f(*default),
            value => f(value),
        },
        Access::Id => f(FieldValue::Int(record.id())),
        Access::DisplayName { field, model } => match field {
            Some(field) => match record.get(field) {
                value @ (FieldValue::Str(_) | FieldValue::Null) => f(value),
                value => {
                    let mut buf = SmallBuf::<64>::new();
                    let text = text_of(&value, &mut buf);
                    if text.is_empty() {
                        f(FieldValue::Null)
                    } else {
                        f(FieldValue::Str(text))
                    }
                }
            },
            None => {
                let text = format!("{model},{}", record.id());
                f(FieldValue::Str(&text))
            }
        },
    }
}
