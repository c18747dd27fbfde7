package engine

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/vfs"
)

var modelSeed = flag.Uint64("model.seed", 0, "seed for TestModel (0: from the clock)")

// TestModel runs random appends (Log and Append, out-of-order and repeated
// steps, special values), tag changes, syncs, clean reopens and crashes
// against a plain in-memory model, and requires identical reads.
func TestModel(t *testing.T) {
	seed := *modelSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -model.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The operations so far; on failure they are saved with the command
	// that replays them.
	var trail []string
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		name := filepath.Join(os.TempDir(), fmt.Sprintf("trackdb-model-%d.txt", seed))
		text := fmt.Sprintf("# replay: go test ./engine -run 'TestModel$' -model.seed=%d\n%s\n", seed, strings.Join(trail, "\n"))
		if err := os.WriteFile(name, []byte(text), 0o644); err == nil {
			t.Logf("failing sequence of %d operations saved to %s", len(trail), name)
		}
	})

	type key struct{ run, metric, ctx string }
	model := map[key][]Point{}
	tags := map[string]map[string]string{}

	fs := vfs.NewMem()
	opts := &Options{ChunkSamples: 16 + rng.IntN(64), Sync: []SyncPolicy{SyncAlways, SyncNever}[rng.IntN(2)],
		FlushPoints: []int64{-1, 500, 3000}[rng.IntN(3)]}
	t.Logf("options: chunk %d sync %v flush %d", opts.ChunkSamples, opts.Sync, opts.FlushPoints)
	db := openMem(t, fs, opts)
	runs := []string{"a", "b", "c"}
	for _, r := range runs {
		_, err := db.CreateRun(RunSpec{ID: r})
		require.NoError(t, err)
		tags[r] = map[string]string{}
	}
	require.NoError(t, db.Sync())
	values := []float64{math.NaN(), math.Inf(1), math.Copysign(0, -1), 1.5, -2}
	val := func() float64 {
		if rng.IntN(10) == 0 {
			return values[rng.IntN(len(values))]
		}
		return float64(float32(rng.NormFloat64()))
	}
	ctxs := []Context{nil, {"subset": "val"}}
	for op := range 1200 {
		x := rng.IntN(100)
		trail = append(trail, fmt.Sprintf("op %d: %s", op, modelOpName(x)))
		switch {
		case x < 60:
			r := runs[rng.IntN(len(runs))]
			ci := rng.IntN(len(ctxs))
			step := int64(op/3 - rng.IntN(3))
			ts := int64(1e12) + int64(op)*1000 + int64(rng.IntN(50))
			m := map[string]float64{}
			for _, name := range []string{"loss", "acc", "lr"}[:1+rng.IntN(3)] {
				m[name] = val()
			}
			require.NoError(t, db.Log(r, step, ts, m, ctxs[ci]))
			for name, v := range m {
				k := key{r, name, ctxs[ci].key()}
				model[k] = append(model[k], Point{step, ts, v})
			}
		case x < 75:
			r := runs[rng.IntN(len(runs))]
			ref, err := db.Series(r, "bulk", nil)
			require.NoError(t, err)
			var batch []Sample
			k := key{r, "bulk", ""}
			for range 1 + rng.IntN(300) {
				s := Sample{Ref: ref, Step: rng.Int64N(500), Time: rng.Int64N(3) + int64(op), Value: val()}
				batch = append(batch, s)
				model[k] = append(model[k], Point{s.Step, s.Time, s.Value})
			}
			require.NoError(t, db.Append(batch))
		case x < 85:
			r := runs[rng.IntN(len(runs))]
			k := fmt.Sprint("t", rng.IntN(4))
			if rng.IntN(15) == 0 {
				// Delete the run and start it again under the same ID.
				require.NoError(t, db.DeleteRun(r))
				for key := range model {
					if key.run == r {
						delete(model, key)
					}
				}
				_, err := db.CreateRun(RunSpec{ID: r})
				require.NoError(t, err)
				tags[r] = map[string]string{}
			} else if rng.IntN(3) == 0 {
				require.NoError(t, db.DeleteTags(r, k))
				delete(tags[r], k)
			} else {
				v := fmt.Sprint(op)
				require.NoError(t, db.SetTags(r, map[string]string{k: v}))
				tags[r][k] = v
			}
		case x < 89:
			require.NoError(t, db.Sync())
		case x < 91:
			if rng.IntN(2) == 0 {
				require.NoError(t, db.Compact())
			} else {
				require.NoError(t, db.compactAuto())
			}
		case x < 95:
			require.NoError(t, db.Close())
			db = openMem(t, fs, opts)
		default:
			// A power cut. Under SyncAlways everything acknowledged is
			// durable; under SyncNever the model only knows what was
			// synced, so sync first (crash tests of unsynced tails are in
			// TestCrashKeepsSyncedPrefix and the wal package).
			if opts.Sync != SyncAlways {
				require.NoError(t, db.Sync())
			}
			fs = fs.CrashClone()
			db = openMem(t, fs, opts)
		}
	}
	require.NoError(t, db.Close())
	db = openMem(t, fs, opts)
	keys := make([]key, 0, len(model))
	for k := range model {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
	for _, k := range keys {
		want := model[k]
		var ctx Context
		if k.ctx != "" {
			ctx = Context{"subset": "val"}
		}
		s, err := db.LookupSeries(k.run, k.metric, ctx)
		require.NoError(t, err)
		sorted := append([]Point(nil), want...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Step < sorted[j].Step })
		samePoints(t, sorted, readAll(t, db, s.Ref))
	}
	for _, r := range runs {
		info, err := db.Run(r)
		require.NoError(t, err)
		require.Equal(t, tags[r], info.Tags, "run %s", r)
	}
}

// modelOpName names the operation TestModel draws for x.
func modelOpName(x int) string {
	switch {
	case x < 60:
		return "log"
	case x < 75:
		return "append (bulk)"
	case x < 85:
		return "tags or delete run"
	case x < 89:
		return "sync"
	case x < 91:
		return "compact"
	case x < 95:
		return "close and reopen"
	}
	return "crash and reopen"
}
