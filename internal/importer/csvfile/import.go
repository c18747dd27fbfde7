package csvfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/trackdb/trackdb/internal/importer/sink"
)

// Format is the importer's name.
const Format = "csv"

// Import imports one CSV file.
func Import(s *sink.Sink, path string, progress func(int64)) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	digest, err := sink.Fingerprint([]string{abs})
	if err != nil {
		return err
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	defer f.Close()
	if progress != nil {
		if fi, err := f.Stat(); err == nil {
			defer progress(fi.Size())
		}
	}
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return sink.InFile(path, err)
	}
	lay, err := parseHeader(header)
	if err != nil {
		return sink.AtLine(path, 1, err)
	}
	im := &importer{s: s, src: sink.Source{Format: Format, Path: abs, Digest: digest}, runs: map[string]*sink.Run{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				s.Skip(1)
				if werr := s.Warn(sink.AtLine(path, pe.Line, err)); werr != nil {
					return werr
				}
				continue
			}
			return sink.InFile(path, err)
		}
		line, _ := cr.FieldPos(0) // the record has at least one field
		if err := im.row(&lay, rec); err != nil {
			var re *rowError
			if !errors.As(err, &re) {
				return sink.AtLine(path, line, err)
			}
			s.Skip(1)
			msg := re.err
			if re.col >= 0 && re.col < len(rec) {
				_, col := cr.FieldPos(re.col)
				msg = fmt.Errorf("column %d: %w", col, re.err)
			}
			if werr := s.Warn(sink.AtLine(path, line, msg)); werr != nil {
				return werr
			}
		}
	}
	for _, id := range im.order {
		if err := im.runs[id].Finish(); err != nil {
			return err
		}
	}
	return nil
}
