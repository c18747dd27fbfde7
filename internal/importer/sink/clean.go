package sink

import (
	"fmt"

	"github.com/trackdb/trackdb/engine"
)

// CleanParams drops the params the engine would refuse (bad keys, values
// too long), passing each to Warn with where (a file or directory) they
// came from, so one bad
// param does not lose a run. It returns the params to store, or an error
// when Warn does (strict mode).
func (s *Sink) CleanParams(where string, params map[string]any) (map[string]any, error) {
	for k, v := range params {
		if _, err := engine.FlattenParams(map[string]any{k: v}); err != nil {
			delete(params, k)
			s.Skip(1)
			if werr := s.Warn(InFile(where, fmt.Errorf("param dropped: %w", err))); werr != nil {
				return nil, werr
			}
		}
	}
	return params, nil
}

// CleanTags drops the tags the engine would refuse, as CleanParams.
func (s *Sink) CleanTags(where string, tags map[string]string) (map[string]string, error) {
	for k, v := range tags {
		if err := engine.ValidateTag(k, v); err != nil {
			delete(tags, k)
			s.Skip(1)
			if werr := s.Warn(InFile(where, fmt.Errorf("tag dropped: %w", err))); werr != nil {
				return nil, werr
			}
		}
	}
	return tags, nil
}
