package index_test

import (
	"fmt"

	"github.com/trackdb/trackdb/index"
)

// The engine's side: keep a head current, write it as a block, and answer
// a search through a View over both.
func Example() {
	h := index.NewHead()
	acc := h.Series("val/acc", "")
	for ord, lr := range []float64{0.1, 0.01, 0.001} {
		o := uint32(ord)
		_ = h.Set(o, index.Attr(index.AttrExperiment), index.String("cifar"))
		_ = h.Set(o, index.Param("lr"), index.Float(lr))
		_ = h.Set(o, index.Tag("model"), index.String("resnet"))
		_ = h.SetSummary(o, acc, index.Summary{Count: 100, Last: 0.9 - lr, Min: 0.1, Max: 0.95})
	}
	data, _ := h.Marshal()
	block, _ := index.Load(data)

	// After the block was written: a tag changes and a run is deleted.
	head := index.NewHead()
	_ = head.Set(1, index.Tag("model"), index.String("vit"))
	head.DeleteRun(2)

	var sel index.Selector = index.NewView(head, block)
	runs, _ := sel.Select(index.And{
		index.Cond{Field: index.Param("lr"), Op: index.OpEq, Value: index.String("0.01")}, // MLflow's text form
		index.Cond{Field: index.Tag("model"), Op: index.OpEq, Value: index.String("vit")},
	})
	fmt.Println(runs.ToArray())
	all, _ := sel.Select(nil)
	top, _ := sel.Sort(all, []index.SortKey{{Field: index.Metric("val/acc", "", index.StatLast), Desc: true}}, 0, 10)
	fmt.Println(top)
	// Output:
	// [1]
	// [1 0]
}
