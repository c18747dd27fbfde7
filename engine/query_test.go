package engine

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/internal/jsonl"
	"github.com/trackdb/trackdb/internal/vfs"
	"github.com/trackdb/trackdb/query"
)

var updateQuery = flag.Bool("update-query", false, "rewrite the expected output in ../query/testdata/*.test")

// TestQueryScripts runs the query language scripts in ../query/testdata:
//
//	load
//	{"run":"r1","params":{"lr":0.1}}      JSON Lines as trackdb ingest reads them
//	{"run":"r1","step":0,"metrics":{"loss":2.3}}
//
//	query [format=csv|json] QUERY          the query, on one line
//	----
//	expected output (table format by default; an error's text for one that fails)
//
//	compact                                 compact the head into a block
//
// Blocks are separated by blank lines; lines starting with # are comments.
// Each file starts a new store. -update-query rewrites the expected output.
func TestQueryScripts(t *testing.T) {
	files, err := filepath.Glob("../query/testdata/*.test")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runQueryScript(t, file) })
	}
}

func runQueryScript(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	db := openMem(t, vfs.NewMem(), nil)
	lines := strings.Split(string(data), "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case line == "load":
			out.WriteString(line + "\n")
			for i++; i < len(lines) && lines[i] != ""; i++ {
				out.WriteString(lines[i] + "\n")
				require.NoError(t, loadLine(db, lines[i]), "%s:%d", file, i+1)
			}
			if i < len(lines) {
				out.WriteString("\n")
			}
		case line == "compact":
			require.NoError(t, db.Compact(), "%s:%d", file, i+1)
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, "query "):
			lineNo := i + 1
			text, format := strings.TrimPrefix(line, "query "), "table"
			if f, rest, ok := strings.Cut(text, " "); ok && strings.HasPrefix(f, "format=") {
				format, text = strings.TrimPrefix(f, "format="), rest
			}
			i++
			require.True(t, i < len(lines) && lines[i] == "----", "%s:%d: query without ----", file, lineNo)
			var want []string
			for i++; i < len(lines) && lines[i] != ""; i++ {
				want = append(want, lines[i])
			}
			got := queryOutput(t, db, text, format)
			out.WriteString(line + "\n----\n" + got)
			if i < len(lines) {
				out.WriteString("\n")
			}
			if !*updateQuery {
				require.Equal(t, strings.Join(want, "\n"), strings.TrimSuffix(got, "\n"), "%s:%d: %s", file, lineNo, text)
			}
		default:
			require.True(t, line == "" || strings.HasPrefix(line, "#"), "%s:%d: unknown line %q", file, i+1, line)
			out.WriteString(line)
			if i < len(lines)-1 {
				out.WriteString("\n")
			}
		}
	}
	if *updateQuery {
		require.NoError(t, os.WriteFile(file, []byte(out.String()), 0o644))
	}
}

// queryOutput runs text and renders the result, or the error, with
// trailing spaces trimmed from each line.
func queryOutput(t *testing.T, db *DB, text, format string) string {
	res, err := db.Query(context.Background(), text)
	var buf bytes.Buffer
	if err != nil {
		buf.WriteString("error: " + err.Error() + "\n")
	} else {
		require.NoError(t, res.Write(&buf, format))
		if res.NextPageToken != "" {
			fmt.Fprintf(&buf, "next page: %s\n", res.NextPageToken)
		}
	}
	var b strings.Builder
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		b.WriteString(strings.TrimRight(sc.Text(), " ") + "\n")
	}
	return b.String()
}

