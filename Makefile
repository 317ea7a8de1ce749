# The two commands a fresh machine needs: `make demo` and `make test`.
# Both install missing system dependencies first (scripts/bootstrap).

CARGO ?= cargo
BIN := target/release/proagent-backend

.PHONY: bootstrap build demo test lint docs bench

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(CARGO) build --release -p proagent-backend

# Reviews the bundled example service. Exit status 1 only means "findings",
# which is the point of the demo.
demo: build
	@$(BIN) review examples/shop-api --no-progress; status=$$?; [ $$status -le 1 ]

lint: bootstrap
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test: lint
	$(CARGO) test --workspace

# Regenerates docs/rules/ from the rules' metadata.
docs: bootstrap
	UPDATE_DOCS=1 $(CARGO) test -p proagent-backend --test docs

bench: bootstrap
	bench/run
