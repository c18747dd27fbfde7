package engine

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

func TestLogReadReopen(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{ChunkSamples: 16})
	id, err := db.CreateRun(RunSpec{ID: "r1", Experiment: "cifar", Name: "lr-0.1",
		Params: map[string]any{"lr": 0.1, "opt": "adam", "model": map[string]any{"layers": 50, "bn": true}},
		Tags:   map[string]string{"git": "3f2a"}})
	require.NoError(t, err)
	require.Equal(t, "r1", id)
	for step := int64(0); step < 100; step++ {
		require.NoError(t, db.Log("r1", step, 1_700_000_000_000+step*1000+step%7, map[string]float64{
			"loss": float64(float32(2.0 / float64(step+1))), "acc": float64(step) / 100,
		}, nil))
		if step%10 == 0 {
			require.NoError(t, db.Log("r1", step, 1_700_000_000_500+step*1000, map[string]float64{"acc": 0.5}, Context{"subset": "val"}))
		}
	}
	want := readAll(t, db, mustRef(t, db, "r1", "loss", nil))
	require.Len(t, want, 100)
	require.Equal(t, int64(1_700_000_000_000+99*1000+99%7), want[99].Time)
	val := readAll(t, db, mustRef(t, db, "r1", "acc", Context{"subset": "val"}))
	require.Len(t, val, 10)
	require.Equal(t, int64(1_700_000_000_500+90*1000), val[9].Time)
	require.Equal(t, []Point{{Step: 20, Time: 1_700_000_020_000 + 20%7, Value: 0.2}, {Step: 21, Time: 1_700_000_021_000 + 21%7, Value: 0.21}},
		readRange(t, db, mustRef(t, db, "r1", "acc", nil), 20, 21))
	checkConsistent(t, db)
	require.NoError(t, db.Close())
	require.ErrorIs(t, db.Close(), ErrClosed)
	require.ErrorIs(t, db.Log("r1", 1, 1, map[string]float64{"x": 1}, nil), ErrClosed)

	db2 := openMem(t, fs, &Options{ChunkSamples: 16})
	samePoints(t, want, readAll(t, db2, mustRef(t, db2, "r1", "loss", nil)))
	samePoints(t, val, readAll(t, db2, mustRef(t, db2, "r1", "acc", Context{"subset": "val"})))
	info, err := db2.Run("r1")
	require.NoError(t, err)
	require.Equal(t, "cifar", info.Experiment)
	require.Equal(t, IntValue(50), info.Params["model.layers"])
	require.Equal(t, BoolValue(true), info.Params["model.bn"])
	require.Equal(t, FloatValue(0.1), info.Params["lr"])
	require.Equal(t, "3f2a", info.Tags["git"])
	require.Equal(t, StatusRunning, info.Status)
	require.Equal(t, int64(210), db2.Replayed().Points)
}

func TestCrashKeepsSyncedPrefix(t *testing.T) {
	for _, policy := range []SyncPolicy{SyncAlways, SyncNever} {
		t.Run(policy.String(), func(t *testing.T) {
			fs := vfs.NewMem()
			db := openMem(t, fs, &Options{Sync: policy})
			_, err := db.CreateRun(RunSpec{ID: "r"})
			require.NoError(t, err)
			for step := int64(0); step < 50; step++ {
				require.NoError(t, db.Log("r", step, step, map[string]float64{"a": float64(step)}, nil))
			}
			require.NoError(t, db.Sync())
			for step := int64(50); step < 80; step++ {
				require.NoError(t, db.Log("r", step, step, map[string]float64{"a": float64(step)}, nil))
			}
			crashed := fs.CrashClone()
			db2 := openMem(t, crashed, nil)
			pts := readAll(t, db2, mustRef(t, db2, "r", "a", nil))
			if policy == SyncAlways {
				require.Len(t, pts, 80)
			} else {
				require.GreaterOrEqual(t, len(pts), 50)
			}
			for i, p := range pts {
				require.Equal(t, int64(i), p.Step)
			}
		})
	}
}

