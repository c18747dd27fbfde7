package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/trackdb/trackdb/internal/jsonl"
)

// errLineTooLong is returned by lineReader.next for a line longer than
// jsonl.MaxLineLen; reading stops there.
var errLineTooLong = fmt.Errorf("line longer than %d bytes", jsonl.MaxLineLen)

// Read-ahead sizing: chunkSize bytes per read, chunkCount buffers in
// flight. A few buffers let the reader run ahead of a busy consumer, so
// that "nothing is buffered" really means the producer has nothing more.
const (
	chunkSize  = 256 << 10
	chunkCount = 4
)

// chunk is the result of one Read.
type chunk struct {
	b   []byte
	err error
}

// lineReader splits an input into lines. A goroutine does the reads and
// hands over chunks through a channel, so that the consumer can ask
// whether more input is already waiting (ready) without blocking: ingest
// commits and acknowledges exactly when the producer falls silent, which
// gives a line-at-a-time producer prompt acks and a fast one few fsyncs.
type lineReader struct {
	chunks chan chunk
	free   chan []byte
	done   chan struct{}

	held  []byte // buffer of the chunk being split, returned to free when done
	cur   []byte // unconsumed bytes of that chunk
	carry []byte // a line spanning chunks
	err   error  // the read error (io.EOF at the end) after the last chunk
}

func newLineReader(r io.Reader) *lineReader {
	lr := &lineReader{
		chunks: make(chan chunk, chunkCount),
		free:   make(chan []byte, chunkCount),
		done:   make(chan struct{}),
		held:   make([]byte, 0, chunkSize), // goes to free on the first fetch
	}
	for range chunkCount - 1 {
		lr.free <- make([]byte, 0, chunkSize)
	}
	go lr.readLoop(r)
	return lr
}

func (lr *lineReader) readLoop(r io.Reader) {
	for {
		var b []byte
		select {
		case b = <-lr.free:
		case <-lr.done:
			return
		}
		n, err := readSome(r, b[:cap(b)])
		select {
		case lr.chunks <- chunk{b[:n], err}:
		case <-lr.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// readSome reads at least one byte or fails. An io.Reader may return
// (0, nil); one that keeps doing so is broken, and like bufio we give up
// rather than spin.
func readSome(r io.Reader, b []byte) (int, error) {
	for range 100 {
		if n, err := r.Read(b); n > 0 || err != nil {
			return n, err
		}
	}
	return 0, io.ErrNoProgress
}

// next returns the next line without its "\n". The line is valid until
// the following call. At the end of the input it returns io.EOF; a final
// line without "\n" is still a line.
func (lr *lineReader) next() ([]byte, error) {
	lr.carry = lr.carry[:0]
	for {
		if i := bytes.IndexByte(lr.cur, '\n'); i >= 0 {
			line := lr.cur[:i]
			lr.cur = lr.cur[i+1:]
			if len(lr.carry) == 0 {
				return line, nil
			}
			if len(lr.carry)+len(line) > jsonl.MaxLineLen {
				return nil, errLineTooLong
			}
			lr.carry = append(lr.carry, line...)
			return lr.carry, nil
		}
		if len(lr.carry)+len(lr.cur) > jsonl.MaxLineLen {
			return nil, errLineTooLong
		}
		lr.carry = append(lr.carry, lr.cur...)
		lr.cur = nil
		if lr.err != nil {
			// At the end of the input, a last line without "\n" is still a
			// line; before a read error it is a fragment, not stored.
			if len(lr.carry) > 0 && errors.Is(lr.err, io.EOF) {
				line := lr.carry
				lr.carry = lr.carry[len(lr.carry):] // the next call sees no carry and ends
				return line, nil
			}
			return nil, lr.err
		}
		// The held buffer is fully copied or consumed: recycle it, then
		// wait for the next chunk.
		lr.free <- lr.held[:0]
		c := <-lr.chunks
		lr.held, lr.cur = c.b, c.b
		if c.err != nil {
			lr.err = c.err
		}
	}
}

// ready reports whether input is already waiting, so that next will not
// block on the producer. It may say false when a read is just completing;
// the cost of that is one early commit, never a wrong one.
func (lr *lineReader) ready() bool {
	return len(lr.cur) > 0 || lr.err != nil || len(lr.chunks) > 0
}

// close stops the reading goroutine. A Read already blocked (on a
// terminal, say) finishes on its own; its result is dropped.
func (lr *lineReader) close() {
	select {
	case <-lr.done:
	default:
		close(lr.done)
	}
}
