/* errf.h — writes a formatted error text into a caller's (err, errlen) buffer, the way every wms/ function reports why it failed.
 *
 * Pure and thread-safe; nothing is allocated.
 */
#ifndef WMS_ERRF_H
#define WMS_ERRF_H

#include <stddef.h>

/* printf-formats into err (errlen bytes, truncated and NUL-terminated);
 * does nothing when err is NULL or errlen is 0, so callers that only want
 * the verdict may pass NULL. */
void wms_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
