package build

import "sync"

// memo is a map that keeps one build's working set: sweep, called after each successful
// build, forgets every entry that build neither read nor wrote. So a server that rebuilds on
// every save holds what the current site needs, not every version of every file it ever saw.
// It is safe for concurrent use.
type memo[K comparable, V any] struct {
	mu   sync.Mutex
	used map[K]V // read or written since the last sweep
	old  map[K]V // kept by the last sweep, not used since
}

func newMemo[K comparable, V any]() *memo[K, V] {
	return &memo[K, V]{used: map[K]V{}, old: map[K]V{}}
}

func (m *memo[K, V]) get(k K) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.used[k]; ok {
		return v, true
	}
	v, ok := m.old[k]
	if ok {
		m.used[k] = v
		delete(m.old, k)
	}
	return v, ok
}

func (m *memo[K, V]) put(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.used[k] = v
	delete(m.old, k)
}

// sweep drops what was not used since the last sweep.
func (m *memo[K, V]) sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.old, m.used = m.used, map[K]V{}
}
