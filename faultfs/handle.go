package main

// An open file: reads and writes go through the file's overlay; the handle's own descriptor on the
// backing file serves reads while the file has no unsynced bytes.

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"golang.org/x/sys/unix"
)

type handle struct {
	n  *node
	fd int
}

var (
	_ fs.FileReader    = (*handle)(nil)
	_ fs.FileWriter    = (*handle)(nil)
	_ fs.FileFlusher   = (*handle)(nil)
	_ fs.FileReleaser  = (*handle)(nil)
	_ fs.FileGetattrer = (*handle)(nil)
	_ fs.FileAllocater = (*handle)(nil)
)

// reopen gives the overlay a read-write descriptor of its own, even when this handle is write-only
// or the file was unlinked since it was opened.
func (h *handle) reopen() (int, error) {
	return unix.Open(fmt.Sprintf("/proc/self/fd/%d", h.fd), unix.O_RDWR|unix.O_CLOEXEC, 0)
}

func (h *handle) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if h.n.ff.dead.Load() {
		return nil, syscall.EIO
	}
	if o := h.n.ff.overlayOf(h.n.key()); o != nil {
		n, err := o.read(dest, off)
		// Retired by an fsync meanwhile: everything it held is in the backing file now.
		if !errors.Is(err, errClosed) {
			if err != nil {
				return nil, fs.ToErrno(err)
			}
			return fuse.ReadResultData(dest[:n]), 0
		}
	}
	n, err := unix.Pread(h.fd, dest, off)
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	return fuse.ReadResultData(dest[:n]), 0
}

func (h *handle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if h.n.ff.dead.Load() {
		return 0, syscall.EIO
	}
	rel := h.n.rel()
	if h.n.ff.isDirect(rel) {
		n, err := unix.Pwrite(h.fd, data, off)
		return uint32(max(n, 0)), fs.ToErrno(err)
	}
	errno, lands := h.n.ff.faults.onWrite(rel, len(data))
	if lands == 0 && errno != 0 {
		return 0, errno
	}
	if err := h.n.withOverlay(h.reopen, func(o *overlay) error { return o.write(data[:lands], off) }); err != nil {
		return 0, fs.ToErrno(err)
	}
	if errno != 0 {
		return 0, errno
	}
	return uint32(len(data)), 0
}

// Flush is close(2): it makes nothing durable.
func (h *handle) Flush(ctx context.Context) syscall.Errno { return 0 }

func (h *handle) Release(ctx context.Context) syscall.Errno {
	return fs.ToErrno(unix.Close(h.fd))
}

func (h *handle) Getattr(ctx context.Context, out *fuse.AttrOut) syscall.Errno {
	var st syscall.Stat_t
	if err := syscall.Fstat(h.fd, &st); err != nil {
		return fs.ToErrno(err)
	}
	out.FromStat(&st)
	if o := h.n.ff.overlayOf(h.n.key()); o != nil {
		out.Size = uint64(o.getSize())
	}
	return 0
}

// Allocate: plain fallocate grows the logical size (unsynced, like a truncate); KEEP_SIZE only
// reserves blocks and passes through; other modes (punch hole, zero range) are not modelled.
func (h *handle) Allocate(ctx context.Context, off uint64, size uint64, mode uint32) syscall.Errno {
	if h.n.ff.dead.Load() {
		return syscall.EIO
	}
	if errno, _ := h.n.ff.faults.onWrite(h.n.rel(), 0); errno != 0 {
		return errno
	}
	switch mode {
	case 0:
		return fs.ToErrno(h.n.withOverlay(h.reopen, func(o *overlay) error { return o.extend(int64(off + size)) }))
	case unix.FALLOC_FL_KEEP_SIZE:
		return fs.ToErrno(unix.Fallocate(h.fd, mode, int64(off), int64(size)))
	}
	return syscall.EOPNOTSUPP
}
