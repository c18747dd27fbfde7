// Package jsonl reads and writes trackdb's JSON Lines interchange format:
// one JSON object a line, each either describing a run or logging points.
// It knows the format and nothing of the engine, so it can be tested and
// fuzzed on its own; cmd/trackdb applies parsed lines to a store.
//
// # Lines
//
// A line with "metrics" logs points; any other line creates or updates a
// run:
//
//	{"run":"r1","experiment":"cifar","name":"lr-0.1","params":{"lr":0.1,"opt":"adam"},"tags":{"git":"3f2a"},"start_time":1700000000000}
//	{"run":"r1","step":0,"time":1700000000000,"metrics":{"loss":2.31,"acc":0.1}}
//	{"run":"r1","step":0,"context":{"subset":"val"},"metrics":{"acc":0.12}}
//	{"run":"r1","status":"finished","end_time":1700000900000}
//
// A metrics line may also log a single point as dump writes it, with
// "metric" and "value" in place of "metrics":
//
//	{"run":"r1","metric":"acc","context":{"subset":"val"},"step":0,"time":1700000000000,"value":0.12}
//
// # Keys
//
//	key         lines    type
//	run         all      non-empty string, required
//	experiment  run      string
//	name        run      string
//	status      run      running, finished, failed or killed, any case
//	start_time  run      integer, Unix milliseconds
//	end_time    run      integer, Unix milliseconds
//	params      run      object: string, integer, float, bool or nested object values
//	tags        run      object of strings
//	datasets    run      array of {"name": string, "digest": string, "context": string}
//	step        metrics  integer, required
//	time        metrics  integer, Unix milliseconds; absent means Parser.Now
//	context     metrics  object of strings, the series' context labels
//	metrics     metrics  object of metric values
//	metric      metrics  string, with value: one point
//	value       metrics  metric value, with metric
//
// Keys may come in any order. An unknown key, a key given twice, or a key
// on the wrong kind of line is an error (ErrField), never ignored: a typo
// such as "metric" for "metrics", or "step" on a line without metrics,
// would otherwise store something other than what was meant without a
// word. The optional keys accept null as "absent", as Python's None.
//
// # Numbers
//
// Metric values are converted with strconv.ParseFloat on the literal, so
// any float64 printed as its shortest round-trip decimal comes back with
// the same bits, -0 and subnormals included. A literal beyond the float64
// range reads as ±Inf, as Python and JavaScript read it. NaN and the
// infinities are accepted as the bare tokens NaN, Infinity and -Infinity
// that Python's json.dumps writes, and as strings: "NaN", "Infinity",
// "-Infinity", and case-insensitively "nan", "inf", "infinity" with an
// optional sign. Every NaN becomes the quiet NaN of NaNBits.
//
// Steps and times must be integers. A literal whose value is an exact
// integer, such as 3.0 or 1.5e3, is accepted, because Python code that
// computes a step with "/" writes floats; a fraction such as 1.5 is an
// error rather than silently rounded. Values are read from the decimal
// digits, never through float64, so all of int64 is exact.
//
// Param integers (no fraction, no exponent) become int64 and other
// numbers float64, so a param logged as 1.0 stays a float; the bare
// non-finite tokens are float params, and quoted they are strings.
//
// # Errors and limits
//
// Parse returns an *Error carrying the byte column, the field path
// ("metrics.loss", "datasets[0].name") and a message, and wrapping
// ErrSyntax, ErrField or ErrLimit. It never panics, and it allocates in
// proportion to the line: lines are at most MaxLineLen bytes and params
// nest at most MaxParamDepth levels. Strings must be valid UTF-8; escapes
// are decoded, and a lone UTF-16 surrogate escape is an error rather than
// a silently replaced character.
package jsonl
