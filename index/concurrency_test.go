package index

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConcurrentReadWrite runs writers (tags, summaries, deletes) against
// readers (selections and sorts that build views lazily) on one head and a
// block; run it with -race. Readers check an invariant that holds at every
// moment: a run selected by experiment is live.
func TestConcurrentReadWrite(t *testing.T) {
	base := NewHead()
	for o := uint32(0); o < 500; o++ {
		require.NoError(t, base.Set(o, Attr(AttrExperiment), String(fmt.Sprintf("exp-%d", o%5))))
		require.NoError(t, base.Set(o, Param("lr"), Float(float64(o)/500)))
	}
	data, err := base.Marshal()
	require.NoError(t, err)
	blk, err := Load(data)
	require.NoError(t, err)

	h := NewHead()
	id := h.Series("loss", "")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				o := uint32(500 + (i*2+w)%400)
				_ = h.Set(o, Tag("step"), String(fmt.Sprint(i%50)))
				_ = h.SetSummary(o, id, Summary{Count: int64(i), Last: float64(i % 97)})
				_ = h.Set(uint32(i%500), Tag("model"), String(fmt.Sprint("m", i%7)))
				if i%101 == 0 {
					h.DeleteRun(uint32(i % 900))
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := NewView(h, blk)
			for range 300 {
				got, err := v.Select(Or{
					Cond{Field: Metric("loss", "", StatLast), Op: OpGt, Value: Int(50)},
					Cond{Field: Tag("model"), Op: OpRegex, Pattern: "^m[1-3]$"},
					Cond{Field: Tag("step"), Op: OpLt, Value: String("3")},
					Cond{Field: Param("lr"), Op: OpLt, Value: Float(0.1)},
				})
				if err == nil {
					_, err = v.Sort(got, []SortKey{{Field: Metric("loss", "", StatLast), Desc: true}, {Field: Tag("model")}}, 0, 10)
				}
				if err != nil {
					t.Error(err) // not require: this is not the test's goroutine
					return
				}
			}
		}()
	}
	for range 300 {
		_, err := NewView(h, blk).Select(Cond{Field: Attr(AttrExperiment), Op: OpEq, Value: String("exp-1")})
		require.NoError(t, err)
	}
	close(stop)
	wg.Wait()
}
