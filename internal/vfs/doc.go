// Package vfs is the file-system seam of trackdb: the write-ahead log and the
// engine do every file operation through an [FS], never through package os.
//
// Two implementations live here. [Default] is the operating system. [MemFS]
// keeps everything in memory and models durability: [MemFS.CrashClone]
// returns what a power cut would leave behind, so crash recovery can be tested
// without killing processes. Because every operation goes through the
// interface, a fault-injecting wrapper only has to embed an FS and override
// the calls it wants to fail.
//
// # Durability model
//
// An FS promises what POSIX promises, no more:
//
//   - bytes written to a [File] survive a crash only after File.Sync returns;
//   - a new, renamed or removed directory entry survives a crash only after the
//     parent directory, opened with [FS.OpenDir], has been synced;
//   - [FS.Rename] replaces the target atomically.
//
// Code that wants a file to exist after a crash must therefore sync the file
// and then its directory.
package vfs
