from fastapi import FastAPI

app = FastAPI()


@app.get("/users")
def list_users(limit: int = 50):
    return []
