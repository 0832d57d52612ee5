package main

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"log"
	"path"
	"reflect"
	"strings"
)

// symbolImporter gives go/types the packages of the interpreter's symbol table, built from the
// symbols' reflect values (there is no export data in the browser). It knows what the interpreter
// knows, no more: a name the table lacks is "undefined" for go/types too, so the check never
// passes a program the interpreter then cannot link. Exported fields and methods are known (reflect
// shows no unexported methods, and unexported fields are left out, below), which is what
// type-checking a learner's program needs.
//
// Building types from reflect is slow in the browser (a second for net/http on a busy laptop), so
// only the names the program uses are converted (used: import path → names; a path without an
// entry converts all), with what they reach. That is exact: a package's names can only be
// reached through the program's selectors on the package name.
type symbolImporter struct {
	symbols map[string]map[string]reflect.Value
	used    map[string]map[string]bool
	pkgs    map[string]*types.Package // by import path, complete or fake (packages of field types)
	types   map[reflect.Type]types.Type
}

func newSymbolImporter(symbols map[string]map[string]reflect.Value) *symbolImporter {
	return &symbolImporter{symbols: symbols, pkgs: map[string]*types.Package{}, types: map[reflect.Type]types.Type{}}
}

// realType: the symbol table routes some functions through wrappers (os.Exit, log.Fatal, log.New);
// the program sees the standard library's signatures.
var realType = map[string]reflect.Type{
	"log.New": reflect.TypeOf(log.New),
}

// packageName is the name of the package at path p in the symbol table ("" if absent).
func (im *symbolImporter) packageName(p string) string {
	for key := range im.symbols {
		if i := strings.LastIndex(key, "/"); i > 0 && key[:i] == p {
			return key[i+1:]
		}
	}
	return ""
}

// Import implements types.Importer.
func (im *symbolImporter) Import(p string) (*types.Package, error) {
	var syms map[string]reflect.Value
	var name string
	for key, m := range im.symbols {
		if i := strings.LastIndex(key, "/"); i > 0 && key[:i] == p {
			syms, name = m, key[i+1:]
			break
		}
	}
	if syms == nil {
		return nil, fmt.Errorf("package %s is not in the interpreter (it runs compiled under workbook serve)", p)
	}
	pkg := im.pkg(p)
	if pkg.Complete() {
		return pkg, nil
	}
	pkg.SetName(name)
	scope := pkg.Scope()
	if used, ok := im.used[p]; ok {
		some := map[string]reflect.Value{}
		for n := range used {
			if v, ok := syms[n]; ok {
				some[n] = v
			}
		}
		syms = some
	}
	// Types first: their names are what signatures refer to.
	for n, v := range syms {
		if strings.HasPrefix(n, "_") || !v.IsValid() || v.Kind() != reflect.Pointer || !v.IsNil() || v.CanAddr() {
			continue
		}
		if _, ok := im.typ(v.Type().Elem()).(*types.Named); !ok {
			// an alias (`type X = Y`): the name stands for Y
			scope.Insert(types.NewTypeName(token.NoPos, pkg, n, im.typ(v.Type().Elem())))
		}
	}
	for n, v := range syms {
		if strings.HasPrefix(n, "_") || !v.IsValid() || scope.Lookup(n) != nil {
			continue
		}
		switch {
		case v.CanAddr(): // a variable: reflect.ValueOf(&pkg.V).Elem()
			scope.Insert(types.NewVar(token.NoPos, pkg, n, im.typ(v.Type())))
		case v.Kind() == reflect.Pointer && v.IsNil(): // a type, inserted above
		case v.Kind() == reflect.Func:
			t := v.Type()
			if rt, ok := realType[name+"."+n]; ok {
				t = rt
			}
			sig := im.typ(t).(*types.Signature)
			scope.Insert(types.NewFunc(token.NoPos, pkg, n, sig))
		case v.Type().Implements(constantValue): // an untyped constant: constant.MakeFromLiteral(…)
			c := v.Interface().(constant.Value)
			scope.Insert(types.NewConst(token.NoPos, pkg, n, types.Typ[untyped[c.Kind()]], c))
		default: // a typed constant: reflect.ValueOf(time.Second)
			scope.Insert(types.NewConst(token.NoPos, pkg, n, im.typ(v.Type()), constantOf(v)))
		}
	}
	pkg.MarkComplete()
	return pkg, nil
}

var constantValue = reflect.TypeOf((*constant.Value)(nil)).Elem()

var untyped = map[constant.Kind]types.BasicKind{constant.Bool: types.UntypedBool, constant.String: types.UntypedString,
	constant.Int: types.UntypedInt, constant.Float: types.UntypedFloat, constant.Complex: types.UntypedComplex}

// constantOf is a typed constant's value (time.Second as reflect gives it).
func constantOf(v reflect.Value) constant.Value {
	switch {
	case v.CanInt():
		return constant.MakeInt64(v.Int())
	case v.CanUint():
		return constant.MakeUint64(v.Uint())
	case v.CanFloat():
		return constant.MakeFloat64(v.Float())
	case v.Kind() == reflect.String:
		return constant.MakeString(v.String())
	case v.Kind() == reflect.Bool:
		return constant.MakeBool(v.Bool())
	}
	return constant.MakeUnknown()
}

