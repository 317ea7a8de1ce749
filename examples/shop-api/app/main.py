"""The shop's HTTP API: FastAPI, one router per resource, every router
mounted under /api/v1 by its own prefix."""

from fastapi import FastAPI

from app.routers import customers, orders, products

app = FastAPI(title="shop-api", version="1.0.0")

app.include_router(products.router)
app.include_router(orders.router)
app.include_router(customers.router)


@app.get("/health")
def health():
    return {"status": "ok"}
