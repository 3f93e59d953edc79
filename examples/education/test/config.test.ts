import { describe, expect, it } from "vitest";
import { appConfigFromEnv } from "../src/config.js";

describe("appConfigFromEnv", () => {
  it("runs on embedded defaults when nothing is set", () => {
    const config = appConfigFromEnv({});
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      database: {},
      tokenSecretGenerated: true,
      accessTokenTtl: 900,
      refreshTokenTtl: 2_592_000,
      rateLimit: 100,
      authRateLimit: 20,
      jobs: true,
    });
    expect(config.redisUrl).toBeUndefined();
    expect(config.tokenSecret).toHaveLength(64);
  });

  it("reads every variable", () => {
    const config = appConfigFromEnv({
      PORT: "0",
      HOST: "::1",
      DATABASE_URL: "postgres://u@127.0.0.1/db",
      REDIS_URL: "redis://127.0.0.1:6379",
      TOKEN_SECRET: "k".repeat(32),
      ACCESS_TOKEN_TTL: "60",
      RATE_LIMIT: "5",
      JOBS: "off",
    });
    expect(config).toMatchObject({
      port: 0,
      host: "::1",
      database: { databaseUrl: "postgres://u@127.0.0.1/db" },
      redisUrl: "redis://127.0.0.1:6379",
      tokenSecret: "k".repeat(32),
      tokenSecretGenerated: false,
      accessTokenTtl: 60,
      rateLimit: 5,
      jobs: false,
    });
  });

  it("names the variable that is wrong", () => {
    expect(() => appConfigFromEnv({ PORT: "http" })).toThrow(/PORT must be a whole number/);
    expect(() => appConfigFromEnv({ PORT: "70000" })).toThrow(/PORT must be at most 65535/);
    expect(() => appConfigFromEnv({ TOKEN_SECRET: "short" })).toThrow(/TOKEN_SECRET must be at least 32/);
    expect(() => appConfigFromEnv({ REDIS_URL: "127.0.0.1:6379" })).toThrow(
      /REDIS_URL must be a redis:\/\/ URL/,
    );
    expect(() => appConfigFromEnv({ RATE_LIMIT: "0" })).toThrow(/RATE_LIMIT/);
  });
});
