// Database pool, the baseline: the same queries through database/sql, one
// after another. A single goroutine needs one connection at a time, so it
// never waits for the pool, and the queries' times add up: 20 queries of
// 300 ms take 6 s. The "database" is a small driver inside this program, so
// it runs in a browser tab too.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// queryTimeout is each query's deadline, waiting for a connection included.
const queryTimeout = 2 * time.Second

func main() {
	tasks := flag.Int("tasks", 20, "number of queries")
	delay := flag.Duration("delay", 300*time.Millisecond, "how long the database takes per query")
	limit := flag.Int("limit", 5, "connections in the pool (SetMaxOpenConns)")
	flag.Parse()

	db := sql.OpenDB(&fakeDB{delay: *delay})
	defer db.Close()
	db.SetMaxOpenConns(*limit) // the pool: at most this many connections, so this many queries at once
	db.SetMaxIdleConns(*limit) // and keep them open between queries

	start := time.Now()
	var timedOut atomic.Int32
	for i := 1; i <= *tasks; i++ {
		_, err := lookup(db, i)
		if errors.Is(err, context.DeadlineExceeded) {
			timedOut.Add(1)
			fmt.Printf("query %d timed out after %v\n", i, queryTimeout)
		} else if err != nil {
			fmt.Printf("query %d: %v\n", i, err)
		}
	}

	s := db.Stats()
	fmt.Printf("%d queries, %d timed out; pool of %d: %d waits for a connection, %v waited in all\n",
		*tasks, timedOut.Load(), s.MaxOpenConnections, s.WaitCount, s.WaitDuration.Round(time.Millisecond))
	fmt.Printf("all %d queries done in %v\n", *tasks, time.Since(start).Round(time.Millisecond))
}

// lookup is one query with a deadline. rows.Close hands the connection back
// to the pool; forgetting it keeps the connection busy for nothing.
func lookup(db *sql.DB, id int) (price int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT price FROM items WHERE id = ?", id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&price); err != nil {
			return 0, err
		}
	}
	return price, rows.Err()
}

// fakeDB is a database driver in a few lines: every query takes delay, like
// a round trip to a real server, and gives up when its context is done.
type fakeDB struct {
	delay time.Duration
	conns atomic.Int32
}

func (d *fakeDB) Connect(context.Context) (driver.Conn, error) { return d.Open("") }
func (d *fakeDB) Driver() driver.Driver                        { return d }
func (d *fakeDB) Open(string) (driver.Conn, error)             { return &fakeConn{db: d, id: d.conns.Add(1)}, nil }

type fakeConn struct {
	db *fakeDB
	id int32
}

func (c *fakeConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	id := args[0].Value.(int64)
	fmt.Printf("task %d start on connection %d\n", id, c.id)
	select {
	case <-time.After(c.db.delay):
	case <-ctx.Done():
		fmt.Printf("task %d done: %v\n", id, ctx.Err())
		return nil, ctx.Err()
	}
	fmt.Printf("task %d done: price %d\n", id, 100+id)
	return &fakeRows{price: 100 + id}, nil
}
func (c *fakeConn) Prepare(string) (driver.Stmt, error) {
	return nil, errors.New("fakeDB: no prepared statements")
}
func (c *fakeConn) Close() error              { return nil }
func (c *fakeConn) Begin() (driver.Tx, error) { return nil, errors.New("fakeDB: no transactions") }

type fakeRows struct {
	price int64
	done  bool
}

func (r *fakeRows) Columns() []string { return []string{"price"} }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	dest[0] = r.price
	return nil
}
