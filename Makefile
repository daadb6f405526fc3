# Entry points for users and CI. Every target installs missing Debian
# packages (scripts/install-deps.sh), configures and builds first.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := build/release
SCALESIM := $(BUILD)/src/cli/scalesim

.PHONY: all deps configure build demo test test-sanitize bench fuzz results notebooks clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake --preset release

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@bash scripts/demo.sh $(SCALESIM)

test: build
	ctest --preset release -j $(JOBS)

# results/ and docs/cli.md from the built binary (tests check the committed
# files match).
results: build
	@bash scripts/results.sh $(SCALESIM) results
	@/usr/bin/python3 scripts/cli_vocabulary.py $(SCALESIM) > docs/cli.md.tmp && mv docs/cli.md.tmp docs/cli.md

# Executes notebooks/ headless; figures go to results/figures/.
notebooks: build
	@bash scripts/notebooks.sh $(SCALESIM)

test-sanitize: deps
	cmake --preset sanitize
	cmake --build build/sanitize -j $(JOBS)
	ctest --preset sanitize -j $(JOBS)

bench: build
	@bash scripts/bench.sh $(BUILD) $(BENCH_ARGS)

fuzz: deps
	cmake --preset fuzz
	cmake --build build/fuzz -j $(JOBS) --target fuzz_hf_config fuzz_arch_json fuzz_cli_args fuzz_sweep_args fuzz_dataset_csv fuzz_law_json fuzz_json_depth fuzz_safetensors
	@bash scripts/fuzz.sh

clean:
	rm -rf build
