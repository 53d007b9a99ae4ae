package main

// The FUSE nodes: go-fuse's loopback, with data going through overlays, entry changes through the
// metadata log and every operation through the fault set.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
	"golang.org/x/sys/unix"
)

type node struct {
	fs.LoopbackNode
	ff *faultFS
}

func newRoot(ff *faultFS) (fs.InodeEmbedder, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(ff.backing, &st); err != nil {
		return nil, err
	}
	root := &fs.LoopbackRoot{Path: ff.backing, Dev: uint64(st.Dev)}
	root.NewNode = func(r *fs.LoopbackRoot, _ *fs.Inode, _ string, _ *syscall.Stat_t) fs.InodeEmbedder {
		return &node{LoopbackNode: fs.LoopbackNode{RootData: r}, ff: ff}
	}
	n := root.NewNode(root, nil, "", &st)
	root.RootNode = n
	return n, nil
}

func (n *node) rel() string { return n.Path(n.Root()) }

func (n *node) abs() string { return filepath.Join(n.ff.backing, n.rel()) }

func (n *node) child(name string) string { return filepath.Join(n.rel(), name) }

func (n *node) key() fileKey { return keyOf(n.StableAttr()) }

func keyOf(a fs.StableAttr) fileKey { return fileKey{a.Ino, a.Gen} }

// withOverlay runs fn on this file's current overlay (see faultFS.apply).
func (n *node) withOverlay(open func() (int, error), fn func(*overlay) error) error {
	return n.ff.apply(n.key(), n.rel(), open, fn)
}

func (n *node) openByPath() (int, error) { return unix.Open(n.abs(), unix.O_RDWR|unix.O_CLOEXEC, 0) }

var (
	_ fs.NodeOpener         = (*node)(nil)
	_ fs.NodeCreater        = (*node)(nil)
	_ fs.NodeGetattrer      = (*node)(nil)
	_ fs.NodeSetattrer      = (*node)(nil)
	_ fs.NodeFsyncer        = (*node)(nil)
	_ fs.NodeUnlinker       = (*node)(nil)
	_ fs.NodeRmdirer        = (*node)(nil)
	_ fs.NodeRenamer        = (*node)(nil)
	_ fs.NodeMkdirer        = (*node)(nil)
	_ fs.NodeCopyFileRanger = (*node)(nil)
)

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if n.ff.dead.Load() {
		return nil, 0, syscall.EIO
	}
	return n.openAt(n.abs(), flags)
}

// openAt opens the backing file at abs (a node just created is not in the tree yet, so its parent
// names the path).
func (n *node) openAt(abs string, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	// O_TRUNC is a size change like any other: it stays in the overlay until an fsync.
	fd, err := unix.Open(abs, int(flags)&^(unix.O_APPEND|unix.O_TRUNC|unix.O_CREAT|unix.O_EXCL)|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, fs.ToErrno(err)
	}
	h := &handle{n: n, fd: fd}
	if flags&unix.O_TRUNC != 0 && flags&unix.O_ACCMODE != unix.O_RDONLY {
		if err := n.withOverlay(h.reopen, func(o *overlay) error { return o.truncate(0) }); err != nil {
			unix.Close(fd)
			return nil, 0, fs.ToErrno(err)
		}
	}
	return h, 0, 0
}

func (n *node) Create(ctx context.Context, name string, flags uint32, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	if n.ff.dead.Load() {
		return nil, nil, 0, syscall.EIO
	}
	if e := n.ff.faults.onCreate(n.child(name)); e != 0 {
		return nil, nil, 0, e
	}
	_, existed := os.Lstat(filepath.Join(n.abs(), name))
	inode, lf, _, errno := n.LoopbackNode.Create(ctx, name, flags&^unix.O_TRUNC, mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	if r, ok := lf.(fs.FileReleaser); ok {
		r.Release(ctx)
	}
	if existed != nil && !n.ff.isDirect(n.child(name)) {
		n.ff.meta.created(n.child(name))
	}
	c := inode.Operations().(*node)
	fh, _, errno := c.openAt(filepath.Join(n.abs(), name), flags&^unix.O_CREAT)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	return inode, fh, 0, 0
}

func (n *node) Mkdir(ctx context.Context, name string, mode uint32, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if n.ff.dead.Load() {
		return nil, syscall.EIO
	}
	if e := n.ff.faults.onCreate(n.child(name)); e != 0 {
		return nil, e
	}
	inode, errno := n.LoopbackNode.Mkdir(ctx, name, mode, out)
	if errno == 0 && !n.ff.isDirect(n.child(name)) {
		n.ff.meta.created(n.child(name))
	}
	return inode, errno
}

func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	if n.ff.dead.Load() {
		return syscall.EIO
	}
	return n.removeEntry(name)
}

// removeEntry: a logged removal (undone by a cut until durable), or a plain one under a direct path.
func (n *node) removeEntry(name string) syscall.Errno {
	if n.ff.isDirect(n.child(name)) {
		return fs.ToErrno(os.Remove(filepath.Join(n.abs(), name)))
	}
	return fs.ToErrno(n.ff.meta.remove(n.child(name)))
}

