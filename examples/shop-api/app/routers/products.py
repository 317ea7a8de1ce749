"""The catalogue: anyone can browse, staff edit."""

from typing import List

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy.orm import Session

from app.deps import get_current_customer, get_db
from app.models import Product
from app.schemas import ProductIn, ProductOut

router = APIRouter(prefix="/api/v1/products", tags=["products"])


@router.get("", response_model=List[ProductOut])
def list_products(
    limit: int = Query(50, le=200),
    cursor: int = 0,
    db: Session = Depends(get_db),
):
    return db.query(Product).filter(Product.id > cursor).order_by(Product.id).limit(limit).all()


@router.get("/{product_id}", response_model=ProductOut)
def get_product(product_id: int, db: Session = Depends(get_db)):
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404, detail="product not found")
    return product


@router.post("", response_model=ProductOut, status_code=201)
def create_product(
    body: ProductIn,
    staff=Depends(get_current_customer),
    db: Session = Depends(get_db),
):
    product = Product(**body.model_dump())
    db.add(product)
    db.commit()
    return product


@router.put("/{product_id}", response_model=ProductOut)
def update_product(
    product_id: int,
    body: ProductIn,
    staff=Depends(get_current_customer),
    db: Session = Depends(get_db),
):
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404, detail="product not found")
    for key, value in body.model_dump().items():
        setattr(product, key, value)
    db.commit()
    return product


# Deleting a product was added in a hurry: no auth dependency, unlike its
# siblings (api/mutation-without-auth).
@router.delete("/{product_id}", status_code=204)
def delete_product(product_id: int, db: Session = Depends(get_db)):
    db.query(Product).filter(Product.id == product_id).delete()
    db.commit()
