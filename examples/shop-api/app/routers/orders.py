"""A customer's orders."""

from typing import List

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from app.deps import get_current_customer, get_db
from app.models import Order, OrderItem
from app.schemas import OrderIn, OrderOut

router = APIRouter(
    prefix="/api/v1/orders",
    tags=["orders"],
    dependencies=[Depends(get_current_customer)],
)


# Every order the customer ever placed, in one response
# (api/unpaginated-list).
@router.get("", response_model=List[OrderOut])
def list_orders(customer=Depends(get_current_customer), db: Session = Depends(get_db)):
    return db.query(Order).filter(Order.customer_id == customer.id).all()


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: int, customer=Depends(get_current_customer), db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    if order is None or order.customer_id != customer.id:
        raise HTTPException(status_code=404, detail="order not found")
    return order


@router.post("", response_model=OrderOut, status_code=201)
def create_order(body: OrderIn, customer=Depends(get_current_customer), db: Session = Depends(get_db)):
    order = Order(customer_id=customer.id, status="pending", total_cents=0)
    db.add(order)
    for item in body.items:
        db.add(OrderItem(order=order, product_id=item.product_id, quantity=item.quantity))
    db.commit()
    return order


# The status change reads the raw JSON body instead of a model
# (api/unvalidated-body).
@router.patch("/{order_id}/status", response_model=OrderOut)
async def update_order_status(order_id: int, request: Request, db: Session = Depends(get_db)):
    payload = await request.json()
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")
    order.status = payload["status"]
    db.commit()
    return order


@router.delete("/{order_id}", status_code=204)
def cancel_order(order_id: int, customer=Depends(get_current_customer), db: Session = Depends(get_db)):
    order = db.get(Order, order_id)
    if order is None or order.customer_id != customer.id:
        raise HTTPException(status_code=404, detail="order not found")
    order.status = "cancelled"
    db.commit()
