package engine

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateRunID reports whether id can name a run. IDs may later name files
// and appear in URLs, so path separators, NUL and the dot names are out.
func ValidateRunID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: empty", ErrInvalidRunID)
	case len(id) > MaxRunIDLen:
		return fmt.Errorf("%w: %d bytes, longest allowed is %d", ErrInvalidRunID, len(id), MaxRunIDLen)
	case id == "." || id == "..":
		return fmt.Errorf("%w: %q", ErrInvalidRunID, id)
	case !utf8.ValidString(id):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrInvalidRunID, id)
	}
	for i, r := range id {
		if r == '/' || r == '\\' || !unicode.IsPrint(r) {
			return fmt.Errorf("%w: %q has %q at byte %d", ErrInvalidRunID, id, r, i)
		}
	}
	return nil
}

// checkText validates a free-text field: valid UTF-8, at most max bytes, no
// control characters except tab and newline when multiline is set.
func checkText(s string, max int, multiline bool) string {
	if len(s) > max {
		return fmt.Sprintf("%d bytes, longest allowed is %d", len(s), max)
	}
	if !utf8.ValidString(s) {
		return "not valid UTF-8"
	}
	for i, r := range s {
		if r == 0 || (unicode.IsControl(r) && !(multiline && (r == '\t' || r == '\n' || r == '\r'))) {
			return fmt.Sprintf("control character %q at byte %d", r, i)
		}
	}
	return ""
}

// ValidateMetricName reports whether name can name a metric.
func ValidateMetricName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty", ErrInvalidMetric)
	}
	if msg := checkText(name, MaxMetricNameLen, false); msg != "" {
		return fmt.Errorf("%w: %q: %s", ErrInvalidMetric, truncate(name), msg)
	}
	return nil
}

// ValidateContext reports whether ctx can label a series: at most
// MaxLabels labels, non-empty printable names and values within their limits.
func ValidateContext(ctx Context) error {
	if len(ctx) > MaxLabels {
		return fmt.Errorf("%w: %d labels, at most %d", ErrInvalidContext, len(ctx), MaxLabels)
	}
	for k, v := range ctx {
		if k == "" {
			return fmt.Errorf("%w: empty label name", ErrInvalidContext)
		}
		if msg := checkText(k, MaxLabelNameLen, false); msg != "" {
			return fmt.Errorf("%w: label name %q: %s", ErrInvalidContext, truncate(k), msg)
		}
		if msg := checkText(v, MaxLabelValueLen, false); msg != "" {
			return fmt.Errorf("%w: label %q value %q: %s", ErrInvalidContext, k, truncate(v), msg)
		}
	}
	return nil
}

func validateAttribute(what, s string) error {
	if msg := checkText(s, MaxAttributeLen, false); msg != "" {
		return fmt.Errorf("%w: %s %q: %s", ErrInvalidAttribute, what, truncate(s), msg)
	}
	return nil
}

func validateParam(p Param) error {
	if p.Key == "" || strings.HasPrefix(p.Key, ".") || strings.HasSuffix(p.Key, ".") || strings.Contains(p.Key, "..") {
		return fmt.Errorf("%w: key %q has an empty path element", ErrInvalidParam, p.Key)
	}
	if msg := checkText(p.Key, MaxParamKeyLen, false); msg != "" {
		return fmt.Errorf("%w: key %q: %s", ErrInvalidParam, truncate(p.Key), msg)
	}
	if p.Value.Type == TypeString {
		if msg := checkText(p.Value.Str, MaxParamValueLen, true); msg != "" {
			return fmt.Errorf("%w: %q value: %s", ErrInvalidParam, p.Key, msg)
		}
	}
	return nil
}

// ValidateTag reports whether k and v can be stored as a tag.
func ValidateTag(k, v string) error {
	if k == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidTag)
	}
	if msg := checkText(k, MaxTagKeyLen, false); msg != "" {
		return fmt.Errorf("%w: key %q: %s", ErrInvalidTag, truncate(k), msg)
	}
	if msg := checkText(v, MaxTagValueLen, true); msg != "" {
		return fmt.Errorf("%w: %q value: %s", ErrInvalidTag, k, msg)
	}
	return nil
}

// truncate keeps error messages readable when the bad input is huge.
func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// ValidateDataset reports whether d can be stored as a run input.
func ValidateDataset(d Dataset) error {
	if d.Name == "" {
		return fmt.Errorf("%w: empty name", ErrInvalidDataset)
	}
	for _, f := range [...]struct{ what, v string }{{"name", d.Name}, {"digest", d.Digest}, {"context", d.Context}} {
		if msg := checkText(f.v, MaxDatasetFieldLen, false); msg != "" {
			return fmt.Errorf("%w: %s %q: %s", ErrInvalidDataset, f.what, truncate(f.v), msg)
		}
	}
	return nil
}

// newDatasets returns the datasets of add that have is missing, in order,
// without repeats, after validating all of add.
func newDatasets(have, add []Dataset) ([]Dataset, error) {
	var out []Dataset
	for _, d := range add {
		if err := ValidateDataset(d); err != nil {
			return nil, err
		}
		if !slices.Contains(have, d) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}