func TestParams(t *testing.T) {
	db := openMem(t, vfs.NewMem(), nil)
	_, err := db.CreateRun(RunSpec{ID: "r", Params: map[string]any{"lr": 0.01, "layers": 50}})
	require.NoError(t, err)
	require.NoError(t, db.SetParams("r", map[string]any{"lr": 0.01, "opt": map[string]any{"name": "adam", "beta": 0.9}}))
	err = db.SetParams("r", map[string]any{"lr": 0.02, "new": 1})
	require.ErrorIs(t, err, ErrParamConflict)
	require.Contains(t, err.Error(), `"lr"`)
	info, err := db.Run("r")
	require.NoError(t, err)
	_, stored := info.Params["new"]
	require.False(t, stored, "a conflicting call stores nothing")
	require.ErrorIs(t, db.SetParams("r", map[string]any{"layers": 50.0}), ErrParamConflict, "type counts")
	require.ErrorIs(t, db.SetParams("r", map[string]any{"bad": []int{1}}), ErrInvalidParam)
	require.ErrorIs(t, db.SetParams("r", map[string]any{"": 1}), ErrInvalidParam)
	require.ErrorIs(t, db.SetParams("r", map[string]any{"a": map[string]any{"": 1}}), ErrInvalidParam)
	require.ErrorIs(t, db.SetParams("r", map[string]any{"a.b": 1, "a": map[string]any{"b": 2}}), ErrInvalidParam)
	require.ErrorIs(t, db.SetParams("nope", map[string]any{"a": 1}), ErrRunNotFound)
	require.Equal(t, StringValue("adam"), info.Params["opt.name"])
	require.Equal(t, FloatValue(0.9), info.Params["opt.beta"])
}

func TestTagsLatestWins(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, nil)
	_, err := db.CreateRun(RunSpec{ID: "r", Tags: map[string]string{"a": "1", "b": "2"}})
	require.NoError(t, err)
	require.NoError(t, db.SetTags("r", map[string]string{"a": "3", "note": "multi\nline"}))
	require.NoError(t, db.DeleteTags("r", "b", "missing"))
	require.ErrorIs(t, db.SetTags("r", map[string]string{"": "x"}), ErrInvalidTag)
	require.NoError(t, db.Close())
	db = openMem(t, fs, nil)
	info, err := db.Run("r")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"a": "3", "note": "multi\nline"}, info.Tags)
}

func TestStatusAndAttributes(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, nil)
	id, err := db.CreateRun(RunSpec{StartTime: 1000})
	require.NoError(t, err)
	require.Len(t, id, 32)
	require.NoError(t, db.SetStatus(id, StatusFailed, 5000))
	exp, name := "e", "n"
	require.NoError(t, db.UpdateRun(id, RunUpdate{Experiment: &exp, Name: &name}))
	require.ErrorIs(t, db.SetStatus(id, Status(9), 0), ErrInvalidStatus)
	_, err = ParseStatus("done")
	require.ErrorIs(t, err, ErrInvalidStatus)
	st, err := ParseStatus("FINISHED")
	require.NoError(t, err)
	require.Equal(t, StatusFinished, st)
	_, err = db.CreateRun(RunSpec{ID: id})
	require.ErrorIs(t, err, ErrRunExists)
	require.NoError(t, db.Close())
	db = openMem(t, fs, nil)
	info, err := db.Run(id)
	require.NoError(t, err)
	require.Equal(t, RunInfo{ID: id, Experiment: "e", Name: "n", Status: StatusFailed, StartTime: 1000, EndTime: 5000,
		Params: map[string]Value{}, Tags: map[string]string{}}, info)
}

func TestOutOfOrderAndDuplicateSteps(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{ChunkSamples: 16})
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	// A resumed run: steps 0..39, then 30..49 again, then a few stragglers.
	var steps []int64
	for s := int64(0); s < 40; s++ {
		steps = append(steps, s)
	}
	for s := int64(30); s < 50; s++ {
		steps = append(steps, s)
	}
	steps = append(steps, 5, 100, -3, 5)
	for i, s := range steps {
		require.NoError(t, db.Log("r", s, int64(i), map[string]float64{"m": float64(i)}, nil))
	}
	check := func(db *DB) {
		pts := readAll(t, db, mustRef(t, db, "r", "m", nil))
		require.Len(t, pts, len(steps))
		for i := 1; i < len(pts); i++ {
			require.LessOrEqual(t, pts[i-1].Step, pts[i].Step)
			if pts[i-1].Step == pts[i].Step {
				require.Less(t, pts[i-1].Value, pts[i].Value, "ties in append order at step %d", pts[i].Step)
			}
		}
		for _, p := range pts {
			require.Equal(t, steps[int(p.Value)], p.Step)
			require.Equal(t, int64(p.Value), p.Time)
		}
		sel := readRange(t, db, mustRef(t, db, "r", "m", nil), 5, 5)
		require.Len(t, sel, 3)
		require.Equal(t, []float64{5, 60, 63}, []float64{sel[0].Value, sel[1].Value, sel[2].Value})
		info, err := db.LookupSeries("r", "m", nil)
		require.NoError(t, err)
		require.Equal(t, int64(-3), info.Summary.FirstStep)
		require.Equal(t, int64(100), info.Summary.LastStep)
		require.Equal(t, float64(61), info.Summary.Last)
	}
	check(db)
	require.NoError(t, db.Close())
	check(openMem(t, fs, &Options{ChunkSamples: 16}))
}

