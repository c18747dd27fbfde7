package engine_test

import (
	"fmt"
	"log"
	"os"

	"github.com/trackdb/trackdb/engine"
)

// The README's quick start: open a store, create a run with typed params,
// log a training loop, read a curve and its summary back.
func Example() {
	dir, err := os.MkdirTemp("", "trackdb-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := engine.Open(dir, nil) // nil: default options
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	run, err := db.CreateRun(engine.RunSpec{
		ID:         "resnet-lr0.1",
		Experiment: "cifar10",
		Params:     map[string]any{"lr": 0.1, "optimizer": map[string]any{"name": "sgd", "momentum": 0.9}},
		Tags:       map[string]string{"git": "3f2a9c1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	start := int64(1_700_000_000_000) // Unix ms
	for step := int64(0); step < 1000; step++ {
		loss := 2.3 / float64(step+1)
		err := db.Log(run, step, start+step*250, map[string]float64{"loss": loss, "lr": 0.1}, nil)
		if err != nil {
			log.Fatal(err)
		}
	}
	_ = db.Log(run, 999, start+250_000, map[string]float64{"acc": 0.91}, engine.Context{"subset": "val"})
	_ = db.SetStatus(run, engine.StatusFinished, 0)

	loss, _ := db.LookupSeries(run, "loss", nil)
	it, _ := db.Points(loss.Ref, 0, 2) // steps 0..2
	for it.Next() {
		p := it.At()
		fmt.Printf("step %d loss %.4f\n", p.Step, p.Value)
	}
	fmt.Printf("%d points, last %.4f at step %d\n", loss.Summary.Count, loss.Summary.Last, loss.Summary.LastStep)

	info, _ := db.Run(run)
	fmt.Println(info.Status, info.Params["optimizer.name"], info.Params["lr"].Type)
	// Output:
	// step 0 loss 2.3000
	// step 1 loss 1.1500
	// step 2 loss 0.7667
	// 1000 points, last 0.0023 at step 999
	// finished sgd float
}
