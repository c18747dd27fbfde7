package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// A command is one entry of the subcommand table. New commands (query,
// import, export, stats, verify, compact) are added by writing a file with
// a newXxxCommand function and listing it in commands.
type command struct {
	// name is the word after "trackdb".
	name string
	// summary is the one line "trackdb help" shows.
	summary string
	// operands describes what follows the flags in the usage line, such
	// as "[FILE...]"; empty for none.
	operands string
	// doc is the longer help text of "trackdb help NAME".
	doc string
	// hidden lists flags left out of the help: test and benchmark knobs
	// that a user should not need.
	hidden []string
	// setup declares the command's flags on fs and returns the function
	// that runs the command once they are parsed. Keeping the flag values
	// in setup's closure gives each invocation its own, which is what lets
	// tests run commands in-process, one after the other.
	setup func(fs *flag.FlagSet) func(e *env, operands []string) error
}

// commands returns the table, in the order help lists it.
func commands() []*command {
	return []*command{
		newDemoCommand(),
		newIngestCommand(),
		newDumpCommand(),
		newRunsCommand(),
		newStatsCommand(),
		newCompactCommand(),
		newVerifyCommand(),
		newQueryCommand(),
		newImportCommand(),
		newExportCommand(),
		newPlotCommand(),
	}
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `trackdb is the command-line tool of the trackdb metric store.

Usage:

	trackdb <command> [flags] [operands]

Commands:

`)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "\t%s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, `
Run 'trackdb help <command>' or 'trackdb <command> -h' for a command's flags.
New here? Run 'trackdb demo'.
`)
}

// runHelp implements "trackdb help [COMMAND]".
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		printUsage(stdout)
		return exitOK
	case 1:
		c := lookup(args[0])
		if c == nil {
			fmt.Fprintf(stderr, "trackdb help: unknown command %q\nRun 'trackdb help' for the list of commands.\n", args[0])
			return exitUsage
		}
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.setup(fs)
		printCommandHelp(stdout, c, fs)
		return exitOK
	}
	fmt.Fprintln(stderr, "usage: trackdb help [command]")
	return exitUsage
}

// printCommandHelp writes a command's usage line, doc and flags. Flags are
// shown with two dashes, as the docs write them; the flag package takes
// one or two.
func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	usage := "trackdb " + c.name + " [flags]"
	if c.operands != "" {
		usage += " " + c.operands
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", usage, strings.TrimSpace(c.doc))
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if slices.Contains(c.hidden, f.Name) {
			return
		}
		if first {
			fmt.Fprint(w, "\nFlags:\n")
			first = false
		}
		typ, text := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if typ != "" {
			line += " " + typ
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, text)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}