func TestSpecialValuesBitExact(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, nil)
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	vals := []float64{math.NaN(), math.Float64frombits(0x7ff800000000beef), math.Inf(1), math.Inf(-1),
		math.Copysign(0, -1), 0, 5e-324, math.MaxFloat64, -math.MaxFloat64, float64(float32(0.1)), 0.1}
	var want []Point
	for i, v := range vals {
		require.NoError(t, db.Log("r", int64(i), int64(i), map[string]float64{"v": v}, nil))
		want = append(want, Point{Step: int64(i), Time: int64(i), Value: v})
	}
	ref, err := db.Series("r", "bulk", nil)
	require.NoError(t, err)
	var samples []Sample
	for _, p := range want {
		samples = append(samples, Sample{Ref: ref, Step: p.Step, Time: p.Time, Value: p.Value})
	}
	require.NoError(t, db.Append(samples))
	samePoints(t, want, readAll(t, db, mustRef(t, db, "r", "v", nil)))
	require.NoError(t, db.Close())
	db = openMem(t, fs, nil)
	samePoints(t, want, readAll(t, db, mustRef(t, db, "r", "v", nil)))
	samePoints(t, want, readAll(t, db, ref))
	info, err := db.LookupSeries("r", "v", nil)
	require.NoError(t, err)
	require.Equal(t, math.Inf(-1), info.Summary.Min)
	require.Equal(t, math.Inf(1), info.Summary.Max)
	require.Equal(t, 0.1, info.Summary.Last)
}

func TestAllNaNSummary(t *testing.T) {
	db := openMem(t, vfs.NewMem(), nil)
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	require.NoError(t, db.Log("r", 0, 0, map[string]float64{"v": math.NaN()}, nil))
	info, err := db.LookupSeries("r", "v", nil)
	require.NoError(t, err)
	require.True(t, math.IsNaN(info.Summary.Min))
	require.True(t, math.IsNaN(info.Summary.Max))
	require.Equal(t, int64(1), info.Summary.Count)
}

func TestInvalidInput(t *testing.T) {
	db := openMem(t, vfs.NewMem(), nil)
	for _, id := range []string{strings.Repeat("x", MaxRunIDLen+1), "a/b", "a\\b", "..", ".", "a\x00b", "\xff", "tab\there"} {
		_, err := db.CreateRun(RunSpec{ID: id})
		require.ErrorIs(t, err, ErrInvalidRunID, "id %q", id)
	}
	require.ErrorIs(t, ValidateRunID(""), ErrInvalidRunID)
	_, err := db.CreateRun(RunSpec{ID: strings.Repeat("x", MaxRunIDLen)})
	require.NoError(t, err)
	_, err = db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	for _, m := range []string{"", strings.Repeat("m", MaxMetricNameLen+1), "a\x00", "bad\nname", "\xfe"} {
		err := db.Log("r", 0, 0, map[string]float64{"ok": 1, m: 1}, nil)
		require.ErrorIs(t, err, ErrInvalidMetric, "metric %q", m)
		_, err = db.Series("r", m, nil)
		require.ErrorIs(t, err, ErrInvalidMetric, "metric %q", m)
	}
	series, err := db.SeriesOf("r")
	require.NoError(t, err)
	require.Empty(t, series, "a rejected Log creates no series")
	require.ErrorIs(t, db.Log("r", 0, 0, map[string]float64{"m": 1}, Context{"": "x"}), ErrInvalidContext)
	require.ErrorIs(t, db.Log("r", 0, 0, map[string]float64{"m": 1}, Context{"a\x00": "x"}), ErrInvalidContext)
	require.ErrorIs(t, db.Log("missing", 0, 0, map[string]float64{"m": 1}, nil), ErrRunNotFound)
	require.ErrorIs(t, db.Append([]Sample{{Ref: 12345}}), ErrSeriesNotFound)
	require.ErrorIs(t, db.Append([]Sample{{Ref: 0}}), ErrSeriesNotFound)
	_, err = db.Points(999, MinStep, MaxStep)
	require.ErrorIs(t, err, ErrSeriesNotFound)
	_, err = db.CreateRun(RunSpec{Experiment: "bad\x00"})
	require.ErrorIs(t, err, ErrInvalidAttribute)
}

func TestOptions(t *testing.T) {
	o := &Options{ChunkSamples: 3}
	_, err := Open(t.TempDir(), o)
	require.ErrorIs(t, err, ErrInvalidOptions)
	require.Equal(t, &Options{ChunkSamples: 3}, o, "caller's options untouched")
	_, err = Open(t.TempDir(), &Options{WALSegmentSize: 10})
	require.ErrorIs(t, err, ErrInvalidOptions)
	_, err = Open(t.TempDir(), &Options{Sync: SyncPolicy(77)})
	require.ErrorIs(t, err, ErrInvalidOptions)
	p, err := ParseSyncPolicy("always")
	require.NoError(t, err)
	require.Equal(t, SyncAlways, p)
}

