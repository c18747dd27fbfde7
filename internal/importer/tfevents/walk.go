package tfevents

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// IsEventFile reports whether a file name is an event file's, by
// TensorBoard's rule: the name contains "tfevents".
func IsEventFile(name string) bool { return strings.Contains(name, "tfevents") }

// SubsetDirs are the directory names that Keras's TensorBoard callback
// writes beside each other for one run. An event directory with one of
// these names is imported into its parent's run, with the context
// {"subset": name}.
var SubsetDirs = []string{"train", "validation"}

// RunDir is one run found in a logdir: its directory and, per subset, the
// event files that go into it.
type RunDir struct {
	// Dir is the run's directory.
	Dir string
	// Name is Dir relative to the logdir, with slashes; the logdir's own
	// base name when the logdir itself holds the events.
	Name string
	// Files are the run's event files, each with the subset it belongs to
	// ("" for the run directory's own files), in path order.
	Files []File
}

// File is one event file of a run.
type File struct {
	Path   string
	Subset string
	Size   int64
}

// Walk finds the runs under logdir. A file path given as logdir is one
// run of one file.
func Walk(logdir string) ([]RunDir, error) {
	fi, err := os.Stat(logdir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		dir := filepath.Dir(logdir)
		return []RunDir{{Dir: dir, Name: filepath.Base(dir), Files: []File{{Path: logdir, Size: fi.Size()}}}}, nil
	}
	byDir := map[string]*RunDir{}
	err = filepath.WalkDir(logdir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !IsEventFile(d.Name()) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		dir, subset := filepath.Dir(path), ""
		if base := filepath.Base(dir); dir != logdir && isSubset(base) {
			dir, subset = filepath.Dir(dir), base
		}
		rd := byDir[dir]
		if rd == nil {
			rd = &RunDir{Dir: dir, Name: runName(logdir, dir)}
			byDir[dir] = rd
		}
		rd.Files = append(rd.Files, File{Path: path, Subset: subset, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]RunDir, 0, len(byDir))
	for _, rd := range byDir {
		sort.Slice(rd.Files, func(i, j int) bool { return rd.Files[i].Path < rd.Files[j].Path })
		out = append(out, *rd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out, nil
}

func isSubset(name string) bool {
	for _, s := range SubsetDirs {
		if name == s {
			return true
		}
	}
	return false
}

func runName(logdir, dir string) string {
	rel, err := filepath.Rel(logdir, dir)
	if err != nil || rel == "." {
		abs, _ := filepath.Abs(dir)
		return filepath.Base(abs)
	}
	return filepath.ToSlash(rel)
}
