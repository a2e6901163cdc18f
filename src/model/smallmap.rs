//! A map kept as a sorted vector. The model has many tiny maps (each value's
//! position, `extra` labels); a `BTreeMap` allocates a whole node for one
//! entry, which made ten thousand plans cost hundreds of megabytes.
//! Serialises as a JSON object in key order, like `BTreeMap`.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;

#[derive(Debug, Clone, PartialEq)]
pub struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<K: Ord, V> SmallMap<K, V> {
    pub fn new() -> Self {
        SmallMap(Vec::new())
    }

    pub fn with_capacity(n: usize) -> Self {
        SmallMap(Vec::with_capacity(n))
    }

    fn position<Q: ?Sized + Ord>(&self, k: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(key, _)| key.borrow().cmp(k))
    }

    /// Inserts or replaces; returns the old value.
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        // Maps are mostly filled in key order: one comparison then.
        if self.0.last().is_none_or(|(last, _)| *last < k) {
            self.0.push((k, v));
            return None;
        }
        match self.position(&k) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    /// Inserts only when the key is absent.
    pub fn insert_if_absent(&mut self, k: K, v: V) {
        if let Err(i) = self.position(&k) {
            self.0.insert(i, (k, v));
        }
    }

    pub fn get<Q: ?Sized + Ord>(&self, k: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        // Small maps (most are): equality tests, which for strings compare
        // lengths first, beat the ordered comparisons of a binary search.
        if self.0.len() <= 16 {
            return self.0.iter().find(|(key, _)| key.borrow() == k).map(|(_, v)| v);
        }
        self.position(k).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key<Q: ?Sized + Ord>(&self, k: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(k).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SmallMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = SmallMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<K: Ord, V> IntoIterator for SmallMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K: Ord + Borrow<str>, V> std::ops::Index<&str> for SmallMap<K, V> {
    type Output = V;
    fn index(&self, k: &str) -> &V {
        self.get(k).unwrap_or_else(|| panic!("no key {k}"))
    }
}

impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SmallMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Ord + Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = SmallMap<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut m = SmallMap::new();
                while let Some((k, v)) = a.next_entry()? {
                    m.insert(k, v);
                }
                Ok(m)
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_like_a_btreemap() {
        let mut m: SmallMap<String, i32> = SmallMap::new();
        m.insert("b".into(), 2);
        m.insert("a".into(), 1);
        m.insert("c".into(), 3);
        assert_eq!(m.insert("b".into(), 20), Some(2));
        m.insert_if_absent("a".into(), 100);
        let json = serde_json::to_string(&m).expect("json");
        assert_eq!(json, r#"{"a":1,"b":20,"c":3}"#);
        let back: SmallMap<String, i32> = serde_json::from_str(r#"{"z":1,"y":2}"#).expect("back");
        assert_eq!(serde_json::to_string(&back).expect("json"), r#"{"y":2,"z":1}"#);
        assert_eq!(m["c"], 3);
    }
}
