# Marketplace Insights. The DuckDB driver is cgo; the Arrow API needs the duckdb_arrow tag.
export CGO_ENABLED := 1
export GOFLAGS := -tags=duckdb_arrow

BIN      := bin/insights
DEMO     := demo
GO_TEST  := go test -count=1 -timeout 20m

.PHONY: build test demo bench fuzz vet clean

build:
	go build -o $(BIN) ./cmd/insights

vet:
	go vet ./...

test: vet
	$(GO_TEST) ./...

# The main job on sample data: generate a small marketplace, then run the batch on it.
demo: build
	rm -rf $(DEMO)
	$(BIN) gen --out $(DEMO)/landing --scale 1 --seed 1
	$(BIN) --db $(DEMO)/insights.duckdb ingest $(DEMO)/landing

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
