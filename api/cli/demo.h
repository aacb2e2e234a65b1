/* demo.h — `wmsd demo`: example reference data and one fresh key per role. */
#ifndef WMS_API_DEMO_H
#define WMS_API_DEMO_H

/* Upserts the demo data, revokes earlier demo keys, creates and prints new
 * ones. Blocking (CLI). Returns the exit code. */
int demo_main(const char *conninfo);

#endif
