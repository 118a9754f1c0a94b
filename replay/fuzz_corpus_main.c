// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_corpus_main.c - runs LLVMFuzzerTestOneInput() over files, without
 * libFuzzer: the seed corpus as a regression test in ordinary builds.
 *
 *   trace_fuzz_corpus_test PATH...   (files, or directories of files)
 *
 * Each input is also replayed cut at every 97th byte, to cover truncated lines.
 * Ends with "N passed, N failed"; a failure is an abort inside the target.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int passed, failed;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		failed++;
		return;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		size_t k = fread(buf + len, 1, cap - len, f);

		if (k == 0)
			break;
		len += k;
	}
	fclose(f);
	for (size_t cut = 0; cut < len; cut += 97) {
		/* An exact-size copy, so over-reads show under a sanitizer. */
		uint8_t *part = malloc(cut ? cut : 1);

		memcpy(part, buf, cut);
		LLVMFuzzerTestOneInput(part, cut);
		free(part);
	}
	uint8_t *whole = malloc(len ? len : 1);

	memcpy(whole, buf, len);
	LLVMFuzzerTestOneInput(whole, len);
	free(whole);
	free(buf);
	passed++;
}

static void run_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "cannot stat %s\n", path);
		failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}

	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char sub[4096];

			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			run_path(sub);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	if (passed == 0)
		failed++;	/* an empty corpus is a mistake */
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
