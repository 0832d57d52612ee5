# The two commands of the README: `make serve` and `make test`.
GO    ?= go
ADDR  ?= 127.0.0.1:8080
OUT   ?= public

.PHONY: serve test build check bench generate editor pyodide fmt embed workbook release

serve: ## build, serve on http://$(ADDR)/ and reload pages on every save
	$(GO) run ./cmd/workbook serve -addr $(ADDR)

test: ## format, vet, unit, example (native + Node) and real-Chromium tests
	@unformatted="$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go'))"; \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	@echo "make test: vet, $$(date -u +%T) UTC"
	$(GO) vet ./...
	$(GO) vet -tags timed ./...
	@# teachers' laptops: workbook builds for Windows and macOS too
	GOOS=windows $(GO) build -o /dev/null ./cmd/workbook
	GOOS=darwin $(GO) build -o /dev/null ./cmd/workbook
	@# unit tier: hermetic (no Node, no Chromium, no wall clock), under the race detector
	@echo "make test: unit tier, $$(date -u +%T) UTC"
	$(GO) test -race -timeout 10m $$($(GO) list ./... | grep -v '^unblocked/e2e')
	@# the timed tier alone (Node, real js/wasm builds, ratios of timings): TestTimed… in //go:build timed files
	@echo "make test: timed tier, $$(date -u +%T) UTC"
	$(GO) test -tags timed -run Timed -p 1 -timeout 20m $$($(GO) list ./... | grep -v '^unblocked/e2e')
	@# e2e tier last, alone: real Chromium, timing programs on a 2-core machine
	@echo "make test: e2e tier, $$(date -u +%T) UTC"
	$(GO) test -timeout 20m ./e2e/...

build: ## static site into $(OUT)/ (atomic: a failed build leaves $(OUT) as it was); SITE_URL=https://… for absolute links
	$(GO) run ./cmd/workbook build -o $(OUT)$(if $(SITE_URL), -site-url $(SITE_URL))

check: ## validate lessons, links, examples; list every problem
	$(GO) run ./cmd/workbook check

bench: ## benchmarks + real-Chromium figures → docs/bench.md
	$(GO) run ./cmd/bench -o docs/bench.md

generate: ## regenerate templ components and the interpreter's symbol tables (both committed)
	$(GO) tool templ generate -path site/templates
	$(GO) generate ./site/interp/symbols

editor: ## rebuild the vendored CodeMirror bundle (needs npm; the output is committed)
	cd site/editor && npm ci && npm run build

# --- One binary (docs/arch/classroom.md): the workbook a teacher copies to a laptop ---------------
EMBED := cmd/workbook/embedded/files
RELEASE_TARGETS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64

embed: ## the built site (served pages, the interpreter) and go.mod into $(EMBED)/, which go build embeds
	$(GO) run ./cmd/workbook build -embed -o $(EMBED)/site
	mkdir -p $(EMBED)/module && cp go.mod go.sum $(EMBED)/module/

workbook: embed ## ./workbook: one binary that serves the whole workbook from any folder
	$(GO) build -trimpath -o workbook ./cmd/workbook

release: embed ## dist/workbook-<os>-<arch>[.exe] for Linux, macOS and Windows
	@mkdir -p dist
	@for t in $(RELEASE_TARGETS); do \
	  os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "dist/workbook-$$os-$$arch$$ext"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w" -o dist/workbook-$$os-$$arch$$ext ./cmd/workbook || exit 1; \
	done

pyodide: ## re-vendor Pyodide (Run Python) from npm into site/assets/pyodide/ (the output is committed)
	cd site/pyodide && npm ci --ignore-scripts --no-audit --no-fund && npm run vendor
