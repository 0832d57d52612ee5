package symbols

import (
	"context"
	"database/sql/driver"
	"reflect"
)

// Composed interface wrappers. yaegi hands an interpreted value to compiled code wrapped in a
// struct that implements the one interface the code asked for (driver.Conn), so compiled code
// that looks for an optional interface (database/sql asking a driver.Conn for QueryContext)
// misses it. MapTypes lists, per wrapper, bigger wrappers to use when the interpreted type has
// their methods too, most methods first (yaegi takes the first that fits).

// driverConnQueryerExecer is a driver.Conn with QueryContext and ExecContext.
type driverConnQueryerExecer struct {
	IValue        any
	WBegin        func() (driver.Tx, error)
	WClose        func() error
	WPrepare      func(query string) (driver.Stmt, error)
	WQueryContext func(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error)
	WExecContext  func(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error)
}

func (W driverConnQueryerExecer) Begin() (driver.Tx, error)             { return W.WBegin() }
func (W driverConnQueryerExecer) Close() error                          { return W.WClose() }
func (W driverConnQueryerExecer) Prepare(q string) (driver.Stmt, error) { return W.WPrepare(q) }
func (W driverConnQueryerExecer) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return W.WQueryContext(ctx, q, args)
}
func (W driverConnQueryerExecer) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return W.WExecContext(ctx, q, args)
}

// driverConnQueryer is a driver.Conn with QueryContext.
type driverConnQueryer struct {
	IValue        any
	WBegin        func() (driver.Tx, error)
	WClose        func() error
	WPrepare      func(query string) (driver.Stmt, error)
	WQueryContext func(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error)
}

func (W driverConnQueryer) Begin() (driver.Tx, error)             { return W.WBegin() }
func (W driverConnQueryer) Close() error                          { return W.WClose() }
func (W driverConnQueryer) Prepare(q string) (driver.Stmt, error) { return W.WPrepare(q) }
func (W driverConnQueryer) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return W.WQueryContext(ctx, q, args)
}

// driverConnExecer is a driver.Conn with ExecContext.
type driverConnExecer struct {
	IValue       any
	WBegin       func() (driver.Tx, error)
	WClose       func() error
	WPrepare     func(query string) (driver.Stmt, error)
	WExecContext func(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error)
}

func (W driverConnExecer) Begin() (driver.Tx, error)             { return W.WBegin() }
func (W driverConnExecer) Close() error                          { return W.WClose() }
func (W driverConnExecer) Prepare(q string) (driver.Stmt, error) { return W.WPrepare(q) }
func (W driverConnExecer) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return W.WExecContext(ctx, q, args)
}

// composedWrappers runs after the generated files' init (file order): it needs their wrappers.
func composedWrappers() {
	conn := Symbols["database/sql/driver/driver"]["_Conn"]
	MapTypes[conn] = []reflect.Type{
		reflect.TypeOf(driverConnQueryerExecer{}),
		reflect.TypeOf(driverConnQueryer{}),
		reflect.TypeOf(driverConnExecer{}),
	}
}
