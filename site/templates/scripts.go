package templates

// Scripts is what a page's layout needs of the asset pipeline (site/assets.Output).
type Scripts struct {
	CSP     string   // the Content-Security-Policy, as a <meta http-equiv> before anything it governs
	Head    string   // the inline script run before the stylesheet (theme), allowed by its hash in CSP
	Entry   string   // URL of the entry module, <script type=module>
	Preload []string // URLs of the modules the entry imports, <link rel=modulepreload>
}
