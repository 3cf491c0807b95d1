# harmony-ts. Every target installs what is missing first (Node 20 + npm is all a machine needs).
SHELL := /bin/bash
BIN := node_modules/.bin
BUN := $(BIN)/bun
DENO := $(BIN)/deno
STAMP := node_modules/.setup-stamp
VDF_WASM_TS := src/crypto/vdf/_vdfWasm.ts
KECCAK_WASM_TS := src/crypto/_keccakWasmBinary.ts
BLS_VECTORS_DIR ?= test/vectors/bls
DEVNET_ARGS ?=

.PHONY: setup wasm test test-unit test-bls-vectors build devnet bench soak lint clean

setup: $(STAMP)

$(STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is required (install Node.js 20+)"; exit 1; }
	npm ci --no-audit --no-fund
	@$(BUN) --version >/dev/null && $(DENO) --version >/dev/null
	@touch $(STAMP)

# The VDF and keccak kernels (AssemblyScript) compiled to .wasm and embedded as modules both runtimes import.
wasm: $(STAMP) $(VDF_WASM_TS) $(KECCAK_WASM_TS)
$(VDF_WASM_TS): $(wildcard wasm/vdf/*.ts) wasm/vdf/asconfig.json scripts/build-wasm.ts
	$(BUN) scripts/build-wasm.ts vdf
$(KECCAK_WASM_TS): $(wildcard wasm/keccak/*.ts) wasm/keccak/asconfig.json scripts/build-wasm.ts
	$(BUN) scripts/build-wasm.ts keccak

build: dist/harmony
dist/harmony: $(STAMP) $(VDF_WASM_TS) $(shell find src mod.ts -name '*.ts' 2>/dev/null) package.json
	@mkdir -p dist
	$(BUN) build --compile --minify-syntax mod.ts $$(cat scripts/worker-entrypoints.txt 2>/dev/null) --outfile dist/harmony
	@./dist/harmony --version

# Chromium for the status page's browser test; when it cannot be installed, the suite still runs and that test fails saying why.
test: build
	-scripts/ensure-chromium.sh
	$(BUN) test --timeout 120000 test/

test-unit: setup wasm
	$(BUN) test --timeout 60000 test/unit test/spec

test-bls-vectors: setup
	BLS_VECTORS_DIR="$(BLS_VECTORS_DIR)" $(BUN) test --timeout 120000 test/spec/bls.vectors.test.ts

# 4 validators + 1 RPC node on 127.0.0.1:9500-9504, data in ./.devnet; e.g. DEVNET_ARGS="--fresh --validators 7".
devnet: build
	./dist/harmony devnet $(DEVNET_ARGS)

bench: build
	$(BUN) scripts/bench/index.ts

# Random perturbations of a fault manifest's kinds for DURATION seconds from a seeded PRNG (README "Fault manifests").
MANIFEST ?= test/fault/manifests/kill-restart.json
DURATION ?= 600
SEED ?=
soak: build
	$(BUN) scripts/soak.ts --manifest "$(MANIFEST)" --duration "$(DURATION)" $(if $(SEED),--seed "$(SEED)")

lint: setup wasm
	$(BIN)/tsc --noEmit -p tsconfig.json
	$(DENO) check mod.ts

clean:
	rm -rf dist wasm/build $(VDF_WASM_TS)
