/* migrate.h — applying the numbered SQL migrations compiled into wmsd. */
#ifndef WMS_API_MIGRATE_H
#define WMS_API_MIGRATE_H

#include <stddef.h>
#include <stdio.h>

/* Applies every pending migration in order, each in its own transaction,
 * under an advisory lock (concurrent runs wait and then find nothing to do),
 * recording version, name and SHA-256 checksum. An applied migration whose
 * checksum differs from the compiled one is an error, and so is an applied
 * version this binary does not know. Blocking: for the CLI, not the loop.
 * Progress goes to out. Returns 0 or -1 with err filled. */
int migrate_apply(const char *conninfo, FILE *out, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Checks the schema without changing it. Returns 0 when current; 1 when
 * migrations are pending (err says which and what to run); -1 on error. */
int migrate_check(const char *conninfo, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* The version number of the highest compiled migration. */
int migrate_latest(void);

/* SHA-256 (hex) over the compiled function files' "name:checksum\n" lines in name order:
 * what MIGRATE_FUNCTIONS_DIGEST_SQL computes from schema_functions when every file is
 * applied as compiled. */
void migrate_functions_digest(char out[65]);
#define MIGRATE_FUNCTIONS_DIGEST_SQL                                                             \
	"(SELECT encode(sha256(convert_to(string_agg(name || ':' || checksum || E'\\n', ''"           \
	" ORDER BY name COLLATE \"C\"), 'UTF8')), 'hex') FROM schema_functions)"

#endif
