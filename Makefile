# Makefile — builds wmsd, the Check suites, benchmarks; runs the server and the tests.
#
#   make            build build/rel/wmsd
#   make run        install missing packages (as root), private PostgreSQL in var/pg,
#                   migrate, demo data, serve on 127.0.0.1:8080
#   make check      every Check suite against a throwaway PostgreSQL cluster
#   make check SANITIZE=1   the same, built with AddressSanitizer + UBSan
#   make check-citus        every suite against a throwaway Citus cluster (needs Citus)
#   make bench      benchmarks, figures and ratios side by side
#
# Sources are found by wildcard: a new wms/*.c, routing/*.c, api/*.c or api/<wing>/*.c is built
# without editing this file, and a new tests/{unit,integration}/check_<name>.c
# is a suite <name>_suite() picked up by the test runner.

CC      ?= cc
ifeq ($(origin CC),default)
CC      := cc
endif
PKGS      := libevent libpq libcjson libcrypto
TEST_PKGS := check libcurl

WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -fno-common
CPPFLAGS += -D_GNU_SOURCE -I. -MMD -MP
CFLAGS   ?= -O2 -g
LDLIBS   += -lm -pthread

# Check's per-test timeouts (4 s unless a case sets its own) are multiplied by this: the
# instrumented builds run the same tests two to five times slower.
CK_TIMEOUT_MULTIPLIER ?= 1
ifeq ($(SANITIZE),1)
BUILD    := build/san
CK_TIMEOUT_MULTIPLIER := 4
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
else ifeq ($(SANITIZE),fuzz)
BUILD    := build/fuzz
CC       := clang
CFLAGS   += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=fuzzer,address,undefined
else ifeq ($(SANITIZE),thread)
BUILD    := build/tsan
CK_TIMEOUT_MULTIPLIER := 6
CFLAGS   += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=thread
else
BUILD    := build/rel
endif

PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

