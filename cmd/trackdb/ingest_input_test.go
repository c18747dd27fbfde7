package main

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"
)

func readAll(t *testing.T, r io.Reader) ([]string, error) {
	t.Helper()
	lr := newLineReader(r)
	defer lr.close()
	var lines []string
	for {
		b, err := lr.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return lines, nil
			}
			return lines, err
		}
		lines = append(lines, string(b))
	}
}

func TestLineReaderSplitsAcrossReads(t *testing.T) {
	long := strings.Repeat("x", 3*chunkSize+17) // spans several chunks
	text := "a\n\nbc\r\n" + long + "\nlast"
	want := []string{"a", "", "bc\r", long, "last"}
	for name, r := range map[string]io.Reader{
		"whole":    strings.NewReader(text),
		"one byte": iotest.OneByteReader(strings.NewReader(text)),
		"half":     iotest.HalfReader(strings.NewReader(text)),
		"data+EOF": iotest.DataErrReader(strings.NewReader(text)),
	} {
		got, err := readAll(t, r)
		require.NoError(t, err, name)
		require.Equal(t, want, got, name)
	}
	got, err := readAll(t, strings.NewReader(""))
	require.NoError(t, err)
	require.Empty(t, got)
	got, err = readAll(t, strings.NewReader("only\n"))
	require.NoError(t, err)
	require.Equal(t, []string{"only"}, got)
}

func TestLineReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := readAll(t, io.MultiReader(strings.NewReader("a\nb\npartial"), iotest.ErrReader(boom)))
	require.ErrorIs(t, err, boom)
	require.Equal(t, []string{"a", "b"}, got, "a line cut by a read error is not a line")
}

func TestLineReaderNoProgress(t *testing.T) {
	_, err := readAll(t, zeroReader{})
	require.ErrorIs(t, err, io.ErrNoProgress)
}

// zeroReader returns (0, nil) forever, which a Reader should not.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }
