package index

// RechecksumForTesting rewrites, in place, every checksum of a serialized
// index that it can locate: each body's in its directory entry, each
// section's in the header, and the header's own. Fuzz targets call it so
// that mutated bytes get past the checksums to the decoders behind them,
// which no random mutation would otherwise reach. Extents that do not fit
// data are skipped; it never panics.
func RechecksumForTesting(data []byte) {
	if len(data) < HeaderSize {
		return
	}
	sect := func(at int) []byte {
		off, n := le.Uint64(data[at:]), uint64(le.Uint32(data[at+8:]))
		if off > uint64(len(data)) || n > uint64(len(data))-off {
			return nil
		}
		return data[off : off+n]
	}
	body := func(off uint64, n uint64) []byte {
		if off > uint64(len(data)) || n > uint64(len(data))-off {
			return nil
		}
		return data[off : off+n]
	}
	if s := sect(32); len(s) >= 4 {
		n := uint64(le.Uint32(s))
		for i := uint64(0); i < n && 4+(i+1)*fieldEntrySize <= uint64(len(s)); i++ {
			e := s[4+i*fieldEntrySize:]
			if b := body(le.Uint64(e[16:]), uint64(le.Uint32(e[12:]))); b != nil {
				le.PutUint32(e[24:], crc(b))
			}
		}
	}
	if s := sect(48); len(s) >= 4 {
		n := uint64(le.Uint32(s))
		for i := uint64(0); i < n && 4+(i+1)*seriesEntrySize <= uint64(len(s)); i++ {
			e := s[4+i*seriesEntrySize:]
			if b := body(le.Uint64(e[16:]), uint64(le.Uint32(e[24:]))); b != nil {
				le.PutUint32(e[28:], crc(b))
			}
		}
	}
	for _, at := range []int{16, 32, 48} {
		if s := sect(at); s != nil {
			le.PutUint32(data[at+12:], crc(s))
		}
	}
	le.PutUint32(data[68:], crc(data[:68]))
}
