# Marketplace Insights. The DuckDB driver is cgo; the Arrow API needs the duckdb_arrow tag.
export CGO_ENABLED := 1
export GOFLAGS := -tags=duckdb_arrow

BIN      := bin/insights
DEMO     := demo
GO_TEST  := go test -count=1 -timeout 20m

.PHONY: build test demo look bench fuzz vet clean

build:
	go build -o $(BIN) ./cmd/insights

vet:
	go vet ./...

test: vet
	$(GO_TEST) ./...

# The main job on sample data: generate a small marketplace, load it, run the whole batch
# (ingest → transform → every partner's reports → review pack) and show what came out.
DEMO_ASOF := 2026-10-31
DEMO_RUN  := $(BIN) --config testdata/demo/insights.toml
demo: build
	rm -rf $(DEMO)
	$(BIN) gen --out $(DEMO)/landing --scale 1 --seed 1
	$(DEMO_RUN) ingest $(DEMO)/landing
	$(DEMO_RUN) run batch --as-of $(DEMO_ASOF)
	$(DEMO_RUN) attribution summary
	$(DEMO_RUN) tiers --as-of $(DEMO_ASOF)
	$(DEMO_RUN) unlocks
	@echo
	@echo "Partner workbooks and the rewards review pack (open them in a spreadsheet program):"
	@$(DEMO_RUN) sql --format csv "SELECT path FROM report_files WHERE format = 'xlsx' ORDER BY path" | tail -n +2 | sed 's|^|  $(DEMO)/out/|'

# What partners and the rewards team see: the demo's first partner workbook and the review pack,
# printed by LibreOffice (headless) to PDF, then each page to a PNG under demo/look/ (the first
# LOOK_PAGES pages of each). Installs LibreOffice Calc and poppler-utils with apt-get if missing.
LOOK       := $(DEMO)/look
LOOK_PAGES := 12
look:
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui poppler-utils; }
	@test -d $(DEMO)/out || $(MAKE) demo
	rm -rf $(LOOK) && mkdir -p $(LOOK)/pdf
	@set -e; \
	wb=$$(ls $(DEMO)/out/*/*/insights_*.xlsx | grep -v /_rewards/ | sort | head -n 1); \
	pack=$$(ls $(DEMO)/out/*/_rewards/review_pack.xlsx | sort | tail -n 1); \
	for f in $$wb $$pack; do \
	  name=$$(basename $$(dirname $$f))_$$(basename $$f .xlsx); \
	  cp $$f $(LOOK)/pdf/$$name.xlsx; \
	  soffice -env:UserInstallation=file://$(CURDIR)/$(LOOK)/.profile --headless --norestore \
	    --convert-to pdf --outdir $(LOOK)/pdf $(LOOK)/pdf/$$name.xlsx >/dev/null 2>&1; \
	  pdftoppm -png -r 80 -l $(LOOK_PAGES) $(LOOK)/pdf/$$name.pdf $(LOOK)/$$name; \
	  echo "$$f: $$(pdfinfo $(LOOK)/pdf/$$name.pdf | awk '/^Pages/ {print $$2}') pages"; \
	done; \
	rm -rf $(LOOK)/.profile $(LOOK)/pdf/*.xlsx
	@ls $(LOOK)/*.png | sed 's|^|  |'

# Benchmarks print their figures and ratios (ns/op is one whole run; see the custom metrics).
bench:
	go test -count=1 -run '^$$' -bench . -benchtime 1x -timeout 60m ./...

# Short fuzzing of every parser; the corpus under testdata/fuzz is kept in git.
fuzz:
	@for p in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for f in $$(grep -h '^func Fuzz' $$p/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
	    go test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s $$p || exit 1; \
	  done; \
	done

clean:
	rm -rf bin $(DEMO) data out