func TestLockAndForeignDirs(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, nil)
	require.NoError(t, err)
	_, err = Open(dir, nil)
	require.ErrorIs(t, err, ErrLocked)
	require.NoError(t, db.Close())
	db, err = Open(dir, nil)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	foreign := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644))
	_, err = Open(foreign, nil)
	require.ErrorIs(t, err, ErrNotStore)
	names, err := os.ReadDir(foreign)
	require.NoError(t, err)
	require.Len(t, names, 1, "nothing written into a foreign directory")

	// A store from a newer trackdb refuses to open.
	b, err := os.ReadFile(filepath.Join(dir, storeFileName))
	require.NoError(t, err)
	b[7] = 99
	binary.BigEndian.PutUint32(b[16:], crc32.Checksum(b[:16], castagnoli))
	require.NoError(t, os.WriteFile(filepath.Join(dir, storeFileName), b, 0o644))
	_, err = Open(dir, nil)
	require.ErrorIs(t, err, ErrFormatVersion)
	require.Contains(t, err.Error(), "version 99")
	b[3] ^= 1
	require.NoError(t, os.WriteFile(filepath.Join(dir, storeFileName), b, 0o644))
	_, err = Open(dir, nil)
	require.ErrorIs(t, err, ErrNotStore)
}

func TestUpdateRunIsAtomic(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, nil)
	_, err := db.CreateRun(RunSpec{ID: "r", Params: map[string]any{"lr": 0.1}, Tags: map[string]string{"old": "1"}})
	require.NoError(t, err)
	name := "renamed"
	err = db.UpdateRun("r", RunUpdate{Name: &name, Params: map[string]any{"lr": 0.2, "bs": 64}, Tags: map[string]string{"a": "b"}})
	require.ErrorIs(t, err, ErrParamConflict)
	err = db.UpdateRun("r", RunUpdate{Name: &name, Params: map[string]any{"bs": 64}, Tags: map[string]string{"": "b"}})
	require.ErrorIs(t, err, ErrInvalidTag)
	info, err := db.Run("r")
	require.NoError(t, err)
	require.Equal(t, "", info.Name, "a refused update changes nothing")
	require.Len(t, info.Params, 1)

	st := StatusFinished
	end := int64(99)
	require.NoError(t, db.UpdateRun("r", RunUpdate{Name: &name, Status: &st, EndTime: &end,
		Params: map[string]any{"lr": 0.1, "bs": 64}, Tags: map[string]string{"a": "b"}, DeleteTags: []string{"old"}}))
	require.NoError(t, db.UpdateRun("r", RunUpdate{Params: map[string]any{"lr": 0.1}}), "same value again is a no-op")
	require.NoError(t, db.Close())
	db = openMem(t, fs, nil)
	info, err = db.Run("r")
	require.NoError(t, err)
	require.Equal(t, RunInfo{ID: "r", Name: "renamed", Status: StatusFinished, StartTime: info.StartTime, EndTime: 99,
		Params: map[string]Value{"lr": FloatValue(0.1), "bs": IntValue(64)}, Tags: map[string]string{"a": "b"}}, info)
}

func TestDatasets(t *testing.T) {
	fs := vfs.NewMem()
	db := openMem(t, fs, &Options{FlushPoints: -1})
	train := Dataset{Name: "cifar10", Digest: "ab12", Context: "training"}
	_, err := db.CreateRun(RunSpec{ID: "r", Datasets: []Dataset{train, train}})
	require.NoError(t, err)
	eval := Dataset{Name: "cifar10-test", Context: "eval"}
	require.NoError(t, db.UpdateRun("r", RunUpdate{Datasets: []Dataset{train, eval}}))
	require.ErrorIs(t, db.UpdateRun("r", RunUpdate{Datasets: []Dataset{{Digest: "x"}}}), ErrInvalidDataset)
	check := func() {
		info, err := db.Run("r")
		require.NoError(t, err)
		require.Equal(t, []Dataset{train, eval}, info.Datasets)
	}
	check()
	require.NoError(t, db.Close())
	db = openMem(t, fs, &Options{FlushPoints: -1})
	check()
	require.NoError(t, db.Compact())
	require.NoError(t, db.Close())
	db = openMem(t, fs, &Options{FlushPoints: -1})
	check()
}

// A crash while a store was being created leaves TRACKDB.tmp and nothing
// else: the directory is still ours to create the store in.
func TestCrashDuringStoreCreation(t *testing.T) {
	fs := vfs.NewMem()
	require.NoError(t, fs.MkdirAll("/db", 0o755))
	require.NoError(t, writeFileSynced(fs, "/db/"+storeFileName+".tmp", []byte("TRK")))
	db := openMem(t, fs, nil)
	_, err := db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
}
