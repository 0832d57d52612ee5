package language

import (
	"slices"
	"testing"
)

func TestLanguages(t *testing.T) {
	if got := Codes(); !slices.Equal(got, []string{"en", "zh"}) {
		t.Errorf("Codes() = %v", got)
	}
	for code, want := range map[string][2]string{"en": {"en", "English"}, "zh": {"zh-Hans", "中文"}, "fr": {"fr", "fr"}} {
		if Tag(code) != want[0] || Label(code) != want[1] {
			t.Errorf("%s: tag %q label %q, want %q %q", code, Tag(code), Label(code), want[0], want[1])
		}
	}
	Codes()[0] = "changed"
	if Codes()[0] != "en" {
		t.Error("Codes returns the package's own slice")
	}
}
