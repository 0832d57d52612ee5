// Package i18n is the one table of the site's UI strings, in every language: the templates read
// it through T and Format, and the asset pipeline emits it as the ES module the page scripts
// import (Module), so no UI string is written twice.
//
// A text may hold placeholders {name}; Format (Go) and t(key, {name: …}) (site/assets/js/i18n.js)
// fill them. Chinese texts use full-width punctuation（，：；（）！？）; the package test checks it,
// and that both languages of a text have the same placeholders.
package i18n

import (
	"encoding/json"
	"regexp"
	"sort"
)

// Langs are the languages of the table; English is the fallback.
var Langs = []string{"en", "zh"}

// text is one UI string in each language.
type text struct{ en, zh string }

func (x text) in(lang string) string {
	if lang == "zh" && x.zh != "" {
		return x.zh
	}
	return x.en
}

// T returns the UI string key in lang ("" for an unknown key: the package test finds every key
// the templates and scripts use in the table).
func T(lang, key string) string { return table[key].in(lang) }

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// Format is T with the placeholders filled from name, value pairs:
// Format("en", "range", "min", "1", "max", "10") → "from 1 to 10". A placeholder without a value
// is left as it is.
func Format(lang, key string, pairs ...string) string {
	vals := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		vals[pairs[i]] = pairs[i+1]
	}
	return placeholder.ReplaceAllStringFunc(T(lang, key), func(m string) string {
		if v, ok := vals[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// Keys returns every key of the table, sorted.
func Keys() []string {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Module is the table in lang as an ES module for the page scripts:
// `export default {key: text, …};` (English where lang lacks a text, as T does). A page loads
// only its language's.
func Module(lang string) []byte {
	m := map[string]string{}
	for k := range table {
		m[k] = T(lang, k)
	}
	data, err := json.Marshal(m) // keys sorted: the same bytes (and hash) every build
	if err != nil {
		panic(err) // strings only
	}
	out := []byte("// Generated from site/assets/i18n (Go) by the asset pipeline: the UI strings in " + lang + ".\nexport default ")
	out = append(out, data...)
	return append(out, ";\n"...)
}
