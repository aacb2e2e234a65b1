/* routes.h — the route table: the single list of wmsd's endpoints, and the
 * handlers it names. */
#ifndef WMS_API_ROUTES_H
#define WMS_API_ROUTES_H

#include <stddef.h>

#include "api/http/router.h"

/* The table and its length. */
const struct route *routes_table(size_t *n);

/* ops: ops.c */
route_handler_fn h_healthz, h_readyz, h_metrics, h_openapi;
/* reference data: h_warehouses.c, h_bins.c, h_sellers.c, h_skus.c */
route_handler_fn h_warehouse_create, h_warehouse_list, h_warehouse_get, h_warehouse_update;
route_handler_fn h_bin_create, h_bin_list, h_bin_get, h_bin_update;
route_handler_fn h_seller_create, h_seller_list, h_seller_get, h_seller_update;
route_handler_fn h_sku_create, h_sku_list, h_sku_get, h_sku_update;
/* fees: h_fees_admin.c (schedule and policy versions), h_statements.c */
route_handler_fn h_fee_schedule_create, h_fee_schedule_list, h_fee_policy_create, h_fee_policy_list;
route_handler_fn h_seller_statement, h_seller_ledger;
/* inbound shipments, seller side and dock check-in: h_inbound.c, h_inbound_transitions.c */
route_handler_fn h_inbound_create, h_inbound_get, h_inbound_list;
route_handler_fn h_inbound_cancel, h_inbound_in_transit, h_inbound_arrive;

/* receiving, close, putaway, inventory: h_receiving.c, h_inbound_close.c, h_putaway.c,
 * h_inventory.c */
route_handler_fn h_receiving_scan, h_inbound_close, h_putaway_scan;
route_handler_fn h_inventory_list, h_inventory_movements;

/* orders: h_orders.c (create with allocation, read, list), h_order_transitions.c (also the
 * seller's own shipment), h_order_settlement.c (confirm receipt: escrow released, sale settled) */
route_handler_fn h_order_create, h_order_get, h_order_list;
route_handler_fn h_order_cancel, h_order_hold, h_order_release_hold;
route_handler_fn h_order_seller_shipment, h_order_confirm_receipt;
/* packing, labels and shipping: h_package_types.c, h_packages.c (open, read, list, label),
 * h_pack_scans.c, h_package_close.c, h_ship_scans.c */
route_handler_fn h_package_type_list, h_package_open, h_package_get, h_package_list,
	h_package_label;
route_handler_fn h_pack_scan, h_package_close, h_ship_scan;

/* picking: h_pick_lists.c (claim, read, list, release), h_pick_scans.c (scans, stock issues) */
route_handler_fn h_pick_list_claim, h_pick_list_list, h_pick_list_get, h_pick_list_release;
route_handler_fn h_pick_scan, h_pick_stock_issue;

/* the lane network and route quotes: h_network.c, h_quote.c */
route_handler_fn h_network_get, h_network_put, h_route_quote;
route_handler_fn h_network_node_create, h_network_node_list, h_network_node_get,
	h_network_node_update, h_network_node_delete;
route_handler_fn h_network_service_create, h_network_service_list, h_network_service_delete;
route_handler_fn h_network_leg_create, h_network_leg_list, h_network_leg_get, h_network_leg_update,
	h_network_leg_delete;
route_handler_fn h_network_processing_put, h_network_processing_list, h_network_processing_delete;
route_handler_fn h_network_promise_create, h_network_promise_list, h_network_promise_update,
	h_network_promise_delete;
/* carrier tracking: h_tracking_events.c (events in, by key and by signed webhook),
 * h_carriers.c (carriers, status codes, webhook secrets), h_tracking_reads.c (a parcel's
 * history, a carrier's parcels in flight, promise performance) */
route_handler_fn h_tracking_events, h_carrier_webhook;
route_handler_fn h_carrier_list, h_carrier_get, h_carrier_put, h_carrier_secret_create,
	h_carrier_secret_revoke;
route_handler_fn h_carrier_parcels, h_package_tracking, h_promise_performance;
/* transit times that learn: h_leg_transit.c (configured vs learned, from memory) */
route_handler_fn h_leg_transit;
/* events out: h_event_subscriptions.c (subscriptions, their deliveries) */
route_handler_fn h_event_subscription_create, h_event_subscription_list, h_event_deliveries;

/* JIT: h_jit_tasks.c (list, read, label) */
route_handler_fn h_jit_task_list, h_jit_task_get, h_jit_task_label, h_jit_overdue_sweep;
/* first-mile consignments: h_jit_consignments.c */
route_handler_fn h_jit_consignment_create, h_jit_consignment_dispatch;
/* the hub: h_hub_scans.c (receipt, bag and line-haul scans), h_hub_bags.c (open, close) */
route_handler_fn h_hub_receipt_scan, h_hub_bag_scan, h_hub_linehaul_scan;
route_handler_fn h_hub_bag_open, h_hub_bag_close;
/* who the caller is: refdata/h_me.c; the scanner client's files: scanner/h_scanner.c */
route_handler_fn h_me, h_scanner_root, h_scanner_index, h_scanner_file;
/* pickups: h_pickup_hubs.c (a hub's settings and vehicles), h_pickup_requests.c,
 * h_pickup_plans.c (plan on a worker thread, read, publish), h_pickup_scans.c (collection) */
route_handler_fn h_pickup_hub_put, h_pickup_hub_get;
route_handler_fn h_pickup_request_create, h_pickup_request_get, h_pickup_request_cancel;
route_handler_fn h_pickup_plan_create, h_pickup_plan_get, h_pickup_plan_publish;
route_handler_fn h_pickup_scan;

/* buyer protection: api/returns/h_claims.c (open, read), h_refunds.c (read, issue),
 * h_returns.c (label, receipt scan, inspection scan) */
route_handler_fn h_claim_create, h_claim_get, h_refund_get, h_refund_issue;
route_handler_fn h_return_label, h_return_receipt_scan, h_return_inspection_scan;
route_handler_fn h_return_get;

#endif
