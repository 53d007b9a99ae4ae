package main

// The volatile page cache of one backing file. Bytes written but not yet covered by an fsync live
// here, page by page, over the backing file (which plays the disk); reads see them. An fsync lands
// them in the backing file and fdatasyncs it; a power cut drops them (or, torn, lands a seeded random
// subset of pages: holes and torn tails, as LazyFS does).

import (
	"errors"
	"math/rand"
	"sort"
	"sync"

	"golang.org/x/sys/unix"
)

const pageSize = 4096

type overlay struct {
	mu   sync.Mutex
	path string // relative to the mount, for fault matching and reports; the last one seen
	fd   int    // our own O_RDWR descriptor on the backing file (follows the inode across rename/unlink)
	// pages holds the full logical content of each dirty page.
	pages map[int64][]byte
	// setSize: the size the last truncate set since the last sync or journal commit, -1 if none.
	setSize int64
	size    int64 // logical size, as the writer sees it
	// floor: the lowest size since the last sync; backing bytes at or beyond it were truncated away
	// and read as zero unless a dirty page covers them.
	floor       int64
	backingSize int64
	// closed: retired by retire() after an fsync left it clean; its descriptor is gone. A caller that
	// still holds it gets errClosed and fetches the file's current overlay (or reads the backing file).
	closed bool
}

var errClosed = errors.New("overlay retired")

func newOverlay(fd int, path string) (*overlay, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	return &overlay{path: path, fd: fd, pages: map[int64][]byte{}, size: st.Size, floor: st.Size, backingSize: st.Size, setSize: -1}, nil
}

// baseRead fills dest with the backing bytes at off as the disk holds them, zero past the floor.
func (o *overlay) baseRead(dest []byte, off int64) error {
	for i := range dest {
		dest[i] = 0
	}
	lim := min(o.floor, o.backingSize)
	if off >= lim {
		return nil
	}
	n := min(int64(len(dest)), lim-off)
	for done := int64(0); done < n; {
		r, err := unix.Pread(o.fd, dest[done:n], off+done)
		if err != nil {
			return err
		}
		if r == 0 {
			break
		}
		done += int64(r)
	}
	return nil
}

func (o *overlay) read(dest []byte, off int64) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, errClosed
	}
	if off >= o.size {
		return 0, nil
	}
	n := min(int64(len(dest)), o.size-off)
	dest = dest[:n]
	if err := o.baseRead(dest, off); err != nil {
		return 0, err
	}
	for p := off / pageSize; p*pageSize < off+n; p++ {
		pg, ok := o.pages[p]
		if !ok {
			continue
		}
		start := max(off, p*pageSize)
		end := min(off+n, (p+1)*pageSize)
		copy(dest[start-off:end-off], pg[start-p*pageSize:end-p*pageSize])
	}
	return int(n), nil
}

func (o *overlay) page(p int64) ([]byte, error) {
	if pg, ok := o.pages[p]; ok {
		return pg, nil
	}
	pg := make([]byte, pageSize)
	if p*pageSize < o.size {
		if err := o.baseRead(pg, p*pageSize); err != nil {
			return nil, err
		}
		// Bytes past the logical size are zero (a shrink then a write past the end leaves a hole).
		if tail := o.size - p*pageSize; tail < pageSize {
			clear(pg[tail:])
		}
	}
	o.pages[p] = pg
	return pg, nil
}

func (o *overlay) write(data []byte, off int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errClosed
	}
	end := off + int64(len(data))
	for p := off / pageSize; p*pageSize < end; p++ {
		pg, err := o.page(p)
		if err != nil {
			return err
		}
		start := max(off, p*pageSize)
		stop := min(end, (p+1)*pageSize)
		copy(pg[start-p*pageSize:stop-p*pageSize], data[start-off:stop-off])
	}
	o.size = max(o.size, end)
	return nil
}

