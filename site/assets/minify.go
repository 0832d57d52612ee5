package assets

import (
	"github.com/evanw/esbuild/pkg/api"

	"unblocked/site/diag"
)

// minify shrinks a module or the stylesheet before it is hashed: comments, whitespace and
// local names go (the modules are commented for their readers, and a lesson page loads about
// thirty of them). Exported names, import specifiers and strings stay as written, so the pages,
// the tests that import modules by name and the rewritten imports see what they saw before.
// esbuild parses what it minifies: a syntax error in a module or the stylesheet fails the build,
// named by file, line and column, instead of surfacing in a learner's console.
func minify(file string, src []byte, loader api.Loader) ([]byte, error) {
	r := api.Transform(string(src), api.TransformOptions{
		Loader:            loader,
		Format:            formatOf(loader),
		Target:            api.ESNext, // nothing rewritten for older browsers: the site needs ES modules anyway
		Charset:           api.CharsetUTF8,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Sourcefile:        file,
	})
	if len(r.Errors) > 0 {
		var errs diag.List
		for _, m := range r.Errors {
			line, col := 0, 0
			if m.Location != nil {
				line, col = m.Location.Line, m.Location.Column+1
			}
			errs.Add(diag.Errorf(file, line, col, "%s", m.Text))
		}
		return nil, errs
	}
	return r.Code, nil
}

func formatOf(l api.Loader) api.Format {
	if l == api.LoaderJS {
		return api.FormatESModule
	}
	return api.FormatDefault
}
