package vfs

import (
	"errors"
	"io"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestErrorFSFailsTheNthOperation(t *testing.T) {
	e := NewErrorFS(NewMem(), OpWrite, 1, FailOp)
	f, err := e.Create("/a")
	require.NoError(t, err)
	_, err = f.Write([]byte("one"))
	require.NoError(t, err)
	_, err = f.Write([]byte("two"))
	require.ErrorIs(t, err, ErrInjected)
	_, err = f.Write([]byte("three"))
	require.NoError(t, err)
	require.EqualValues(t, 3, e.Count())
	require.True(t, e.Fired())
	require.NoError(t, f.Close())
	g, err := e.Open("/a")
	require.NoError(t, err)
	b, err := io.ReadAll(g)
	require.NoError(t, err)
	require.Equal(t, "onethree", string(b))
}

func TestErrorFSShortWriteDiskFullFlip(t *testing.T) {
	mem := NewMem()
	e := NewErrorFS(mem, OpWrite, 0, ShortWrite)
	f, err := e.Create("/a")
	require.NoError(t, err)
	n, err := f.Write([]byte("abcdef"))
	require.ErrorIs(t, err, ErrInjected)
	require.Equal(t, 3, n)

	e = NewErrorFS(mem, OpSync, 0, DiskFull)
	f, err = e.Create("/b")
	require.NoError(t, err)
	err = f.Sync()
	require.ErrorIs(t, err, syscall.ENOSPC)
	require.ErrorIs(t, err, ErrInjected)
	_, err = f.Write([]byte("x"))
	require.ErrorIs(t, err, syscall.ENOSPC, "full until cleared")
	e.ClearDiskFull()
	_, err = f.Write([]byte("x"))
	require.NoError(t, err)

	e = NewErrorFS(mem, OpRead, 0, FlipBit)
	g, err := e.Open("/a")
	require.NoError(t, err)
	buf := make([]byte, 3)
	_, err = g.ReadAt(buf, 0)
	require.NoError(t, err)
	require.NotEqual(t, "abc", string(buf))

	e = NewErrorFS(mem, OpRename|OpRemove, 1, FailOp)
	require.NoError(t, e.Rename("/a", "/c"))
	require.True(t, errors.Is(e.Remove("/c"), ErrInjected))
}
