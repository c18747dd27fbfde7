// Package harness runs the whole-workload benchmarks: trackdb against
// Prometheus TSDB, SQLite with MLflow's schema and Pebble with an Aim-like
// layout, on the same generated data, and reports every figure as a
// median with min–max, absolutely and as a ratio trackdb/peer.
//
// # Shape
//
// [Config] says what to run; [Run] runs it and writes the reports. Each
// (workload, system, repetition) runs in a child process — the harness
// binary re-executed with a hidden flag, entering [RunChild] — so that
// peak resident memory (VmHWM from /proc) belongs to one system alone and
// no system inherits another's heap. Repetitions interleave the systems,
// so a burst of load on a shared machine hits them all alike.
//
// # Missing figures
//
// A system that cannot measure a figure says why (systems.System.Missing);
// the reports print "missing" and the reason, never a number.
package harness
