package engine

import (
	"fmt"
	"io"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// snapshotFS takes a crash clone of its MemFS before every operation that
// changes durable state, so a test can reopen the store as a crash at each
// of those moments would have left it.
type snapshotFS struct {
	*vfs.MemFS
	on    bool
	clone []*vfs.MemFS
}

func (s *snapshotFS) snap() {
	if s.on {
		s.clone = append(s.clone, s.MemFS.CrashClone())
	}
}

func (s *snapshotFS) Create(name string) (vfs.File, error) {
	s.snap()
	f, err := s.MemFS.Create(name)
	if err != nil {
		return nil, err
	}
	return &snapshotFile{f, s}, nil
}
func (s *snapshotFS) OpenDir(name string) (vfs.File, error) {
	f, err := s.MemFS.OpenDir(name)
	if err != nil {
		return nil, err
	}
	return &snapshotFile{f, s}, nil
}
func (s *snapshotFS) Rename(a, b string) error               { s.snap(); return s.MemFS.Rename(a, b) }
func (s *snapshotFS) Remove(name string) error               { s.snap(); return s.MemFS.Remove(name) }
func (s *snapshotFS) RemoveAll(name string) error            { s.snap(); return s.MemFS.RemoveAll(name) }
func (s *snapshotFS) MkdirAll(d string, p os.FileMode) error { s.snap(); return s.MemFS.MkdirAll(d, p) }
func (s *snapshotFS) Lock(name string) (io.Closer, error)    { return s.MemFS.Lock(name) }

type snapshotFile struct {
	vfs.File
	fs *snapshotFS
}

func (f *snapshotFile) Sync() error {
	f.fs.snap()
	err := f.File.Sync()
	f.fs.snap()
	return err
}

// storeContents reads every run's tags and every series' points.
func storeContents(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	runs, err := db.Runs()
	require.NoError(t, err)
	for _, r := range runs {
		keys := make([]string, 0, len(r.Tags))
		for k := range r.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out[r.ID+"/tag/"+k] = r.Tags[k]
		}
		series, err := db.SeriesOf(r.ID)
		require.NoError(t, err)
		for _, s := range series {
			out[r.ID+"/"+s.Metric+s.Context.String()] = fmt.Sprint(readAll(t, db, s.Ref), s.Summary)
		}
	}
	return out
}

func logSome(t *testing.T, db *DB, runs []string, from, to int64) {
	t.Helper()
	for s := from; s < to; s++ {
		for i, r := range runs {
			require.NoError(t, db.Log(r, s, 1000*s+int64(i), map[string]float64{"loss": 1 / float64(s+1), "acc": float64(s%7) / 7}, nil))
		}
		if s%10 == 0 {
			require.NoError(t, db.Log(runs[0], s, 1000*s+500, map[string]float64{"acc": float64(s)}, Context{"subset": "val"}))
		}
	}
}

// TestCompactionCrashAtEveryStep crashes at every durable-state change of a
// flush plus a merge of several blocks (before and after each fsync,
// create, rename and removal) and requires every reopen to show exactly
// the data written before the compaction: nothing lost, nothing doubled,
// no half block.
func TestCompactionCrashAtEveryStep(t *testing.T) {
	fs := &snapshotFS{MemFS: vfs.NewMem()}
	o := &Options{FS: fs, Sync: SyncAlways, ChunkSamples: 16, FlushPoints: -1}
	db, err := Open("/db", o)
	require.NoError(t, err)
	runs := []string{"a", "b", "gone"}
	for _, r := range runs {
		_, err := db.CreateRun(RunSpec{ID: r, Params: map[string]any{"lr": 0.1}})
		require.NoError(t, err)
	}
	for i := range int64(3) {
		logSome(t, db, runs, i*40, i*40+40)
		require.NoError(t, db.SetTags("a", map[string]string{"round": fmt.Sprint(i)}))
		require.NoError(t, db.compactAuto())
	}
	require.NoError(t, db.DeleteRun("gone"))
	logSome(t, db, runs[:2], 120, 150)
	want := storeContents(t, db)

	fs.on = true
	require.NoError(t, db.Compact())
	fs.on = false
	require.Equal(t, want, storeContents(t, db))
	require.NoError(t, db.Close())
	clones := append(fs.clone, fs.MemFS.CrashClone())
	require.Greater(t, len(clones), 20)
	t.Logf("%d crash points", len(clones))
	for i, c := range clones {
		db, err := Open("/db", &Options{FS: c, FlushPoints: -1})
		require.NoError(t, err, "crash point %d", i)
		require.Equal(t, want, storeContents(t, db), "crash point %d", i)
		checkConsistent(t, db)
		require.NoError(t, db.Close())
	}
	// After the last point the deleted run's bytes are gone from disk.
	db, err = Open("/db", &Options{FS: fs.MemFS.CrashClone(), FlushPoints: -1})
	require.NoError(t, err)
	defer db.Close()
	require.Len(t, db.mu.blocks, 1)
	for _, s := range db.mu.blocks[0].series {
		require.NotEqual(t, "gone", db.mu.head.runs[s.runRef].id)
	}
	require.Empty(t, db.mu.blocks[0].tombs)
}

