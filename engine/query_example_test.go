package engine_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/trackdb/trackdb/engine"
)

// Query searches runs, reads curves and aggregates them with the query
// language (docs/query.md); the result is typed, and Write renders it.
func ExampleDB_Query() {
	dir, err := os.MkdirTemp("", "trackdb-query-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := engine.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	for i, lr := range []float64{0.1, 0.01, 0.001} {
		id := fmt.Sprintf("run-%d", i)
		_, err := db.CreateRun(engine.RunSpec{ID: id, Experiment: "cifar", StartTime: 1,
			Params: map[string]any{"lr": lr}, Tags: map[string]string{"model": "resnet"}})
		if err != nil {
			log.Fatal(err)
		}
		for step := int64(0); step < 100; step++ {
			acc := 0.5 + float64(step)*lr
			if err := db.Log(id, step, 1000+step, map[string]float64{"val/acc": acc}, nil); err != nil {
				log.Fatal(err)
			}
		}
	}

	ctx := context.Background()
	res, err := db.Query(ctx, `runs where params.lr < 0.05 and tags.model = 'resnet' order by last(val/acc) desc limit 10`)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Runs {
		fmt.Printf("%s lr=%s last(val/acc)=%.3f\n", r.ID, r.Params["lr"], r.Keys[0].Float)
	}

	// A prepared query runs again and again, as a dashboard refreshes.
	p, err := db.Prepare(`series val/acc where run_id = 'run-1' downsample 4`)
	if err != nil {
		log.Fatal(err)
	}
	res, err = p.Exec(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if err := res.Write(os.Stdout, "table"); err != nil {
		log.Fatal(err)
	}

	_, err = db.Query(ctx, `runs where tags.model = = 'resnet'`)
	fmt.Println(err)
	// Output:
	// run-1 lr=0.01 last(val/acc)=1.490
	// run-2 lr=0.001 last(val/acc)=0.599
	// RUN    METRIC   CONTEXT  STEP  VALUE
	// run-1  val/acc  -        0     0.5
	// run-1  val/acc  -        1     0.51
	// run-1  val/acc  -        98    1.48
	// run-1  val/acc  -        99    1.49
	// 1:25: expected a value, found '='
	//   runs where tags.model = = 'resnet'
	//                           ^
}
