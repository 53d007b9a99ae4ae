// faultfs: a FUSE passthrough file system whose unsynced writes live in its own memory, so a power
// cut can drop exactly what a real disk would lose, and whose disks can fail on command. mqbench
// mounts one per broker store; see control.go for the control protocol and README.md.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

func main() {
	backing := flag.String("backing", "", "backing directory (plays the disk)")
	mountpoint := flag.String("mountpoint", "", "where to mount")
	control := flag.String("control", "", "unix socket path for the control channel")
	trash := flag.String("trash", "", "where removed entries wait until durable (default <backing>.trash; same file system as backing)")
	seed := flag.Int64("seed", time.Now().UnixNano(), "seed for torn-write prefixes and slow-fsync jitter")
	debug := flag.Bool("debug", false, "log every FUSE request")
	journal := flag.Duration("journal-commit", 0, "commit entry changes and truncate-set sizes every interval, as a journaling file system does (ext4: 5s); 0 = only fsyncs make them durable")
	var direct multiFlag
	flag.Var(&direct, "direct", "relative path (a file, or a directory and everything under it) written straight through and durable at once (repeatable)")
	flag.Parse()
	if *backing == "" || *mountpoint == "" || *control == "" {
		fmt.Fprintln(os.Stderr, "faultfs: expected -backing DIR -mountpoint DIR -control SOCKET")
		os.Exit(2)
	}
	if *trash == "" {
		*trash = filepath.Clean(*backing) + ".trash"
	}
	if err := run(*backing, *mountpoint, *control, *trash, *seed, *debug, direct, *journal); err != nil {
		fmt.Fprintf(os.Stderr, "faultfs: %v\n", err)
		os.Exit(1)
	}
}

func run(backing, mountpoint, control, trash string, seed int64, debug bool, direct []string, journal time.Duration) error {
	ff, err := newFaultFS(backing, trash, seed)
	if err != nil {
		return err
	}
	for _, d := range direct {
		ff.direct[filepath.Clean(d)] = true
	}
	root, err := newRoot(ff)
	if err != nil {
		return err
	}
	sec := time.Second
	server, err := fs.Mount(mountpoint, root, &fs.Options{
		AttrTimeout: &sec, EntryTimeout: &sec,
		MountOptions: fuse.MountOptions{
			DirectMount: true, FsName: "faultfs", Name: "faultfs", Debug: debug,
			AllowOther: true, MaxWrite: 1 << 20,
		},
	})
	if err != nil {
		return fmt.Errorf("mount %s: %w", mountpoint, err)
	}
	_ = os.Remove(control)
	l, err := net.Listen("unix", control)
	if err != nil {
		_ = server.Unmount()
		return err
	}
	defer l.Close()
	if journal > 0 {
		ff.journal = true
		stop := make(chan struct{})
		defer close(stop)
		go ff.journalCommits(journal, stop)
	}
	cut := make(chan struct{}, 1)
	go ff.serve(l, func() { cut <- struct{}{} })
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go watchParent(sigs)
	fmt.Printf("faultfs ready %s seed %d\n", mountpoint, seed)
	select {
	case <-cut:
		unmount(server, mountpoint)
		fmt.Println("faultfs cut: unmounted")
		return nil
	case <-sigs:
		// A clean shutdown: unmount first so the kernel writes back its dirty mmap pages to us, then land everything.
		unmount(server, mountpoint)
		if err := ff.syncAll(); err != nil {
			return fmt.Errorf("sync at shutdown: %w", err)
		}
		fmt.Println("faultfs stopped: synced and unmounted")
		return nil
	}
}

// unmount retries while the mount is busy, then detaches it lazily so no mount outlives us.
func unmount(server *fuse.Server, mountpoint string) {
	for i := 0; i < 20; i++ {
		if server.Unmount() == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = syscall.Unmount(mountpoint, syscall.MNT_DETACH)
}

type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// watchParent: an orchestrator killed with SIGKILL cannot unmount us; when it is gone we shut down
// cleanly ourselves, so no mount outlives its run.
func watchParent(sigs chan<- os.Signal) {
	parent := os.Getppid()
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			sigs <- syscall.SIGTERM
			return
		}
	}
}
