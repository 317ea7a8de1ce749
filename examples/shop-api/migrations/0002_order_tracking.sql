-- Order tracking, written the quick way. Every statement here locks a busy
-- table for as long as it takes to scan or rewrite it.
ALTER TABLE orders ADD COLUMN tracking_number text NOT NULL;

ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();

ALTER TABLE orders ALTER COLUMN status TYPE varchar(32);

CREATE INDEX orders_status_idx ON orders (status);

ALTER TABLE order_items
    ADD CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES products (id);

ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;

ALTER TABLE products ADD CONSTRAINT products_name_key UNIQUE (name);

UPDATE orders SET status = 'pending';
