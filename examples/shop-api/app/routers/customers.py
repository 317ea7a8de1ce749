"""Sign-up, sign-in and the signed-in customer's profile."""

from fastapi import APIRouter, Depends, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from app.deps import get_current_customer, get_db
from app.models import Customer
from app.schemas import CustomerIn, CustomerOut, Token
from app.security import hash_password, issue_token, verify_password

router = APIRouter(prefix="/api/v1/customers", tags=["customers"])


@router.post("", response_model=CustomerOut, status_code=201)
def sign_up(body: CustomerIn, db: Session = Depends(get_db)):
    if db.query(Customer).filter(Customer.email == body.email).first():
        raise HTTPException(status_code=409, detail="email already registered")
    customer = Customer(email=body.email, full_name=body.full_name, password=hash_password(body.password))
    db.add(customer)
    db.commit()
    return customer


@router.post("/token", response_model=Token)
def sign_in(form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):
    customer = db.query(Customer).filter(Customer.email == form.username).first()
    if customer is None or not verify_password(form.password, customer.password):
        raise HTTPException(status_code=401, detail="wrong email or password")
    return issue_token(customer)


@router.get("/me", response_model=CustomerOut)
def me(customer=Depends(get_current_customer)):
    return customer
