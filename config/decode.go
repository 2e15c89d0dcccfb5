package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// The file is decoded over Default(). For an array of tables (queue.windows, passport.types) the
// TOML decoder reuses the default slice and fills the elements in place, so a table that leaves a
// key out would silently keep that key's value from the default element at the same index (a new
// passport type would inherit EP10's documents). These decoders start each element from zero, so
// that a missing key is empty and Validate names it.

// UnmarshalTOML decodes one arrival window from a table, starting from an empty Window.
func (w *Window) UnmarshalTOML(data any) error {
	return decodeTable("queue.windows", data, w)
}

// UnmarshalTOML decodes one passport type from a table, starting from an empty PassportType.
func (p *PassportType) UnmarshalTOML(data any) error {
	return decodeTable("passport.types", data, p)
}

// decodeTable sets the struct that dst points to from a decoded TOML table, by the fields' toml
// tags. Only string, integer and []string fields are supported: all these two types need. An
// unknown key or a value of the wrong type is an error naming prefix and the key.
func decodeTable(prefix string, data any, dst any) error {
	table, ok := data.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: each entry must be a table, got %s", prefix, tomlType(data))
	}
	rv := reflect.ValueOf(dst).Elem()
	rv.SetZero()
	fields := make(map[string]reflect.Value, rv.NumField())
	for i := range rv.NumField() {
		if tag := rv.Type().Field(i).Tag.Get("toml"); tag != "" {
			fields[tag] = rv.Field(i)
		}
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first problem reported does not depend on map order
	for _, k := range keys {
		key := prefix + "." + k
		f, ok := fields[k]
		if !ok {
			return fmt.Errorf("unknown key %s", key)
		}
		v := table[k]
		switch f.Kind() {
		case reflect.String:
			s, ok := v.(string)
			if !ok {
				return fmt.Errorf("%s: must be a string, got %s", key, tomlType(v))
			}
			f.SetString(s)
		case reflect.Int:
			n, ok := v.(int64)
			if !ok {
				return fmt.Errorf("%s: must be a whole number, got %s", key, tomlType(v))
			}
			if f.OverflowInt(n) {
				return fmt.Errorf("%s: %d is too large", key, n)
			}
			f.SetInt(n)
		case reflect.Slice:
			if f.Type().Elem().Kind() != reflect.String {
				return fmt.Errorf("%s: unsupported field type %s", key, f.Type())
			}
			arr, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%s: must be a list of strings, got %s", key, tomlType(v))
			}
			list := make([]string, len(arr))
			for i, e := range arr {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("%s[%d]: must be a string, got %s", key, i, tomlType(e))
				}
				list[i] = s
			}
			f.Set(reflect.ValueOf(list))
		default:
			return fmt.Errorf("%s: unsupported field type %s", key, f.Type())
		}
	}
	return nil
}

// tomlType names the TOML type of a decoded value, for error messages.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	default:
		return strings.TrimPrefix(fmt.Sprintf("%T", v), "time.") // dates and times
	}
}
