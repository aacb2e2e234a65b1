/* network_doc.h — the lane network as the API writes it (PUT /v1/network and the admin
 * CRUD items): validating its shape field by field, and checking it with the routing engine
 * before anything is stored, every problem named by its field path ("legs[12].departures"). */
#ifndef WMS_API_NETWORK_DOC_H
#define WMS_API_NETWORK_DOC_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "api/http/jsonv.h"

/* Item validators: record every shape error of obj in v (fields relative to obj). partial
 * (PATCH): no field is required, identifying fields are refused. */
void network_check_node(struct jsonv *v, const cJSON *obj, bool partial);
void network_check_service(struct jsonv *v, const cJSON *obj);
void network_check_leg(struct jsonv *v, const cJSON *obj, bool partial);
void network_check_processing(struct jsonv *v, const cJSON *obj);
void network_check_promise(struct jsonv *v, const cJSON *obj, bool partial);

/* Validates a whole document: its shape, then (for the items whose shape is right) the
 * network as the engine sees it — duplicates, unknown nodes and services, legs out of zones,
 * delivery days on legs that do not end in a zone, transit distributions — all into v.
 * Cost currencies must be the document's currency. */
void network_check_document(struct jsonv *v, const cJSON *doc);

#endif
