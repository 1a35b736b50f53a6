//! serde for the public data types: a domain is stored as its canonical text, an
//! operator as its spelling, a field type as its Odoo name (with the comodel), a schema
//! as `{model: {field: type}}`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::ast::{Domain, Operator};
use crate::schema::{FieldType, Schema};

impl Serialize for Domain {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Domain {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Operator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Operator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_text(&text)
            .ok_or_else(|| de::Error::custom(format!("invalid operator {text:?}")))
    }
}

impl Serialize for FieldType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.comodel() {
            None => serializer.serialize_str(self.name()),
            Some(comodel) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("type", self.name())?;
                map.serialize_entry("comodel", comodel)?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TypeVisitor;

        impl<'de> Visitor<'de> for TypeVisitor {
            type Value = FieldType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field type name or {\"type\": ..., \"comodel\": ...}")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<FieldType, E> {
                FieldType::from_name(name, None).ok_or_else(|| {
                    E::custom(format!(
                        "unknown field type {name:?} (relational types need a comodel)"
                    ))
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldType, A::Error> {
                let mut name: Option<String> = None;
                let mut comodel: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type" => name = Some(map.next_value()?),
                        "comodel" => comodel = Some(map.next_value()?),
                        _ => {
                            let _: de::IgnoredAny = map.next_value()?;
                        }
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("type"))?;
                FieldType::from_name(&name, comodel.as_deref()).ok_or_else(|| {
                    de::Error::custom(format!("unknown field type {name:?} or missing comodel"))
                })
            }
        }

        deserializer.deserialize_any(TypeVisitor)
    }
}

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.models().len()))?;
        for model in self.models() {
            let fields: BTreeMap<&str, &FieldType> = model
                .fields()
                .iter()
                .map(|f| (f.name(), f.field_type()))
                .collect();
            map.serialize_entry(model.name(), &fields)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: BTreeMap<String, BTreeMap<String, FieldType>> =
            BTreeMap::deserialize(deserializer)?;
        let mut schema = Self::new();
        for (model, fields) in raw {
            let mut builder = schema.model(&model);
            for (name, field_type) in fields {
                builder = builder.field(&name, field_type);
            }
        }
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_is_stored_as_text() {
        let domain = crate::parse(r#"[["a", "=", 1], "!", ["b", "in", [true, null]]]"#).unwrap();
        let json = serde_json::to_string(&domain).unwrap();
        assert_eq!(json, r#""[('a', '=', 1), '!', ('b', 'in', [True, None])]""#);
        let back: Domain = serde_json::from_str(&json).unwrap();
        assert_eq!(back, domain);
        assert!(serde_json::from_str::<Domain>(r#""[('a', 'lik', 1)]""#).is_err());
    }

    #[test]
    fn schema_round_trips() {
        let mut schema = Schema::new();
        schema
            .model("res.partner")
            .field("name", FieldType::Char)
            .field("parent_id", FieldType::many2one("res.partner"));
        let json = serde_json::to_string(&schema).unwrap();
        assert_eq!(
            json,
            r#"{"res.partner":{"name":"char","parent_id":{"type":"many2one","comodel":"res.partner"}}}"#
        );
        let back: Schema = serde_json::from_str(&json).unwrap();
        assert_eq!(back.get("res.partner").unwrap().fields().len(), 2);
        assert!(serde_json::from_str::<FieldType>(r#""many2one""#).is_err());
        assert!(serde_json::from_str::<FieldType>(r#""binary""#).is_err());
    }

    #[test]
    fn operators_use_their_spelling() {
        assert_eq!(
            serde_json::to_string(&Operator::NotILike).unwrap(),
            r#""not ilike""#
        );
        assert_eq!(
            serde_json::from_str::<Operator>(r#""NOT IN""#).unwrap(),
            Operator::NotIn
        );
    }
}