// pkg is the package of an import path, made on first use (named after its last element until
// Import names it).
func (im *symbolImporter) pkg(p string) *types.Package {
	if pkg, ok := im.pkgs[p]; ok {
		return pkg
	}
	pkg := types.NewPackage(p, path.Base(p))
	im.pkgs[p] = pkg
	return pkg
}

var basics = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16,
	reflect.Int32: types.Int32, reflect.Int64: types.Int64, reflect.Uint: types.Uint, reflect.Uint8: types.Uint8,
	reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128, reflect.String: types.String,
	reflect.UnsafePointer: types.UnsafePointer,
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

// typ converts a reflect type, named types once each (so identity holds across packages).
func (im *symbolImporter) typ(t reflect.Type) types.Type {
	if tt, ok := im.types[t]; ok {
		return tt
	}
	if t == errorType {
		return types.Universe.Lookup("error").Type()
	}
	if t.Name() != "" && t.PkgPath() != "" {
		pkg := im.pkg(t.PkgPath())
		obj := types.NewTypeName(token.NoPos, pkg, t.Name(), nil)
		named := types.NewNamed(obj, nil, nil)
		im.types[t] = named // before the underlying type: it may refer to this one
		if pkg.Scope().Lookup(t.Name()) == nil && !pkg.Complete() {
			pkg.Scope().Insert(obj)
		}
		named.SetUnderlying(im.literal(t).Underlying())
		if t.Kind() != reflect.Interface {
			value := map[string]bool{}
			for i := range t.NumMethod() {
				value[t.Method(i).Name] = true
			}
			pt := reflect.PointerTo(t)
			for i := range pt.NumMethod() {
				m := pt.Method(i)
				var recv types.Type = named
				if !value[m.Name] {
					recv = types.NewPointer(named)
				}
				named.AddMethod(types.NewFunc(token.NoPos, pkg, m.Name, im.signature(m.Type, types.NewVar(token.NoPos, pkg, "", recv), 1)))
			}
		}
		return named
	}
	tt := im.literal(t)
	im.types[t] = tt
	return tt
}

// literal converts t's structure (for a named type: its underlying type).
func (im *symbolImporter) literal(t reflect.Type) types.Type {
	if k, ok := basics[t.Kind()]; ok {
		return types.Typ[k]
	}
	switch t.Kind() {
	case reflect.Pointer:
		return types.NewPointer(im.typ(t.Elem()))
	case reflect.Slice:
		return types.NewSlice(im.typ(t.Elem()))
	case reflect.Array:
		return types.NewArray(im.typ(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return types.NewMap(im.typ(t.Key()), im.typ(t.Elem()))
	case reflect.Chan:
		dir := map[reflect.ChanDir]types.ChanDir{reflect.BothDir: types.SendRecv, reflect.SendDir: types.SendOnly, reflect.RecvDir: types.RecvOnly}[t.ChanDir()]
		return types.NewChan(dir, im.typ(t.Elem()))
	case reflect.Func:
		return im.signature(t, nil, 0)
	case reflect.Struct:
		var fields []*types.Var
		var tags []string
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				// Not the program's to name: leaving them out keeps the type graph small (an
				// http.Server's unexported fields reach half the standard library), which
				// matters in the browser, where all of this is built on every run. What is
				// lost: go/types may then accept == on a struct whose hidden fields forbid it.
				continue
			}
			pkg := im.pkg(t.PkgPath())
			if f.PkgPath != "" {
				pkg = im.pkg(f.PkgPath)
			}
			fields = append(fields, types.NewField(token.NoPos, pkg, f.Name, im.typ(f.Type), f.Anonymous))
			tags = append(tags, string(f.Tag))
		}
		return types.NewStruct(fields, tags)
	case reflect.Interface:
		var methods []*types.Func
		for i := range t.NumMethod() {
			m := t.Method(i)
			pkg := im.pkg(t.PkgPath())
			if m.PkgPath != "" {
				pkg = im.pkg(m.PkgPath)
			}
			methods = append(methods, types.NewFunc(token.NoPos, pkg, m.Name, im.signature(m.Type, nil, 0)))
		}
		it := types.NewInterfaceType(methods, nil)
		it.Complete()
		return it
	}
	return types.Typ[types.Invalid]
}

// signature converts a func type, leaving out its first skip parameters (a method's receiver).
func (im *symbolImporter) signature(t reflect.Type, recv *types.Var, skip int) *types.Signature {
	var params, results []*types.Var
	for i := skip; i < t.NumIn(); i++ {
		params = append(params, types.NewParam(token.NoPos, nil, "", im.typ(t.In(i))))
	}
	for i := range t.NumOut() {
		results = append(results, types.NewParam(token.NoPos, nil, "", im.typ(t.Out(i))))
	}
	return types.NewSignatureType(recv, nil, nil, types.NewTuple(params...), types.NewTuple(results...), t.IsVariadic())
}
