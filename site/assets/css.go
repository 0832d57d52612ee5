package assets

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
)

// stylesheet concatenates css/*.css in name order (each under a comment naming it), then the
// highlighting rules, into one file: a page loads one stylesheet.
func (p *pipeline) stylesheet() error {
	files, err := fs.Glob(p.fsys, "css/*.css")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s/css: no stylesheets", p.opt.Dir)
	}
	sort.Strings(files)
	var css bytes.Buffer
	for _, f := range files {
		data, err := p.read(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(&css, "/* %s */\n", f)
		css.Write(data)
		css.WriteByte('\n')
	}
	css.WriteString(p.opt.Highlight)
	p.out.CSS = p.hashed("site", ".css", css.Bytes())
	return nil
}
