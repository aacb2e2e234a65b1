/* jit_refs.h — how the hub's scans name what they scan: a JIT parcel by its label (the Code
 * 128 tracking number, or the Data Matrix task id) or, when the label cannot be read, by its
 * order (id or client_order_id); a bag by its id or its SSCC (18 digits, "00" + SSCC as a
 * GS1-128 label reads, with or without an AIM prefix such as "]C1"). */
#ifndef WMS_API_JIT_REFS_H
#define WMS_API_JIT_REFS_H

#include <cjson/cJSON.h>

#include "api/http/jsonv.h"

/* Room for a reference (the longest accepted input, 64 bytes, and its NUL). */
#define JIT_REF_MAX 65

/* Reads exactly one of b's `barcode` and `order` into buf and sets *id (a task or order id:
 * a UUID) or *ref (a checked tracking number, or a client_order_id), pointing into buf;
 * problems go into v. */
void jit_parcel_ref_read(struct jsonv *v, const cJSON *b, char buf[JIT_REF_MAX],
                         const char **id, const char **ref);

/* Reads `field` of b (a bag id or SSCC) into buf and sets *id or *sscc; problems go into v.
 * A NULL b reads text instead of a body member (a path parameter): then field is the text. */
void jit_bag_ref_read(struct jsonv *v, const cJSON *b, const char *field, char buf[JIT_REF_MAX],
                      const char **id, const char **sscc);

#endif
