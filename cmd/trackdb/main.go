// Command trackdb is the command-line face of the trackdb metric store: it
// ingests and dumps JSON Lines, lists runs, and runs a demo sweep. Run
// "trackdb help" for the commands; docs/cli.md describes each one, its
// output formats and exit codes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit codes, the same for every command.
const (
	exitOK    = 0 // success
	exitError = 1 // the command ran and failed: bad input data, I/O, a store error
	exitUsage = 2 // the command line is wrong: unknown command or flag, bad flag value
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program behind main, with its streams passed in so
// that tests drive commands in-process. It returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return runHelp(args[1:], stdout, stderr)
	}
	cmd := lookup(args[0])
	if cmd == nil {
		fmt.Fprintf(stderr, "trackdb: unknown command %q\nRun 'trackdb help' for the list of commands.\n", args[0])
		return exitUsage
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, help on stdout
	exec := cmd.setup(fs)
	operands, err := parseInterleaved(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(stdout, cmd, fs)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "trackdb %s: %v\nRun 'trackdb %s -h' for usage.\n", cmd.name, err, cmd.name)
		return exitUsage
	}
	err = exec(&env{stdin: stdin, stdout: stdout, stderr: stderr}, operands)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "trackdb %s: %v\n", cmd.name, err)
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "Run 'trackdb %s -h' for usage.\n", cmd.name)
		return exitUsage
	}
	return exitError
}

// env is what a command reads and writes besides its flags and operands.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError marks a command-line mistake found after flag parsing (a bad
// flag value, a wrong number of operands), which exits with exitUsage
// instead of exitError.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// parseInterleaved parses flags and operands in any order, so that
// "trackdb ingest data.jsonl --ack" works as well as the flag-first order
// the flag package expects. "--" ends the flags; "-" is an operand.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(operands, rest...), nil
		}
		if len(rest) == 0 {
			return operands, nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}
