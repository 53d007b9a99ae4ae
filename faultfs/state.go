package main

// The file system's state: one overlay per backing inode with unsynced bytes, the metadata log,
// the active faults and the accounting the control channel reports.

import (
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

type faultFS struct {
	backing string
	// direct: relative paths written straight through, durable at once, with everything under them
	// (an orchestrator's evidence log kept in the store directory, e.g. the embedded broker's
	// flush.log, is not store data; a real broker's config/ directory kept out of the cut).
	direct map[string]bool
	// journal: a journaling file system (-journal-commit): besides the periodic commit, any fsync
	// commits the running transaction, every entry change and truncate-set size logged so far.
	journal bool
	mu      sync.Mutex
	// By backing inode and generation: the overlay outlives any one node or handle (the kernel may
	// forget a node while its unsynced bytes must stay), and a file that reuses a freed inode number
	// never inherits a dead file's overlay.
	overlays map[fileKey]*overlay
	meta     *metaLog
	faults   *faultSet
	dead     atomic.Bool
	fsyncs   atomic.Int64
	started  time.Time
	// fsyncs at the last stats call, for the per-second rate since then.
	lastFsyncs int64
	lastAt     time.Time
}

func newFaultFS(backing, trash string, seed int64) (*faultFS, error) {
	m, err := newMetaLog(backing, trash)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	return &faultFS{backing: backing, direct: map[string]bool{}, overlays: map[fileKey]*overlay{}, meta: m, faults: newFaultSet(seed), started: now, lastAt: now}, nil
}

// isDirect: rel or one of its ancestors was given with -direct. Its bytes and its entry changes
// bypass the overlays and the metadata log: a power cut leaves them as written.
func (f *faultFS) isDirect(rel string) bool {
	for d := range f.direct {
		if ancestorOrSelf(d, rel) {
			return true
		}
	}
	return false
}

func (f *faultFS) overlayOf(ino fileKey) *overlay {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overlays[ino]
}

// errPowerCut: an operation that began before the cut and finished after it. The disk is gone; it
// must not succeed (a write would land in a fresh overlay, an fsync would report bytes the cut dropped).
var errPowerCut error = unix.EIO

// overlayFor returns ino's overlay, creating it over a descriptor opened by open() when absent.
func (f *faultFS) overlayFor(ino fileKey, path string, open func() (int, error)) (*overlay, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dead.Load() {
		return nil, errPowerCut
	}
	if o := f.overlays[ino]; o != nil {
		o.path = path
		return o, nil
	}
	fd, err := open()
	if err != nil {
		return nil, err
	}
	o, err := newOverlay(fd, path)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	f.overlays[ino] = o
	return o, nil
}

// retire forgets an overlay an fsync left clean, closing its descriptor; a write that raced in
// since keeps it.
func (f *faultFS) retire(ino fileKey, o *overlay) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.overlays[ino] == o && o.close(true) {
		delete(f.overlays, ino)
	}
}

// apply runs fn on ino's current overlay (created when absent); when a concurrent fsync retired the
// one fetched, it runs again on the next: no write may land in a retired overlay and be lost.
func (f *faultFS) apply(ino fileKey, path string, open func() (int, error), fn func(*overlay) error) error {
	for {
		o, err := f.overlayFor(ino, path, open)
		if err != nil {
			return err
		}
		if err := fn(o); !errors.Is(err, errClosed) {
			return err
		}
	}
}

// syncFile lands ino's unsynced bytes, whichever overlay holds them now. One that loses the race
// with a power cut (the cut closed its overlay first) fails: what it was to land is gone.
func (f *faultFS) syncFile(ino fileKey) error {
	for {
		if f.dead.Load() {
			return errPowerCut
		}
		o := f.overlayOf(ino)
		if o == nil {
			return nil
		}
		_, err := o.sync()
		if errors.Is(err, errClosed) {
			continue
		}
		if err != nil {
			return err
		}
		f.retire(ino, o)
		return nil
	}
}

