//! Reads a declared record straight from its row, with serde, without
//! building a JSON value first: a national-scale read (the authority-wide
//! view reads hundreds of thousands of rows) spent most of its time making
//! and freeing the maps of the JSON route.
//!
//! A row reads as a map of its columns in declaration order (key first),
//! each column as its declared kind says: text, integer, real, bool, or
//! JSON text parsed in place. It must read every record exactly as
//! `values::from_sql` and `serde_json::from_value` would.

use std::fmt;

use caseload_core::{EntityDef, FieldDef, FieldKind};
use rusqlite::types::ValueRef;
use rusqlite::Row;
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

/// Why a row does not read as its record.
#[derive(Debug)]
pub(crate) struct ReadError(String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError(message.to_string())
    }
}

/// A row selected with `records::column_list(entity)`.
pub(crate) struct RowReader<'de, 'r> {
    pub(crate) entity: &'de EntityDef,
    pub(crate) row: &'de Row<'r>,
}

impl<'de> Deserializer<'de> for RowReader<'de, '_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_map(Columns {
            fields: self.entity.columns().enumerate(),
            row: self.row,
            current: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Columns<'de, 'r, I> {
    fields: I,
    row: &'de Row<'r>,
    current: Option<(usize, &'de FieldDef)>,
}

impl<'de, I: Iterator<Item = (usize, &'de FieldDef)>> MapAccess<'de> for Columns<'de, '_, I> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        self.current = self.fields.next();
        match self.current {
            None => Ok(None),
            Some((_, field)) => seed.deserialize(field.name.into_deserializer()).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let (index, field) = self
            .current
            .ok_or_else(|| ReadError("a value asked for before its column".to_owned()))?;
        let value = self
            .row
            .get_ref(index)
            .map_err(|error| ReadError(format!("{}: {error}", field.name)))?;
        seed.deserialize(Column { field, value })
            .map_err(|error| ReadError(format!("{}: {error}", field.name)))
    }
}

/// One column's value, read as its declared kind.
struct Column<'de> {
    field: &'de FieldDef,
    value: ValueRef<'de>,
}

impl<'de> Column<'de> {
    fn text(&self) -> Result<&'de str, ReadError> {
        match self.value {
            ValueRef::Text(bytes) => {
                std::str::from_utf8(bytes).map_err(|_| ReadError("text is not UTF-8".to_owned()))
            }
            _ => Err(ReadError("stored value has the wrong type".to_owned())),
        }
    }

    fn json(&self) -> Result<serde_json::Deserializer<serde_json::de::SliceRead<'de>>, ReadError> {
        match self.value {
            ValueRef::Text(bytes) => Ok(serde_json::Deserializer::from_slice(bytes)),
            _ => Err(ReadError("stored value has the wrong type".to_owned())),
        }
    }
}

fn json_error(error: serde_json::Error) -> ReadError {
    ReadError(format!("stored JSON does not read: {error}"))
}

