package engine

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/index"
	"github.com/trackdb/trackdb/internal/vfs"
)

// TestConcurrentLoggers runs many goroutines logging to many runs (and some
// to a shared run) while readers iterate; run it under -race.
func TestConcurrentLoggers(t *testing.T) {
	for _, policy := range []SyncPolicy{SyncInterval, SyncAlways} {
		t.Run(policy.String(), func(t *testing.T) {
			fs := vfs.NewMem()
			db := openMem(t, fs, &Options{Sync: policy, ChunkSamples: 32, FlushPoints: 3000})
			const writers, steps = 8, 200
			for w := range writers {
				_, err := db.CreateRun(RunSpec{ID: fmt.Sprintf("run-%d", w), Params: map[string]any{"w": w}})
				require.NoError(t, err)
			}
			_, err := db.CreateRun(RunSpec{ID: "shared"})
			require.NoError(t, err)
			var wg sync.WaitGroup
			errs := make(chan error, writers*3)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprintf("run-%d", w)
					for s := range int64(steps) {
						if err := db.Log(id, s, s, map[string]float64{"loss": float64(s), "acc": float64(w)}, nil); err != nil {
							errs <- err
							return
						}
						if err := db.Log("shared", s, s, map[string]float64{fmt.Sprintf("w%d", w): float64(s)}, nil); err != nil {
							errs <- err
							return
						}
						if s%50 == 0 {
							if err := db.SetTags(id, map[string]string{"at": fmt.Sprint(s)}); err != nil {
								errs <- err
								return
							}
						}
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					if err := db.Compact(); err != nil {
						errs <- err
						return
					}
					if _, err := db.SearchRuns(index.Cond{Field: index.Param("w"), Op: index.OpGe, Value: index.Int(4)},
						[]index.SortKey{{Field: index.Metric("loss", "", index.StatLast), Desc: true}}, 0, 3); err != nil {
						errs <- err
						return
					}
				}
			}()
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 50 {
						runs, err := db.Runs()
						if err != nil {
							errs <- err
							return
						}
						for _, r := range runs {
							series, err := db.SeriesOf(r.ID)
							if err != nil {
								errs <- err
								return
							}
							for _, s := range series {
								it, err := db.Points(s.Ref, MinStep, MaxStep)
								if err != nil {
									errs <- err
									return
								}
								prev := MinStep
								for it.Next() {
									if it.At().Step < prev {
										errs <- fmt.Errorf("steps out of order in %s", s.Metric)
									}
									prev = it.At().Step
								}
								if err := it.Err(); err != nil {
									errs <- err
								}
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			require.NoError(t, db.Close())
			db = openMem(t, fs, nil)
			for w := range writers {
				pts := readAll(t, db, mustRef(t, db, fmt.Sprintf("run-%d", w), "loss", nil))
				require.Len(t, pts, steps)
				require.Len(t, readAll(t, db, mustRef(t, db, "shared", fmt.Sprintf("w%d", w), nil)), steps)
				info, err := db.Run(fmt.Sprintf("run-%d", w))
				require.NoError(t, err)
				require.Equal(t, "150", info.Tags["at"])
			}
		})
	}
}
