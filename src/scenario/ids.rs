//! The ids a scenario file defines, and the items built from its rows.

use super::table::Field;
use super::{ScenarioError, ScenarioErrors};
use std::collections::HashMap;

/// The ids defined in one column of a scenario file, each numbered densely in order of
/// definition: the number is the id's index in the model.
#[derive(Debug)]
pub(crate) struct Ids {
    /// Each id with the line that defines it, in order of definition.
    defined: Vec<(String, u64)>,
    index: HashMap<String, u32>,
    /// Whether every row of the defining file could be read and had an id: if not, an id
    /// missing here may be on such a row, so an unknown reference is not reported.
    complete: bool,
}

impl Ids {
    /// No ids yet, to be defined by a file whose rows were all read (`complete`) or not.
    pub(crate) fn new(complete: bool) -> Self {
        Ids {
            defined: Vec::new(),
            index: HashMap::new(),
            complete,
        }
    }

    /// Defines the id in `field`, returning its number.
    ///
    /// # Errors
    ///
    /// If the field is empty (references are then not checked: they may mean this row), or
    /// the id was defined before (the first definition stands).
    pub(crate) fn define(&mut self, field: Field<'_>) -> Result<u32, ScenarioError> {
        let name = field.id().inspect_err(|_| self.mark_incomplete())?;
        if let Some(&i) = self.index.get(name) {
            return Err(ScenarioError::DuplicateId {
                path: field.path().to_path_buf(),
                line: field.line(),
                column: field.column().to_owned(),
                id: name.to_owned(),
                first_line: self.defined[i as usize].1,
            });
        }
        Ok(self.insert(name, field.line()))
    }

    /// The number of `name`, defining it (on `line`) if this is its first appearance.
    pub(crate) fn intern(&mut self, name: &str, line: u64) -> u32 {
        match self.index.get(name) {
            Some(&i) => i,
            None => self.insert(name, line),
        }
    }

    fn insert(&mut self, name: &str, line: u64) -> u32 {
        let i = u32::try_from(self.defined.len())
            .expect("a scenario file has fewer than 2^32 rows, so fewer ids");
        self.defined.push((name.to_owned(), line));
        self.index.insert(name.to_owned(), i);
        i
    }

    /// Notes that a row of the defining file could not be read, or had no id: references are
    /// no longer checked.
    pub(crate) fn mark_incomplete(&mut self) {
        self.complete = false;
    }

    /// The number of `name`, if defined.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }

    /// The number of the id that `field` names, or `None` if it is not defined: recorded as an
    /// unknown reference, where `expected` says where ids are defined (e.g. "a service in
    /// services.csv"), unless the defining file had malformed rows.
    pub(crate) fn resolve(
        &self,
        field: Field<'_>,
        expected: &str,
        errors: &mut ScenarioErrors,
    ) -> Option<u32> {
        let i = self.get(field.text());
        if i.is_none() && self.complete {
            errors.push(field.unknown_reference(expected));
        }
        i
    }

    /// The number of `name`, one of several ids listed in `field`, or `None` if it is not
    /// defined: recorded, as by [`resolve`](Self::resolve), as an unknown reference at the
    /// field's position quoting `name` alone.
    pub(crate) fn resolve_name(
        &self,
        field: Field<'_>,
        name: &str,
        expected: &str,
        errors: &mut ScenarioErrors,
    ) -> Option<u32> {
        let i = self.get(name);
        if i.is_none() && self.complete {
            errors.push(ScenarioError::UnknownReference {
                path: field.path().to_path_buf(),
                line: field.line(),
                column: field.column().to_owned(),
                expected: expected.to_owned(),
                found: name.to_owned(),
            });
        }
        i
    }

    /// The numbers of the ids listed in `field`, separated by `;` (each trimmed); `None`,
    /// recorded, if any is empty, unknown or repeated. `what` names one id in messages and
    /// where ids are defined, e.g. `("service", "a service in services.csv")`.
    pub(crate) fn resolve_list(
        &self,
        field: Field<'_>,
        (what, expected): (&str, &str),
        errors: &mut ScenarioErrors,
    ) -> Option<Vec<u32>> {
        let mut list = Vec::new();
        let mut ok = true;
        for name in field.text().split(';').map(str::trim) {
            if name.is_empty() {
                errors.push(field.invalid(format!("{what} ids separated by ';'")));
                return None;
            }
            match self.resolve_name(field, name, expected, errors) {
                Some(i) if list.contains(&i) => {
                    errors.push(field.inconsistent(format!("{what} '{name}' is listed twice")));
                    ok = false;
                }
                Some(i) => list.push(i),
                None => ok = false,
            }
        }
        ok.then_some(list)
    }

    /// How many ids are defined.
    pub(crate) fn len(&self) -> usize {
        self.defined.len()
    }

    /// The id numbered `i`.
    pub(crate) fn name(&self, i: u32) -> &str {
        &self.defined[i as usize].0
    }

    /// The line that defines the id numbered `i`.
    pub(crate) fn line(&self, i: u32) -> u64 {
        self.defined[i as usize].1
    }
}

/// What one scenario file defines: its ids and, for each, the item built from its row (`None`
/// where the row had a problem, which has been recorded).
#[derive(Debug)]
pub(crate) struct Defined<T> {
    pub(crate) ids: Ids,
    pub(crate) items: Vec<Option<T>>,
}

impl<T> Defined<T> {
    /// Nothing defined yet, by a file whose rows were all read (`complete`) or not.
    pub(crate) fn new(complete: bool) -> Self {
        Defined {
            ids: Ids::new(complete),
            items: Vec::new(),
        }
    }

    /// Defines the id in `field`, with no item yet, returning its number.
    ///
    /// # Errors
    ///
    /// As [`Ids::define`].
    pub(crate) fn define(&mut self, field: Field<'_>) -> Result<u32, ScenarioError> {
        let i = self.ids.define(field)?;
        self.items.push(None);
        Ok(i)
    }

    /// Sets the item of the id numbered `i`, built from its row.
    pub(crate) fn set(&mut self, i: u32, item: T) {
        self.items[i as usize] = Some(item);
    }

    /// The item numbered `i`, if its row was valid.
    pub(crate) fn get(&self, i: u32) -> Option<&T> {
        self.items.get(i as usize).and_then(Option::as_ref)
    }

    /// Every item, or `None` if any row had a problem.
    pub(crate) fn into_items(self) -> Option<Vec<T>> {
        self.items.into_iter().collect()
    }
}
