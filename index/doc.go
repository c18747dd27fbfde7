// Package index finds runs: roaring-bitmap postings over run attributes,
// typed params and tags, sorted numeric views, and metric summaries kept
// as an index, so that a run search over 100,000 runs costs microseconds
// to a millisecond and never decodes a chunk. It knows ordinals, fields
// and values, not the engine: the engine feeds it and maps ordinals back
// to run IDs.
//
// # Ordinals, fields and values
//
// Runs are dense uint32 ordinals, assigned by the engine in creation order
// and never reused. A [Field] is an attribute ([AttrExperiment],
// [AttrName], [AttrStatus], [AttrRunID] as strings; [AttrStartTime],
// [AttrEndTime] as ints), a param, a tag, or one statistic ([StatLast],
// [StatMin], [StatMax], [StatCount]) of a metric series in a context
// ([ContextKey]). A [Value] is a string, int64, float64 or bool; its
// canonical text ([Value.String], Python's str()) is what text predicates
// compare.
//
// # Predicates
//
// A [Predicate] is a [Cond] or [And], [Or], [Not] over predicates. A
// condition's literal chooses its domain: a string literal compares the
// canonical text of every value (so MLflow's params.lr = '0.01' matches a
// float 0.01), a number compares ints and floats exactly, a bool compares
// bools. Operators are =, !=, <, <=, >, >=, IN, NOT IN, LIKE and ILIKE (%
// and _), RE2 regex, prefix, IS NULL and IS NOT NULL. NaN never satisfies
// a comparison. Not is the complement within the live runs. [SortKey]s
// order runs with NaN and missing values last, as MLflow does.
//
// # Selector
//
// [Selector] is the interface the query package calls and the engine
// implements: Select evaluates a predicate to a bitmap of ordinals, Sort
// orders a bitmap by keys with offset and limit. [View] implements it over
// one [Head] and any number of [Block]s.
//
// # Head
//
// The [Head] is mutable: the engine calls [Head.Set] and [Head.Delete] as
// attributes, params and tags change, [Head.DeleteRun] for a deleted run,
// and [Head.SetSummary] (with a [SeriesID] from [Head.Series]) after every
// append. Strings live in per-field dictionaries with postings; numbers in
// per-field columns whose sorted views are built on the first range query
// and patched afterwards, so a summary update costs tens of nanoseconds
// however often it happens.
//
// # Blocks
//
// [Head.Marshal] writes the serialized form stored with a block and [Load]
// reads it without decoding it: magic "TDBI", a version, a header with a
// CRC32C per section, fields and series directories binary-searched in
// place, and per-field and per-series bodies (each with its CRC32C, checked
// on first use) holding postings, a sorted string dictionary with an
// offsets table, sorted number arrays, a forward map and, per series,
// statistic columns with a sorted permutation each. docs/format/index.md
// specifies it byte by byte. [Block.Verify] checks every checksum and
// cross-reference and reports a [CorruptionError] with the section and
// offset. Decoders of untrusted bytes never panic and allocate in
// proportion to their input.
//
// # Merging
//
// A [View] merges its layers by one rule: for each (run, field) the newest
// layer holding a state (a value, or a recorded deletion) wins, and a run
// deleted in any layer is dead. So a tag changed or deleted after a block
// was written reads as the head says, and a run deleted later disappears
// from every block. [View.Flatten] merges layers into a new head for
// compaction.
//
// # Concurrency
//
// A Head is safe for concurrent use: writes take its lock exclusively, a
// View call holds it shared for the duration of the call. A Block is
// immutable and safe for concurrent use; it keeps the bytes given to Load,
// which must not change.
//
// # Memory
//
// With 20 params, 5 tags and 10 metrics per run the head holds about 0.8
// KiB per run as built and about 1.4 KiB once every sorted view has been
// built (BenchmarkMemory, BenchmarkMemoryAllViews); the serialized form is
// about 1 KiB per run. The costs per run: a string value shared by many
// runs is 4 bytes plus its share of a roaring bitmap, a string value of its
// own about 100 bytes plus its length; a number 9 bytes, and 12 more once
// its sorted view exists; a series summary 32 bytes, and 12 per statistic
// whose view exists. Columns switch to maps for fields that few, scattered
// runs have, so memory follows the values held, not the ordinal range.
//
// # Errors
//
// Errors wrap the sentinels in errors.go ([ErrInvalidPredicate],
// [ErrCorrupt], ...); corruption is a [CorruptionError].
package index
