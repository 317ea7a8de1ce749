pub use pg_query;
