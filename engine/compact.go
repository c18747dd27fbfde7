package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/trackdb/trackdb/index"
)

// Compaction turns the head into blocks and merges blocks.
//
// A flush freezes the head under DB.mu (no chunk is copied: the stall is
// proportional to the number of runs and series, about 50 ns each), cuts
// the WAL so that later appends go to new segments, writes the frozen data
// as a level-0 block into blocks/block-N.tmp, fsyncs it, renames it into
// place, fsyncs blocks/, and only then truncates the WAL segments before
// the cut. A crash at any point leaves either no block (the WAL still has
// everything) or a complete block whose meta names the first WAL segment
// to replay.
//
// Merging is size-tiered: whenever mergeFanIn consecutive blocks share a
// level they are merged into one block of the next level. The number of
// blocks stays below mergeFanIn per level, and a point is rewritten once
// per level it climbs: write amplification is about log4(store size /
// flush size), e.g. 4 for 100 M points flushed 1 M at a time. Chunks are
// copied as they are (no re-encoding); run timelines are concatenated.
// A full merge (Compact, or any compaction while deleted runs still have
// data) rewrites every block into one and drops the data of deleted runs.
const mergeFanIn = 4

// Compact flushes the head into a block and merges all blocks into one,
// dropping deleted runs' data. Appends go on meanwhile.
func (db *DB) Compact() error {
	db.compactMu.Lock()
	defer db.compactMu.Unlock()
	if err := db.applyRetention(); err != nil {
		return err
	}
	if err := db.flush(); err != nil {
		return err
	}
	return db.merge(true)
}

// compactAuto is the background compaction: a flush, then size-tiered
// merges (or a full merge when deleted runs wait for their bytes to go).
func (db *DB) compactAuto() error {
	db.compactMu.Lock()
	defer db.compactMu.Unlock()
	if err := db.applyRetention(); err != nil {
		return err
	}
	if err := db.flush(); err != nil {
		return err
	}
	return db.merge(false)
}

func (db *DB) blocksDir() string { return filepath.Join(db.dir, blocksDirName) }

func blockDirName(seq uint64) string { return fmt.Sprintf("%s%08d", blockDirPrefix, seq) }

