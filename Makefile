# Marketplace Insights. The DuckDB driver is cgo; the Arrow API needs the duckdb_arrow tag.
export CGO_ENABLED := 1
export GOFLAGS := -tags=duckdb_arrow

BIN      := bin/insights
DEMO     := demo
GO_TEST  := go test -count=1 -timeout 20m

.PHONY: build test check demo bench bench-scale bench-incremental bench-ingest fuzz vet clean chromium hydra look look-pages look-workbooks tools

# `insights version` shows the tag (or commit), the commit and the build time stamped here.
APP_PKG    := github.com/marketplace-insights/insights/cmd/internal/app
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo +dirty)
BUILD_TIME ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS    := -X $(APP_PKG).version=$(VERSION) -X $(APP_PKG).commit=$(COMMIT) -X $(APP_PKG).buildTime=$(BUILD_TIME)

build:
	go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/insights

vet:
	go vet ./...

# The habits that keep the code clean, before any test: gofmt, go vet, staticcheck (pinned as a
# Go tool in go.mod), and the import-direction test (imports_test.go at the root).
check:
	@unformatted=$$(find . -name '*.go' -not -path './.*' -not -path '*/testdata/*' | xargs gofmt -l); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...
	go test -count=1 -run 'TestImport' .

test: check chromium tools hydra
	INSIGHTS_HYDRA=$(HYDRA) $(GO_TEST) ./...

# The sign-in tests (serve/web) run a real OpenID Connect provider: Ory Hydra v2.3.0, built once
# into a cache folder from its own small module (tools/hydra: Hydra's dependencies never enter the
# product's go.mod; `go install` refuses Hydra because of its replace directives). About 3.5
# minutes cold, nothing when the binary is there. A test run that finds no binary builds it the
# same way itself (serve/web/hydra_test.go), so the sign-in tests never skip for want of it.
TOOLS_BIN := $(HOME)/.cache/insights-tools/bin
HYDRA     := $(TOOLS_BIN)/hydra
# Built when missing only (a fresh clone's file times say nothing about the binary): after a
# change to tools/hydra, `rm $(HYDRA)` rebuilds it.
hydra:
	@if [ ! -x $(HYDRA) ]; then \
	  echo "building Ory Hydra into $(TOOLS_BIN) (for the sign-in tests; minutes on a cold machine)"; \
	  mkdir -p $(TOOLS_BIN) && cd tools/hydra && GOFLAGS= CGO_ENABLED=1 go build -tags sqlite,sqlite_omit_load_extension \
	    -o $(HYDRA) github.com/ory/hydra/v2; \
	fi

# Tools the tests run, not dependencies of the product: mailpit, the SMTP server the mail tests
# send to and read back (serve/mail/mailpit finds it through INSIGHTS_MAILPIT). Installed into a
# cache folder when missing.
MAILPIT_VERSION := v1.33.1
export INSIGHTS_MAILPIT := $(TOOLS_BIN)/mailpit
tools:
	@if [ ! -x $(TOOLS_BIN)/mailpit ]; then \
	  echo "installing mailpit $(MAILPIT_VERSION) into $(TOOLS_BIN) (for the mail tests)"; \
	  mkdir -p $(TOOLS_BIN) && GOFLAGS= CGO_ENABLED=0 GOBIN=$(TOOLS_BIN) go install github.com/axllent/mailpit@$(MAILPIT_VERSION); \
	fi

# The browser tests (serve/web) drive Debian's chromium headless. A fresh CI machine runs as
# root: install it there when missing; elsewhere the browser tests skip and say why.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests (apt-get)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null \
	      || echo "chromium could not be installed: the browser tests will skip"; \
	  else \
	    echo "no $(CHROMIUM) and no root apt-get to install it: the browser tests will skip"; \
	  fi; \
	fi

