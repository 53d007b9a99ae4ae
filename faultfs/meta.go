package main

// Metadata durability, modelled simply: create, mkdir, unlink, rmdir and rename happen in the backing
// directory at once, but each is logged until made durable. An fsync of a directory makes every logged
// entry change inside it durable; an fsync of a file makes its own creation (and its ancestors') and a
// rename onto its name durable; either also makes every change logged before those durable (a
// metadata journal commits in order). A power cut undoes the rest, newest first. Unlinked files and renamed-over
// targets wait in a trash directory beside the backing directory until their removal is durable.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

type metaOp struct {
	kind  string // create, remove, rename
	from  string // remove, rename: the old name
	to    string // create, rename: the new name
	trash string // remove, rename: where the removed (or overwritten) entry waits
}

type metaLog struct {
	mu      sync.Mutex
	backing string
	trash   string
	seq     int
	ops     []metaOp
}

func newMetaLog(backing, trash string) (*metaLog, error) {
	if err := os.MkdirAll(trash, 0o755); err != nil {
		return nil, err
	}
	return &metaLog{backing: backing, trash: trash}, nil
}

func (m *metaLog) abs(rel string) string { return filepath.Join(m.backing, rel) }

func (m *metaLog) created(rel string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops = append(m.ops, metaOp{kind: "create", to: rel})
}

// moveToTrash takes rel out of the tree, keeping it for an undo.
func (m *metaLog) moveToTrash(rel string) (string, error) {
	m.seq++
	t := filepath.Join(m.trash, fmt.Sprintf("%d", m.seq))
	return t, os.Rename(m.abs(rel), t)
}

func (m *metaLog) remove(rel string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.moveToTrash(rel)
	if err != nil {
		return err
	}
	m.ops = append(m.ops, metaOp{kind: "remove", from: rel, trash: t})
	return nil
}

// rename moves from onto to; an existing target waits in the trash.
func (m *metaLog) rename(from, to string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	op := metaOp{kind: "rename", from: from, to: to}
	if _, err := os.Lstat(m.abs(to)); err == nil {
		t, err := m.moveToTrash(to)
		if err != nil {
			return err
		}
		op.trash = t
	}
	if err := os.Rename(m.abs(from), m.abs(to)); err != nil {
		if op.trash != "" {
			_ = os.Rename(op.trash, m.abs(to))
		}
		return err
	}
	m.ops = append(m.ops, op)
	return nil
}

func ancestorOrSelf(anc, rel string) bool {
	return anc == rel || strings.HasPrefix(rel, anc+"/")
}

// keep makes the newest op for which durable says yes durable, with every op before it: a file
// system with a metadata journal commits entry changes in order, so a later change is never on the
// disk without the earlier ones (an unlink then a create of the same name must not come back as
// the old file next to a lost new one). Their trash goes for good.
func (m *metaLog) keep(durable func(op metaOp) bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	last := -1
	for i, op := range m.ops {
		if durable(op) {
			last = i
		}
	}
	for _, op := range m.ops[:last+1] {
		if op.trash != "" {
			_ = os.RemoveAll(op.trash)
		}
	}
	m.ops = append([]metaOp(nil), m.ops[last+1:]...)
}

func parentOf(rel string) string {
	d := filepath.Dir(rel)
	if d == "." {
		return ""
	}
	return d
}

// syncedDir: an fsync of directory dir ("" is the root).
func (m *metaLog) syncedDir(dir string) {
	m.keep(func(op metaOp) bool {
		return (op.to != "" && parentOf(op.to) == dir) || (op.from != "" && parentOf(op.from) == dir)
	})
}

// syncedFile: an fsync of file rel.
func (m *metaLog) syncedFile(rel string) {
	m.keep(func(op metaOp) bool {
		return (op.kind == "create" && ancestorOrSelf(op.to, rel)) || (op.kind == "rename" && op.to == rel)
	})
}

// syncedAll: a clean shutdown, where the kernel syncs everything.
func (m *metaLog) syncedAll() { m.keep(func(metaOp) bool { return true }) }

// cut undoes every change not made durable, newest first; returns how many were undone.
func (m *metaLog) cut() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.ops) - 1; i >= 0; i-- {
		op := m.ops[i]
		switch op.kind {
		case "create":
			_ = os.RemoveAll(m.abs(op.to))
		case "remove":
			_ = os.RemoveAll(m.abs(op.from))
			_ = os.Rename(op.trash, m.abs(op.from))
		case "rename":
			_ = os.Rename(m.abs(op.to), m.abs(op.from))
			if op.trash != "" {
				_ = os.Rename(op.trash, m.abs(op.to))
			}
		}
	}
	n := len(m.ops)
	m.ops = nil
	_ = os.RemoveAll(m.trash)
	return n
}

func (m *metaLog) pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ops)
}
