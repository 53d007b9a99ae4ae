package main

import (
	"syscall"
	"testing"
	"time"
)

func TestParseFaultRefusesBadInput(t *testing.T) {
	for _, c := range [][]string{{"melt"}, {"eio", "op=read"}, {"slow-fsync", "delayMs=-1"}, {"enospc", "delayMs=3"}, {"eio", "write"}} {
		if _, err := parseFault(c[0], c[1:]); err == nil {
			t.Errorf("%v: accepted", c)
		}
	}
}

func TestFaultsApplyByMatchUntilHeal(t *testing.T) {
	s := newFaultSet(1)
	f, _ := parseFault("eio", []string{"op=write", "match=commitlog/"})
	s.set(f)
	if e, n := s.onWrite("commitlog/000", 10); e != syscall.EIO || n != 0 {
		t.Fatalf("commitlog write: %v %d", e, n)
	}
	if e, _ := s.onWrite("consumequeue/0", 10); e != 0 {
		t.Fatal("a write outside the match failed")
	}
	if _, e, _ := s.onFsync("commitlog/000"); e != 0 {
		t.Fatal("op=write failed an fsync")
	}
	s.heal("")
	if e, _ := s.onWrite("commitlog/000", 10); e != 0 {
		t.Fatal("still failing after heal")
	}
}

func TestSlowFsyncLieAndTorn(t *testing.T) {
	s := newFaultSet(7)
	slow, _ := parseFault("slow-fsync", []string{"delayMs=30"})
	lie, _ := parseFault("fsync-lie", nil)
	torn, _ := parseFault("torn-write", nil)
	s.set(slow)
	s.set(lie)
	s.set(torn)
	d, e, l := s.onFsync("x")
	if d != 30*time.Millisecond || e != 0 || !l {
		t.Fatalf("fsync: %v %v %v", d, e, l)
	}
	e2, n := s.onWrite("x", 100)
	if e2 != syscall.EIO || n >= 100 {
		t.Fatalf("torn write: %v %d", e2, n)
	}
}

func TestControlCommands(t *testing.T) {
	ff, err := newFaultFS(t.TempDir(), t.TempDir()+"/trash", 1)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := ff.command("eio op=fsync match=commitlog/"); r["ok"] != true {
		t.Fatalf("eio: %v", r)
	}
	if r, _ := ff.command("cut torn=x"); r["ok"] != false {
		t.Fatalf("bad cut accepted: %v", r)
	}
	if r, _ := ff.command("bogus"); r["ok"] != false {
		t.Fatalf("bogus accepted: %v", r)
	}
	if r, cut := ff.command("cut torn=5"); r["ok"] != true || !cut {
		t.Fatalf("cut: %v", r)
	}
}
