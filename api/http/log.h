/* log.h — levelled logging to stderr, one line per event. */
#ifndef WMS_API_LOG_H
#define WMS_API_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Sets the threshold; messages above it are dropped. */
void log_set_level(enum log_level level);
/* Parses "error", "warn", "info", "debug"; returns 0 or -1. */
int log_parse_level(const char *s, enum log_level *out) __attribute__((warn_unused_result));
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
