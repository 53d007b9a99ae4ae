package main

import (
	"os"
	"path/filepath"
	"testing"
)

func metaFixture(t *testing.T) (*metaLog, string) {
	t.Helper()
	dir := t.TempDir()
	backing := filepath.Join(dir, "b")
	if err := os.MkdirAll(filepath.Join(backing, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := newMetaLog(backing, filepath.Join(dir, "trash"))
	if err != nil {
		t.Fatal(err)
	}
	return m, backing
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func TestMetaCutUndoesUnsyncedEntries(t *testing.T) {
	m, b := metaFixture(t)
	_ = os.WriteFile(filepath.Join(b, "d/old"), []byte("old"), 0o644)
	_ = os.WriteFile(filepath.Join(b, "d/new"), nil, 0o644)
	m.created("d/new")
	if err := m.remove("d/old"); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(b, "d/old")) {
		t.Fatal("unlink did not take the entry out")
	}
	if n := m.cut(); n != 2 {
		t.Fatalf("undone %d, want 2", n)
	}
	if exists(filepath.Join(b, "d/new")) || !exists(filepath.Join(b, "d/old")) {
		t.Fatal("cut did not undo the create and the unlink")
	}
}

func TestMetaDirFsyncMakesEntriesDurable(t *testing.T) {
	m, b := metaFixture(t)
	_ = os.WriteFile(filepath.Join(b, "d/tmp"), []byte("v2"), 0o644)
	_ = os.WriteFile(filepath.Join(b, "d/ckpt"), []byte("v1"), 0o644)
	m.created("d/tmp")
	if err := m.rename("d/tmp", "d/ckpt"); err != nil {
		t.Fatal(err)
	}
	m.syncedDir("d")
	if n := m.cut(); n != 0 {
		t.Fatalf("undone %d after the dir fsync", n)
	}
	if got, _ := os.ReadFile(filepath.Join(b, "d/ckpt")); string(got) != "v2" {
		t.Fatalf("ckpt %q", got)
	}
}

func TestMetaRenameWithoutDirFsyncIsUndone(t *testing.T) {
	m, b := metaFixture(t)
	_ = os.WriteFile(filepath.Join(b, "d/tmp"), []byte("v2"), 0o644)
	_ = os.WriteFile(filepath.Join(b, "d/ckpt"), []byte("v1"), 0o644)
	m.syncedFile("d/tmp")
	if err := m.rename("d/tmp", "d/ckpt"); err != nil {
		t.Fatal(err)
	}
	m.cut()
	if got, _ := os.ReadFile(filepath.Join(b, "d/ckpt")); string(got) != "v1" {
		t.Fatalf("ckpt %q, want the old v1 back", got)
	}
	if got, _ := os.ReadFile(filepath.Join(b, "d/tmp")); string(got) != "v2" {
		t.Fatalf("tmp %q", got)
	}
}

func TestMetaFileFsyncKeepsItsCreationAndParents(t *testing.T) {
	m, b := metaFixture(t)
	_ = os.MkdirAll(filepath.Join(b, "d/q"), 0o755)
	_ = os.WriteFile(filepath.Join(b, "d/q/f"), nil, 0o644)
	_ = os.WriteFile(filepath.Join(b, "d/g"), nil, 0o644)
	m.created("d/q")
	m.created("d/q/f")
	m.created("d/g")
	m.syncedFile("d/q/f")
	if n := m.cut(); n != 1 {
		t.Fatalf("undone %d, want 1 (d/g)", n)
	}
	if !exists(filepath.Join(b, "d/q/f")) || exists(filepath.Join(b, "d/g")) {
		t.Fatal("wrong entries survived")
	}
}

// The embedded broker's recovery deletes a ConsumeQueue file and creates it again under the same
// name, then fsyncs the new file only: the unlink is older than the durable create, so it is durable
// too, and the cut must not bring the old file back over the new one.
func TestMetaLaterDurableChangeKeepsEarlierOnes(t *testing.T) {
	m, b := metaFixture(t)
	_ = os.WriteFile(filepath.Join(b, "d/cq"), []byte("old"), 0o644)
	if err := m.remove("d/cq"); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(b, "d/cq"), []byte("new"), 0o644)
	m.created("d/cq")
	m.syncedFile("d/cq")
	if n := m.cut(); n != 0 {
		t.Fatalf("undone %d", n)
	}
	if got, _ := os.ReadFile(filepath.Join(b, "d/cq")); string(got) != "new" {
		t.Fatalf("cq %q, want the new file", got)
	}
}
