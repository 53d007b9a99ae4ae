package main

// Disk faults set through the control channel. Each applies to files whose path (relative to the
// mount) contains its match string ("" matches every file), from the command until heal.

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type fault struct {
	kind    string // eio, enospc, slow-fsync, fsync-lie, torn-write
	op      string // eio: write, fsync or both
	match   string
	delayMs int64
	jitter  int64
}

type faultSet struct {
	mu     sync.Mutex
	active map[string]fault
	rng    *rand.Rand
}

func newFaultSet(seed int64) *faultSet {
	return &faultSet{active: map[string]fault{}, rng: rand.New(rand.NewSource(seed))}
}

var faultKinds = map[string]bool{"eio": true, "enospc": true, "slow-fsync": true, "fsync-lie": true, "torn-write": true}

// parseFault reads `kind key=value...`; unknown kinds or keys are refused, naming the expected form.
func parseFault(kind string, args []string) (fault, error) {
	f := fault{kind: kind, op: "both"}
	if !faultKinds[kind] {
		return f, fmt.Errorf("unknown fault %q: expected eio, enospc, slow-fsync, fsync-lie or torn-write", kind)
	}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return f, fmt.Errorf("argument %q: expected key=value", a)
		}
		switch {
		case k == "match":
			f.match = v
		case k == "op" && kind == "eio" && (v == "write" || v == "fsync" || v == "both"):
			f.op = v
		case (k == "delayMs" || k == "jitterMs") && kind == "slow-fsync":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return f, fmt.Errorf("%s: expected a non-negative integer of ms, got %q", k, v)
			}
			if k == "delayMs" {
				f.delayMs = n
			} else {
				f.jitter = n
			}
		default:
			return f, fmt.Errorf("argument %q is not one %s takes", a, kind)
		}
	}
	return f, nil
}

func (s *faultSet) set(f fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active[f.kind] = f
}

// heal clears one kind, or every fault when kind is "".
func (s *faultSet) heal(kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind == "" {
		s.active = map[string]fault{}
		return
	}
	delete(s.active, kind)
}

func (s *faultSet) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{}
	for k := range s.active {
		out = append(out, k)
	}
	return out
}

func (s *faultSet) hit(kind, path string) (fault, bool) {
	f, ok := s.active[kind]
	return f, ok && strings.Contains(path, f.match)
}

// onWrite says how a write of n bytes to path fares: an errno to return, and how many bytes land
// first (torn-write lands a random prefix, then fails).
func (s *faultSet) onWrite(path string, n int) (syscall.Errno, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.active) == 0 {
		return 0, n
	}
	if f, ok := s.hit("eio", path); ok && f.op != "fsync" {
		return syscall.EIO, 0
	}
	if _, ok := s.hit("enospc", path); ok {
		return syscall.ENOSPC, 0
	}
	if _, ok := s.hit("torn-write", path); ok {
		if n == 0 {
			return syscall.EIO, 0
		}
		return syscall.EIO, s.rng.Intn(n)
	}
	return 0, n
}

// onCreate: a full disk refuses new files too.
func (s *faultSet) onCreate(path string) syscall.Errno {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.hit("enospc", path); ok {
		return syscall.ENOSPC
	}
	if f, ok := s.hit("eio", path); ok && f.op != "fsync" {
		return syscall.EIO
	}
	return 0
}

// onFsync returns the delay to sleep, an errno, and whether the fsync lies (success, nothing persisted).
func (s *faultSet) onFsync(path string) (time.Duration, syscall.Errno, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.active) == 0 {
		return 0, 0, false
	}
	var delay time.Duration
	if f, ok := s.hit("slow-fsync", path); ok {
		ms := f.delayMs
		if f.jitter > 0 {
			ms += s.rng.Int63n(2*f.jitter+1) - f.jitter
		}
		delay = time.Duration(max(ms, 0)) * time.Millisecond
	}
	if f, ok := s.hit("eio", path); ok && f.op != "write" {
		return delay, syscall.EIO, false
	}
	_, lie := s.hit("fsync-lie", path)
	return delay, 0, lie
}