func (o *overlay) truncate(size int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errClosed
	}
	if size < o.size {
		for p := range o.pages {
			if p*pageSize >= size {
				delete(o.pages, p)
			}
		}
		if pg, ok := o.pages[size/pageSize]; ok {
			clear(pg[size%pageSize:])
		}
		o.floor = min(o.floor, size)
	}
	o.size = size
	o.setSize = size
	return nil
}

// commitSize is a metadata journal commit for this file: a size set by truncate (ftruncate,
// RandomAccessFile.setLength) is inode metadata, journaled, while appended bytes and the size they
// imply wait for writeback (ordered mode never exposes a size whose bytes are not on the disk).
// Lands only that size (zeros or a shorter file), never the pages.
func (o *overlay) commitSize() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.setSize < 0 || o.setSize == o.backingSize && o.floor >= o.backingSize {
		return nil
	}
	if o.floor < o.backingSize {
		if err := unix.Ftruncate(o.fd, min(o.floor, o.setSize)); err != nil {
			return err
		}
	}
	if err := unix.Ftruncate(o.fd, o.setSize); err != nil {
		return err
	}
	o.backingSize = o.setSize
	o.floor = o.setSize
	o.setSize = -1
	return nil
}

// extend grows the logical size to at least size (fallocate); never shrinks.
func (o *overlay) extend(size int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return errClosed
	}
	o.size = max(o.size, size)
	return nil
}

func (o *overlay) getSize() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.size
}

// dirty reports whether anything differs from the backing file, and the dirty page bytes.
func (o *overlay) dirty() (bool, int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return false, 0
	}
	return len(o.pages) > 0 || o.size != o.backingSize || o.floor != o.backingSize, int64(len(o.pages)) * pageSize
}

func (o *overlay) sortedPages() []int64 {
	ps := make([]int64, 0, len(o.pages))
	for p := range o.pages {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

func (o *overlay) landPage(p int64) error {
	pg := o.pages[p]
	n := min(int64(pageSize), o.size-p*pageSize)
	if n <= 0 {
		return nil
	}
	_, err := unix.Pwrite(o.fd, pg[:n], p*pageSize)
	return err
}

// sync lands every dirty byte and the logical size in the backing file and fdatasyncs it.
func (o *overlay) sync() (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, errClosed
	}
	if o.floor < o.backingSize {
		if err := unix.Ftruncate(o.fd, o.floor); err != nil {
			return 0, err
		}
	}
	landed := int64(0)
	for _, p := range o.sortedPages() {
		if err := o.landPage(p); err != nil {
			return landed, err
		}
		landed += pageSize
	}
	if err := unix.Ftruncate(o.fd, o.size); err != nil {
		return landed, err
	}
	if err := unix.Fdatasync(o.fd); err != nil {
		return landed, err
	}
	o.pages = map[int64][]byte{}
	o.floor, o.backingSize, o.setSize = o.size, o.size, -1
	return landed, nil
}

// cut is the power loss for this file: every dirty page is dropped, except that with rng (torn mode)
// each page independently survives with probability 1/2. Returns the bytes dropped and kept.
func (o *overlay) cut(rng *rand.Rand) (dropped, kept int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, 0
	}
	for _, p := range o.sortedPages() {
		if rng != nil && rng.Intn(2) == 0 && o.landPage(p) == nil {
			kept += pageSize
			continue
		}
		dropped += pageSize
	}
	if rng != nil && kept > 0 {
		_ = unix.Fdatasync(o.fd)
	}
	o.pages = map[int64][]byte{}
	return dropped, kept
}

// close retires the overlay for good (under its lock, so no write can slip in after the check).
func (o *overlay) close(onlyIfClean bool) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || (onlyIfClean && (len(o.pages) > 0 || o.size != o.backingSize || o.floor != o.backingSize)) {
		return false
	}
	o.closed = true
	unix.Close(o.fd)
	return true
}
