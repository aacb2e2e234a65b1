/* state_list.h — naming the states a transition may start from, as the state tables of wms/
 * (order.c, jit.c) give them to SQL ("{created,allocated}") and to people ("created,
 * allocated"). */
#ifndef WMS_STATE_LIST_H
#define WMS_STATE_LIST_H

#include <stddef.h>

#ifndef WMS_MUST_CHECK
#define WMS_MUST_CHECK __attribute__((warn_unused_result))
#endif

/* Writes the names[i] whose bit (1u << i) is set in mask, for i < n, joined by sep between
 * open and close, into buf. Returns 0, or -1 (buf emptied when buflen > 0) when it does not
 * fit. */
int wms_state_list(const char *const *names, int n, unsigned mask, const char *open,
                   const char *sep, const char *close, char *buf, size_t buflen) WMS_MUST_CHECK;

#endif
