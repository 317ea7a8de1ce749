-- Administrative statements kept with the service.
CREATE ROLE reporting LOGIN;
GRANT SELECT ON orders, order_items TO reporting;

GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO shop_app;

CREATE ROLE ops_admin SUPERUSER LOGIN;
