const express = require("express");
const { requireAuth } = require("./auth");

const app = express();
const router = express.Router();

router.get("/pets", async (req, res) => {
  res.json(await listPets(req.query.limit));
});

router.get("/pets/:petId", async (req, res) => {
  res.json(await findPet(req.params.petId));
});

router.post("/pets", requireAuth, async (req, res) => {
  res.status(201).json(await createPet(req.body));
});

// Not in swagger.json.
router.delete("/pets/:petId", requireAuth, async (req, res) => {
  await removePet(req.params.petId);
  res.status(204).end();
});

app.use("/v2", router);
app.listen(3000);