// fileKey names a backing file for the life of its inode (go-fuse's StableAttr: inode number and generation).
type fileKey struct{ ino, gen uint64 }

type stats struct {
	DirtyBytes   int64    `json:"dirtyBytes"`
	DirtyFiles   int      `json:"dirtyFiles"`
	PendingMeta  int      `json:"pendingMetaOps"`
	Fsyncs       int64    `json:"fsyncs"`
	FsyncsPerSec float64  `json:"fsyncsPerSec"`
	Faults       []string `json:"faults"`
}

func (f *faultFS) stats() stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := stats{PendingMeta: f.meta.pending(), Fsyncs: f.fsyncs.Load(), Faults: f.faults.names()}
	for _, o := range f.overlays {
		if d, b := o.dirty(); d {
			s.DirtyFiles++
			s.DirtyBytes += b
		}
	}
	now := time.Now()
	if el := now.Sub(f.lastAt).Seconds(); el > 0 {
		s.FsyncsPerSec = float64(s.Fsyncs-f.lastFsyncs) / el
	}
	f.lastFsyncs, f.lastAt = s.Fsyncs, now
	return s
}

type cutReport struct {
	DroppedBytes  int64   `json:"droppedBytes"`
	DroppedFiles  int     `json:"droppedFiles"`
	KeptBytes     int64   `json:"keptBytes"`
	UndoneMetaOps int     `json:"undoneMetaOps"`
	Fsyncs        int64   `json:"fsyncs"`
	FsyncsPerSec  float64 `json:"fsyncsPerSec"`
	Torn          bool    `json:"torn"`
	Seed          int64   `json:"seed"`
}

// cut is the power loss: from now on every operation fails, unsynced bytes go (a seeded subset of
// pages lands when torn), and unsynced metadata is undone.
func (f *faultFS) cut(torn bool, seed int64) cutReport {
	f.dead.Store(true)
	f.mu.Lock()
	defer f.mu.Unlock()
	r := cutReport{Torn: torn, Seed: seed, Fsyncs: f.fsyncs.Load()}
	if el := time.Since(f.started).Seconds(); el > 0 {
		r.FsyncsPerSec = float64(r.Fsyncs) / el
	}
	var rng *rand.Rand
	if torn {
		rng = rand.New(rand.NewSource(seed))
	}
	for ino, o := range f.overlays {
		if d, _ := o.dirty(); d {
			r.DroppedFiles++
		}
		dropped, kept := o.cut(rng)
		r.DroppedBytes += dropped
		r.KeptBytes += kept
		o.close(false)
		delete(f.overlays, ino)
	}
	r.UndoneMetaOps = f.meta.cut()
	return r
}

// syncAll is a clean shutdown: every unsynced byte and entry lands, as the kernel's sync at unmount.
func (f *faultFS) syncAll() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var first error
	for ino, o := range f.overlays {
		if _, err := o.sync(); err != nil && first == nil {
			first = err
		}
		o.close(false)
		delete(f.overlays, ino)
	}
	f.meta.syncedAll()
	return first
}

// commitJournal is what a journaling file system's periodic commit (ext4's commit=5) does: every
// logged entry change becomes durable, and so does each size set by truncate; file bytes do not.
func (f *faultFS) commitJournal() error {
	if f.dead.Load() {
		return nil
	}
	f.meta.syncedAll()
	f.mu.Lock()
	open := make([]*overlay, 0, len(f.overlays))
	for _, o := range f.overlays {
		open = append(open, o)
	}
	f.mu.Unlock()
	for _, o := range open {
		if err := o.commitSize(); err != nil && !errors.Is(err, errClosed) {
			return err
		}
	}
	return nil
}

// journalCommits runs commitJournal every interval until stop closes.
func (f *faultFS) journalCommits(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := f.commitJournal(); err != nil {
				fmt.Fprintf(os.Stderr, "faultfs: journal commit: %v\n", err)
			}
		}
	}
}
