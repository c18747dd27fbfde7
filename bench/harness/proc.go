package harness

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// peakRSS returns the process' peak resident set size (VmHWM) in bytes.
func peakRSS() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("VmHWM: unexpected %q", rest)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

// dirSize returns the bytes of the regular files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}

// copyDir copies the regular files and directories under src to dst, as
// they are at this moment: the image a process killed now leaves behind
// (the OS keeps what was written, whether or not it was fsynced).
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // renamed or removed by the running store meanwhile
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := copyFile(path, to); !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// dirBreakdown renders the bytes under each top-level entry of dir:
// "wal 12.3 MB, chunks_head 4.1 MB".
func dirBreakdown(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	// Group what repeats: Pebble's numbered *.log and *.sst files,
	// Prometheus' block directories (named by 26-character ULIDs).
	var order []string
	sizes := map[string]int64{}
	counts := map[string]int{}
	for _, e := range entries {
		n, err := dirSize(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		kind := e.Name()
		switch {
		case e.IsDir() && len(kind) == 26:
			kind = "blocks"
		case !e.IsDir() && filepath.Ext(kind) != "" && strings.Trim(strings.TrimSuffix(kind, filepath.Ext(kind)), "0123456789") == "":
			kind = "*" + filepath.Ext(kind)
		}
		if _, ok := sizes[kind]; !ok {
			order = append(order, kind)
		}
		sizes[kind] += n
		counts[kind]++
	}
	var parts []string
	for _, k := range order {
		if sizes[k] == 0 {
			continue
		}
		name := k
		if counts[k] > 1 {
			name = fmt.Sprintf("%s (%d)", k, counts[k])
		}
		parts = append(parts, fmt.Sprintf("%s %.1f MB", name, float64(sizes[k])/1e6))
	}
	return strings.Join(parts, ", "), nil
}

// copyStable copies src to dst while nothing in src changes: a store's
// background work (compactions, block writes) can rename and delete files
// while the copy runs, so the copy is retried until the listing before and
// after it agree. The result is the image of a process killed between two
// writes.
func copyStable(src, dst string) error {
	for attempt := 0; attempt < 100; attempt++ {
		before, err := listing(src)
		if err != nil {
			return err
		}
		if err := os.RemoveAll(dst); err != nil {
			return err
		}
		if err := copyDir(src, dst); err != nil {
			return err
		}
		after, err := listing(src)
		if err != nil {
			return err
		}
		if before == after {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("copy %s: the store kept changing", src)
}

// listing describes every file under dir: path, size and modification time.
func listing(dir string) (string, error) {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %d\n", path, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return b.String(), err
}