WMS_SRC     := $(sort $(wildcard wms/*.c))
ROUTING_SRC := $(sort $(wildcard routing/*.c))
API_SRC     := $(sort $(filter-out api/main.c,$(wildcard api/*.c api/*/*.c)))
UNIT_SRC    := $(sort $(wildcard tests/unit/check_*.c))
INTEG_SRC   := $(sort $(wildcard tests/integration/check_*.c))
HARNESS_SRC := $(sort $(wildcard tests/harness/*.c))
BENCH_SRC   := $(sort $(wildcard tests/bench/*.c))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

WMSD        := $(BUILD)/wmsd
CHECK_ALL   := $(BUILD)/check_all
LIBWMS      := $(BUILD)/libwms.a
LIBROUTING  := $(BUILD)/librouting.a
LIBAPI      := $(BUILD)/libapi.a

.PHONY: all run check check-citus unit bench fuzz fuzz-run deps deps-bench deps-fuzz clean
all: $(WMSD)

# --- packages -------------------------------------------------------------
RUN_DEBS   := build-essential pkg-config libevent-dev libpq-dev libcjson-dev libssl-dev \
              check libcurl4-openssl-dev postgresql postgresql-contrib \
              chromium chromium-driver python3-selenium
BENCH_DEBS := wrk postgresql-contrib
deps:
	@DEBS="$(RUN_DEBS)" sql/ensure-debs.sh
deps-bench:
	@DEBS="$(BENCH_DEBS)" sql/ensure-debs.sh
deps-fuzz:
	@DEBS="clang libclang-rt-14-dev" sql/ensure-debs.sh

# --- libraries and the server --------------------------------------------
$(BUILD)/wms/%.o $(BUILD)/routing/%.o: XCFLAGS :=
$(BUILD)/api/%.o: XCFLAGS := $(PKG_CFLAGS)
$(BUILD)/tests/%.o: XCFLAGS := $(PKG_CFLAGS) $(TEST_CFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(XCFLAGS) -c $< -o $@

$(LIBWMS): $(call obj,$(WMS_SRC))
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(LIBROUTING): $(call obj,$(ROUTING_SRC))
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
MIGRATIONS  := $(sort $(wildcard sql/migrations/[0-9][0-9][0-9]_*.sql))
SQL_FUNCS   := $(sort $(wildcard sql/functions/*.sql))
SCANNER_WEB := $(sort $(wildcard api/scanner/web/*.*))
$(LIBAPI): $(call obj,$(API_SRC)) $(BUILD)/gen/embedded.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# the migrations, the SQL functions, the OpenAPI document and the scanner client's files are
# compiled into the binary
$(BUILD)/gen/embedded.c: api/db/embed.sh api/openapi.json $(MIGRATIONS) $(SQL_FUNCS) $(SCANNER_WEB) Makefile
	@mkdir -p $(@D)
	api/db/embed.sh api/openapi.json $(MIGRATIONS) -- $(SQL_FUNCS) -- $(SCANNER_WEB) > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c $< -o $@

$(WMSD): $(BUILD)/api/main.o $(LIBAPI) $(LIBROUTING) $(LIBWMS)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# --- tests ----------------------------------------------------------------
# tests/*/check_<name>.c defines <name>_suite(); the list is generated, every time (a suite
# file added with an old mtime, or removed, changes no prerequisite's time), and replaced only
# when it changed, so that check_main.o is rebuilt only then.
$(BUILD)/tests/suites.h: FORCE
	@mkdir -p $(@D)
	@{ for f in $(UNIT_SRC); do n=$${f##*/check_}; echo "UNIT_SUITE($${n%.c})"; done; \
	   for f in $(INTEG_SRC); do n=$${f##*/check_}; echo "INTEG_SUITE($${n%.c})"; done; } > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(BUILD)/tests/check_main.o: CPPFLAGS += -I$(BUILD)/tests
$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.h

TEST_OBJ := $(call obj,tests/check_main.c $(UNIT_SRC) $(INTEG_SRC) $(HARNESS_SRC))
$(CHECK_ALL): $(TEST_OBJ) $(LIBAPI) $(LIBROUTING) $(LIBWMS)
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(PKG_LIBS) $(LDLIBS)

check: $(WMSD) $(CHECK_ALL)
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) WMSD=$(abspath $(WMSD)) tests/with-pg.sh $(CHECK_ALL)

# every suite against a throwaway Citus cluster (a coordinator, two workers); a machine
# without Citus says so and fails (not part of .ci/run while CI has no Citus)
check-citus: $(WMSD) $(CHECK_ALL)
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) WMSD=$(abspath $(WMSD)) tests/with-citus.sh $(CHECK_ALL)

unit: $(CHECK_ALL)
	CK_TIMEOUT_MULTIPLIER=$(CK_TIMEOUT_MULTIPLIER) $(CHECK_ALL) --unit

# --- benchmarks -----------------------------------------------------------
BENCH_BIN := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(LIBAPI) $(LIBROUTING) $(LIBWMS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

bench: deps-bench $(WMSD) $(BENCH_BIN)
	WMSD=$(abspath $(WMSD)) BENCH_DIR=$(abspath $(BUILD)/bench) tests/with-pg.sh tests/bench/run.sh

# --- fuzzing (libFuzzer) ------------------------------------------------------
# The targets link the libraries built with clang and the fuzzer's coverage hooks in
# build/fuzz (make SANITIZE=fuzz); `make fuzz` builds and runs each for FUZZ_SECONDS.
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 30
$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(LIBAPI) $(LIBROUTING) $(LIBWMS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

fuzz: deps-fuzz
	@$(MAKE) --no-print-directory SANITIZE=fuzz fuzz-run

fuzz-run: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do echo "== $$f ($(FUZZ_SECONDS) s)"; \
	  seeds=tests/fuzz/corpus/$${f##*/}; corpus=$(BUILD)/corpus/$${f##*/}; mkdir -p $$corpus; \
	  $$f -max_len=4096 -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$corpus \
	    $$(test -d $$seeds && echo $$seeds) 2>&1 | \
	  grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done'; done

# --- running --------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory $(WMSD)
	@WMSD=$(abspath $(WMSD)) sql/run-local.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

.PHONY: FORCE
FORCE:
