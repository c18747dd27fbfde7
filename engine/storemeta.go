package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/trackdb/trackdb/internal/vfs"
)

// The store marker file names a directory as a trackdb store and carries
// the format version. Layout (docs/format/store.md), big-endian:
//
//	+-----------+-----------+----------------+-----------+
//	| magic (4) | version(4)| created ms (8) | CRC32C(4) |
//	+-----------+-----------+----------------+-----------+
//
// These constants are part of the on-disk format.
const (
	storeFileName = "TRACKDB"
	storeMagic    = 0x54524B44 // "TRKD"
	storeFileSize = 20
	// FormatVersion is the store format this version writes and reads.
	FormatVersion = 1
	lockFileName  = "LOCK"
	walDirName    = "wal"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// initStore makes dir a store: it refuses a non-empty directory without the
// marker, writes the marker when missing, and checks its version.
func initStore(fs vfs.FS, dir string) error {
	if err := fs.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create store directory: %w", err)
	}
	marker := filepath.Join(dir, storeFileName)
	if _, err := fs.Stat(marker); err == nil {
		return checkStoreFile(fs, marker)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	names, err := fs.List(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		// A marker that never got renamed into place means a crash while
		// the store was being created: nothing else was written yet.
		if n != lockFileName && n != storeFileName+".tmp" {
			return fmt.Errorf("%w: %s holds %q and no %s file", ErrNotStore, dir, n, storeFileName)
		}
	}
	var b [storeFileSize]byte
	binary.BigEndian.PutUint32(b[0:], storeMagic)
	binary.BigEndian.PutUint32(b[4:], FormatVersion)
	binary.BigEndian.PutUint64(b[8:], uint64(time.Now().UnixMilli()))
	binary.BigEndian.PutUint32(b[16:], crc32.Checksum(b[:16], castagnoli))
	tmp := marker + ".tmp"
	f, err := fs.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(b[:]); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := fs.Rename(tmp, marker); err != nil {
		return err
	}
	if err := syncDir(fs, dir); err != nil {
		return err
	}
	// The store directory itself may be new: make its entry durable too.
	return syncDir(fs, filepath.Dir(filepath.Clean(dir)))
}

func checkStoreFile(fs vfs.FS, name string) error {
	f, err := fs.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var b [storeFileSize]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	if binary.BigEndian.Uint32(b[0:]) != storeMagic {
		return fmt.Errorf("%w: %s has the wrong magic number", ErrNotStore, name)
	}
	if crc32.Checksum(b[:16], castagnoli) != binary.BigEndian.Uint32(b[16:]) {
		return fmt.Errorf("%w: %s: checksum mismatch at offset 16", ErrCorrupt, name)
	}
	if v := binary.BigEndian.Uint32(b[4:]); v != FormatVersion {
		return fmt.Errorf("%w: %s has version %d, this trackdb reads version %d", ErrFormatVersion, name, v, FormatVersion)
	}
	return nil
}

func syncDir(fs vfs.FS, dir string) error {
	d, err := fs.OpenDir(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}
