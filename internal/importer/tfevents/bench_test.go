package tfevents

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/trackdb/trackdb/engine"
	"github.com/trackdb/trackdb/internal/importer/sink"
)

// benchFile returns an event file of steps events, each logging tags
// simple_value scalars as PyTorch's SummaryWriter does (one event per
// add_scalar call).
func benchFile(steps, tags int) []byte {
	var file []byte
	for step := range steps {
		for k := range tags {
			v := float32(math.Exp(-float64(step)/1000) + float64(k))
			file = frame(file, eventBytes(1.7e9+float64(step)*0.01, int64(step), simpleValue(fmt.Sprintf("train/metric_%d", k), v)))
		}
	}
	return file
}

// BenchmarkReadDecode is the reader alone: framing, both CRCs and the
// Event decoding.
func BenchmarkReadDecode(b *testing.B) {
	file := benchFile(50000, 8)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	var ev Event
	for b.Loop() {
		rr := NewRecordReader(bytes.NewReader(file), int64(len(file)))
		for rr.Next() {
			if err := Decode(rr.Record(), &ev); err != nil {
				b.Fatal(err)
			}
		}
		if rr.Err() != nil {
			b.Fatal(rr.Err())
		}
	}
}

// BenchmarkImport is the whole import into a store: MB/s of event data.
func BenchmarkImport(b *testing.B) {
	file := benchFile(50000, 8)
	dir := b.TempDir()
	path := filepath.Join(dir, "logs", "run", "events.out.tfevents.1.host")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, file, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		db, err := engine.Open(filepath.Join(dir, fmt.Sprint("store", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		s := sink.New(db, false, nil)
		if err := Import(s, filepath.Join(dir, "logs"), nil); err != nil {
			b.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
