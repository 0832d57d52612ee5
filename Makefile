# The two commands of the README: `make serve` and `make test`.
GO    ?= go
ADDR  ?= 127.0.0.1:8080
OUT   ?= public

.PHONY: serve test build check bench generate editor fmt

serve: ## build, serve on http://$(ADDR)/ and reload pages on every save
	$(GO) run ./cmd/workbook serve -addr $(ADDR)

test: ## format, vet, unit, example (native + Node) and real-Chromium tests
	@unformatted="$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go'))"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@# the browser tests after the rest, not beside them: both time programs on a 2-core machine
	$(GO) test -timeout 10m $$($(GO) list ./... | grep -v '^unblocked/e2e')
	$(GO) test -timeout 20m ./e2e/...

build: ## static site into $(OUT)/ (atomic: a failed build leaves $(OUT) as it was)
	$(GO) run ./cmd/workbook build -o $(OUT)

check: ## validate lessons, links, examples; list every problem
	$(GO) run ./cmd/workbook check

bench: ## benchmarks + real-Chromium figures → docs/bench.md
	$(GO) run ./cmd/bench -o docs/bench.md

generate: ## regenerate templ components (the *_templ.go files are committed)
	$(GO) tool templ generate -path site/templates

editor: ## rebuild the vendored CodeMirror bundle (needs npm; the output is committed)
	cd site/editor && npm ci && npm run build
