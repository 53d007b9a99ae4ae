package main

// The control channel: a unix socket speaking one command per line and answering one JSON line.
//
//	stats                                  dirty bytes/files, pending metadata, fsyncs and fsyncs/s
//	eio op=write|fsync|both [match=S]      writes and/or fsyncs fail with EIO until heal
//	enospc [match=S]                       writes, truncates and creates fail with ENOSPC until heal
//	slow-fsync delayMs=N [jitterMs=N] [match=S]
//	fsync-lie [match=S]                    fsync succeeds and persists nothing
//	torn-write [match=S]                   each write lands a random prefix, then fails with EIO
//	heal [kind]                            clears one fault, or all
//	cut [torn=SEED]                        power loss: drop unsynced bytes (torn: keep a seeded random
//	                                       subset of pages), undo unsynced metadata, then unmount and exit
//
// match=S limits a fault to paths (relative to the mount) containing S, e.g. match=commitlog/.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
)

type reply map[string]any

// command runs one control line; cut reports true so the caller unmounts after answering.
func (f *faultFS) command(line string) (reply, bool) {
	words := strings.Fields(line)
	if len(words) == 0 {
		return reply{"ok": false, "error": "empty command"}, false
	}
	switch words[0] {
	case "stats":
		return reply{"ok": true, "stats": f.stats()}, false
	case "heal":
		kind := ""
		if len(words) > 1 {
			kind = words[1]
		}
		f.faults.heal(kind)
		return reply{"ok": true}, false
	case "cut":
		torn, seed, err := parseCut(words[1:])
		if err != nil {
			return reply{"ok": false, "error": err.Error()}, false
		}
		r := f.cut(torn, seed)
		// The log keeps every cut's accounting (and a torn cut's seed) next to the run.
		if b, err := json.Marshal(r); err == nil {
			fmt.Printf("faultfs cut %s\n", b)
		}
		return reply{"ok": true, "cut": r}, true
	}
	flt, err := parseFault(words[0], words[1:])
	if err != nil {
		return reply{"ok": false, "error": err.Error()}, false
	}
	f.faults.set(flt)
	return reply{"ok": true}, false
}

func parseCut(args []string) (bool, int64, error) {
	if len(args) == 0 {
		return false, 0, nil
	}
	v, ok := strings.CutPrefix(args[0], "torn=")
	seed, err := strconv.ParseInt(v, 10, 64)
	if !ok || err != nil || len(args) > 1 {
		return false, 0, fmt.Errorf("cut: expected no argument or torn=<integer seed>, got %q", strings.Join(args, " "))
	}
	return true, seed, nil
}

// serve answers control connections until the listener closes; onCut runs after a cut's answer is sent.
func (f *faultFS) serve(l net.Listener, onCut func()) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go f.session(c, onCut)
	}
}

func (f *faultFS) session(c net.Conn, onCut func()) {
	defer c.Close()
	sc := bufio.NewScanner(c)
	enc := json.NewEncoder(c)
	for sc.Scan() {
		r, cut := f.command(sc.Text())
		_ = enc.Encode(r)
		if cut {
			onCut()
			return
		}
	}
}
