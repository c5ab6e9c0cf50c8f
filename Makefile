# triggerwidget — see README.md. The two commands a newcomer needs:
#   make demo   build everything, seed a demo database, serve the demo site and admin
#   make test   every test: native, wasm under Node, headless Chromium
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
ADDR      ?= 127.0.0.1:8080
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GOROOT    := $(shell $(GO) env GOROOT)
WASM_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
# The wasm tests run with the GOEXPERIMENT the shipped wasm is built with
# (distbuild.WasmExperiment: the previous collector where the go command
# still has it). Recursive, so only the targets that use it ask for it.
WASM_GOEXPERIMENT = $(shell $(GO) run ./internal/cmd/distbuild -goexperiment)
# ... and with its GOFLAGS: an -overlay of the few files of Go's own
# packages the wasm build patches (distbuild.WasmGOFLAGS; docs/design.md,
# "Patches to the toolchain").
WASM_GOFLAGS = $(shell $(GO) run ./internal/cmd/distbuild -goflags)
# A count, not a duration: with -fuzztime as a duration, Go's fuzzing
# coordinator now and then fails a clean run with "context deadline
# exceeded" when its time is up (seen about once in fifty short runs).
FUZZTIME  ?= 100000x
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help build demo test test-native test-wasm fuzz lint generate bench screenshots deps clean

help:
	@echo "make demo    build the widget and serve the demo site on http://$(ADDR)/"
	@echo "make test    run every test (native, wasm under Node, headless Chromium)"
	@echo "make build   build the deployable widget into dist/"
	@echo "make bench   sizes, load time in Chromium, engine benchmarks"
	@echo "make screenshots  the README's pictures of the widget (docs/widget-*.png)"

## build: the deployable widget in dist/
build:
	$(GO) run ./internal/cmd/distbuild -out dist -version $(VERSION)

## demo: build, seed the demo database once, then serve the demo site,
## the widget, the published demo properties and the admin's API
DEMO_DATA     ?= .demo
DEMO_EMAIL    := demo@example.com
DEMO_PASSWORD := triggerwidget-demo
demo: build
	$(GO) build -o bin/widgetd ./cmd/widgetd
	@if [ ! -e $(DEMO_DATA)/widgetd.db ]; then \
		echo "seeding $(DEMO_DATA)/: account $(DEMO_EMAIL), properties demo and demo-fr from demo/properties/"; \
		printf '%s\n' '$(DEMO_PASSWORD)' | bin/widgetd user add -data $(DEMO_DATA) -email $(DEMO_EMAIL) >/dev/null; \
		bin/widgetd property add -data $(DEMO_DATA) -owner $(DEMO_EMAIL) -id demo -name "Demo shop" \
			-url http://$(ADDR)/ -set demo/properties/demo.json >/dev/null; \
		bin/widgetd property add -data $(DEMO_DATA) -owner $(DEMO_EMAIL) -id demo-fr -name "Boutique de démo (français)" \
			-url http://$(ADDR)/fr.html -set demo/properties/demo-fr.json >/dev/null; \
	fi
	@echo "triggerwidget admin login: $(DEMO_EMAIL) / $(DEMO_PASSWORD)   (rm -r $(DEMO_DATA) to start over)"
	bin/widgetd -addr $(ADDR) -data $(DEMO_DATA) -dist dist -site demo/site

## test: everything CI runs
test: deps lint generate test-native test-wasm fuzz
	@echo "make test: all passed"

## deps: what the tests need on a fresh Debian machine (Node comes with it);
## the tests start and remove their own PostgreSQL cluster (internal/pgtest)
deps:
	@command -v node >/dev/null || { echo "Node.js is required for the wasm tests (apt-get install nodejs)"; exit 1; }
	@missing=""; command -v chromium >/dev/null || missing=" chromium"; \
	dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing="$$missing fonts-noto-color-emoji"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian's packages$$missing for the browser and database tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f e2e/axe/node_modules/axe-core/axe.min.js ] || { echo "installing axe-core from the npm registry for the accessibility checks"; \
		npm ci --prefix e2e/axe --silent --no-audit --no-fund; }
	@[ -f cmd/widget/testdata/typescript/node_modules/typescript/bin/tsc ] || { echo "installing TypeScript from the npm registry to check the widget's declarations"; \
		npm ci --prefix cmd/widget/testdata/typescript --silent --no-audit --no-fund; }
	@$(GO) mod download

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	@# The browser tests' build of the widget (wasm/testclock.go); never make build's.
	GOOS=js GOARCH=wasm $(GO) vet -tags triggerwidget_testclock ./wasm/
	$(GO) tool staticcheck ./...
	$(GO) run ./cmd/triggers validate demo/properties/*.json
	$(GO) run ./cmd/triggers fmt -check demo/properties/*.json
	@# The tool itself must be built natively; only the analysis is for js/wasm.
	sc=$$($(GO) tool -n staticcheck) && GOOS=js GOARCH=wasm $$sc ./... && GOOS=js GOARCH=wasm $$sc -tags triggerwidget_testclock ./wasm/

## generate: regenerate the easyjson code and fail if it differs from the commit
generate:
	$(GO) generate ./widget/...
	@git diff --exit-code --stat -- widget/widget_easyjson.go || { echo "generated code is stale: run 'go generate ./widget/...' and commit"; exit 1; }

## test-native: unit, server and headless-Chromium tests
test-native:
	TRIGGERWIDGET_REQUIRE_BROWSER=1 $(GO) test -count=1 ./...

## test-wasm: the domain and the browser platform compiled to wasm, under Node
## (widget/strict and widget/simulate are native-only tools: not here)
test-wasm:
	GOOS=js GOARCH=wasm GOEXPERIMENT=$(WASM_GOEXPERIMENT) GOFLAGS="$(WASM_GOFLAGS)" $(GO) test -count=1 -exec="$(WASM_EXEC)" ./widget/ ./wasm/...

## fuzz: a short run of each fuzzer over its committed corpus
fuzz:
	@for pkg in ./widget/ ./widget/strict/ ./upload/ ./internal/jsonlex/ ./internal/jsonwrite/; do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
			out=$$($(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg 2>&1) || { echo "$$out" | tail -40; exit 1; }; \
		done; \
	done

## bench: speed and size goals live here, never in tests
bench: deps
	$(GO) run ./internal/cmd/bench

## screenshots: the README's pictures of a customised widget, taken in
## headless Chromium (internal/cmd/screenshots)
screenshots: deps
	$(GO) run ./internal/cmd/screenshots -out docs

clean:
	rm -rf dist bin .cache
