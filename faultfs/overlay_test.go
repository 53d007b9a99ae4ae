package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func tempOverlay(t *testing.T, initial []byte) (*overlay, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, initial, 0o644); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(p, unix.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	o, err := newOverlay(fd, "f")
	if err != nil {
		t.Fatal(err)
	}
	return o, p
}

func readAll(t *testing.T, o *overlay) []byte {
	t.Helper()
	buf := make([]byte, o.getSize()+10)
	n, err := o.read(buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	return buf[:n]
}

func TestOverlayHoldsWritesUntilSync(t *testing.T) {
	o, p := tempOverlay(t, []byte("disk"))
	if err := o.write([]byte("DI"), 0); err != nil {
		t.Fatal(err)
	}
	if err := o.write([]byte("-tail"), 4); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, o); string(got) != "DIsk-tail" {
		t.Fatalf("read %q", got)
	}
	if b, _ := os.ReadFile(p); string(b) != "disk" {
		t.Fatalf("backing changed before sync: %q", b)
	}
	if _, err := o.sync(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "DIsk-tail" {
		t.Fatalf("backing after sync: %q", b)
	}
}

func TestOverlayCutDropsUnsynced(t *testing.T) {
	o, p := tempOverlay(t, []byte("durable"))
	_ = o.write(bytes.Repeat([]byte{'x'}, 3*pageSize), 2)
	o.truncate(3)
	dropped, kept := o.cut(nil)
	if dropped == 0 || kept != 0 {
		t.Fatalf("dropped %d kept %d", dropped, kept)
	}
	if b, _ := os.ReadFile(p); string(b) != "durable" {
		t.Fatalf("backing after cut: %q", b)
	}
}

func TestOverlayShrinkThenGrowReadsZero(t *testing.T) {
	o, p := tempOverlay(t, []byte("0123456789"))
	o.truncate(2)
	o.truncate(6)
	if got := readAll(t, o); !bytes.Equal(got, []byte{'0', '1', 0, 0, 0, 0}) {
		t.Fatalf("read %q", got)
	}
	if _, err := o.sync(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, []byte{'0', '1', 0, 0, 0, 0}) {
		t.Fatalf("backing %q", b)
	}
}

// Random writes, truncates, syncs and cuts against a plain byte-slice model of "what the writer sees"
// and "what the disk holds". The seed is printed so a failure can be replayed.
func TestOverlayMatchesModel(t *testing.T) {
	seed := time.Now().UnixNano()
	fmt.Printf("TestOverlayMatchesModel seed %d\n", seed)
	rng := rand.New(rand.NewSource(seed))
	for round := 0; round < 30; round++ {
		disk := make([]byte, rng.Intn(3*pageSize))
		rng.Read(disk)
		o, p := tempOverlay(t, disk)
		view := append([]byte(nil), disk...)
		for step := 0; step < 40; step++ {
			switch rng.Intn(6) {
			case 0, 1, 2:
				off := rng.Intn(4 * pageSize)
				data := make([]byte, 1+rng.Intn(2*pageSize))
				rng.Read(data)
				_ = o.write(data, int64(off))
				if need := off + len(data); need > len(view) {
					view = append(view, make([]byte, need-len(view))...)
				}
				copy(view[off:], data)
			case 3:
				size := rng.Intn(4 * pageSize)
				o.truncate(int64(size))
				if size < len(view) {
					view = view[:size]
				} else {
					view = append(view, make([]byte, size-len(view))...)
				}
			case 4:
				if _, err := o.sync(); err != nil {
					t.Fatal(err)
				}
				disk = append([]byte(nil), view...)
			case 5:
				o.cut(nil)
				o.size, o.floor = o.backingSize, o.backingSize
				view = append([]byte(nil), disk...)
			}
			if got := readAll(t, o); !bytes.Equal(got, view) {
				t.Fatalf("seed %d round %d step %d: read differs from model (len %d vs %d)", seed, round, step, len(got), len(view))
			}
		}
		if _, err := o.sync(); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); !bytes.Equal(b, view) {
			t.Fatalf("seed %d round %d: backing differs from model after sync", seed, round)
		}
	}
}

// An fsync or a write that began before a power cut and reaches the overlay after it must fail: the
// cut closed the overlay that held the bytes, and neither a fresh overlay nor "nothing left to sync"
// may turn that into success (the broker would log a flush whose bytes are gone).
func TestOperationsFinishingAfterTheCutFail(t *testing.T) {
	dir := t.TempDir()
	backing := filepath.Join(dir, "disk")
	if err := os.MkdirAll(backing, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(backing, "f")
	if err := os.WriteFile(p, []byte("durable"), 0o644); err != nil {
		t.Fatal(err)
	}
	ff, err := newFaultFS(backing, filepath.Join(dir, "trash"), 1)
	if err != nil {
		t.Fatal(err)
	}
	open := func() (int, error) { return unix.Open(p, unix.O_RDWR, 0) }
	key := fileKey{ino: 1, gen: 1}
	write := func(s string, off int64) error {
		return ff.apply(key, "f", open, func(o *overlay) error { return o.write([]byte(s), off) })
	}
	if err := write("-unsynced", 7); err != nil {
		t.Fatal(err)
	}
	if r := ff.cut(false, 0); r.DroppedBytes == 0 {
		t.Fatalf("cut dropped nothing: %+v", r)
	}
	if err := ff.syncFile(key); !errors.Is(err, unix.EIO) {
		t.Fatalf("fsync after the cut: %v, want EIO", err)
	}
	if err := write("-late", 7); !errors.Is(err, unix.EIO) {
		t.Fatalf("write after the cut: %v, want EIO", err)
	}
	if len(ff.overlays) != 0 {
		t.Fatalf("an overlay was created after the cut")
	}
	if b, _ := os.ReadFile(p); string(b) != "durable" {
		t.Fatalf("backing after the cut: %q", b)
	}
}
