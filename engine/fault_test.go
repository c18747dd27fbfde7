package engine

import (
	"errors"
	"fmt"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

// faultWorkload opens a store on fs, logs, syncs, compacts, reads and logs
// again, stopping at the first error. It returns the points acknowledged
// (Log returned nil under SyncAlways) and the error, if any.
func faultWorkload(fs vfs.FS) (acked []Point, sent []Point, err error) {
	db, err := Open("/db", &Options{FS: fs, Sync: SyncAlways, ChunkSamples: 16, FlushPoints: -1, WALSegmentSize: 64 << 10})
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if cerr := db.Close(); err == nil && !errors.Is(cerr, ErrClosed) {
			err = cerr
		}
	}()
	if _, err := db.CreateRun(RunSpec{ID: "r", Params: map[string]any{"lr": 0.1}}); err != nil {
		return nil, nil, err
	}
	log := func(from, to int64) error {
		for s := from; s < to; s++ {
			p := Point{Step: s, Time: 1000 + s, Value: float64(float32(math.Sin(float64(s))))}
			sent = append(sent, p)
			if err := db.Log("r", p.Step, p.Time, map[string]float64{"m": p.Value}, nil); err != nil {
				return err
			}
			acked = append(acked, p)
		}
		return nil
	}
	if err := log(0, 60); err != nil {
		return acked, sent, err
	}
	if err := db.Sync(); err != nil {
		return acked, sent, err
	}
	if err := db.Compact(); err != nil {
		return acked, sent, err
	}
	if err := log(60, 100); err != nil {
		return acked, sent, err
	}
	ref, err := db.Series("r", "m", nil)
	if err != nil {
		return acked, sent, err
	}
	it, err := db.Points(ref, MinStep, MaxStep)
	if err != nil {
		return acked, sent, err
	}
	n := 0
	for it.Next() {
		if got, want := it.At(), acked[n]; got != want {
			it.Close()
			return acked, sent, fmt.Errorf("read %v, want %v", got, want)
		}
		n++
	}
	if err := it.Err(); err != nil {
		return acked, sent, err
	}
	if n != len(acked) {
		return acked, sent, fmt.Errorf("read %d points, want %d", n, len(acked))
	}
	if err := db.Compact(); err != nil {
		return acked, sent, err
	}
	return acked, sent, log(100, 120)
}

// TestFaultSweep injects a fault at operation i for every i until the
// workload runs untouched: each run ends in success or in an error caused
// by the fault, and the store reopens with every acknowledged point and
// nothing that was never sent.
func TestFaultSweep(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ops   vfs.Op
		fault vfs.Fault
	}{
		{"fail-any", vfs.OpAll, vfs.FailOp},
		{"short-write", vfs.OpWrite, vfs.ShortWrite},
		{"disk-full", vfs.OpWrite | vfs.OpSync | vfs.OpCreate, vfs.DiskFull},
		{"flip-read", vfs.OpRead, vfs.FlipBit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			swept := 0
			for i := int64(0); ; i++ {
				mem := vfs.NewMem()
				efs := vfs.NewErrorFS(mem, tc.ops, i, tc.fault)
				type result struct {
					acked, sent []Point
					err         error
				}
				done := make(chan result, 1)
				go func() {
					defer func() {
						if r := recover(); r != nil {
							done <- result{err: fmt.Errorf("panic: %v", r)}
						}
					}()
					a, s, err := faultWorkload(efs)
					done <- result{a, s, err}
				}()
				var res result
				select {
				case res = <-done:
				case <-time.After(20 * time.Second):
					t.Fatalf("op %d: workload hung", i)
				}
				require.NotContains(t, fmt.Sprint(res.err), "panic", "op %d", i)
				if !efs.Fired() {
					require.NoError(t, res.err, "op %d: no fault fired", i)
					swept = int(i)
					break
				}
				if res.err != nil && !errors.Is(res.err, vfs.ErrInjected) && !errors.Is(res.err, ErrCorrupt) {
					t.Fatalf("op %d: error not caused by the fault: %v", i, res.err)
				}
				// Reopen what a crash right now would leave.
				db, err := Open("/db", &Options{FS: mem.CrashClone(), FlushPoints: -1})
				if len(res.acked) == 0 && err != nil {
					continue // the fault hit before anything was acknowledged
				}
				require.NoError(t, err, "op %d (workload error: %v)", i, res.err)
				var got []Point
				if s, err := db.LookupSeries("r", "m", nil); err == nil {
					it, err := db.Points(s.Ref, MinStep, MaxStep)
					require.NoError(t, err)
					for it.Next() {
						got = append(got, it.At())
					}
					require.NoError(t, it.Err(), "op %d", i)
				}
				require.GreaterOrEqual(t, len(got), len(res.acked), "op %d: acknowledged points lost (workload error: %v)", i, res.err)
				require.LessOrEqual(t, len(got), len(res.sent), "op %d", i)
				if len(got) > 0 {
					require.Equal(t, res.sent[:len(got)], got, "op %d: not a prefix of what was sent", i)
				}
				require.NoError(t, db.Close())
			}
			t.Logf("%s: swept %d operation indices", tc.name, swept)
			require.Greater(t, swept, 10)
		})
	}
}

