#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# A libFuzzer target for FUZZ_SECONDS (30), seeded for the classifier with
# the frames of the unit test; a finding is a crash file and a non-zero
# exit.   test/fuzz/run.sh FUZZ-TARGET UNIT-TEST VECTORS.tsv
set -uo pipefail
target=$(realpath "${1:?usage: run.sh FUZZ-TARGET UNIT-TEST VECTORS.tsv}")
unit=$(realpath "${2:?}") vectors=$(realpath "${3:?}")
start=$PWD	# meson test runs in the build directory: crash files land there
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
case "$(basename "$target")" in
fuzz-classify)
	VNET_HASH_SEED_DIR=$corpus "$unit" "$vectors" >/dev/null 2>&1 ||
		echo "run.sh: the unit test failed while writing seeds (its own suite says why)" >&2
	echo "run.sh: $(find "$corpus" -type f | wc -l) seed frames" ;;
esac
cd "$corpus" && "$target" -max_total_time="${FUZZ_SECONDS:-30}" -print_final_stats=1 \
	-artifact_prefix="$start/$(basename "$target")-" "$corpus"
