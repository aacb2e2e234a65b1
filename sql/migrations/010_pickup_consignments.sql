-- 010_pickup_consignments.sql — a pickup request may collect a JIT first-mile consignment
-- (issues 12 and 14 joined): a seller's consignment of hand-over `pickup`, bound to the
-- consolidation hub the request goes to, is planned like any other request; the driver's
-- collection scan dispatches it (its bound tasks go in_transit_to_hub by wms/jit.h's
-- dispatch) and posts the pickup fee with semi_jit's treatment
-- (sql/functions/pickup_collect.sql).
--
-- A request names exactly one of the two: an inbound shipment or a JIT consignment.

ALTER TABLE pickup_requests ALTER COLUMN shipment_id DROP NOT NULL;
ALTER TABLE pickup_requests ADD COLUMN consignment_id uuid;
ALTER TABLE pickup_requests ADD CONSTRAINT pickup_requests_collects_one
    CHECK ((shipment_id IS NULL) <> (consignment_id IS NULL));
ALTER TABLE pickup_requests ADD CONSTRAINT pickup_requests_consignment_fk
    FOREIGN KEY (warehouse_id, consignment_id) REFERENCES jit_consignments (warehouse_id, id);
-- One open request per consignment (as per shipment: pickup_requests_shipment).
CREATE UNIQUE INDEX pickup_requests_consignment ON pickup_requests (warehouse_id, consignment_id)
    WHERE state <> 'cancelled' AND consignment_id IS NOT NULL;