// TestDiskFullThenSpaceReturns fills the disk while logging: appends fail
// with ENOSPC, acknowledged points stay readable, and once space returns
// the store reopens cleanly and takes appends again.
func TestDiskFullThenSpaceReturns(t *testing.T) {
	mem := vfs.NewMem()
	efs := vfs.NewErrorFS(mem, vfs.OpWrite|vfs.OpSync, 40, vfs.DiskFull)
	db, err := Open("/db", &Options{FS: efs, Sync: SyncAlways, FlushPoints: -1})
	require.NoError(t, err)
	_, err = db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	acked := 0
	var logErr error
	for s := range int64(200) {
		if logErr = db.Log("r", s, s, map[string]float64{"m": float64(s)}, nil); logErr != nil {
			break
		}
		acked++
	}
	require.ErrorIs(t, logErr, syscall.ENOSPC)
	require.Positive(t, acked)
	s, err := db.LookupSeries("r", "m", nil)
	require.NoError(t, err)
	pts := readAll(t, db, s.Ref)
	require.GreaterOrEqual(t, len(pts), acked, "acknowledged points stay readable")
	require.ErrorIs(t, db.Sync(), syscall.ENOSPC, "the log stays failed: no pretending after a failed fsync")
	_ = db.Close()

	efs.ClearDiskFull()
	db, err = Open("/db", &Options{FS: efs, Sync: SyncAlways, FlushPoints: -1})
	require.NoError(t, err)
	defer db.Close()
	s, err = db.LookupSeries("r", "m", nil)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(readAll(t, db, s.Ref)), acked)
	require.NoError(t, db.Log("r", 1000, 1000, map[string]float64{"m": 1}, nil))
	require.NoError(t, db.Compact())
}

// readOnlyFS fails every change, as a read-only mount does.
type readOnlyFS struct{ vfs.FS }

func (readOnlyFS) Create(name string) (vfs.File, error) {
	return nil, &os.PathError{Op: "create", Path: name, Err: syscall.EROFS}
}
func (readOnlyFS) MkdirAll(name string, _ os.FileMode) error {
	return &os.PathError{Op: "mkdir", Path: name, Err: syscall.EROFS}
}
func (readOnlyFS) Rename(_, name string) error {
	return &os.PathError{Op: "rename", Path: name, Err: syscall.EROFS}
}
func (readOnlyFS) RemoveAll(name string) error {
	return &os.PathError{Op: "remove", Path: name, Err: syscall.EROFS}
}

// TestReadOnlyFilesystem: a store on a read-only mount fails to open with
// the filesystem's error, and what is stored stays as it was.
func TestReadOnlyFilesystem(t *testing.T) {
	mem := vfs.NewMem()
	db, err := Open("/db", &Options{FS: mem})
	require.NoError(t, err)
	_, err = db.CreateRun(RunSpec{ID: "r"})
	require.NoError(t, err)
	require.NoError(t, db.Log("r", 1, 1, map[string]float64{"m": 1}, nil))
	require.NoError(t, db.Close())
	_, err = Open("/db", &Options{FS: readOnlyFS{mem}})
	require.ErrorIs(t, err, syscall.EROFS)
	db, err = Open("/db", &Options{FS: mem})
	require.NoError(t, err)
	defer db.Close()
	require.Len(t, readAll(t, db, mustRef(t, db, "r", "m", nil)), 1)
}
