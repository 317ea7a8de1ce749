-- Queries the order service runs.

-- name: GetOrder :one
SELECT id, customer_id, status, total_cents, created_at
FROM orders
WHERE id = $1;

-- name: ListCustomerOrders :many
SELECT id, status, total_cents, created_at
FROM orders
WHERE customer_id = $1 AND created_at < $2
ORDER BY created_at DESC
LIMIT 50;

-- name: SearchProducts :many
SELECT id, name, price FROM products WHERE name ILIKE '%' || $1 || '%';

-- name: FindProductsBySuffix :many
SELECT id, name FROM products WHERE sku LIKE '%-XL';

-- name: ProductsNeverOrdered :many
SELECT id, name FROM products
WHERE id NOT IN (SELECT product_id FROM order_items);

-- name: RandomPick :one
SELECT id, name FROM products ORDER BY random() LIMIT 1;

-- name: OrdersPage :many
SELECT * FROM orders ORDER BY id LIMIT 20 OFFSET 5000;

-- name: CancelStaleOrders :exec
UPDATE orders SET status = 'cancelled'
WHERE status = 'pending' AND created_at < now() - interval '7 days';

-- name: PurgeAuditLog :exec
DELETE FROM audit_log;
