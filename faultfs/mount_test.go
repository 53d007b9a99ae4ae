package main

// Contract tests through a real FUSE mount, driven with plain system calls (write, fsync, rename,
// mmap + msync), as a broker would. Need root and /dev/fuse; without them they skip loudly.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"golang.org/x/sys/unix"
)

type mounted struct {
	ff      *faultFS
	server  *fuse.Server
	mnt     string
	backing string
}

func mountFS(t *testing.T) *mounted {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("SKIPPED LOUDLY: faultfs mount tests need root (DirectMount)")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skip("SKIPPED LOUDLY: faultfs mount tests need /dev/fuse")
	}
	dir := t.TempDir()
	m := &mounted{mnt: filepath.Join(dir, "m"), backing: filepath.Join(dir, "b")}
	for _, d := range []string{m.mnt, m.backing} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ff, err := newFaultFS(m.backing, m.backing+".trash", 42)
	if err != nil {
		t.Fatal(err)
	}
	root, err := newRoot(ff)
	if err != nil {
		t.Fatal(err)
	}
	server, err := fs.Mount(m.mnt, root, &fs.Options{MountOptions: fuse.MountOptions{DirectMount: true, Name: "faultfs", FsName: "faultfs"}})
	if err != nil {
		t.Fatal(err)
	}
	m.ff, m.server = ff, server
	t.Cleanup(func() { unmount(server, m.mnt) })
	return m
}

// cut is a power loss: drop, unmount.
func (m *mounted) cut(t *testing.T, torn bool, seed int64) cutReport {
	t.Helper()
	r := m.ff.cut(torn, seed)
	unmount(m.server, m.mnt)
	return r
}

func (m *mounted) p(name string) string { return filepath.Join(m.mnt, name) }

func (m *mounted) disk(name string) string {
	b, err := os.ReadFile(filepath.Join(m.backing, name))
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func writeFile(t *testing.T, path string, data string, sync bool) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(data); err != nil {
		t.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
}

func syncDir(t *testing.T, dir string) {
	t.Helper()
	d, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		t.Fatal(err)
	}
}

func TestMountUnsyncedReadableThenGone(t *testing.T) {
	m := mountFS(t)
	writeFile(t, m.p("synced"), "kept", true)
	f, _ := os.OpenFile(m.p("synced"), os.O_WRONLY|os.O_APPEND, 0)
	_, _ = f.WriteString("+lost")
	f.Close()
	writeFile(t, m.p("unsynced"), "lost", false)
	if b, _ := os.ReadFile(m.p("synced")); string(b) != "kept+lost" {
		t.Fatalf("read before the cut: %q", b)
	}
	if b, _ := os.ReadFile(m.p("unsynced")); string(b) != "lost" {
		t.Fatalf("unsynced read before the cut: %q", b)
	}
	r := m.cut(t, false, 0)
	if r.DroppedFiles != 2 || r.DroppedBytes == 0 || r.UndoneMetaOps != 1 {
		t.Fatalf("report %+v", r)
	}
	if got := m.disk("synced"); got != "kept" {
		t.Fatalf("synced after the cut: %q", got)
	}
	if _, err := os.Stat(filepath.Join(m.backing, "unsynced")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("never-fsynced file survived the cut: %v", err)
	}
}

func TestMountFdatasyncAndTruncate(t *testing.T) {
	m := mountFS(t)
	writeFile(t, m.p("f"), "0123456789", true)
	f, _ := os.OpenFile(m.p("f"), os.O_RDWR, 0)
	_ = f.Truncate(3)
	if st, _ := f.Stat(); st.Size() != 3 {
		t.Fatalf("size %d after truncate", st.Size())
	}
	f.Close()
	m.cut(t, false, 0)
	if got := m.disk("f"); got != "0123456789" {
		t.Fatalf("unsynced truncate survived: %q", got)
	}
	m2 := mountFS(t)
	writeFile(t, m2.p("g"), "abc", false)
	g, _ := os.OpenFile(m2.p("g"), os.O_RDWR, 0)
	if err := unix.Fdatasync(int(g.Fd())); err != nil {
		t.Fatal(err)
	}
	g.Close()
	m2.cut(t, false, 0)
	if got := m2.disk("g"); got != "abc" {
		t.Fatalf("fdatasynced file after the cut: %q", got)
	}
}

