/* main.c — the wmsd command line: serve (default), migrate, key, demo. */
#include <stdio.h>
#include <string.h>

#include "api/fees/accrue.h"
#include "api/http/config.h"
#include "api/cli/demo.h"
#include "api/cli/keys.h"
#include "api/cli/vrptw_cmd.h"
#include "api/db/migrate.h"
#include "api/server.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: wmsd [serve]           serve HTTP (the default)\n"
	             "       wmsd migrate           apply pending database migrations\n"
	             "       wmsd key create ...    create an API key (wmsd key for details)\n"
	             "       wmsd key revoke ID     revoke an API key\n"
	             "       wmsd demo              load demo data and print fresh demo keys\n"
	             "       wmsd accrue-storage [--date YYYY-MM-DD]\n"
	             "                              charge one day's storage rent (default yesterday, UTC)\n"
	             "       wmsd vrptw [--time-limit S] [--seed N] [--vehicle-cost C] FILE\n"
	             "                              solve a Solomon-format VRPTW instance (JSON)\n"
	             "       wmsd --help\n\n");
	config_usage(out);
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[512];
	const char *cmd = argc > 1 ? argv[1] : "serve";
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "vrptw") == 0)
		return vrptw_main(argc - 2, argv + 2);
	if (config_load(&cfg, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "wmsd: configuration: %s\n", err);
		return 2;
	}
	if (strcmp(cmd, "serve") == 0)
		return server_run(&cfg);
	if (strcmp(cmd, "migrate") == 0) {
		if (migrate_apply(cfg.database_url, stdout, err, sizeof err) != 0) {
			fprintf(stderr, "wmsd migrate: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "key") == 0)
		return keys_main(cfg.database_url, argc - 2, argv + 2);
	if (strcmp(cmd, "demo") == 0)
		return demo_main(cfg.database_url);
	if (strcmp(cmd, "accrue-storage") == 0)
		return accrue_main(cfg.database_url, argc - 2, argv + 2);
	usage(stderr);
	return 2;
}