// flush writes the head as a new block. The caller holds compactMu.
func (db *DB) flush() error {
	// Sync first, outside the lock, so that the fsync the cut does under
	// the lock covers only what arrived in between.
	if err := db.Sync(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	db.mu.Lock()
	if db.mu.closed {
		db.mu.Unlock()
		return ErrClosed
	}
	// The cut must happen under the lock: every record before it is in
	// the frozen data, every record after it in the emptied head.
	f := db.mu.frozen
	if f == nil {
		// No earlier flush left data behind: freeze the head.
		seg, err := db.wal.Cut()
		if err != nil {
			db.mu.Unlock()
			return fmt.Errorf("flush: %w", err)
		}
		f = db.mu.head.freeze(seg)
		if f.empty() {
			db.mu.Unlock()
			return nil
		}
		f.spill = db.rotateSpill()
		db.mu.frozen = f
	}
	seg := f.walStart
	db.mu.Unlock()

	seq := db.nextSeq
	b, err := db.writeFrozen(f, seq)
	if err != nil {
		// The frozen data stays readable and the WAL still holds it; a
		// reopen replays it. Appends can go on, so leave frozen in place
		// until then: dropping it would hide data.
		return fmt.Errorf("flush: %w", err)
	}
	db.nextSeq++
	db.mu.Lock()
	db.mu.blocks = append(db.mu.blocks, b)
	db.mu.frozen = nil
	db.mu.Unlock()
	if f.spill != nil {
		f.spill.release()
	}
	if err := db.wal.Truncate(seg); err != nil {
		return fmt.Errorf("flush: truncate wal: %w", err)
	}
	return nil
}

// writeFrozen writes a frozen head as block seq and opens it.
func (db *DB) writeFrozen(f *frozenHead, seq uint64) (*block, error) {
	tmp := filepath.Join(db.blocksDir(), blockDirName(seq)+".tmp")
	w, err := newBlockWriter(db.fs, tmp)
	if err != nil {
		return nil, err
	}
	for _, r := range f.runs {
		chunks := r.tl.full
		if r.tl.openN > 0 {
			chunks = append(slices.Clip(chunks), r.tl.open)
		}
		if err := w.addRun(r.rec, chunks, r.tl.count); err != nil {
			w.abort()
			return nil, err
		}
	}
	for _, s := range f.series {
		if err := w.addSeries(s.ref, s.runRef, s.metric, s.ctx, s.sum, s.chunks); err != nil {
			w.abort()
			return nil, err
		}
	}
	postings, err := f.ix.Marshal()
	if err != nil {
		w.abort()
		return nil, err
	}
	meta := &blockMeta{seq: seq, order: seq, walStart: f.walStart, level: 0}
	return db.publishBlock(w, meta, f.tombs, postings, tmp, seq)
}

// publishBlock finishes a block, renames it into place, fsyncs the blocks
// directory and opens the block.
func (db *DB) publishBlock(w *blockWriter, meta *blockMeta, tombs []uint32, postings []byte, tmp string, seq uint64) (*block, error) {
	if err := w.finish(meta, tombs, postings); err != nil {
		w.abort()
		return nil, err
	}
	final := filepath.Join(db.blocksDir(), blockDirName(seq))
	if err := db.fs.Rename(tmp, final); err != nil {
		_ = db.fs.RemoveAll(tmp)
		return nil, err
	}
	if err := syncDir(db.fs, db.blocksDir()); err != nil {
		return nil, err
	}
	return openBlock(db.fs, final)
}

// merge merges blocks: everything into one when full is set or deleted
// runs still have data in blocks, else size-tiered. The caller holds
// compactMu.
func (db *DB) merge(full bool) error {
	for {
		db.mu.RLock()
		blocks := slices.Clone(db.mu.blocks)
		db.mu.RUnlock()
		var pick []*block
		if full || hasTombstones(blocks) {
			if len(blocks) > 1 || (len(blocks) == 1 && len(blocks[0].tombs) > 0) {
				pick = blocks
			}
		} else {
			pick = pickTier(blocks)
		}
		if len(pick) == 0 {
			return nil
		}
		if err := db.mergeBlocks(pick, len(pick) == len(blocks)); err != nil {
			return err
		}
		if full {
			return nil
		}
	}
}

func hasTombstones(blocks []*block) bool {
	for _, b := range blocks {
		if len(b.tombs) > 0 {
			return true
		}
	}
	return false
}

// pickTier returns the first mergeFanIn consecutive blocks of one level.
func pickTier(blocks []*block) []*block {
	for i := 0; i+mergeFanIn <= len(blocks); i++ {
		same := true
		for j := i + 1; j < i+mergeFanIn; j++ {
			if blocks[j].meta.level != blocks[i].meta.level {
				same = false
				break
			}
		}
		if same {
			return blocks[i : i+mergeFanIn]
		}
	}
	return nil
}

// mergeBlocks writes one block holding the parents' data and replaces them.
// With all set the parents are every block, so deleted runs' data and their
// tombstones can go.
func (db *DB) mergeBlocks(parents []*block, all bool) error {
	seq := db.nextSeq
	tmp := filepath.Join(db.blocksDir(), blockDirName(seq)+".tmp")
	w, err := newBlockWriter(db.fs, tmp)
	if err != nil {
		return err
	}
	dead := map[uint32]bool{}
	for _, p := range parents {
		for _, r := range p.tombs {
			dead[r] = true
		}
	}
	m := &blockMeta{seq: seq, level: 0, order: parents[0].meta.order}
	for _, p := range parents {
		m.walStart = max(m.walStart, p.meta.walStart)
		m.level = max(m.level, p.meta.level+1)
		m.parents = append(m.parents, p.meta.seq)
	}
	offsets, err := mergeRuns(w, parents, dead)
	if err != nil {
		w.abort()
		return err
	}
	if err := mergeSeries(w, parents, dead, offsets); err != nil {
		w.abort()
		return err
	}
	var tombs []uint32
	if !all {
		for r := range dead {
			tombs = append(tombs, r)
		}
		slices.Sort(tombs)
	}
	postings, err := mergePostings(parents, !all)
	if err != nil {
		w.abort()
		return err
	}
	b, err := db.publishBlock(w, m, tombs, postings, tmp, seq)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	db.nextSeq++
	db.mu.Lock()
	kept := db.mu.blocks[:0:0]
	inserted := false
	for _, old := range db.mu.blocks {
		if slices.Contains(parents, old) {
			if !inserted {
				kept = append(kept, b)
				inserted = true
			}
			continue
		}
		kept = append(kept, old)
	}
	db.mu.blocks = kept
	db.mu.Unlock()
	var errs []error
	for _, p := range parents {
		// Rename first: a crash in the middle of RemoveAll must not
		// leave a half-removed directory under a block's name.
		gone := p.dir + ".tmp"
		if err := db.fs.Rename(p.dir, gone); err != nil {
			errs = append(errs, err)
		} else {
			errs = append(errs, db.fs.RemoveAll(gone))
		}
		p.release()
	}
	if err := syncDir(db.fs, db.blocksDir()); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// mergeRuns writes each live run once: the newest catalogue entry and the
// parents' timelines concatenated in order. It returns, per parent, the
// offset its timeline entries moved to for each run.
func mergeRuns(w *blockWriter, parents []*block, dead map[uint32]bool) ([]map[uint32]uint64, error) {
	offsets := make([]map[uint32]uint64, len(parents))
	var refs []uint32
	seen := map[uint32]bool{}
	for _, p := range parents {
		for r := range p.runs {
			if !seen[r] && !dead[r] {
				seen[r] = true
				refs = append(refs, r)
			}
		}
	}
	slices.Sort(refs)
	for i := range offsets {
		offsets[i] = map[uint32]uint64{}
	}
	var times []int64
	for _, r := range refs {
		times = times[:0]
		var rec runCreateRec
		for i, p := range parents {
			br := p.runs[r]
			if br == nil {
				continue
			}
			rec = br.runCreateRec
			offsets[i][r] = uint64(len(times))
			for c := range br.tl.chunks {
				b, n, err := p.timelineChunk(&br.tl, c)
				if err != nil {
					return nil, err
				}
				if times, err = decodeTimes(b, n, times); err != nil {
					return nil, fmt.Errorf("%w: %s: run %q timeline chunk %d: %v", ErrCorrupt, p.dir, br.id, c, err)
				}
			}
		}
		if err := w.addRun(rec, encodeTimes(times), uint64(len(times))); err != nil {
			return nil, err
		}
	}
	return offsets, nil
}

// mergeSeries writes each live series once with the parents' chunks in
// order, their timeline references moved by the run's offset.
func mergeSeries(w *blockWriter, parents []*block, dead map[uint32]bool, offsets []map[uint32]uint64) error {
	var refs []SeriesRef
	seen := map[SeriesRef]bool{}
	for _, p := range parents {
		for ref, s := range p.series {
			if !seen[ref] && !dead[s.runRef] {
				seen[ref] = true
				refs = append(refs, ref)
			}
		}
	}
	slices.Sort(refs)
	for _, ref := range refs {
		var chunks []*memChunk
		var first *blockSeries
		sum := newSummary()
		for i, p := range parents {
			bs := p.series[ref]
			if bs == nil {
				continue
			}
			if first == nil {
				first = bs
			}
			sum = sum.merge(bs.sum)
			ext, err := p.readExtent(bs.chunks, nil)
			if err != nil {
				return err
			}
			if len(bs.chunks) == 0 {
				continue
			}
			base := bs.chunks[0].off
			for _, c := range bs.chunks {
				xor, idx, err := p.splitSeriesChunk(ext[c.off-base:c.off-base+uint64(c.size)], c.off)
				if err != nil {
					return err
				}
				mc := &memChunk{chunkMeta: c.chunkMeta, xor: xor, idx: idx}
				mc.firstIdx += offsets[i][bs.runRef]
				chunks = append(chunks, mc)
			}
		}
		if err := w.addSeries(ref, first.runRef, first.metric, first.ctx, sum, chunks); err != nil {
			return err
		}
	}
	return nil
}

// backgroundCompactions runs compactAuto whenever the head has grown past
// Options.FlushPoints, until Close.
func (db *DB) backgroundCompactions() {
	defer db.bg.Done()
	for {
		select {
		case <-db.stop:
			return
		case <-db.kick:
		}
		if err := db.compactAuto(); err != nil && !errors.Is(err, ErrClosed) {
			db.opts.Logger.Error("trackdb: background compaction failed", "dir", db.dir, "err", err)
			// Back off so a persistent failure (disk full) does not spin.
			select {
			case <-db.stop:
				return
			case <-time.After(time.Second):
			}
		}
	}
}

// maybeKick asks for a background compaction when the head is big enough.
// The caller holds DB.mu.
func (db *DB) maybeKick() {
	if db.mu.head.epochPoints >= db.opts.FlushPoints {
		select {
		case db.kick <- struct{}{}:
		default:
		}
	}
}

// mergePostings flattens the parents' run indexes into one. Deletions are
// kept while older blocks remain under the merged one.
func mergePostings(parents []*block, keepDeletions bool) ([]byte, error) {
	layers := make([]*index.Block, len(parents))
	for i, p := range parents {
		layers[i] = p.postings
	}
	h, err := index.NewView(nil, layers...).Flatten(keepDeletions)
	if err != nil {
		return nil, fmt.Errorf("merge run index: %w", indexErr(err))
	}
	return h.Marshal()
}
