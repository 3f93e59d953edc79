import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_USERS } from "../../src/seed/demo.js";
import { buildApp, seed, signUp, type TestApp } from "../support/app.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { newWallet, personalSign } from "../support/wallet.js";

describeOnEachDatabase("the auth routes", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    await seed(target.db);
    t = await buildApp(target.db);
  });
  afterAll(() => t?.close());

  it("signs up a user (email stored lower-cased, hash never shown) and refuses a second with that email", async () => {
    const res = await request(t.app)
      .post("/api/auth/signup")
      .send({ email: "Ada@Example.TEST", password: "analytical engine", displayName: "Ada" })
      .expect(201);
    expect(res.body.data.user).toMatchObject({ email: "ada@example.test", role: "learner", totalXp: 0 });
    expect(res.body.data).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
    const { rows } = await target.db.query<{ h: string }>(
      "SELECT token_hash AS h FROM refresh_tokens WHERE user_id = $1",
      [res.body.data.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.h).not.toBe(res.body.data.refreshToken); // only the SHA-256 is stored
    const again = await request(t.app)
      .post("/api/auth/signup")
      .send({ email: "ada@example.test", password: "another password" })
      .expect(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT", field: "body.email" });
  });

  it("names the field of a bad sign-up", async () => {
    const cases: [object, string][] = [
      [{ password: "long enough" }, "body.email"],
      [{ email: "not-an-email", password: "long enough" }, "body.email"],
      [{ email: "a@b.test", password: "short" }, "body.password"],
      [{ email: "a@b.test", password: 12345678 }, "body.password"],
      [{ email: "a@b.test", password: "long enough", displayName: "x".repeat(101) }, "body.displayName"],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.app).post("/api/auth/signup").send(body).expect(400);
      expect(res.body.error.field).toBe(field);
    }
    const notObject = await request(t.app).post("/api/auth/signup").send([1, 2]).expect(400);
    expect(notObject.body.error.field).toBe("body");
  });

  it("signs in with the right password only, with one message for a wrong email or password", async () => {
    const { email, password } = DEMO_USERS.learner;
    const ok = await request(t.app)
      .post("/api/auth/signin")
      .send({ email: email.toUpperCase(), password })
      .expect(200);
    expect(ok.body.data.user.email).toBe(email);
    const wrong = await request(t.app).post("/api/auth/signin").send({ email, password: "nope" }).expect(401);
    const unknown = await request(t.app)
      .post("/api/auth/signin")
      .send({ email: "nobody@example.test", password: "nope" })
      .expect(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const me = await request(t.app)
      .get("/api/auth/me")
      .set("Authorization", `Bearer ${ok.body.data.accessToken}`)
      .expect(200);
    expect(me.body.data.email).toBe(email);
    await request(t.app).get("/api/auth/me").expect(401);
  });

  it("rotates a refresh token, and treats reuse of a rotated one as theft", async () => {
    const user = await signUp(t.app, "rotate");
    const first = await request(t.app)
      .post("/api/auth/refresh")
      .send({ refreshToken: user.refreshToken })
      .expect(200);
    const next = first.body.data.refreshToken as string;
    expect(next).not.toBe(user.refreshToken);
    await request(t.app)
      .get("/api/auth/me")
      .set("Authorization", `Bearer ${first.body.data.accessToken}`)
      .expect(200);
    const reuse = await request(t.app)
      .post("/api/auth/refresh")
      .send({ refreshToken: user.refreshToken })
      .expect(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    // The theft response revoked the newer token as well.
    await request(t.app).post("/api/auth/refresh").send({ refreshToken: next }).expect(401);
    await request(t.app).post("/api/auth/refresh").send({ refreshToken: "made-up" }).expect(401);
    const missing = await request(t.app).post("/api/auth/refresh").send({}).expect(400);
    expect(missing.body.error.field).toBe("body.refreshToken");
  });

  it("refuses an expired refresh token", async () => {
    const user = await signUp(t.app, "expired");
    await target.db.query(
      "UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1",
      [user.id],
    );
    const res = await request(t.app)
      .post("/api/auth/refresh")
      .send({ refreshToken: user.refreshToken })
      .expect(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it("signs out by blacklisting the access token's jti and revoking the refresh token", async () => {
    const user = await signUp(t.app, "logout");
    await request(t.app).post("/api/auth/logout").expect(401);
    const out = await request(t.app)
      .post("/api/auth/logout")
      .set(user.auth)
      .send({ refreshToken: user.refreshToken })
      .expect(200);
    expect(out.body.data).toEqual({ signedOut: true, refreshTokenRevoked: true });
    const refused = await request(t.app).get("/api/auth/me").set(user.auth).expect(401);
    expect(refused.body.error.message).toMatch(/revoked/);
    await request(t.app).post("/api/auth/refresh").send({ refreshToken: user.refreshToken }).expect(401);
  });

  it("refuses a malformed or forged bearer token with 401 and WWW-Authenticate", async () => {
    for (const header of ["Basic abc", "Bearer", "Bearer kat1.e30.forged"]) {
      const res = await request(t.app)
        .get("/api/education/progress")
        .set("Authorization", header)
        .expect(401);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("signs in a wallet that signs the challenge, creating its user once", async () => {
    const wallet = newWallet();
    const signIn = async () => {
      const challenge = await request(t.app)
        .post("/api/auth/wallet/challenge")
        .send({ walletAddress: wallet.address.toUpperCase().replace("0X", "0x") })
        .expect(200);
      const { nonce, message } = challenge.body.data;
      expect(message).toContain(wallet.address);
      return request(t.app)
        .post("/api/auth/wallet/signin")
        .send({ walletAddress: wallet.address, nonce, signature: personalSign(message, wallet.privateKey) })
        .expect(200);
    };
    const first = await signIn();
    const second = await signIn();
    expect(first.body.data.user).toMatchObject({ walletAddress: wallet.address, email: null });
    expect(second.body.data.user.id).toBe(first.body.data.user.id);
  });

  it("refuses a wallet sign-in with another wallet's signature, a replayed or forged nonce", async () => {
    const wallet = newWallet();
    const thief = newWallet();
    const challenge = await request(t.app)
      .post("/api/auth/wallet/challenge")
      .send({ walletAddress: wallet.address });
    const { nonce, message } = challenge.body.data;
    const bad = await request(t.app)
      .post("/api/auth/wallet/signin")
      .send({ walletAddress: wallet.address, nonce, signature: personalSign(message, thief.privateKey) })
      .expect(401);
    expect(bad.body.error.message).toMatch(/does not recover/);
    const good = {
      walletAddress: wallet.address,
      nonce,
      signature: personalSign(message, wallet.privateKey),
    };
    await request(t.app).post("/api/auth/wallet/signin").send(good).expect(200);
    const replay = await request(t.app).post("/api/auth/wallet/signin").send(good).expect(401);
    expect(replay.body.error.message).toMatch(/already used/);
    // A nonce issued for one wallet is not valid for another.
    const other = await request(t.app)
      .post("/api/auth/wallet/signin")
      .send({ walletAddress: thief.address, nonce, signature: personalSign(message, thief.privateKey) })
      .expect(401);
    expect(other.body.error.message).toMatch(/not one this server issued/);
    const field = await request(t.app)
      .post("/api/auth/wallet/challenge")
      .send({ walletAddress: "0x12" })
      .expect(400);
    expect(field.body.error.field).toBe("body.walletAddress");
  });
});
