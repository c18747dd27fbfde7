// Package crashtest kills a writing process with SIGKILL at random moments
// and checks what survives: every acknowledged point, and exactly a prefix
// of what was written. Its test re-executes the test binary as the writer.
//
//	go test ./internal/crashtest                          # short form
//	go test ./internal/crashtest -crash.iterations=1000   # long form
//	go test ./internal/crashtest -crash.seed=N            # replay a run
package crashtest