func mmapWrite(t *testing.T, path string, data string, msync bool) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(2 * pageSize); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	mem, err := unix.Mmap(int(f.Fd()), 0, 2*pageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	copy(mem[pageSize:], data)
	if msync {
		if err := unix.Msync(mem, unix.MS_SYNC); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMountMmapMsyncSurvives(t *testing.T) {
	m := mountFS(t)
	mmapWrite(t, m.p("mapped"), "through mmap", true)
	m.cut(t, false, 0)
	if got := m.disk("mapped"); got[pageSize:pageSize+12] != "through mmap" {
		t.Fatalf("msynced mmap write lost: %q", got[pageSize:pageSize+12])
	}
}

func TestMountMmapWithoutMsyncVanishes(t *testing.T) {
	m := mountFS(t)
	mmapWrite(t, m.p("mapped"), "through mmap", false)
	// The kernel writes the page back to faultfs at some point (here: munmap/close or unmount); it
	// must still be unsynced there.
	m.cut(t, false, 0)
	if got := m.disk("mapped"); got != string(make([]byte, 2*pageSize)) {
		t.Fatalf("mmap write without msync survived the cut")
	}
}

func TestMountRenameAndUnlinkDurability(t *testing.T) {
	m := mountFS(t)
	_ = os.Mkdir(m.p("d"), 0o755)
	syncDir(t, m.mnt)
	writeFile(t, m.p("d/ckpt"), "v1", true)
	writeFile(t, m.p("d/gone"), "x", true)
	syncDir(t, m.p("d"))
	writeFile(t, m.p("d/ckpt.tmp"), "v2", true)
	if err := os.Rename(m.p("d/ckpt.tmp"), m.p("d/ckpt")); err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(m.p("d/gone"))
	m.cut(t, false, 0)
	if got := m.disk("d/ckpt"); got != "v1" {
		t.Fatalf("rename without a dir fsync survived: ckpt %q", got)
	}
	if got := m.disk("d/gone"); got != "x" {
		t.Fatalf("unlink without a dir fsync survived: %q", got)
	}

	m2 := mountFS(t)
	_ = os.Mkdir(m2.p("d"), 0o755)
	writeFile(t, m2.p("d/ckpt.tmp"), "v2", true)
	writeFile(t, m2.p("d/gone"), "x", true)
	_ = os.Rename(m2.p("d/ckpt.tmp"), m2.p("d/ckpt"))
	_ = os.Remove(m2.p("d/gone"))
	syncDir(t, m2.p("d"))
	m2.cut(t, false, 0)
	if got := m2.disk("d/ckpt"); got != "v2" {
		t.Fatalf("rename after a dir fsync: %q", got)
	}
	if _, err := os.Stat(filepath.Join(m2.backing, "d/gone")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("unlink after a dir fsync came back")
	}
}

func TestMountDiskFaults(t *testing.T) {
	m := mountFS(t)
	writeFile(t, m.p("f"), "base", true)
	f, _ := os.OpenFile(m.p("f"), os.O_RDWR, 0)
	defer f.Close()
	expect := func(cmd string, op func() error, want syscall.Errno) {
		t.Helper()
		if r, _ := m.ff.command(cmd); r["ok"] != true {
			t.Fatalf("%s: %v", cmd, r)
		}
		if err := op(); !errors.Is(err, want) {
			t.Fatalf("%s: got %v, want %v", cmd, err, want)
		}
		m.ff.command("heal")
		if err := op(); err != nil {
			t.Fatalf("%s: after heal: %v", cmd, err)
		}
	}
	write := func() error { _, err := f.WriteAt([]byte("w"), 0); return err }
	expect("eio op=write", write, syscall.EIO)
	expect("eio op=fsync", f.Sync, syscall.EIO)
	expect("enospc", write, syscall.ENOSPC)
	expect("torn-write", func() error { _, err := f.WriteAt(bytes.Repeat([]byte("t"), 100), 0); return err }, syscall.EIO)
	m.ff.command("eio op=both match=other/")
	if err := write(); err != nil {
		t.Fatalf("a fault matching other/ hit f: %v", err)
	}
	m.ff.command("heal")

	m.ff.command("slow-fsync delayMs=50")
	start := time.Now()
	_ = f.Sync()
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Fatalf("slow fsync took %v", el)
	}
	m.ff.command("heal")

	_, _ = f.WriteAt([]byte("LIED"), 0)
	m.ff.command("fsync-lie")
	if err := f.Sync(); err != nil {
		t.Fatalf("lying fsync failed: %v", err)
	}
	f.Close()
	m.cut(t, false, 0)
	if got := m.disk("f"); got[:4] == "LIED" {
		t.Fatalf("fsync-lie persisted: %q", got)
	}
}

func TestMountTornCutKeepsASeededSubset(t *testing.T) {
	m := mountFS(t)
	writeFile(t, m.p("f"), "", true)
	const pages = 64
	data := make([]byte, pages*pageSize)
	for i := range data {
		data[i] = byte('A' + i/pageSize%26)
	}
	f, _ := os.OpenFile(m.p("f"), os.O_WRONLY, 0)
	_, _ = f.Write(data)
	f.Close()
	seed := time.Now().UnixNano()
	fmt.Printf("TestMountTornCutKeepsASeededSubset torn seed %d\n", seed)
	r := m.cut(t, true, seed)
	if r.KeptBytes == 0 || r.DroppedBytes == 0 {
		t.Fatalf("seed %d: torn cut kept %d dropped %d; want both non-zero", seed, r.KeptBytes, r.DroppedBytes)
	}
	got, _ := os.ReadFile(filepath.Join(m.backing, "f"))
	holes := 0
	for p := 0; p < pages && p*pageSize < len(got); p++ {
		pg := got[p*pageSize : min(len(got), (p+1)*pageSize)]
		if pg[0] == 0 {
			holes++
		} else if !bytes.Equal(pg, data[p*pageSize:p*pageSize+len(pg)]) {
			t.Fatalf("seed %d: page %d holds neither the write nor a hole", seed, p)
		}
	}
	if holes == 0 {
		t.Fatalf("seed %d: no hole below the torn tail", seed)
	}
}

// Writes racing fsyncs on the same file (a broker's writer and its flusher): every byte written
// before the final fsync must be on the disk after a cut. The kernel serializes write and fsync of
// one FUSE inode, so this checks the whole path end to end; it does not by itself reach the retire
// race that faultFS.apply closes (that needs mmap writeback, which runs outside the inode lock).
func TestMountWritesRacingFsyncsAreNeverLost(t *testing.T) {
	m := mountFS(t)
	writeFile(t, m.p("log"), "", true)
	f, err := os.OpenFile(m.p("log"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	const writers, records, size = 4, 1500, 64
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rec := make([]byte, size)
			for i := w; i < writers*records; i += writers {
				copy(rec, fmt.Sprintf("%063d", i))
				if _, err := f.WriteAt(rec, int64(i*size)); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				_ = f.Sync()
			}
		}
	}()
	wg.Wait()
	close(done)
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	m.cut(t, false, 0)
	got, _ := os.ReadFile(filepath.Join(m.backing, "log"))
	if len(got) != writers*records*size {
		t.Fatalf("disk holds %d bytes, want %d", len(got), writers*records*size)
	}
	for i := 0; i < writers*records; i++ {
		if want := fmt.Sprintf("%063d", i); string(got[i*size:i*size+63]) != want {
			t.Fatalf("record %d lost after an fsync that covered it", i)
		}
	}
}

// A direct directory (RocketMQ's config/ for a real broker) keeps everything under it as written:
// unsynced bytes, creates, the tmp-then-rename of a config file and removals survive a cut, while
// the store beside it still loses what it never synced.
func TestMountDirectDirectorySurvivesTheCut(t *testing.T) {
	m := mountFS(t)
	m.ff.direct["config"] = true
	if err := os.Mkdir(m.p("config"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, m.p("config/topics.json.tmp"), `{"mqbench":4}`, false)
	if err := os.Rename(m.p("config/topics.json.tmp"), m.p("config/topics.json")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, m.p("config/gone.json"), "x", false)
	if err := os.Remove(m.p("config/gone.json")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, m.p("commitlog"), "unsynced", false)
	r := m.cut(t, false, 0)
	if got := m.disk("config/topics.json"); got != `{"mqbench":4}` {
		t.Fatalf("direct config file after the cut: %q (report %+v)", got, r)
	}
	for _, gone := range []string{"config/topics.json.tmp", "config/gone.json", "commitlog"} {
		if _, err := os.Stat(filepath.Join(m.backing, gone)); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s exists after the cut: %v", gone, err)
		}
	}
	if r.UndoneMetaOps != 1 {
		t.Fatalf("only the store file's create is undone, report %+v", r)
	}
}

// A journal commit (-journal-commit, ext4's commit=5) makes entry changes and truncate-set sizes
// durable but never file bytes: a preallocated file keeps its length after a cut, filled with zeros
// where its unsynced writes were.
func TestMountJournalCommitKeepsEntriesAndSetSizesNotBytes(t *testing.T) {
	m := mountFS(t)
	f, err := os.OpenFile(m.p("prealloc"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(65536); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("unsynced"), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	writeFile(t, m.p("appended"), "also unsynced", false)
	if err := m.ff.commitJournal(); err != nil {
		t.Fatal(err)
	}
	writeFile(t, m.p("after-commit"), "x", false)
	r := m.cut(t, false, 0)
	if got := m.disk("prealloc"); len(got) != 65536 || got[:8] != "\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Fatalf("preallocated file after the cut: length %d, head %q (report %+v)", len(got), got[:min(8, len(got))], r)
	}
	if got := m.disk("appended"); got != "" {
		t.Fatalf("an appended file's bytes and size wait for writeback, got %q", got)
	}
	if _, err := os.Stat(filepath.Join(m.backing, "after-commit")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a create after the last commit survived: %v", err)
	}
}

// With a journal, an fsync of one file commits the running transaction: another file's creation and
// its truncate-set size (a preallocated segment) survive a cut that follows, its bytes do not.
func TestMountJournalFsyncCommitsTheRunningTransaction(t *testing.T) {
	m := mountFS(t)
	m.ff.journal = true
	f, err := os.OpenFile(m.p("next-segment"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(8192); err != nil {
		t.Fatal(err)
	}
	f.Close()
	writeFile(t, m.p("segment"), "synced", true)
	m.cut(t, false, 0)
	if got := m.disk("next-segment"); len(got) != 8192 {
		t.Fatalf("next-segment after the cut: length %d", len(got))
	}
	if got := m.disk("segment"); got != "synced" {
		t.Fatalf("segment after the cut: %q", got)
	}
}
