package assets

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"

	"github.com/evanw/esbuild/pkg/api"

	"unblocked/site/diag"
)

// stylesheet concatenates css/*.css in name order, then the highlighting rules, each minified,
// into one file: a page loads one stylesheet.
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
	var errs diag.List
	add := func(file string, src []byte) {
		out, err := minify(file, src, api.LoaderCSS) // one file at a time: an error names its own
		errs.Add(err)
		css.Write(out)
	}
	for _, f := range files {
		data, err := p.read(f)
		if err != nil {
			return err
		}
		add(p.opt.Dir+"/"+f, data)
	}
	add("the highlighting rules (site/markdown)", []byte(p.opt.Highlight))
	if err := errs.Err(); err != nil {
		return errs
	}
	p.out.CSS = p.hashed("site", ".css", css.Bytes())
	return nil
}