// loadLine applies one JSON Lines record as trackdb ingest does: a run
// line creates the run or updates it, a points line logs points (creating
// the run).
func loadLine(db *DB, text string) error {
	var p jsonl.Parser
	var l jsonl.Line
	if err := p.Parse([]byte(text), &l); err != nil {
		return err
	}
	_, err := db.Run(l.Run)
	exists := err == nil
	if l.Kind == jsonl.KindPoints {
		if !exists {
			if _, err := db.CreateRun(RunSpec{ID: l.Run, StartTime: 1}); err != nil {
				return err
			}
		}
		return db.Log(l.Run, l.Step, l.Time, l.Metrics, Context(l.Context))
	}
	var status Status
	if l.Status != "" {
		if status, err = ParseStatus(l.Status); err != nil {
			return err
		}
	}
	var ds []Dataset
	for _, d := range l.Datasets {
		ds = append(ds, Dataset{Name: d.Name, Digest: d.Digest, Context: d.Context})
	}
	if !exists {
		_, err := db.CreateRun(RunSpec{ID: l.Run, Experiment: l.Experiment, Name: l.Name, Status: status,
			StartTime: l.StartTime, EndTime: l.EndTime, Params: l.Params, Tags: l.Tags, Datasets: ds})
		return err
	}
	u := RunUpdate{Params: l.Params, Tags: l.Tags, Datasets: ds}
	if l.Has(jsonl.FieldStatus) {
		u.Status = &status
	}
	if l.Has(jsonl.FieldEndTime) {
		u.EndTime = &l.EndTime
	}
	return db.UpdateRun(l.Run, u)
}

func TestQueryCancelAndLimits(t *testing.T) {
	db := openMem(t, vfs.NewMem(), nil)
	_, err := db.CreateRun(RunSpec{ID: "r", StartTime: 1})
	require.NoError(t, err)
	for s := range 10000 {
		require.NoError(t, db.Log("r", int64(s), 1, map[string]float64{"loss": float64(s)}, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = db.Query(ctx, `series loss`)
	require.ErrorIs(t, err, context.Canceled)
	_, err = db.Query(ctx, `runs`)
	require.ErrorIs(t, err, context.Canceled)

	_, err = query.Exec(context.Background(), db.QuerySource(), `series loss`, &query.Options{MaxPoints: 9999})
	require.ErrorIs(t, err, query.ErrTooLarge)
	res, err := query.Exec(context.Background(), db.QuerySource(), `series loss downsample 100`, &query.Options{MaxPoints: 9999})
	require.NoError(t, err)
	require.Len(t, res.Curves[0].Points, 100)

	p, err := db.Prepare(`runs where metrics.loss > 5000`)
	require.NoError(t, err)
	res, err = p.Exec(context.Background())
	require.NoError(t, err)
	require.Len(t, res.Runs, 1)
	_, err = db.Prepare(`runs where`)
	require.ErrorIs(t, err, query.ErrSyntax)
}

// TestQueryConcurrentWithWrites runs a prepared query from several
// goroutines while runs are created and points logged (run with -race).
func TestQueryConcurrentWithWrites(t *testing.T) {
	db := openMem(t, vfs.NewMem(), nil)
	p, err := db.Prepare(`series mean(loss) where params.lr < 0.5 group by params.lr downsample 10`)
	require.NoError(t, err)
	search, err := db.Prepare(`runs where metrics.loss >= 0 order by last(loss) desc limit 3`)
	require.NoError(t, err)
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 3 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := p.Exec(context.Background()); err != nil {
					errs <- err
					return
				}
				if _, err := search.Exec(context.Background()); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 20 {
		id := fmt.Sprintf("w%d", i)
		_, err := db.CreateRun(RunSpec{ID: id, StartTime: 1, Params: map[string]any{"lr": float64(i%4) / 10}})
		require.NoError(t, err)
		for s := range 200 {
			require.NoError(t, db.Log(id, int64(s), 1, map[string]float64{"loss": float64(s)}, nil))
		}
	}
	close(done)
	for range 3 {
		require.NoError(t, <-errs)
	}
	res, err := p.Exec(context.Background())
	require.NoError(t, err)
	require.Len(t, res.Curves, 4)
	for _, c := range res.Curves {
		require.Equal(t, 5, c.Runs)
		require.Len(t, c.Points, 10)
	}
}
