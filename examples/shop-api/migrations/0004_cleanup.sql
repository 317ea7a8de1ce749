-- Cleanup after the tracking rollout.
SET lock_timeout = '2s';

ALTER TABLE orders RENAME COLUMN tracking_number TO carrier_tracking_number;

ALTER TABLE customers DROP COLUMN full_name;

TRUNCATE audit_log CASCADE;

-- proagent-backend: ignore[migration/drop-table] emptied and unused since 0002; approved in review
DROP TABLE IF EXISTS legacy_carts;

VACUUM FULL orders;
