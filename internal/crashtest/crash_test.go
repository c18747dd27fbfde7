package crashtest

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/trackdb/trackdb/engine"
)

var (
	iterations = flag.Int("crash.iterations", 12, "kills to survive")
	seedFlag   = flag.Uint64("crash.seed", 0, "seed (0: from the clock)")
)

const (
	childEnv = "TRACKDB_CRASHTEST_CHILD"
	runs     = 3
)

// point j of the deterministic stream every writer sends.
func point(j int) (run string, step int64, value float64) {
	return fmt.Sprintf("run-%d", j%runs), int64(j / runs), float64(float32(math.Sin(float64(j)) * 10))
}

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if err := writer(dir); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// writer reopens the store, continues the stream where the store ends, and
// prints "ack N" after each durable commit: the first N points are durable.
// It compacts now and then, so kills also land inside compactions.
func writer(dir string) error {
	policy, _ := engine.ParseSyncPolicy(os.Getenv("TRACKDB_CRASHTEST_SYNC"))
	db, err := engine.Open(dir, &engine.Options{Sync: policy, FlushPoints: 2000, ChunkSamples: 32, WALSegmentSize: 64 << 10})
	if err != nil {
		return err
	}
	next := 0
	for r := range runs {
		id := fmt.Sprintf("run-%d", r)
		if _, err := db.Run(id); err != nil {
			if _, err := db.CreateRun(engine.RunSpec{ID: id}); err != nil {
				return err
			}
		} else if s, err := db.LookupSeries(id, "v", nil); err == nil {
			next += int(s.Summary.Count)
		}
	}
	out := bufio.NewWriter(os.Stdout)
	for j := next; ; j++ {
		run, step, v := point(j)
		if err := db.Log(run, step, 1000+step, map[string]float64{"v": v}, nil); err != nil {
			return err
		}
		if j%50 == 49 {
			if err := db.Sync(); err != nil {
				return err
			}
			fmt.Fprintf(out, "ack %d\n", j+1)
			out.Flush()
		}
		if j%3000 == 2999 {
			if err := db.Compact(); err != nil {
				return err
			}
		}
	}
}

// TestKillWriter kills the writer again and again; after each kill the
// store must open without error and hold a prefix of the stream at least
// as long as the last acknowledgement.
func TestKillWriter(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -crash.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	exe, err := os.Executable()
	require.NoError(t, err)
	base := t.TempDir()
	var dir string
	maxAcked, lost := 0, 0
	for it := range *iterations {
		// A fresh store every 50 kills keeps each check's reads bounded.
		if it%50 == 0 {
			dir = filepath.Join(base, fmt.Sprintf("store-%d", it/50))
			maxAcked = 0
		}
		policy := []string{"always", "interval", "never"}[rng.IntN(3)]
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+dir, "TRACKDB_CRASHTEST_SYNC="+policy)
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		acks := make(chan int, 1024)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack ")); err == nil {
					acks <- n
				}
			}
			close(acks)
		}()
		wait := time.Duration(20+rng.IntN(400)) * time.Millisecond
		timer := time.After(wait)
		acked := maxAcked
	collect:
		for {
			select {
			case n, ok := <-acks:
				if !ok {
					break collect
				}
				acked = max(acked, n)
			case <-timer:
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				timer = nil
			}
		}
		_ = cmd.Wait()
		require.NotContains(t, stderr.String(), "writer:", "iteration %d: the writer failed", it)

		db, err := engine.Open(dir, &engine.Options{FlushPoints: -1})
		require.NoError(t, err, "iteration %d: reopen after kill", it)
		total := 0
		for r := range runs {
			id := fmt.Sprintf("run-%d", r)
			s, err := db.LookupSeries(id, "v", nil)
			if err != nil {
				continue
			}
			pit, err := db.Points(s.Ref, engine.MinStep, engine.MaxStep)
			require.NoError(t, err)
			n := 0
			for pit.Next() {
				p := pit.At()
				_, step, v := point(n*runs + r)
				require.Equal(t, step, p.Step, "iteration %d run %s point %d", it, id, n)
				require.Equal(t, math.Float64bits(v), math.Float64bits(p.Value), "iteration %d run %s point %d", it, id, n)
				n++
			}
			require.NoError(t, pit.Err())
			total += n
		}
		// A prefix of the whole stream: run r holds the points j < total
		// with j % runs == r.
		for r := range runs {
			want := total / runs
			if r < total%runs {
				want++
			}
			s, err := db.LookupSeries(fmt.Sprintf("run-%d", r), "v", nil)
			if err == nil {
				require.Equal(t, int64(want), s.Summary.Count, "iteration %d: not a prefix", it)
			}
		}
		require.GreaterOrEqual(t, total, acked, "iteration %d (%s): acknowledged points lost", it, policy)
		lost += max(0, acked-total)
		maxAcked = max(maxAcked, acked)
		require.NoError(t, db.Close())
		if it%10 == 9 || it == *iterations-1 {
			rep, err := engine.Verify(dir, nil)
			require.NoError(t, err)
			require.True(t, rep.OK(), "iteration %d: %v", it, rep.Problems)
		}
	}
	t.Logf("%d kills survived, %d acknowledged points lost", *iterations, lost)
}