# Screenshots of every web page (on the demo's database, on test data and empty; each at 1366 px
# wide and at 390 px, a phone: page_*_phone.png; the partner's pages in French and Chinese too:
# page_fr_*.png, page_zh-Hans_*.png, with a CJK font installed when none is) and the pages of the
# workbooks, printed, into
# $(DEMO)/look/, to look at. The phone shots fail the run when a page scrolls sideways.
look: look-pages look-workbooks
look-pages: chromium tools hydra
	@fc-list 2>/dev/null | grep -qiE 'noto (sans|serif) cjk|droid sans fallback|wqy' || \
	  { echo "installing fonts-noto-cjk (Chinese glyphs for the pages in Simplified Chinese)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
	    --no-install-recommends fonts-noto-cjk >/dev/null || echo "no CJK font: the Chinese pages will show boxes"; }
	@test -f $(DEMO)/insights.duckdb || $(MAKE) demo
	INSIGHTS_HYDRA=$(HYDRA) INSIGHTS_LOOK_DIR=$(CURDIR)/$(DEMO)/look INSIGHTS_LOOK_DB=$(CURDIR)/$(DEMO)/insights.duckdb INSIGHTS_LOOK_OUT=$(CURDIR)/$(DEMO)/out \
	  $(GO_TEST) -run '^TestLookPages(Languages)?$$' ./serve/web/
	@ls $(DEMO)/look/page_*.png

# The main job on sample data, told step by step: generate a small marketplace, load it, run the
# whole batch (ingest → transform → every partner's reports → review pack) and show what came out.
# The commands print their results and only warnings and errors of their logs (the default
# --log-level warn); `make demo DEMO_LOG=info` shows the info log lines too.
DEMO_ASOF := 2026-10-31
DEMO_LOG  ?= warn
DEMO_RUN  := $(BIN) --config testdata/demo/insights.toml --log-level $(DEMO_LOG)
STEP      := @printf '\n\033[1m== %s ==\033[0m\n'
demo: build
	@rm -rf $(DEMO)
	$(STEP) "1/8 Generate a small synthetic marketplace (insights gen --out demo/landing)"
	@$(BIN) gen --log-level $(DEMO_LOG) --out $(DEMO)/landing --scale 1 --seed 1
	$(STEP) "2/8 Load the landing files (insights ingest demo/landing)"
	@$(DEMO_RUN) ingest $(DEMO)/landing
	$(STEP) "3/8 Run the whole batch as of $(DEMO_ASOF) (insights run batch): ingest, transform, reports, review pack"
	@$(DEMO_RUN) run batch --as-of $(DEMO_ASOF)
	@$(DEMO_RUN) runs --limit 3
	$(STEP) "4/8 What the data covers (insights sql ... FROM data_watermarks)"
	@$(DEMO_RUN) sql "SELECT dataset, data_from, data_through, complete_month, rows, partners FROM data_watermarks ORDER BY dataset"
	$(STEP) "5/8 Attribution and campaigns (insights attribution summary)"
	@$(DEMO_RUN) attribution summary
	$(STEP) "6/8 Tier status per partner global account, and the unlocks to review (insights tiers, insights unlocks)"
	@$(DEMO_RUN) tiers --as-of $(DEMO_ASOF)
	@echo
	@$(DEMO_RUN) unlocks
	$(STEP) "7/8 The rewards workspace: a company assigns its marketing contact, its unlock is approved, it activates one benefit (insights contacts, review decide, benefits, outbox)"
	@U=$$($(DEMO_RUN) sql --format csv "SELECT unlock_id FROM tier_unlocks WHERE listing_types LIKE '%Transact%' ORDER BY tier_rank, unlocked_on, unlock_id LIMIT 1" | tail -n +2); \
	  P=$${U%%:*}; \
	  $(DEMO_RUN) contacts assign "$$P" --name "Léa Martin" --email lea.martin@demo-partner.example --phone "+33 1 23 45 67 89" --language fr --by demo-partner-admin && \
	  $(DEMO_RUN) review decide "$$U" approve --by "Rita (rewards team)" --note "billed sales verified" && \
	  K=$$($(DEMO_RUN) benefits list "$$P" --format csv | grep ',sales-marketing,' | grep ',available,' | head -1 | cut -d, -f1) && \
	  $(DEMO_RUN) benefits activate "$$P" "$$K" --by demo-partner-admin && echo && \
	  $(DEMO_RUN) benefits list "$$P" && echo && \
	  $(DEMO_RUN) outbox
	$(STEP) "8/8 Partner workbooks and the rewards review pack (open them in a spreadsheet program)"
	@$(DEMO_RUN) sql --format csv "SELECT path FROM report_files WHERE format = 'xlsx' ORDER BY path" | tail -n +2 | sed 's|^|  $(DEMO)/out/|'
	@echo
	@echo "Next: bin/insights --config testdata/demo/insights.toml serve, then any command above in another terminal."

