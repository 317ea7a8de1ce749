-- The same kind of changes, done without long locks. This migration runs
-- outside a transaction (CREATE INDEX CONCURRENTLY requires it).
SET lock_timeout = '2s';
SET statement_timeout = '30min';  -- concurrent builds on big tables take a while

ALTER TABLE orders ADD COLUMN shipped_at timestamptz;

ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web';

CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_shipped_at_idx ON orders (shipped_at);

ALTER TABLE orders
    ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;

ALTER TABLE orders
    ADD CONSTRAINT orders_channel_not_null CHECK (channel IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_channel_not_null;
ALTER TABLE orders ALTER COLUMN channel SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_channel_not_null;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS products_sku_key_idx ON products (sku);
ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE USING INDEX products_sku_key_idx;
