package engine

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trackdb/trackdb/index"
)

// loadBlocks opens every block, removes leftovers of interrupted
// compactions, and rebuilds the head's runs and series from the blocks'
// catalogues. It returns the WAL segment replay must start from.
func (db *DB) loadBlocks() (int, error) {
	dir := db.blocksDir()
	if err := db.fs.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	if err := syncDir(db.fs, db.dir); err != nil {
		return 0, err
	}
	names, err := db.fs.List(dir)
	if err != nil {
		return 0, err
	}
	var blocks []*block
	fail := func(err error) (int, error) {
		for _, b := range blocks {
			b.release()
		}
		return 0, err
	}
	broken := map[string]error{}
	for _, name := range names {
		path := filepath.Join(dir, name)
		switch {
		case strings.HasSuffix(name, ".tmp"):
			// A block that never got renamed into place (its data is
			// still in the WAL or in its parents), or a replaced parent
			// renamed away before removal.
			if err := db.fs.RemoveAll(path); err != nil {
				return fail(err)
			}
		case strings.HasPrefix(name, blockDirPrefix):
			b, err := openBlock(db.fs, path)
			if err != nil {
				broken[name] = err
				continue
			}
			blocks = append(blocks, b)
		}
	}
	// Parents of a merged block are left over when a crash came between
	// publishing the merge and removing them.
	replaced := map[uint64]bool{}
	for _, b := range blocks {
		for _, p := range b.meta.parents {
			replaced[p] = true
		}
	}
	// A block that does not open is an error, unless a merged block
	// replaced it and its removal was cut short.
	for name, err := range broken {
		seq, perr := strconv.ParseUint(strings.TrimPrefix(name, blockDirPrefix), 10, 64)
		if perr != nil || !replaced[seq] {
			return fail(fmt.Errorf("block %s: %w", name, err))
		}
		if err := db.fs.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fail(err)
		}
	}
	live := blocks[:0]
	for _, b := range blocks {
		if replaced[b.meta.seq] {
			b.release()
			if err := db.fs.RemoveAll(b.dir); err != nil {
				return fail(err)
			}
			continue
		}
		live = append(live, b)
	}
	blocks = live
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].meta.order < blocks[j].meta.order })

	walStart := 0
	h := db.mu.head
	for _, b := range blocks {
		h.loadBlock(b)
		walStart = max(walStart, b.meta.walStart)
		db.nextSeq = max(db.nextSeq, b.meta.seq+1)
	}
	// The blocks carry their own run index; the head's starts empty.
	h.ix = index.NewHead()
	for _, r := range h.runs {
		if r != nil {
			r.dirty = false
		}
	}
	for _, s := range h.series {
		if s != nil {
			s.fresh = false
		}
	}
	db.mu.blocks = blocks
	return walStart, nil
}

// loadBlock applies a block's catalogue and series table to the head.
// Blocks must come in order: a later block's catalogue entry wins.
func (h *head) loadBlock(b *block) {
	refs := make([]uint32, 0, len(b.runs))
	for r := range b.runs {
		refs = append(refs, r)
	}
	slices.Sort(refs)
	for _, ref := range refs {
		br := b.runs[ref]
		r := h.lookupRun(ref)
		if r == nil {
			h.applyRunCreate(&br.runCreateRec)
			continue
		}
		r.experiment, r.name, r.status, r.start, r.end = br.experiment, br.name, br.status, br.start, br.end
		h.applyParams(r, br.params)
		// The catalogue holds the whole tag and dataset sets as of the block.
		r.tags = nil
		h.applyTags(r, br.tags, nil)
		r.datasets = slices.Clone(br.datasets)
	}
	for _, ref := range b.tombs {
		if r := h.lookupRun(ref); r != nil && !r.deleted {
			// Already persisted in a block: not pending again.
			r.deleted = true
			if h.byID[r.id] == r {
				delete(h.byID, r.id)
			}
		}
	}
	srefs := make([]SeriesRef, 0, len(b.series))
	for r := range b.series {
		srefs = append(srefs, r)
	}
	slices.Sort(srefs)
	for _, ref := range srefs {
		bs := b.series[ref]
		s := h.lookupSeries(ref)
		if s == nil {
			s = h.applySeries(ref, h.runs[bs.runRef], bs.metric, bs.ctx)
		}
		s.sum = s.sum.merge(bs.sum)
	}
}

func (h *head) lookupRun(ref uint32) *runState {
	if int(ref) >= len(h.runs) {
		return nil
	}
	return h.runs[ref]
}