# What partners and the rewards team see in print: the demo's first partner workbook and the
# review pack, printed by LibreOffice (headless) to PDF (kept under demo/look/pdf/), then the first
# LOOK_SHEETS and the last LOOK_TAIL pages (Definitions, Metadata) of each to PNG under demo/look/. Installs LibreOffice Calc and poppler-utils
# with apt-get when missing; runs `make demo` when there is no demo output yet.
# The same partner's workbook is then written in every language (insights report --lang, on a
# copy of the demo database so that its manifest stays as it is) and printed the same way:
# demo/look/lang_<lang>_insights_*.png. Chinese needs a CJK font: fonts-noto-cjk is installed
# when fc-list knows none.
LOOK        := $(DEMO)/look
LOOK_SHEETS := 12
LOOK_TAIL   := 8
LOOK_LANGS  := en fr zh-Hans
look-workbooks: build
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi carlito \
	  && fc-list :lang=zh 2>/dev/null | grep -q . || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
	    --no-install-recommends libreoffice-calc-nogui poppler-utils fonts-crosextra-carlito fonts-noto-cjk >/dev/null; }
	@test -d $(DEMO)/out || $(MAKE) demo
	@mkdir -p $(LOOK)/pdf && rm -f $(LOOK)/*_insights_*.png $(LOOK)/_rewards_review_pack-*.png $(LOOK)/pdf/*
	@set -e; \
	wb=$$(ls $(DEMO)/out/*/*/insights_*.xlsx | grep -v /_rewards/ | sort | head -n 1); \
	pack=$$(ls $(DEMO)/out/*/_rewards/review_pack.xlsx | sort | tail -n 1); \
	for f in $$wb $$pack; do \
	  name=$$(basename $$(dirname $$f))_$$(basename $$f .xlsx); \
	  cp $$f $(LOOK)/pdf/$$name.xlsx; \
	  soffice -env:UserInstallation=file://$(CURDIR)/$(LOOK)/.profile --headless --norestore \
	    --convert-to pdf --outdir $(LOOK)/pdf $(LOOK)/pdf/$$name.xlsx >/dev/null 2>&1; \
	  n=$$(pdfinfo $(LOOK)/pdf/$$name.pdf | awk '/^Pages/ {print $$2}'); \
	  pdftoppm -png -r 90 -l $(LOOK_SHEETS) $(LOOK)/pdf/$$name.pdf $(LOOK)/$$name; \
	  tail=$$(( n - $(LOOK_TAIL) + 1 )); [ $$tail -gt $(LOOK_SHEETS) ] || tail=$$(( $(LOOK_SHEETS) + 1 )); \
	  [ $$tail -gt $$n ] || pdftoppm -png -r 90 -f $$tail -l $$n $(LOOK)/pdf/$$name.pdf $(LOOK)/$$name; \
	  echo "$$f: $$n printed pages"; \
	done; \
	rm -rf $(LOOK)/.profile $(LOOK)/pdf/*.xlsx
	@set -e; rm -rf $(LOOK)/lang $(LOOK)/lang_*.png; mkdir -p $(LOOK)/lang; \
	wb=$$(ls $(DEMO)/out/*/*/insights_*.xlsx | grep -v /_rewards/ | sort | head -n 1); \
	partner=$$(basename $$(dirname $$wb)); \
	cp $(DEMO)/insights.duckdb $(LOOK)/lang/insights.duckdb; \
	for l in $(LOOK_LANGS); do \
	  $(BIN) --config testdata/demo/insights.toml --db $(LOOK)/lang/insights.duckdb --log-level warn \
	    report --partner $$partner --format xlsx --lang $$l --out $(LOOK)/lang/$$l >/dev/null; \
	  f=$$(ls $(LOOK)/lang/$$l/*/*/insights_*.xlsx); name=lang_$${l}_$$(basename $$f .xlsx); \
	  cp $$f $(LOOK)/pdf/$$name.xlsx; \
	  soffice -env:UserInstallation=file://$(CURDIR)/$(LOOK)/.profile --headless --norestore \
	    --convert-to pdf --outdir $(LOOK)/pdf $(LOOK)/pdf/$$name.xlsx >/dev/null 2>&1; \
	  n=$$(pdfinfo $(LOOK)/pdf/$$name.pdf | awk '/^Pages/ {print $$2}'); \
	  pdftoppm -png -r 90 -l $(LOOK_SHEETS) $(LOOK)/pdf/$$name.pdf $(LOOK)/$$name; \
	  tail=$$(( n - $(LOOK_TAIL) + 1 )); [ $$tail -gt $(LOOK_SHEETS) ] || tail=$$(( $(LOOK_SHEETS) + 1 )); \
	  [ $$tail -gt $$n ] || pdftoppm -png -r 90 -f $$tail -l $$n $(LOOK)/pdf/$$name.pdf $(LOOK)/$$name; \
	  echo "$$partner in $$l: $$n printed pages"; \
	done; \
	rm -rf $(LOOK)/.profile $(LOOK)/pdf/*.xlsx $(LOOK)/lang
	@ls $(LOOK)/*_insights_*.png $(LOOK)/_rewards_review_pack-*.png | sed 's|^|  |'

# Benchmarks print their figures and ratios (ns/op is one whole run; see the custom metrics).
# BenchmarkReports runs at scales 10 and 30 (INSIGHTS_BENCH_SCALES) and prints time per partner and
# reports over renderers alone; then the whole batch at scale 30, each stage timed with its peak RSS.
bench: build
	go test -count=1 -run '^$$' -bench . -benchtime 1x -timeout 60m ./...
	.ci/bench-batch 30
	$(MAKE) bench-ingest

# `insights ingest` of a generated landing folder against DuckDB's own CREATE TABLE AS SELECT * FROM
# read_csv/read_json of the same files (bin/rawload), each its own process on a fresh database,
# back to back, RUNS times per scale; prints the medians and their ratio: make bench-ingest
# INGEST_SCALES="10 30" RUNS=5
INGEST_SCALES ?= 10 30
RUNS          ?= 5
bench-ingest: build
	go build -o bin/rawload ./ingest/internal/rawload
	RUNS=$(RUNS) .ci/bench-ingest $(INGEST_SCALES)

# The whole batch at a larger scale, stage by stage (not part of make test): make bench-scale SCALE=100
SCALE ?= 100
bench-scale: build
	.ci/bench-batch $(SCALE)

# One more day after the whole batch (gen --next-day), the batch again — incremental, as
# scheduled — and a full transform of the same data, each timed: make bench-incremental SCALE=30
bench-incremental: build
	NEXT_DAY=1 .ci/bench-batch $(SCALE)

# Short fuzzing of every parser; the corpus under testdata/fuzz is kept in git.
fuzz:
	@for p in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$p/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    go test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s $$p || exit 1; \
	  done; \
	done

clean:
	rm -rf bin $(DEMO) data out