/// Forwards each method to the column's JSON when it is of the JSON kind.
macro_rules! json_or_any {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
                if self.field.kind == FieldKind::Json && self.value != ValueRef::Null {
                    return self.json()?.$method(visitor).map_err(json_error);
                }
                self.deserialize_any(visitor)
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Column<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match (self.field.kind, self.value) {
            (_, ValueRef::Null) => visitor.visit_unit(),
            (FieldKind::Text, _) => visitor.visit_str(self.text()?),
            (FieldKind::Integer, ValueRef::Integer(number)) => visitor.visit_i64(number),
            (FieldKind::Real, ValueRef::Real(number)) if number.is_finite() => {
                visitor.visit_f64(number)
            }
            // A non-finite real reads as null, as JSON has no such number.
            (FieldKind::Real, ValueRef::Real(_)) => visitor.visit_unit(),
            (FieldKind::Real, ValueRef::Integer(number)) => visitor.visit_f64(number as f64),
            (FieldKind::Bool, ValueRef::Integer(number)) => visitor.visit_bool(number != 0),
            (FieldKind::Json, _) => self.json()?.deserialize_any(visitor).map_err(json_error),
            _ => Err(ReadError("stored value has the wrong type".to_owned())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match (self.field.kind, self.value) {
            (_, ValueRef::Null) => visitor.visit_none(),
            (FieldKind::Json, _) => self.json()?.deserialize_option(visitor).map_err(json_error),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json => self
                .json()?
                .deserialize_enum(name, variants, visitor)
                .map_err(json_error),
            _ => visitor.visit_enum(self.text()?.into_deserializer()),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json if self.value != ValueRef::Null => self
                .json()?
                .deserialize_newtype_struct(name, visitor)
                .map_err(json_error),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json if self.value != ValueRef::Null => self
                .json()?
                .deserialize_struct(name, fields, visitor)
                .map_err(json_error),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json if self.value != ValueRef::Null => self
                .json()?
                .deserialize_tuple(len, visitor)
                .map_err(json_error),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json if self.value != ValueRef::Null => self
                .json()?
                .deserialize_tuple_struct(name, len, visitor)
                .map_err(json_error),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.field.kind {
            FieldKind::Json if self.value != ValueRef::Null => self
                .json()?
                .deserialize_unit_struct(name, visitor)
                .map_err(json_error),
            _ => self.deserialize_any(visitor),
        }
    }

    json_or_any! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_seq deserialize_map deserialize_identifier deserialize_ignored_any
    }
}

#[cfg(test)]
mod tests {
    use caseload_core::{samples, Record};
    use serde_json::Value;

    use crate::records::{column_list, fields_from_row, load_where};
    use crate::Store;

    /// Reads every stored `R` both ways: straight from the row, and through
    /// the JSON value the sync and audit code build.
    fn both_ways<R: Record + PartialEq + std::fmt::Debug>(store: &Store) {
        let entity = R::ENTITY;
        let direct = load_where::<R>(store.conn(), "1 = 1", []).expect("direct");
        let sql = format!(
            "SELECT {} FROM {} WHERE deleted = 0 ORDER BY {}",
            column_list(entity),
            entity.name,
            entity.key.name
        );
        let mut statement = store.conn().prepare(&sql).expect("prepared");
        let through_json: Vec<R> = statement
            .query_map([], |row| Ok(fields_from_row(entity, row)))
            .expect("rows")
            .map(|fields| {
                let fields = fields.expect("row").expect("fields");
                serde_json::from_value(Value::Object(fields)).expect("reads")
            })
            .collect();
        assert!(!direct.is_empty(), "{} stored", entity.name);
        assert_eq!(direct, through_json, "{}", entity.name);
    }

    #[test]
    fn every_kind_of_record_reads_as_the_json_route_reads_it() {
        let mut store = Store::open_in_memory().expect("store");
        let mut unfinished = samples::school();
        unfinished.urn = caseload_core::Urn(990_102);
        unfinished.ward = None;
        unfinished.headteacher = None;
        unfinished.percentage_fsm = None;
        unfinished.link_sia = None;
        store
            .write(|writer| {
                writer.save(&samples::adviser())?;
                writer.save(&samples::school())?;
                writer.save(&unfinished)?;
                writer.save(&samples::academy())?;
                writer.save(&samples::contact())?;
                writer.save(&samples::inspection())?;
                writer.save(&samples::review())?;
                writer.save(&caseload_core::visit::Visit {
                    addendum_to: None,
                    ..samples::visit()
                })?;
                writer.save(&samples::action())?;
                writer.save(&samples::letter())?;
                writer.save(&samples::performance_figure())?;
                writer.save(&samples::academy_concern())?;
                writer.save(&samples::academy_report())?;
                Ok(())
            })
            .expect("saved");
        both_ways::<caseload_core::Adviser>(&store);
        both_ways::<caseload_core::School>(&store);
        both_ways::<caseload_core::Contact>(&store);
        both_ways::<caseload_core::OfstedInspection>(&store);
        both_ways::<caseload_core::review::Review>(&store);
        both_ways::<caseload_core::visit::Visit>(&store);
        both_ways::<caseload_core::action::Action>(&store);
        both_ways::<caseload_core::letter::Letter>(&store);
        both_ways::<caseload_core::performance::PerformanceFigure>(&store);
        both_ways::<caseload_core::academy::AcademyConcern>(&store);
        both_ways::<caseload_core::academy::AcademyReport>(&store);
    }
}
