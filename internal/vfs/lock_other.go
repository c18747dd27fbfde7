//go:build !unix

package vfs

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Without flock the lock only excludes other openers in this process. That
// keeps the package building everywhere; trackdb's supported targets are unix.
var processLocks struct {
	sync.Mutex
	held map[string]bool
}

func lockFile(name string) (io.Closer, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	processLocks.Lock()
	defer processLocks.Unlock()
	if processLocks.held[abs] {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", name, ErrLocked)
	}
	if processLocks.held == nil {
		processLocks.held = make(map[string]bool)
	}
	processLocks.held[abs] = true
	return &processLock{f: f, key: abs}, nil
}

type processLock struct {
	f    *os.File
	key  string
	once sync.Once
}

func (l *processLock) Close() error {
	var err error
	l.once.Do(func() {
		processLocks.Lock()
		delete(processLocks.held, l.key)
		processLocks.Unlock()
		err = l.f.Close()
	})
	return err
}
