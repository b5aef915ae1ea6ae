//! Who counts for whom, month by month.
//!
//! A unit's figure for a month counts for its parent, followed through the
//! parent's successors to the month's last day (when provinces merge on
//! 01/07/2025, the old one's communes count for the new one from July, even
//! if their parent link still names the old one), and only in months the
//! unit existed. These are the rules of `kehoach_domain::ledger::Ledger::parts`.
//!
//! Units that can have parts get a **slot**: the index of their sums in the
//! aggregates. Slot 0 is the nation: its own unit when the units name one,
//! else a nation without a unit of its own, made of the units that have no
//! parent.

use chrono::NaiveDate;
use kehoach_domain::org::{OrgLevel, OrgUnit};
use std::collections::HashMap;

/// No slot: the unit counts for nothing that month.
pub(crate) const NONE: u32 = u32::MAX;

/// The slot of the nation.
pub(crate) const NATION: usize = 0;

/// The units as indices: parents, successors, slots.
#[derive(Debug, Clone)]
pub(crate) struct Hierarchy {
    pub units: Vec<OrgUnit>,
    pub unit_ix: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    successor: Vec<Option<usize>>,
    /// The nation's own unit, if the units name one.
    pub nation: Option<usize>,
    /// Each unit's slot, if it can have parts.
    pub slot_of: Vec<Option<usize>>,
    /// Each slot's unit (none for a nation without a unit).
    pub slot_unit: Vec<Option<usize>>,
    /// Each slot's possible parts: the units whose parent it is or succeeded.
    members: Vec<Vec<usize>>,
}

impl Hierarchy {
    pub fn new(units: Vec<OrgUnit>) -> Self {
        let unit_ix: HashMap<String, usize> = units.iter().enumerate().map(|(i, u)| (u.code.clone(), i)).collect();
        let find = |code: &Option<String>| code.as_deref().and_then(|c| unit_ix.get(c).copied());
        let parent: Vec<Option<usize>> = units.iter().map(|u| find(&u.parent)).collect();
        let successor: Vec<Option<usize>> = units.iter().map(|u| find(&u.successor)).collect();
        let nation = units.iter().position(|u| u.level == OrgLevel::Nation);
        let mut slot_of = vec![None; units.len()];
        let mut slot_unit = vec![nation];
        let mut members: Vec<Vec<usize>> = vec![Vec::new()];
        if let Some(n) = nation {
            slot_of[n] = Some(NATION);
        }
        for (u, unit) in units.iter().enumerate() {
            if Some(u) == nation {
                continue;
            }
            let Some(mut at) = parent[u] else {
                // A unit with no parent belongs to a nation without a unit.
                if unit.parent.is_none() && nation.is_none() {
                    members[NATION].push(u);
                }
                continue;
            };
            // The parent and every unit that succeeded it.
            for _ in 0..units.len() {
                let slot = *slot_of[at].get_or_insert_with(|| {
                    slot_unit.push(Some(at));
                    members.push(Vec::new());
                    slot_unit.len() - 1
                });
                if members[slot].contains(&u) {
                    break;
                }
                members[slot].push(u);
                match successor[at] {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
        Self { units, unit_ix, parent, successor, nation, slot_of, slot_unit, members }
    }

    pub fn slots(&self) -> usize {
        self.slot_unit.len()
    }

    /// The unit that carries `unit`'s figures on a day, as `org::current`.
    fn current(&self, unit: usize, day: NaiveDate) -> usize {
        let mut at = unit;
        for _ in 0..self.units.len() {
            if self.units[at].valid_on(day) {
                return at;
            }
            match self.successor[at] {
                Some(next) => at = next,
                None => return at,
            }
        }
        at
    }

    /// The slot a unit's figure counts for on a day (its existence aside).
    pub fn parent_on(&self, unit: usize, day: NaiveDate) -> Option<usize> {
        if Some(unit) == self.nation {
            return None;
        }
        match self.parent[unit] {
            Some(p) => self.slot_of[self.current(p, day)],
            None if self.units[unit].parent.is_none() && self.nation.is_none() => Some(NATION),
            None => None,
        }
    }

    pub fn existed_during(&self, unit: usize, start: NaiveDate, end: NaiveDate) -> bool {
        let u = &self.units[unit];
        u.valid_from.is_none_or(|from| from <= end) && u.valid_to.is_none_or(|to| to >= start)
    }

    /// The units that made up a slot's unit over `start..=end`: they existed
    /// then, and count for it on the last day.
    pub fn parts(&self, slot: usize, start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = usize> + '_ {
        self.members[slot]
            .iter()
            .copied()
            .filter(move |&u| self.existed_during(u, start, end) && self.parent_on(u, end) == Some(slot))
    }

    /// Who counts for whom in a month.
    pub fn layout(&self, start: NaiveDate, end: NaiveDate) -> Layout {
        let mut parent = vec![NONE; self.units.len()];
        let mut expected = vec![0u32; self.slots()];
        for (slot, count) in expected.iter_mut().enumerate() {
            for u in self.parts(slot, start, end) {
                parent[u] = slot as u32;
                *count += 1;
            }
        }
        // Slots deepest first, so that bulk sums see every part before the
        // whole; the depth walk is bounded for a loop in parent links.
        let depth = |slot: usize| {
            let mut d = 0;
            let mut at = self.slot_unit[slot];
            while let Some(u) = at {
                if parent[u] == NONE || d > self.units.len() {
                    break;
                }
                d += 1;
                at = self.slot_unit[parent[u] as usize];
            }
            d
        };
        let mut order: Vec<usize> = (0..self.slots()).collect();
        order.sort_by_key(|&s| std::cmp::Reverse(depth(s)));
        Layout { parent, expected, order }
    }
}

/// Who counts for whom in one month: each unit's slot ([`NONE`]: none),
/// how many parts each slot expects, and the slots deepest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub parent: Vec<u32>,
    pub expected: Vec<u32>,
    pub order: Vec<usize>,
}