func TestDeleteRun(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{FlushPoints: -1})
	for _, r := range []string{"keep", "drop"} {
		_, err := db.CreateRun(RunSpec{ID: r})
		require.NoError(t, err)
	}
	logSome(t, db, []string{"keep", "drop"}, 0, 50)
	require.NoError(t, db.Compact())
	dropRef := mustRef(t, db, "drop", "loss", nil)
	require.NoError(t, db.DeleteRun("drop"))
	_, err := db.Run("drop")
	require.ErrorIs(t, err, ErrRunNotFound)
	_, err = db.Points(dropRef, MinStep, MaxStep)
	require.ErrorIs(t, err, ErrSeriesNotFound)
	runs, err := db.Runs()
	require.NoError(t, err)
	require.Len(t, runs, 1)
	require.ErrorIs(t, db.DeleteRun("drop"), ErrRunNotFound)

	// Invisible across a reopen before any compaction, too.
	require.NoError(t, db.Close())
	db = openMem(t, fs, &Options{FlushPoints: -1})
	_, err = db.Run("drop")
	require.ErrorIs(t, err, ErrRunNotFound)
	// The ID can be used again; the new run starts empty.
	_, err = db.CreateRun(RunSpec{ID: "drop"})
	require.NoError(t, err)
	series, err := db.SeriesOf("drop")
	require.NoError(t, err)
	require.Empty(t, series)
	require.NoError(t, db.Compact())
	require.Len(t, db.mu.blocks, 1)
	for _, s := range db.mu.blocks[0].series {
		require.NotEqual(t, dropRef, s.ref)
	}
	require.Len(t, readAll(t, db, mustRef(t, db, "keep", "loss", nil)), 50)
}

func TestRetention(t *testing.T) {
	db := openMem(t, vfs.NewMem(), &Options{RetainFinished: 1000 * 3600 * 24 * 1e6, FlushPoints: -1})
	_, err := db.CreateRun(RunSpec{ID: "old", Status: StatusFinished, StartTime: 1, EndTime: 2})
	require.NoError(t, err)
	_, err = db.CreateRun(RunSpec{ID: "running", StartTime: 1})
	require.NoError(t, err)
	require.NoError(t, db.Compact())
	_, err = db.Run("old")
	require.ErrorIs(t, err, ErrRunNotFound)
	_, err = db.Run("running")
	require.NoError(t, err)
}

func TestManyBlocksReadAndReopen(t *testing.T) {
	fs := vfs.NewMem()
	opts := &Options{ChunkSamples: 16, FlushPoints: -1}
	db := openMem(t, fs, opts)
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	var want []Point
	for round := range int64(9) {
		for s := range int64(30) {
			step := s*3 + round%3 // overlapping, repeated steps across blocks
			tm := round*1000 + s
			require.NoError(t, db.Log("r", step, tm, map[string]float64{"m": float64(round*100 + s)}, nil))
			want = append(want, Point{step, tm, float64(round*100 + s)})
		}
		require.NoError(t, db.compactAuto())
	}
	sort.SliceStable(want, func(i, j int) bool { return want[i].Step < want[j].Step })
	require.LessOrEqual(t, len(db.mu.blocks), 2*mergeFanIn)
	samePoints(t, want, readAll(t, db, mustRef(t, db, "r", "m", nil)))
	require.NoError(t, db.Close())
	db = openMem(t, fs, opts)
	samePoints(t, want, readAll(t, db, mustRef(t, db, "r", "m", nil)))
	require.Zero(t, db.Replayed().Points, "everything was in blocks")
	s, err := db.LookupSeries("r", "m", nil)
	require.NoError(t, err)
	require.Equal(t, int64(len(want)), s.Summary.Count)
	require.NoError(t, db.Compact())
	samePoints(t, want, readAll(t, db, mustRef(t, db, "r", "m", nil)))
}

// TestHalfRemovedParent reopens a store where a crash interrupted the
// removal of a merged block's parent (the OS removes files one by one):
// the leftover is removed, and a block that is nobody's parent and does
// not open is still an error.
func TestHalfRemovedParent(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{FlushPoints: -1})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for i := range int64(3) {
		logSome(t, db, []string{"r"}, i*10, i*10+10)
		require.NoError(t, db.compactAuto())
	}
	require.NoError(t, db.Compact())
	parents := db.mu.blocks[0].meta.parents
	require.NotEmpty(t, parents)
	want := storeContents(t, db)
	require.NoError(t, db.Close())

	leftover := "/db/blocks/" + blockDirName(parents[0])
	require.NoError(t, fs.MkdirAll(leftover, 0o755))
	require.NoError(t, writeFileSynced(fs, leftover+"/index", []byte("partial")))
	db = openMem(t, fs, &Options{FlushPoints: -1})
	require.Equal(t, want, storeContents(t, db))
	_, err = fs.Stat(leftover)
	require.Error(t, err, "the leftover is removed")
	require.NoError(t, db.Close())

	stray := "/db/blocks/" + blockDirName(999)
	require.NoError(t, fs.MkdirAll(stray, 0o755))
	_, err = Open("/db", &Options{FS: fs})
	require.ErrorContains(t, err, blockDirName(999))
}

// TestLongSeriesParallelDecode reads a series long enough for the windowed
// parallel decoder, across blocks and the head, whole and in ranges.
func TestLongSeriesParallelDecode(t *testing.T) {
	db := openMem(t, vfs.NewMem(), &Options{ChunkSamples: 16, FlushPoints: -1})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	var want []Point
	for s := range int64(9000) {
		p := Point{Step: s, Time: 1000 + s*3, Value: float64(s) * 0.5}
		require.NoError(t, db.Log("r", p.Step, p.Time, map[string]float64{"m": p.Value}, nil))
		want = append(want, p)
		if s == 3000 || s == 6000 {
			require.NoError(t, db.compactAuto())
		}
	}
	ref := mustRef(t, db, "r", "m", nil)
	samePoints(t, want, readAll(t, db, ref))
	samePoints(t, want[1234:7891], readRange(t, db, ref, 1234, 7890))
	samePoints(t, want[8999:], readRange(t, db, ref, 8999, 20000))
	require.Empty(t, readRange(t, db, ref, 20000, 30000))
}