func (n *node) Rmdir(ctx context.Context, name string) syscall.Errno {
	if n.ff.dead.Load() {
		return syscall.EIO
	}
	entries, err := os.ReadDir(filepath.Join(n.abs(), name))
	if err != nil {
		return fs.ToErrno(err)
	}
	if len(entries) > 0 {
		return syscall.ENOTEMPTY
	}
	return n.removeEntry(name)
}

func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if n.ff.dead.Load() {
		return syscall.EIO
	}
	np, ok := newParent.(*node)
	if !ok {
		return syscall.EXDEV
	}
	to := np.child(newName)
	switch flags {
	case 0:
	case unix.RENAME_NOREPLACE:
		if _, err := os.Lstat(filepath.Join(n.ff.backing, to)); err == nil {
			return syscall.EEXIST
		}
	default:
		// RENAME_EXCHANGE and whiteouts are not modelled.
		return syscall.EINVAL
	}
	if st, err := os.Lstat(filepath.Join(n.ff.backing, to)); err == nil && st.IsDir() {
		if entries, _ := os.ReadDir(filepath.Join(n.ff.backing, to)); len(entries) > 0 {
			return syscall.ENOTEMPTY
		}
	}
	if n.ff.isDirect(n.child(name)) && n.ff.isDirect(to) {
		return fs.ToErrno(os.Rename(filepath.Join(n.ff.backing, n.child(name)), filepath.Join(n.ff.backing, to)))
	}
	return fs.ToErrno(n.ff.meta.rename(n.child(name), to))
}

// CopyFileRange would copy backing bytes behind the overlays' back; ENOSYS makes the kernel fall back
// to reads and writes.
func (n *node) CopyFileRange(ctx context.Context, fhIn fs.FileHandle, offIn uint64, out *fs.Inode, fhOut fs.FileHandle, offOut uint64, length uint64, flags uint64) (uint32, syscall.Errno) {
	return 0, syscall.ENOSYS
}

func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if h, ok := f.(*handle); ok {
		return h.Getattr(ctx, out)
	}
	if errno := n.LoopbackNode.Getattr(ctx, nil, out); errno != 0 {
		return errno
	}
	if o := n.ff.overlayOf(n.key()); o != nil {
		out.Size = uint64(o.getSize())
	}
	return 0
}

func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if n.ff.dead.Load() {
		return syscall.EIO
	}
	if size, ok := in.GetSize(); ok && !n.ff.isDirect(n.rel()) {
		if e, _ := n.ff.faults.onWrite(n.rel(), 0); e != 0 {
			return e
		}
		if err := n.withOverlay(n.openByPath, func(o *overlay) error { return o.truncate(int64(size)) }); err != nil {
			return fs.ToErrno(err)
		}
		in.Valid &^= fuse.FATTR_SIZE
	}
	if errno := n.LoopbackNode.Setattr(ctx, nil, in, out); errno != 0 {
		return errno
	}
	if o := n.ff.overlayOf(n.key()); o != nil {
		out.Size = uint64(o.getSize())
	}
	return 0
}

// Fsync serves fsync, fdatasync and msync(MS_SYNC) of files, and fsync of directories.
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	if n.ff.dead.Load() {
		return syscall.EIO
	}
	n.ff.fsyncs.Add(1)
	rel := n.rel()
	delay, errno, lie := n.ff.faults.onFsync(rel)
	if delay > 0 {
		time.Sleep(delay)
	}
	if errno != 0 || lie {
		return errno
	}
	if n.IsDir() {
		n.ff.meta.syncedDir(rel)
	} else {
		if err := n.ff.syncFile(n.key()); err != nil {
			return fs.ToErrno(err)
		}
		n.ff.meta.syncedFile(rel)
	}
	if n.ff.journal {
		return fs.ToErrno(n.ff.commitJournal())
	}
	return 0
}

func (n *node) String() string { return fmt.Sprintf("faultfs node %s", n.rel()) }

// Lookup reports the logical size: the backing file's is stale while bytes are unsynced.
func (n *node) Lookup(ctx context.Context, name string, out *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	if n.ff.dead.Load() {
		return nil, syscall.EIO
	}
	inode, errno := n.LoopbackNode.Lookup(ctx, name, out)
	if errno == 0 {
		if o := n.ff.overlayOf(keyOf(inode.StableAttr())); o != nil {
			out.Attr.Size = uint64(o.getSize())
		}
	}
	return inode, errno
}

// loopbackDir is what go-fuse's loopback directory stream offers.
type loopbackDir interface {
	fs.FileReaddirenter
	fs.FileSeekdirer
	fs.FileReleasedirer
	fs.FileFsyncdirer
}

// dirHandle routes fsync of a directory to the metadata log; the rest is the loopback stream.
type dirHandle struct {
	loopbackDir
	n *node
}

func (d *dirHandle) Fsyncdir(ctx context.Context, flags uint32) syscall.Errno {
	return d.n.Fsync(ctx, nil, flags)
}

func (n *node) OpendirHandle(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	if n.ff.dead.Load() {
		return nil, 0, syscall.EIO
	}
	h, fuseFlags, errno := n.LoopbackNode.OpendirHandle(ctx, flags)
	if errno != 0 {
		return nil, 0, errno
	}
	ld, ok := h.(loopbackDir)
	if !ok {
		return h, fuseFlags, 0
	}
	return &dirHandle{loopbackDir: ld, n: n}, fuseFlags, 0
}
